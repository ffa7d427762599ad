"""Every public page and the admin, served with the production settings over HTTPS, scores A+ (100
or more) by the Mozilla HTTP Observatory's rules (tests/seslip/observatory.py).

The security settings are read from a fresh process started with the production environment, so
the test checks what production runs, not a copy of it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.public_site import public_pages, small_site

from . import observatory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOST = "seslip.example.org"
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-that-is-not-the-default-0123456789",
    "ALLOWED_HOSTS": HOST,
    "DATABASE_URL": "sqlite:///:memory:",
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CSP",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "MIDDLEWARE",
]


@pytest.fixture(scope="module")
def production_settings():
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "seslip.settings", **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(done.stdout)
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def production(production_settings):
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[HOST], **production_settings):
        yield


@pytest.fixture
def site(db):
    return small_site()


def every_page(site):
    return public_pages(site) + ["/no-such-page/"]


def observed(url, client=None, method="get", data=None):
    """The Observatory's three requests for one URL: HTTPS, plain HTTP and cross-origin."""
    client = client or Client(HTTP_HOST=HOST)
    https = getattr(client, method)(url, data, secure=True)
    http = Client(HTTP_HOST=HOST).get(url)
    cors = Client(HTTP_HOST=HOST).get(url, secure=True, HTTP_ORIGIN="https://observatory.example")
    return https, http, cors


def assert_a_plus(url, https, http, cors):
    assert https.status_code in (200, 302, 404), (url, https.status_code)
    total, results = observatory.score(https, http, cors)
    report = "\n".join(f"  {r.test}: {r.outcome} ({r.modifier:+d})" for r in results)
    assert total >= 100, f"{url} scores {total} ({observatory.grade(total)}):\n{report}"
    # Still A+ without the preload bonus the Observatory gives only to listed domains.
    unlisted, _ = observatory.score(https, http, cors, preload_listed=False)
    assert unlisted >= 100, f"{url} scores {unlisted} without the HSTS preload bonus:\n{report}"
    return total


def test_every_public_page_scores_a_plus(production, site):
    for url in every_page(site):
        assert_a_plus(url, *observed(url))


def test_the_admin_login_page_scores_a_plus(production):
    url = reverse("admin:login")
    https, http, cors = observed(url)
    assert https.cookies["csrftoken"]["secure"] and https.cookies["csrftoken"]["samesite"]
    assert assert_a_plus(url, https, http, cors) >= 110


def test_signing_in_to_the_admin_sets_secure_cookies_and_scores_a_plus(production, editor):
    client = Client(HTTP_HOST=HOST)
    url = reverse("admin:login")
    client.get(url, secure=True)
    data = {"username": "edith", "password": "correct horse battery", "next": "/admin/"}
    https, http, cors = observed(url, client, "post", data)
    assert https.status_code == 302
    session = https.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert_a_plus(url, https, http, cors)
    page = client.get(reverse("admin:index"), secure=True)
    assert page.status_code == 200
    assert_a_plus(reverse("admin:index"), page, Client(HTTP_HOST=HOST).get("/admin/"), cors)


def test_every_page_denies_framing_and_isolates_its_window(production, site):
    for url in every_page(site) + [reverse("admin:login")]:
        response = Client(HTTP_HOST=HOST).get(url, secure=True)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_plain_http_is_sent_to_https_on_the_same_host(production):
    response = Client(HTTP_HOST=HOST).get("/updates/?year=2019")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/updates/?year=2019"


def test_a_page_without_security_headers_fails_the_score(production, site):
    """The scorer can fail: the same page with the protections stripped off scores F."""
    https, http, cors = observed(reverse("home"))
    for name in [
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Frame-Options",
        "X-Content-Type-Options",
    ]:
        del https.headers[name]
    total, _ = observatory.score(https, http, cors)
    assert total < 50 and observatory.grade(total) == "F"


def test_unsafe_inline_script_costs_twenty_points(production, site):
    https, http, cors = observed(reverse("home"))
    https.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'"
    )
    result = observatory.content_security_policy(https)
    assert (result.outcome, result.modifier) == ("csp-implemented-with-unsafe-inline", -20)
