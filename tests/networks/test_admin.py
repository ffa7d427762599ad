"""The networks admin at work (that every page opens to the right people: tests/seslip/test_admin_pages.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Meeting, Network, Triad, TriadMember
from tests.admin_pages import model_id
from tests.factories import days, make_contact, make_meeting, make_network, make_triad


def test_network_change_page_links_to_the_network_on_the_site(admin_client):
    network = make_network("Data Benchmarking")
    response = admin_client.get(reverse("admin:networks_network_change", args=[network.pk]))
    assert "View on site" in response.text
    assert network.get_absolute_url() == "/networks/data-benchmarking/"


def page_queries(client, url):
    client.get(url)  # the first page fills caches (content types) that later ones reuse
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_network_page_queries_do_not_grow_with_its_meetings(admin_client):
    network = make_network("Data Benchmarking")
    url = reverse("admin:networks_network_change", args=[network.pk])
    make_meeting(network, days(1), contact=make_contact("Alastair Lee"))
    one_meeting = page_queries(admin_client, url)
    for n in range(2, 21):
        make_meeting(network, days(n), contact=make_contact(f"Contact {n}"))
    assert page_queries(admin_client, url) == one_meeting


def test_triad_page_queries_do_not_grow_with_its_authorities(admin_client):
    trio = make_triad(number=1)
    quartet = make_triad(number=2, authorities=["Kent", "Medway", "Surrey", "Slough"])
    trio_queries = page_queries(
        admin_client, reverse("admin:networks_triad_change", args=[trio.pk])
    )
    url = reverse("admin:networks_triad_change", args=[quartet.pk])
    assert page_queries(admin_client, url) == trio_queries


@pytest.mark.parametrize("model", [Meeting, Network, Triad, TriadMember], ids=model_id)
def test_changelist_queries_do_not_grow_with_rows(admin_client, model):
    url = reverse(f"admin:networks_{model._meta.model_name}_changelist")
    make_meeting(make_network("AD Safeguarding"), days(1))
    make_triad(number=1)
    few = page_queries(admin_client, url)
    for n in range(2, 8):
        make_meeting(make_network(f"Network {n}"), days(n))
        make_triad(number=n, authorities=["Kent", "Medway", "Surrey", "Slough"][: 3 + n % 2])
    assert page_queries(admin_client, url) == few
