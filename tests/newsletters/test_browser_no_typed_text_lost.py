"""In a real Chromium: every button where the editor ends an update saves what was typed first,
in the update's own fields and in an item edited in place (its text and a new action), or refuses
with the form intact. The editor signs in through the login page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue
from tests.admin_pages import sign_in
from tests.factories import days, make_issue, make_item

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TYPED = "A sentence typed into Intro a moment ago."
ITEM_TEXT = "Twelve authorities have replied, typed into the item in place."
ACTION = "Send the return to Isabelle, typed in place."


@pytest.fixture
def draft(editor):
    issue = make_issue(516, date=days(3), published=False)
    make_item(issue, "Regional news")
    return issue


def type_in_the_item(page):
    """Open the item's editor in its card, type its update text and an action."""
    card = page.locator("#placements-group .item-card.has_original").first
    card.get_by_role("button", name="Open").click()
    card.locator(".field-update_text .ProseMirror").click()
    page.keyboard.type(ITEM_TEXT)
    card.get_by_role("button", name="Add an action").click()
    card.locator("textarea[name$='-description']").fill(ACTION)


def type_intro_and_press(page, live_server, editor, issue, button):
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    sign_in(page, live_server, editor, url)
    page.fill("#id_intro", TYPED)
    type_in_the_item(page)
    page.click(f"input[name={button}]")
    page.wait_for_load_state()
    return page


def intro_saved(issue):
    item = Issue.objects.get(pk=issue.pk).placements.get().item
    assert ITEM_TEXT in item.update_text
    assert list(item.actions.values_list("description", flat=True)) == [ACTION]
    return Issue.objects.get(pk=issue.pk).intro == TYPED


def test_publish_now_saves_the_typed_text_and_publishes(page, live_server, editor, draft):
    type_intro_and_press(page, live_server, editor, draft, "_publish")
    assert "Update 516 is saved and published" in page.inner_text(".messagelist")
    assert intro_saved(draft)
    page.goto(live_server.url + reverse("issue_detail", args=[516]))
    assert ITEM_TEXT in page.inner_text("main")
    assert ACTION in page.inner_text("main")
    assert Issue.objects.published().filter(pk=draft.pk).exists()


def test_schedule_without_a_time_keeps_the_typed_text_in_the_form(page, live_server, editor, draft):
    type_intro_and_press(page, live_server, editor, draft, "_schedule")
    assert "To schedule the update" in page.inner_text(".errorlist")
    assert page.input_value("#id_intro") == TYPED
    assert ITEM_TEXT in page.locator(".field-update_text .ProseMirror").inner_text()
    assert page.input_value("textarea[name$='-description']") == ACTION


def test_schedule_with_a_time_saves_the_typed_text(page, live_server, editor, draft):
    url = reverse("admin:newsletters_issue_change", args=[draft.pk])
    sign_in(page, live_server, editor, url)
    page.fill("#id_intro", TYPED)
    type_in_the_item(page)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_published_at_0", tomorrow.strftime("%d/%m/%Y"))
    page.fill("#id_published_at_1", "09:00")
    page.click("input[name=_schedule]")
    page.wait_for_load_state()
    assert "is saved and scheduled" in page.inner_text(".messagelist")
    assert intro_saved(draft)
    assert Issue.objects.scheduled().filter(pk=draft.pk).exists()


def test_preview_saves_the_typed_text_and_shows_it(page, live_server, editor, draft):
    type_intro_and_press(page, live_server, editor, draft, "_preview")
    assert TYPED in page.inner_text("main")
    assert intro_saved(draft)


def test_unpublish_saves_the_typed_text(page, live_server, editor, draft):
    draft.publish()
    type_intro_and_press(page, live_server, editor, draft, "_unpublish")
    assert "a draft again" in page.inner_text(".messagelist")
    assert intro_saved(draft)
    assert Issue.objects.drafts().filter(pk=draft.pk).exists()


def test_start_next_weeks_update_saves_the_typed_text_first(page, live_server, editor, draft):
    type_intro_and_press(page, live_server, editor, draft, "_start_next")
    assert "Update 517 is started as a draft" in page.inner_text(".messagelist")
    assert intro_saved(draft)


def test_save_keeps_the_typed_text(page, live_server, editor, draft):
    type_intro_and_press(page, live_server, editor, draft, "_continue")
    assert "was changed successfully" in page.inner_text(".messagelist")
    assert intro_saved(draft)


def test_headline_added_with_add_another_lands_last(page, live_server, editor, draft):
    last = make_item(title="Late news")
    url = reverse("admin:newsletters_issue_change", args=[draft.pk])
    sign_in(page, live_server, editor, url)
    page.click("#placements-group .add-row a")
    row = page.locator("#placements-group .item-card.dynamic-placements").last
    # The autocomplete's own select, chosen as the "+" popup would leave it.
    row.locator("select[name$='-item']").evaluate(
        "(select, pk) => { select.add(new Option('Late news', pk, true, true)); }", str(last.pk)
    )
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    placed = Issue.objects.get(pk=draft.pk).headlines().order_by("position")
    assert [(p.item.title, p.position) for p in placed] == [("Regional news", 0), ("Late news", 1)]
