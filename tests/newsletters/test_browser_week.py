"""The editors' week in a real Chromium (Debian's, via Playwright): start the next update, add an
item with an action, reorder, preview, publish; a reader sees it; a convener keeps their meetings.

Signing in uses the test client's force_login and hands its session cookie to the browser (the
login form goes through django-axes, which the test client cannot satisfy without a request).
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from newsletters.models import Action, Issue, Placement
from tests.browser import watch_for_errors
from tests.factories import days, make_action, make_issue, make_item, make_meeting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def signed_in_page(browser, live_server, user=None):
    """A browser tab, signed in as `user` (or nobody), that records CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return watch_for_errors(context.new_page(), script_errors=True)


@pytest.fixture
def week(safeguarding_network, data_network):
    last = make_issue(349, date=days(-7), intro="This week's news.")
    old = make_item(last, "Children not in school", action_text="<p>Reply soon.</p>")
    make_action(old, "Reply to the survey")
    ours = make_meeting(safeguarding_network, days(10), topic="Quarterly review")
    theirs = make_meeting(data_network, days(12), topic="Benchmarking")
    return {"last": last, "ours": ours, "theirs": theirs}


def test_the_rich_text_editor_loads_under_the_content_security_policy(
    live_server, browser, editor, week
):
    item = week["last"].placements.get().item
    page = signed_in_page(browser, live_server, editor)
    page.goto(live_server.url + reverse("admin:newsletters_newsitem_change", args=[item.pk]))
    editor_box = page.locator(".ProseMirror").first
    editor_box.wait_for()
    assert "Children not in school" in page.title()
    assert page.locator(".ProseMirror").count() == 2
    editor_box.click()
    page.keyboard.press("End")
    page.keyboard.type(" More news.")
    assert "More news." in editor_box.inner_text()
    assert not page.csp_errors, page.csp_errors


def test_the_editors_week(live_server, browser, editor, reader, week):
    page = signed_in_page(browser, live_server, editor)
    admin = live_server.url + "/admin/newsletters/"

    # Start the next update from last week's.
    page.goto(admin + "issue/")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "start_next_update")
    page.get_by_role("button", name="Run").click()
    assert "Update 350 is started as a draft" in page.locator(".messagelist").inner_text()
    draft = Issue.objects.get(number=350)
    assert draft.published_at is None
    assert not page.csp_errors, page.csp_errors

    # Add this week's item with an action and a due date.
    page.goto(admin + "newsitem/add/")
    page.fill("#id_title", "New regional survey")
    page.locator(".ProseMirror").first.click()
    page.keyboard.type("The survey is open.")
    due = days(9)
    page.fill("#id_actions-0-description", "Fill in the survey")
    page.fill("#id_actions-0-due_date", due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was added successfully" in page.locator(".messagelist").inner_text()
    assert not page.csp_errors, page.csp_errors

    # Place it in the draft as a headline, then drag it above the reminder.
    item_pk = Action.objects.get(description="Fill in the survey").item_id
    Placement.objects.create(issue=draft, item_id=item_pk, section="reminder", position=5)
    page.goto(admin + f"issue/{draft.pk}/change/")
    cards = page.locator(".sortable-placements .item-card.has_original")
    assert cards.count() == 2
    cards.nth(1).drag_to(cards.nth(0))
    positions = {
        page.input_value(f"input[name=placements-{n}-position]"): page.input_value(
            f"input[name=placements-{n}-title]"
        )
        for n in range(2)
    }
    assert positions["0"] == "New regional survey", positions
    page.select_option("select[name=placements-1-section]", "headline")  # from the reminders
    page.get_by_role("button", name="Save and continue editing").click()
    errors = page.locator(".errornote, .errorlist")
    assert not errors.count(), errors.all_inner_texts()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    first = draft.placements.order_by("position").first()
    assert first.item.title == "New regional survey"
    assert first.section == Placement.Section.HEADLINE
    assert not page.csp_errors, page.csp_errors

    # Preview: the draft, as it will be published, with a banner.
    page.get_by_role("button", name="Save and preview").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Update 350"
    assert "Draft" in page.locator(".draft-banner").inner_text()
    assert "New regional survey" in page.locator("main").inner_text()
    assert not page.csp_errors, page.csp_errors

    # The signed link opens for someone without an account.
    page.goto(admin + f"issue/{draft.pk}/change/")
    link = page.input_value("#preview-link")
    stranger = signed_in_page(browser, live_server)
    stranger.goto(link)
    assert "New regional survey" in stranger.locator("main").inner_text()
    assert stranger.get_by_role("heading", level=1).inner_text() == "Update 350"

    # Publish.
    page.get_by_role("button", name="Save and publish now").click()
    assert "Update 350 is saved and published" in page.locator(".messagelist").inner_text()

    # A reader sees it, and the action on the dashboard.
    reader_page = signed_in_page(browser, live_server, reader)
    reader_page.goto(live_server.url + reverse("issue_detail", args=[350]))
    assert "New regional survey" in reader_page.locator("main").inner_text()
    assert "draft-banner" not in reader_page.content()
    reader_page.goto(live_server.url + reverse("dashboard"))
    assert "Fill in the survey" in reader_page.locator("main").inner_text()
    assert not reader_page.csp_errors, reader_page.csp_errors


def test_a_convener_moves_their_meeting_and_is_refused_another_network_s(
    live_server, browser, convener, week
):
    page = signed_in_page(browser, live_server, convener)
    ours, theirs = week["ours"], week["theirs"]
    page.goto(live_server.url + reverse("admin:networks_meeting_change", args=[ours.pk]))
    new_date = days(17)
    page.fill("#id_date", new_date.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    ours.refresh_from_db()
    assert ours.date == new_date
    assert ours.history.first().history_user == convener

    response = page.goto(
        live_server.url + reverse("admin:networks_meeting_change", args=[theirs.pk])
    )
    assert response.status == 403
    theirs_date = theirs.date
    theirs.refresh_from_db()
    assert theirs.date == theirs_date
    assert isinstance(theirs_date, datetime.date)


def test_history_and_restore_pages_hold_under_the_content_security_policy(
    live_server, browser, editor, week
):
    item = week["last"].placements.get().item
    item.title = "Children missing education"
    item.save()
    page = signed_in_page(browser, live_server, editor)
    page.goto(live_server.url + reverse("admin:newsletters_newsitem_history", args=[item.pk]))
    assert page.locator("#change-history").count() == 1
    page.locator("#change-history a").last.click()  # the first version
    assert page.input_value("#id_title") == "Children not in school"
    page.locator(".ProseMirror").first.wait_for()
    page.get_by_role("button", name="Revert").click()
    item.refresh_from_db()
    assert item.title == "Children not in school"
    assert not page.csp_errors, page.csp_errors


def test_a_date_in_the_action_s_words_fills_the_empty_due_date_as_the_editor_types(
    live_server, browser, editor, week
):
    item = week["last"].placements.get().item
    page = signed_in_page(browser, live_server, editor)
    page.goto(live_server.url + reverse("admin:newsletters_newsitem_change", args=[item.pk]))
    description = page.locator("textarea[name='actions-1-description']")
    description.fill("Send your nominations by 12 November.")
    due = page.locator("input[name='actions-1-due_date']")
    expected = next(
        d
        for d in (datetime.date(week["last"].date.year + n, 11, 12) for n in (0, 1))
        if d >= week["last"].date
    )
    page.wait_for_function(
        "() => document.querySelector(\"input[name='actions-1-due_date']\").value !== ''"
    )
    assert due.input_value() == expected.strftime("%d/%m/%Y")
    assert "taken from the text — check it" in page.locator(".due-date-suggestion").inner_text()
    due.fill("01/12/2030")
    description.fill("Send your nominations by 14 November.")
    page.wait_for_timeout(800)
    assert due.input_value() == "01/12/2030"  # the editor's own date stays
    assert not page.csp_errors, page.csp_errors
