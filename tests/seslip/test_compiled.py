"""A queryset compiled once (seslip/lib/compiled.py) finds what the ORM's own finds, for every
value it is given, with what select_related and prefetch_related fetch; a change to it is
refused; and on PostgreSQL its SQL is compiled once, not on every call."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletters.models import Issue
from newsletters.views import PLACEMENTS, PUBLISHED_UPDATE, published_update
from seslip.lib.compiled import CompiledOnce, a_number
from tests.factories import make_action, make_issue, make_item

pytestmark = pytest.mark.django_db


def rows(queryset):
    return [
        (row.pk, vars(row).get("next_number"), vars(row).get("dcs_only_items")) for row in queryset
    ]


def test_the_same_rows_as_the_orm_for_every_value():
    first, second, draft = make_issue(), make_issue(), make_issue(published=False)
    make_item(second, dcs_only=True)
    now = timezone.now()
    for number in (first.number, second.number, draft.number, 1):
        assert rows(PUBLISHED_UPDATE(number, now)) == rows(published_update(number, now))
    earlier = now - datetime.timedelta(days=1)  # before any was published
    assert rows(PUBLISHED_UPDATE(first.number, earlier)) == []
    found = list(PUBLISHED_UPDATE(second.number, now))[0]
    assert (found.previous_number, found.next_number, found.dcs_only_items) == (
        first.number,
        None,
        1,
    )


def test_select_related_and_prefetches_as_the_orm_s():
    issue = make_issue()
    item = make_item(issue, title="Care leavers")
    make_action(item, "Reply")
    other = make_item(make_issue(), title="Elsewhere")
    make_action(other, "Not this one")
    with CaptureQueriesContext(connection) as queries:
        placements = list(PLACEMENTS[False](issue.pk))
        titles = [(p.item.title, [a.description for a in p.item.actions.all()]) for p in placements]
    assert titles == [("Care leavers", ["Reply"])]
    assert len(queries) == 3  # the placements with their items, the actions, the contacts


def test_a_change_is_refused():
    compiled = CompiledOnce(lambda n: Issue.objects.filter(number=n), a_number)(1)
    for change in (
        lambda q: q.filter(number=2),
        lambda q: q.first(),
        lambda q: q.count(),
        lambda q: q.order_by("number"),
    ):
        with pytest.raises(TypeError, match="compiled-once"):
            change(compiled)


def test_compiled_once_on_postgresql_and_built_each_time_where_a_time_becomes_text():
    PUBLISHED_UPDATE(1, timezone.now())
    kept = PUBLISHED_UPDATE.kept[("default", connection.vendor)]
    assert (kept is not None) == (connection.vendor == "postgresql")
    numbers_only = CompiledOnce(lambda n: Issue.objects.filter(number=n), a_number)
    list(numbers_only(5))
    assert numbers_only.kept[("default", connection.vendor)] is not None  # ints reach every backend


def test_a_day_or_time_not_given_is_never_kept_in_the_sql():
    """A queryset that works out today (or now) for itself would keep the day it was compiled:
    it is built each time instead."""
    from networks.models import Meeting

    for_today = CompiledOnce(lambda n: Meeting.objects.upcoming().filter(pk=n), a_number)
    list(for_today(1))
    assert for_today.kept[("default", connection.vendor)] is None
