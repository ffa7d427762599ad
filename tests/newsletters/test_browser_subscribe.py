"""A reader subscribes in a real Chromium: types an address, confirms from the e-mailed link,
later leaves with one click; axe-core checks each page."""

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from newsletters.models import Subscriber
from tests.seslip.test_browser import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def path_in(message):
    return urllib.parse.urlsplit(re.search(r"https?://\S+", message.get_content()).group(0)).path


def test_a_reader_subscribes_confirms_and_unsubscribes(
    live_server, page, mail_server, run_tasks, settings
):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/subscribe/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("ann@example.org")
    page.get_by_label("Your name (optional)").fill("Ann Reader")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    assert_accessible(page)

    run_tasks()
    page.goto(live_server.url + path_in(mail_server.inbox.to("ann@example.org")[0]))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my subscription").click()
    expect(page.get_by_role("heading", name="You are subscribed")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.SUBSCRIBED

    page.get_by_role("link", name="your preferences").click()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_text("You are unsubscribed")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_a_bad_address_is_explained_next_to_the_field(live_server, page):
    page.goto(live_server.url + "/subscribe/")
    page.get_by_label("E-mail address").fill("ann at example")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_text("Enter an e-mail address like name@example.org.")).to_be_visible()
    assert page.get_by_label("E-mail address").input_value() == "ann at example"
    assert_accessible(page)
