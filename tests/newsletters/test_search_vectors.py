"""The stored search vectors stay current however records are written (PostgreSQL only)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from newsletters.models import Action, NewsItem
from tests.factories import make_action, make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def found(client, q):
    page = client.get(reverse("search"), {"q": q}).content.decode()
    return page.replace("<mark>", "").replace("</mark>", "")


@postgresql
def test_an_edited_item_is_found_by_its_new_words_at_once(client):
    item = make_item(make_issue(349), "Fostering news")
    assert "Fostering news" in found(client, "fostering")
    item.title = "Adoption week"
    item.save()
    assert "Adoption week" in found(client, "adoption")
    assert "Adoption week" not in found(client, "fostering")


@postgresql
def test_bulk_writes_keep_the_search_current(client):
    issue = make_issue(349)
    item = make_item(issue, "Regional news")
    Action.objects.bulk_create([Action(item=item, description="Book the kinship conference")])
    assert NewsItem.objects.filter(search_vector="regional").exists()
    assert Action.objects.filter(search_vector="kinship").exists()
    NewsItem.objects.filter(pk=item.pk).update(title="Adoption week")
    assert NewsItem.objects.filter(search_vector="adoption", pk=item.pk).exists()
    assert not NewsItem.objects.filter(search_vector="regional").exists()


@postgresql
def test_refresh_search_rebuilds_every_vector():
    item = make_item(make_issue(349), "Fostering news")
    make_action(item, "Reply to the survey")
    make_resource(make_issue(350), "Keeping Children Safe in Education")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE newsletters_newsitem SET search_vector = NULL")
    out = StringIO()
    call_command("refresh_search", stdout=out)
    assert "Refreshed the search of 1 news items, 1 actions, 1 Tools & Templates." in out.getvalue()
    assert NewsItem.objects.filter(search_vector="fostering").exists()


def test_refresh_search_dry_run_changes_nothing():
    out = StringIO()
    call_command("refresh_search", "--dry-run", stdout=out)
    assert "Would refresh" in out.getvalue() or "Nothing to do" in out.getvalue()
