"""Cached public pages for readers who are not signed in, and conditional GET for every reader.

A view declares that it is a public page with `@public_page`; the decorator serves it from the
cache, so the view's errors reach Django's exception handling as any view's do, and no list of
pages is kept apart from the views.

A page depends only on the content (updates, items, meetings, contacts …), the date, its address
and whether the reader is signed in. A *generation* (seslip/lib/generations.py) names the current
content, and a page is only read back under the generation, date and address it was rendered for,
so a changed or published update is never served stale.

The generation lives in the "shared" cache, which every server process sees (Redis when
REDIS_URL is set, else files on this machine); pages live in "default" (Redis, else each
process's memory). Readers with a session cookie (signed in) are never served a cached page.
"""

import datetime
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from seslip.lib.generations import Generation, current_generation

type View = Callable[..., HttpResponseBase]
PUBLIC = "public"  # the audience of readers who are not signed in
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie: a page showing messages is personal

log = logging.getLogger(__name__)


def public_page(view: View) -> View:
    """Declare `view` a public page: readers who are not signed in are served it from the cache
    while the content and the day are unchanged; everyone gets 304 for a page they have."""

    def cached_view(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        return serve(request, audience(request), lambda: view(request, *args, **kwargs))

    if hasattr(view, "__name__"):
        functools.update_wrapper(cached_view, view)
    cached_view.public_page = True  # type: ignore[attr-defined]
    return cached_view


def serve(
    request: HttpRequest, audience: str | None, render: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    if audience is None:
        return personal_page(request, render())
    if not settings.PAGE_CACHE:
        return uncached_page(request, render())
    try:
        now = timezone.now()
        key = page_key(request, audience)
        version = content_version(current_generation(now), now)
        entry = caches["default"].get(key)
    except Exception:
        log.exception("The page cache is unreachable; serving %s uncached", request.path)
        return personal_page(request, render())
    if entry is None or entry["version"] != version:
        response = render()
        if not is_cacheable(request, response):
            return personal_page(request, response)
        entry = page_entry(cast(HttpResponse, response), now, version)
        caches["default"].set(key, entry)
    return cached_response(request, entry)


def audience(request: HttpRequest) -> str | None:
    """Whom a page is cached for: "public" for readers who are not signed in; None for a page
    rendered for one reader (signed in, or with messages waiting), which is never cached."""
    return None if is_personal(request) else PUBLIC


def is_personal(request: HttpRequest) -> bool:
    """A session cookie means a signed-in reader (logging out deletes it); messages are personal."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES


def page_key(request: HttpRequest, audience: str = PUBLIC) -> str:
    """One entry per address and audience: a page rendered for newer content replaces the stale
    one, so stale copies never pile up in a worker's memory between evictions."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
    return f"page:{audience}:{address}"


def content_version(generation: Generation, now: datetime.datetime) -> str:
    """The content and the day a page was rendered for: an entry of any other version is stale."""
    return f"{generation['token']}:{timezone.localdate(now).isoformat()}"


def is_cacheable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not response.has_header("Cache-Control")
    )


def page_entry(response: HttpResponse, now: datetime.datetime, version: str) -> dict[str, Any]:
    """What is kept of a response: its body, the view's headers, ETag and Last-Modified."""
    set_response_etag(response)
    modified = int(now.timestamp())
    response["Last-Modified"] = http_date(modified)
    return {
        "version": version,
        "content": response.content,
        "headers": dict(response.headers),
        "modified": modified,
    }


def cached_response(request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
    response = HttpResponse(entry["content"], headers=entry["headers"])
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, no_cache=True)  # browsers ask again, with If-None-Match
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=entry["modified"], response=response
    )
    return conditional or response


def personal_page(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """A page rendered for this reader: never stored by shared caches, still answered with 304."""
    return uncached_page(request, response, private=True)


def uncached_page(
    request: HttpRequest, response: HttpResponseBase, *, private: bool = False
) -> HttpResponseBase:
    """A page rendered for this request, answered with 304 when the reader has it already."""
    patch_vary_headers(response, ["Cookie"])
    if private:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, no_cache=True)
    if response.status_code == 200 and not response.streaming:
        page = cast(HttpResponse, response)
        set_response_etag(page)
        return get_conditional_response(request, etag=page["ETag"], response=page) or page
    return response
