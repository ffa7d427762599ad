"""The newsletters admin at work (that every page opens to the right people: tests/seslip/test_admin_pages.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsletters.models import Action, Issue, NewsItem, Placement
from tests.admin_pages import admin_url, model_id
from tests.factories import (
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

# Session, user, the editor's permissions (2), the update, its triads (the form's value, then
# the widget's labels with their round and members: 3), the four inlines (4), the items'
# networks, contacts and actions (3, for the editors opened in place), whether it is the latest
# update (for "Start next week's update"): 16 queries, and not one more per item.
ISSUE_CHANGE_PAGE_QUERIES = 16


# The update's change page, where editors spend their Fridays.


def make_full_update(number, items):
    """An update with `items` placements, and as many resources, contacts and meeting lines."""
    issue = make_issue(number, date=days(-1))
    network = make_network()
    for position in range(items):
        make_item(issue, f"Item {position}", position=position)
        make_resource(issue, f"Resource {position}", position=position)
        list_contact(issue, make_contact(f"Contact {number}-{position}"), position=position)
        list_meeting(issue, make_meeting(network, days(position + 1)), position=position)
    return issue


def change_page_queries(client, issue):
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    client.get(url)  # the first page fills caches (content types) that later ones reuse
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_update_change_page_queries_do_not_grow_with_its_items(admin_client):
    one_item = change_page_queries(admin_client, make_full_update(1, items=1))
    thirty_items = change_page_queries(admin_client, make_full_update(2, items=30))
    assert thirty_items == one_item


def test_update_change_page_with_thirty_items_stays_within_its_query_budget(
    client, editor, django_assert_max_num_queries
):
    issue = make_full_update(1, items=30)
    issue.triads.add(make_triad(number=1), make_triad(number=2, authorities=["Kent", "Slough"]))
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    client.force_login(editor)
    client.get(url)
    with django_assert_max_num_queries(ISSUE_CHANGE_PAGE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert "Item 29" in response.text
    assert "Contact 1-29" in response.text


def test_update_change_page_shows_placed_items_by_title(admin_client):
    issue = make_full_update(1, items=2)
    response = admin_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert 'name="placements-1-title" value="Item 1"' in response.text


@pytest.mark.parametrize("model", [Issue, NewsItem, Action, Placement], ids=model_id)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    issue = make_full_update(1, items=1)
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for number in range(2, 12):
        item = make_full_update(number, items=1).placements.get().item
        make_action(item, due_date=days(number))
    make_action(issue.placements.get().item)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_update_change_page_links_to_the_update_on_the_site(admin_client):
    issue = make_issue(349)
    response = admin_client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert "View on site" in response.text
    assert issue.get_absolute_url() == "/updates/349/"


def test_update_change_page_with_thirty_items_stays_within_80_kb(client, editor):
    """The compose screen's budget: the cards of thirty items, their editors fetched when opened."""
    issue = make_full_update(1, items=10)
    for position in range(10, 30):
        make_item(
            issue, f"Item {position} with a title as long as editors write them", position=position
        )
    client.force_login(editor)
    response = client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert "Item 29" in response.text
    assert len(response.content) <= 80_000
