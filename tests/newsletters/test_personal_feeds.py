"""A reader's own calendar and feed addresses: a DCS's carry the “DCSs only” items and
deadlines, the public feeds never do, and a reader can replace theirs, killing the old ones."""

import re

import pytest
from django.urls import reverse

from contacts.models import Membership
from tests.factories import days, make_action, make_item
from tests.public_site import small_site
from tests.seslip.test_audiences import signed_in

pytestmark = pytest.mark.django_db

SECRET = "Directors budget settlement"
DEADLINE = "Return the budget form"


@pytest.fixture
def site(db):
    site = small_site()
    item = make_item(site["issue"], SECRET, dcs_only=True, position=1)
    make_action(item, DEADLINE, due_date=days(2))
    return site


def own_addresses(client):
    """The addresses the reader's feeds page shows them, as paths."""
    text = client.get(reverse("reader_feeds")).content.decode()
    return [
        re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<code>([^<]+)</code>", text)
    ]


def fetched(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_dcs_s_own_calendar_and_feeds_carry_the_dcs_only_items(client, site, kent_dcs):
    calendar, atom, rss = own_addresses(signed_in(client.__class__, kent_dcs))
    assert "Deadline: " + SECRET in fetched(client, calendar)  # a calendar program: no session
    assert SECRET in fetched(client, atom)
    assert SECRET in fetched(client, rss)


def test_the_public_feeds_never_carry_dcs_only_material_even_for_a_dcs(client, site, kent_dcs):
    dcs = signed_in(client.__class__, kent_dcs)
    for reader in (client, dcs):
        for name in ("calendar", "issue_feed", "issue_feed_rss"):
            assert SECRET not in fetched(reader, reverse(name)), name


def test_a_lead_s_own_feeds_carry_what_every_reader_sees(client, site, kent_lead):
    calendar, atom, rss = own_addresses(signed_in(client.__class__, kent_lead))
    for url in (calendar, atom, rss):
        text = fetched(client, url)
        assert SECRET not in text and "Fostering news" in text, url


def test_own_feeds_are_private_and_not_indexed(client, site, kent_dcs):
    calendar, atom, _ = own_addresses(signed_in(client.__class__, kent_dcs))
    for url in (calendar, atom):
        response = client.get(url)
        assert "private" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_replacing_the_addresses_kills_the_old_ones_at_once(client, site, kent_dcs):
    dcs = signed_in(client.__class__, kent_dcs)
    old = own_addresses(dcs)
    response = dcs.post(reverse("new_feed_address"), follow=True)
    assert "the old ones no longer work" in response.content.decode()
    new = own_addresses(dcs)
    assert set(new).isdisjoint(old)
    for url in old:
        refused = client.get(url)
        assert refused.status_code == 404 and "<h1>" in refused.content.decode()
    assert SECRET in fetched(client, new[0])


def test_a_deactivated_account_s_feeds_stop(client, site, kent_dcs):
    calendar, *_ = own_addresses(signed_in(client.__class__, kent_dcs))
    kent_dcs.is_active = False
    kent_dcs.save()
    assert client.get(calendar).status_code == 404


def test_a_dcs_who_is_no_longer_one_gets_what_every_reader_sees(client, site, kent_dcs):
    calendar, *_ = own_addresses(signed_in(client.__class__, kent_dcs))
    membership = Membership.objects.get(user=kent_dcs)
    membership.role = "lead"
    membership.save()
    assert SECRET not in fetched(client, calendar)


def test_readers_not_signed_in_are_asked_to_sign_in_for_their_feeds(client, db):
    response = client.get(reverse("reader_feeds"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post(reverse("new_feed_address")).status_code == 302


def test_accounts_without_a_membership_are_pointed_to_the_public_feeds(client, editor):
    text = signed_in(client.__class__, editor).get(reverse("reader_feeds")).content.decode()
    assert "Only reader accounts" in text and reverse("calendar") in text


def test_replacing_addresses_needs_a_post(client, kent_dcs):
    assert signed_in(client.__class__, kent_dcs).get(reverse("new_feed_address")).status_code == 405


def test_the_header_links_a_reader_to_their_feeds(client, site, kent_dcs):
    text = fetched(signed_in(client.__class__, kent_dcs), reverse("home"))
    assert f'href="{reverse("reader_feeds")}"' in text
