"""A published update keeps its items' title and text as it printed them: an item edited later
(for a later update) leaves it unchanged, with a note that the text has been updated since; an
editor may still correct a published update's own text on its compose screen, with history."""

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters import services
from newsletters.models import NewsItem, Placement
from tests.factories import make_issue, make_item, place
from tests.newsletters.test_compose_in_place import post_rows

pytestmark = pytest.mark.django_db

PRINTED = "<p>Twelve authorities have replied.</p>"


@pytest.fixture
def published():
    issue = make_issue(515, published=False)
    make_item(issue, "Regional survey", update_text=PRINTED)
    services.publish_update(issue=issue)
    return issue


def update_page(client, number):
    return client.get(reverse("issue_detail", args=[number])).text


def test_an_item_edited_after_publishing_leaves_the_update_as_printed(client, published):
    item = NewsItem.objects.get()
    item.update_text = "<p>Fifteen authorities have replied.</p>"
    item.save()
    page = update_page(client, 515)
    assert "Twelve authorities have replied." in page
    assert "Fifteen" not in page
    assert "its text has been updated since" in page


def test_an_item_edited_for_a_later_update_prints_there_as_it_is_now(client, editor, published):
    draft = make_issue(516, published=False)
    item = NewsItem.objects.get()
    placement = place(draft, item)
    client.force_login(editor)
    row = (placement.pk, item.pk, "headline", item.title, [])
    text = {"placements-0-update_text": "<p>Fifteen authorities have replied.</p>"}
    post_rows(client, draft, [row], _publish="Publish now", **text)
    assert "Fifteen authorities have replied." in update_page(client, 516)
    assert "Twelve authorities have replied." in update_page(client, 515)


def test_an_editor_corrects_a_published_updates_own_text_with_history(client, editor, published):
    placement = Placement.objects.get()
    client.force_login(editor)
    row = (placement.pk, placement.item_id, "headline", "Regional survey", [])
    text = {"placements-0-update_text": "<p>Twelve local authorities have replied.</p>"}
    when = timezone.localtime(published.published_at)
    still_published = {"published_at_0": f"{when:%d/%m/%Y}", "published_at_1": f"{when:%H:%M}"}
    post_rows(client, published, [row], **text, **still_published)
    page = update_page(client, 515)
    assert "Twelve local authorities have replied." in page
    assert "updated since" not in page
    then = list(placement.history.order_by("history_date"))[-2:]
    assert [version.printed["update_text"] for version in then] == [
        PRINTED,
        "<p>Twelve local authorities have replied.</p>",
    ]


def test_a_published_updates_card_opens_with_what_it_printed(client, editor, published):
    placement = Placement.objects.get()
    NewsItem.objects.update(update_text="<p>Changed since.</p>")
    client.force_login(editor)
    url = reverse("admin:newsletters_issue_item_editor", args=[published.pk])
    editor_html = client.get(url, {"placement": placement.pk, "prefix": "placements-0"}).text
    assert "Twelve authorities have replied." in editor_html
