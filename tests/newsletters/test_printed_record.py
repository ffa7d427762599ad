"""A published update keeps what it printed: meeting dates and times, triad dates and members,
contact details. Where a fact changed since, its page says so beside it, with a link."""

import datetime

import pytest
from django.urls import reverse

from networks.models import Triad
from newsletters import services
from tests.admin_pages import issue_form
from tests.factories import (
    list_contact,
    list_meeting,
    make_contact,
    make_meeting,
    make_network,
    make_triad,
)

pytestmark = pytest.mark.django_db

JULY_2022 = datetime.date(2022, 7, 29)
NOVEMBER_2019 = datetime.date(2019, 11, 29)


def page_of(client, issue):
    return client.get(reverse("issue_detail", args=[issue.number])).text


def test_a_meeting_moved_after_publishing_shows_as_printed_with_a_note(client, update_515):
    network = make_network("AD Safeguarding")
    meeting = make_meeting(network, JULY_2022, start_time=datetime.time(10))
    list_meeting(update_515, meeting)
    services.publish_update(issue=update_515)

    meeting.date, meeting.start_time = datetime.date(2027, 1, 15), datetime.time(14)
    meeting.save()

    page = page_of(client, update_515)
    assert "Friday 29 July 2022</time>, 10:00" in page
    assert "since moved to Friday 15 January 2027, 14:00" in page
    current = reverse("network_detail", args=[network.slug]) + f"#meeting-{meeting.pk}"
    assert f'<a href="{current}">see the current record</a>' in page


def test_a_triad_rearranged_after_publishing_shows_as_printed_with_a_note(client, update_515):
    triad = make_triad(date=NOVEMBER_2019)
    update_515.triads.add(triad)
    services.publish_update(issue=update_515)

    triad.date, triad.status = datetime.date(2020, 1, 10), Triad.Status.REARRANGED
    triad.save()
    triad.memberships.filter(authority__name="Surrey").delete()

    page = page_of(client, update_515)
    assert "Friday 29 November 2019" in page
    assert "Kent, Medway, Surrey" in page
    assert "since rearranged for 10 January 2020" in page
    assert f'href="{reverse("peer_challenge")}#round-{triad.round.slug}"' in page


def test_contact_details_changed_after_publishing_show_as_printed(client, update_515):
    contact = make_contact(email="isabelle@example.org", phone="01234 567890")
    list_contact(update_515, contact)
    services.publish_update(issue=update_515)

    contact.email = "isabelle.gregory@example.org"
    contact.save()

    page = page_of(client, update_515)
    assert "mailto:isabelle@example.org" in page
    assert "details since changed" in page


def test_an_unchanged_record_has_no_note(client, update_515):
    meeting = make_meeting(make_network(), JULY_2022)
    list_meeting(update_515, meeting)
    update_515.triads.add(make_triad(date=NOVEMBER_2019))
    services.publish_update(issue=update_515)
    assert "since" not in page_of(client, update_515)


def test_a_draft_shows_the_current_record(client, editor, update_515):
    meeting = make_meeting(make_network(), JULY_2022)
    list_meeting(update_515, meeting)
    meeting.date = datetime.date(2027, 1, 15)
    meeting.save()
    client.force_login(editor)
    page = client.get(reverse("issue_preview", args=[515])).text
    assert "Friday 15 January 2027" in page
    assert "since moved" not in page


def test_publishing_from_the_update_page_keeps_the_printed_record(client, editor, update_515):
    meeting = make_meeting(make_network(), JULY_2022)
    list_meeting(update_515, meeting)
    client.force_login(editor)
    url = reverse("admin:newsletters_issue_change", args=[update_515.pk])
    client.post(url, issue_form(515, date="2022-07-22") | {"_publish": "Publish now"})
    meeting.date = datetime.date(2027, 1, 15)
    meeting.save()
    assert "since moved to Friday 15 January 2027" in page_of(client, update_515)
