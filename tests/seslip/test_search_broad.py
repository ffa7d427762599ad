"""A search that matches more than the site ranks (newsletters.search.CANDIDATES) ranks the
newest matches only, and says so; a narrower one ranks every match and says nothing."""

import pytest
from django.db import connection
from django.urls import reverse

from newsletters import search as site_search
from tests.factories import make_action, make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def few_candidates(monkeypatch):
    monkeypatch.setattr(site_search, "CANDIDATES", 3)


def search(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def plain(results):
    return [str(r.title).replace("<mark>", "").replace("</mark>", "") for r in results]


def test_a_broad_search_ranks_the_newest_matches_and_says_so(client, few_candidates):
    make_item(make_issue(340), "Fostering Better Outcomes", update_text="<p>Fostering.</p>")
    for number in range(341, 345):
        make_item(make_issue(number), f"Update {number} news", update_text="<p>Fostering.</p>")
    page = search(client, "fostering")
    assert "Update 344 news" in page and "Update 342 news" in page
    assert "Update 341 news" not in page and "Better Outcomes" not in page
    assert "the best of the most recent matches only: news items published since" in page
    assert "add words to narrow your search and find older ones." in page


def test_a_narrower_search_ranks_every_match_and_says_nothing_more(client, few_candidates):
    make_item(make_issue(340), "Fostering Better Outcomes", update_text="<p>Fostering.</p>")
    make_item(make_issue(341), "Update 341 news", update_text="<p>Fostering.</p>")
    page = search(client, "fostering")
    assert page.index("Better Outcomes") < page.index("Update 341 news")
    assert "most recent matches only" not in page


def test_a_broad_search_of_tools_and_templates_says_so_for_them(few_candidates):
    for number in range(340, 344):
        make_resource(make_issue(number), f"Fostering guide {number}")
    results = site_search.search_everything("fostering")
    assert plain(results["resources"])[0:1] and "Fostering guide 340" not in plain(
        results["resources"]
    )
    assert results["resources_since"] is not None and results["items_since"] is None


def test_a_broad_search_of_actions_ranks_the_latest_added(client, few_candidates):
    item = make_item(make_issue(340), "Consultations")
    for n in range(4):
        make_action(item, f"Answer consultation number {n}")
    page = search(client, "consultation")
    assert "number 3" in page and "number 1" in page and "number 0" not in page
    assert "the actions added most recently;" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index on PostgreSQL only")
def test_counting_the_dcs_only_matches_reads_only_dcs_only_rows():
    from newsletters.models import NewsItem, Resource

    query = site_search.full_text_query("children")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    for model, index in [(NewsItem, "newsitem_dcs_search"), (Resource, "resource_dcs_search")]:
        assert index in model.objects.filter(dcs_only=True, search_vector=query).explain()
