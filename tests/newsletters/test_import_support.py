"""Helpers for the importer's tests, and the pure date helpers they rely on."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from newsletters.deadlines import find_deadlines, infer_year
from newsletters.models import Issue

SEEDS = Path(settings.BASE_DIR) / "seeds"
SEED = {
    312: SEEDS / "002_774b908cd991f5ea.txt",
    349: SEEDS / "000_1bee71e371f7a24c.txt",
    377: SEEDS / "001_7882d5750b5d2e8a.txt",
    478: SEEDS / "004_950c5c4f2673535b.txt",
    515: SEEDS / "003_af52fa33479e64c4.txt",
}


class Result:
    def __init__(self, out, err, failed):
        self.out, self.err, self.failed = out, err, failed

    @property
    def summary(self):
        return self.out.strip().splitlines()[-1]


def run_import(*paths, dry_run=False):
    """manage.py import_updates PATH…: what it prints, and whether it failed."""
    out, err = StringIO(), StringIO()
    args = [str(p) for p in paths] + (["--dry-run"] if dry_run else [])
    try:
        call_command("import_updates", *args, stdout=out, stderr=err)
        failed = False
    except CommandError:
        failed = True
    return Result(out.getvalue(), err.getvalue(), failed)


def import_seed(*numbers):
    result = run_import(*(SEED[n] for n in numbers))
    assert not result.failed, result.err
    return result


def issue(number):
    return Issue.objects.get(number=number)


def headline_titles(number):
    return [p.item.title for p in issue(number).headlines().order_by("position")]


def reminder_titles(number):
    return [p.item.title for p in issue(number).reminders().order_by("position")]


def test_a_deadline_without_a_year_is_the_next_such_date():
    found = find_deadlines("Please reply by the 12 November.", datetime.date(2021, 11, 5))
    assert found == [("Please reply by the 12 November.", datetime.date(2021, 11, 12))]


def test_a_deadline_earlier_in_the_year_than_the_update_is_next_year():
    found = find_deadlines("Bids close on 3 January.", datetime.date(2021, 11, 5))
    assert found[0][1] == datetime.date(2022, 1, 3)


def test_a_reminders_recent_deadline_stays_in_its_year():
    found = find_deadlines(
        "Bids close on 20 October.", datetime.date(2021, 11, 5), allow_past_days=56
    )
    assert found[0][1] == datetime.date(2021, 10, 20)


@pytest.mark.parametrize(
    "sentence",
    [
        "The work will be completed by the March 2020 DCS meeting.",
        "It is due to end on 31 March 2020.",
    ],
)
def test_vague_dates_are_not_deadlines(sentence):
    assert find_deadlines(sentence, datetime.date(2019, 11, 8)) == []


def test_a_publication_date_without_a_year_is_in_the_past():
    assert infer_year(22, 9, datetime.date(2021, 11, 5), past=True) == datetime.date(2021, 9, 22)
    assert infer_year(20, 12, datetime.date(2021, 11, 5), past=True) == datetime.date(2020, 12, 20)
