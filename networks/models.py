import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from contacts.models import Contact, Organisation
from seslip.lib.generations import PublicContent, PublicContentQuerySet
from seslip.lib.history import HistoricalRecords
from seslip.lib.slugs import SlugFromName


class Network(SlugFromName, PublicContent):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    convener = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="networks_convened",
        help_text="The person the newsletter sends readers to (“More from …”).",
    )
    convener_accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="convened_networks",
        help_text="Site accounts that may keep this network's meeting dates current.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        try:
            return reverse("network_detail", args=[self.slug])
        except NoReverseMatch:
            return ""


class MeetingQuerySet(PublicContentQuerySet["Meeting"]):
    def upcoming(self, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(date__gte=today).exclude(status=Meeting.Status.CANCELLED)

    def past(self, today: datetime.date | None = None) -> Self:
        return self.filter(date__lt=today or timezone.localdate())

    def between(self, start: datetime.date, end: datetime.date) -> Self:
        return self.filter(date__gte=start, date__lte=end)


class Meeting(PublicContent):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        TBC = "tbc", "To be confirmed"
        REARRANGED = "rearranged", "Rearranged (new date)"
        CANCELLED = "cancelled", "Cancelled"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(
        null=True, blank=True, help_text="Leave empty while the date is still to be fixed."
    )
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    topic = models.CharField(max_length=500, blank=True)
    online = models.BooleanField(default=False, help_text="Held online (Teams, Zoom …).")
    place = models.CharField(max_length=300, blank=True, help_text="Where it meets, if in person.")
    status = models.CharField(max_length=20, choices=Status, default=Status.CONFIRMED)
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        help_text="Who to ask about this meeting (usually the convener).",
    )
    notes = models.TextField(blank=True, help_text="Anything else the listing says.")

    objects: ClassVar = MeetingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time", "network__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=False, end_time__gt=models.F("start_time")),
                name="meeting_ends_after_it_starts",
                violation_error_message="A meeting must end after it starts.",
            )
        ]
        indexes = [  # what is coming up, on the home page, dashboard and calendars
            models.Index(fields=["date", "start_time"], name="meeting_date")
        ]

    def __str__(self):
        when = self.date.strftime("%-d %B %Y") if self.date else "date to be fixed"
        return f"{self.network}: {when}"

    def cancel(self) -> None:
        self.status = self.Status.CANCELLED
        self.save(update_fields=["status"])

    @property
    def starts_at(self) -> datetime.datetime | None:
        if self.date and self.start_time:
            return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))
        return None


class PeerChallengeRound(SlugFromName, PublicContent):
    name = models.CharField(
        max_length=200, unique=True, help_text="e.g. “2019-20 DCS Peer Challenge”."
    )
    slug = models.SlugField(max_length=200, unique=True)

    class Meta:
        ordering = ["-name"]

    def __str__(self):
        return self.name


class TriadQuerySet(PublicContentQuerySet["Triad"]):
    def upcoming(self, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(date__gte=today).exclude(status=Triad.Status.CANCELLED)

    def with_memberships(self) -> Self:
        """Each triad's authorities, in their order (`memberships`), fetched with it."""
        memberships = TriadMember.objects.select_related("authority")
        return self.prefetch_related(models.Prefetch("memberships", memberships))

    def with_members(self) -> Self:
        """with_memberships(), and the members themselves (its label counts them)."""
        return self.with_memberships().prefetch_related("members")

    def for_listing(self) -> Self:
        """What a triad's row or name shows: its round, its authorities and its label (which
        counts them), fetched with it."""
        return self.select_related("round").with_members()


class Triad(PublicContent):
    """Three (a triad) or four (a quartet) authorities that peer-challenge each other."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        TBC = "tbc", "To be confirmed"
        REARRANGED = "rearranged", "Rearranged"
        CANCELLED = "cancelled", "Cancelled"

    round = models.ForeignKey(PeerChallengeRound, on_delete=models.CASCADE, related_name="triads")
    number = models.PositiveSmallIntegerField()
    members = models.ManyToManyField(
        Organisation,
        through="TriadMember",
        related_name="triads",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_AUTHORITY},
    )
    date = models.DateField(null=True, blank=True, help_text="The agreed date, once there is one.")
    candidate_dates = models.JSONField(
        default=list,
        blank=True,
        help_text="Dates still being considered, while the date is to be confirmed, "
        'as a list: ["2019-11-01", "2019-11-11"].',
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.CONFIRMED)
    notes = models.TextField(blank=True)

    objects: ClassVar = TriadQuerySet.as_manager()

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                name="triad_number_unique_in_round",
                violation_error_message="This round already has a triad with this number.",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.round})"

    @property
    def label(self) -> str:
        kind = "Quartet" if len(self.members.all()) == 4 else "Triad"
        return f"{kind} {self.number}"

    def candidate_date_values(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(d) for d in self.candidate_dates]


class TriadMember(PublicContent):
    triad = models.ForeignKey(Triad, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Organisation.Kind.LOCAL_AUTHORITY},
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["triad", "authority"],
                name="authority_once_per_triad",
                violation_error_message="This authority is already in the triad.",
            )
        ]

    def __str__(self):
        return str(self.authority)
