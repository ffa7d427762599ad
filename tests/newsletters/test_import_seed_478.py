"""Update 478 (5 November 2021): network meetings in an old-format item."""

import datetime

import pytest

from networks.models import Meeting, Network
from newsletters.models import Action

from .test_import_support import SEED, headline_titles, import_seed, issue, reminder_titles

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture(autouse=True)
def imported():
    return import_seed(478)


def test_headline_items():
    assert headline_titles(478) == [
        "Black and Asian Leadership Initiative (BALI) January 2022",
        "SESLIP Special Guardianship conference – Tuesday 30 November 1-4pm interactive and online",
        "CMA social care market study interim report",
        "Tackling child exploitation learning and events programme",
        "HoC Library Research Briefing: Support for Care Leavers",
    ]


def test_reminders_without_the_meeting_listing():
    assert reminder_titles(478) == [
        "Political leadership of effective Special Educational Needs and Disabilities (SEND) "
        "systems. 10 Nov 2021 1.30pm to 4.00pm.",
        "Characteristics of Children in Need 2021",
        "PAC report on impact of NFF changes",
        "Independent review of children’s social care in England",
    ]


def test_all_in_line_stays_in_its_item():
    item = issue(478).headlines().get(item__title__startswith="Tackling child").item
    assert "ALL IN: FORMING CONSTRUCTIVE COALITIONS" in item.action_text


def test_actions():
    actions = list(Action.objects.order_by("position", "id"))
    assert [(a.due_date, a.contact and a.contact.name) for a in actions] == [
        (datetime.date(2021, 11, 12), "Mark Evans"),
        (datetime.date(2021, 11, 12), None),
    ]
    assert actions[0].description.replace(" ", " ") == (
        "To book your place, or for further discussion, please contact Mark Evans (details below) "
        "by the 12 November."
    )
    assert actions[1].description.endswith("children@cma.gov.uk by 12 November 2021.")


def test_meetings():
    listed = [
        (
            m.meeting.network.name,
            m.meeting.date,
            m.meeting.start_time,
            m.meeting.end_time,
            m.meeting.status,
        )
        for m in issue(478).meeting_listings.select_related("meeting__network")
    ]
    assert listed == [
        ("Lead Members Group", datetime.date(2021, 12, 3), None, None, "confirmed"),
        ("Data Benchmarking", datetime.date(2021, 12, 9), None, None, "confirmed"),
        ("Adoption and Special Guardianship Leadership Board", None, None, None, "tbc"),
        ("AD Education", datetime.date(2021, 11, 12), T(10, 0), None, "confirmed"),
        ("AD Safeguarding", datetime.date(2021, 12, 10), None, None, "confirmed"),
        ("QA Network", datetime.date(2022, 1, 6), T(14, 0), T(17, 0), "rearranged"),
        ("Fostering Network", None, None, None, "tbc"),
        ("SEND SE19", datetime.date(2021, 11, 30), None, None, "confirmed"),
    ]


def test_meeting_topics_and_contacts():
    qa = Meeting.objects.get(network__name="QA Network")
    assert qa.topic == (
        "The meeting will consider performance of health and dental assessments for Children "
        "looked after"
    )
    assert (
        Meeting.objects.get(network__name="Lead Members Group").topic == "Joint meeting with DCSs"
    )
    assert Meeting.objects.get(network__name="SEND SE19").topic == "LA and Health SEND Conversation"
    assert qa.contact.name == "Amanda Meadows"
    assert Network.objects.get(name="Fostering Network").convener.name == "Rebecca Eligon"
    listing = issue(478).meeting_listings.get(meeting=qa)
    assert listing.text.startswith("QA Network: ***NEW DATE*** Thursday 6 January 2022.")


def test_resources():
    listings = [r.resource for r in issue(478).resource_listings.select_related("resource")]
    assert len(listings) == 20
    assert (listings[1].title, listings[1].publisher, listings[1].published_on) == (
        "Characteristics of Children in Need 2020-2021",
        "DfE",
        datetime.date(2021, 10, 28),
    )
    assert (listings[3].title, listings[3].publisher) == (
        "Support for Care Leavers",
        "House of Commons Library",
    )
    assert listings[4].published_on == datetime.date(2021, 9, 22)  # "on 22 September": no year


def test_contacts():
    listings = list(issue(478).contact_listings.select_related("contact__organisation"))
    assert len(listings) == 12
    assert (listings[0].contact.name, listings[0].role, listings[0].contact.organisation.name) == (
        "Luke Ede",
        "Data and Information Manager",
        "East Sussex",
    )
    gavin = listings[5]
    assert (gavin.contact.name, gavin.organisation_name, gavin.contact.phone) == (
        "Gavin Lockhart",
        "NHS England (South East)",
        "07879 488307",
    )
    assert gavin.contact.organisation.name == "NHS England (South East)"
    assert listings[4].contact.name == "Daryl Perilli" and listings[4].contact.phone == ""


def test_warnings(imported):
    assert imported.err.strip().splitlines() == [
        f"{SEED[478]}:89: warning: Alison Michalska is named “(contact details below)” but is "
        "not under Contact Details",
        f"{SEED[478]}:91: warning: Alastair Lee is named “(contact details below)” but is not "
        "under Contact Details",
        f"{SEED[478]}:105: warning: Tracey Maytas is named “(contact details below)” but is not "
        "under Contact Details",
    ]


def test_items_are_linked_to_the_networks_they_name():
    item = issue(478).headlines().get(item__title__startswith="SESLIP Special Guardianship").item
    assert [n.name for n in item.networks.all()] == [
        "Adoption and Special Guardianship Leadership Board"
    ]
