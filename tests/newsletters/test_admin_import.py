"""Editors import an update in the admin: upload or paste, check the proposed structure, move an
item boundary, save. Nothing is written before they save."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from newsletters.models import Issue, NewsItem

from .test_import_support import SEED, headline_titles, reminder_titles

pytestmark = pytest.mark.django_db
URL = "/admin/newsletters/import/"
MISSED_TITLE = (
    "UPDATE NO 900 10 March 2023\n\n"
    "Regional café network launched\n\n"
    "The new network met on 1 March and agreed its plan for the year ahead with all members.\n\n"
    "Ofsted is changing its framework\n\n"
    "Inspections from September will look at how help reaches families earlier.\n"
)


@pytest.fixture
def editing(client, editor):
    client.force_login(editor)
    return client


def read(client, text):
    return client.post(URL, {"text": text})


def state(response):
    """The hidden fields a review page carries to the next step."""
    context = response.context
    return {
        "text_source": context["text_source"],
        "source_name": context["source_name"],
        "sha256": context["sha256"],
        "titles": context["titles"],
        "not_titles": context["not_titles"],
        "reminders": context["reminders"],
        "headlines": context["headlines"],
    }


def test_an_uploaded_seed_shows_its_items_and_nothing_is_written(editing):
    upload = SimpleUploadedFile("349.txt", SEED[349].read_bytes(), content_type="text/plain")
    response = editing.post(URL, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Update 349, 26 April 2019" in page
    assert "Headline: Children not in school – DfE Consultation" in page
    assert "due 24 June 2019" in page
    assert not Issue.objects.exists() and not NewsItem.objects.exists()


def test_the_proposal_shows_the_meetings_and_contact_details_and_nothing_is_written(editing):
    upload = SimpleUploadedFile("515.txt", SEED[515].read_bytes(), content_type="text/plain")
    page = editing.post(URL, {"file": upload}).content.decode()
    assert "Fostering Network: Wednesday 19 October 2022 10:00–11:30 — Rebecca Eligon" in page
    assert (
        "Data and Information Manager: Luke Ede (East Sussex), luke.ede@eastsussex.gov.uk" in page
    )
    assert not Issue.objects.exists()


def test_each_warning_is_shown_beside_its_line(editing):
    page = read(editing, MISSED_TITLE).content.decode()
    assert "Line 7: “Ofsted is changing its framework” could be a title or a sentence" in page


def test_this_is_a_title_starts_an_item_and_saving_writes_the_update(editing):
    review = read(editing, MISSED_TITLE)
    split = editing.post(URL, {**state(review), "title": "7"})
    assert "Headline: Ofsted is changing its framework" in split.content.decode()
    assert not Issue.objects.exists()

    saved = editing.post(URL, {**state(split), "save": "Save"})

    assert saved.status_code == 302
    assert headline_titles(900) == [
        "Regional café network launched",
        "Ofsted is changing its framework",
    ]


def test_merge_with_the_item_above_joins_two_items(editing):
    review = editing.post(URL, {**state(read(editing, MISSED_TITLE)), "title": "7"})
    merged = editing.post(URL, {**state(review), "merge": "7"})
    editing.post(URL, {**state(merged), "save": "Save"})
    assert headline_titles(900) == ["Regional café network launched"]


WITH_REMINDER = (
    "UPDATE NO 901 17 March 2023\n\n"
    "Regional café network launched\n\n"
    "The new network met on 1 March and agreed its plan for the year ahead with all members.\n\n"
    "Ofsted inspection framework\n\n"
    "Inspections from September will look at how help reaches families earlier.\n\n"
    "Reminders from previous weeks\n\n"
    "Kinship care week\n\n"
    "Please send your plans for kinship care week to the programme office by 31 March 2023.\n"
)


def test_an_item_moved_to_the_reminders_is_saved_as_a_reminder(editing):
    review = read(editing, WITH_REMINDER)
    assert "Headline: Ofsted inspection framework" in review.content.decode()
    moved = editing.post(URL, {**state(review), "to_reminder": "7"})
    assert "Reminder: Ofsted inspection framework" in moved.content.decode()
    assert not Issue.objects.exists()

    editing.post(URL, {**state(moved), "save": "Save"})

    assert headline_titles(901) == ["Regional café network launched"]
    assert reminder_titles(901) == ["Ofsted inspection framework", "Kinship care week"]


def test_a_reminder_moved_to_the_headlines_is_saved_as_a_headline(editing):
    review = read(editing, WITH_REMINDER)
    assert "Reminder: Kinship care week" in review.content.decode()
    moved = editing.post(URL, {**state(review), "to_headline": "13"})
    assert "Headline: Kinship care week" in moved.content.decode()

    editing.post(URL, {**state(moved), "save": "Save"})

    assert reminder_titles(901) == []
    assert headline_titles(901)[-1] == "Kinship care week"


def test_a_file_that_is_not_an_update_gets_a_clear_message_and_keeps_the_form(editing):
    response = read(editing, "Dear colleagues,\n\nPlease find attached…\n")
    page = response.content.decode()
    assert "Line 1: This is not an update" in page
    assert not Issue.objects.exists()


def test_nothing_chosen_is_asked_for_again(editing):
    response = editing.post(URL, {"text": "  "})
    assert "Choose a file or paste the update" in response.content.decode()


def test_a_convener_may_not_import(client, convener):
    client.force_login(convener)
    assert client.get(URL).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response.url
