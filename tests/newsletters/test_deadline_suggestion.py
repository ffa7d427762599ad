"""An action whose words state a deadline, saved without a due date, gets that date: visibly."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from newsletters.models import Action
from tests.factories import make_action, make_issue, make_item


@pytest.fixture
def item(db):
    """An item of update 478, dated 5 November 2021."""
    return make_item(make_issue(478, date=datetime.date(2021, 11, 5)), "Regional survey")


def post_item_with_action(client, item, description, due_date=""):
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    data = {
        "title": item.title,
        "update_text": item.update_text,
        "action_text": "",
        "seen_updated_at": item.updated_at.isoformat(),
        "actions-TOTAL_FORMS": 1,
        "actions-INITIAL_FORMS": 0,
        "actions-0-description": description,
        "actions-0-due_date": due_date,
        "actions-0-audience": "everyone",
        "actions-0-position": 0,
    }
    return client.post(url, data)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_stated_deadline_becomes_the_due_date_with_a_message(client, editor, item):
    client.force_login(editor)
    response = post_item_with_action(client, item, "Please reply by 12 November.")
    assert response.status_code == 302
    action = Action.objects.get(item=item)
    assert action.due_date == datetime.date(2021, 11, 12)
    assert any(
        "Due date 12 November 2021 taken from the text" in m and "check it" in m
        for m in messages_of(response)
    )


def test_the_year_is_read_against_the_update_the_item_runs_in(client, editor, item):
    client.force_login(editor)
    post_item_with_action(client, item, "The consultation closes on 14 January.")
    assert Action.objects.get(item=item).due_date == datetime.date(2022, 1, 14)


def test_a_due_date_the_editor_typed_is_kept(client, editor, item):
    client.force_login(editor)
    response = post_item_with_action(client, item, "Reply by 12 November.", "20/11/2021")
    assert Action.objects.get(item=item).due_date == datetime.date(2021, 11, 20)
    assert not any("taken from the text" in m for m in messages_of(response))


def test_an_action_without_a_deadline_stays_undated(client, editor, item):
    client.force_login(editor)
    response = post_item_with_action(client, item, "Tell us what you think.")
    assert Action.objects.get(item=item).due_date is None
    assert not any("taken from the text" in m for m in messages_of(response))


def test_an_item_in_no_update_reads_dates_against_today(client, editor, db):
    from newsletters.models import NewsItem

    loose = NewsItem.objects.create(title="Not placed yet")
    client.force_login(editor)
    post_item_with_action(client, loose, "Apply by 1 March 2030.")
    assert Action.objects.get(item=loose).due_date == datetime.date(2030, 3, 1)


def test_the_action_page_suggests_too(client, editor, item):
    action = make_action(item, "Reply")
    client.force_login(editor)
    url = reverse("admin:newsletters_action_change", args=[action.pk])
    data = {
        "item": item.pk,
        "description": "Nominations close on Friday 19 November.",
        "due_date": "",
        "audience": "everyone",
        "position": 0,
        "responses-TOTAL_FORMS": 0,  # the authorities' responses (none: not addressed)
        "responses-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due_date == datetime.date(2021, 11, 19)
    assert any("Due date 19 November 2021 taken from the text" in m for m in messages_of(response))


def suggest(client, text, reference=""):
    url = reverse("admin:newsletters_action_suggest_due_date")
    return client.get(url, {"text": text, "reference": reference})


def test_the_suggestion_as_the_editor_types_reads_the_update_s_date(client, editor, db):
    client.force_login(editor)
    response = suggest(client, "Please reply by 14 January.", "2021-11-05")
    assert response.json() == {
        "due_date": "2022-01-14",
        "value": "14/01/2022",
        "message": "Due date 14 January 2022 taken from the text — check it.",
    }


def test_no_suggestion_for_words_without_a_deadline(client, editor, db):
    client.force_login(editor)
    assert suggest(client, "Tell us what you think.").json() == {"due_date": None}


def test_a_bad_reference_date_falls_back_to_today(client, editor, db):
    client.force_login(editor)
    assert (
        suggest(client, "Apply by 1 March 2030.", "not a date").json()["due_date"] == "2030-03-01"
    )


@pytest.mark.parametrize("user", ["reader", "dcs", "convener"])
def test_only_editors_get_suggestions(client, request, db, user):
    client.force_login(request.getfixturevalue(user))
    assert suggest(client, "Apply by 1 March 2030.").status_code in (302, 403)


def test_the_action_fields_carry_what_the_script_needs(client, editor, item):
    client.force_login(editor)
    page = client.get(reverse("admin:newsletters_newsitem_change", args=[item.pk])).text
    assert 'data-reference="2021-11-05"' in page
    assert f'data-suggest-due-date="{reverse("admin:newsletters_action_suggest_due_date")}"' in page
    assert "newsletters/admin/due_dates.js" in page
