"""The content generation: a token naming the content readers see, renewed by every write.

Public pages are cached under the generation they were rendered in (seslip/cache.py), so a page
is never served after a write that changed it. Every model readers see inherits PublicContent,
whose save and delete (and its querysets' bulk writes) call `content_changed()` directly. A
many-to-many relation between such records (issue.triads.add(t), item.networks.set(…)) is
written by Django's related managers, which save neither record: `relation_changed` hears of it.
The generation also records when the next scheduled update is due; the first request after
that moment starts a new generation, so the update appears on time. This is the bottom layer, so
it cannot import the app that knows the schedule: settings.NEXT_PUBLICATION names that function
(a dotted path, as AUTH_USER_MODEL names a model), so the dependency is declared where a reader
finds it rather than injected at start-up.
"""

import functools
import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

GENERATION_KEY = "content-generation"
# Even without a write, the time of the next scheduled update is looked up again this often: a
# bound on the effect of two editors' publications racing, or of a write made outside Django.
RECHECK_SECONDS = 15 * 60

log = logging.getLogger(__name__)


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
    """When the next scheduled update is due, or None: asks settings.NEXT_PUBLICATION."""
    source = next_publication_source(settings.NEXT_PUBLICATION)
    return source(now) if source else None


@functools.cache
def next_publication_source(path):
    return import_string(path) if path else None


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


@receiver(m2m_changed)
def relation_changed(*, instance, model, action, **kwargs):
    """A many-to-many relation that readers see changed: Django's related managers write its
    table (and tell no model's save or queryset), and send this signal for every such write.
    Relations through a PublicContent model already start a generation; one more is harmless."""
    if action.startswith("post_") and (
        isinstance(instance, PublicContent) or issubclass(model, PublicContent)
    ):
        content_changed(
            schedule=getattr(instance, "changes_schedule", False) or model.changes_schedule
        )
