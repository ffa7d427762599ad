"""An update number is used once; an item runs at most once in an update. Refused clearly."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from newsletters.models import Issue, Placement
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item, place

DUPLICATE_NUMBER = "There is already an update with this number."
DUPLICATE_PLACEMENT = "This item is already placed in this update."


def test_duplicate_update_number_is_refused_by_full_clean(db):
    make_issue(349)
    with pytest.raises(ValidationError) as refused:
        Issue(number=349).full_clean()
    assert refused.value.message_dict["number"] == [DUPLICATE_NUMBER]


def test_duplicate_update_number_is_refused_by_the_database(db):
    make_issue(349)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(number=349)


def test_duplicate_update_number_is_refused_in_the_admin_with_a_clear_message(admin_client):
    make_issue(349)
    response = admin_client.post(reverse("admin:newsletters_issue_add"), issue_form(349))
    assert response.status_code == 200
    assert DUPLICATE_NUMBER in response.text
    assert Issue.objects.filter(number=349).count() == 1


def test_item_placed_twice_in_one_update_is_refused_by_full_clean(db):
    issue = make_issue(349)
    item = make_item(issue)
    with pytest.raises(ValidationError) as refused:
        Placement(issue=issue, item=item, section=Placement.Section.REMINDER).full_clean()
    assert DUPLICATE_PLACEMENT in refused.value.messages


def test_item_placed_twice_in_one_update_is_refused_by_the_database(db):
    issue = make_issue(349)
    item = make_item(issue)
    with pytest.raises(IntegrityError), transaction.atomic():
        place(issue, item, section=Placement.Section.REMINDER)


def test_item_placed_twice_in_the_admin_is_refused_and_nothing_is_saved(admin_client):
    issue = make_issue(349, intro="As it was.")
    item = make_item(title="Regional news")
    data = issue_form(349, placements=[(None, item.pk, "headline"), (None, item.pk, "reminder")])
    data["intro"] = "Changed."
    response = admin_client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert response.status_code == 200
    assert DUPLICATE_PLACEMENT in response.text
    issue.refresh_from_db()
    assert issue.intro == "As it was."
    assert not issue.placements.exists()


def test_item_already_in_the_update_cannot_be_added_again_in_the_admin(admin_client):
    issue = make_issue(349)
    placement = place(issue, make_item(title="Regional news"))
    data = issue_form(
        349,
        placements=[
            (placement.pk, placement.item_id, "headline"),
            (None, placement.item_id, "reminder"),
        ],
        initial_placements=1,
    )
    response = admin_client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert DUPLICATE_PLACEMENT in response.text
    assert issue.placements.count() == 1


def test_the_same_item_may_run_in_two_updates(admin_client):
    item = make_item(make_issue(348), title="Regional news")
    issue = make_issue(349)
    data = issue_form(349, placements=[(None, item.pk, "reminder")])
    response = admin_client.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert response.status_code == 302
    assert issue.reminders().get().item == item
