"""Peer-challenge triads in an item's text: "Triad 1 – Kent, Medway and Surrey on …" lines, or
the flattened 2019-20 table (a date, then the authorities)."""

import re

from newsletters.deadlines import DATE_RE, WEEKDAY, DateText

from .common import Context
from .meetings import TBC_RE
from .records import Item, Para, TriadEntry
from .text import squash

ROUND_YEAR_RE = re.compile(r"\b(20\d\d)\s*[-–/]\s*(20)?(\d\d)\b")
MAX_TRIAD_NUMBER = 32_767  # the largest number the database keeps for a triad
TRIAD_RE = re.compile(
    r"^(?P<kind>Triad|Quartet)\s+(?P<number>\d+)\s*(?:[–—-]|:)\s*(?P<rest>.+)$", re.I
)
TRIAD_MOVED_RE = re.compile(
    r"^(?P<kind>Triad|Quartet)\s+(?P<number>\d+)\s+(?:has\s+been\s+|is\s+|was\s+)?"
    r"(?P<what>re-?arranged|moved|postponed|cancell?ed)\b(?P<rest>.*)$",
    re.I,
)
TRIAD_LABEL_RE = re.compile(r"^(?P<kind>Triad|Quartet)\s+(?P<number>\d+)$", re.I)
TABLE_HEADING_RE = re.compile(r"peer\s+challenge\s+dates", re.I)
DATE_START_RE = re.compile(
    rf"(?:\bon\s+)?(?:\b{WEEKDAY}\b|(?<!\w)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:or\b|(?=[A-Za-z]{{3}})))",
    re.I,
)


def read_triads(item: Item, context: Context) -> None:
    """The peer-challenge triads an item lists, as lines or as the flattened table."""
    round_year = ROUND_YEAR_RE.search(item.title)
    entries: list[TriadEntry] = []
    table, row, pending_number = False, None, None
    for para in item.paragraphs:
        text = squash(para.text)
        if TABLE_HEADING_RE.search(text) and len(text) < 120:
            table, row = True, None
            round_year = round_year or ROUND_YEAR_RE.search(text)
            continue
        if table:
            row, pending_number = _table_line(para, text, entries, row, pending_number, context)
            continue
        if match := TRIAD_MOVED_RE.match(text):
            entry = TriadEntry(
                line=para.line,
                number=int(match.group("number")),
                quartet=match.group("kind").lower() == "quartet",
                members=[],
                status="cancelled" if "cancel" in match.group("what").lower() else "rearranged",
            )
            dates = [context.resolve(d, para.line) for d in _dates_in(match.group("rest"))]
            entry.date = next((d for d in dates if d), None)
            entries.append(entry)
        elif match := TRIAD_RE.match(text):
            entries.append(_triad_line(para, match, context))
    for entry in [e for e in entries if e.number > MAX_TRIAD_NUMBER]:
        context.warn(entry.line, f"triad number {entry.number} is too large to be right; left out")
        entries.remove(entry)
    if entries:
        if round_year:
            first, century, last = round_year.groups()
            name = f"{first}-{last}"
        else:
            date = context.date
            assert date is not None  # parse_update reads it from the header
            year = date.year - (date.month < 9)
            name = f"{year}-{(year + 1) % 100:02d}"
        item.round_name = f"{name} DCS Peer Challenge"
        item.triads = entries


def _triad_line(para, match, context):
    rest = match.group("rest")
    start = DATE_START_RE.search(rest)
    members_text = rest[: start.start()] if start else rest
    when = rest[start.start() :] if start else ""
    entry = TriadEntry(
        line=para.line,
        number=int(match.group("number")),
        quartet=match.group("kind").lower() == "quartet",
        members=[Para(para.line, members_text.strip(" ,;.–-"))],
    )
    tbc = bool(TBC_RE.search(when))
    pieces = re.split(r"\s+or\s+", re.sub(r"^\s*on\s+", "", when))
    last = DATE_RE.search(pieces[-1]) if pieces else None
    dates = []
    if last:
        full = DateText(last)
        for piece in pieces[:-1]:
            own = DATE_RE.search(piece)  # "Saturday 23 November or Monday 2 December 2024"
            if own:
                partial = DateText(own)
                if partial.year is None:  # the last date's year, or the one before it
                    after = (partial.month, partial.day) > (full.month, full.day)
                    partial.year = full.year - 1 if full.year and after else full.year
                dates.append(partial)
                continue
            day = re.search(rf"(?:(?P<weekday>{WEEKDAY})\s+)?(?P<day>\d{{1,2}})", piece, re.I)
            if day:
                partial = DateText(
                    DATE_RE.search(f"{day.group(0)} {last.group('month') or last.group('month2')}")
                )
                partial.year = full.year
                dates.append(partial)
        dates.append(full)
    resolved = [d for d in (context.resolve(d, para.line) for d in dates) if d]
    if len(resolved) == 1 and not tbc:
        entry.date = resolved[0]
    else:
        entry.candidate_dates = resolved
        entry.status = "tbc"
    return entry


def _table_line(para, text, entries, row, pending_number, context):
    """The flattened 2019-20 table: a date line starts a row, authority lines follow it."""
    if label := TRIAD_LABEL_RE.match(text):
        number = int(label.group("number"))
        quartet = label.group("kind").lower() == "quartet"
        if row is not None and not row.members:
            row.number, row.quartet = number, quartet
            return row, None
        return row, (number, quartet)
    date_match = DATE_RE.fullmatch(text.rstrip(" ."))
    if date_match:
        number, quartet = pending_number or (
            len([e for e in entries if e.from_table]) + 1,
            False,
        )
        row = TriadEntry(
            line=para.line,
            number=number,
            quartet=quartet,
            members=[],
            date=context.resolve(DateText(date_match), para.line),
            from_table=True,
        )
        entries.append(row)
        return row, None
    if row is None:
        context.warn(
            para.line, f"could not place this line of the peer-challenge dates: “{text[:60]}”"
        )
        return row, pending_number
    row.members.append(Para(para.line, text))
    return row, pending_number


def _dates_in(text):
    return [DateText(m) for m in DATE_RE.finditer(text)]
