"""Cached public pages for readers who are not signed in, and conditional GET for every reader.

A page depends only on the content (updates, items, meetings, contacts …), the date, its address
and whether the reader is signed in. A *generation* names the current content: every write readers
could see starts a new one (`content_changed()`, called by the models' save and delete and by
their querysets' bulk writes), and a page is only read back under the generation, date and
address it was rendered for, so a changed or published update is never served stale. The
generation also records when the next scheduled update is due; the first request after that
moment starts a new generation, so the update appears on time.

The generation lives in the "shared" cache, which every server process sees (Redis when
REDIS_URL is set, else files on this machine); pages live in "default" (Redis, else each
process's memory). Readers with a session cookie (signed in) are never served a cached page.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

PUBLIC_PAGES = frozenset(
    {
        "home",
        "dashboard",
        "search",
        "issue_list",
        "issue_detail",
        "issue_feed",
        "calendar",
        "network_calendar",
        "meeting_ics",
        "action_ics",
        "network_list",
        "network_detail",
        "peer_challenge",
        "contact_list",
    }
)
GENERATION_KEY = "content-generation"
# Even without a write, the time of the next scheduled update is looked up again this often: a
# bound on the effect of two editors' publications racing, or of a write made outside Django.
RECHECK_SECONDS = 15 * 60
MESSAGES_COOKIE = "messages"  # django.contrib.messages' cookie: a page showing messages is personal

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- generations (invalidation)


def content_changed(*, schedule=False):
    """Start a new generation; call after any write readers could see.

    `schedule`: the write may have changed when the next scheduled update is due. Inside a
    transaction the generation changes now (this process reads its own writes) and again on
    commit, when other processes can see them.
    """
    start_generation(schedule=schedule)
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is start_generation_after_commit for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(start_generation_after_commit)


def start_generation_after_commit():
    start_generation(schedule=True)


def start_generation(*, schedule):
    shared = caches["shared"]
    try:
        current = None if schedule else shared.get(GENERATION_KEY)
        shared.set(GENERATION_KEY, new_generation(timezone.now(), current), None)
    except Exception:  # the write stands; an unreachable cache serves no pages either
        log.exception("Could not start a new content generation in the shared cache")


def new_generation(now, current=None):
    token = secrets.token_hex(8)
    if current is None:
        return {"token": token, "next_due": next_publication(now), "checked": now}
    return {**current, "token": token}


def next_publication(now):
    from newsletters.models import Issue  # seslip depends on newsletters, not the other way

    scheduled = Issue.objects.scheduled(now).order_by("published_at")
    return scheduled.values_list("published_at", flat=True).first()


def current_generation(now):
    shared = caches["shared"]
    generation = shared.get(GENERATION_KEY)
    if generation is None or is_out_of_date(generation, now):
        generation = new_generation(now)
        shared.set(GENERATION_KEY, generation, None)
    return generation


def is_out_of_date(generation, now):
    due = generation["next_due"]
    return (due is not None and now >= due) or (
        (now - generation["checked"]).total_seconds() >= RECHECK_SECONDS
    )


class PublicContentQuerySet(models.QuerySet):
    """Bulk writes start a new generation too."""

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        content_changed(schedule=self.model.changes_schedule)
        return created

    def update(self, **kwargs):
        count = super().update(**kwargs)
        content_changed(schedule=self.model.changes_schedule)
        return count

    update.alters_data = True

    def delete(self):
        deleted = super().delete()
        content_changed(schedule=self.model.changes_schedule)
        return deleted

    delete.alters_data = True


class PublicContent(models.Model):
    """A record readers see on the public pages: writing it starts a new generation."""

    changes_schedule = False  # True where a write can change when the next update is due

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.refresh_derived(kwargs.get("update_fields"))
        content_changed(schedule=self.changes_schedule)

    def refresh_derived(self, update_fields):
        """Recompute values the database derives from this record, before readers see it."""

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        content_changed(schedule=self.changes_schedule)
        return deleted


# ---------------------------------------------------------------- serving


class PublicPageCacheMiddleware:
    """Serves the PUBLIC_PAGES from the cache to readers who are not signed in.

    Last in MIDDLEWARE: the response still passes back through the others (CSP, framing …).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match.view_name not in PUBLIC_PAGES:
            return None
        if is_personal(request):
            return personal_page(request, view(request, *args, **kwargs))
        try:
            now = timezone.now()
            key = page_key(request, current_generation(now), now)
            entry = caches["default"].get(key)
        except Exception:
            log.exception("The page cache is unreachable; serving %s uncached", request.path)
            return personal_page(request, view(request, *args, **kwargs))
        if entry is None:
            response = view(request, *args, **kwargs)
            if not is_cacheable(request, response):
                return personal_page(request, response)
            entry = page_entry(response, now)
            caches["default"].set(key, entry)
        return cached_response(request, entry)


def is_personal(request):
    """A session cookie means a signed-in reader (logging out deletes it); messages are personal."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES


def page_key(request, generation, now):
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:40]
    return f"page:{generation['token']}:{timezone.localdate(now).isoformat()}:{address}"


def is_cacheable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and not response.has_header("Cache-Control")
    )


def page_entry(response, now):
    """What is kept of a response: its body, the view's headers, ETag and Last-Modified."""
    set_response_etag(response)
    modified = int(now.timestamp())
    response["Last-Modified"] = http_date(modified)
    return {"content": response.content, "headers": dict(response.headers), "modified": modified}


def cached_response(request, entry):
    response = HttpResponse(entry["content"], headers=entry["headers"])
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, no_cache=True)  # browsers ask again, with If-None-Match
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=entry["modified"],
        response=response,
    )


def personal_page(request, response):
    """A page rendered for this reader: never stored by shared caches, still answered with 304."""
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, no_cache=True)
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
        return get_conditional_response(request, etag=response["ETag"], response=response)
    return response
