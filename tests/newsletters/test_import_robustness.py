"""Odd whitespace does not change what is read; no text makes the parser crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsletters.importer.parse import parse_update
from newsletters.importer.text import ImportFailure, decode_update
from tests.examples import examples

from .test_import_support import SEED


def parsed(data):
    return parse_update(decode_update(data, name="x.txt").lines)


def shape(update):
    return (
        update.number,
        update.date,
        [(i.section, i.title) for i in update.items],
        [(m.network, m.date, m.start_time) for m in update.meetings],
        [r.title for r in update.resources],
        [(c.name, c.email, c.phone) for c in update.contacts],
    )


@pytest.mark.parametrize("number", [312, 349, 377, 478, 515])
def test_trailing_spaces_tabs_nbsp_blank_lines_and_crlf_change_nothing(number):
    text = SEED[number].read_text(encoding="utf-8")
    odd = "\r\n".join((line + " \t") if line.strip() else "\u00a0 \t" for line in text.split("\n"))
    assert shape(parsed(odd.encode("utf-8"))) == shape(parsed(text.encode("utf-8")))


LINES = st.sampled_from(
    [
        "",
        "",
        "UPDATE NO 12 3 May 2020",
        "UPDATE NO x 3 May 2020",
        "Action Required:",
        "Programme:",
        "Update:",
        "Reminders from previous weeks",
        "Tools & Templates",
        "Contact Details",
        "Future dates for network meetings",
        "AD Safeguarding: Friday 9 September 10:00am. More from Mark Evans (contact details below)",
        "Triad 1 – East Sussex, Surrey and Wokingham on Monday 25 November 2019",
        "Triad 4 has been re-arranged for 10 January 2020",
        "2019-20 DCS Peer Challenge dates",
        "Quartet 3",
        "31st February",
        "Role: Name (Org (Inner))",
        "07931 586784",
        "someone@example.org",
        "• a bullet",
    ]
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=40))
def test_any_text_is_an_update_or_a_clear_error(lines):
    try:
        update = parsed("\n".join(lines).encode("utf-8", "surrogatepass"))
    except ImportFailure as failure:
        assert failure.message and (failure.line is None or failure.line >= 1)
        return
    assert update.number >= 0
    for line, message in update.warnings:
        assert line >= 1 and message


def test_triad_dates_to_be_confirmed_in_two_months_keep_each_its_own_month():
    text = (
        "UPDATE NO 700 18 October 2024\n\n"
        "Peer Challenge Triads – Planning for 2024-25\n\n"
        "Update:\n\n"
        "We are now planning Peer Challenge Triad sessions for November 2024.\n\n"
        "Action Required:\n\n"
        "Triad 3 – Isle of Wight, Oxfordshire and Portsmouth Saturday 23 November or Monday "
        "2 December 2024 TBC\n"
    )
    [entry] = parse_update(text.split("\n")).items[0].triads
    assert [d.isoformat() for d in entry.candidate_dates] == ["2024-11-23", "2024-12-02"]
