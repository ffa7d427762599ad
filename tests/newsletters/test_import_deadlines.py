"""Deadlines in every phrasing the updates use; a date before the update is never its deadline."""

import datetime
import textwrap

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


@pytest.mark.django_db
def test_an_update_saying_return_it_before_13_november_2020_has_that_deadline(tmp_path):
    path = tmp_path / "november.txt"
    path.write_text(
        "UPDATE NO 801 6 November 2020\n\n"
        "Sufficiency survey\n\n"
        "The region is collecting each authority's placement sufficiency figures.\n\n"
        "Action Required:\n\n"
        "Return it before 13 November 2020.\n"
    )

    assert not run_import(path).failed

    action = Action.objects.get()
    assert (action.description, action.due_date) == (
        "Return it before 13 November 2020.",
        datetime.date(2020, 11, 13),
    )


WRAPPED = (
    "The region is collecting each authority's placement sufficiency figures for the annual "
    "report to the Directors of Children's Services, and for the regional commissioning plan "
    "that follows it next spring. Please return the completed template before 13 November 2020 "
    "to the Regional Data Lead, who will share the results with every authority at the next "
    "Data Benchmarking meeting."
)


@pytest.mark.django_db
def test_a_deadline_whose_date_is_wrapped_onto_the_next_line_of_the_file_is_found(tmp_path):
    body = textwrap.fill(WRAPPED, 64)  # as a mail client wraps it
    assert "before 13\nNovember 2020" in body
    path = tmp_path / "wrapped.txt"
    path.write_text(f"UPDATE NO 802 6 November 2020\n\nSufficiency survey\n\n{body}\n")

    assert not run_import(path).failed

    action = Action.objects.get()
    assert action.due_date == datetime.date(2020, 11, 13)
    assert action.description.startswith("Please return the completed template before 13 Nov")
