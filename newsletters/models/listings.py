"""What an update lists, each in its order: news items (Placement), Tools & Templates,
Contact Details and network meetings; and the first publication time of what it lists."""

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django.db import models
from django.db.models import Min, OuterRef, Subquery

from contacts.models import Contact
from networks.models import Meeting
from seslip.lib.generations import (
    PublicContent,
    PublicContentQuerySet,
    Write,
    nothing_to_refresh,
    refresh_after_writes,
)
from seslip.lib.history import HistoricalRecords

if TYPE_CHECKING:
    from .items import NewsItem, Resource


class ListingQuerySet[L: "IssueListing"](PublicContentQuerySet[L]):
    def listed_ids(self) -> set[int]:
        return set(self.values_list(f"{self.model.listed}_id", flat=True))


def update_key(related_name: str) -> models.ForeignKey:
    """The update a listing belongs to (each kind under its own related name)."""
    return models.ForeignKey(
        "Issue", on_delete=models.CASCADE, related_name=related_name, verbose_name="update"
    )


def once_per_update(listed: str, message: str) -> models.UniqueConstraint:
    """An update lists a thing at most once."""
    return models.UniqueConstraint(
        fields=["issue", listed], name=f"{listed}_once_per_issue", violation_error_message=message
    )


class IssueListing(PublicContent):
    """A line an update lists under one of its headings (the `listed` foreign key), in order.
    Each kind declares its `issue` (update_key, with its own related name), what it lists, and
    that it lists it once (once_per_update)."""

    listed: ClassVar[str] = ""  # the name of the foreign key to what is listed
    position = models.PositiveIntegerField(default=0)

    objects: ClassVar = ListingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["issue", "position"]

    def __str__(self):
        return str(getattr(self, self.listed))

    @property
    def listed_id(self) -> int | None:
        return getattr(self, f"{self.listed}_id")


class Listing(IssueListing):
    """A listing of a news item or a resource: what it lists is seen by readers from when the
    first update listing it is published (published_from)."""

    class Meta(IssueListing.Meta):
        abstract = True

    @classmethod
    def refresh_listed(cls, ids: Collection[int] | None = None, *, using: str = "default") -> None:
        """Store on these listed rows (None: on every one) when the first update listing them is
        published, or NULL: now, or once at the end of a write batch."""
        refresh_after_writes(cls.refresh_listed_now, ids, using=using)

    @classmethod
    def refresh_listed_now(
        cls, ids: Collection[int] | None = None, *, using: str = "default"
    ) -> None:
        listed_model = cast(
            "type[NewsItem | Resource]", cls._meta.get_field(cls.listed).related_model
        )
        rows = listed_model.objects.using(using)
        if ids is not None:
            ids = set(ids)
            if not ids:
                return
            rows = rows.filter(pk__in=ids)
        first = (
            cls.objects.filter(**{cls.listed: OuterRef("pk"), "issue__published_at__isnull": False})
            .order_by()
            .values(cls.listed)
            .annotate(first=Min("issue__published_at"))
            .values("first")
        )
        rows.update(published_from=Subquery(first))

    @classmethod
    def derived_refresher(cls, write: Write) -> Callable[[], None]:
        """What the written listings list, before and after the write (moved or deleted), gets
        its first publication time again."""
        rows = write.rows if isinstance(write.rows, ListingQuerySet) else None
        listed_before = rows.listed_ids() if rows is not None else set()
        written = set(write.values or ())
        moving = write.kind == "update" and bool({cls.listed, f"{cls.listed}_id"} & written)
        moved = list(rows.values_list("pk", flat=True)) if rows is not None and moving else []

        def refresh() -> None:
            # the instances' ids once written: bulk_create sets them from the objects
            ids = listed_before | {listing.listed_id for listing in write.objs}
            if moved:  # what the moved rows list now (an update may set it with an expression)
                ids |= cls.objects.using(write.using).filter(pk__in=moved).listed_ids()
            cls.refresh_listed(ids - {None}, using=write.using)

        return refresh


class Placement(Listing):
    """Where an item runs in an update: as a headline or as a reminder, and in what order."""

    class Section(models.TextChoices):
        HEADLINE = "headline", "Headline"
        REMINDER = "reminder", "Reminder from previous weeks"

    issue = update_key("placements")
    item = models.ForeignKey("NewsItem", on_delete=models.CASCADE, related_name="placements")
    section = models.CharField(max_length=20, choices=Section, default=Section.HEADLINE)
    progress = models.TextField(
        blank=True,
        help_text="Printed under a reminder: who has done its actions so far. Written from the "
        "authorities' responses when the update is started; edit it as you like.",
    )

    printed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The item's title and text as the update printed them, kept once it is "
        "published: later edits of the item do not change what this update printed.",
    )

    history = HistoricalRecords()
    _history_user: Any  # who makes a change, for its history (django-simple-history reads it)
    listed = "item"

    class Meta(Listing.Meta):
        ordering = ["issue", "section", "position"]
        verbose_name = "news item in an update"
        verbose_name_plural = "news items in updates"
        constraints = [once_per_update("item", "This item is already placed in this update.")]

    def __str__(self):
        return f"{self.item} in {self.issue} ({self.get_section_display()})"


class IssueResource(Listing):
    issue = update_key("resource_listings")
    resource = models.ForeignKey("Resource", on_delete=models.CASCADE, related_name="listings")

    listed = "resource"

    class Meta(Listing.Meta):
        verbose_name = "Tools & Templates entry in an update"
        verbose_name_plural = "Tools & Templates in updates"
        constraints = [
            once_per_update("resource", "This resource is already listed in this update.")
        ]


class IssueContact(IssueListing):
    """A line under the update's Contact Details, as it was printed that week."""

    issue = update_key("contact_listings")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="listings")
    role = models.CharField(max_length=300, blank=True, help_text="The role as printed that week.")
    organisation_name = models.CharField(max_length=200, blank=True)
    printed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The e-mail and telephone the update printed, kept once it is published.",
    )

    listed = "contact"

    class Meta(IssueListing.Meta):
        verbose_name = "Contact Details entry"
        verbose_name_plural = "Contact Details"
        constraints = [once_per_update("contact", "This contact is already listed in this update.")]


class IssueMeeting(IssueListing):
    """A line under “Future dates for network meetings”, as it was printed that week."""

    issue = update_key("meeting_listings")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="listings")
    text = models.TextField(blank=True, help_text="The line as printed.")
    printed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The date, times and status the update printed, kept once it is published.",
    )

    listed = "meeting"

    class Meta(IssueListing.Meta):
        verbose_name = "network meeting listing"
        constraints = [once_per_update("meeting", "This meeting is already listed in this update.")]


def refresh_published_from(
    item_ids: Collection[int] | None = None, *, using: str = "default"
) -> None:
    """Store on these news items (None: on every item) when the first update that runs them is
    published, or NULL.

    Called wherever placements or publication times change: every reader's query filters on it
    instead of looking through the item's placements for a published update.
    """
    Placement.refresh_listed(item_ids, using=using)


def refresh_resource_published_from(
    resource_ids: Collection[int] | None = None, *, using: str = "default"
) -> None:
    """The same for Tools & Templates resources: when the first update listing them is published."""
    IssueResource.refresh_listed(resource_ids, using=using)


def published_from_refresher(
    issues: models.QuerySet[Any] | Iterable[int], *, using: str = "default"
) -> Callable[[], None]:
    """Read now (before the updates are deleted, say) which news items and resources these updates
    list; return the function that refreshes their publication times once the updates changed."""
    listed = [
        (listing, listing.objects.using(using).filter(issue__in=issues).listed_ids())
        for listing in (Placement, IssueResource)
    ]

    def refresh() -> None:
        for listing, ids in listed:
            listing.refresh_listed(ids, using=using)

    return refresh


def refresh_own_published_from(write: Write, listing: type[Listing]) -> Callable[[], None]:
    """A whole save writes back the publication time the instance held, which may be out of date
    (a placement was added since it was read): recompute it after."""
    if write.kind != "save" or write.values is not None:
        return nothing_to_refresh
    return lambda: listing.refresh_listed([o.pk for o in write.objs], using=write.using)
