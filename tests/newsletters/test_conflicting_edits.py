"""Two editors open the same update or item: the second save is refused, never silently lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from newsletters.models import Issue, NewsItem
from seslip.lib import roles
from tests.admin_pages import issue_form
from tests.conftest import make_user
from tests.factories import make_issue, make_item


@pytest.fixture
def other_editor(django_user_model):
    """Olive edits the update too."""
    return make_user(django_user_model, "olive", group=roles.EDITORS, staff=True)


def session(user):
    client = Client()
    client.force_login(user)
    return client


def seen_stamp(response):
    return re.search(r'name="seen_updated_at" value="([^"]*)"', response.text).group(1)


def item_form(item, seen, **fields):
    data = {
        "title": item.title,
        "update_text": item.update_text,
        "action_text": item.action_text,
        "seen_updated_at": seen,
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    return data | fields


def test_the_second_save_of_an_item_is_refused_and_names_who_changed_it(editor, other_editor, db):
    item = make_item(make_issue(349), "Regional news")
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    edith, olive = session(editor), session(other_editor)
    edith_seen = seen_stamp(edith.get(url))
    olive_seen = seen_stamp(olive.get(url))

    first = olive.post(url, item_form(item, olive_seen, title="Olive's title"))
    assert first.status_code == 302
    second = edith.post(url, item_form(item, edith_seen, title="Edith's title"))

    assert second.status_code == 200
    assert "olive saved this news item at" in second.text
    assert "your changes were not saved" in second.text
    assert "Edith&#x27;s title" in second.text  # still in the form, nothing lost
    assert NewsItem.objects.get(pk=item.pk).title == "Olive's title"


def test_the_second_save_of_an_update_is_refused(editor, other_editor, db):
    issue = make_issue(349, published=False)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    edith, olive = session(editor), session(other_editor)
    edith_seen = seen_stamp(edith.get(url))
    olive_seen = seen_stamp(olive.get(url))

    form = issue_form(349) | {"seen_updated_at": olive_seen, "intro": "Olive's intro"}
    assert olive.post(url, form).status_code == 302
    form = issue_form(349) | {"seen_updated_at": edith_seen, "intro": "Edith's intro"}
    second = edith.post(url, form)

    assert second.status_code == 200
    assert "olive saved this update at" in second.text
    assert Issue.objects.get(pk=issue.pk).intro == "Olive's intro"


def test_an_editor_who_reopens_the_page_can_save(editor, other_editor, db):
    item = make_item(make_issue(349), "Regional news")
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    edith, olive = session(editor), session(other_editor)
    olive.post(url, item_form(item, seen_stamp(olive.get(url)), title="Olive's title"))
    item.refresh_from_db()

    response = edith.post(url, item_form(item, seen_stamp(edith.get(url)), title="Edith's"))

    assert response.status_code == 302
    assert NewsItem.objects.get(pk=item.pk).title == "Edith's"


def test_saving_twice_in_a_row_alone_is_not_a_conflict(editor, db):
    item = make_item(make_issue(349), "Regional news")
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    edith = session(editor)
    assert edith.post(url, item_form(item, seen_stamp(edith.get(url)))).status_code == 302
    item.refresh_from_db()
    assert edith.post(url, item_form(item, seen_stamp(edith.get(url)))).status_code == 302


def test_a_change_made_outside_the_admin_also_counts(editor, db):
    """Publishing from the list, or the importer, changes the update too."""
    issue = make_issue(349, published=False)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    edith = session(editor)
    seen = seen_stamp(edith.get(url))
    Issue.objects.get(pk=issue.pk).save()

    response = edith.post(url, issue_form(349) | {"seen_updated_at": seen})

    assert response.status_code == 200
    assert "Someone else saved this update at" in response.text
