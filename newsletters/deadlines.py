"""Dates as the newsletter writes them, and the deadlines in a piece of text.

Pure functions (no database): the importer uses them, and the admin can reuse `find_deadlines` to
suggest due dates while an editor types.
"""

import datetime
import re

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tues": 1,
    "tue": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thurs": 3,
    "thur": 3,
    "thu": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}


def _alternation(words):
    return "|".join(sorted(words, key=len, reverse=True))


MONTH = rf"(?:{_alternation(MONTHS)})"
WEEKDAY = rf"(?:{_alternation(WEEKDAYS)})"
DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"

# "Friday 19 October 2018", "25th November", "Tuesday the 10th May", "Tuesday November 30 2021".
DATE_PATTERN = (
    rf"(?:(?P<weekday>{WEEKDAY})\.?,?\s+(?:the\s+)?)?"
    rf"(?:(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH})\.?"
    rf"|(?P<month2>{MONTH})\.?\s+(?P<day2>{DAY})(?!\s*(?:-|–|:|\.\d|am|pm)))"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?(?!\w)"
)
DATE_RE = re.compile(rf"(?<![\w#]){DATE_PATTERN}", re.IGNORECASE)

DEADLINE_RE = re.compile(
    r"(?:\bclos(?:es|e|ing)(?:\s+date)?\s+(?:is\s+|on\s+|at\s+midnight\s+on\s+)?"
    r"|\bdeadline\s*(?::\s*|is\s+|of\s+|for\s+\w+\s+is\s+)?(?:on\s+)?"
    r"|\bno\s+later\s+than\s+(?:the\s+)?"
    r"|\b(?:open|runs)\s+until\s+(?:the\s+)?"
    r"|\bdue\s+(?:by|on)\s+(?:the\s+)?"
    r"|\bbefore\s+(?:the\s+)?"
    r"|\bby\s+(?:close\s+of\s+play\s+(?:on\s+)?|the\s+end\s+of\s+)?(?:the\s+)?)"
    rf"(?:{DATE_PATTERN})",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"‘(•\d])")


class DateText:
    """One date as printed: its parts, and what it means next to a reference date."""

    def __init__(self, match, offset=0):
        groups = match.groupdict()
        self.start, self.end = match.start() + offset, match.end() + offset
        self.text = match.group(0)
        day = groups.get("day") or groups.get("day2")
        self.day = int(re.match(r"\d+", day).group(0))
        self.month = MONTHS[(groups.get("month") or groups.get("month2")).lower()]
        self.year = int(groups["year"]) if groups.get("year") else None
        weekday = groups.get("weekday")
        self.weekday = WEEKDAYS[weekday.lower()] if weekday else None

    def resolve(self, reference, *, past=False, allow_past_days=0):
        """The date meant. Without a year: the next such date on or after `reference` (the one
        before it when `past`); a date up to `allow_past_days` before the reference stays in its
        year. Raises ValueError for a date that does not exist (31 February)."""
        if self.year:
            return datetime.date(self.year, self.month, self.day)
        return infer_year(
            self.day, self.month, reference, past=past, allow_past_days=allow_past_days
        )

    def weekday_mismatch(self, date):
        return self.weekday is not None and date.weekday() != self.weekday


def infer_year(day, month, reference, *, past=False, allow_past_days=0):
    year = reference.year
    date = _make_date(year, month, day)
    if past:
        if date > reference:
            date = _make_date(year - 1, month, day)
    elif date < reference - datetime.timedelta(days=allow_past_days):
        date = _make_date(year + 1, month, day)
    return date


def _make_date(year, month, day):
    if month == 2 and day == 29:
        # A 29 February printed without a year: the nearest leap year in that direction.
        while True:
            try:
                return datetime.date(year, month, day)
            except ValueError:
                year += 1
    return datetime.date(year, month, day)


def find_dates(text):
    return [DateText(m) for m in DATE_RE.finditer(text)]


def parse_date(text):
    """A full date like "26 April 2019" (nothing else around it), or None."""
    match = DATE_RE.fullmatch(text.strip())
    if not match or not match.group("year"):
        return None
    return DateText(match).resolve(None)


def split_sentences(text):
    """Sentences, paragraph by paragraph; a line break where no sentence ends (a wrapped line,
    "by 13 November" split after the 13) is a space."""
    sentences = []
    text = re.sub(r"(?<=[^\s.!?:;])[ \t]*\n[ \t]*(?=[^\s•])", " ", text)
    for paragraph in re.split(r"\n\s*\n|\n", text):
        sentences.extend(s.strip() for s in SENTENCE_END_RE.split(paragraph) if s.strip())
    return sentences


def find_deadlines(text, reference_date, *, allow_past_days=0):
    """Sentences of `text` that set a deadline, with its date: [(sentence, date), …].

    "closes on 24 June 2019", "confirm … by 1st May", "by Friday 19 October 2018", "by the
    12 November", "before 3 May", "no later than …", "deadline: …", "due by …", "open until …". A date without a year takes the year of `reference_date` (the date of the update
    the text first ran in), or the next year when that would fall before it — unless it is at most
    `allow_past_days` before it. Vague deadlines ("by the March 2020 DCS meeting") have no day
    and are not deadlines.
    """
    found = []
    for sentence in split_sentences(text):
        match = DEADLINE_RE.search(sentence)
        if not match:
            continue
        try:
            date = DateText(match).resolve(reference_date, allow_past_days=allow_past_days)
        except ValueError:
            continue
        found.append((sentence, date))
    return found
