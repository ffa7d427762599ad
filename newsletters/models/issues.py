"""Updates (Issue): the one definition of published, and the schedule."""

import datetime
from collections.abc import Callable
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from networks.models import Meeting, Triad
from seslip.lib.generations import (
    PublicContent,
    PublicContentQuerySet,
    Write,
    nothing_to_refresh,
)
from seslip.lib.history import HistoricalRecords

from .listings import IssueResource, Placement, published_from_refresher


def is_published(now: datetime.datetime | None = None, *, via: str = "") -> Q:
    """The one definition of public: published, and the publication time has come.

    `via` leads from the model filtered to its update, e.g. "issue__" from a placement: filtering
    through the join lets PostgreSQL look up each row's update instead of listing every
    published update first.
    """
    return Q(**{f"{via}published_at__lte": now or timezone.now()})  # a draft's NULL never matches


class IssueQuerySet(PublicContentQuerySet["Issue"]):
    def published(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(is_published(now))

    def drafts(self) -> Self:
        return self.filter(published_at__isnull=True)

    def with_headlines(self, *, dcs: bool = False, titles_only: bool = False) -> Self:
        """Each update's headline placements, with their items, as `headline_list`: “DCSs only”
        items too for a DCS; `titles_only`, the items' titles and not their text."""
        headlines = Placement.objects.filter(section=Placement.Section.HEADLINE)
        headlines = headlines.select_related("item")
        if not dcs:
            headlines = headlines.filter(item__dcs_only=False)
        if titles_only:
            headlines = headlines.only("issue", "item__title")
        return self.prefetch_related(Prefetch("placements", headlines, to_attr="headline_list"))

    def with_dcs_only_counts(self, *, section: str | None = None, resources: bool = True) -> Self:
        """Each update's count of “DCSs only” items (in `section`, or in all) and Tools &
        Templates (unless not `resources`), as `dcs_only_items` and `dcs_only_resources`: what
        readers who are not DCSs are told was left out for them. Subqueries: no more queries
        than without."""
        items = Placement.objects.filter(issue=OuterRef("pk"), item__dcs_only=True)
        if section is not None:
            items = items.filter(section=section)
        counted = self.annotate(dcs_only_items=count_of(items))
        if not resources:  # a page that lists no Tools & Templates (the home page)
            return counted
        listings = IssueResource.objects.filter(issue=OuterRef("pk"), resource__dcs_only=True)
        return counted.annotate(dcs_only_resources=count_of(listings))

    def scheduled(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(published_at__gt=now or timezone.now())

    def next_publication(self, now: datetime.datetime | None = None) -> datetime.datetime | None:
        """When the next scheduled update is due, or None."""
        scheduled = self.scheduled(now).order_by("published_at")
        return scheduled.values_list("published_at", flat=True).first()

    def years(self) -> list[int]:
        """The years that have an update in this queryset, newest first.

        One pass over the index on (published_at, date): the archive has gaps of whole years.
        """
        return [day.year for day in self.dates("date", "year", order="DESC")]

    def with_neighbours(self, within: "IssueQuerySet") -> Self:
        """Each update's previous and next numbers among the updates `within`, as
        `previous_number` and `next_number` (None at either end): subqueries, one step each along
        the index on number, so an update's page finds them in its own query."""
        before = within.filter(number__lt=OuterRef("number")).order_by("-number")
        after = within.filter(number__gt=OuterRef("number")).order_by("number")
        return self.annotate(
            previous_number=Subquery(before.values("number")[:1]),
            next_number=Subquery(after.values("number")[:1]),
        )

    def neighbours(self, number: int) -> tuple[int | None, int | None]:
        """The numbers of the updates just before and after `number` in this queryset, in one query.

        Each is one step along the index on number, so it costs the same at any archive size.
        """
        before = self.filter(number__lt=number).order_by("-number").values("number")[:1]
        after = self.filter(number__gt=number).order_by("number").values("number")[:1]
        found = Issue.objects.filter(number=number).values_list(Subquery(before), Subquery(after))
        return found.first() or (None, None)


def count_of(rows: models.QuerySet[Any]) -> Coalesce:
    """The number of `rows` (a queryset of one update's listings) as a subquery, 0 for none."""
    counted = rows.order_by().values("issue").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def next_publication(now: datetime.datetime) -> datetime.datetime | None:
    """When the next scheduled update is due, or None (settings.NEXT_PUBLICATION names this)."""
    return Issue.objects.next_publication(now)


class Issue(PublicContent):
    """One weekly update ("UPDATE NO n")."""

    changes_schedule = True  # its publication time decides when readers see it

    number = models.PositiveIntegerField(
        unique=True,
        error_messages={"unique": "There is already an update with this number."},
        help_text="The update's number as printed (“UPDATE NO 349”). Numbers skip weeks, so type it.",
    )
    date = models.DateField(null=True, blank=True, help_text="The date printed on the update.")
    intro = models.TextField(blank=True, help_text="The opening paragraphs, above the news items.")
    improvement_plan = models.CharField(
        max_length=500,
        blank=True,
        help_text="The Regional Improvement Plan sentence, e.g. “Our Regional Improvement Plan for "
        "2019-20 can be found here.”",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty: a draft. In the future: scheduled. Readers see the update from this time on.",
    )
    meetings = models.ManyToManyField(
        Meeting, through="IssueMeeting", blank=True, related_name="issues"
    )
    triads = models.ManyToManyField(
        Triad,
        blank=True,
        related_name="issues",
        help_text="Peer-challenge triads this update lists.",
    )
    printed_triads = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the update printed about each triad (by id), kept once it is published.",
    )
    source_name = models.CharField(
        max_length=300, blank=True, help_text="The archive file this update was imported from."
    )
    source_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["source_sha256", "printed_triads"])

    class Meta:
        ordering = ["-number"]
        verbose_name = "update"
        indexes = [  # counting and dating the published updates reads this index alone
            models.Index(fields=["published_at", "date"], name="issue_published_date")
        ]

    def __str__(self):
        return f"Update {self.number}"

    def get_absolute_url(self) -> str:
        try:
            return reverse("issue_detail", args=[self.number])
        except NoReverseMatch:
            return ""

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    def check_publishable(self) -> None:
        problems = []
        if not self.date:
            problems.append("it has no date")
        if not self.placements.filter(section=Placement.Section.HEADLINE).exists():
            problems.append("it has no headline items")
        if problems:
            raise ValidationError(
                f"Update {self.number} cannot be published: {' and '.join(problems)}."
            )

    @classmethod
    def derived_refresher(cls, write: Write) -> Callable[[], None]:
        """What an update lists is seen from its publication time: a write of the publication
        time, or a deletion, changes when its news items and resources are first published."""
        if write.kind == "create" or (
            write.values is not None and "published_at" not in write.values
        ):
            return nothing_to_refresh
        issues = write.rows if write.rows is not None else [o.pk for o in write.objs if o.pk]
        return published_from_refresher(issues, using=write.using)

    def publish(self, at: datetime.datetime | None = None) -> None:
        """Publish now or at `at`, and queue the e-mail edition for that moment."""
        from ..mailing.services import queue_edition

        self.check_publishable()
        self.published_at = at or timezone.now()
        with transaction.atomic(using=self._state.db):
            self.save(update_fields=["published_at", "updated_at"])
            queue_edition(issue=self)

    def unpublish(self) -> None:
        self.published_at = None
        self.save(update_fields=["published_at", "updated_at"])

    def headlines(self) -> models.QuerySet[Placement]:
        return self.placements.filter(section=Placement.Section.HEADLINE)

    def reminders(self) -> models.QuerySet[Placement]:
        return self.placements.filter(section=Placement.Section.REMINDER)
