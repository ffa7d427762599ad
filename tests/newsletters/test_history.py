"""Every change of an update, item or meeting is kept with who made it and when, and an earlier
version can be restored in the admin."""

import pytest
from django.urls import reverse

from newsletters.models import NewsItem
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
