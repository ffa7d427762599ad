"""Readers who are not DCSs are told where “DCSs only” material was left out, and how to read it."""

import pytest
from django.urls import reverse

from tests.factories import days, make_action, make_item, make_resource
from tests.public_site import small_site
from tests.seslip.test_audiences import signed_in

pytestmark = pytest.mark.django_db

TWO = "2 items for DCSs: "


@pytest.fixture
def site(db):
    site = small_site()
    first = make_item(
        site["issue"], "Budget", dcs_only=True, position=1, networks=[site["network"]]
    )
    second = make_item(site["issue"], "Pay", dcs_only=True, position=2, networks=[site["network"]])
    make_action(first, "Return the budget form", due_date=days(2))
    make_action(second, "Return the pay form", due_date=days(4))
    return site


def pages(site):
    return [
        site["issue"].get_absolute_url(),
        reverse("home"),
        reverse("dashboard"),
        reverse("network_detail", args=[site["network"].slug]),
    ]


def test_readers_not_signed_in_are_told_to_sign_in_to_read_what_was_left_out(client, site):
    for url in pages(site):
        text = client.get(url).content.decode()
        assert TWO + f'<a href="/accounts/login/?next={url}">' in text, url
        assert "sign in to read them</a>." in text, url


def test_members_who_are_not_dcss_are_told_only_dcss_can_read_it(client, site, kent_lead):
    lead = signed_in(client.__class__, kent_lead)
    for url in pages(site):
        text = lead.get(url).content.decode()
        assert TWO + "only DCSs and their PAs can read them." in text, url
        assert "sign in to read" not in text, url


def test_dcss_are_told_nothing_was_left_out(client, site, kent_dcs):
    dcs = signed_in(client.__class__, kent_dcs)
    for url in pages(site):
        assert "for DCSs:" not in dcs.get(url).content.decode(), url


def test_one_item_left_out_is_one_item(client, db):
    site = small_site()
    make_item(site["issue"], "Budget", dcs_only=True, position=1)
    text = client.get(site["issue"].get_absolute_url()).content.decode()
    assert "1 item for DCSs: " in text and "sign in to read it</a>." in text


def test_dcs_only_tools_and_templates_count_on_the_update_page(client, db):
    site = small_site()
    make_resource(site["issue"], "Directors toolkit", dcs_only=True)
    text = client.get(site["issue"].get_absolute_url()).content.decode()
    assert "1 item for DCSs: " in text


def test_an_update_with_nothing_for_dcss_has_no_notice(client, db):
    site = small_site()
    assert "for DCSs:" not in client.get(site["issue"].get_absolute_url()).content.decode()


def search_page(client, words):
    response = client.get(reverse("search"), {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_a_search_tells_readers_not_signed_in_how_many_results_are_for_dcss(client, site):
    make_item(site["issue"], "Return to school", position=3)
    text = search_page(client, "return")
    assert "Return to school" in text.replace("<mark>", "").replace("</mark>", "")
    assert "Return the budget form" not in text and "Return the pay form" not in text
    assert TWO + '<a href="/accounts/login/?next=/search/%3Fq%3Dreturn">' in text
    assert "sign in to read them</a>." in text


def test_a_search_that_finds_only_dcs_material_says_so_as_well_as_nothing_matched(client, site):
    text = search_page(client, "return")
    assert "Nothing matched" in text and TWO in text


def test_a_search_tells_members_who_are_not_dcss_that_only_dcss_can_read_them(
    client, site, kent_lead
):
    lead = signed_in(client.__class__, kent_lead)
    text = search_page(lead, "return")
    assert TWO + "only DCSs and their PAs can read them." in text
    assert "Return the budget form" not in text


def test_a_dcs_s_search_shows_everything_and_no_notice(client, site, kent_dcs):
    dcs = signed_in(client.__class__, kent_dcs)
    text = search_page(dcs, "return").replace("<mark>", "").replace("</mark>", "")
    assert "Return the budget form" in text and "for DCSs:" not in text


def test_a_search_with_nothing_for_dcss_has_no_notice(client, site):
    assert "for DCSs:" not in search_page(client, "survey")
