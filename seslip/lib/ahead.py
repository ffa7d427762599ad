"""Pages rendered ahead of readers, so that nobody waits for a render after a write.

After a write readers can see, a cached page is stale. For STALE_SECONDS after the write its
readers are served the copy of the same day from before it (stale-while-revalidate), and the
page is rendered again here, once (seslip/lib/pagecache.py asks `refresh_soon`).
seslip/warmup.py also renders the pages readers hit first right after the write. A page
rendered ahead is rendered for an audience, not for a reader: a stand-in account of that
audience, with no name, and the reader's own parts left as markers.

Once for every server process, not once in each: the first to ask claims the page (an `add` in
the cache every process sees, `store()`), renders it and leaves it there; the others serve the
copy from before until it is there. Where pages live in each process's memory (no Redis), the
page rendered is also left in a folder of files beside the shared cache's, from which the other
processes take it (`handed_over`) instead of rendering it again.

After the response, not beside it: the server process renders the page once it has sent the
reader the copy from before (`request_finished`, when the WSGI server closes the response). A
gunicorn sync worker takes no new connection meanwhile, so the other workers serve readers; a
thread rendering beside the requests of its process would slow each of them down (Python runs
one thread at a time). A burst of writes (an editor's save writes several records) is waited
out: a page is rendered again once the content is QUIET_SECONDS old.

settings.PAGE_WARMING: "thread" or "task" (after the response, as above), "inline" (at once,
for tests and scripts), "off" (readers always get the latest page, and render it).
"""

import datetime
import functools
import hashlib
import io
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import resolve
from django.utils import timezone

from seslip.lib import roles

STALE_SECONDS = 5  # the longest a reader is served a page from before the latest write
QUIET_SECONDS = 0.2  # a page is rendered again once the content is this old: the writes paused
RENDERING_AHEAD = "page_rendered_ahead_for"  # the request attribute: the audience rendered for
# Pages left by one server process for the others (no Redis): kept this long, at most this many
HANDED_OVER_SECONDS = 10 * 60
HANDED_OVER_PAGES = 2000
HANDED_OVER_FOLDER = "pages-rendered-ahead"

log = logging.getLogger(__name__)
_after_response = threading.local()  # .jobs: the pages this thread renders after its response


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


# Once for every server process ---------------------------------------------------------------


def store() -> BaseCache:
    """Where pages rendered ahead are claimed, and left for every server process: the page cache
    itself where every process reads it (Redis); where pages live in each process's memory, a
    folder of files beside the shared cache's, with room of its own (pages never push out what
    the shared cache keeps: signed-in readers' sessions)."""
    folder = files_folder()
    if folder is None:
        return caches["default"]
    return files_in(str(folder), str(settings.CACHES["shared"].get("KEY_PREFIX", "")))


def files_folder() -> Path | None:
    """The folder pages rendered ahead are left in (and claimed in), or None where every
    process reads the page cache itself (or there is no folder shared by the processes)."""
    default, shared = settings.CACHES["default"], settings.CACHES["shared"]
    if str(default["BACKEND"]).endswith("LocMemCache") and str(shared["BACKEND"]).endswith(
        "FileBasedCache"
    ):
        return Path(str(shared["LOCATION"])) / HANDED_OVER_FOLDER
    return None


@functools.cache
def files_in(folder: str, prefix: str) -> BaseCache:
    return FileBasedCache(
        folder,
        {
            "KEY_PREFIX": prefix,
            "TIMEOUT": HANDED_OVER_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": HANDED_OVER_PAGES},
        },
    )


def hands_over() -> bool:
    """Pages rendered ahead are left for the other processes apart from the page cache."""
    return settings.PAGE_WARMING != "off" and store() is not caches["default"]


def handed_over(key: str, version: str) -> dict[str, Any] | None:
    """The page cache's entry `key` of `version` if another process rendered it ahead, else None."""
    if not hands_over():
        return None
    try:
        entry = store().get(key)
    except Exception:
        log.exception("Pages rendered ahead could not be read; this process renders its own")
        return None
    return entry if entry is not None and entry.get("version") == version else None


def hand_over(key: str, entry: dict[str, Any]) -> None:
    """Leave the entry just rendered ahead for the other server processes (no Redis)."""
    if not hands_over():
        return
    try:
        store().set(key, entry)
    except Exception:
        log.exception("A page rendered ahead could not be left for the other processes")


def claim(key: str, version: str) -> bool:
    """True for the first to ask to render the page `key` for `version`, in any server process
    (until it is done, or STALE_SECONDS have passed: a process that died held it no longer)."""
    try:
        folder = files_folder()
        if folder is not None:
            return claim_file(folder / claim_file_name(key, version))
        return bool(store().add(claim_key(key, version), True, STALE_SECONDS))
    except Exception:
        log.exception("Could not claim %s; rendering it here", key)
        return True


def release(key: str, version: str) -> None:
    try:
        folder = files_folder()
        if folder is not None:
            (folder / claim_file_name(key, version)).unlink(missing_ok=True)
        else:
            store().delete(claim_key(key, version))
    except Exception:
        log.exception("Could not release the claim on %s; it lapses by itself", key)


def claim_key(key: str, version: str) -> str:
    return f"ahead:{key}:{version}"


def claim_file_name(key: str, version: str) -> str:
    name = hashlib.md5(claim_key(key, version).encode(), usedforsecurity=False).hexdigest()
    # Not a cache entry (*.djcache): the file cache never reads nor culls it (remove_lapsed_claims
    # does).
    return f"{name}.claim"


def claim_file(path: Path) -> bool:
    """Create `path` if nobody has (O_EXCL: one process wins), once the claims that have lapsed
    are gone (remove_lapsed_claims). Not the file cache's `add`, which asks whether its file is
    there, then writes one: processes asking at once all got it (three of five in the bench).
    With Redis the claim is the page cache's `add` (SET NX: one wins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_lapsed_claims(path.parent)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return False
    return True


def remove_lapsed_claims(folder: Path) -> None:
    """Claims older than STALE_SECONDS: their process died while rendering. One on the same page
    is taken over; one on content since changed is never asked for again, and the file cache
    culls only its own files."""
    lapsed = time.time() - STALE_SECONDS
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.name.endswith(".claim"):
                continue
            try:
                if entry.stat().st_mtime < lapsed:
                    os.unlink(entry.path)
            except FileNotFoundError:
                pass  # released, or removed by another process, meanwhile


# After the response --------------------------------------------------------------------------


def refresh_soon(
    request: HttpRequest, audience: str, *, key: str, version: str, written: datetime.datetime
) -> None:
    """Render the page `request` asks for again, for its audience, under `version` (content
    written at `written`): once in all server processes, after this response is sent."""
    job = (f"{request.scheme}://{request.get_host()}", request.get_full_path(), audience)
    if settings.PAGE_WARMING == "inline":
        render_ahead(*job)
        return
    if (timezone.now() - written).total_seconds() < QUIET_SECONDS:
        return  # more writes may follow: a reader after them asks
    if not claim(key, version):
        return  # being rendered, here or in another process
    jobs = getattr(_after_response, "jobs", None)
    if jobs is None:
        jobs = _after_response.jobs = []
    jobs.append((job, key, version))


@receiver(request_finished, dispatch_uid="seslip.lib.ahead.render_after_response")
def render_after_response(**kwargs: Any) -> None:
    """The pages this thread's request claimed, rendered now that its response is sent."""
    jobs = getattr(_after_response, "jobs", None)
    if not jobs:
        return
    _after_response.jobs = []
    for job, key, version in jobs:  # on the request's database connection, which Django's own
        try:  # receiver (close_old_connections) has just closed if it was broken or too old
            render_ahead(*job)
        except Exception:
            log.exception("Rendering %s ahead failed; its next reader renders it", job[1])
        finally:
            release(key, version)
