"""Pages rendered ahead of readers, so that nobody waits for a render after a write.

After a write readers can see, a cached page is stale. For STALE_SECONDS after the write its
readers are served the copy of the same day from before it (stale-while-revalidate), and the
page is rendered again here, in the background of this server process, once (seslip/lib/
pagecache.py asks `refresh_soon`). seslip/warmup.py also renders the pages readers hit first
right after the write. A page rendered ahead is rendered for an audience, not for a reader: a
stand-in account of that audience, with no name, and the reader's own parts left as markers.

settings.PAGE_WARMING: "thread" or "task" (the background of the server process), "inline"
(at once, for tests and scripts), "off" (readers always get the latest page, and render it).
"""

import io
import logging
import queue
import threading
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections
from django.http import HttpRequest
from django.urls import resolve

from seslip.lib import roles

STALE_SECONDS = 5  # the longest a reader is served a page from before the latest write
RENDERING_AHEAD = "page_rendered_ahead_for"  # the request attribute: the audience rendered for

log = logging.getLogger(__name__)
_jobs: queue.Queue[tuple[str, str, str]] = queue.Queue()
_pending: set[tuple[str, str, str]] = set()
_lock = threading.Lock()
_worker: list[threading.Thread] = []


class StandIn:
    """The account a page is rendered ahead for: any reader of an audience."""

    is_authenticated = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    is_active = True
    pk = id = None

    def __init__(self, *groups: str) -> None:
        self._group_names = frozenset(groups)  # what seslip.lib.roles asks


STAND_INS: dict[str, Any] = {
    roles.PUBLIC: AnonymousUser,
    roles.DCS_AUDIENCE: lambda: StandIn(roles.DCSS),
    roles.MEMBER: lambda: StandIn(roles.LEADS),
}


def can_render_ahead(audience: str) -> bool:
    """Pages of one authority (audience "member:12") are rendered by their readers."""
    return audience in STAND_INS


def is_rendering_ahead(request: HttpRequest) -> bool:
    return hasattr(request, RENDERING_AHEAD)


def request_for(origin: str, address: str, audience: str) -> HttpRequest:
    """A GET of `address` (path and query) at `origin` (scheme://host) by the audience."""
    scheme, host = origin.split("://", 1)
    name, _, port = host.partition(":")
    path, _, query = address.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": name,
        "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
        "HTTP_HOST": host,
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(),
    }
    request = WSGIRequest(environ)
    request.user = STAND_INS[audience]()
    setattr(request, RENDERING_AHEAD, audience)
    return request


def render_ahead(origin: str, address: str, audience: str) -> None:
    """Render the page at `address` for `audience` into the page cache."""
    match = resolve(address.partition("?")[0])
    match.func(request_for(origin, address, audience), *match.args, **match.kwargs)


def refresh_soon(request: HttpRequest, audience: str) -> None:
    """Render the page `request` asks for again, for its audience, in the background of this
    process; once, however many readers ask for it meanwhile."""
    job = (f"{request.scheme}://{request.get_host()}", request.get_full_path(), audience)
    if settings.PAGE_WARMING == "inline":
        render_ahead(*job)
        return
    with _lock:
        if job in _pending:
            return
        _pending.add(job)
        if not _worker or not _worker[0].is_alive():
            _worker[:] = [threading.Thread(target=work, name="pages-ahead", daemon=True)]
            _worker[0].start()
    _jobs.put(job)


def work() -> None:
    while True:
        job = _jobs.get()
        try:
            close_old_connections()  # as a request does: a broken or old connection replaced
            render_ahead(*job)
        except Exception:
            log.exception("Rendering %s ahead failed; its next reader renders it", job[1])
        finally:
            with _lock:
                _pending.discard(job)
