"""Deadlines in every phrasing the updates use; a date before the update is never its deadline."""

import datetime

import pytest

from newsletters.deadlines import find_deadlines
from newsletters.models import Action

from .test_import_generations import SAMPLE
from .test_import_support import run_import

UPDATE_DATE = datetime.date(2020, 11, 6)


@pytest.mark.parametrize(
    "sentence",
    [
        "Return it before 13 November 2020.",
        "Please reply no later than 13 November.",
        "The consultation closes on 13 November 2020.",
        "Deadline: 13 November 2020.",
        "Nominations are due by Friday 13 November.",
        "The survey is open until 13 November.",
        "Please confirm your place by 13th November.",
    ],
)
def test_each_phrasing_of_a_deadline_is_found(sentence):
    assert find_deadlines(sentence, UPDATE_DATE) == [(sentence, datetime.date(2020, 11, 13))]


def test_a_deadline_split_across_wrapped_lines_is_found():
    found = find_deadlines("Return it before 13\nNovember 2020 please.", UPDATE_DATE)
    assert found == [("Return it before 13 November 2020 please.", datetime.date(2020, 11, 13))]


@pytest.mark.django_db
def test_a_past_date_in_a_description_is_no_deadline_and_is_named_in_a_warning(tmp_path):
    path = tmp_path / "july.txt"
    path.write_text(
        "UPDATE NO 800 10 July 2020\n\n"
        "School attendance guidance\n\n"
        "The guidance on attendance was updated for the new school year by the Department.\n\n"
        "  • The framework was published by 30 April 2020.\n\n"
        "Please return the survey before 24 July 2020.\n"
    )
    result = run_import(path)
    assert not result.failed, result.err
    assert list(Action.objects.values_list("due_date", flat=True)) == [datetime.date(2020, 7, 24)]
    assert "names 30 April 2020, before the update (10 July 2020): not a deadline" in result.err


@pytest.mark.django_db
def test_the_2023_sample_deadlines():
    run_import(SAMPLE)
    assert sorted(Action.objects.values_list("item__title", "due_date")) == [
        ("Peer review of early help: call for volunteers", datetime.date(2024, 4, 26)),
        ("Regional workshop on family help", datetime.date(2024, 5, 3)),
    ]
