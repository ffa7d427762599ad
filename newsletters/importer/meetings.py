"""The future dates for network meetings: one line per network."""

import datetime
import re

from newsletters.deadlines import DATE_RE, DateText

from .common import Context
from .records import MeetingLine, Para
from .text import clean, squash

WEEKDAY_NAME_RE = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)")
MORE_FROM_RE = re.compile(
    r"\bMore(?:\s+info(?:rmation)?)?\s+(?:from|with)\s+(?P<name>[^()\x00]+?)\s*"
    r"(?:\((?:contact\s+)?d\w*\s+below\)|(?=\x00)|$)[.\s]*",
    re.I,
)
DETAILS_BELOW_RE = re.compile(r"\((?:contact\s+)?de\w{3,6}\s+below\)", re.I)
TIME = r"(?P<h{n}>[012]?\d)(?:(?P<sep{n}>[:.])(?P<m{n}>[0-5]\d))?\s*(?P<ap{n}>[ap]\.?m\b\.?)?"
TIME_RANGE_RE = re.compile(
    r"(?<![\w#£$.:/-])(?:(?:at|from)\s+)?"
    + TIME.format(n=1)
    + r"\s*(?:-|–|—|to|until)\s*"
    + TIME.format(n=2)
    + r"(?![\w:])",
    re.I,
)
TIME_SINGLE_RE = re.compile(
    r"(?<![\w#£$.:/-])(?:(?:at|from)\s+)?" + TIME.format(n=1) + r"(?![\w:])", re.I
)
ONLINE_RE = re.compile(r"\b(?:via|on|using)\s+(?:MS\s+|Microsoft\s+)?(?:Teams|Zoom)\b", re.I)
ONLINE_SENTENCE_RE = re.compile(r"(?<![^\s.\x00])Online\.(?![^\s\x00])")  # "… Online. More from"
# A virtual school (its heads' network) is not a video call.
ONLINE_WORD_RE = re.compile(r"\b(?:Teams|Zoom|online|virtually|virtual(?!\s+schools?\b))\b", re.I)
NEW_DATE_RE = re.compile(r"\**\s*\bNEW\s+DATE\b\s*\**", re.I)
CANCELLED_RE = re.compile(r"\**\s*\b(?:CANCELL?ED|POSTPONED)\b\s*\**")

COLON_HEADING_RE = re.compile(r"^[^:]{1,60}:$")  # "Network dates:"
TBC_RE = re.compile(r"\bTBC\b|\bto\s+be\s+confirmed\b", re.I)


def read_meeting(para: Para, context: Context) -> MeetingLine | None:
    """One line of the future meeting dates: its network, date, times, topic and contact."""
    text = squash(para.text)
    network, rest = _split_network(text)
    if not network:
        context.warn(para.line, f"could not tell which network this meeting is for: “{text[:60]}”")
        return None
    meeting = MeetingLine(line=para.line, text=clean(para.text), network=network)
    rest = " " + rest

    def cut(match):
        nonlocal rest
        rest = rest[: match.start()] + "\x00" + rest[match.end() :]

    if match := MORE_FROM_RE.search(rest):
        meeting.contact_name = squash(match.group("name")).strip(" .,;")
        cut(match)
    if match := NEW_DATE_RE.search(rest):
        meeting.status = "rearranged"
        cut(match)
    if match := CANCELLED_RE.search(rest):
        meeting.status = "cancelled"
        cut(match)
    tbc = TBC_RE.search(rest)
    if tbc:
        cut(tbc)
    if match := ONLINE_RE.search(rest) or ONLINE_SENTENCE_RE.search(rest):
        meeting.online = True
        cut(match)
    elif ONLINE_WORD_RE.search(rest):
        meeting.online = True
    if match := DATE_RE.search(rest):
        meeting.date = context.resolve(DateText(match), para.line)
        cut(match)
    if match := TIME_RANGE_RE.search(rest):
        times = _time_range(match)
        if times:
            meeting.start_time, meeting.end_time = times
            cut(match)
    if not meeting.start_time and (match := _single_time(rest)):
        meeting.start_time = _to_time(match, 1)
        cut(match)
    if tbc or (meeting.date is None and meeting.status == "confirmed"):
        meeting.status = "tbc" if meeting.status == "confirmed" else meeting.status
    pieces = [p.strip(" .,;:–—-*\u00a0") for p in rest.split("\x00")]
    meeting.topic = " ".join(p for p in pieces if p and p.lower() not in {"at", "on", "from"})
    meeting.topic = meeting.topic[:500]
    return meeting


def _split_network(text):
    """ "AD Safeguarding: Friday 9 September …" or, the colon lost, "AD EducationFriday 12 …":
    (network, the rest). A network name is short; anything else is not a meeting line."""
    head, colon, rest = text.partition(":")
    if (
        colon
        and head.strip()
        and not DATE_RE.search(head)
        and not re.search(WEEKDAY_NAME_RE, head)
        and not re.search(r"(?:^|\s)\d{1,2}[:.]?$", head)
    ):
        network = squash(head).strip(" -–")
    else:
        start = WEEKDAY_NAME_RE.search(text) or DATE_RE.search(text)
        if not start or start.start() == 0:
            return "", text
        network, rest = squash(text[: start.start()]).strip(" -–:,"), text[start.start() :]
    if not network or len(network) > 80 or len(network.split()) > 8:
        return "", text
    return network, rest.strip()


def _to_time(match, n):
    hour = int(match.group(f"h{n}"))
    minute = int(match.group(f"m{n}") or 0)
    meridiem = (match.group(f"ap{n}") or "").lower()[:1]
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    if hour > 23:
        return None
    return datetime.time(hour, minute)


def _time_range(match):
    if not any(match.group(g) for g in ("m1", "m2", "ap1", "ap2")):
        return None
    end = _to_time(match, 2)
    if end is None:
        return None
    start = _to_time(match, 1)
    if start is None:
        return None
    # "10-11.30am", "1-4pm": the start shares the end's am/pm unless that puts it after the end.
    ap1, ap2 = match.group("ap1"), (match.group("ap2") or "").lower()
    if not ap1 and ap2.startswith("p") and start.hour < 12:
        later = start.replace(hour=start.hour + 12)
        if later < end:
            start = later
    if end <= start:
        return start, None
    return start, end


def _single_time(text):
    for match in TIME_SINGLE_RE.finditer(text):
        if (match.group("ap1") or match.group("sep1") == ":") and _to_time(match, 1):
            return match
    return None


def is_meeting_line(text: str) -> bool:
    """A line of the future meeting dates: a network, and a date or whom to ask."""
    network, rest = _split_network(text)
    rest = " " + rest
    return bool(network) and bool(
        DATE_RE.search(rest) or MORE_FROM_RE.search(rest) or TBC_RE.search(rest)
    )
