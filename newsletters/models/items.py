"""News items, their actions, and Tools & Templates resources: who may read them, and when."""

import datetime
from collections.abc import Callable
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.expressions import Expression
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from contacts.models import Contact, Organisation
from networks.models import Network
from seslip.lib.generations import PublicContent, PublicContentQuerySet, Write
from seslip.lib.history import HistoricalRecords
from seslip.lib.search import SearchIndex, search_vector_of

from ..html import RICH_TEXT_EXTENSIONS, clean_html
from .issues import Issue, is_published
from .listings import IssueResource, Placement, refresh_own_published_from


def is_readable_item(
    *, dcs: bool = False, now: datetime.datetime | None = None, via: str = ""
) -> Q:
    """The one definition of a news item readers may see: its first update is published, and
    unless the reader is a DCS it is not for DCSs only. `via` leads to the item, e.g. "item__"."""
    readable = Q(**{f"{via}published_from__lte": now or timezone.now()})
    return readable if dcs else readable & Q(**{f"{via}dcs_only": False})


def is_readable_resource(*, dcs: bool = False, now: datetime.datetime | None = None) -> Q:
    """The one definition of a Tools & Templates resource readers may see: the first update
    listing it is published, and unless the reader is a DCS it is not for DCSs only."""
    readable = Q(published_from__lte=now or timezone.now())
    return readable if dcs else readable & Q(dcs_only=False)


def latest_published_issue_number(
    item_ref: Expression | OuterRef, now: datetime.datetime | None = None
) -> Subquery:
    # Max, not ORDER BY … LIMIT 1: PostgreSQL would walk every update by number for each row.
    placements = Placement.objects.filter(is_published(now, via="issue__"), item=item_ref)
    latest = placements.order_by().values("item").annotate(latest=Max("issue__number"))
    return Subquery(latest.values("latest"))


class NewsItemQuerySet(PublicContentQuerySet["NewsItem"]):
    def public(self) -> Self:
        """Items readers may see: in a published update, and not for DCSs only."""
        return self.readable(dcs=False)

    def readable(self, *, dcs: bool = False, now: datetime.datetime | None = None) -> Self:
        """Items in a published update; “DCSs only” items too when the reader is a DCS."""
        return self.filter(is_readable_item(dcs=dcs, now=now))

    def with_issue_number(self, now: datetime.datetime | None = None) -> Self:
        """Annotate `issue_number`: the latest published update the item ran in."""
        return self.annotate(issue_number=latest_published_issue_number(OuterRef("pk"), now))


class NewsItem(PublicContent):
    """A story the update runs: first as a headline, then perhaps as a reminder in later weeks."""

    title = models.CharField(max_length=500)
    update_text = ProseEditorField(
        blank=True,
        extensions=RICH_TEXT_EXTENSIONS,
        sanitize=clean_html,
        help_text="What has happened: the body of the item.",
    )
    action_text = ProseEditorField(
        blank=True,
        extensions=RICH_TEXT_EXTENSIONS,
        sanitize=clean_html,
        verbose_name="Action required",
        help_text="The “Action Required” part.",
    )
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="news_items", help_text="People the item names."
    )
    networks = models.ManyToManyField(Network, blank=True, related_name="news_items")
    authorities = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="news_items",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_AUTHORITY},
        help_text="Local authorities the item names.",
    )
    dcs_only = models.BooleanField(
        "DCSs only",
        default=False,
        help_text="Only signed-in Directors of Children's Services see it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = search_vector_of(("A", "title"), ("B", "update_text", "action_text"))
    published_from = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the first update that runs it is published: readers see it from then on. "
        "Kept by the placements and the updates' publication times.",
    )

    objects: ClassVar = NewsItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "published_from"])

    class Meta:
        ordering = ["title"]
        verbose_name = "news item"
        indexes = [
            # A network's latest news: newest first, a few steps whatever the archive's size.
            models.Index(fields=["published_from", "id"], name="newsitem_published_from"),
            SearchIndex(fields=["search_vector"], name="newsitem_search_vector"),
            # Counting the "DCSs only" matches a search leaves out reads only those items.
            SearchIndex(
                fields=["search_vector"], name="newsitem_dcs_search", condition=Q(dcs_only=True)
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean_texts()
        super().save(*args, **kwargs)

    def clean_texts(self) -> None:
        """Keep only the markup the site allows; every save does it (call it before writing
        items in bulk)."""
        self.update_text = clean_html(self.update_text)
        self.action_text = clean_html(self.action_text)

    @classmethod
    def derived_refresher(cls, write: Write) -> Callable[[], None]:
        return refresh_own_published_from(write, Placement)


class ActionQuerySet(PublicContentQuerySet["Action"]):
    def open(self) -> Self:
        return self.filter(closed=False)

    def dated(self) -> Self:
        return self.filter(due_date__isnull=False)

    def upcoming(self, today: datetime.date | None = None) -> Self:
        return self.open().filter(due_date__gte=today or timezone.localdate())

    def overdue(self, today: datetime.date | None = None) -> Self:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def public(self) -> Self:
        return self.readable(dcs=False)

    def readable(self, *, dcs: bool = False, now: datetime.datetime | None = None) -> Self:
        """Actions of the items the reader may see."""
        return self.filter(is_readable_item(dcs=dcs, now=now, via="item__"))

    def with_issue_number(self, now: datetime.datetime | None = None) -> Self:
        """Annotate `issue_number`: the latest published update the action's item ran in."""
        return self.annotate(issue_number=latest_published_issue_number(OuterRef("item_id"), now))

    def for_dashboard(self, today: datetime.date | None = None, *, overdue_days: int = 30) -> Self:
        """Open dated actions from `overdue_days` ago on, soonest first."""
        today = today or timezone.localdate()
        since = today - datetime.timedelta(days=overdue_days)
        return self.open().filter(due_date__gte=since).order_by("due_date", "position", "id")

    def undated_from_latest(self, count: int = 3) -> Self:
        """Open actions without a due date whose items ran in the latest `count` updates."""
        latest = Issue.objects.published().order_by("-number").values("pk")[:count]
        in_latest = Placement.objects.filter(item=OuterRef("item_id"), issue__in=latest)
        return self.open().filter(Exists(in_latest), due_date__isnull=True)


class Action(PublicContent):
    class Addressees(models.TextChoices):
        """Whom an action asks to answer: each addressed authority then has one response."""

        NOT_SAID = "", "Not said yet"
        NO_ONE = "no_one", "No one: information only"
        ALL = "all", "All 19 local authorities"
        CHOSEN = "chosen", "The local authorities chosen"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        DCS = "dcs", "DCSs"
        AD = "ad", "Assistant Directors"
        LEAD_MEMBER = "lead_member", "Lead Members"
        PRACTITIONERS = "practitioners", "Practitioners and managers"

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(help_text="What to do, in the newsletter's words.")
    due_date = models.DateField(
        null=True, blank=True, help_text="When it must be done by, if stated."
    )
    audience = models.CharField(max_length=20, choices=Audience, default=Audience.EVERYONE)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    closed = models.BooleanField(
        default=False, help_text="Done or no longer needed: off the dashboard."
    )
    addressed_to = models.CharField(
        "addressed to",
        max_length=10,
        choices=Addressees,
        default=Addressees.NOT_SAID,
        blank=True,
        help_text="Which local authorities must answer it (each answers done, not applicable …), "
        "or no one: the text is information only.",
    )
    position = models.PositiveIntegerField(default=0)
    search_vector = search_vector_of((None, "description"))

    objects: ClassVar = ActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["due_date", "position", "id"]
        indexes = [  # the dashboard, home page and calendars: open actions by due date
            models.Index(fields=["due_date"], condition=Q(closed=False), name="open_action_due"),
            SearchIndex(fields=["search_vector"], name="action_search_vector"),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def is_addressed(self) -> bool:
        return self.addressed_to in (self.Addressees.ALL, self.Addressees.CHOSEN)

    def when(self, today: datetime.date | None = None) -> str:
        """The dashboard group a dated action falls in: overdue, this week, next 30 days, later."""
        today = today or timezone.localdate()
        due = self.due_date
        if due is None:
            raise ValueError(f"“{self}” has no due date: it falls in no dashboard group.")
        if due < today:
            return "overdue"
        if due <= today + datetime.timedelta(days=6 - today.weekday()):
            return "this_week"
        if due <= today + datetime.timedelta(days=30):
            return "next_30_days"
        return "later"


class ResourceQuerySet(PublicContentQuerySet["Resource"]):
    def readable(self, *, dcs: bool = False, now: datetime.datetime | None = None) -> Self:
        """Resources listed in a published update; “DCSs only” ones too for a DCS."""
        return self.filter(is_readable_resource(dcs=dcs, now=now))


class Resource(PublicContent):
    """A “Tools & Templates” entry: a publication or document readers may need."""

    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    publisher = models.CharField(max_length=200, blank=True, help_text="e.g. DfE, LGA, Ofsted.")
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField(blank=True, max_length=500)
    dcs_only = models.BooleanField("DCSs only", default=False)
    search_vector = search_vector_of(("A", "title"), ("B", "description"))
    published_from = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the first update that lists it is published: readers see it from then on. "
        "Kept by the updates' Tools & Templates listings and their publication times.",
    )

    objects: ClassVar = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "Tools & Templates entry"
        verbose_name_plural = "Tools & Templates"
        indexes = [
            # A broad search ranks the newest matches: found newest first through this index.
            models.Index(fields=["published_from", "id"], name="resource_published_from"),
            SearchIndex(fields=["search_vector"], name="resource_search_vector"),
            SearchIndex(
                fields=["search_vector"], name="resource_dcs_search", condition=Q(dcs_only=True)
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def derived_refresher(cls, write: Write) -> Callable[[], None]:
        return refresh_own_published_from(write, IssueResource)
