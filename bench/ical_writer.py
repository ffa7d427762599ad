"""Time writing a year's calendar (344 events) with newsletters/ical.py and with icalendar.

    .venv/bin/python bench/ical_writer.py [--repeat 7]

Both write the same events (ical.py writes icalendar's bytes: tests/newsletters/test_ical.py); prints the median
of each and their ratio, measured in one run. /calendar.ics is a cached page, but the first reader
after every write waits for the render, and the benchmark's uncached rows render every request.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seslip.settings")

import icalendar  # noqa: E402

from newsletters import ical  # noqa: E402

EVENTS = 344
LONDON = zoneinfo.ZoneInfo(ical.TZID)
SUMMARY = "AD Safeguarding network: quarterly review, item {}"
URL = "https://seslip.example.org/networks/ad-safeguarding/"


def starts():
    first = datetime.datetime(2026, 7, 1, 10)
    return [first + datetime.timedelta(days=n) for n in range(EVENTS)]


def with_ical_py():
    now = datetime.datetime.now(datetime.UTC)
    events = [
        ical.event(
            {
                "UID": ical.text(f"meeting-{n}@seslip"),
                "DTSTAMP": ical.utc_time(now),
                "SUMMARY": ical.text(SUMMARY.format(n)),
                "DTSTART": ical.local_time(start),
                "DTEND": ical.local_time(start + datetime.timedelta(hours=2)),
                "LOCATION": ical.text("Online"),
                "URL": ical.uri(URL),
            }
        )
        for n, start in enumerate(starts())
    ]
    return ical.calendar("SESLIP meetings and deadlines", events)


def with_icalendar():
    now = datetime.datetime.now(datetime.UTC)
    calendar = icalendar.Calendar()
    for name, value in [("version", "2.0"), ("prodid", "-//SESLIP//Updates//EN")]:
        calendar.add(name, value)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "SESLIP meetings and deadlines")
    calendar.add("x-wr-timezone", ical.TZID)
    for n, start in enumerate(starts()):
        event = icalendar.Event()
        event.add("summary", SUMMARY.format(n))
        event.add("dtstart", start.replace(tzinfo=LONDON))
        event.add("dtend", start.replace(tzinfo=LONDON) + datetime.timedelta(hours=2))
        event.add("dtstamp", now)
        event.add("uid", f"meeting-{n}@seslip")
        event.add("location", "Online")
        event.add("url", URL)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def median_ms(write, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        write()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    with_ical_py(), with_icalendar()  # warm: imports, the VTIMEZONE
    ours, theirs = median_ms(with_ical_py, repeat), median_ms(with_icalendar, repeat)
    print(f"{EVENTS} events, median of {repeat}: newsletters/ical.py {ours:.1f} ms, ", end="")
    print(f"icalendar {theirs:.1f} ms ({theirs / ours:.1f}× as long)")


if __name__ == "__main__":
    main()
