"""“My authority” and an action's page come from the page cache, one copy per authority and
audience (and one for editors): no reader is shown another authority's page, and an answer
shows on them at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from seslip.lib.roles import ReaderRole
from tests.conftest import member
from tests.newsletters.responses_site import KENT_NOTE, MEDWAY_NOTE, responses_site
from tests.seslip.test_audiences import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(editor):
    return responses_site(editor)


@pytest.fixture
def medway_lead(django_user_model):
    """Mo leads on safeguarding for Medway."""
    return member(django_user_model, "mo", "Medway", ReaderRole.LEAD)


def action_url(action):
    return reverse("action_detail", args=[action.pk])


def without_token(page):
    """The page without its CSRF tokens: each request's is masked afresh."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.text


def test_kent_s_lead_never_sees_medway_s_cached_my_authority_page(
    client, site, kent_lead, medway_lead
):
    kent, medway = signed_in(Client, kent_lead), signed_in(Client, medway_lead)
    url = reverse("my_authority")
    for order in ((medway, kent), (kent, medway)):  # the cache filled by each first
        seen = {reader: text(reader, url) for reader in order}
        assert "Kent: what we owe" in seen[kent] and "Medway" not in seen[kent]
        assert "Medway: what we owe" in seen[medway] and "Kent" not in seen[medway]
        assert "lena@example.org" in seen[kent] and "mo@example.org" in seen[medway]


def test_a_lead_s_cached_my_authority_page_is_not_their_dcs_s(client, site, kent_lead, kent_dcs):
    dcs, lead = signed_in(Client, kent_dcs), signed_in(Client, kent_lead)
    url = reverse("my_authority")
    assert "Name your deputy" in text(dcs, url)  # “DCSs only”
    assert "Name your deputy" not in text(lead, url)
    assert "Name your deputy" in text(dcs, url)


def test_each_authority_reads_only_its_own_notes_on_a_cached_action_page(
    client, site, kent_lead, medway_lead
):
    kent, medway = signed_in(Client, kent_lead), signed_in(Client, medway_lead)
    url = action_url(site.mou)
    for order in ((medway, kent, client), (client, kent, medway)):
        seen = {reader: text(reader, url) for reader in order}
        assert KENT_NOTE in seen[kent] and MEDWAY_NOTE not in seen[kent]
        assert MEDWAY_NOTE in seen[medway] and KENT_NOTE not in seen[medway]
        assert KENT_NOTE not in seen[client] and MEDWAY_NOTE not in seen[client]
        assert "Kent’s answer" in seen[kent] and "Kent’s answer" not in seen[medway]


def test_an_editor_s_cached_action_page_is_not_a_dcs_s_who_answers_for_no_authority(
    client, site, editor, dcs
):
    """Diana is in the DCSs group without a membership: a DCS of no authority, as an editor
    with no membership is; only the editor reads every authority's notes."""
    edith, diana = signed_in(Client, editor), signed_in(Client, dcs)
    url = action_url(site.mou)
    for order in ((edith, diana), (diana, edith)):
        seen = {reader: text(reader, url) for reader in order}
        assert KENT_NOTE in seen[edith] and MEDWAY_NOTE in seen[edith]
        assert KENT_NOTE not in seen[diana] and MEDWAY_NOTE not in seen[diana]


@pytest.mark.parametrize("page", ["my authority", "action"])
def test_a_member_s_second_look_at_an_authority_page_is_not_rendered_and_asks_nothing(
    client, site, kent_dcs, django_assert_num_queries, monkeypatch, page
):
    url = reverse("my_authority") if page == "my authority" else action_url(site.mou)
    kofi = signed_in(Client, kent_dcs)
    first = text(kofi, url)

    def not_rendered(*args, **kwargs):
        raise AssertionError("the page was rendered again")

    monkeypatch.setattr("newsletters.views_responses.render", not_rendered)
    with django_assert_num_queries(0):
        again = text(kofi, url)
    assert without_token(again) == without_token(first)


def test_an_answer_shows_at_once_on_the_cached_authority_pages(client, site, kent_dcs):
    kofi = signed_in(Client, kent_dcs)
    mine, deputy = reverse("my_authority"), action_url(site.secret)
    assert f'id="owed-{site.kent_secret.pk}"' in text(kofi, mine)
    assert "0 of 2 authorities have done this" in text(kofi, deputy)
    kofi.post(
        reverse("answer_response", args=[site.kent_secret.pk]),
        {"status": "done", "note": "Deputy named"},
    )
    assert f'id="owed-{site.kent_secret.pk}"' not in text(kofi, mine)
    page = text(kofi, deputy)
    assert "1 of 2 authorities has done this: Kent." in page and "Deputy named" in page


def test_answering_from_a_cached_my_authority_page_passes_the_csrf_check(site, kent_dcs):
    kofi = Client(enforce_csrf_checks=True)
    kofi.get(reverse("login"))
    kofi.post(
        reverse("login"),
        {
            "username": kent_dcs.username,
            "password": "correct horse battery",
            "csrfmiddlewaretoken": kofi.cookies["csrftoken"].value,
        },
    )
    url = reverse("my_authority")
    text(kofi, url)  # cached
    page = text(kofi, url)  # from the cache, with this reader's own token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = kofi.post(
        reverse("answer_response", args=[site.kent_secret.pk]),
        {"status": "done", "next": url, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    site.kent_secret.refresh_from_db()
    assert site.kent_secret.status == "done"
