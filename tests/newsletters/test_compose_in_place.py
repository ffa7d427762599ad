"""On the update's page an editor edits each item's title and networks in place, and writes a
new item by typing its title in a new row."""

import pytest
from django.urls import reverse

from newsletters.models import Issue, NewsItem
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item, make_network, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def edith(client, editor):
    client.force_login(editor)
    return client


def post_rows(client, issue, rows, **extra):
    """`rows`: (placement id, item id, section, title, network ids) for each row."""
    data = issue_form(
        issue.number,
        date=str(issue.date),
        placements=[row[:3] for row in rows],
        initial_placements=sum(1 for row in rows if row[0]),
    )
    for index, (_pk, _item, _section, title, networks) in enumerate(rows):
        data[f"placements-{index}-title"] = title
        data[f"placements-{index}-networks"] = [str(n) for n in networks]
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    return client.post(url, data | extra, follow=True)


def test_an_items_title_is_edited_in_place(edith):
    issue = make_issue(516, published=False)
    placement = place(issue, make_item(title="Regional nwes"))
    post_rows(edith, issue, [(placement.pk, placement.item_id, "headline", "Regional news", [])])
    assert NewsItem.objects.get().title == "Regional news"


def test_networks_set_in_place_list_the_item_on_the_network_page_and_in_the_archive(edith):
    network = make_network("Data Benchmarking")
    issue = make_issue(516)
    placement = place(issue, make_item(title="Benchmarking returns"))
    row = (placement.pk, placement.item_id, "headline", "Benchmarking returns", [network.pk])
    post_rows(edith, issue, [row], _publish="Publish now")
    network_page = edith.get(reverse("network_detail", args=[network.slug])).text
    archive = edith.get(reverse("issue_list"), {"network": network.slug}).text
    assert "Benchmarking returns" in network_page
    assert "Update 516" in archive


def test_a_title_typed_in_a_new_row_writes_a_new_item_where_it_was_put(edith):
    issue = make_issue(516, published=False)
    first = place(issue, make_item(title="Regional news"))
    rows = [
        (first.pk, first.item_id, "headline", "Regional news", []),
        (None, "", "headline", "Late news", []),
    ]
    response = post_rows(edith, issue, rows)
    assert "was changed successfully" in response.text
    placed = Issue.objects.get().headlines().order_by("position")
    assert [(p.item.title, p.position) for p in placed] == [("Regional news", 0), ("Late news", 1)]


def test_a_new_row_with_neither_item_nor_title_is_refused_with_the_form_intact(edith):
    issue = make_issue(516, published=False)
    rows = [(None, "", "headline", "", [make_network().pk])]
    data_intro = {"intro": "Typed intro."}
    response = post_rows(edith, issue, rows, **data_intro)
    assert "Choose an item, or type the title of a new one." in response.text
    assert "Typed intro." in response.text


def test_the_update_page_puts_the_items_first_and_the_record_last(edith):
    issue = make_issue(516, published=False)
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    page = page[page.index('id="issue_form"') :]
    order = ["News items (headlines", "Opening text", "Future dates for network meetings"]
    order += ["Peer challenge", "Tools &amp; Templates", "Contact Details", ">Record<"]
    positions = [page.index(heading) for heading in order]
    assert positions == sorted(positions)


def test_the_opening_text_is_spellchecked_and_titles_too(edith):
    issue = make_issue(516, published=False)
    place(issue, make_item(title="Regional news"))
    page = edith.get(reverse("admin:newsletters_issue_change", args=[issue.pk])).text
    assert 'spellcheck="true"' in page.split('name="intro"')[1].split(">")[0]
    assert 'spellcheck="true"' in page.split('name="placements-0-title"')[1].split(">")[0]
