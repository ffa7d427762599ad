"""The update's page in a real Chromium: no serious or critical accessibility problem (axe-core)
at a desktop's 1280 pixels and a phone's 390, and nothing wider than the phone's screen."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.admin_pages import sign_in
from tests.factories import (
    days,
    list_contact,
    list_meeting,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
)
from tests.seslip.test_browser import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def update():
    issue = make_issue(516, date=days(3), published=False, intro="This week's news.")
    network = make_network("AD Safeguarding")
    for n in range(5):
        make_item(issue, f"Headline {n}", networks=[network])
    make_item(issue, "Reminder", section="reminder")
    list_meeting(issue, make_meeting(network, days(10), topic="Quarterly review"))
    list_contact(issue, make_contact())
    make_resource(issue)
    return issue


def open_update_page(browser, live_server, editor, update, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.csp_errors = []
    url = reverse("admin:newsletters_issue_change", args=[update.pk])
    sign_in(page, live_server, editor, url)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_update_page_has_no_serious_accessibility_problem(
    live_server, browser, editor, update, width
):
    page = open_update_page(browser, live_server, editor, update, width)
    assert_accessible(page)


def test_update_page_fits_a_phone(live_server, browser, editor, update):
    page = open_update_page(browser, live_server, editor, update, 390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator("input[name=_publish]")).to_be_visible()


def open_first_item(page):
    card = page.locator("#placements-group .item-card.has_original").first
    card.get_by_role("button", name="Open").click()
    card.locator(".field-update_text .ProseMirror").wait_for()
    card.get_by_role("button", name="Add an action").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", [1280, 390])
def test_an_item_open_in_place_has_no_serious_accessibility_problem(
    live_server, browser, editor, update, width
):
    page = open_update_page(browser, live_server, editor, update, width)
    open_first_item(page)
    assert_accessible(page)


def test_an_item_open_in_place_fits_a_phone_and_is_spellchecked(
    live_server, browser, editor, update
):
    page = open_update_page(browser, live_server, editor, update, 390)
    open_first_item(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    text = page.locator("#placements-group .field-update_text .ProseMirror").first
    assert text.get_attribute("spellcheck") == "true"
    assert text.bounding_box()["width"] >= 300
