"""Publishing sends the update by e-mail: read here as a mail client would, from a real SMTP
server on loopback."""

import re
import urllib.parse

import pytest
from django.utils import timezone

from newsletters.models import Delivery, Edition, Subscriber
from seslip.lib.roles import ReaderRole
from tests.conftest import member
from tests.factories import make_issue, make_item

pytestmark = pytest.mark.django_db


def subscriber(email, *, role="", status=Subscriber.Status.SUBSCRIBED, name="A Reader"):
    return Subscriber.objects.create(email=email, name=name, role=role, status=status)


@pytest.fixture
def update():
    issue = make_issue(612, published=False)
    make_item(
        issue,
        "Kinship carers: new guidance",
        update_text='<p>New <a href="https://www.gov.uk/kinship">statutory guidance</a>.</p>',
        action_text="<p>Reply by Friday.</p>",
    )
    make_item(issue, "Budget settlement for directors", dcs_only=True, position=1)
    return issue


def parts(message):
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_publishing_sends_each_subscriber_one_message_with_html_and_text(
    update, mail_server, run_tasks
):
    subscriber("ann@example.org")
    subscriber("bob@example.org")
    update.publish()
    run_tasks()
    assert sorted(r[0] for r, _ in mail_server.inbox.messages) == [
        "ann@example.org",
        "bob@example.org",
    ]
    message = mail_server.inbox.to("ann@example.org")[0]
    assert message["Subject"] == f"SESLIP Update 612 – {update.date:%-d %B %Y}"
    body = parts(message)
    assert set(body) == {"text/plain", "text/html"}
    assert "Kinship carers: new guidance" in body["text/plain"]
    assert "Action Required" in body["text/plain"]
    assert (
        "Kinship carers: new guidance" in body["html"]
        if False
        else "Kinship carers: new guidance" in body["text/html"]
    )


def test_the_html_is_tables_with_inlined_css_and_no_scripts(update, mail_server, run_tasks):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    html = parts(mail_server.inbox.to("ann@example.org")[0])["text/html"]
    assert "<table" in html and 'style="' in html
    assert "<script" not in html.lower()
    assert "prefers-color-scheme: dark" in html and 'name="color-scheme"' in html
    assert "<img" not in html  # readable with images off: there are none to miss


def test_the_message_carries_one_click_unsubscribe_and_a_stable_message_id(
    update, mail_server, run_tasks
):
    ann = subscriber("ann@example.org")
    update.publish()
    run_tasks()
    message = mail_server.inbox.to("ann@example.org")[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])
    assert https.startswith("http") and "/unsubscribe/" in https
    assert mailto.startswith("mailto:")
    assert message["Message-ID"] == f"<update-612.reader-{ann.pk}@localhost>"


def test_unsubscribing_by_post_to_the_header_url_stops_the_next_update(
    update, mail_server, run_tasks, client
):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    message = mail_server.inbox.to("ann@example.org")[0]
    url = re.findall(r"<([^>]+)>", message["List-Unsubscribe"])[0]
    path = urllib.parse.urlsplit(url).path
    response = client.post(path, {"List-Unsubscribe": "One-Click"})  # as a mailbox provider does
    assert response.status_code == 200
    assert Subscriber.objects.get(email="ann@example.org").status == Subscriber.Status.UNSUBSCRIBED
    later = make_issue(613, published=False)
    make_item(later, "Next week's news")
    later.publish()
    run_tasks()
    assert len(mail_server.inbox.to("ann@example.org")) == 1


def test_a_get_on_the_unsubscribe_url_only_asks(update, mail_server, run_tasks, client):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    url = re.findall(r"<([^>]+)>", mail_server.inbox.to("ann@example.org")[0]["List-Unsubscribe"])[
        0
    ]
    response = client.get(urllib.parse.urlsplit(url).path)
    assert b"Unsubscribe</button>" in response.content
    assert Subscriber.objects.get(email="ann@example.org").status == Subscriber.Status.SUBSCRIBED


def test_links_lead_to_the_update_online_and_the_readers_preferences(
    update, mail_server, run_tasks, client
):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    text = parts(mail_server.inbox.to("ann@example.org")[0])["text/plain"]
    online = re.search(r"View this update online: (\S+)", text).group(1)
    preferences = re.search(r"Your subscription preferences: (\S+)", text).group(1)
    assert client.get(urllib.parse.urlsplit(online).path).status_code == 200
    page = client.get(urllib.parse.urlsplit(preferences).path)
    assert b"ann@example.org" in page.content


def test_dcs_only_items_reach_dcss_and_their_pas_only(update, mail_server, run_tasks):
    subscriber("dcs@example.org", role="dcs")
    subscriber("pa@example.org", role="dcs_pa")
    subscriber("lead@example.org", role="lead")
    update.publish()
    run_tasks()
    for address in ("dcs@example.org", "pa@example.org"):
        assert (
            "Budget settlement for directors"
            in parts(mail_server.inbox.to(address)[0])["text/plain"]
        )
    others = parts(mail_server.inbox.to("lead@example.org")[0])
    assert "Budget settlement for directors" not in others["text/plain"]
    assert "1 item in this update is for DCSs only" in others["text/plain"]
    assert "1 item in this update is for DCSs only" in others["text/html"]
    assert "/accounts/login/?next=%2Fupdates%2F612%2F" in others["text/plain"]


def test_a_subscriber_whose_account_is_a_dcs_pa_gets_the_dcs_items(
    update, mail_server, run_tasks, django_user_model
):
    """The reader account's role counts, whatever the subscriber record says."""
    account = member(django_user_model, "pat", "Kent", ReaderRole.DCS_PA)
    Subscriber.objects.create(
        email="pat@kent.gov.uk", account=account, status=Subscriber.Status.SUBSCRIBED
    )
    assert Subscriber.objects.get(email="pat@kent.gov.uk").gets_dcs_items
    update.publish()
    run_tasks()
    text = parts(mail_server.inbox.to("pat@kent.gov.uk")[0])["text/plain"]
    assert "Budget settlement for directors" in text


def test_pending_and_unsubscribed_readers_get_nothing(update, mail_server, run_tasks):
    subscriber("pending@example.org", status=Subscriber.Status.PENDING)
    subscriber("gone@example.org", status=Subscriber.Status.UNSUBSCRIBED)
    update.publish()
    run_tasks()
    assert mail_server.inbox.messages == []


def test_republishing_sends_nobody_a_second_copy(update, mail_server, run_tasks):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    update.unpublish()
    update.publish()
    run_tasks()
    assert len(mail_server.inbox.to("ann@example.org")) == 1


def test_a_scheduled_update_is_sent_when_it_is_published(update, mail_server, run_tasks):
    subscriber("ann@example.org")
    update.publish(at=timezone.now() + timezone.timedelta(hours=2))
    run_tasks()
    assert mail_server.inbox.messages == []
    assert Edition.objects.get(issue=update).deliveries.count() == 0


def test_each_delivery_records_the_servers_answer(update, mail_server, run_tasks):
    subscriber("ann@example.org")
    update.publish()
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.answer.startswith("250 2.0.0 Ok: queued as")
    assert Edition.objects.get().finished_at is not None
