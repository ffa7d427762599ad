"""Each public page is cached once per audience (not signed in, DCS, other member) and the
reader's own parts are filled in around it: no reader sees another audience's material or
another reader's name, in whichever order they arrive."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest
from django.urls import reverse

from contacts.models import Membership
from seslip.lib.pagecache import page_key
from tests.factories import days, make_action, make_item, make_resource
from tests.public_site import small_site

pytestmark = pytest.mark.django_db

SECRET = "Directors budget settlement"
PASSWORD = "correct horse battery"

# Each cached page, and whether it shows “DCSs only” material to DCSs.
PAGES = {
    "home": (lambda site: reverse("home"), True),
    "archive": (lambda site: reverse("issue_list"), False),
    "update": (lambda site: site["issue"].get_absolute_url(), True),
    "news item": (lambda site: reverse("item_detail", args=[site["item"].pk]), False),
    "dashboard": (lambda site: reverse("dashboard"), True),
    "search": (lambda site: reverse("search") + "?q=budget", True),
    "networks": (lambda site: reverse("network_list"), False),
    "network": (lambda site: reverse("network_detail", args=[site["network"].slug]), True),
    "peer challenge": (lambda site: reverse("peer_challenge"), False),
    "contacts": (lambda site: reverse("contact_list"), False),
    "Atom feed": (lambda site: reverse("issue_feed"), False),
    "RSS feed": (lambda site: reverse("issue_feed_rss"), False),
    "iCalendar": (lambda site: reverse("calendar"), False),
    "network calendar": (
        lambda site: reverse("network_calendar", args=[site["network"].slug]),
        False,
    ),
    "meeting calendar file": (
        lambda site: reverse("meeting_ics", args=[site["meeting"].pk]),
        False,
    ),
}


@pytest.fixture
def site(db):
    site = small_site()
    secret = make_item(
        site["issue"],
        SECRET,
        dcs_only=True,
        position=1,
        update_text="<p>The budget settlement for directors.</p>",
        networks=[site["network"]],
    )
    site["secret"] = secret
    site["secret_action"] = make_action(secret, "Return the budget form", due_date=days(2))
    make_resource(site["issue"], "Directors budget toolkit", dcs_only=True, position=1)
    return site


def signed_in(client_class, user):
    """A client signed in through the front door, as the reader would."""
    client = client_class()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub("</?mark>", "", response.content.decode())  # search marks the words found


@pytest.mark.parametrize("name", PAGES)
def test_each_audience_sees_its_own_page_in_whatever_order_they_come(
    client, site, kent_dcs, kent_lead, name
):
    url, shows_secret = PAGES[name][0](site), PAGES[name][1]
    dcs, lead = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, kent_lead)
    for order in ((dcs, lead, client), (client, lead, dcs)):  # the cache filled by each first
        seen = {reader: page(reader, url) for reader in order}
        assert (SECRET in seen[dcs]) is shows_secret, name
        assert SECRET not in seen[lead], name
        assert SECRET not in seen[client], name
        if url.endswith((".ics", "/feed/", "/rss/")):
            continue
        assert "kofi@example.org" in seen[dcs] and "lena@example.org" in seen[lead]
        assert "kofi@example.org" not in seen[lead] + seen[client]
        assert "lena@example.org" not in seen[dcs] + seen[client]
        assert "Sign in</a>" in seen[client] and "Sign out" not in seen[client]


def test_a_dcs_only_items_page_is_for_dcss_alone_in_whatever_order_they_come(
    client, site, kent_dcs, kent_lead
):
    url = reverse("item_detail", args=[site["secret"].pk])
    dcs, lead = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, kent_lead)
    for order in ((dcs, lead, client), (client, lead, dcs)):
        seen = {reader: reader.get(url) for reader in order}
        assert seen[dcs].status_code == 200 and SECRET in seen[dcs].text
        for refused in (lead, client):
            assert seen[refused].status_code == 403
            assert SECRET not in seen[refused].text
            assert "budget settlement" not in seen[refused].text


def test_a_dcs_only_deadline_file_is_for_dcss_alone(client, site, kent_dcs, kent_lead):
    url = reverse("action_ics", args=[site["secret_action"].pk])
    dcs, lead = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, kent_lead)
    assert "Return the budget form" in page(dcs, url)
    assert lead.get(url).status_code == 404
    assert client.get(url).status_code == 404
    assert "Return the budget form" in page(dcs, url)


def test_a_dcs_page_is_cached_for_dcss_and_filled_with_each_reader_s_name(
    client, site, kent_dcs, medway_dcs, rf
):
    url = site["issue"].get_absolute_url()
    kofi, mara = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, medway_dcs)
    first = page(kofi, url)
    second = page(mara, url)
    assert "kofi@example.org" in first and "(Kent)" in first
    assert "mara@example.org" in second and "(Medway)" in second
    assert "kofi@example.org" not in second and "(Kent)" not in second
    assert caches["default"].get(page_key(rf.get(url), "dcs")) is not None


def test_a_signed_in_reader_s_cached_page_asks_only_who_they_are_and_then_nothing(
    client, site, kent_dcs, medway_dcs, django_assert_num_queries
):
    url = site["issue"].get_absolute_url()
    kofi, mara = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, medway_dcs)
    page(kofi, url)  # the page cached for DCSs
    with django_assert_num_queries(3):  # the account, its groups, its membership: nothing else
        assert "mara@example.org" in page(mara, url)
    with django_assert_num_queries(0):  # who she is, and her session, are in the cache
        assert "mara@example.org" in page(mara, url)


def test_a_change_of_membership_changes_the_reader_s_pages_at_once(client, site, kent_lead):
    url = site["issue"].get_absolute_url()
    make_item(site["issue"], "Director pay", dcs_only=True, position=2)
    lead = signed_in(client.__class__, kent_lead)
    assert "Director pay" not in page(lead, url)
    membership = Membership.objects.get(user=kent_lead)
    membership.role = "dcs"
    membership.save()
    assert "Director pay" in page(lead, url)


def test_signing_out_ends_the_cached_reader_at_once(client, site, kent_dcs):
    url = site["issue"].get_absolute_url()
    dcs = signed_in(client.__class__, kent_dcs)
    assert "kofi@example.org" in page(dcs, url)
    dcs.post(reverse("logout"))
    text = page(dcs, url)
    assert "kofi@example.org" not in text and SECRET not in text


def test_signed_in_pages_are_private_vary_on_cookie_and_answer_304_to_their_own_etag(
    client, site, kent_dcs, medway_dcs
):
    url = site["issue"].get_absolute_url()
    kofi, mara = signed_in(client.__class__, kent_dcs), signed_in(client.__class__, medway_dcs)
    response = kofi.get(url)
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert kofi.get(url, headers={"if-none-match": response["ETag"]}).status_code == 304
    assert mara.get(url, headers={"if-none-match": response["ETag"]}).status_code == 200
    assert client.get(url, headers={"if-none-match": response["ETag"]}).status_code == 200


def test_the_public_page_is_not_private(client, site):
    response = client.get(reverse("home"))
    assert "private" not in response["Cache-Control"]
    assert "public" not in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def waiting_message(text):
    """The messages cookie as django.contrib.messages sets it when a view adds `text`."""
    storage = CookieStorage(HttpRequest())
    return storage._encode([Message(constants.SUCCESS, text)])


def test_a_message_waiting_is_shown_to_its_reader_only_once(client, site, kent_lead):
    lead = signed_in(client.__class__, kent_lead)
    url = reverse("home")
    page(lead, url)  # the page cached for members
    lead.cookies["messages"] = waiting_message("Your answer for Kent was saved.")
    assert "Your answer for Kent was saved." in page(lead, url)
    assert "Your answer for Kent was saved." not in page(lead, url)
    assert "Your answer for Kent was saved." not in page(client, url)


def test_a_reader_not_signed_in_sees_their_message_on_the_cached_page(client, site):
    url = reverse("home")
    page(client, url)
    client.cookies["messages"] = waiting_message("You are subscribed.")
    response = client.get(url)
    assert "You are subscribed." in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "You are subscribed." not in page(client.__class__(), url)


def test_an_authority_member_s_second_page_comes_from_the_members_copy_without_a_query(
    client, site, kent_lead, django_assert_num_queries, monkeypatch
):
    url = site["issue"].get_absolute_url()
    lena = signed_in(client.__class__, kent_lead)
    first = page(lena, url)  # renders the page for members, and learns who she is

    def not_rendered(*args, **kwargs):
        raise AssertionError("the page was rendered again")

    monkeypatch.setattr("newsletters.views.issue_context", not_rendered)
    with django_assert_num_queries(0):
        assert page(lena, url) == first
    assert "lena@example.org" in first and SECRET not in first
