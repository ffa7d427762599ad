"""Sending an edition, exactly once per reader, whatever happens to the worker.

Each reader's copy is claimed (queued → sending, with the time: its lease), handed over to the
mail server, and recorded (sent, failed, bounced) in its own transactions. A worker killed during
a hand-over leaves one copy "sending"; once its lease has run out another run takes it again, so
that copy is the only one a reader can get twice. Runs of the task are queued ahead (`wake`), so
a killed run is followed by another as soon as any worker is free.
"""

import contextlib
import datetime
import smtplib
import time

from anymail.exceptions import AnymailAPIError, AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import Exists, F, Min, OuterRef, Q
from django.utils import timezone

from seslip.lib import roles

from ..models import Issue
from .message import edition_message, rendered_edition
from .models import Delivery, Edition, Subscriber

BACKOFF = (60, 5 * 60, 25 * 60, 2 * 60 * 60)  # seconds before the 2nd … 5th attempt
PAUSE_FIRST, PAUSE_MOST = 15, 10 * 60  # seconds: a server that is down is tried again, less often


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.EDITION_LEASE_SECONDS)


class ServerDown(Exception):
    """The mail server (or the provider's API) cannot be reached: the edition pauses."""


class Refused(Exception):
    def __init__(self, answer: str, *, bounce: bool = False, temporary: bool = False):
        super().__init__(answer)
        self.answer, self.bounce, self.temporary = answer, bounce, temporary


def wake(edition: Edition, at: datetime.datetime) -> None:
    """Make sure a run of the edition's task is queued for `at` or a little before."""
    from .tasks import send_edition

    with transaction.atomic():
        now = timezone.now()
        due = Edition.objects.filter(pk=edition.pk).exclude(wake_at__gt=now, wake_at__lte=at)
        if due.update(wake_at=at):
            send_edition.using(run_after=at).enqueue(edition.pk)


def readers_to_add(edition: Edition):
    """Subscribed readers with no copy of the edition yet, and whether they get the DCS items."""
    dcs_account = Group.objects.filter(
        name__in=roles.DCS_READER_GROUPS, user=OuterRef("account_id")
    )
    return (
        Subscriber.objects.subscribed()
        .exclude(deliveries__edition=edition)
        .annotate(dcs_account=Exists(dcs_account))
        .values_list("pk", "role", "dcs_account")
    )


ADD_CHUNK = 500  # copies made per insert: the worker's memory stays flat however many readers


def add_deliveries(edition: Edition) -> int:
    readers = list(readers_to_add(edition))  # read in full first: the inserts change what it reads
    for start in range(0, len(readers), ADD_CHUNK):
        Delivery.objects.bulk_create(
            [
                Delivery(edition=edition, subscriber_id=pk, dcs=role in roles.DCS_ROLES or account)
                for pk, role, account in readers[start : start + ADD_CHUNK]
            ],
            ignore_conflicts=True,
        )
    return len(readers)


@transaction.atomic
def start(edition: Edition) -> None:
    """List the edition's readers: those subscribed when it is first sent."""
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.started_at is None:
        add_deliveries(locked)
        locked.started_at = timezone.now()
        locked.save(update_fields=["started_at"])


def run_edition(edition_id: int) -> str:
    """The task's work: send what is due, then queue the next run or finish. Returns the outcome."""
    edition = Edition.objects.select_related("issue").get(pk=edition_id)
    now = timezone.now()
    if edition.finished_at is not None:
        return "finished"
    if not edition.issue.is_published:
        return "not published"
    if edition.is_paused(now):
        return "paused"
    wake(edition, now + lease())  # should this run be killed, the next follows
    start(edition)
    sender = Sender()
    try:
        with commits_not_waiting_for_disk():
            outcome = send_due(edition, sender)
    finally:
        sender.close()
    return outcome if outcome != "done" else finish_or_wait(edition)


@contextlib.contextmanager
def commits_not_waiting_for_disk():
    """On PostgreSQL, the run's commits (one per copy handed over) do not wait for the disk.

    A killed worker loses nothing by it: what it committed is the database server's. Only a crash
    of the database server itself could lose the last fraction of a second's "sent" records, and
    those readers would be sent their copy again.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


BATCH = 25  # copies claimed in one transaction; each is still recorded as sent on its own


def send_due(edition: Edition, sender: "Sender") -> str:
    checked = time.monotonic()
    while True:
        if time.monotonic() - checked > settings.EDITION_LEASE_SECONDS / 4:
            checked = time.monotonic()
            if not Issue.objects.published().filter(pk=edition.issue_id).exists():
                return "unpublished"
            wake(edition, timezone.now() + lease())
        batch = claim_batch(edition)
        if batch is None:
            return "done"
        for n, delivery in enumerate(batch):
            try:
                hand_over(delivery, edition, sender)
            except ServerDown as down:
                release(batch[n:])
                pause(edition, str(down))
                return "paused"
        if edition.pauses_in_a_row or edition.paused_until:
            Edition.objects.filter(pk=edition.pk).update(
                paused_until=None, pause_message="", pauses_in_a_row=0
            )
            edition.pauses_in_a_row, edition.paused_until = 0, None


@transaction.atomic
def claim_batch(edition: Edition) -> list[Delivery] | None:
    """Take the next copies to send (queued first, then those due again), marking them as being
    handed over from now: their lease. Copies of readers who have left are marked not sent.
    None when there is nothing to take."""
    now = timezone.now()
    deliveries = Delivery.objects.filter(edition=edition).select_for_update(
        skip_locked=True, of=("self",)
    )
    batch = list(deliveries.queued().select_related("subscriber")[:BATCH])
    if not batch:
        batch = list(deliveries.due_again(now, lease()).select_related("subscriber")[:BATCH])
    if not batch:
        return None
    gone = [d.pk for d in batch if d.subscriber.status != Subscriber.Status.SUBSCRIBED]
    Delivery.objects.filter(pk__in=gone).update(status=Delivery.Status.SKIPPED)
    batch = [d for d in batch if d.pk not in gone]
    Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    for delivery in batch:
        delivery.status, delivery.claimed_at = Delivery.Status.SENDING, now
        delivery.attempts += 1
    return batch


def still_to_send(delivery: Delivery) -> bool:
    """The reader is still subscribed, and no other worker has taken the copy since."""
    return Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.SENDING,
        claimed_at=delivery.claimed_at,
        subscriber__status=Subscriber.Status.SUBSCRIBED,
    ).exists()


def hand_over(delivery: Delivery, edition: Edition, sender: "Sender") -> None:
    issue = edition.issue
    rendered = rendered_edition(edition.pk, delivery.dcs, issue.updated_at)
    message = edition_message(rendered, issue, delivery.subscriber)
    if not still_to_send(delivery):
        Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.SENDING, claimed_at=delivery.claimed_at
        ).update(status=Delivery.Status.SKIPPED, answer="Unsubscribed before it was sent.")
        return
    try:
        answer = sender.send(message)
    except Refused as refused:
        return refused_by_server(delivery, refused)
    record(delivery, Delivery.Status.SENT, answer, sent_at=timezone.now())


def release(batch: list[Delivery]) -> None:
    """Put back copies claimed but not handed over (the server is down)."""
    pks = [delivery.pk for delivery in batch]
    Delivery.objects.filter(pk__in=pks, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, attempts=F("attempts") - 1
    )


def record(delivery: Delivery, status: str, answer: str, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, answer=answer[:500], **fields)


def refused_by_server(delivery: Delivery, refused: Refused) -> None:
    if refused.bounce:
        record(delivery, Delivery.Status.BOUNCED, refused.answer, next_attempt_at=None)
        delivery.subscriber.mark_bouncing(f"Bounced: {refused.answer}")
    elif refused.temporary and delivery.attempts <= len(BACKOFF):
        retry_at = timezone.now() + datetime.timedelta(seconds=BACKOFF[delivery.attempts - 1])
        record(delivery, Delivery.Status.FAILED, refused.answer, next_attempt_at=retry_at)
    else:
        record(delivery, Delivery.Status.FAILED, refused.answer, next_attempt_at=None)


def pause(edition: Edition, reason: str) -> None:
    now = timezone.now()
    until = now + datetime.timedelta(
        seconds=min(PAUSE_MOST, PAUSE_FIRST * 2**edition.pauses_in_a_row)
    )
    local = timezone.localtime(until)
    message = (
        f"Sending paused at {timezone.localtime(now):%H:%M:%S}: the mail server cannot be "
        f"reached ({reason}). Nothing is lost: sending resumes by itself when the server "
        f"answers; next try at {local:%H:%M:%S}."
    )
    Edition.objects.filter(pk=edition.pk).update(
        paused_until=until, pause_message=message[:500], pauses_in_a_row=F("pauses_in_a_row") + 1
    )
    wake(edition, until)


def finish_or_wait(edition: Edition) -> str:
    """Finished when no copy is left to send; else run again when the next one is due."""
    waiting = edition.deliveries.waiting().aggregate(
        claimed=Min("claimed_at", filter=Q(status=Delivery.Status.SENDING)),
        retry=Min("next_attempt_at", filter=Q(status=Delivery.Status.FAILED)),
    )
    due = [t for t in (waiting["claimed"] and waiting["claimed"] + lease(), waiting["retry"]) if t]
    if due:
        wake(edition, max(min(due), timezone.now()) + datetime.timedelta(seconds=1))
        return "waiting"
    Edition.objects.filter(pk=edition.pk, finished_at=None).update(finished_at=timezone.now())
    return "finished"


class Sender:
    """One connection to the mail server (or provider) for a whole run, opened when first used."""

    def __init__(self):
        self.connection = None

    def send(self, message) -> str:
        """Hand the message over; the server's answer. Raises Refused or ServerDown."""
        try:
            self.hand(message)
        except AnymailRecipientsRefused as error:
            raise Refused(str(error), bounce=True) from error
        except AnymailAPIError as error:
            if error.status_code is None or error.status_code >= 500:
                self.close()
                raise ServerDown(str(error)) from error
            raise Refused(str(error), temporary=error.status_code == 429) from error
        except AnymailError as error:
            raise Refused(str(error), temporary=True) from error
        except smtplib.SMTPRecipientsRefused as error:
            code, answer = next(iter(error.recipients.values()))
            raise Refused(
                smtp_answer(code, answer), bounce=code >= 500, temporary=code < 500
            ) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise Refused(
                smtp_answer(error.smtp_code, error.smtp_error), temporary=error.smtp_code < 500
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise ServerDown(f"{type(error).__name__}: {error}") from error
        return answer_of(message)

    def hand(self, message) -> None:
        if self.connection is None:
            self.connection = mailers.default
            self.connection.open()
        try:
            self.connection.send_messages([message])
        except smtplib.SMTPServerDisconnected:
            # Servers close a connection after so many messages, or when idle: open another,
            # once, before taking the server for down. The closed connection shows at the next
            # message's first command, before anything of it is handed over.
            self.close()
            self.connection = mailers.default
            self.connection.open()
            self.connection.send_messages([message])

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None


def smtp_answer(code: int, answer: bytes | str) -> str:
    text = answer.decode(errors="replace") if isinstance(answer, bytes) else str(answer)
    return f"{code} {text}"


def answer_of(message) -> str:
    if hasattr(message, "server_answer"):
        return message.server_answer
    status = getattr(message, "anymail_status", None)  # a provider's API
    if status is not None:
        return f"{', '.join(sorted(status.status or []))} (id {status.message_id})"
    return "accepted"
