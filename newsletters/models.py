import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from simple_history.models import HistoricalRecords

from contacts.models import Contact, Organisation
from networks.models import Meeting, Network, Triad
from seslip.lib.generations import PublicContent, PublicContentQuerySet, nothing_to_refresh
from seslip.lib.search import SearchIndex, search_vector_of

from .html import RICH_TEXT_EXTENSIONS, clean_html


def is_published(now=None, *, via=""):
    """The one definition of public: published, and the publication time has come.

    `via` leads from the model filtered to its update, e.g. "issue__" from a placement: filtering
    through the join lets PostgreSQL look up each row's update instead of listing every
    published update first.
    """
    return Q(**{f"{via}published_at__lte": now or timezone.now()})  # a draft's NULL never matches


class IssueQuerySet(PublicContentQuerySet):
    def published(self, now=None):
        return self.filter(is_published(now))

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def with_headlines(self, *, dcs=False, titles_only=False):
        """Each update's headline placements, with their items, as `headline_list`: “DCSs only”
        items too for a DCS; `titles_only`, the items' titles and not their text."""
        headlines = Placement.objects.filter(section=Placement.Section.HEADLINE)
        headlines = headlines.select_related("item")
        if not dcs:
            headlines = headlines.filter(item__dcs_only=False)
        if titles_only:
            headlines = headlines.only("issue", "item__title")
        return self.prefetch_related(Prefetch("placements", headlines, to_attr="headline_list"))

    def scheduled(self, now=None):
        return self.filter(published_at__gt=now or timezone.now())

    def next_publication(self, now=None):
        """When the next scheduled update is due, or None."""
        scheduled = self.scheduled(now).order_by("published_at")
        return scheduled.values_list("published_at", flat=True).first()

    def years(self):
        """The years that have an update in this queryset, newest first.

        One pass over the index on (published_at, date): the archive has gaps of whole years.
        """
        return [day.year for day in self.dates("date", "year", order="DESC")]

    def neighbours(self, number):
        """The numbers of the updates just before and after `number` in this queryset, in one query.

        Each is one step along the index on number, so it costs the same at any archive size.
        """
        before = self.filter(number__lt=number).order_by("-number").values("number")[:1]
        after = self.filter(number__gt=number).order_by("number").values("number")[:1]
        found = Issue.objects.filter(number=number).values_list(Subquery(before), Subquery(after))
        return found.first() or (None, None)


def next_publication(now):
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

    objects = IssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["source_sha256", "printed_triads"])

    class Meta:
        ordering = ["-number"]
        verbose_name = "update"
        indexes = [  # counting and dating the published updates reads this index alone
            models.Index(fields=["published_at", "date"], name="issue_published_date")
        ]

    def __str__(self):
        return f"Update {self.number}"

    def get_absolute_url(self):
        try:
            return reverse("issue_detail", args=[self.number])
        except NoReverseMatch:
            return ""

    @property
    def is_published(self):
        return self.published_at is not None and self.published_at <= timezone.now()

    def check_publishable(self):
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
    def derived_refresher(cls, write):
        """What an update lists is seen from its publication time: a write of the publication
        time, or a deletion, changes when its news items and resources are first published."""
        if write.kind == "create" or (
            write.values is not None and "published_at" not in write.values
        ):
            return nothing_to_refresh
        issues = write.rows if write.rows is not None else [o.pk for o in write.objs if o.pk]
        return published_from_refresher(issues, using=write.using)

    def publish(self, at=None):
        self.check_publishable()
        self.published_at = at or timezone.now()
        self.save(update_fields=["published_at", "updated_at"])

    def unpublish(self):
        self.published_at = None
        self.save(update_fields=["published_at", "updated_at"])

    def headlines(self):
        return self.placements.filter(section=Placement.Section.HEADLINE)

    def reminders(self):
        return self.placements.filter(section=Placement.Section.REMINDER)


def refresh_published_from(item_ids=None, *, using="default"):
    """Store on these news items (None: on every item) when the first update that runs them is
    published, or NULL.

    Called wherever placements or publication times change: every reader's query filters on it
    instead of looking through the item's placements for a published update.
    """
    Placement.refresh_listed(item_ids, using=using)


def refresh_resource_published_from(resource_ids=None, *, using="default"):
    """The same for Tools & Templates resources: when the first update listing them is published."""
    IssueResource.refresh_listed(resource_ids, using=using)


def published_from_refresher(issues, *, using="default"):
    """Read now (before the updates are deleted, say) which news items and resources these updates
    list; return the function that refreshes their publication times once the updates changed."""
    listed = [
        (listing, listing.objects.using(using).filter(issue__in=issues).listed_ids())
        for listing in (Placement, IssueResource)
    ]

    def refresh():
        for listing, ids in listed:
            listing.refresh_listed(ids, using=using)

    return refresh


def refresh_own_published_from(write, listing):
    """A whole save writes back the publication time the instance held, which may be out of date
    (a placement was added since it was read): recompute it after."""
    if write.kind != "save" or write.values is not None:
        return nothing_to_refresh
    return lambda: listing.refresh_listed([o.pk for o in write.objs], using=write.using)


def is_readable_item(*, dcs=False, now=None, via=""):
    """The one definition of a news item readers may see: its first update is published, and
    unless the reader is a DCS it is not for DCSs only. `via` leads to the item, e.g. "item__"."""
    readable = Q(**{f"{via}published_from__lte": now or timezone.now()})
    return readable if dcs else readable & Q(**{f"{via}dcs_only": False})


def is_readable_resource(*, dcs=False, now=None):
    """The one definition of a Tools & Templates resource readers may see: the first update
    listing it is published, and unless the reader is a DCS it is not for DCSs only."""
    readable = Q(published_from__lte=now or timezone.now())
    return readable if dcs else readable & Q(dcs_only=False)


def latest_published_issue_number(item_ref):
    # Max, not ORDER BY … LIMIT 1: PostgreSQL would walk every update by number for each row.
    placements = Placement.objects.filter(is_published(via="issue__"), item=item_ref)
    latest = placements.order_by().values("item").annotate(latest=Max("issue__number"))
    return Subquery(latest.values("latest"))


class NewsItemQuerySet(PublicContentQuerySet):
    def public(self):
        """Items readers may see: in a published update, and not for DCSs only."""
        return self.readable(dcs=False)

    def readable(self, *, dcs=False, now=None):
        """Items in a published update; “DCSs only” items too when the reader is a DCS."""
        return self.filter(is_readable_item(dcs=dcs, now=now))

    def with_issue_number(self):
        """Annotate `issue_number`: the latest published update the item ran in."""
        return self.annotate(issue_number=latest_published_issue_number(OuterRef("pk")))


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

    objects = NewsItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "published_from"])

    class Meta:
        ordering = ["title"]
        verbose_name = "news item"
        indexes = [
            # A network's latest news: newest first, a few steps whatever the archive's size.
            models.Index(fields=["published_from", "id"], name="newsitem_published_from"),
            SearchIndex(fields=["search_vector"], name="newsitem_search_vector"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.update_text = clean_html(self.update_text)
        self.action_text = clean_html(self.action_text)
        super().save(*args, **kwargs)

    @classmethod
    def derived_refresher(cls, write):
        return refresh_own_published_from(write, Placement)


class ListingQuerySet(PublicContentQuerySet):
    def listed_ids(self):
        return set(self.values_list(f"{self.model.listed}_id", flat=True))


class Listing(PublicContent):
    """A row putting a news item or a resource (the `listed` foreign key) in an update: what it
    lists is seen by readers from when the first update listing it is published (published_from).
    """

    listed = ""  # the name of the foreign key to what is listed

    class Meta:
        abstract = True

    @property
    def listed_id(self):
        return getattr(self, f"{self.listed}_id")

    @classmethod
    def refresh_listed(cls, ids=None, *, using="default"):
        """Store on these listed rows (None: on every one) when the first update listing them is
        published, or NULL."""
        rows = cls._meta.get_field(cls.listed).related_model.objects.using(using)
        if ids is not None:
            ids = set(ids)
            if not ids:
                return
            rows = rows.filter(pk__in=ids)
        first = (
            cls.objects.filter(**{cls.listed: OuterRef("pk")}, issue__published_at__isnull=False)
            .order_by()
            .values(cls.listed)
            .annotate(first=Min("issue__published_at"))
            .values("first")
        )
        rows.update(published_from=Subquery(first))

    @classmethod
    def derived_refresher(cls, write):
        """What the written listings list, before and after the write (moved or deleted), gets
        its first publication time again."""
        listed_before = write.rows.listed_ids() if write.rows is not None else set()
        moving = write.kind == "update" and {cls.listed, f"{cls.listed}_id"} & set(write.values)
        moved = list(write.rows.values_list("pk", flat=True)) if moving else []

        def refresh():  # the instances' ids once written: bulk_create sets them from the objects
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

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="placements", verbose_name="update"
    )
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="placements")
    section = models.CharField(max_length=20, choices=Section, default=Section.HEADLINE)
    position = models.PositiveIntegerField(default=0)

    objects = ListingQuerySet.as_manager()
    history = HistoricalRecords()
    listed = "item"

    class Meta:
        ordering = ["issue", "section", "position"]
        verbose_name = "news item in an update"
        verbose_name_plural = "news items in updates"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "item"],
                name="item_once_per_issue",
                violation_error_message="This item is already placed in this update.",
            )
        ]

    def __str__(self):
        return f"{self.item} in {self.issue} ({self.get_section_display()})"


class ActionQuerySet(PublicContentQuerySet):
    def open(self):
        return self.filter(closed=False)

    def dated(self):
        return self.filter(due_date__isnull=False)

    def upcoming(self, today=None):
        return self.open().filter(due_date__gte=today or timezone.localdate())

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def public(self):
        return self.readable(dcs=False)

    def readable(self, *, dcs=False):
        """Actions of the items the reader may see."""
        return self.filter(is_readable_item(dcs=dcs, via="item__"))

    def with_issue_number(self):
        """Annotate `issue_number`: the latest published update the action's item ran in."""
        return self.annotate(issue_number=latest_published_issue_number(OuterRef("item_id")))

    def for_dashboard(self, today=None, *, overdue_days=30):
        """Open dated actions from `overdue_days` ago on, soonest first."""
        today = today or timezone.localdate()
        since = today - datetime.timedelta(days=overdue_days)
        return self.open().filter(due_date__gte=since).order_by("due_date", "position", "id")

    def undated_from_latest(self, count=3):
        """Open actions without a due date whose items ran in the latest `count` updates."""
        latest = Issue.objects.published().order_by("-number").values("pk")[:count]
        in_latest = Placement.objects.filter(item=OuterRef("item_id"), issue__in=latest)
        return self.open().filter(Exists(in_latest), due_date__isnull=True)


class Action(PublicContent):
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
    position = models.PositiveIntegerField(default=0)
    search_vector = search_vector_of((None, "description"))

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["due_date", "position", "id"]
        indexes = [  # the dashboard, home page and calendars: open actions by due date
            models.Index(fields=["due_date"], condition=Q(closed=False), name="open_action_due"),
            SearchIndex(fields=["search_vector"], name="action_search_vector"),
        ]

    def __str__(self):
        return self.description[:80]

    def when(self, today=None):
        """The dashboard group a dated action falls in: overdue, this week, next 30 days, later."""
        today = today or timezone.localdate()
        if self.due_date < today:
            return "overdue"
        if self.due_date <= today + datetime.timedelta(days=6 - today.weekday()):
            return "this_week"
        if self.due_date <= today + datetime.timedelta(days=30):
            return "next_30_days"
        return "later"


class ResourceQuerySet(PublicContentQuerySet):
    def readable(self, *, dcs=False, now=None):
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

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = "Tools & Templates entry"
        verbose_name_plural = "Tools & Templates"
        indexes = [SearchIndex(fields=["search_vector"], name="resource_search_vector")]

    def __str__(self):
        return self.title

    @classmethod
    def derived_refresher(cls, write):
        return refresh_own_published_from(write, IssueResource)


class IssueResource(Listing):
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="resource_listings", verbose_name="update"
    )
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="listings")
    position = models.PositiveIntegerField(default=0)

    objects = ListingQuerySet.as_manager()
    listed = "resource"

    class Meta:
        ordering = ["issue", "position"]
        verbose_name = "Tools & Templates entry in an update"
        verbose_name_plural = "Tools & Templates in updates"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "resource"],
                name="resource_once_per_issue",
                violation_error_message="This resource is already listed in this update.",
            )
        ]

    def __str__(self):
        return str(self.resource)


class IssueContact(PublicContent):
    """A line under the update's Contact Details, as it was printed that week."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="contact_listings", verbose_name="update"
    )
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="listings")
    position = models.PositiveIntegerField(default=0)
    role = models.CharField(max_length=300, blank=True, help_text="The role as printed that week.")
    organisation_name = models.CharField(max_length=200, blank=True)
    printed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The e-mail and telephone the update printed, kept once it is published.",
    )

    class Meta:
        ordering = ["issue", "position"]
        verbose_name = "Contact Details entry"
        verbose_name_plural = "Contact Details"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "contact"],
                name="contact_once_per_issue",
                violation_error_message="This contact is already listed in this update.",
            )
        ]

    def __str__(self):
        return str(self.contact)


class IssueMeeting(PublicContent):
    """A line under “Future dates for network meetings”, as it was printed that week."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="meeting_listings", verbose_name="update"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="listings")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True, help_text="The line as printed.")
    printed = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The date, times and status the update printed, kept once it is published.",
    )

    class Meta:
        ordering = ["issue", "position"]
        verbose_name = "network meeting listing"
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "meeting"],
                name="meeting_once_per_issue",
                violation_error_message="This meeting is already listed in this update.",
            )
        ]

    def __str__(self):
        return str(self.meeting)
