"""The calendar writer writes, byte for byte, what the icalendar library writes."""

import datetime
import zoneinfo

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from newsletters import ical

LONDON = zoneinfo.ZoneInfo("Europe/London")
STAMP = datetime.datetime(2026, 11, 24, 9, 30, tzinfo=datetime.UTC)


def by_icalendar(name, events):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SESLIP//Updates//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    for properties in events:
        event = icalendar.Event()
        for key, value in properties.items():
            event.add(key, value)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def by_writer(name, events):
    written = []
    for properties in events:
        values = {}
        for key, value in properties.items():
            if isinstance(value, datetime.datetime) and value.tzinfo is LONDON:
                values[key.upper()] = ical.local_time(value)
            elif isinstance(value, datetime.datetime):
                values[key.upper()] = ical.utc_time(value)
            elif isinstance(value, datetime.date):
                values[key.upper()] = ical.day(value)
            elif key == "url":
                values["URL"] = ical.uri(value)
            else:
                values[key.upper()] = ical.text(value)
        written.append(ical.event(values))
    return ical.calendar(name, written)


def meeting(**changes):
    start = datetime.datetime(2026, 7, 1, 10, tzinfo=LONDON)
    return {
        "uid": "meeting-1@seslip",
        "dtstamp": STAMP,
        "summary": "Data Benchmarking: Quarterly figures",
        "dtstart": start,
        "dtend": start + datetime.timedelta(hours=2),
        "location": "Online",
        "status": "CONFIRMED",
        "url": "https://seslip.example.org/networks/data-benchmarking/",
        **changes,
    }


def deadline(**changes):
    return {
        "uid": "action-7@seslip",
        "dtstamp": STAMP,
        "summary": "Deadline: Return the SEND survey",
        "dtstart": datetime.date(2026, 12, 1),
        "dtend": datetime.date(2026, 12, 2),
        "description": "Please reply to Jane by 1 December.",
        "transp": "TRANSPARENT",
        **changes,
    }


def test_a_timed_meeting_and_an_all_day_deadline_match_icalendar():
    events = [meeting(), deadline()]
    assert by_writer("SESLIP", events) == by_icalendar("SESLIP", events)


def test_deadlines_alone_need_no_time_zone():
    written = by_writer("SESLIP deadline", [deadline()])
    assert written == by_icalendar("SESLIP deadline", [deadline()])
    assert b"VTIMEZONE" not in written


def test_commas_semicolons_backslashes_and_line_breaks_are_escaped_as_icalendar_does():
    notes = "Agenda: 1, budgets; 2. C:\\shared\\notes\r\nRoom 2\nBring laptops\rTea"
    events = [meeting(description=notes, location="Room 4, County Hall; Maidstone")]
    assert by_writer("SESLIP", events) == by_icalendar("SESLIP", events)


def test_a_calendar_name_with_a_comma_or_line_break_is_escaped_too():
    # icalendar writes X- properties as they come (and refuses a line break); clients read
    # X-WR-CALNAME as text, which escapes them.
    written = by_writer("SESLIP: Kent, Medway;\nSE19", [deadline()])
    assert b"X-WR-CALNAME:SESLIP: Kent\\, Medway\\;\\nSE19\r\n" in written


def test_long_lines_fold_where_icalendar_folds_them_even_inside_accented_words():
    long = "Réunion des DCS — Surrey, Kent & Medway — " * 6 + "\\n" * 40
    events = [deadline(description=long, summary="Deadline: " + "é" * 100)]
    assert by_writer("SESLIP", events) == by_icalendar("SESLIP", events)


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_any_text_is_written_as_icalendar_writes_it(value):
    events = [deadline(description=value, summary=value)]
    assert by_writer("SESLIP", events) == by_icalendar("SESLIP", events)


@given(st.text(st.sampled_from("ab ,;\\^\n"), max_size=400))
def test_any_plain_text_is_folded_as_icalendar_folds_it(value):
    events = [deadline(description=value)]
    assert by_writer("SESLIP", events) == by_icalendar("SESLIP", events)
