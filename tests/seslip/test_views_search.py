import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsletters.models import NewsItem, Resource
from tests.factories import make_action, make_issue, make_item, make_resource

pytestmark = pytest.mark.django_db


def search(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_items_actions_and_resources(client):
    issue = make_issue(349)
    item = make_item(issue, "Children not in school", update_text="<p>A DfE consultation.</p>")
    make_action(item, "Respond to the consultation by June")
    make_resource(issue, "Consultation response template", description="For the consultation.")
    page = search(client, "consultation")
    assert "Children not in school" in page
    assert "Respond to the" in page
    assert "response template" in page
    assert f'href="/items/{item.pk}/">' in page  # the item found: its own page
    assert f'href="/updates/349/#item-{item.pk}">' in page  # its action: where it was printed


def test_search_ranks_title_matches_first(client):
    issue = make_issue(349)
    make_item(issue, "Secure estate", update_text="<p>One fostering mention.</p>")
    make_item(issue, "Fostering Better Outcomes", update_text="<p>A report.</p>")
    page = search(client, "fostering")
    assert page.index("Better Outcomes") < page.index("Secure estate")


def test_search_highlights_the_matched_words(client):
    make_item(make_issue(349), "Triads", update_text="<p>Peer challenge triads in November.</p>")
    page = search(client, "november")
    assert "<mark>November</mark>" in page


def test_search_escapes_what_it_shows(client):
    item = make_item(make_issue(349), "Plain title", update_text="<p>Fostering &lt;b&gt;x</p>")
    NewsItem.objects.filter(pk=item.pk).update(title="<script>alert(1)</script> fostering")
    page = search(client, "fostering")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>fostering</mark>" in page
    assert "Fostering &lt;b&gt;x" in page.replace("<mark>", "").replace("</mark>", "")


def test_search_leaves_out_unpublished_and_dcs_only_material(client):
    make_item(make_issue(350, published=False), "Draft fostering news")
    make_item(make_issue(349), "Restricted fostering news", dcs_only=True)
    page = search(client, "fostering")
    assert "Draft fostering" not in page and "Restricted fostering" not in page
    assert "Nothing matched" in page


def test_a_stale_publication_time_leaves_the_result_out_instead_of_failing(client):
    item = make_item(make_issue(349, published=False), "Fostering Better Outcomes")
    resource = make_resource(make_issue(350, published=False), "Fostering toolkit")
    past = timezone.now() - datetime.timedelta(days=1)
    NewsItem.objects.filter(pk=item.pk).update(published_from=past)  # as a raw write might
    Resource.objects.filter(pk=resource.pk).update(published_from=past)
    page = search(client, "fostering")
    assert "Better Outcomes" not in page
    assert "toolkit" not in page


def test_dcs_finds_dcs_only_items(client, dcs):
    make_item(make_issue(349), "Restricted fostering news", dcs_only=True)
    client.force_login(dcs)
    assert "Restricted <mark>fostering</mark> news" in search(client, "fostering")


def test_a_very_long_search_is_shortened_and_says_so(client):
    make_item(make_issue(349), "Fostering")
    page = search(client, "fostering " + "x" * 10_000)
    assert "only the first 200 were used" in page


def test_control_characters_in_a_search_are_ignored(client):
    make_item(make_issue(349), "Fostering news")
    assert "<mark>Fostering</mark> <mark>news</mark>" in search(client, "fostering\x00news\x1f")


def test_a_search_without_words_asks_for_some(client):
    assert "Type some words to search for." in search(client, "!!! ???")


def test_an_empty_search_shows_the_form(client):
    page = search(client, "")
    assert 'name="q"' in page and "Nothing matched" not in page


@pytest.mark.parametrize("count", [1, 20])
def test_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        issue = make_issue(100 + n)
        item = make_item(issue, f"Fostering {n}")
        make_action(item, "Fostering action")
        make_resource(issue, f"Fostering guide {n}")
    with django_assert_num_queries(4):  # one query per group, and one counts those for DCSs
        search(client, "fostering")


@pytest.mark.parametrize("count", [1, 20])
def test_a_dcs_search_counts_nothing_left_out(client, dcs, count):
    for n in range(count):
        issue = make_issue(100 + n)
        make_action(make_item(issue, f"Fostering {n}", dcs_only=True), "Fostering action")
        make_resource(issue, f"Fostering guide {n}", dcs_only=True)
    client.force_login(dcs)
    with CaptureQueriesContext(connection) as queries:
        page = search(client, "fostering")
    # One query per group (besides who she is): a DCS sees everything that matched, so nothing
    # left out is counted.
    assert len([q for q in queries if "newsletters_" in q["sql"]]) == 3
    assert "Nothing matched" not in page and "for DCSs:" not in page


def test_search_finds_what_was_published_since_the_last_search(client, dcs):
    make_item(make_issue(349), "Fostering Better Outcomes")
    assert "Better Outcomes" in search(client, "fostering")
    issue = make_issue(350, published=timezone.now())
    item = make_item(issue, "Fostering allowances", update_text="<p>New rates.</p>")
    make_action(item, "Agree the fostering allowances")
    make_resource(issue, "Fostering allowances table")
    page = search(client, "fostering allowances")
    assert f'href="/items/{item.pk}/"' in page  # the item
    assert f'href="/updates/350/#item-{item.pk}"' in page  # its action, where 350 printed it
    assert 'href="/updates/350/#tools-heading"' in page
    client.force_login(dcs)
    assert f'href="/updates/350/#item-{item.pk}"' in search(client, "fostering allowances")


def test_readers_are_told_of_dcs_only_matches_published_since_the_last_search(client):
    make_item(make_issue(349), "Restricted fostering news", dcs_only=True)
    assert "1 item for DCSs: " in search(client, "fostering")
    item = make_item(make_issue(350, published=timezone.now()), "Fostering pay", dcs_only=True)
    make_action(item, "Agree the fostering rates")
    assert "3 items for DCSs: " in search(client, "fostering")
    assert "1 item for DCSs: " in search(client, "fostering rates")  # the action


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text index on PostgreSQL only")
def test_search_uses_the_full_text_indexes():
    from django.contrib.postgres.search import SearchQuery

    from newsletters.models import Action, Resource
    from seslip.lib.search import SEARCH_CONFIG

    query = SearchQuery("fostering", search_type="websearch", config=SEARCH_CONFIG)
    for model, index in [
        (NewsItem, "newsitem_search_vector"),
        (Action, "action_search_vector"),
        (Resource, "resource_search_vector"),
    ]:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
        assert index in model.objects.filter(search_vector=query).explain()


def test_snippets_keep_paragraphs_apart(client):
    text = "<p>The DfE has launched a consultation.</p><p>This consultation is about schools.</p>"
    make_item(make_issue(349), "Children not in school", update_text=text)
    page = search(client, "schools")
    assert "consultation. This" in page.replace("<mark>", "").replace("</mark>", "")
