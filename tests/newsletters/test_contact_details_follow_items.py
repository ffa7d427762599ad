"""Anyone a new item names is added to the draft's Contact Details; the list stays the editor's."""

import re

import pytest
from django.urls import reverse

from newsletters import services
from tests.factories import list_contact, make_contact, make_issue, make_item, place


@pytest.fixture
def draft(db):
    return make_issue(350, published=False)


def listed_names(issue):
    return [listing.contact.name for listing in issue.contact_listings.order_by("position")]


def test_a_person_a_new_item_names_is_added_after_the_standing_contacts(draft):
    list_contact(draft, make_contact("Richard Tyndall", role="SESLI Programme Manager"))
    item = make_item(title="Special Guardianship conference")
    item.contacts.add(make_contact("Rebecca Eligon", role="Adoption Network Lead"))
    place(draft, item)

    services.list_named_contacts(issue=draft)

    assert listed_names(draft) == ["Richard Tyndall", "Rebecca Eligon"]
    assert (
        draft.contact_listings.get(contact__name="Rebecca Eligon").role == "Adoption Network Lead"
    )


def test_someone_already_listed_keeps_their_place_and_is_not_listed_twice(draft):
    mark = make_contact("Mark Evans")
    list_contact(draft, mark)
    item = make_item(title="BALI places")
    item.contacts.add(mark)
    place(draft, item)

    assert services.list_named_contacts(issue=draft) == []
    assert listed_names(draft) == ["Mark Evans"]


def test_a_published_update_keeps_its_contact_details_as_printed(db):
    issue = make_issue(349, published=True)
    item = make_item(title="Complex LAC Project")
    item.contacts.add(make_contact("Rosemary Perry"))
    place(issue, item)

    assert services.list_named_contacts(issue=issue) == []
    assert listed_names(issue) == []


def test_saving_an_item_in_the_admin_lists_its_people_in_the_draft(client, editor, draft):
    item = make_item(title="RISE Survey of SEND Workforce")
    place(draft, item)
    person = make_contact("Sheelagh Sullivan", role="SEND Network Co-ordinator")
    client.force_login(editor)
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    seen = re.search(r'name="seen_updated_at" value="([^"]*)"', client.get(url).text).group(1)

    response = client.post(
        url,
        {
            "title": item.title,
            "update_text": item.update_text,
            "action_text": item.action_text,
            "contacts": [person.pk],
            "seen_updated_at": seen,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
        },
        follow=True,
    )

    assert response.redirect_chain, response.context["adminform"].form.errors
    assert listed_names(draft) == ["Sheelagh Sullivan"]
    assert "Added to the draft’s Contact Details: Sheelagh Sullivan." in response.text
