"""Update 312 (27 July 2018): the oldest format."""

import datetime

import pytest

from newsletters.models import Action

from .test_import_support import headline_titles, import_seed, issue, reminder_titles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def imported():
    return import_seed(312)


def test_number_date_and_publication_time():
    update = issue(312)
    assert update.date == datetime.date(2018, 7, 27)
    assert update.published_at.isoformat() == "2018-07-27T08:00:00+00:00"  # 09:00 in London
    assert update.source_name == "002_774b908cd991f5ea.txt"
    assert len(update.source_sha256) == 64


def test_intro_without_web_page_artefacts():
    intro = issue(312).intro
    assert intro.startswith("A brief summary of the main headlines")
    assert "Three children playing" not in intro and "[…]" not in intro
    assert issue(312).improvement_plan == ""


def test_headline_items():
    assert headline_titles(312) == [
        "Complex LAC and Edge of Care Project",
        "Secure Estate",
        "Data Benchmarking Group",
    ]


def test_reminders():
    assert reminder_titles(312) == ["2018-19 Peer Challenge Arrangements"]


def test_update_and_action_text_are_split_at_action_required():
    item = issue(312).headlines().get(item__title="Secure Estate").item
    assert item.update_text.startswith("<p>A meeting took place on 18")
    assert item.action_text.startswith("<ul><li>That we do not recommend")
    assert item.action_text.count("<li>") == 4


def test_the_fieldwork_deadline_is_an_action():
    action = Action.objects.get()
    assert action.due_date == datetime.date(2018, 10, 19)
    assert action.description.endswith("would complete the fieldwork by Friday 19 October 2018.")
    assert action.item.title == "Complex LAC and Edge of Care Project"


def test_authorities_named_but_not_reading_the_bid():
    secure = issue(312).headlines().get(item__title="Secure Estate").item
    names = {org.name for org in secure.authorities.all()}
    assert names == {"Hampshire", "West Sussex", "East Sussex", "Oxfordshire"}
    data = issue(312).headlines().get(item__title="Data Benchmarking Group").item
    assert "Reading" in {org.name for org in data.authorities.all()}


def test_resources():
    listings = issue(312).resource_listings.select_related("resource")
    titles = [r.resource.title for r in listings]
    assert len(titles) == 6
    assert titles[1] == "SESLIP Leadership Development Prospectus"
    kcsie = listings[4].resource
    assert kcsie.published_on == datetime.date(2018, 5, 20)


def test_contacts_in_order():
    listings = list(issue(312).contact_listings.select_related("contact"))
    assert [(c.contact.name, c.role, c.contact.phone) for c in listings] == [
        ("Isabelle Gregory", "SESLIP Consultant", "07931 586784"),
        ("Krista Pickering", "South East Grid for Learning – Consortium Manager", "07872 014083"),
        ("Richard Tyndall", "SESLI Programme Manager", "07880 787007"),
        ("Mark Evans", "CSC Workforce, PSW and AD Safeguarding Network Lead", "07803 147072"),
        ("Sheelagh Sullivan", "S.E. Region SEND Network Programme Co-ordinator", ""),
        ("Luke Ede", "Data Benchmarking", "07925 148597"),
    ]
    assert {c.organisation_name for c in listings} == {
        "South East Sector-Led Improvement Programme"
    }


def test_no_meetings_or_triads_and_no_warnings(imported):
    assert issue(312).meeting_listings.count() == 0
    assert issue(312).triads.count() == 0
    assert imported.err == ""
