"""Values derived from what editors write stay current on every write path the project uses:
the content generation (what anonymous readers are served), a news item's or resource's
`published_from`, and the search vectors. Run on PostgreSQL and SQLite alike."""

import pytest
from django.db import connection
from django.urls import reverse

from newsletters.models import IssueResource, NewsItem, Placement, Resource
from seslip.lib import generations
from seslip.lib.generations import write_batch
from tests.factories import make_issue, make_item, make_network, make_resource

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


def test_writes_in_a_batch_reach_anonymous_readers_when_it_ends(client):
    issue = make_issue(349)
    network = make_network("Data Benchmarking")
    network_page = reverse("network_detail", args=[network.slug])
    assert "Kinship care week" not in client.get(issue.get_absolute_url()).content.decode()
    assert "Kinship care week" not in client.get(network_page).content.decode()
    with write_batch():
        item = NewsItem.objects.bulk_create([NewsItem(title="Kinship care week")])[0]
        Placement.objects.create(issue=issue, item=item, position=1)
        item.networks.add(network)
    assert readable_items() == {"Kinship care week"}
    assert "Kinship care week" in client.get(issue.get_absolute_url()).content.decode()
    assert "Kinship care week" in client.get(network_page).content.decode()


def test_a_write_batch_starts_one_generation_and_refreshes_each_item_once(monkeypatch):
    issue = make_issue(349)
    started, refreshed = [], []
    monkeypatch.setattr(generations, "start_generation", lambda **kw: started.append(kw))
    refresh = Placement.refresh_listed_now.__func__
    monkeypatch.setattr(
        Placement,
        "refresh_listed_now",
        classmethod(lambda cls, ids, **kw: refreshed.append(ids) or refresh(cls, ids, **kw)),
    )
    with write_batch():
        for position, title in enumerate(["Fostering news", "Adoption week"], 1):
            item = NewsItem.objects.create(title=title)
            Placement.objects.create(issue=issue, item=item, position=position)
            item.save()
    assert len(started) == 1
    assert len(refreshed) == 1 and len(refreshed[0]) == 2
    assert readable_items() == {"Fostering news", "Adoption week"}


def test_a_write_batch_that_fails_leaves_nothing_written():
    issue = make_issue(349)
    with pytest.raises(ValueError), write_batch():
        make_item(issue, "Fostering news")
        raise ValueError("the import stopped")
    assert not NewsItem.objects.exists()
