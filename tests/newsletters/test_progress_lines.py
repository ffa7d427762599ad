"""Starting the next update writes, on each open addressed action's reminder, who has done it so
far, and keeps carrying the reminder until every addressed authority has answered."""

import datetime

import pytest
from django.urls import reverse

from newsletters import services
from newsletters.models import Action, Placement
from newsletters.responses import address_action
from tests.factories import authority, make_action, make_issue, make_item

FRIDAY = datetime.date(2030, 11, 1)
REMINDER = Placement.Section.REMINDER


@pytest.fixture
def mou(db, editor):
    issue = make_issue(515, date=FRIDAY)
    item = make_item(issue, "Memorandum of understanding", section=REMINDER)
    action = make_action(
        item, "Return the signed MoU", due_date=FRIDAY - datetime.timedelta(days=3)
    )
    address_action(action=action, to=Action.Addressees.ALL, by=editor)
    return action


def answer(action, name, status, by):
    action.responses.get(authority__name=name).answer(status=status, by=by)


def progress_of(draft, item):
    return draft.placements.get(item=item).progress


def test_the_reminder_says_who_has_done_it_so_far_in_the_order_they_answered(mou, editor):
    answer(mou, "Portsmouth", "done", editor)
    answer(mou, "Kent", "done", editor)
    answer(mou, "Medway", "not_applicable", editor)
    draft = services.start_next_update(after=mou.item.placements.get().issue, by=editor)
    assert progress_of(draft, mou.item) == "Done so far: Portsmouth, Kent (2 of 19)"


def test_an_overdue_action_some_authority_owes_is_still_carried(mou, editor):
    draft = services.start_next_update(after=mou.item.placements.get().issue, by=editor)
    assert draft.placements.filter(item=mou.item, section=REMINDER).exists()
    assert progress_of(draft, mou.item) == "Done so far: none yet (0 of 19)"


def test_the_reminder_stops_once_every_addressed_authority_answered(db, editor):
    issue = make_issue(515, date=FRIDAY)
    item = make_item(issue, "Nominations", section=REMINDER)
    action = make_action(item, "Nominate", due_date=FRIDAY - datetime.timedelta(days=3))
    chosen = [authority("Kent"), authority("Medway")]
    address_action(action=action, to=Action.Addressees.CHOSEN, authorities=chosen, by=editor)
    answer(action, "Kent", "done", editor)
    answer(action, "Medway", "not_applicable", editor)
    draft = services.start_next_update(after=issue, by=editor)
    assert not draft.placements.filter(item=item).exists()


def test_the_reminder_stops_once_the_action_is_closed(mou, editor):
    Action.objects.filter(pk=mou.pk).update(closed=True)
    draft = services.start_next_update(after=mou.item.placements.get().issue, by=editor)
    assert not draft.placements.filter(item=mou.item).exists()


def test_the_progress_is_printed_under_the_reminder_and_the_editor_may_change_it(
    client, mou, editor
):
    draft = services.start_next_update(after=mou.item.placements.get().issue, by=editor)
    placement = draft.placements.get(item=mou.item)
    placement.progress = "Done so far: Portsmouth (1 of 19), and Kent promised it for Monday"
    placement.save()
    make_item(draft, "This week's news")
    draft.publish()
    page = client.get(reverse("issue_detail", args=[draft.number])).text
    assert "and Kent promised it for Monday" in page
