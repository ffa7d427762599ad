"""In a real Chromium, two editors signed in through the login page edit one news item at once:
Olive on the item's own page, Edith in its card on the update's compose screen. Olive saves
first; Edith's save is refused with her text still in the card and Olive's shown beside it, and
her second save keeps what her form holds."""

import pytest
from django.urls import reverse

from newsletters.models import NewsItem
from seslip.lib import roles
from tests.admin_pages import sign_in
from tests.conftest import make_user
from tests.factories import days, make_issue, make_item
from tests.seslip.test_browser import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EDITHS = "Kent will host the benchmarking day, typed by Edith."
OLIVES = "Fifteen authorities have replied, typed by Olive."


@pytest.fixture
def other_editor(django_user_model):
    return make_user(django_user_model, "olive", group=roles.EDITORS, staff=True)


def signed_in_tab(browser, live_server, user, url):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.csp_errors = []
    sign_in(page, live_server, user, url)
    return page


def test_the_later_save_of_an_item_is_refused_with_both_texts_and_nothing_lost(
    live_server, browser, editor, other_editor
):
    issue = make_issue(516, date=days(3), published=False)
    item = make_item(issue, "Regional survey", update_text="<p>Ten have replied.</p>")
    compose = reverse("admin:newsletters_issue_change", args=[issue.pk])
    item_page = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    edith = signed_in_tab(browser, live_server, editor, compose)
    olive = signed_in_tab(browser, live_server, other_editor, item_page)

    card = edith.locator("#placements-group .item-card.has_original").first
    card.get_by_role("button", name="Open").click()
    card.locator(".field-update_text .ProseMirror").click()
    edith.keyboard.press("End")
    edith.keyboard.type(" " + EDITHS)

    olive.locator(".field-update_text .ProseMirror").click()
    olive.keyboard.press("End")
    olive.keyboard.type(" " + OLIVES)
    olive.click("input[name=_save]")
    olive.wait_for_load_state()
    assert OLIVES in NewsItem.objects.get().update_text

    edith.click("input[name=_continue]")
    edith.wait_for_load_state()
    card = edith.locator("#placements-group .item-card.has_original").first
    assert "olive saved this item at" in card.inner_text()
    assert EDITHS in card.locator(".field-update_text .ProseMirror").inner_text()
    assert OLIVES in card.locator(".item-conflict").inner_text()
    assert EDITHS not in NewsItem.objects.get().update_text
    assert_accessible(edith)

    edith.click("input[name=_continue]")
    edith.wait_for_load_state()
    assert "was changed successfully" in edith.inner_text(".messagelist")
    assert EDITHS in NewsItem.objects.get().update_text
