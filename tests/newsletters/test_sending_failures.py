"""What the mail server says is recorded per copy: bounces, temporary refusals, a server down."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.mailing import sending
from newsletters.mailing.services import retry_failed, send_to_those_without
from newsletters.models import Delivery, Edition, Subscriber
from tests.factories import make_issue, make_item
from tests.mailserver import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def update():
    issue = make_issue(700, published=False)
    make_item(issue, "Regional news")
    return issue


def subscribe(*emails):
    for email in emails:
        Subscriber.objects.create(email=email, status=Subscriber.Status.SUBSCRIBED)


def delivery_to(email):
    return Delivery.objects.get(subscriber__email=email)


def test_a_permanent_refusal_bounces_and_marks_the_reader_bouncing(update, mail_server, run_tasks):
    subscribe("gone@example.org", "ann@example.org")
    mail_server.inbox.refuse["gone@example.org"] = "550 5.1.1 No such mailbox"
    update.publish()
    run_tasks()
    gone = delivery_to("gone@example.org")
    assert (gone.status, gone.answer) == (Delivery.Status.BOUNCED, "550 5.1.1 No such mailbox")
    reader = Subscriber.objects.get(email="gone@example.org")
    assert reader.status == Subscriber.Status.BOUNCING
    assert "550 5.1.1 No such mailbox" in reader.status_note
    assert delivery_to("ann@example.org").status == Delivery.Status.SENT


def test_a_temporary_refusal_is_tried_again_after_a_back_off(update, mail_server, run_tasks):
    subscribe("busy@example.org")
    mail_server.inbox.refuse["busy@example.org"] = "451 4.7.1 Try again later"
    update.publish()
    run_tasks()
    busy = delivery_to("busy@example.org")
    assert busy.status == Delivery.Status.FAILED
    assert busy.next_attempt_at - timezone.now() > datetime.timedelta(seconds=50)
    assert Edition.objects.get().finished_at is None  # not finished: a retry is to come
    del mail_server.inbox.refuse["busy@example.org"]
    Delivery.objects.update(next_attempt_at=timezone.now())  # the back-off is over
    DBTaskResult.objects.update(run_after=timezone.now())
    run_tasks()
    assert delivery_to("busy@example.org").status == Delivery.Status.SENT
    assert len(mail_server.inbox.to("busy@example.org")) == 1


def test_an_unsubscribe_before_the_hand_over_means_it_is_not_sent(
    update, mail_server, run_tasks, monkeypatch
):
    subscribe("ann@example.org", "bob@example.org")
    claim = sending.claim_batch

    def bob_leaves_after_the_claim(edition):
        batch = claim(edition)
        Subscriber.objects.get(email="bob@example.org").unsubscribe()
        return batch

    monkeypatch.setattr(sending, "claim_batch", bob_leaves_after_the_claim)
    update.publish()
    run_tasks()
    assert mail_server.inbox.to("bob@example.org") == []
    assert delivery_to("bob@example.org").status == Delivery.Status.SKIPPED


def test_smtp_down_pauses_the_edition_with_a_message_and_it_resumes(
    update, mail_server, run_tasks, settings
):
    subscribe("ann@example.org", "bob@example.org")
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            **working["default"],
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    update.publish()
    run_tasks()
    edition = Edition.objects.get()
    assert edition.is_paused()
    assert "the mail server cannot be reached" in edition.pause_message
    assert "Nothing is lost" in edition.pause_message
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.QUEUED}
    settings.MAILERS = working  # the server is back, and the pause is over
    Edition.objects.update(paused_until=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())
    run_tasks()
    assert not Edition.objects.get().is_paused()
    assert Edition.objects.get().pause_message == ""
    assert len(mail_server.inbox.messages) == 2


def test_retrying_the_failed_queues_them_again(update, mail_server, run_tasks):
    subscribe("busy@example.org")
    mail_server.inbox.refuse["busy@example.org"] = "452 Mailbox full"
    update.publish()
    run_tasks()
    del mail_server.inbox.refuse["busy@example.org"]
    assert retry_failed(edition=Edition.objects.get()) == 1
    run_tasks()
    assert delivery_to("busy@example.org").status == Delivery.Status.SENT


def test_sending_to_those_who_have_not_had_it_reaches_new_subscribers_only(
    update, mail_server, run_tasks
):
    subscribe("ann@example.org")
    update.publish()
    run_tasks()
    subscribe("new@example.org")
    assert send_to_those_without(edition=Edition.objects.get()) == 1
    run_tasks()
    assert len(mail_server.inbox.to("ann@example.org")) == 1
    assert len(mail_server.inbox.to("new@example.org")) == 1


def test_a_server_that_hangs_up_after_each_message_gets_them_all_without_a_pause(
    update, mail_server, run_tasks
):
    subscribe("ann@example.org", "bob@example.org", "cat@example.org")
    mail_server.inbox.hang_up_after_each = True
    update.publish()
    run_tasks()
    assert len(mail_server.inbox.messages) == 3
    assert Edition.objects.get().pauses_in_a_row == 0
