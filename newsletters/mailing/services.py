"""Writes of the e-mail edition that span records, each atomic: subscribing, importing, sending."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from contacts.models import Organisation, normalise_name
from newsletters.models import Issue
from seslip.lib.roles import role_from_text

from . import links
from .message import render, test_message
from .models import Delivery, Edition, Subscriber
from .sending import add_deliveries, lease, wake
from .tasks import send_edition, send_subscription_link


def request_subscription(*, email: str, name: str = "") -> None:
    """Someone asked to subscribe: one more e-mailed link, never a second subscription."""
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email__iexact=email.strip(), defaults={"email": email.strip(), "name": name.strip()}
        )
        send_subscription_link.enqueue(subscriber.pk)


def mail_subscription_link(*, subscriber_id: int) -> None:
    """The link asked for: to confirm, or (already subscribed) to the reader's preferences."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    if subscriber.status == Subscriber.Status.SUBSCRIBED:
        template, subject = "already", "Your SESLIP update subscription"
        context: dict[str, object] = {"preferences_url": links.preferences_url(subscriber)}
    else:
        template, subject = "confirm", "Confirm your SESLIP update subscription"
        context = {
            "confirm_url": links.confirm_url(subscriber),
            "expires": timezone.localdate() + links.CONFIRM_LIFETIME,
        }
    body = render_to_string(
        f"newsletters/mail/{template}.txt", {**context, "subscriber": subscriber}
    )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscriber.email]).send()


@transaction.atomic
def confirm_subscription(*, token: str) -> Subscriber | None:
    """Subscribe the reader a good confirmation link names; None for a bad or expired link."""
    found = links.confirmed_id_from(token)
    if found is None:
        return None
    pk, email = found
    subscriber = Subscriber.objects.select_for_update().filter(pk=pk, email__iexact=email).first()
    if subscriber is not None and subscriber.status != Subscriber.Status.SUBSCRIBED:
        subscriber.confirm()
    return subscriber


@dataclass
class ImportReport:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    left_unsubscribed: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


COLUMNS = ("email", "name", "authority", "role")


def read_subscriber_rows(lines: Iterable[str]) -> Iterable[tuple[int, dict]]:
    """(line number, row) of a CSV file with a heading line naming the columns."""
    reader = csv.DictReader(lines)
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            f"Line 1 must name the columns {', '.join(COLUMNS)}; it lacks {', '.join(missing)}."
        )
    for row in reader:
        yield reader.line_num, {name: (row.get(name) or "").strip() for name in COLUMNS}


@transaction.atomic
def import_subscribers(*, rows: Iterable[tuple[int, dict]], source: str) -> ImportReport:
    """Add or update the subscribers the rows name; a bad row is reported and the rest import.

    Imported addresses are subscribed (the editors vouch for them), except that an unsubscribed
    or bouncing address keeps its status: an import never subscribes anyone again.
    """
    report = ImportReport()
    seen: dict[str, int] = {}  # address → the line it was first on
    authorities = Organisation.objects.by_any_name()
    for line, row in rows:
        try:
            values = subscriber_values(row, authorities)
            if values["email"].lower() in seen:
                raise ValidationError(
                    f"{values['email']} is also on line {seen[values['email'].lower()]}"
                )
        except ValidationError as problem:
            report.errors.append((line, " ".join(problem.messages)))
            continue
        seen[values["email"].lower()] = line
        import_one(values, report, reason=f"Imported from {source}, line {line}.")
    return report


def subscriber_values(row: dict, authorities: dict) -> dict:
    email = row["email"]
    if not email:
        raise ValidationError("there is no e-mail address")
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(f"“{email}” is not an e-mail address") from None
    authority = None
    if row["authority"]:
        authority = authorities.get(normalise_name(row["authority"]))
        if authority is None:
            raise ValidationError(f"no authority is called “{row['authority']}”")
    try:
        role = role_from_text(row["role"])
    except ValueError as problem:
        raise ValidationError(str(problem)) from None
    return {"email": email, "name": row["name"][:200], "authority": authority, "role": role}


def import_one(values: dict, report: ImportReport, *, reason: str) -> None:
    subscriber = Subscriber.objects.by_email(values["email"]).first()
    if subscriber is None:
        subscriber = Subscriber(**values, status=Subscriber.Status.SUBSCRIBED)
        subscriber._change_reason = reason
        subscriber.save()
        report.added += 1
        return
    changes = {
        name: value
        for name, value in values.items()
        if name != "email" and value and getattr(subscriber, name) != value
    }
    if subscriber.status == Subscriber.Status.PENDING:
        changes["status"] = Subscriber.Status.SUBSCRIBED
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        report.left_unsubscribed += 1
    if not changes:
        report.unchanged += subscriber.status != Subscriber.Status.UNSUBSCRIBED
        return
    for name, value in changes.items():
        setattr(subscriber, name, value)
    subscriber._change_reason = reason
    subscriber.save()
    report.changed += subscriber.status != Subscriber.Status.UNSUBSCRIBED


def queue_edition(*, issue: Issue) -> Edition | None:
    """Queue the update's e-mail edition for its publication time (publishing calls this).

    An edition already sent is not sent again: "send to those who have not had it" is asked for
    separately (`send_to_those_without`). Returns the edition, or None if it was sent before.
    """
    with transaction.atomic():
        edition, _ = Edition.objects.get_or_create(issue=issue)
        if edition.finished_at is not None:
            return None
        assert issue.published_at is not None, "an update is queued as it is published"
        at = max(issue.published_at, timezone.now())
        send_edition.using(run_after=at).enqueue(edition.pk)
        wake(edition, at + lease())
    return edition


def send_now(edition: Edition) -> None:
    send_edition.enqueue(edition.pk)


@transaction.atomic
def resume_edition(*, edition: Edition) -> None:
    """Try again now after a pause (the server is back), without waiting for the next try."""
    Edition.objects.filter(pk=edition.pk).update(paused_until=None, pauses_in_a_row=0)
    send_now(edition)


@transaction.atomic
def retry_failed(*, edition: Edition) -> int:
    """Queue again the copies that failed (not those that bounced). Returns how many."""
    count = edition.deliveries.filter(status=Delivery.Status.FAILED).update(
        status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=None
    )
    if count:
        Edition.objects.filter(pk=edition.pk).update(finished_at=None, paused_until=None)
        send_now(edition)
    return count


@transaction.atomic
def send_to_those_without(*, edition: Edition) -> int:
    """Send the edition to subscribers who have had no copy of it (subscribed since, say)."""
    added = add_deliveries(edition)
    if added:
        Edition.objects.filter(pk=edition.pk).update(finished_at=None)
        send_now(edition)
    return added


def send_test(*, issue: Issue, to: str, dcs: bool = True) -> None:
    """Send the update now to one address, marked as a test; raises the server's refusal."""
    message = test_message(render(issue, dcs=dcs), issue, to)
    with mailers.default as connection:
        connection.send_messages([message])
