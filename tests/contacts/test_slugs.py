import pytest

from contacts.models import Organisation
from networks.models import Network, PeerChallengeRound

pytestmark = pytest.mark.django_db


def test_a_record_made_without_a_slug_gets_one_from_its_name():
    network = Network.objects.create(name="AD Safeguarding Network")
    assert network.slug == "ad-safeguarding-network"


def test_two_records_whose_names_make_the_same_slug_get_different_addresses():
    first = Network.objects.create(name="Data Benchmarking")
    second = Network.objects.create(name="Data benchmarking!")
    assert (first.slug, second.slug) == ("data-benchmarking", "data-benchmarking-2")


def test_a_name_without_letters_or_digits_still_gets_a_slug():
    round_ = PeerChallengeRound.objects.create(name="––")
    assert round_.slug == "x"


def test_a_slug_given_is_kept():
    partner = Organisation.objects.create(name="Research in Practice", slug="rip")
    assert partner.slug == "rip"
