"""Values derived from what editors write stay current on every write path the project uses:
the content generation (what anonymous readers are served), a news item's or resource's
`published_from`, and the search vectors. Run on PostgreSQL and SQLite alike."""

import pytest
from django.db import connection
from django.urls import reverse

from newsletters.models import IssueResource, NewsItem, Placement, Resource
from tests.factories import make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db


def readable_items():
    return set(NewsItem.objects.readable().values_list("title", flat=True))


def test_items_retitled_by_bulk_update_reach_anonymous_readers_at_once(client):
    issue = make_issue(349)
    item = make_item(issue, "Fostering news")
    assert "Fostering news" in client.get(issue.get_absolute_url()).content.decode()
    item.title = "Adoption week"
    NewsItem.objects.bulk_update([item], ["title"])
    assert "Adoption week" in client.get(issue.get_absolute_url()).content.decode()


def test_placements_moved_by_bulk_update_update_both_items():
    issue = make_issue()
    placement = make_item(issue, "Ofsted framework").placements.get()
    other = make_item(None, "Care leavers")
    placement.item = other
    Placement.objects.bulk_update([placement], ["item"])
    assert readable_items() == {"Care leavers"}


def test_listings_moved_by_bulk_update_update_both_resources():
    issue = make_issue()
    listing = IssueResource.objects.get(resource=make_resource(issue, "Working Together"))
    listing.resource = make_resource(None, "Keeping Children Safe")
    IssueResource.objects.bulk_update([listing], ["resource"])
    readable = set(Resource.objects.readable().values_list("title", flat=True))
    assert readable == {"Keeping Children Safe"}


def test_the_search_finds_an_item_by_words_written_in_bulk(client):
    item = make_item(make_issue(349), "Fostering news")
    item.title = "Kinship care week"
    NewsItem.objects.bulk_update([item], ["title"])
    page = client.get(reverse("search"), {"q": "kinship"}).content.decode()
    assert "Kinship" in page
    if connection.vendor == "postgresql":
        assert NewsItem.objects.filter(search_vector="kinship").exists()
