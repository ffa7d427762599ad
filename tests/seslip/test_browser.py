"""A reader in a real Chromium (Debian's, via Playwright): reading, paging, filtering, searching,
with axe-core checking every page for serious or critical accessibility problems."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from contacts.models import Organisation
from seslip.lib.generations import write_batch
from tests.factories import (
    authority,
    days,
    list_contact,
    list_meeting,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    make_triad,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site():
    # One transaction, each derived value refreshed once at its end (as the importer writes).
    with write_batch():
        programme = Organisation.objects.get(kind=Organisation.Kind.PROGRAMME)
        isabelle = make_contact(
            "Isabelle Gregory", organisation=programme, email="isabelle@example.org"
        )
        network = make_network("Data Benchmarking", convener=isabelle)
        for number in range(300, 325):
            issue = make_issue(
                number, date=datetime.date(2019, 1, 4) + datetime.timedelta(weeks=number - 300)
            )
            make_item(issue, f"Weekly news {number}")
        latest = make_issue(349, date=datetime.date(2019, 4, 26), intro="A brief summary.")
        list_contact(latest, isabelle)
        triads = make_item(
            latest,
            "Peer Challenge Triads",
            update_text="<p>Please contact Isabelle Gregory (details below).</p>",
            action_text="<p>Book your places for the November sessions.</p>",
            contacts=[isabelle],
            authorities=[authority("Kent")],
        )
        make_action(triads, "Book your places", due_date=days(3))
        benchmarking = make_item(latest, "Data Benchmarking Group", networks=[network], position=1)
        make_action(benchmarking, "Send the quarterly figures", due_date=days(12))
        make_item(latest, "Children not in school", section="reminder")
        make_resource(latest, "Keeping Children Safe in Education", url="https://example.org/kcsie")
        list_meeting(latest, make_meeting(network, days(5), topic="Quarterly figures"))
        latest.triads.add(make_triad(number=1, date=days(20)))
        return {"latest": latest, "network": network, "benchmarking": benchmarking}


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
    assert not page.csp_errors, page.csp_errors


def test_reader_reads_the_latest_update(live_server, page, site):
    page.goto(live_server.url + reverse("home"))
    assert_accessible(page)
    page.get_by_role("link", name="Update 349").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Update 349"
    assert page.get_by_role("heading", name="Action Required").count() == 2
    expect(page.get_by_role("heading", name="Reminders from previous weeks")).to_be_visible()
    assert "Book your places" in page.locator(".action-required").first.inner_text()
    assert_accessible(page)
    page.locator(".item-text").get_by_role("link", name="Isabelle Gregory").first.click()
    expect(page).to_have_url(re.compile(re.escape("#contact-isabelle-gregory") + "$"))
    expect(page.locator("#contact-isabelle-gregory")).to_be_visible()
    page.get_by_role("link", name="Previous: Update 324").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Update 324"


def test_reader_pages_through_the_archive(live_server, page, site):
    page.goto(live_server.url + reverse("issue_list"))
    expect(page.get_by_role("link", name="Update 349")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Older updates").click()
    expect(page).to_have_url(re.compile(re.escape("page=2")))
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(page.get_by_role("link", name="Update 300")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="2019").click()
    assert page.get_by_role("heading", level=1).inner_text() == "All updates from 2019"


def test_reader_filters_the_dashboard(live_server, page, site):
    page.goto(live_server.url + reverse("dashboard"))
    expect(page.get_by_text("Book your places")).to_be_visible()
    expect(page.get_by_text("Send the quarterly figures")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("combobox", name="Network").select_option("data-benchmarking")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(re.escape("network=data-benchmarking")))
    expect(page.get_by_text("Send the quarterly figures")).to_be_visible()
    expect(page.get_by_text("Book your places")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Data Benchmarking Group").first.click()
    expect(page).to_have_url(
        re.compile(re.escape(f"/updates/349/#item-{site['benchmarking'].pk}") + "$")
    )


def test_reader_searches(live_server, page, site):
    page.goto(live_server.url + reverse("home"))
    page.get_by_label("Search updates").fill("november")
    page.get_by_role("button", name="Search").first.click()
    expect(page).to_have_url(re.compile(re.escape("q=november")))
    expect(page.get_by_role("link", name="Peer Challenge Triads")).to_be_visible()
    assert page.locator("mark", has_text="November").count() >= 1
    assert_accessible(page)


@pytest.mark.parametrize(
    "name",
    ["network_list", "peer_challenge", "contact_list", "network_detail", "missing", "bad_filter"],
)
def test_other_pages_are_accessible(live_server, page, site, name):
    if name == "network_detail":
        url = reverse(name, args=[site["network"].slug])
    elif name == "missing":
        url = "/updates/99999/"
    elif name == "bad_filter":
        url = reverse("issue_list") + "?network=nowhere&page=abc&year=99999"
    else:
        url = reverse(name)
    page.goto(live_server.url + url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_pages_work_on_a_phone(live_server, browser, site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.csp_errors = []
    phone.goto(live_server.url + reverse("issue_detail", args=[349]))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert_accessible(phone)


def test_skip_link_takes_keyboard_users_to_the_content(live_server, page, site):
    page.goto(live_server.url + reverse("home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape("#main") + "$"))


def test_an_update_prints_without_the_site_around_it(live_server, page, site):
    page.goto(live_server.url + reverse("issue_detail", args=[349]))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".ics").first).to_be_hidden()
    expect(page.get_by_role("heading", name="Peer Challenge Triads", exact=True)).to_be_visible()
    assert page.pdf()[:4] == b"%PDF"
