"""Every change of an update, item or meeting is kept with who made it and when, and an earlier
version can be restored in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from newsletters import services
from newsletters.models import NewsItem, Placement
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item, make_meeting


def item_form(item, **fields):
    data = {
        "title": item.title,
        "update_text": item.update_text,
        "action_text": item.action_text,
        "seen_updated_at": item.updated_at.isoformat(),
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    return data | fields


@pytest.fixture
def item(db):
    return make_item(make_issue(349), "Regional news", update_text="<p>First words.</p>")


def test_a_change_in_the_admin_is_kept_with_who_made_it(client, editor, item):
    client.force_login(editor)
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    client.post(url, item_form(item, update_text="<p>Second words.</p>"))
    latest = item.history.first()
    assert latest.history_user == editor
    assert latest.update_text == "<p>Second words.</p>"
    assert item.history.count() == 2


def test_the_history_page_lists_the_changes(client, editor, item):
    client.force_login(editor)
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    client.post(url, item_form(item, title="Regional news, updated"))
    response = client.get(reverse("admin:newsletters_newsitem_history", args=[item.pk]))
    assert response.status_code == 200
    assert "edith" in response.text
    assert "Regional news, updated" in response.text


def test_an_editor_restores_an_earlier_version(client, editor, item):
    client.force_login(editor)
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    client.post(url, item_form(item, update_text="<p>Second words.</p>"))
    first = item.history.earliest()
    restore_url = reverse(
        "admin:newsletters_newsitem_simple_history", args=[item.pk, first.history_id]
    )
    page = client.get(restore_url)
    assert page.status_code == 200
    assert "First words." in page.text

    item.refresh_from_db()
    response = client.post(
        restore_url, item_form(item, update_text=first.update_text, title=first.title)
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.update_text == "<p>First words.</p>"
    assert item.history.first().history_user == editor


def test_an_update_s_changes_are_kept(client, editor, db):
    issue = make_issue(350, published=False)
    client.force_login(editor)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    form = issue_form(350) | {
        "intro": "Welcome.",
        "seen_updated_at": issue.updated_at.isoformat(),
    }
    assert client.post(url, form).status_code == 302
    assert issue.history.first().intro == "Welcome."
    assert issue.history.first().history_user == editor


def test_a_convener_s_change_to_a_meeting_is_kept(client, convener, safeguarding_network):
    meeting = make_meeting(safeguarding_network, None, topic="Quarterly review")
    client.force_login(convener)
    url = reverse("admin:networks_meeting_change", args=[meeting.pk])
    data = {
        "network": safeguarding_network.pk,
        "date": "12/12/2030",
        "topic": "Quarterly review",
        "status": "confirmed",
        "place": "",
        "notes": "",
    }
    assert client.post(url, data).status_code == 302
    assert meeting.history.first().history_user == convener
    history = client.get(reverse("admin:networks_meeting_history", args=[meeting.pk]))
    assert history.status_code == 200


def test_a_convener_cannot_see_another_network_s_meeting_history(client, convener, data_network):
    meeting = make_meeting(data_network, None)
    client.force_login(convener)
    history = client.get(reverse("admin:networks_meeting_history", args=[meeting.pk]))
    assert history.status_code == 403
    version = meeting.history.first().history_id
    url = reverse("admin:networks_meeting_simple_history", args=[meeting.pk, version])
    assert client.get(url).status_code == 403
    assert client.post(url, {"network": data_network.pk, "status": "cancelled"}).status_code == 403


def test_readers_cannot_open_history(client, reader, item):
    client.force_login(reader)
    response = client.get(reverse("admin:newsletters_newsitem_history", args=[item.pk]))
    assert response.status_code == 302


def test_items_saved_in_code_are_kept_in_history_too(db):
    item = NewsItem.objects.create(title="From the importer")
    assert item.history.get().history_type == "+"


# Reverting an update to an earlier version puts its news items back as they were.


@pytest.fixture
def reworked(db):
    """Update 350 as first written (Alpha, Bravo), then saved and reworked as the admin does:
    its own fields first, then its items (Bravo out, Charlie in, Alpha made a reminder)."""
    issue = make_issue(350, published=False)
    make_item(issue, "Alpha", position=0)
    bravo = make_item(issue, "Bravo", position=1)
    first = issue.history.get()
    issue.intro = "Reworked"
    issue.save()
    Placement.objects.get(issue=issue, item=bravo).delete()
    make_item(issue, "Charlie", position=2)
    alpha = Placement.objects.get(issue=issue, item__title="Alpha")
    alpha.section = Placement.Section.REMINDER
    alpha.save()
    return issue, first


def revert_url(issue, version):
    return reverse("admin:newsletters_issue_simple_history", args=[issue.pk, version.history_id])


def revert(client, issue, version):
    issue.refresh_from_db()
    form = issue_form(350, date=issue.date.isoformat()) | {
        "seen_updated_at": issue.updated_at.isoformat()
    }
    return client.post(revert_url(issue, version), form, follow=True)


def items_of(issue):
    placements = issue.placements.order_by("section", "position").select_related("item")
    return [(p.item.title, p.section) for p in placements]


def test_the_revert_page_lists_the_news_items_the_version_had(client, editor, reworked):
    issue, first = reworked
    client.force_login(editor)
    page = client.get(revert_url(issue, first)).content.decode()
    assert "News items in this version" in page
    assert page.index("Alpha (Headline)") < page.index("Bravo (Headline)")
    assert "Charlie" not in page.split("News items in this version")[1].split("</ol>")[0]


def test_reverting_an_update_puts_its_news_items_back_as_they_were(client, editor, reworked):
    issue, first = reworked
    client.force_login(editor)
    response = revert(client, issue, first)
    assert items_of(issue) == [("Alpha", "headline"), ("Bravo", "headline")]
    assert (
        "Its news items are as they were in that version (1 put back, 1 taken out, 1 moved)."
        in response.content.decode()
    )
    assert {h.history_user for h in Placement.history.filter(issue_id=issue.pk)[:3]} == {editor}


def test_an_item_deleted_since_cannot_come_back_and_the_editor_is_told(client, editor, reworked):
    issue, first = reworked
    NewsItem.objects.get(title="Bravo").delete()
    client.force_login(editor)
    assert "Bravo" not in client.get(revert_url(issue, first)).content.decode()
    response = revert(client, issue, first)
    assert items_of(issue) == [("Alpha", "headline")]
    assert "1 item deleted since could not be put back." in response.content.decode()


def test_items_placed_without_history_are_left_as_they_are(client, editor, reworked):
    issue, first = reworked
    loaded = make_item(None, "Loaded in bulk")
    Placement.objects.bulk_create([Placement(issue=issue, item=loaded, position=9)])
    client.force_login(editor)
    revert(client, issue, first)
    assert ("Loaded in bulk", "headline") in items_of(issue)


def test_a_version_address_that_is_not_a_number_is_not_found(client, editor, reworked):
    issue, _ = reworked
    client.force_login(editor)
    url = reverse("admin:newsletters_issue_simple_history", args=[issue.pk, "latest"])
    assert client.get(url).status_code == 404


def test_a_revert_that_fails_part_way_changes_nothing(editor, reworked, monkeypatch):
    issue, first = reworked

    def broken(**kwargs):
        raise RuntimeError("the items could not be put back")

    monkeypatch.setattr(services, "restore_placements", broken)
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    assert revert(client, issue, first).status_code == 500
    issue.refresh_from_db()
    assert issue.intro == "Reworked"
