"""Editors send a test to themselves from the compose screen, and watch each edition's page."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from newsletters.models import Delivery, Edition, Subscriber
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item

pytestmark = pytest.mark.django_db


def sign_in(client, username="edith"):
    response = client.post(
        "/admin/login/",
        {"username": username, "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302


@pytest.fixture
def update():
    issue = make_issue(800, published=False)
    make_item(issue, "Regional news")
    make_item(issue, "For directors", dcs_only=True, position=1)
    return issue


def test_an_editor_sends_a_test_to_themselves_from_the_compose_screen(
    client, editor, update, mail_server
):
    sign_in(client)
    url = reverse("admin:newsletters_issue_change", args=[update.pk])
    placements = [(p.pk, p.item_id, p.section) for p in update.placements.order_by("position")]
    data = issue_form(
        800, date=f"{update.date:%Y-%m-%d}", placements=placements, initial_placements=2
    )
    data |= {"intro": "Typed just now.", "_send_test": "Save and send a test to myself"}
    response = client.post(url, data, follow=True)
    assert "A test of Update 800 is sent to edith@example.org." in response.content.decode()
    [message] = mail_server.inbox.to("edith@example.org")
    assert message["Subject"].startswith("[Test] SESLIP Update 800")
    body = message.get_body(("plain",)).get_content()
    assert "For directors" in body and "Typed just now." in body  # saved first, then sent
    assert not Edition.objects.exists()  # a test queues nothing


def test_a_test_with_the_server_down_says_so(client, editor, update, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "newsletters.mailing.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    sign_in(client)
    response = client.post(
        reverse("admin:newsletters_issue_changelist"),
        {"action": "send_test_to_myself", "_selected_action": [update.pk], "index": 0},
        follow=True,
    )
    assert "The test of Update 800 was not sent: the mail server said" in response.content.decode()


def test_the_edition_page_shows_its_counts_and_state(
    client, editor, update, mail_server, run_tasks
):
    Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)
    Subscriber.objects.create(email="gone@example.org", status=Subscriber.Status.SUBSCRIBED)
    mail_server.inbox.refuse["gone@example.org"] = "550 No such mailbox"
    update.publish()
    run_tasks()
    sign_in(client)
    edition = Edition.objects.get()
    page = client.get(
        reverse("admin:newsletters_edition_change", args=[edition.pk])
    ).content.decode()
    assert "Finished at" in page
    assert '<td data-status="sent">1</td>' in page
    assert '<td data-status="bounced">1</td>' in page
    assert "550 No such mailbox" in page  # the copies that need an eye
    counts = client.get(reverse("admin:newsletters_edition_counts", args=[edition.pk])).json()
    assert counts["counts"]["sent"] == 1 and counts["counts"]["bounced"] == 1


def test_the_edition_page_costs_the_same_queries_for_many_copies(
    client, editor, update, django_assert_max_num_queries
):
    edition = Edition.objects.create(issue=update)
    for n in range(150):
        reader = Subscriber.objects.create(
            email=f"r{n}@example.org", status=Subscriber.Status.SUBSCRIBED
        )
        Delivery.objects.create(edition=edition, subscriber=reader, status=Delivery.Status.FAILED)
    sign_in(client)
    with django_assert_max_num_queries(16):
        client.get(reverse("admin:newsletters_edition_change", args=[edition.pk]))


def test_send_update_queues_the_edition_once(update, mail_server, run_tasks, capsys):
    Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)
    update.publish()
    run_tasks()
    call_command("send_update", "800")
    assert "was sent already; nobody gets it twice" in capsys.readouterr().out
    run_tasks()
    assert len(mail_server.inbox.to("ann@example.org")) == 1


def test_send_update_test_to_sends_one_test_copy(update, mail_server, capsys):
    call_command("send_update", "800", "--test-to", "me@example.org", "--as-reader")
    [message] = mail_server.inbox.to("me@example.org")
    assert "For directors" not in message.get_body(("plain",)).get_content()
    assert "1 item in this update is for DCSs only" in message.get_body(("plain",)).get_content()


def test_send_update_refuses_a_draft(update):
    with pytest.raises(CommandError, match="Update 800 is not published yet"):
        call_command("send_update", "800")
