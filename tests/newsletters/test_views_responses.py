"""An action's page, “My authority”, and answering: what each reader sees and may change."""

import pytest
from django.urls import reverse

from newsletters.models import Action, ActionResponse
from newsletters.responses import address_action
from tests.factories import authority, days, make_action, make_issue, make_item
from tests.newsletters.responses_site import KENT_NOTE, MEDWAY_NOTE, responses_site


@pytest.fixture
def site(editor):
    return responses_site(editor)


def action_url(action):
    return reverse("action_detail", args=[action.pk])


def answer_url(response):
    return reverse("answer_response", args=[response.pk])


# An action's page.


def test_readers_not_signed_in_see_the_count_and_who_has_done_it(client, site):
    page = client.get(action_url(site.mou)).text
    assert "2 of 19 authorities have done this: Kent, Portsmouth." in page
    assert "Return the signed MoU" in page
    assert 'href="/updates/515/#item-' in page


def test_readers_not_signed_in_see_no_notes_and_no_statuses(client, site):
    page = client.get(action_url(site.mou)).text
    assert KENT_NOTE not in page and MEDWAY_NOTE not in page
    assert "In progress" not in page


def test_a_member_sees_every_status_and_only_their_own_authoritys_notes(client, site, kent_lead):
    client.force_login(kent_lead)
    page = client.get(action_url(site.mou)).text
    assert KENT_NOTE in page
    assert MEDWAY_NOTE not in page
    assert '<strong class="tag tag--in_progress">In progress</strong>' in page


def test_an_editor_sees_every_authoritys_notes(client, site, editor):
    client.force_login(editor)
    page = client.get(action_url(site.mou)).text
    assert KENT_NOTE in page and MEDWAY_NOTE in page


def test_a_dcs_only_action_is_not_found_for_a_lead(client, site, kent_lead):
    client.force_login(kent_lead)
    response = client.get(action_url(site.secret))
    assert response.status_code == 404


def test_a_dcs_only_action_opens_for_a_dcs(client, site, kent_dcs):
    client.force_login(kent_dcs)
    assert "Name your deputy" in client.get(action_url(site.secret)).text


def test_an_information_only_action_says_so(client, editor):
    action = make_action(make_item(make_issue(600), "News"), "Read the report")
    address_action(action=action, to=Action.Addressees.NO_ONE, by=editor)
    assert "This is information only" in client.get(action_url(action)).text


def test_the_update_page_links_an_addressed_action_to_its_page(client, site):
    page = client.get(reverse("issue_detail", args=[515])).text
    assert f'href="{action_url(site.mou)}"' in page


def test_the_dashboard_links_each_action_to_its_page(client, site):
    page = client.get(reverse("dashboard")).text
    assert f'<a href="{action_url(site.mou)}">Return the signed MoU</a>' in page


# My authority.


def test_my_authority_sends_readers_not_signed_in_to_sign_in(client, db):
    response = client.get(reverse("my_authority"))
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/authority/"


def test_my_authority_lists_what_the_authority_owes_overdue_first(client, site, kent_dcs, editor):
    later = make_action(
        make_item(make_issue(516), "Survey"), "Answer the survey", due_date=days(40)
    )
    address_action(action=later, to=Action.Addressees.ALL, by=editor)
    site.kent.answer(status="not_started", by=editor)
    client.force_login(kent_dcs)
    page = client.get(reverse("my_authority")).text
    assert page.index("Return the signed MoU") < page.index("Name your deputy")
    assert page.index("Name your deputy") < page.index("Answer the survey")
    assert "Overdue" in page


def test_my_authority_leaves_out_what_is_answered_and_other_authorities(client, site, kent_dcs):
    client.force_login(kent_dcs)
    page = client.get(reverse("my_authority")).text
    assert "Return the signed MoU" not in page  # Kent has done it
    assert MEDWAY_NOTE not in page
    assert "Name your deputy" in page


def test_my_authority_shows_a_lead_no_dcs_only_action(client, site, kent_lead):
    client.force_login(kent_lead)
    assert "Name your deputy" not in client.get(reverse("my_authority")).text


def test_my_authority_refuses_an_account_that_answers_for_no_authority(client, reader):
    client.force_login(reader)
    response = client.get(reverse("my_authority"))
    assert response.status_code == 403
    assert "does not answer for one" in response.text
    assert "Go to the home page" in response.text


def test_a_member_marks_their_authoritys_response_done_in_one_step(client, site, kent_dcs):
    client.force_login(kent_dcs)
    data = {"status": "done", "note": "Deputy named", "next": reverse("my_authority")}
    response = client.post(answer_url(site.kent_secret), data, follow=True)
    site.kent_secret.refresh_from_db()
    assert (site.kent_secret.status, site.kent_secret.note) == ("done", "Deputy named")
    assert site.kent_secret.answered_by == kent_dcs
    assert "is now marked done" in response.text
    assert f'id="owed-{site.kent_secret.pk}"' not in response.text  # off the list


# Answering: nobody else, whatever the URL, field or id says.


def test_a_kent_member_cannot_answer_for_medway_and_is_told_why(client, site, kent_dcs):
    client.force_login(kent_dcs)
    response = client.post(answer_url(site.medway), {"status": "done", "note": "hijacked"})
    assert response.status_code == 403
    assert "You answer for Kent only: this is Medway’s response" in response.text
    assert ActionResponse.objects.get(pk=site.medway.pk).note == MEDWAY_NOTE


def test_a_kent_member_cannot_read_medways_answer_page(client, site, kent_dcs):
    client.force_login(kent_dcs)
    response = client.get(answer_url(site.medway))
    assert response.status_code == 403
    assert MEDWAY_NOTE not in response.text


def test_extra_fields_naming_another_authority_change_nothing_else(client, site, kent_dcs):
    client.force_login(kent_dcs)
    medway = authority("Medway")
    data = {
        "status": "done",
        "authority": medway.pk,
        "action": site.secret.pk,
        "id": site.medway.pk,
    }
    client.post(answer_url(site.kent_secret), data)
    site.kent_secret.refresh_from_db()
    assert site.kent_secret.authority.name == "Kent"
    assert ActionResponse.objects.get(pk=site.medway_secret.pk).status == "not_started"


def test_a_response_id_that_does_not_exist_is_not_found(client, site, kent_dcs):
    client.force_login(kent_dcs)
    response = client.post(reverse("answer_response", args=[999999]), {"status": "done"})
    assert response.status_code == 404


def test_a_bad_status_is_explained_and_nothing_changes(client, site, kent_dcs):
    client.force_login(kent_dcs)
    response = client.post(answer_url(site.kent_secret), {"status": "finished", "note": "x"})
    assert response.status_code == 400
    assert "“finished” is not a status" in response.text
    site.kent_secret.refresh_from_db()
    assert (site.kent_secret.status, site.kent_secret.note) == ("not_started", "")


def test_a_bad_link_is_explained_and_nothing_changes(client, site, kent_dcs):
    client.force_login(kent_dcs)
    response = client.post(answer_url(site.kent_secret), {"status": "done", "link": "http://"})
    assert response.status_code == 400
    assert "Enter a valid URL" in response.text
    assert ActionResponse.objects.get(pk=site.kent_secret.pk).status == "not_started"


def test_a_lead_cannot_answer_a_dcs_only_action_even_for_their_authority(client, site, kent_lead):
    client.force_login(kent_lead)
    response = client.post(answer_url(site.kent_secret), {"status": "done"})
    assert response.status_code == 404
    assert ActionResponse.objects.get(pk=site.kent_secret.pk).status == "not_started"


def test_an_editor_answers_for_any_authority(client, site, editor):
    client.force_login(editor)
    data = {"status": "done", "note": "Returned by e-mail"}
    assert client.post(answer_url(site.medway), data).status_code == 302
    assert ActionResponse.objects.get(pk=site.medway.pk).note == "Returned by e-mail"


def test_answering_never_sends_the_reader_to_another_site(client, site, kent_dcs):
    client.force_login(kent_dcs)
    data = {"status": "done", "next": "https://evil.example/"}
    response = client.post(answer_url(site.kent_secret), data)
    assert response.url == reverse("my_authority")


def test_the_answer_page_shows_the_responses_history(client, site, editor):
    client.force_login(editor)
    page = client.get(answer_url(site.medway)).text
    assert MEDWAY_NOTE in page and "Not started" in page
