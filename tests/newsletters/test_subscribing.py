"""Anyone may subscribe at /subscribe/: double opt-in by an e-mailed, signed, expiring link."""

import re
import time
import urllib.parse

import pytest

from newsletters.mailing import links
from newsletters.models import Subscriber

pytestmark = pytest.mark.django_db


def ask(client, email="ann@example.org", name="Ann Reader"):
    return client.post("/subscribe/", {"email": email, "name": name})


def link_in(message):
    return urllib.parse.urlsplit(re.search(r"https?://\S+", message.get_content()).group(0)).path


def test_subscribing_sends_a_link_and_subscribes_nobody_yet(client, mail_server, run_tasks):
    response = ask(client)
    run_tasks()
    assert b"Check your inbox" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    [message] = mail_server.inbox.to("ann@example.org")
    assert message["Subject"] == "Confirm your SESLIP update subscription"


def test_following_the_link_and_pressing_confirm_subscribes(client, mail_server, run_tasks):
    ask(client)
    run_tasks()
    path = link_in(mail_server.inbox.to("ann@example.org")[0])
    page = client.get(path)
    assert b"Confirm my subscription</button>" in page.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET confirms nothing
    response = client.post(path)
    assert b"You are subscribed" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.SUBSCRIBED


def test_asking_twice_sends_another_link_never_a_second_subscription(
    client, mail_server, run_tasks
):
    ask(client)
    ask(client, email="ANN@example.org")
    run_tasks()
    assert Subscriber.objects.count() == 1
    assert (
        len(mail_server.inbox.to("ann@example.org")) + len(mail_server.inbox.to("ANN@example.org"))
        == 2
    )


def test_the_page_says_the_same_whether_or_not_the_address_is_known(client, mail_server, run_tasks):
    Subscriber.objects.create(email="known@example.org", status=Subscriber.Status.SUBSCRIBED)
    known = ask(client, email="known@example.org").content.replace(b"known@example.org", b"X")
    unknown = ask(client, email="new@example.org").content.replace(b"new@example.org", b"X")
    strip = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub(b"", known) == strip.sub(b"", unknown)


def test_a_subscribed_reader_asking_again_gets_their_preferences_link(
    client, mail_server, run_tasks
):
    Subscriber.objects.create(email="ann@example.org", status=Subscriber.Status.SUBSCRIBED)
    ask(client)
    run_tasks()
    [message] = mail_server.inbox.to("ann@example.org")
    assert "already subscribed" in message.get_content()
    assert b"ann@example.org" in client.get(link_in(message)).content


def test_an_expired_link_is_refused_with_a_way_on(client, db, monkeypatch):
    subscriber = Subscriber.objects.create(email="ann@example.org")
    eight_days_ago = time.time() - 8 * 24 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: eight_days_ago)
    token = links.confirm_token(subscriber)
    monkeypatch.undo()
    response = client.post(f"/subscribe/confirm/{token}/")
    assert response.status_code == 404
    assert b"has expired" in response.content and b"ask for a new link" in response.content
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_bad_address_is_explained_and_kept_in_the_form(client):
    response = ask(client, email="not an address", name="Ann")
    assert response.status_code == 400
    assert b"Enter an e-mail address like name@example.org." in response.content
    assert b'value="Ann"' in response.content
    assert not Subscriber.objects.exists()


def test_the_subscribe_page_says_there_is_no_tracking(client):
    assert b"No tracking." in client.get("/subscribe/").content


def test_the_preferences_page_lets_a_reader_leave_and_come_back(client):
    subscriber = Subscriber.objects.create(
        email="ann@example.org", status=Subscriber.Status.SUBSCRIBED
    )
    path = urllib.parse.urlsplit(links.preferences_url(subscriber)).path
    client.post(path, {"name": "", "status": "unsubscribe"})
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    response = client.post(path, {"name": "", "status": "subscribe"})
    assert b"You are subscribed again" in response.content
    history = [h.history_change_reason for h in Subscriber.objects.get().history.all()]
    assert "Subscribed again on the preferences page." in history


def test_a_forged_preferences_link_shows_nothing(client):
    Subscriber.objects.create(email="ann@example.org")
    response = client.get("/subscribe/preferences/1:forged/")
    assert response.status_code == 404
    assert b"ann@example.org" not in response.content


@pytest.mark.parametrize("page", ["preferences", "unsubscribe"])
def test_a_readers_page_costs_one_query(client, page, django_assert_num_queries):
    subscriber = Subscriber.objects.create(
        email="ann@example.org", status=Subscriber.Status.SUBSCRIBED
    )
    url = (
        links.preferences_url(subscriber)
        if page == "preferences"
        else links.unsubscribe_url(subscriber)
    )
    with django_assert_num_queries(1):
        assert client.get(urllib.parse.urlsplit(url).path).status_code == 200


def test_the_subscribe_page_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/subscribe/").status_code == 200
