"""iCalendar (RFC 5545) text, written directly.

icalendar builds an object for every property and folds every line a character at a time: a
year of meetings and deadlines (344 events) took 80 ms to write. This writes the same bytes as
icalendar does, in its property order, with its escaping and folding; icalendar still writes
the Europe/London VTIMEZONE (once per process), and tests compare this output with its own.
"""

import datetime
import functools

import icalendar

TZID = "Europe/London"
CALENDAR_ORDER = ("VERSION", "PRODID", "CALSCALE")
EVENT_ORDER = ("SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID")
FOLD_AT = 75  # octets; icalendar starts a new line before a line reaches it


def text(value):
    """A TEXT value: backslashes, semicolons, commas and line breaks escaped."""
    return ":" + (
        str(value)
        .replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def uri(value):
    return ":" + value


def day(value):
    return f";VALUE=DATE:{value:%Y%m%d}"


def local_time(value):
    """A time in London, e.g. DTSTART;TZID=Europe/London:20260701T100000."""
    return f";TZID={TZID}:{value:%Y%m%dT%H%M%S}"


def utc_time(value):
    return f":{value.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"


def fold(line):
    """Split a line longer than the limit into continuation lines, as icalendar does: never
    inside a character, and never just after a backslash (some clients misread that)."""
    if line.isascii():
        return fold_ascii(line)
    pieces, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= FOLD_AT:
            carried = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            pieces.append("".join(current))
            current, size = ([carried], len(carried)) if carried else ([], 0)
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def fold_ascii(line):
    """fold() for a line of one-octet characters (nearly every line): slices, not a loop."""
    pieces, start = [], 0
    while len(line) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        if line[end - 1] in "\\^" and end - 1 > start:
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def component(name, properties, order):
    """BEGIN…END lines of a component from {NAME: written value}, in icalendar's order."""
    names = [n for n in order if n in properties] + sorted(set(properties) - set(order))
    return [f"BEGIN:{name}", *(fold(n + properties[n]) for n in names), f"END:{name}"]


def event(properties):
    return component("VEVENT", properties, EVENT_ORDER)


@functools.cache
def london_timezone():
    """The VTIMEZONE lines for Europe/London, as icalendar writes them."""
    written = icalendar.Timezone.from_tzid(TZID).to_ical().decode()
    return written.removesuffix("\r\n").split("\r\n")


def calendar(name, events):
    """The whole calendar, as bytes, from events' lines; the VTIMEZONE when a time needs it."""
    head = {
        "VERSION": ":2.0",
        "PRODID": text("-//SESLIP//Updates//EN"),
        "CALSCALE": text("GREGORIAN"),
        "X-WR-CALNAME": text(name),
        "X-WR-TIMEZONE": text(TZID),
    }
    lines = component("VCALENDAR", head, CALENDAR_ORDER)[:-1]
    if any(f";TZID={TZID}:" in line for event_lines in events for line in event_lines):
        lines += london_timezone()
    for event_lines in events:
        lines += event_lines
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()
