"""A change to a many-to-many relation reaches readers who are not signed in at once: the cached
page is not served after it, though no record was saved (the stale-page bug of issue 18)."""

import pytest
from django.urls import reverse

from tests.factories import (
    authority,
    days,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_round,
    make_triad,
)

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def issue(db):
    return make_issue(349)


@pytest.fixture
def item(issue):
    return make_item(
        issue, "Kinship care week", update_text="<p>Please contact Isabelle Gregory.</p>"
    )


def test_a_triad_added_to_an_update_shows_on_its_page_at_once(client, issue):
    triad = make_triad(make_round(), number=7, authorities=("Kent", "Medway", "Surrey"))
    assert "Peer challenge triads" not in page(client, issue.get_absolute_url())
    issue.triads.add(triad)
    assert "Kent, Medway, Surrey" in page(client, issue.get_absolute_url())


def test_an_update_added_to_a_triad_shows_on_the_update_s_page_at_once(client, issue):
    triad = make_triad(make_round(), number=7, authorities=("Kent", "Medway", "Surrey"))
    assert "Kent, Medway, Surrey" not in page(client, issue.get_absolute_url())
    triad.issues.add(issue)
    assert "Kent, Medway, Surrey" in page(client, issue.get_absolute_url())


def test_a_triad_taken_off_an_update_leaves_its_page_at_once(client, issue):
    issue.triads.add(make_triad(make_round(), number=7))
    assert "Kent, Medway, Surrey" in page(client, issue.get_absolute_url())
    issue.triads.clear()
    assert "Kent, Medway, Surrey" not in page(client, issue.get_absolute_url())


def test_a_network_added_to_an_item_lists_it_on_the_network_s_page_at_once(client, item):
    network = make_network("Data Benchmarking")
    url = reverse("network_detail", args=[network.slug])
    assert "Kinship care week" not in page(client, url)
    item.networks.add(network)
    assert "Kinship care week" in page(client, url)


def test_a_network_taken_off_an_item_leaves_the_network_s_page_at_once(client, item):
    network = make_network("Data Benchmarking")
    item.networks.add(network)
    url = reverse("network_detail", args=[network.slug])
    assert "Kinship care week" in page(client, url)
    item.networks.set([])
    assert "Kinship care week" not in page(client, url)


def test_an_item_added_to_a_network_lists_it_on_the_network_s_page_at_once(client, item):
    network = make_network("Data Benchmarking")
    url = reverse("network_detail", args=[network.slug])
    assert "Kinship care week" not in page(client, url)
    network.news_items.add(item)
    assert "Kinship care week" in page(client, url)


def test_an_authority_named_by_an_item_finds_its_update_at_once(client, item):
    url = reverse("issue_list")
    assert "Update 349" not in page(client, url, authority="kent")
    item.authorities.add(authority("Kent"))
    assert "Update 349" in page(client, url, authority="kent")


def test_a_contact_named_by_an_item_is_linked_in_its_text_at_once(client, issue, item):
    isabelle = make_contact("Isabelle Gregory", email="isabelle@example.org")
    before = page(client, issue.get_absolute_url())
    item.contacts.add(isabelle)
    after = page(client, issue.get_absolute_url())
    assert after != before
    assert "Isabelle Gregory</a>" in after and "Isabelle Gregory</a>" not in before


def test_a_meeting_listed_in_an_update_shows_on_its_page_at_once(client, issue):
    meeting = make_meeting(make_network("Data Benchmarking"), days(5), topic="Quarterly figures")
    assert "Quarterly figures" not in page(client, issue.get_absolute_url())
    issue.meetings.add(meeting, through_defaults={"text": "Data Benchmarking: Quarterly figures"})
    assert "Quarterly figures" in page(client, issue.get_absolute_url())
