"""A news item has a page of its own: its title and text as they are now, its actions, and the
published updates that printed it. An update that printed an older text links to it from its
“since” note. “DCSs only” items are for the readers who see them on the update's page."""

import datetime

import pytest
from django.urls import reverse

from newsletters import services
from newsletters.models import Placement
from tests.factories import make_action, make_contact, make_issue, make_item, make_network, place

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
PRINTED = "<p>Twelve authorities have replied.</p>"
NOW = "<p>Fifteen authorities have replied.</p>"
SECRET = "The budget settlement for directors."


def item_url(item):
    return reverse("item_detail", args=[item.pk])


def signed_in(client, user):
    """Signed in through the login page, as the reader would."""
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def survey():
    """A survey item printed as a headline by Update 515, edited since and run again as a
    reminder by Update 516."""
    first = make_issue(515, date=datetime.date(2022, 7, 22), published=False)
    item = make_item(first, "Regional survey", update_text=PRINTED)
    services.publish_update(issue=first)
    item.update_text = NOW
    item.save()
    second = make_issue(516, date=datetime.date(2022, 7, 29), published=False)
    make_item(second, "Kinship carers")
    place(second, item, section=Placement.Section.REMINDER)
    services.publish_update(issue=second)
    return item


def test_an_items_page_shows_its_current_text_and_actions(client, survey):
    make_action(survey, "Reply to the survey", due_date=datetime.date(2022, 8, 5))
    survey.action_text = "<p>Send the form to Isabelle.</p>"
    survey.save()

    page = client.get(item_url(survey)).text

    assert '<h1 id="item-title">Regional survey</h1>' in page
    assert "Fifteen authorities have replied." in page
    assert "Twelve" not in page
    assert "Send the form to Isabelle." in page
    assert "Reply to the survey" in page and "Friday 5 August 2022" in page


def test_an_items_page_lists_the_updates_that_printed_it_as_headline_or_reminder(client, survey):
    page = client.get(item_url(survey)).text

    update_516 = f'<a href="/updates/516/#item-{survey.pk}">Update 516</a>'
    update_515 = f'<a href="/updates/515/#item-{survey.pk}">Update 515</a>'
    assert page.index(update_516) < page.index(update_515)  # newest first
    assert "29 July 2022</time>: as a reminder</li>" in page
    assert "22 July 2022</time>: as a headline (printed with its text as it was then)</li>" in page


def test_an_items_page_names_its_people_and_networks(client):
    network = make_network("AD Safeguarding")
    contact = make_contact("Isabelle Gregory")
    item = make_item(
        make_issue(515),
        "Safeguarding review",
        update_text="<p>Isabelle Gregory leads it.</p>",
        contacts=[contact],
        networks=[network],
    )

    page = client.get(item_url(item)).text

    assert f'<a href="/contacts/#{contact.anchor}">Isabelle Gregory</a> leads it.' in page
    assert f'<a href="{network.get_absolute_url()}">AD Safeguarding</a>' in page


def test_the_since_note_of_an_item_edited_after_publishing_links_to_its_page(client, survey):
    page = client.get(reverse("issue_detail", args=[515])).text

    assert "Twelve authorities have replied." in page
    note = (
        "As printed in this update (its text has been updated since: "
        f'<a href="{item_url(survey)}">see the current item</a>).'
    )
    assert note in page


def test_an_update_that_prints_an_item_as_it_is_has_no_since_note(client, survey):
    assert "see the current item" not in client.get(reverse("issue_detail", args=[516])).text


def test_an_item_in_no_published_update_has_no_page(client):
    item = make_item(make_issue(517, published=False), "Next week's news")

    assert client.get(item_url(item)).status_code == 404


def test_an_unknown_item_has_no_page(client):
    assert client.get(reverse("item_detail", args=[999999])).status_code == 404


@pytest.fixture
def secret():
    return make_item(make_issue(515), "Directors budget", dcs_only=True, update_text=SECRET)


def test_a_dcs_reads_a_dcs_only_item_on_its_page(client, secret, kent_dcs):
    page = signed_in(client, kent_dcs).get(item_url(secret)).text

    assert SECRET in page and "DCSs only" in page


def test_a_reader_not_signed_in_is_asked_to_sign_in_for_a_dcs_only_item(client, secret):
    response = client.get(item_url(secret))

    assert response.status_code == 403
    assert "If you are a DCS or a DCS PA, sign in to read it." in response.text
    assert f'href="/accounts/login/?next=/items/{secret.pk}/">Sign in</a>' in response.text
    assert SECRET not in response.text and "Directors budget" not in response.text


def test_signing_in_from_the_refusal_as_a_dcs_opens_the_dcs_only_item(client, secret, kent_dcs):
    client.get(item_url(secret))
    response = client.post(
        reverse("login") + f"?next={item_url(secret)}",
        {"username": "kofi", "password": PASSWORD, "next": item_url(secret)},
        follow=True,
    )

    assert SECRET in response.text


def test_a_lead_is_refused_a_dcs_only_item_and_never_shown_its_text(client, secret, kent_lead):
    response = signed_in(client, kent_lead).get(item_url(secret))

    assert response.status_code == 403
    assert "only Directors of Children’s Services and their PAs can read it" in response.text
    assert SECRET not in response.text and "Directors budget" not in response.text


def test_an_items_page_makes_five_queries_and_none_once_cached(
    client, survey, django_assert_num_queries
):
    make_action(survey, "Reply to the survey")
    survey.contacts.add(make_contact())
    survey.networks.add(make_network())
    # the item, its runs with their updates, its actions, contacts and networks
    with django_assert_num_queries(5):
        assert client.get(item_url(survey)).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(item_url(survey)).status_code == 200


def test_an_items_page_shows_an_edit_at_once(client, survey):
    client.get(item_url(survey))
    survey.title = "Regional survey: results"
    survey.save()

    assert "Regional survey: results" in client.get(item_url(survey)).text
