"""Update 515 (22 July 2022): the labelled 2022 format."""

import datetime

import pytest

from contacts.models import Contact
from networks.models import Meeting
from newsletters.models import Action

from .test_import_support import SEED, headline_titles, import_seed, issue, reminder_titles

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture(autouse=True)
def imported():
    return import_seed(515)


def test_number_date_intro_and_plan():
    update = issue(515)
    assert update.date == datetime.date(2022, 7, 22)
    assert update.improvement_plan == (
        "Our Regional Improvement Plan for 2022-2023 (July 2022) can be found here"
    )
    assert update.intro.startswith("If you would like to know more about the Programme")
    assert "Newsletters" not in update.intro.splitlines()


def test_headline_items():
    assert headline_titles(515) == [
        "New SESLIP MoU issued",
        "RISE Survey of SEND Workforce",
        "LGA code of practice on civil claims of non-recent CSA",
        "LGA report – Form and function: exploring structural change in children’s services",
        "Child exploitation disruption toolkit",
    ]


def test_reminders():
    assert reminder_titles(515) == [
        "KS2 national headlines for 2022",
        "LG Ombudsman publishes Out of school, out of sight?",
        "HoC Ed Select Committee report – Educational Poverty: how children in residential care "
        "have been let down and what to do about it",
    ]


def test_item_without_update_label_has_only_action_text():
    item = issue(515).headlines().get(item__title__startswith="LGA code").item
    assert item.update_text == ""
    assert item.action_text.startswith("<p>It should be read alongside")


def test_no_deadlines():
    assert Action.objects.count() == 0


def test_meetings():
    listed = [
        (
            m.meeting.network.name,
            m.meeting.date,
            m.meeting.start_time,
            m.meeting.end_time,
            m.meeting.contact.name,
        )
        for m in issue(515).meeting_listings.select_related("meeting__network", "meeting__contact")
    ]
    assert listed == [
        ("Lead Members Group", datetime.date(2022, 9, 30), None, None, "Alison Michalska"),
        ("Data Benchmarking", datetime.date(2022, 9, 15), T(10, 0), None, "Alastair Lee"),
        (
            "Adoption and Special Guardianship Leadership Board",
            datetime.date(2022, 10, 12),
            T(11, 0),
            T(12, 30),
            "Rebecca Eligon",
        ),
        ("AD Education", datetime.date(2022, 10, 14), T(10, 0), None, "Chris Owen"),
        ("AD Safeguarding", datetime.date(2022, 9, 9), T(10, 0), None, "Mark Evans"),
        ("QA Network", datetime.date(2022, 9, 14), T(14, 0), None, "Amanda Meadows"),
        ("Fostering Network", datetime.date(2022, 10, 19), T(10, 0), T(11, 30), "Rebecca Eligon"),
        ("SEND SE19", datetime.date(2022, 9, 14), T(12, 0), T(13, 30), "Sheelagh Sullivan"),
        ("Early Help", datetime.date(2022, 9, 12), T(13, 30), None, "Rebecca Eligon"),
        (
            "Family Hubs Community of Practice",
            datetime.date(2022, 9, 13),
            T(9, 20),
            T(11, 30),
            "Carly Bain",
        ),
    ]


def test_meeting_topics_and_online():
    hubs = Meeting.objects.get(network__name="Family Hubs Community of Practice")
    assert (hubs.topic, hubs.online) == ("Youth workshop", True)
    assert Meeting.objects.get(network__name="SEND SE19").topic == (
        "SEND Strategic Conversation: LAs & DfE"
    )
    assert Meeting.objects.get(network__name="Lead Members Group").topic.startswith(
        "Expert Workshop #7: What good looks like"
    )


def test_resources():
    resources = [r.resource for r in issue(515).resource_listings.select_related("resource")]
    assert len(resources) == 28
    assert (resources[1].title, resources[1].publisher, resources[1].published_on) == (
        "On 19 July, DfE updated its child exploitation disruption toolkit",
        "DfE",
        datetime.date(2022, 7, 19),
    )
    assert (resources[26].title, resources[26].publisher, resources[26].published_on) == (
        "Children in custody: secure training centres and secure school",
        "NAO",
        datetime.date(2022, 4, 28),
    )


def test_contacts_with_email_and_phone():
    listings = list(issue(515).contact_listings.select_related("contact"))
    assert len(listings) == 16
    first = listings[0]
    assert (first.contact.name, first.role, first.contact.email, first.contact.phone) == (
        "Luke Ede",
        "Data and Information Manager",
        "luke.ede@eastsussex.gov.uk",
        "07925 148597",
    )
    phil = listings[12]
    assert (phil.contact.name, phil.organisation_name, phil.contact.email, phil.contact.phone) == (
        "Philip (Phil) Simpkins",
        "LGA",
        "philip.simpkins@btinternet.com",
        "",
    )
    assert listings[2].role == (
        "Children’s Services Performance Manager, Convener Of SE Quality Assurance Network"
    )
    assert (
        Contact.objects.get(name="Gavin Lockhart").organisation.name == "NHS England (South East)"
    )


def test_weekday_mismatch_warning_keeps_the_day(imported):
    assert (
        f"{SEED[515]}:87: warning: “Tuesday 15 September”: 15 September 2022 is a Thursday, not a "
        "Tuesday; kept the day number (15 September 2022)"
    ) in imported.err.splitlines()
    assert len(imported.err.strip().splitlines()) == 3
