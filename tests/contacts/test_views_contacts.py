import pytest
from django.urls import reverse

from contacts.models import Organisation
from tests.factories import make_contact

pytestmark = pytest.mark.django_db


def programme():
    return Organisation.objects.get(kind=Organisation.Kind.PROGRAMME)


def test_directory_lists_the_programme_team_by_role(client):
    make_contact("Richard Tyndall", role="SESLI Programme Manager", organisation=programme())
    make_contact("Luke Ede", role="Data Benchmarking", organisation=programme())
    page = client.get(reverse("contact_list")).content.decode()
    team = page.split("The programme team")[1]
    assert team.index("Data Benchmarking") < team.index("SESLI Programme Manager")
    assert 'id="contact-richard-tyndall"' in page


def test_directory_groups_other_contacts_by_organisation(client):
    kent = Organisation.objects.get(name="Kent")
    make_contact("Sarah Hammond", role="DCS", organisation=kent, email="sarah@example.org")
    make_contact("Holly Ramsey", role="", organisation=Organisation.objects.get(name="DfE"))
    page = client.get(reverse("contact_list")).content.decode()
    assert page.index("DfE") < page.index("Holly Ramsey") < page.index("Kent")
    assert page.index("Kent") < page.index("Sarah Hammond")
    assert 'href="mailto:sarah@example.org"' in page


def test_empty_directory_says_so(client):
    assert "No contacts yet." in client.get(reverse("contact_list")).content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_directory_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        make_contact(f"Person {n}", organisation=programme() if n % 2 else None)
    with django_assert_num_queries(1):
        assert client.get(reverse("contact_list")).status_code == 200
