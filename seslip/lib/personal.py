"""What is personal on a cached page, and filling it in for the reader being served.

A public page is cached once per audience (seslip/lib/pagecache.py), not per reader. The few
things on it that belong to one reader (the "Signed in as …" header, the messages waiting for
them, a CSRF token where a form needs one) are left out of the cached body as markers, and
`fill` renders them for each request around the cached body: a small template, no page render.

A marker carries a digest of SECRET_KEY, so no text an editor writes can be mistaken for one.
Templates write them with {% personal "account" %} (seslip/templatetags/personal.py), which
renders the part in place when the page is not being rendered for the cache.
"""

import functools
import hashlib
import hmac
import logging
import re
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.html import format_html

from seslip.lib import sharedfiles
from seslip.lib.middleware import storage_made
from seslip.lib.roles import audience_of, authority_of, is_editor, membership_of

PARTS = ("account", "messages", "csrf")
RENDERING_FOR = "page_cache_audience"  # the request attribute naming the audience being cached
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie
READER_SECONDS = 30  # how long who a signed-in reader is may be taken from the cache
READER_ATTRIBUTE = "personal_reader"  # who the reader is, once read for this request
READERS_KEY = "readers-epoch"  # in the shared cache: renewed by each change of who a reader is
MAX_KNOWN_READERS = 10_000  # sessions a process keeps who the reader is for; then it starts over

log = logging.getLogger(__name__)


@functools.cache
def marker(name: str) -> str:
    if name not in PARTS:
        raise ValueError(f"No personal part is called {name!r}: one of {PARTS}")
    digest = hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()
    return f"<!--personal:{name}:{digest[:20]}-->"


def rendering_for_cache(request: HttpRequest | None) -> bool:
    return getattr(request, RENDERING_FOR, None) is not None


def render_part(name: str, request: HttpRequest) -> str:
    """The part `name` as this request's reader sees it."""
    if name == "account":
        found = reader(request)
        if found is not None:
            return found["account"]
        return account(AnonymousUser(), request.get_full_path())
    if name == "messages":
        if no_messages_waiting(request):
            return ""  # nothing can be waiting: no cookie or session is read
        return "".join(
            format_html('<p class="notice" role="status">{}</p>', message)
            for message in get_messages(request)
        )
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def reader(request: HttpRequest) -> dict[str, Any] | None:
    """Who the signed-in reader is, as cached pages need it: their audience, the authority they
    answer for, whether they edit, and their header.

    Each server process keeps it per session (`known_readers`) for up to READER_SECONDS, while
    the shared *readers epoch* (READERS_KEY, one read of the shared cache) is unchanged: a
    signed-in reader served from the cache then costs one read of the shared cache more than a
    reader not signed in, and no query. Whatever ends a session or changes who a reader is
    (signing in or out, a new password, their role, authority, groups or name, their account
    deactivated or deleted) calls `readers_changed` or `forget_reader`, which write a new epoch:
    every process asks the session again on the reader's next page. A change made elsewhere
    (a shell) is seen within READER_SECONDS."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    known = getattr(request, READER_ATTRIBUTE, None)
    if known is not None:  # asked for the page's audience, then for its header: read once
        return known or None
    found = known_reader(request)
    setattr(request, READER_ATTRIBUTE, found or {})
    return found


# session key -> (readers epoch, until (time.monotonic()), who the reader is)
known_readers: dict[str, tuple[str, float, dict[str, Any]]] = {}


def known_reader(request: HttpRequest) -> dict[str, Any] | None:
    """`signed_in_reader`, kept by this process while the readers epoch is unchanged."""
    session_key = request.COOKIES[settings.SESSION_COOKIE_NAME]
    epoch = readers_epoch()
    now = time.monotonic()
    if epoch is not None:
        kept = known_readers.get(session_key)
        if kept is not None and kept[0] == epoch and now < kept[1]:
            return kept[2]
    found = signed_in_reader(request)  # read after the epoch: a change made since is seen
    if epoch is not None and found is not None:  # only a session signed in: any cookie can be sent
        if len(known_readers) >= MAX_KNOWN_READERS:
            known_readers.clear()
        known_readers[session_key] = (epoch, now + READER_SECONDS, found)
    return found


def readers_epoch() -> str | None:
    """The shared readers epoch: a new one is written (never an old one restored) by each change
    of a session or of who a reader is. None when the shared cache cannot say: nothing kept is
    trusted then. Asked on each signed-in reader's page: with the shared cache in files, its
    file is read each time and unpickled only after a write (seslip/lib/sharedfiles.py)."""
    shared = caches["shared"]
    try:
        epoch = sharedfiles.get(shared, READERS_KEY)
        if epoch is None:  # never written, or culled: a new one, so nothing kept before counts
            epoch = secrets.token_hex(8)
            shared.set(READERS_KEY, epoch, None)
    except Exception:
        log.exception("The shared cache is unreachable; asking who the reader is again")
        return None
    return epoch


def readers_changed() -> None:
    """A session ended or began, or who a reader is changed: every server process asks again
    who each reader is on their next page. A blind write of a new epoch, so two changes at once
    cannot lose either."""
    caches["shared"].set(READERS_KEY, secrets.token_hex(8), None)


def signed_in_reader(request: HttpRequest) -> dict[str, Any] | None:
    """Who the reader of this request's session is: kept READER_SECONDS in the shared cache
    (which every server process reads) with the session's password hash, so asking costs no
    query (the session is cached there too)."""
    session = request.session
    user_id, password_hash = session.get(SESSION_KEY), session.get(HASH_SESSION_KEY)
    if user_id is None:
        return None
    key = reader_key(user_id)
    found = caches["shared"].get(key)
    if found is not None and found["hash"] == password_hash:
        return found
    user = request.user  # checks the session's password hash against the account
    if not user.is_authenticated:
        return None
    membership_of(user)  # the organisation with it: one query, kept on the user
    found = {
        "hash": password_hash,
        "audience": audience_of(user),
        "authority": authority_of(user),
        "editor": is_editor(user),
        "account": account(user, ""),
    }
    caches["shared"].set(key, found, READER_SECONDS)
    return found


def reader_key(user_id: Any) -> str:
    return f"reader:{user_id}"


def forget_reader(user_id: Any) -> None:
    """Who the reader is changed (role, authority, groups, name, password, or the account was
    deactivated or deleted): every server process asks again on their next page. Inside a
    transaction, again when it commits: a process that read the account before the change
    committed may have kept it since."""
    forget_reader_now(user_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(functools.partial(forget_reader_now, user_id))


def forget_reader_now(user_id: Any) -> None:
    caches["shared"].delete(reader_key(user_id))
    readers_changed()


def account(user: Any, path: str) -> str:
    """The header's account part: who is signed in, or a link to sign in and come back."""
    next_path = "" if not path or path.startswith(resolve_url(settings.LOGIN_URL)) else path
    return render_to_string("includes/account.html", {"user": user, "next_path": next_path})


type Cut = tuple[int, int, str]  # where a personal part's marker starts and ends, and its name


@functools.cache
def markers_pattern() -> re.Pattern[bytes]:
    names = b"|".join(re.escape(marker(name).encode()) for name in PARTS)
    return re.compile(b"(?:" + names + b")")


def cuts_in(content: bytes) -> tuple[Cut, ...]:
    """Each personal part's marker in `content`, in order: kept with a cached page, so filling it
    in for a reader copies the page once and looks for nothing."""
    names = {marker(name).encode(): name for name in PARTS}
    return tuple(
        (found.start(), found.end(), names[found.group()])
        for found in markers_pattern().finditer(content)
    )


def parts_of(cuts: tuple[Cut, ...]) -> tuple[str, ...]:
    """The personal parts at `cuts`, each once."""
    return tuple(name for name in PARTS if any(cut[2] == name for cut in cuts))


def fill(request: HttpRequest, content: bytes) -> bytes:
    """`content` with each personal part in it rendered for this request."""
    cuts = cuts_in(content)
    return fill_at(content, cuts, rendered_parts(request, parts_of(cuts)))


def rendered_parts(request: HttpRequest, parts: tuple[str, ...]) -> dict[str, bytes]:
    """Each of `parts` (those a page holds, kept with a cached page) rendered for this
    request."""
    return {name: render_part(name, request).encode() for name in parts}


def fill_at(content: bytes, cuts: tuple[Cut, ...], rendered: dict[str, bytes]) -> bytes:
    """`content` with the part `rendered` for each cut (`cuts_in(content)`) in place of its
    marker."""
    if not cuts:
        return content
    view, done = memoryview(content), 0
    pieces: list[bytes | memoryview] = []
    for start, end, name in cuts:
        pieces += (view[done:start], rendered[name])
        done = end
    pieces.append(view[done:])
    return b"".join(pieces)


def fill_anonymous(content: bytes, parts: tuple[str, ...], path: str) -> bytes:
    """`content` at `path` as every reader who is not signed in and has no messages waiting
    sees it."""
    if "account" in parts:
        signed_out = account(AnonymousUser(), path).encode()
        content = content.replace(marker("account").encode(), signed_out)
    if "messages" in parts:
        content = content.replace(marker("messages").encode(), b"")
    return content


# Message storages that keep a reader's messages in their cookie first: Django's default
# (FallbackStorage) reads the session only when the cookie says more are kept there.
COOKIE_FIRST_STORAGES = frozenset(
    {
        "django.contrib.messages.storage.fallback.FallbackStorage",
        "django.contrib.messages.storage.cookie.CookieStorage",
    }
)


def no_messages_waiting(request: HttpRequest) -> bool:
    """Whether this request has no message to show, known without reading any: no messages
    cookie, and none added while answering it. A signed-in reader's session is not read for
    them (it holds messages only when the cookie says so), unless the message storage is not
    one that keeps them in the cookie first."""
    if MESSAGES_COOKIE in request.COOKIES:
        return False
    if settings.MESSAGE_STORAGE not in COOKIE_FIRST_STORAGES:
        return settings.SESSION_COOKIE_NAME not in request.COOKIES
    if not storage_made(request):  # nothing added: seslip.lib.middleware makes it on first use
        return True
    return not getattr(request._messages, "_queued_messages", None)  # type: ignore[attr-defined]


def is_plain_anonymous(request: HttpRequest) -> bool:
    """A reader with no session and no messages: every such reader sees the same page."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )
