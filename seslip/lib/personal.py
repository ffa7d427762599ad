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
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.html import format_html

from seslip.lib.roles import audience_of, authority_of, is_editor, membership_of

PARTS = ("account", "messages", "csrf")
RENDERING_FOR = "page_cache_audience"  # the request attribute naming the audience being cached
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie
READER_SECONDS = 30  # how long who a signed-in reader is may be taken from the cache
READER_ATTRIBUTE = "personal_reader"  # who the reader is, once read for this request


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
        if is_plain_anonymous(request):
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
    answer for, whether they edit, and their header. Kept READER_SECONDS in the shared cache
    (which every server process reads) with the session's password hash, so a reader served
    from the cache costs no query (the session is cached there too). What changes who they are
    (their role, authority or groups, their account deactivated or deleted: contacts' models
    and the admin) forgets it at once, for every process (`forget_reader`); a change made
    elsewhere (a password reset) is seen within READER_SECONDS."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    known = getattr(request, READER_ATTRIBUTE, None)
    if known is not None:  # asked for the page's audience, then for its header: read once
        return known or None
    found = signed_in_reader(request)
    setattr(request, READER_ATTRIBUTE, found or {})
    return found


def signed_in_reader(request: HttpRequest) -> dict[str, Any] | None:
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
    """Who the reader is changed (role, authority, groups, name, or the account was
    deactivated or deleted): every server process asks again on their next page."""
    caches["shared"].delete(reader_key(user_id))


def account(user: Any, path: str) -> str:
    """The header's account part: who is signed in, or a link to sign in and come back."""
    next_path = "" if not path or path.startswith(resolve_url(settings.LOGIN_URL)) else path
    return render_to_string("includes/account.html", {"user": user, "next_path": next_path})


def parts_in(content: bytes) -> tuple[str, ...]:
    return tuple(name for name in PARTS if marker(name).encode() in content)


def fill(request: HttpRequest, content: bytes) -> bytes:
    """`content` with each personal part in it rendered for this request."""
    return fill_with(content, rendered_parts(request, parts_in(content)))


def rendered_parts(request: HttpRequest, parts: tuple[str, ...]) -> dict[str, bytes]:
    """Each of `parts` (those a page holds: `parts_in`, kept with a cached page) rendered for
    this request."""
    return {name: render_part(name, request).encode() for name in parts}


def fill_with(content: bytes, rendered: dict[str, bytes]) -> bytes:
    for name, part in rendered.items():
        content = content.replace(marker(name).encode(), part)
    return content


def fill_anonymous(content: bytes, parts: tuple[str, ...], path: str) -> bytes:
    """`content` at `path` as every reader who is not signed in and has no messages waiting
    sees it."""
    if "account" in parts:
        signed_out = account(AnonymousUser(), path).encode()
        content = content.replace(marker("account").encode(), signed_out)
    if "messages" in parts:
        content = content.replace(marker("messages").encode(), b"")
    return content


def is_plain_anonymous(request: HttpRequest) -> bool:
    """A reader with no session and no messages: every such reader sees the same page."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and MESSAGES_COOKIE not in request.COOKIES
    )
