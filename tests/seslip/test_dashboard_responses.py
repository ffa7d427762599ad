"""The dashboard filtered by a local authority shows what it still owes: the same list as the
authority's members see on “My authority”."""

import re

import pytest
from django.urls import reverse

from newsletters.models import Action
from newsletters.responses import address_action
from tests.factories import days, make_action, make_issue, make_item
from tests.newsletters.responses_site import responses_site


@pytest.fixture
def site(editor):
    site = responses_site(editor)
    later = make_action(
        make_item(make_issue(516), "Survey"), "Answer the survey", due_date=days(40)
    )
    address_action(action=later, to=Action.Addressees.ALL, by=editor)
    return site


def owed_ids(page):
    return re.findall(r'id="owed-(\d+)"', page)


def kent_dashboard(client):
    return client.get(reverse("dashboard") + "?authority=kent").text


def test_the_dashboard_filtered_by_kent_shows_what_kent_still_owes(client, site):
    page = kent_dashboard(client)
    assert "What Kent still owes" in page
    assert "Answer the survey" in page
    assert 'href="/actions/' in page


def test_the_dashboard_and_my_authority_agree_for_a_dcs(client, site, kent_dcs):
    client.force_login(kent_dcs)
    mine = owed_ids(client.get(reverse("my_authority")).text)
    assert mine and owed_ids(kent_dashboard(client)) == mine


def test_the_dashboard_and_my_authority_agree_for_a_lead(client, site, kent_lead):
    client.force_login(kent_lead)
    mine = owed_ids(client.get(reverse("my_authority")).text)
    assert owed_ids(kent_dashboard(client)) == mine
    client.logout()
    assert owed_ids(kent_dashboard(client)) == mine  # readers not signed in: no DCS-only action


def test_an_answer_takes_the_action_off_both_lists(client, site, kent_dcs):
    client.force_login(kent_dcs)
    client.post(reverse("answer_response", args=[site.kent_secret.pk]), {"status": "done"})
    assert str(site.kent_secret.pk) not in owed_ids(kent_dashboard(client))
    assert str(site.kent_secret.pk) not in owed_ids(client.get(reverse("my_authority")).text)


def test_the_unfiltered_dashboard_lists_no_authoritys_debts(client, site):
    assert "still owes" not in client.get(reverse("dashboard")).text
