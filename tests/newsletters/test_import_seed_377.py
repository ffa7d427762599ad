"""Update 377 (8 November 2019): the flattened 2019-20 table of peer-challenge dates."""

import datetime

import pytest

from networks.models import Triad
from newsletters.models import Action

from .test_import_support import SEED, headline_titles, import_seed, issue, reminder_titles

pytestmark = pytest.mark.django_db


def test_headline_items_the_table_is_not_split_into_items():
    import_seed(377)
    assert headline_titles(377) == [
        "4 recent DfE publications",
        "EEF publishes new evaluation report on the Early Years Foundation Stage Profile (EYFSP)",
        "Nuffield Family Justice Observatory: Use of children’s social care data at the local and "
        "regional level",
        "Research into the use of Social Media by Children’s Social Workers",
        "Triads 3, 5 and 6 all meet next week",
        "SEND Single Route of Redress National Trial – Extension to 31 August 2020",
        "Developing regional quality assurance capacity",
    ]
    triads_item = issue(377).headlines().get(item__title__startswith="Triads 3").item
    assert "Bracknell Forest" in triads_item.action_text


def test_reminders():
    import_seed(377)
    assert reminder_titles(377) == [
        "Memorandum of Cooperation – Review of effectiveness",
        "Are you “due” an Ofsted visit",
    ]


def test_vague_dates_make_no_actions():
    import_seed(377)
    assert Action.objects.count() == 0


def test_table_updates_the_triads_of_update_349():
    import_seed(349, 377)
    triads = {t.number: t for t in Triad.objects.all()}
    assert triads[2].date == datetime.date(2020, 1, 9)
    assert (triads[2].status, triads[2].candidate_dates) == ("confirmed", [])
    assert triads[4].date == datetime.date(2020, 1, 10)
    assert triads[4].status == "rearranged"
    assert triads[1].date == datetime.date(2019, 11, 25)
    assert [m.authority.name for m in triads[3].memberships.all()] == [
        "Hampshire",
        "Isle of Wight",
        "Milton Keynes",
        "Slough",
    ]
    assert issue(377).triads.count() == 6
    assert Triad.objects.count() == 6


def test_table_alone_creates_the_triads_it_lists():
    import_seed(377)
    quartet = Triad.objects.get(number=3)
    assert [m.authority.name for m in quartet.memberships.all()] == [
        "Hampshire",
        "Isle of Wight",
        "Milton Keynes",
    ]
    assert quartet.date == datetime.date(2019, 11, 11)
    assert Triad.objects.get(number=5).date == datetime.date(2019, 11, 15)


def test_resources_with_publisher_and_date():
    import_seed(377)
    resources = [r.resource for r in issue(377).resource_listings.select_related("resource")]
    assert len(resources) == 24
    by_title = {r.title: r for r in resources}
    knife = by_title["Back to School? Breaking the link between school exclusions and knife crime"]
    assert (knife.publisher, knife.published_on) == (
        "APPG on Knife Crime",
        datetime.date(2019, 10, 24),
    )
    nao = by_title["Support for pupils with SEND in England"]
    assert (nao.publisher, nao.published_on) == ("NAO", datetime.date(2019, 9, 11))
    assert resources[1].published_on == datetime.date(2019, 11, 4)  # "updated 4 November 2019"


def test_contacts():
    import_seed(377)
    listings = list(issue(377).contact_listings.select_related("contact"))
    assert len(listings) == 10
    assert (listings[3].contact.name, listings[3].organisation_name, listings[3].contact.phone) == (
        "Daryl Perilli",
        "Brighton and Hove",
        "",
    )
    assert listings[9].contact.name == "Sheelagh Sullivan"


def test_warnings_name_file_and_line():
    result = import_seed(377)
    assert result.err.strip().splitlines() == [
        f"{SEED[377]}:160: warning: Tracey Maytas is named “(deatils below)” but is not under "
        "Contact Details",
        f"{SEED[377]}:172: warning: Diane Williamson is named “(details below)” but is not under "
        "Contact Details",
    ]


def test_lowercase_name_before_details_below_is_linked():
    import_seed(377)
    item = issue(377).headlines().get(item__title__startswith="Triads 3").item
    assert [c.name for c in item.contacts.all()] == ["Isabelle Gregory"]
