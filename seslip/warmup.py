"""Work done ahead so that no reader waits for it.

`warm_up`: what each server process would otherwise repeat on its first requests, done once in
the gunicorn master before it forks its workers (gunicorn.conf.py): the URL patterns loaded and
every template compiled. A worker started after max_requests then serves its first page as fast
as its thousandth. No database connection is opened there.

`after_content_change`: after a write readers can see (a publication), the pages readers hit
first are rendered again for every audience before readers ask, while they are served the
copies from just before the write, for a few seconds at most (seslip/lib/ahead.py). Each page
once for all server processes: one another process is already rendering is left to it, and
where pages are cached in each process's memory (no Redis) the others take the page rendered
here from the files it is left in (seslip/lib/ahead.py `hand_over`).
"""

import logging
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.tasks import task
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver, reverse
from django.utils import timezone

from seslip.lib import ahead, pagecache, roles
from seslip.lib.generations import current_generation

log = logging.getLogger(__name__)
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm_up():
    get_resolver().reverse_dict  # noqa: B018  (loads and indexes every URL pattern)
    return compile_templates()


def compile_templates():
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            for path in directory.rglob("*"):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                try:
                    engine.get_template(str(path.relative_to(directory)))
                    compiled += 1
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError) as error:
                    log.debug("Not compiled ahead: %s (%s)", path, error)
    return compiled


# After a write: the pages readers hit first, rendered again before they ask -------------------

QUEUED_KEY = "page-warming-queued"
QUIET_SECONDS = 0.2
WARM_ROUNDS = 3  # writes arriving while pages are rendered ahead start another round, this often
_warming = threading.Lock()
_again = threading.Event()


def first_pages():
    """The addresses readers hit first after a publication: home, the newest update, the
    archive, the dashboard, the feed and the calendar."""
    from newsletters.models import Issue

    latest = Issue.objects.published().order_by("-number").only("number").first()
    names = ["home", "issue_list", "dashboard", "issue_feed", "calendar"]
    paths = [reverse(name) for name in names]
    return paths[:1] + ([latest.get_absolute_url()] if latest else []) + paths[1:]


def warm_pages():
    """Render the first pages again for every audience under the current content, while readers
    are served the copies from before the write (seslip/lib/ahead.py)."""
    if not settings.PAGE_CACHE:
        return 0
    rendered = 0
    for _ in range(WARM_ROUNDS):
        now = timezone.now()
        generation = current_generation(now)
        version = pagecache.content_version(generation, now)
        for origin in pagecache.origins():
            for path in first_pages():
                for audience in roles.AUDIENCES:
                    rendered += render_once(origin, path, audience, version)
        if current_generation(timezone.now())["token"] == generation["token"]:
            break
    return rendered


def render_once(origin, path, audience, version):
    """1 if this process rendered the page, 0 if another server process is rendering it."""
    key = pagecache.page_key(ahead.request_for(origin, path, audience), audience)
    if not ahead.claim(key, version):
        return 0
    try:
        ahead.render_ahead(origin, path, audience)
    finally:
        ahead.release(key, version)
    return 1


@task
def warm_pages_task():
    return warm_pages()


def after_content_change():
    """Called (settings.AFTER_CONTENT_CHANGE) once a write readers can see is committed:
    settings.PAGE_WARMING says how the first pages are rendered again: "thread" (in this
    process, in the background), "task" (by the task worker), "inline" (now), or "off"."""
    how = settings.PAGE_WARMING
    if how == "inline":
        warm_pages()
    elif how == "task":
        if caches["shared"].add(QUEUED_KEY, True, 1):  # a burst of writes: one task
            warm_pages_task.enqueue()
    elif how == "thread":
        _again.set()
        start_thread_if_idle()


def start_thread_if_idle():
    if _warming.acquire(blocking=False):
        threading.Thread(target=warm_in_background, daemon=True).start()


def warm_in_background():
    """One thread per process at a time. It waits until writes pause (an editor's save writes
    several records; an import, thousands), then renders; writes meanwhile make it go round
    once more."""
    try:
        while _again.is_set():
            _again.clear()
            time.sleep(QUIET_SECONDS)
            if _again.is_set():
                continue
            try:
                warm_pages()
            except Exception:
                log.exception("Rendering the first pages ahead failed; readers will render them")
    finally:
        connections.close_all()
        _warming.release()
    if _again.is_set():  # a write came as this thread finished
        start_thread_if_idle()
