"""One settings module, driven by environment variables with safe development defaults.

Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see the README.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE, FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off; anything else stops the start-up."""
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a yes or no: use 1, true, yes, on or 0, false, no, off."
    )


def env_int(name: str, default: int) -> int:
    """A whole-number variable; anything else stops the start-up, naming the variable."""
    return env_number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    """A number variable (decimals allowed); anything else stops the start-up."""
    return env_number(name, default, float, "a number")


def env_number[N: (int, float)](name: str, default: N, kind: type[N], what: str) -> N:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not {what}.") from None


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """A variable that is one of `choices`; anything else stops the start-up, naming them."""
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is not one of {', '.join(choices)}."
        )
    return value


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # the stored search vectors (on SQLite they stay empty)
    "django_filters",
    "axes",
    "django_prose_editor",
    "simple_history",
    "anymail",
    "contacts",
    "networks",
    "newsletters",
    "seslip",
    # after newsletters, whose db_worker (it loads the mail code first) stands in for its own
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "seslip.errors.DatabaseUnavailableMiddleware",  # a database outage: the 503 page, at once
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "seslip.lib.middleware.MessageMiddleware",  # Django's, its storage made on first use
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "seslip.lib.middleware.ContentSecurityPolicyMiddleware",  # Django's, each policy written once
    "simple_history.middleware.HistoryRequestMiddleware",  # who made each change, for history
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the lock-out page
]

ROOT_URLCONF = "seslip.urls"
WSGI_APPLICATION = "seslip.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# Give up on an unreachable database after DB_CONNECT_TIMEOUT seconds (the 503 page is shown), so
# no worker hangs on it.
# No JIT compilation: every query here is short, and compiling one costs up to a second whenever
# the planner's estimate crosses jit_above_cost (seen on the dashboard at 6,000 updates). No
# server-side cursors: each drop-down list of a filter form cost three round trips with them.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=env_int("DB_CONNECT_TIMEOUT", 3),
        options="-c jit=off",
    )
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# DB_POOL=1: a psycopg 3 connection pool in each server process (PostgreSQL only), instead of
# persistent connections; the pool checks each connection before lending it.
if env_bool("DB_POOL", False) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    if DATABASES["default"]["CONN_MAX_AGE"]:
        raise RuntimeError("DB_POOL=1 needs CONN_MAX_AGE=0: a pool replaces persistent connections")
    from psycopg_pool import ConnectionPool

    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DB_POOL_MIN_SIZE", 2),
        "max_size": env_int("DB_POOL_MAX_SIZE", 8),
        "timeout": env_float("DB_POOL_TIMEOUT", 10.0),
        "check": ConnectionPool.check_connection,
    }
# SQLite (development, tests): a writer waits up to 20 s for another (the task worker and the
# web server write at once) and takes its lock when its transaction starts, not half-way; with a
# write-ahead log, readers never wait for the writer and a commit costs no fsync.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches (see seslip/lib/pagecache.py): "default" holds public pages, "shared" the content generation that
# every server process must see. Redis when REDIS_URL is set (several app servers share it); else
# pages in each process's memory and the generation in files on this machine. Keys start with the
# database's name, so two sites on one Redis never serve each other's pages.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = (
    os.environ.get("CACHE_KEY_PREFIX")
    or "seslip-" + hashlib.sha256(str(DATABASES["default"]["NAME"]).encode()).hexdigest()[:8]
)
if REDIS_URL:
    _redis = {
        "BACKEND": "seslip.lib.rediscache.RedisCache",  # Django's, one redis-py client per pool
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
        "TIMEOUT": 60 * 60 * 24,
    }
    CACHES = {"default": _redis, "shared": _redis}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "TIMEOUT": 60 * 60 * 24,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_PAGES", 1000)},
        },
        "shared": {  # signed-in readers' sessions too: room for them, so none is culled
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / ".cache")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_SHARED", 20_000)},
        },
    }

# When the next scheduled update is due: a new content generation starts then, so it appears on
# time (seslip/lib/generations.py asks this function; the bottom layer imports no app).
NEXT_PUBLICATION = "newsletters.models.next_publication"

# PAGE_CACHE=0 renders every public page afresh (the benchmark measures uncached renders with it).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
# After a write readers can see, the pages they hit first are rendered again ahead of them
# (seslip/warmup.py): "thread" (in the writing process), "task" (by `manage.py db_worker`),
# "inline" (before the write's request returns) or "off".
PAGE_WARMING = env_choice("PAGE_WARMING", "thread", ("thread", "task", "inline", "off"))
AFTER_CONTENT_CHANGE = "seslip.warmup.after_content_change"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# English only. Off, Django skips its translation machinery on every date and string it
# renders (a quarter of a page's render time); en-gb's date and input formats still apply.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "seslip" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content Security Policy, enforced by Django's own middleware: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    # The nonce is only sent where a page uses it: the admin's rich-text editor needs its import map.
    "script-src": ["'self'", CSP.NONCE],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Sessions are read from the cache (written through to the database): a signed-in reader's
# cached page then costs no query (seslip/lib/personal.py). The shared cache, which every server
# process reads: signing out in one process ends the session in all of them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Readers and editors sign in at /accounts/login/ (the admin keeps its own sign-in page too).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # a reset link works for 3 days; an invitation's, 7


# Login protection (django-axes): after AXES_FAILURE_LIMIT failed logins from one address for one
# username, that pair is locked out for AXES_COOLOFF_MINUTES. `manage.py axes_reset` unlocks all.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The address readers' links lead to (in e-mails, where there is no request to ask); in
# production the first of ALLOWED_HOSTS over https unless set.
SITE_URL = os.environ.get(
    "SITE_URL",
    "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}" if ALLOWED_HOSTS else "",
).rstrip("/")
if not DEBUG and not SITE_URL.startswith("https://"):
    raise RuntimeError("SITE_URL must be the site's https:// address when DEBUG is off")

# Background work (the e-mail edition): Django's Tasks framework, queued in the database;
# `manage.py db_worker` runs them (see the README).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# E-mail (Django's MAILERS): an SMTP server from the environment (EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or EMAIL_USE_SSL), or a provider's API through
# django-anymail when ANYMAIL_ESP names one (e.g. "postmark", "amazon_ses", "mailgun"); its settings
# are the ANYMAIL_* variables without the prefix (ANYMAIL_POSTMARK_SERVER_TOKEN becomes
# ANYMAIL["POSTMARK_SERVER_TOKEN"]; ANYMAIL_WEBHOOK_SECRET, "user:password", guards the webhooks).
EMAIL_TIMEOUT_SECONDS = env_int("EMAIL_TIMEOUT", 20)
ANYMAIL_ESP = os.environ.get("ANYMAIL_ESP", "")
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_") and name != "ANYMAIL_ESP"
}
if ANYMAIL_ESP:
    MAILERS = {"default": {"BACKEND": f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"}}
elif DEBUG and "EMAIL_HOST" not in os.environ:
    # Development without a mail server: messages are printed where `make run` runs.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            # Django's SMTP backend, keeping each message's answer from the server.
            "BACKEND": "newsletters.mailing.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": EMAIL_TIMEOUT_SECONDS,
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SESLIP updates <updates@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where List-Unsubscribe's mailto: goes (the editors read it); the From address unless set.
UNSUBSCRIBE_MAILTO = os.environ.get("UNSUBSCRIBE_MAILTO", "")
# A worker that stops hearing from its message for this long is taken for dead, and the message is
# handed over again by another (the one possible duplicate per killed worker).
EDITION_LEASE_SECONDS = env_int("EDITION_LEASE_SECONDS", 60)
if EMAIL_TIMEOUT_SECONDS >= EDITION_LEASE_SECONDS:
    raise RuntimeError("EMAIL_TIMEOUT must be shorter than EDITION_LEASE_SECONDS")
