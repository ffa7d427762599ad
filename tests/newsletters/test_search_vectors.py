"""The search finds records by their current words however they were written: on PostgreSQL the
database generates each stored search vector from the text; SQLite searches the text itself."""

import pytest
from django.db import connection
from django.urls import reverse

from newsletters.models import Action, NewsItem, Resource
from tests.factories import make_action, make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def found(client, q):
    page = client.get(reverse("search"), {"q": q}).content.decode()
    return page.replace("<mark>", "").replace("</mark>", "")


def test_an_edited_item_is_found_by_its_new_words_at_once(client):
    item = make_item(make_issue(349), "Fostering news")
    assert "Fostering news" in found(client, "fostering")
    item.title = "Adoption week"
    item.save()
    assert "Adoption week" in found(client, "adoption")
    assert "Adoption week" not in found(client, "fostering")


def test_an_item_changed_by_a_bulk_update_is_found_by_its_new_words_at_once(client):
    item = make_item(make_issue(349), "Fostering news")
    assert "Fostering news" in found(client, "fostering")
    NewsItem.objects.filter(pk=item.pk).update(title="Adoption week")
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
def test_text_changed_outside_the_site_is_searched_by_its_new_words():
    item = make_item(make_issue(349), "Regional news")
    make_action(item, "Reply to the survey")
    make_resource(make_issue(350), "Keeping Children Safe in Education")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE newsletters_newsitem SET title = 'Fostering news'")
        cursor.execute("UPDATE newsletters_action SET description = 'Book the kinship day'")
        cursor.execute("UPDATE newsletters_resource SET description = 'Statutory guidance'")
    assert NewsItem.objects.filter(search_vector="fostering").exists()
    assert not NewsItem.objects.filter(search_vector="regional").exists()
    assert Action.objects.filter(search_vector="kinship").exists()
    assert Resource.objects.filter(search_vector="statutory").exists()


@postgresql
def test_titles_weigh_more_than_the_text_in_the_stored_vector():
    item = make_item(make_issue(349), "Fostering news", update_text="<p>Adoption week.</p>")
    vector = NewsItem.objects.values_list("search_vector", flat=True).get(pk=item.pk)
    assert "'foster':1A" in vector
    assert "'adopt':" in vector and "'adopt':3A" not in vector
