"""A news item is seen by readers from the moment the first update that runs it is published.

Every reader's page filters on the time stored on the item (NewsItem.published_from), so each way
an editor changes placements or publication times must keep it current.
"""

import datetime

import pytest
from django.utils import timezone

from newsletters.models import Action, Issue, NewsItem, Placement, refresh_published_from
from tests.factories import make_action, make_issue, make_item, place

pytestmark = pytest.mark.django_db


def readable():
    return set(NewsItem.objects.readable().values_list("title", flat=True))


def test_an_item_in_a_draft_is_not_seen_until_the_update_is_published():
    draft = make_issue(published=False)
    make_item(draft, "Ofsted framework")
    assert readable() == set()

    draft.publish()

    assert readable() == {"Ofsted framework"}


def test_an_item_in_a_scheduled_update_is_seen_once_its_time_comes_without_another_write():
    soon = timezone.now() + datetime.timedelta(hours=1)
    make_item(make_issue(published=soon), "Ofsted framework")

    assert readable() == set()
    later = soon + datetime.timedelta(minutes=1)
    assert set(NewsItem.objects.readable(now=later).values_list("title", flat=True)) == {
        "Ofsted framework"
    }


def test_unpublishing_the_only_update_running_an_item_hides_it_and_its_actions():
    issue = make_issue()
    make_action(make_item(issue, "Ofsted framework"))

    issue.unpublish()

    assert readable() == set()
    assert not Action.objects.readable().exists()


def test_an_item_stays_seen_while_any_published_update_runs_it():
    first, second = make_issue(), make_issue()
    item = make_item(first, "Ofsted framework")
    place(second, item, section=Placement.Section.REMINDER)

    first.unpublish()

    assert readable() == {"Ofsted framework"}


def test_taking_an_item_out_of_its_update_hides_it():
    placement = make_item(make_issue(), "Ofsted framework").placements.get()

    placement.delete()

    assert readable() == set()


def test_moving_a_placement_to_another_item_updates_both_items():
    issue = make_issue()
    placement = make_item(issue, "Ofsted framework").placements.get()
    other = make_item(None, "Care leavers")

    placement.item = other
    placement.save()

    assert readable() == {"Care leavers"}


def test_placements_removed_in_bulk_hide_their_items():
    issue = make_issue()
    make_item(issue, "Ofsted framework")

    issue.placements.all().delete()

    assert readable() == set()


def test_placements_created_in_bulk_show_their_items():
    issue = make_issue()
    item = make_item(None, "Ofsted framework")

    Placement.objects.bulk_create([Placement(issue=issue, item=item)])

    assert readable() == {"Ofsted framework"}


def test_updates_unpublished_in_bulk_hide_their_items():
    make_item(make_issue(), "Ofsted framework")

    Issue.objects.update(published_at=None)

    assert readable() == set()


def test_deleting_an_update_hides_the_items_only_it_ran():
    keep, gone = make_issue(), make_issue()
    make_item(keep, "Care leavers")
    make_item(gone, "Ofsted framework")

    gone.delete()

    assert readable() == {"Care leavers"}


def test_updates_deleted_in_bulk_hide_their_items():
    make_item(make_issue(), "Ofsted framework")

    Issue.objects.all().delete()

    assert readable() == set()


def test_refreshing_every_item_recomputes_from_the_placements():
    make_item(make_issue(), "Ofsted framework")
    NewsItem._base_manager.update(published_from=None)  # as a backup from before the field
    assert readable() == set()

    refresh_published_from()

    assert readable() == {"Ofsted framework"}


def test_saving_an_item_loaded_before_it_was_published_keeps_it_seen():
    draft = make_issue(published=False)
    item = make_item(draft, "Ofsted framework")
    draft.publish()

    item.title = "Ofsted framework, revised"
    item.save()

    assert readable() == {"Ofsted framework, revised"}
