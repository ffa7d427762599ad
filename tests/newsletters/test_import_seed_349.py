"""Update 349 (26 April 2019): triads with a TBC pair of dates and a quartet."""

import datetime

import pytest

from networks.models import Triad
from newsletters.models import Action

from .test_import_support import headline_titles, import_seed, issue, reminder_titles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def imported():
    return import_seed(349)


def test_number_date_and_improvement_plan():
    assert issue(349).date == datetime.date(2019, 4, 26)
    assert (
        issue(349).improvement_plan
        == "Our Regional Improvement Plan for 2019-20 can be found here."
    )
    assert issue(349).intro.endswith("SESLI Programme Manager.")


def test_headline_items():
    assert headline_titles(349) == [
        "Children not in school – DfE Consultation",
        "Complex LAC Project",
        "Unexplained pupil exits from schools: A growing problem?",
    ]


def test_reminders():
    assert reminder_titles(349) == [
        "Children’s Commissioner Report on Early Access to Mental Health Support",
        "Peer Challenge Triads – Planning for 2019-20",
        "Help shape the procurement of a new aspiring DCS leaders’ programme",
    ]


def test_actions_with_their_due_dates():
    actions = {a.due_date: a.description for a in Action.objects.all()}
    assert actions == {
        datetime.date(2019, 6, 24): "The current consultation closes on 24 June 2019.",
        datetime.date(2019, 5, 1): "It would be very helpful if you could confirm your attendance "
        "by 1st May and let us know if you have any dietary requirements (we will serve "
        "some light refreshments).",
    }


def triads():
    return {
        t.number: (
            [m.authority.name for m in t.memberships.all()],
            t.date,
            t.candidate_dates,
            t.status,
        )
        for t in Triad.objects.filter(round__name="2019-20 DCS Peer Challenge")
    }


def test_triads_members_dates_and_status():
    assert triads() == {
        1: (["East Sussex", "Surrey", "Wokingham"], datetime.date(2019, 11, 25), [], "confirmed"),
        2: (["Kent", "West Sussex", "Portsmouth"], None, ["2019-11-01", "2019-11-11"], "tbc"),
        3: (
            ["Hampshire", "Isle of Wight", "Milton Keynes", "Slough"],
            datetime.date(2019, 11, 11),
            [],
            "confirmed",
        ),
        4: (
            ["Medway", "Oxfordshire", "Windsor and Maidenhead"],
            datetime.date(2019, 11, 29),
            [],
            "confirmed",
        ),
        5: (
            ["Brighton and Hove", "Buckinghamshire", "West Berkshire"],
            datetime.date(2019, 11, 15),
            [],
            "confirmed",
        ),
        6: (
            ["Southampton", "Bracknell Forest", "Reading"],
            datetime.date(2019, 11, 13),
            [],
            "confirmed",
        ),
    }
    assert Triad.objects.get(number=3).label == "Quartet 3"
    assert issue(349).triads.count() == 6


def test_peer_challenge_item_keeps_its_text():
    item = issue(349).reminders().get(item__title__startswith="Peer Challenge Triads").item
    assert "Triad 1 – East Sussex" in item.action_text


def test_resources():
    listings = issue(349).resource_listings.select_related("resource")
    assert listings.count() == 19
    guidance = listings[4].resource
    assert guidance.publisher == "DfE"
    assert guidance.published_on == datetime.date(2019, 4, 2)
    assert listings[2].resource.title == (
        "Children’s Commissioner Report on Early Access to Mental Health Support"
    )


def test_contacts():
    listings = list(issue(349).contact_listings.select_related("contact"))
    assert [c.contact.name for c in listings] == [
        "Luke Ede",
        "Krista Pickering",
        "Isabelle Gregory",
        "Mark Evans",
        "Rebecca Eligon",
        "Richard Tyndall",
        "Sheelagh Sullivan",
    ]
    assert listings[4].role == "Adoption; Fostering; Kinship and Early Help Regional Networks"
    assert listings[4].contact.phone == "07944 996219"


def test_item_contacts_and_the_missing_person_warning(imported):
    item = issue(349).headlines().get(item__title="Complex LAC Project").item
    assert {c.name for c in item.contacts.all()} == {"Mark Evans", "Rosemary Perry"}
    assert imported.err.strip().splitlines() == [
        f"{imported_path()}:65: warning: Rosemary Perry is named “(contact details below)” "
        "but is not under Contact Details"
    ]


def imported_path():
    from .test_import_support import SEED

    return SEED[349]
