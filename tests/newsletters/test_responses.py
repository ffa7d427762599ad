"""Actions addressed to authorities: one response each, answered with history; editors address
actions in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contacts.models import Organisation
from newsletters.models import Action, ActionResponse, ResponseStatus
from newsletters.responses import address_action
from tests.factories import authority, days, make_action, make_issue, make_item


@pytest.fixture
def action(db):
    item = make_item(make_issue(500), "Memorandum of understanding")
    return make_action(item, "Return the signed MoU", due_date=days(10))


def addressed_names(action):
    return sorted(action.responses.values_list("authority__name", flat=True))


def test_an_action_addressed_to_all_gets_a_response_from_each_of_the_19(action, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    assert action.responses.count() == 19 == Organisation.objects.local_authorities().count()
    assert set(action.responses.values_list("status", flat=True)) == {ResponseStatus.NOT_STARTED}


def test_an_action_addressed_to_chosen_authorities_asks_only_them(action, editor):
    chosen = [authority("Kent"), authority("Medway")]
    address_action(action=action, to=Action.Addressees.CHOSEN, authorities=chosen, by=editor)
    assert addressed_names(action) == ["Kent", "Medway"]
    assert Action.objects.get(pk=action.pk).addressed_to == Action.Addressees.CHOSEN


def test_information_only_asks_no_one(action, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    address_action(action=action, to=Action.Addressees.NO_ONE, by=editor)
    assert addressed_names(action) == []
    assert Action.objects.get(pk=action.pk).get_addressed_to_display() == (
        "No one: information only"
    )


def test_addressing_twice_never_makes_two_responses(action, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    assert action.responses.count() == 19


def test_an_authority_that_answered_stays_addressed_and_nothing_changes(action, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    action.responses.get(authority__name="Kent").answer(status=ResponseStatus.DONE, by=editor)
    with pytest.raises(ValidationError, match="Kent already answered"):
        address_action(
            action=action,
            to=Action.Addressees.CHOSEN,
            authorities=[authority("Medway")],
            by=editor,
        )
    assert action.responses.count() == 19


def test_an_answer_records_when_who_note_and_link(action, kent_dcs):
    address_action(action=action, to=Action.Addressees.ALL, by=kent_dcs)
    response = action.responses.get(authority__name="Kent")
    response.answer(
        status=ResponseStatus.DONE,
        note="Signed copy sent",
        link="https://kent.example/mou",
        by=kent_dcs,
    )
    response.refresh_from_db()
    assert (response.status, response.note, response.link) == (
        "done",
        "Signed copy sent",
        "https://kent.example/mou",
    )
    assert response.answered_by == kent_dcs and response.answered_at is not None


def test_every_change_of_a_response_is_kept_in_its_history(action, kent_dcs, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    response = action.responses.get(authority__name="Kent")
    response.answer(status=ResponseStatus.IN_PROGRESS, note="With the Chief Executive", by=kent_dcs)
    response.answer(status=ResponseStatus.DONE, note="Signed", by=kent_dcs)
    history = list(response.history.order_by("history_date").values_list("status", "note"))
    assert history == [
        ("not_started", ""),
        ("in_progress", "With the Chief Executive"),
        ("done", "Signed"),
    ]
    assert response.history.latest().history_user == kent_dcs


def test_a_bad_status_is_refused_and_nothing_is_saved(action, kent_dcs, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    response = action.responses.get(authority__name="Kent")
    with pytest.raises(ValidationError, match="is not a status"):
        response.answer(status="finished", note="x", by=kent_dcs)
    response.refresh_from_db()
    assert (response.status, response.note, response.history.count()) == ("not_started", "", 1)


def test_a_bad_link_is_refused_and_nothing_is_saved(action, kent_dcs, editor):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    response = action.responses.get(authority__name="Kent")
    with pytest.raises(ValidationError):
        response.answer(status=ResponseStatus.DONE, link="not a link", by=kent_dcs)
    assert ActionResponse.objects.get(pk=response.pk).status == ResponseStatus.NOT_STARTED


# The admin: editors address actions and answer on an authority's behalf.


def action_form(action, **changes):
    data = {
        "item": action.item_id,
        "description": action.description,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "audience": action.audience,
        "contact": "",
        "position": 0,
        "addressed_to": action.addressed_to,
        "responses-TOTAL_FORMS": 0,
        "responses-INITIAL_FORMS": 0,
    }
    return data | changes


def test_an_editor_addresses_an_action_to_chosen_authorities_in_the_admin(client, editor, action):
    client.force_login(editor)
    url = reverse("admin:newsletters_action_change", args=[action.pk])
    data = action_form(
        action,
        addressed_to="chosen",
        authorities=[authority("Kent").pk, authority("Surrey").pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert addressed_names(action) == ["Kent", "Surrey"]


def test_the_admin_refuses_chosen_with_none_ticked_and_says_why(client, editor, action):
    client.force_login(editor)
    url = reverse("admin:newsletters_action_change", args=[action.pk])
    response = client.post(url, action_form(action, addressed_to="chosen"))
    assert response.status_code == 200
    assert "Choose the local authorities" in response.text
    assert addressed_names(action) == []


def test_an_editor_marks_an_information_only_action_on_its_item_page(client, editor, action):
    client.force_login(editor)
    item = action.item
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    form = client.get(url).context["adminform"].form
    data = {
        "title": item.title,
        "update_text": item.update_text,
        "action_text": "",
        "seen_updated_at": form.fields["seen_updated_at"].initial,
        "actions-TOTAL_FORMS": 1,
        "actions-INITIAL_FORMS": 1,
        "actions-0-id": action.pk,
        "actions-0-item": item.pk,
        "actions-0-position": 0,
        "actions-0-description": action.description,
        "actions-0-due_date": action.due_date.isoformat(),
        "actions-0-audience": "everyone",
        "actions-0-addressed_to": "all",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert action.responses.count() == 19
    data["actions-0-addressed_to"] = "no_one"
    assert client.post(url, data | {"seen_updated_at": ""}).status_code == 302
    assert Action.objects.get(pk=action.pk).addressed_to == "no_one"
    assert action.responses.count() == 0


def test_an_editor_answers_on_an_authoritys_behalf_in_the_admin(client, editor, action):
    address_action(
        action=action, to=Action.Addressees.CHOSEN, authorities=[authority("Kent")], by=editor
    )
    client.force_login(editor)
    kent = action.responses.get()
    url = reverse("admin:newsletters_action_change", args=[action.pk])
    data = action_form(
        action,
        addressed_to="chosen",
        authorities=[authority("Kent").pk],
        **{
            "responses-TOTAL_FORMS": 1,
            "responses-INITIAL_FORMS": 1,
            "responses-0-id": kent.pk,
            "responses-0-action": action.pk,
            "responses-0-status": "done",
            "responses-0-note": "Returned by e-mail",
            "responses-0-link": "",
        },
    )
    assert client.post(url, data).status_code == 302
    kent.refresh_from_db()
    assert (kent.status, kent.note, kent.answered_by) == ("done", "Returned by e-mail", editor)


# The editors' matrix: open addressed actions × authorities.


def test_the_matrix_shows_who_has_not_answered_oldest_first(client, editor, action):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    action.responses.get(authority__name="Kent").answer(status="done", by=editor)
    newer = make_action(make_item(make_issue(501), "Nominations"), "Nominate a representative")
    address_action(
        action=newer, to=Action.Addressees.CHOSEN, authorities=[authority("Medway")], by=editor
    )
    client.force_login(editor)
    page = client.get(reverse("response_matrix")).text
    assert page.index("Return the signed MoU") < page.index("Nominate a representative")
    assert "18 of 19" in page and "1 of 1" in page
    assert '<span title="Done">✓</span>' in page


def test_the_matrix_leaves_out_closed_and_unaddressed_actions(client, editor, action):
    make_action(action.item, "Information only", addressed_to=Action.Addressees.NO_ONE)
    closed = make_action(action.item, "Closed one", closed=True)
    address_action(action=closed, to=Action.Addressees.ALL, by=editor)
    client.force_login(editor)
    page = client.get(reverse("response_matrix")).text
    assert "Information only" not in page and "Closed one" not in page
    assert "No open action is addressed" in page


def test_the_matrix_downloads_as_csv(client, editor, action):
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    action.responses.get(authority__name="Kent").answer(status="not_applicable", by=editor)
    client.force_login(editor)
    response = client.get(reverse("response_matrix") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    header, row = response.content.decode().splitlines()
    kent = header.split(",").index("Kent")
    assert row.split(",")[kent] == "Not applicable"
    assert row.startswith("Return the signed MoU,500,")


def test_the_editors_home_page_links_to_the_matrix(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:index")).text
    assert f'<a href="{reverse("response_matrix")}">Who has answered the open actions</a>' in page


def test_the_csv_keeps_a_description_that_looks_like_a_formula_as_text(client, editor, action):
    Action.objects.filter(pk=action.pk).update(description='=HYPERLINK("http://x")')
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    client.force_login(editor)
    csv = client.get(reverse("response_matrix") + "?format=csv").content.decode()
    assert csv.splitlines()[1].startswith("\"'=HYPERLINK(")
