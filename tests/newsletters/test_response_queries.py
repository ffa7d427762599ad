"""Query counts of the response pages, pinned: the same for 2 actions as for 50, each addressed
to all 19 authorities (a query per action or per response would show as 48 or 912 more)."""

import pytest
from django.urls import reverse

from contacts.models import Organisation
from newsletters.models import Action, ActionResponse, Placement
from seslip.lib.generations import write_batch
from tests.factories import days, make_action, make_issue, make_item


def addressed_actions(count):
    """`count` open actions, each in its own item of one published update, addressed to all 19
    authorities, half of them answered (a note each), every third overdue."""
    with write_batch():  # one transaction, each derived value refreshed once at its end
        return _addressed_actions(count)


def _addressed_actions(count):
    issue = make_issue(700, date=days(-7))
    authorities = list(Organisation.objects.local_authorities())
    actions = []
    for n in range(count):
        item = make_item(None, f"Item {n}")
        Placement.objects.create(issue=issue, item=item, position=n)
        due = days(-3) if n % 3 == 0 else days(n + 1)
        actions.append(
            make_action(item, f"Action {n}", due_date=due, addressed_to=Action.Addressees.ALL)
        )
    ActionResponse.objects.bulk_create(
        ActionResponse(
            action=action,
            authority=authority,
            status="done" if (action.pk + authority.pk) % 2 else "not_started",
            note=f"Note {action.pk}-{authority.pk}",
        )
        for action in actions
        for authority in authorities
    )
    return actions


# /authority/: the account, its groups and membership, the owed responses (with their actions,
# items and updates): 4, however much is owed (the session is read from the cache); from the
# page cache after that, none.
MY_AUTHORITY_QUERIES = 4


@pytest.mark.parametrize("count", [2, 50])
def test_my_authority_runs_a_fixed_number_of_queries(
    client, kent_dcs, django_assert_num_queries, count
):
    addressed_actions(count)
    client.force_login(kent_dcs)
    with django_assert_num_queries(MY_AUTHORITY_QUERIES):
        response = client.get(reverse("my_authority"))
    assert response.status_code == 200
    assert response.text.count('class="answer card"') >= count // 2
    with django_assert_num_queries(0):
        again = client.get(reverse("my_authority"))
    assert again.text.count('class="answer card"') == response.text.count('class="answer card"')


# /actions/<id>/ for a member: the account, its groups, the action (with its item and update),
# its 19 responses with their authorities and who answered, the membership: 5 (the session is
# read from the cache); from the page cache after that, none.
ACTION_PAGE_QUERIES = 5


@pytest.mark.parametrize("count", [2, 50])
def test_an_action_page_runs_a_fixed_number_of_queries(
    client, kent_dcs, django_assert_num_queries, count
):
    actions = addressed_actions(count)
    client.force_login(kent_dcs)
    with django_assert_num_queries(ACTION_PAGE_QUERIES):
        response = client.get(reverse("action_detail", args=[actions[-1].pk]))
    assert response.text.count("<tr id=") == 19
    with django_assert_num_queries(0):
        again = client.get(reverse("action_detail", args=[actions[-1].pk]))
    assert again.text.count("<tr id=") == 19


@pytest.mark.parametrize("count", [2, 50])
def test_an_action_page_for_readers_not_signed_in_runs_two_queries(
    client, db, django_assert_num_queries, count
):
    actions = addressed_actions(count)
    with django_assert_num_queries(2):  # the action, its responses
        response = client.get(reverse("action_detail", args=[actions[-1].pk]))
    assert "authorities have done this" in response.text


# The matrix as CSV: the editor, their groups, the authorities, the open addressed actions (with
# their items and updates), the responses: 5 (the session is read from the cache); as a page,
# the editor's permissions for the admin's menu (2) as well.
MATRIX_CSV_QUERIES = 5
MATRIX_QUERIES = MATRIX_CSV_QUERIES + 2


@pytest.mark.parametrize("count", [2, 50])
def test_the_matrix_runs_a_fixed_number_of_queries(
    client, editor, django_assert_num_queries, count
):
    addressed_actions(count)
    client.force_login(editor)
    with django_assert_num_queries(MATRIX_QUERIES):
        response = client.get(reverse("response_matrix"))
    assert response.text.count('<tr class="matrix-row">') == count
    with django_assert_num_queries(MATRIX_CSV_QUERIES):
        csv = client.get(reverse("response_matrix") + "?format=csv")
    assert len(csv.content.decode().splitlines()) == count + 1
