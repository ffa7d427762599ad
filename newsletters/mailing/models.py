"""The e-mail edition's records: subscribers, one edition per update, a delivery per reader."""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.models import Organisation
from seslip.lib import roles
from seslip.lib.history import HistoricalRecords
from seslip.lib.roles import ReaderRole


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def subscribed(self) -> Self:
        return self.filter(status=Subscriber.Status.SUBSCRIBED)

    def by_email(self, email: str) -> Self:
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    """Someone the update is e-mailed to: an address with a name."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        SUBSCRIBED = "subscribed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCING = "bouncing", "Bouncing"

    email = models.EmailField(
        "e-mail address", max_length=254, help_text="Where the update is sent."
    )
    name = models.CharField(max_length=200, blank=True)
    authority = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscribers",
        help_text="The authority the reader works for, if any.",
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriber",
        help_text="The reader's account on the site, if they have one.",
    )
    role = models.CharField(
        max_length=20,
        choices=ReaderRole,
        blank=True,
        help_text="DCSs and DCS PAs are sent the items for DCSs only; everyone else a line "
        "saying how many there are.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    status_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the status last changed, e.g. the mail server's answer to a bounce.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique_ci",
                violation_error_message="There is already a subscriber with this address.",
            )
        ]
        indexes = [models.Index(fields=["status"], name="subscriber_status")]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    @property
    def gets_dcs_items(self) -> bool:
        """By their own role, or their account's group (as the edition's deliveries decide)."""
        account_groups = roles.group_names(self.account) if self.account_id else frozenset()
        return self.role in roles.DCS_ROLES or bool(account_groups & roles.DCS_READER_GROUPS)

    def change_status(self, status: str, note: str = "") -> None:
        """Record a change of status, with why, in the subscriber's history."""
        self.status = status
        self.status_note = note[:500]
        self._change_reason = note[:100] or None
        self.save(update_fields=["status", "status_note", "updated_at"])

    def confirm(self) -> None:
        self.change_status(self.Status.SUBSCRIBED, "Confirmed by the reader's link.")

    def unsubscribe(self, note: str = "Unsubscribed by the reader's link.") -> None:
        if self.status != self.Status.UNSUBSCRIBED:
            self.change_status(self.Status.UNSUBSCRIBED, note)

    def mark_bouncing(self, note: str) -> None:
        if self.status == self.Status.SUBSCRIBED:
            self.change_status(self.Status.BOUNCING, note)


class EditionQuerySet(models.QuerySet["Edition"]):
    def with_counts(self) -> Self:
        """Annotate how many deliveries are in each state (the admin's list)."""
        counts = {
            f"{status}_count": Count("deliveries", filter=Q(deliveries__status=status))
            for status in Delivery.Status.values
        }
        return self.annotate(delivery_count=Count("deliveries"), **counts)


class Edition(models.Model):
    """An update's e-mail edition: sent once to each subscriber, however often it is published."""

    issue = models.OneToOneField(
        "newsletters.Issue", on_delete=models.CASCADE, related_name="edition"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When its readers were listed and sending began."
    )
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last message was handed over or gave up."
    )
    paused_until = models.DateTimeField(null=True, blank=True)
    pause_message = models.CharField(max_length=500, blank=True)
    pauses_in_a_row = models.PositiveIntegerField(default=0)
    wake_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next queued run of its sending is due."
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-issue__number"]
        verbose_name = "e-mail edition"

    def __str__(self):
        return f"E-mail of {self.issue}"

    def is_paused(self, now: datetime.datetime | None = None) -> bool:
        return self.paused_until is not None and self.paused_until > (now or timezone.now())

    def counts(self) -> dict[str, int]:
        """{status: number of deliveries}, every status present, in one query."""
        found = dict(
            self.deliveries.order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return {status: found.get(status, 0) for status in Delivery.Status.values}


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def queued(self) -> Self:
        return self.filter(status=Delivery.Status.QUEUED)

    def due_again(self, now: datetime.datetime, lease: datetime.timedelta) -> Self:
        """Failed ones whose back-off is over, and those a worker took and never finished
        (it was killed): their lease ran out."""
        return self.filter(
            Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
        )

    def waiting(self) -> Self:
        """Not finished but not claimable yet: being sent, or failed with a retry to come."""
        return self.filter(
            Q(status=Delivery.Status.SENDING)
            | Q(status=Delivery.Status.FAILED, next_attempt_at__isnull=False)
        )


class Delivery(models.Model):
    """One subscriber's copy of one edition, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Being handed over"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"
        SKIPPED = "skipped", "Not sent (unsubscribed)"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    dcs = models.BooleanField(default=False, help_text="Sent the DCS-only items.")
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a failed message is tried again (empty: never)."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        max_length=500, blank=True, help_text="The mail server's answer to the last attempt."
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["edition", "status", "id"], name="delivery_by_status")]

    def __str__(self):
        return f"{self.edition.issue} to {self.subscriber.email}"
