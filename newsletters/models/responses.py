"""Authorities' responses to the actions addressed to them: one per (action, authority), with its
status, when and who, a short note and a link; every change is kept in its history."""

import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone

from contacts.models import Organisation
from seslip.lib.generations import PublicContent, PublicContentQuerySet
from seslip.lib.history import HistoricalRecords

from .items import Action, is_readable_item, latest_published_issue_number


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


ANSWERED = (ResponseStatus.DONE, ResponseStatus.NOT_APPLICABLE)
OUTSTANDING = (ResponseStatus.NOT_STARTED, ResponseStatus.IN_PROGRESS)


class ActionResponseQuerySet(PublicContentQuerySet["ActionResponse"]):
    def of(self, authority: Organisation) -> Self:
        return self.filter(authority=authority)

    def answered(self) -> Self:
        return self.filter(status__in=ANSWERED)

    def outstanding(self) -> Self:
        """What authorities still owe: open actions they have not answered (done or n/a)."""
        return self.filter(status__in=OUTSTANDING, action__closed=False)

    def readable(self, *, dcs: bool = False) -> Self:
        """Responses to the actions of the items the reader may see."""
        return self.filter(is_readable_item(dcs=dcs, via="action__item__"))

    def owed(self, today: datetime.date | None = None) -> Self:
        """Outstanding responses with their actions, items and updates: overdue first (the
        oldest first), then by due date, then those with no due date."""
        today = today or timezone.localdate()
        return (
            self.outstanding()
            .select_related("action__item", "authority")
            .annotate(
                issue_number=latest_published_issue_number(OuterRef("action__item_id")),
                overdue=Case(
                    When(action__due_date__lt=today, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .order_by("overdue", models.F("action__due_date").asc(nulls_last=True), "action_id")
        )


class ActionResponse(PublicContent):
    """One addressed authority's answer to one action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="responses")
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_responses",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_AUTHORITY},
    )
    status = models.CharField(
        max_length=20, choices=ResponseStatus, default=ResponseStatus.NOT_STARTED
    )
    note = models.CharField(
        max_length=500,
        blank=True,
        help_text="A short note, e.g. “Signed copy returned by e-mail on 3 May”.",
    )
    link = models.URLField(
        max_length=500, blank=True, help_text="The signed copy, the nomination … if online."
    )
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects: ClassVar = ActionResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["authority__name"]
        verbose_name = "response to an action"
        constraints = [
            models.UniqueConstraint(
                fields=["action", "authority"],
                name="one_response_per_authority",
                violation_error_message="This authority already has a response to this action.",
            )
        ]
        indexes = [models.Index(fields=["authority", "status"], name="response_authority_status")]

    def __str__(self):
        return f"{self.authority}: {self.get_status_display()}"

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED

    def answer(
        self,
        *,
        status: str,
        by: User,
        note: str | None = None,
        link: str | None = None,
        at: datetime.datetime | None = None,
    ) -> None:
        """Record the authority's answer, by `by` (a member of the authority, or an editor on its
        behalf). A status, note or link that is not valid raises ValidationError, saving nothing."""
        if status not in ResponseStatus.values:
            raise ValidationError(
                {"status": f"“{status}” is not a status: choose one of {status_names()}."}
            )
        self.status = status
        if note is not None:
            self.note = note.strip()
        if link is not None:
            self.link = link.strip()
        self.clean_fields(exclude=["action", "authority", "answered_by"])
        self.answered_at = at or timezone.now()
        self.answered_by = by
        self._history_user = by
        self.save()

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.action.due_date
        return bool(due and not self.is_answered and due < (today or timezone.localdate()))


def status_names() -> str:
    return ", ".join(label.lower() for label in ResponseStatus.labels)


def outstanding_for(authority: Organisation) -> Q:
    """Q for actions that `authority` still owes a response to (for filtering Action)."""
    return Q(responses__authority=authority, responses__status__in=OUTSTANDING)
