"""The content generation: a token naming the content readers see, renewed by every write.

Public pages are cached under the generation they were rendered in (seslip/lib/pagecache.py), so a page
is never served after a write that changed it. Every model readers see inherits PublicContent,
whose save and delete (and its querysets' bulk writes) call `content_changed()` directly. A
many-to-many relation between such records (issue.triads.add(t), item.networks.set(…)) is
written by Django's related managers, which save neither record: `relation_changed` hears of it.
The generation also records when the next scheduled update is due; the first request after
that moment starts a new generation, so the update appears on time. This is the bottom layer, so
it cannot import the app that knows the schedule: settings.NEXT_PUBLICATION names that function
(a dotted path, as AUTH_USER_MODEL names a model), so the dependency is declared where a reader
finds it rather than injected at start-up.

A run of many writes in one transaction (an import writes hundreds of records) opens a
`write_batch()`: inside it, derived data is refreshed and the generation started once, at the
batch's end (still inside its transaction, so what commits is whole), not after every write.
"""

import datetime
import functools
import logging
import secrets
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import models, transaction
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string

from seslip.lib import sharedfiles

GENERATION_KEY = "content-generation"
# {"token": names the content, "next_due": when the next update is due, "checked": when looked up,
#  "started": when this content was written}
type Generation = dict[str, Any]
# Even without a write, the time of the next scheduled update is looked up again this often: a
# bound on the effect of two editors' publications racing, or of a write made outside Django.
RECHECK_SECONDS = 15 * 60

log = logging.getLogger(__name__)


@dataclass
class WriteBatch:
    """What the writes of a `write_batch()` left to do at its end."""

    changed: bool = False  # a new generation is due
    schedule: bool = False  # …and the time of the next scheduled update may have changed
    # (refresh, database) -> the ids of the rows to refresh; None for every row
    refreshes: dict[tuple[Callable[..., None], str], set | None] = field(default_factory=dict)


current_batch: ContextVar[WriteBatch | None] = ContextVar("current_batch", default=None)


@contextmanager
def write_batch(*, using: str = "default") -> Iterator[None]:
    """Many writes in one transaction (which this opens): each derived value they change is
    refreshed once, and one new generation started, when the block ends, before it commits, so
    every committed change still reaches readers at once. Code inside must not read derived
    values it has just changed (a news item's `published_from`) nor render public pages.
    A batch inside a batch is part of it."""
    if current_batch.get() is not None:
        yield
        return
    batch = WriteBatch()
    with transaction.atomic(using=using):
        token = current_batch.set(batch)
        try:
            yield
            while batch.refreshes:  # a refresh's own writes may ask for more
                (refresh, database), ids = batch.refreshes.popitem()
                refresh(ids, using=database)
        finally:
            current_batch.reset(token)
        if batch.changed:
            content_changed(schedule=batch.schedule)


def refresh_after_writes(
    refresh: Callable[..., None], ids: Collection | None, *, using: str = "default"
) -> None:
    """Call `refresh(ids, using=using)` (ids None: every row) now, or in a `write_batch()` once
    at its end, with every id asked for during it."""
    batch = current_batch.get()
    if batch is None:
        refresh(ids, using=using)
        return
    pending = batch.refreshes.get((refresh, using), set())
    if pending is not None:
        batch.refreshes[(refresh, using)] = None if ids is None else pending | set(ids)


def content_changed(*, schedule: bool = False) -> None:
    """Start a new generation; call after any write readers could see.

    `schedule`: the write may have changed when the next scheduled update is due. Inside a
    transaction the generation changes now (this process reads its own writes) and again on
    commit, when other processes can see them. In a `write_batch()`, once at its end.
    """
    batch = current_batch.get()
    if batch is not None:
        batch.changed = True
        batch.schedule = batch.schedule or schedule
        return
    start_generation(schedule=schedule)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        after_change()
    elif not any(func is start_generation_after_commit for _, func, _ in connection.run_on_commit):
        transaction.on_commit(start_generation_after_commit)


def start_generation_after_commit() -> None:
    start_generation(schedule=True)
    after_change()


def after_change() -> None:
    """Tell settings.AFTER_CONTENT_CHANGE (a dotted path: seslip/warmup.py renders the first
    pages again) that a write readers can see is committed."""
    source = after_change_source(settings.AFTER_CONTENT_CHANGE)
    if source is None:
        return
    try:
        source()
    except Exception:  # the write stands; readers render the pages themselves
        log.exception("Could not start rendering pages ahead after a write")


def start_generation(*, schedule: bool) -> None:
    shared = caches["shared"]
    try:
        current = None if schedule else shared.get(GENERATION_KEY)
        shared.set(GENERATION_KEY, new_generation(timezone.now(), current), None)
    except Exception:  # the write stands; an unreachable cache serves no pages either
        log.exception("Could not start a new content generation in the shared cache")


def new_generation(now: datetime.datetime, current: Generation | None = None) -> Generation:
    token = secrets.token_hex(8)
    if current is None:
        return {"token": token, "next_due": next_publication(now), "checked": now, "started": now}
    return {**current, "token": token, "started": now}


def next_publication(now: datetime.datetime) -> datetime.datetime | None:
    """When the next scheduled update is due, or None: asks settings.NEXT_PUBLICATION."""
    source = next_publication_source(settings.NEXT_PUBLICATION)
    return source(now) if source else None


@functools.cache
def next_publication_source(path: str) -> Callable[[datetime.datetime], Any] | None:
    return import_string(path) if path else None


@functools.cache
def after_change_source(path: str) -> Callable[[], Any] | None:
    return import_string(path) if path else None


def current_generation(now: datetime.datetime) -> Generation:
    """The generation readers are served under: read on every page served from the cache, so
    through seslip/lib/sharedfiles.py (unpickled only after a write when the cache is files)."""
    shared = caches["shared"]
    generation = sharedfiles.get(shared, GENERATION_KEY)
    if generation is None or is_out_of_date(generation, now):
        generation = new_generation(now)
        shared.set(GENERATION_KEY, generation, None)
    return dict(generation)  # the caller's own: the one kept for the file stays as read


def is_out_of_date(generation: Generation, now: datetime.datetime) -> bool:
    due = generation["next_due"]
    return (due is not None and now >= due) or (
        (now - generation["checked"]).total_seconds() >= RECHECK_SECONDS
    )


@dataclass
class Write:
    """A write of records readers see, described to their model before it is made.

    `kind`: "save" (one record, new or not), "create" (bulk_create), "update" (a queryset's
    update) or "delete" (one record, or a queryset). `rows`: the records already in the database
    that the write changes (a queryset, not yet read), if any. `objs`: the instances saved,
    created or deleted, as they will be written. `values`: the fields written with their new
    values; None when a save writes every field.
    """

    kind: str
    rows: models.QuerySet | None = None
    objs: list = field(default_factory=list)
    values: dict | None = None
    using: str = "default"


def nothing_to_refresh() -> None:
    pass


class PublicContentQuerySet[M: PublicContent](models.QuerySet[M]):
    """Bulk writes keep derived data current and start a new generation too. Each model's
    queryset names its model (`class IssueQuerySet(PublicContentQuerySet["Issue"])`), so that
    its reads are typed with it."""

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        objs = list(objs)
        refresh = self.model.derived_refresher(Write("create", objs=objs, using=self.db))
        created = super().bulk_create(objs, *args, **kwargs)
        refresh()
        content_changed(schedule=self.model.changes_schedule)
        return created

    def update(self, **kwargs: Any) -> int:
        write = Write("update", rows=self, values=kwargs, using=self.db)
        refresh = self.model.derived_refresher(write)
        count = super().update(**kwargs)
        refresh()
        content_changed(schedule=self.model.changes_schedule)
        return count

    update.alters_data = True  # type: ignore[attr-defined]

    def delete(self) -> tuple[int, dict[str, int]]:
        refresh = self.model.derived_refresher(Write("delete", rows=self, using=self.db))
        deleted = super().delete()
        refresh()
        content_changed(schedule=self.model.changes_schedule)
        return deleted

    delete.alters_data = True  # type: ignore[attr-defined]


class PublicContent(models.Model):
    """A record readers see on the public pages. Every write of it, one record or in bulk, tells
    its model's `derived_refresher` first, and starts a new generation after.

    A model with reads of its own declares `objects: ClassVar = XQuerySet.as_manager()`, XQuerySet
    subclassing `PublicContentQuerySet["X"]`: mypy (django-stubs) takes a model's manager for a
    class variable, which a plain assignment would override with an instance variable."""

    changes_schedule = False  # True where a write can change when the next update is due

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or self._state.db or "default"
        fields = kwargs.get("update_fields")
        existing = (
            None if self._state.adding else type(self).objects.using(using).filter(pk=self.pk)
        )
        write = Write(
            "save",
            rows=existing,
            objs=[self],
            values=None if fields is None else dict.fromkeys(fields),
            using=using,
        )
        refresh = type(self).derived_refresher(write)
        super().save(*args, **kwargs)
        refresh()
        content_changed(schedule=self.changes_schedule)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        using = kwargs.get("using") or self._state.db or "default"
        write = Write("delete", objs=[self], using=using)
        refresh = type(self).derived_refresher(write)
        deleted = super().delete(*args, **kwargs)
        refresh()
        content_changed(schedule=self.changes_schedule)
        return deleted

    @classmethod
    def derived_refresher(cls, write: Write) -> Callable[[], None]:
        """Read, before `write` is made, which values derived from these records it changes
        (kept on other rows, such as a news item's `published_from`); return the function that
        brings them up to date once it is made. The database keeps the rest (search vectors)."""
        return nothing_to_refresh


@receiver(m2m_changed)
def relation_changed(*, instance: models.Model, model: type, action: str, **kwargs: Any) -> None:
    """A many-to-many relation that readers see changed: Django's related managers write its
    table (and tell no model's save or queryset), and send this signal for every such write.
    Relations through a PublicContent model already start a generation; one more is harmless."""
    if action.startswith("post_") and (
        isinstance(instance, PublicContent) or issubclass(model, PublicContent)
    ):
        content_changed(
            schedule=any(getattr(side, "changes_schedule", False) for side in (instance, model))
        )
