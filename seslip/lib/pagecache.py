"""Cached public pages, one copy per audience, and conditional GET for every reader.

A view declares that it is a public page with `@public_page`; the decorator serves it from the
cache, so the view's errors reach Django's exception handling as any view's do, and no list of
pages is kept apart from the views.

A page depends only on the content (updates, items, meetings, contacts …), the date, its address
and its audience (seslip/lib/roles.py): readers not signed in, DCSs (who read “DCSs only”
material) or other members; `@public_page(per_authority=True)` for a page that shows the
reader's own authority's data, which is cached per authority too. What belongs to one reader
(the "Signed in as" header, messages, a CSRF token) is filled in around the cached body
(seslip/lib/personal.py). A *generation* (seslip/lib/generations.py) names the current content,
and a page is only read back under the generation, date and address it was rendered for, so a
changed or published update is never served stale.

The generation lives in the "shared" cache, which every server process sees (Redis when
REDIS_URL is set, else files on this machine); pages live in "default" (Redis, else each
process's memory). A reader with no session cookie is served without a query; a signed-in
reader too, once their session and who they are (seslip/lib/personal.py `reader`) are in the
cache; their page is never rendered for them alone, and is marked private for shared caches.
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

from seslip.lib import ahead, personal
from seslip.lib.generations import Generation, current_generation
from seslip.lib.roles import PUBLIC

type View = Callable[..., HttpResponseBase]

log = logging.getLogger(__name__)
ORIGINS_KEY = "page-origins"
MAX_ORIGINS = 4
# What a cache entry holds (page_entry): a new format names new keys, so entries kept by an older
# release are never read (1: without the body's "digest", its "cuts" or Vary: Cookie).
ENTRY_FORMAT = 2

# A cached page's Cache-Control (its entry has none: `is_cacheable`), as patch_cache_control writes
# it: browsers ask again each time (with If-None-Match); a signed-in reader's, never shared caches
EVERYONE_S = "no-cache"
READER_S = "private, no-cache"


def public_page(view: View | None = None, *, per_authority: bool = False) -> Any:
    """Declare `view` a public page: it is served from the cache, one copy per audience (and per
    authority with `per_authority`), while the content and the day are unchanged; everyone gets
    304 for a page they have."""

    def decorate(view: View) -> View:
        def cached_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            whom = audience(request, per_authority=per_authority)
            return serve(request, whom, lambda: view(request, *args, **kwargs))

        if hasattr(view, "__name__"):
            functools.update_wrapper(cached_view, view)
        cached_view.public_page = True  # type: ignore[attr-defined]
        return cached_view

    return decorate(view) if view is not None else decorate


def serve(
    request: HttpRequest, audience: str, render: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    if not settings.PAGE_CACHE:
        return uncached_page(request, render(), private=not personal.is_plain_anonymous(request))
    try:
        now = timezone.now()
        key = page_key(request, audience)
        generation = current_generation(now)
        version = content_version(generation, now)
        entry = caches["default"].get(key)
    except Exception:
        log.exception("The page cache is unreachable; serving %s uncached", request.path)
        return uncached_page(request, render(), private=True)
    if entry is None or entry["version"] != version:
        rendered_elsewhere = (
            ahead.handed_over(key, version) if ahead.can_render_ahead(audience) else None
        )
        if rendered_elsewhere is not None:  # by another server process, ahead of its readers
            entry = rendered_elsewhere
            caches["default"].set(key, entry)
        elif entry is not None and may_serve_stale(request, audience, entry, generation, now):
            started = generation["started"]
            ahead.refresh_soon(request, audience, key=key, version=version, written=started)
            return cached_response(request, entry)
        else:
            if not ahead.is_rendering_ahead(request):
                remember_origin(request)
            response = render_for_cache(request, audience, render)
            if not is_cacheable(request, response):
                return uncached_page(request, filled(request, response), private=True)
            entry = page_entry(request, cast(HttpResponse, response), now, version, audience)
            caches["default"].set(key, entry)
            if ahead.is_rendering_ahead(request):
                ahead.hand_over(key, entry)
    if ahead.is_rendering_ahead(request):  # no reader to answer
        return HttpResponse(status=204)
    return cached_response(request, entry)


def audience(request: HttpRequest, *, per_authority: bool = False) -> str:
    """Whom the page is cached for. A reader with no session cookie is not signed in: no query
    is made to know it. `per_authority`: readers answering for different authorities see
    different pages (audience "member:12"), and editors, who see every authority's, their own."""
    rendered_ahead = getattr(request, ahead.RENDERING_AHEAD, None)  # no reader: an audience
    if rendered_ahead is not None:
        return rendered_ahead
    found = personal.reader(request)  # None without a session cookie: no query to know it
    if found is None:
        return PUBLIC
    whom = found["audience"]
    if per_authority and whom != PUBLIC:
        whom = f"{whom}:{found['authority'] or 'none'}{':editor' if found.get('editor') else ''}"
    return whom


def may_serve_stale(
    request: HttpRequest, audience: str, entry: dict[str, Any], generation: Generation, now: Any
) -> bool:
    """For STALE_SECONDS after a write, readers get the copy of the same day from before it
    while it is rendered again, once, after a response (seslip/lib/ahead.py)."""
    started = generation.get("started")
    return (
        settings.PAGE_WARMING != "off"
        and started is not None
        and (now - started).total_seconds() <= ahead.STALE_SECONDS
        and entry["version"].endswith(f":{timezone.localdate(now).isoformat()}")
        and ahead.can_render_ahead(audience)
        and not ahead.is_rendering_ahead(request)
    )


def remember_origin(request: HttpRequest) -> None:
    """The scheme and host readers use, so pages can be rendered ahead for them (a few). Asked
    when a page is rendered, which is rare: not when it is served from the cache."""
    origin = f"{request.scheme}://{request.get_host()}"
    known = caches["shared"].get(ORIGINS_KEY) or []
    if origin not in known:
        caches["shared"].set(ORIGINS_KEY, [*known, origin][-MAX_ORIGINS:], None)


def origins() -> list[str]:
    return caches["shared"].get(ORIGINS_KEY) or []


def render_for_cache(
    request: HttpRequest, audience: str, render: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """The page rendered for its audience, with markers where the reader's own parts go."""
    setattr(request, personal.RENDERING_FOR, audience)
    try:
        return render()
    finally:  # an error page rendered for this request shows the reader's own parts
        delattr(request, personal.RENDERING_FOR)


def filled(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if not response.streaming:
        page = cast(HttpResponse, response)
        page.content = personal.fill(request, page.content)
    return response


def page_key(request: HttpRequest, audience: str = PUBLIC) -> str:
    """One entry per address and audience: a page rendered for newer content replaces the stale
    one, so stale copies never pile up in a worker's memory between evictions."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
    return f"page{ENTRY_FORMAT}:{audience}:{address}"


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


def page_entry(
    request: HttpRequest,
    response: HttpResponse,
    now: datetime.datetime,
    version: str,
    audience: str,
) -> dict[str, Any]:
    """What is kept of a response: its body with markers for the reader's own parts, the view's
    headers, when it was rendered; for readers not signed in, the page they all see, with its
    ETag, so serving it costs nothing more."""
    body = response.content
    cuts = personal.cuts_in(body)
    parts = personal.parts_of(cuts)
    kept = HttpResponse(headers=response.headers)  # served for each reader's cookie
    patch_vary_headers(kept, ["Cookie"])
    headers = dict(kept.headers)
    entry: dict[str, Any] = {"version": version, "body": body, "parts": parts, "headers": headers}
    entry["cuts"] = cuts
    entry["digest"] = hashlib.md5(body, usedforsecurity=False).digest()
    entry["modified"] = int(now.timestamp())
    if audience == PUBLIC and "csrf" not in parts:
        anonymous = HttpResponse(personal.fill_anonymous(body, parts, request.get_full_path()))
        set_response_etag(anonymous)
        entry.update(anonymous=anonymous.content, etag=anonymous["ETag"])
    return entry


def cached_response(request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
    if "anonymous" in entry and personal.is_plain_anonymous(request):
        response = HttpResponse(entry["anonymous"], headers=entry["headers"])
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = last_modified(entry["modified"])
        modified = entry["modified"]
        response["Cache-Control"] = EVERYONE_S  # browsers ask again, with If-None-Match
    else:  # a page for this reader alone: its own ETag, never kept by a shared cache
        response = reader_s_page(request, entry)
        modified = None
        response["Cache-Control"] = READER_S
    if not any(header in request.META for header in CONDITIONS):  # nothing to compare
        return response
    conditional = get_conditional_response(
        request, etag=response["ETag"], last_modified=modified, response=response
    )
    return conditional or response


# The request headers get_conditional_response compares (If-Range it does not support).
CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


@functools.lru_cache(maxsize=256)
def last_modified(timestamp: int) -> str:
    """A cached page's Last-Modified: the few times the pages were rendered at, written once."""
    return http_date(timestamp)


def reader_s_page(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    """The cached page with this reader's own parts, and its ETag: a digest of the cached body's
    and of those parts, not of the whole page again."""
    rendered = personal.rendered_parts(request, entry["parts"])
    body = personal.fill_at(entry["body"], entry["cuts"], rendered)
    response = HttpResponse(body, headers=entry["headers"])
    digest = hashlib.md5(entry["digest"], usedforsecurity=False)
    for name, part in rendered.items():
        digest.update(b"\0%s\0%s" % (name.encode(), part))
    response["ETag"] = f'"{digest.hexdigest()}"'  # quote_etag's, without its pattern
    return response


def uncached_page(
    request: HttpRequest, response: HttpResponseBase, *, private: bool = False
) -> HttpResponseBase:
    """A page rendered for this request, answered with 304 when the reader has it already;
    `private`: rendered for this reader, so never stored by shared caches."""
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
