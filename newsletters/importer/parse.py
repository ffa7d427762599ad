"""An update's lines to plain dataclasses, by structure (never by known titles). No database.

Every piece keeps the line it came from, so that warnings and errors can name it.
"""

import datetime
import re
from dataclasses import dataclass, field

from newsletters.deadlines import DATE_PATTERN, DATE_RE, WEEKDAY, DateText
from newsletters.links import LINK_RE

from .text import ImportFailure, clean, key, squash

HEADER_START_RE = re.compile(r"^UPDATE\s+NO\b", re.IGNORECASE)
HEADER_RE = re.compile(r"^UPDATE\s+NO\.?\s*(?P<number>\S*)\s*(?P<date>.*?)\s*$", re.IGNORECASE)
LABEL_RE = re.compile(r"^(?P<label>Programme|Update|Action\s+Required)\s*:\s*(?P<rest>.*)$", re.I)
SECTIONS = {
    "reminders from previous weeks": "reminder",
    "reminders": "reminder",
    "tools and templates": "tools",
    "contact details": "contacts",
}
TEASER_RE = re.compile(r"^Newsletters\b.*\[(?:…|\.\.\.)\]$")
ARTEFACTS = {"newsletters", "three children playing happily together"}
PLAN_RE = re.compile(r"Our Regional Improvement Plan\b[^.]*?can be found here\b\.?", re.I)
MEETINGS_TITLE_RE = re.compile(r"future\s+dates\b.*\bnetwork\s+meetings", re.I)
ROUND_YEAR_RE = re.compile(r"\b(20\d\d)\s*[-–/]\s*(20)?(\d\d)\b")

WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
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
ONLINE_WORD_RE = re.compile(r"\b(?:Teams|Zoom|online|virtual(?:ly)?)\b", re.I)
NEW_DATE_RE = re.compile(r"\**\s*\bNEW\s+DATE\b\s*\**", re.I)
CANCELLED_RE = re.compile(r"\**\s*\b(?:CANCELL?ED|POSTPONED)\b\s*\**")
TBC_RE = re.compile(r"\bTBC\b|\bto\s+be\s+confirmed\b", re.I)

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

EMAIL_RE = re.compile(r"^(?:e-?mail\s*:?\s*|mailto:)?(?P<email>[^\s@]+@[^\s@]+\.[^\s@]+)$", re.I)
PHONE_RE = re.compile(
    r"^(?:(?:tel|telephone|phone|mobile|mob|t|m)\s*[:.]?\s*)?(?P<phone>\+?[\d\s()-]+)$", re.I
)

MAX_UPDATE_NUMBER = 2_147_483_647  # the largest number the database keeps for an update
MAX_TRIAD_NUMBER = 32_767  # and for a triad
RESOURCE_TITLE_MAX = 500
LONG_RESOURCE = 250


@dataclass
class Para:
    line: int
    text: str


@dataclass
class TriadEntry:
    line: int
    number: int
    quartet: bool
    members: list  # [Para]: text naming authorities, resolved by the loader
    date: datetime.date | None = None
    candidate_dates: list = field(default_factory=list)
    status: str = "confirmed"
    from_table: bool = False


@dataclass
class Item:
    line: int
    title: str
    section: str  # "headline" or "reminder"
    update: list = field(default_factory=list)  # [Para]
    action: list = field(default_factory=list)  # [Para]
    triads: list = field(default_factory=list)  # [TriadEntry]
    round_name: str = ""

    @property
    def paragraphs(self):
        return self.update + self.action

    def plain_text(self):
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class MeetingLine:
    line: int
    text: str
    network: str
    date: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    topic: str = ""
    online: bool = False
    status: str = "confirmed"
    contact_name: str = ""


@dataclass
class ResourceLine:
    line: int
    title: str
    description: str = ""
    publisher: str = ""
    published_on: datetime.date | None = None
    url: str = ""


@dataclass
class ContactLine:
    line: int
    role: str
    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class Update:
    number: int
    date: datetime.date
    line: int
    intro: list = field(default_factory=list)  # [str]
    improvement_plan: str = ""
    items: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    contacts: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # [(line, message)]


def parse_update(lines):
    """Lines of one file (1-based numbering) to an Update; ImportFailure if it is not one."""
    return _Parser(lines).parse()


class _Parser:
    def __init__(self, lines):
        self.lines = lines
        self.warnings = []

    def warn(self, line, message):
        self.warnings.append((line, message))

    # The header and the intro

    def parse(self):
        start = self._find_header(0)
        if start is None:
            raise ImportFailure(
                "this is not an update: there is no “UPDATE NO n dd Month yyyy” header", 1
            )
        number, date = self._read_header(start)
        for i in range(start):
            if clean(self.lines[i]):
                self.warn(
                    i + 1, f"text before the header was not imported: “{clean(self.lines[i])[:60]}”"
                )
        update = Update(number=number, date=date, line=start + 1)
        repeat = self._find_header(start + 1)
        if repeat is None:
            # No repeated header: the paragraphs before the first item are the intro.
            intro_lines, body_start = [], start + 1
        else:
            if not self._same_header(repeat, number, date):
                self.warn(repeat + 1, "the repeated header does not match the first one")
            intro_lines, body_start = list(range(start + 1, repeat)), repeat + 1
        self.update = update
        sections = self._sections(body_start)
        leading = self._parse_item_sections(sections, intro_allowed=repeat is None)
        self._parse_intro(intro_lines + leading)
        for section, rows in sections:
            if section == "tools":
                update.resources = [self._resource(n, t) for n, t in rows if clean(t)]
            elif section == "contacts":
                update.contacts = self._contacts(rows)
        if not update.items:
            self.warn(update.line, "found no news items in this update")
        update.warnings = sorted(self.warnings, key=lambda w: w[0])
        return update

    def _find_header(self, start):
        for i in range(start, len(self.lines)):
            if HEADER_START_RE.match(clean(self.lines[i])):
                return i
        return None

    def _read_header(self, index):
        line = clean(self.lines[index])
        match = HEADER_RE.match(line)
        number, date_text = match.group("number"), match.group("date")
        if not number:
            raise ImportFailure("the header has no update number", index + 1)
        if not (number.isascii() and number.isdigit()):
            raise ImportFailure(
                f"the update number “{number}” in the header is not a number", index + 1
            )
        if int(number) > MAX_UPDATE_NUMBER:
            raise ImportFailure(
                f"the update number “{number}” in the header is too large to be right", index + 1
            )
        date_match = DATE_RE.fullmatch(date_text)
        if not date_match or not date_match.group("year"):
            raise ImportFailure(
                f"the header's date “{date_text}” is not a date like “26 April 2019”", index + 1
            )
        try:
            date = DateText(date_match).resolve(None)
        except ValueError:
            raise ImportFailure(
                f"the header's date “{date_text}” does not exist", index + 1
            ) from None
        return int(number), date

    def _same_header(self, index, number, date):
        try:
            return self._read_header(index) == (number, date)
        except ImportFailure:
            return False

    def _parse_intro(self, indices):
        paragraphs = []
        for i in indices:
            text = clean(self.lines[i])
            if not text or TEASER_RE.match(text) or key(text) in ARTEFACTS:
                continue
            if HEADER_START_RE.match(text):
                continue
            plan = PLAN_RE.search(text)
            if plan and not self.update.improvement_plan:
                self.update.improvement_plan = plan.group(0).strip()
                text = (text[: plan.start()] + text[plan.end() :]).strip()
            if text:
                paragraphs.append(text)
        self.update.intro = paragraphs

    # Sections and items

    def _sections(self, start):
        sections, current = [], ("headline", [])
        for i in range(start, len(self.lines)):
            text = clean(self.lines[i])
            marker = SECTIONS.get(key(text.replace("&", " and ")).rstrip(":").strip())
            if marker:
                sections.append(current)
                current = (marker, [])
            else:
                current[1].append((i + 1, self.lines[i]))
        sections.append(current)
        return sections

    def _parse_item_sections(self, sections, *, intro_allowed):
        """Items of the headline and reminder sections; returns lines that form the intro."""
        rows = [r for s, rs in sections if s in ("headline", "reminder") for r in rs]
        # The 2022 format: "Programme:" alone on a line before each title.
        new_format = any(re.fullmatch(r"Programme\s*:", clean(t), re.I) for _, t in rows)
        leading = []
        for index, (section, rows) in enumerate(sections):
            if section not in ("headline", "reminder"):
                continue
            split = self._items_2022 if new_format else self._items_classic
            before, items = split(rows, section)
            if index == 0 and intro_allowed:
                leading = [n - 1 for n, _ in before]
            else:
                for n, text in before:
                    self.warn(n, f"could not place this line: “{clean(text)[:60]}”")
            for item in items:
                self._add_item(item)
        return leading

    def _items_classic(self, rows, section):
        """Old format: a title has ≥2 blank lines before and after it (or "Action Required:"
        next), and body text before the next such line; anything else is body text."""
        texts = [clean(t) for _, t in rows]
        filled = [i for i, t in enumerate(texts) if t]
        candidates = []
        for pos, i in enumerate(filled):
            if LABEL_RE.match(texts[i]):
                continue
            before = i - filled[pos - 1] - 1 if pos else 99
            after = filled[pos + 1] - i - 1 if pos + 1 < len(filled) else 0
            next_label = pos + 1 < len(filled) and LABEL_RE.match(texts[filled[pos + 1]])
            if before < 2 or len(texts[i]) > 300:
                continue
            if after >= 2:
                candidates.append(i)
            elif next_label and not (candidates and candidates[-1] == filled[pos - 1]):
                # "Title" then "Action Required:" at once; but not the first line of a body
                # whose title is right above it.
                candidates.append(i)
        titles = []
        for c, i in enumerate(candidates):
            end = candidates[c + 1] if c + 1 < len(candidates) else len(texts)
            if any(_is_body_text(texts[j]) for j in range(i + 1, end)):
                titles.append(i)
        before = [rows[i] for i in filled if not titles or i < titles[0]]
        items = []
        for t, i in enumerate(titles):
            end = titles[t + 1] if t + 1 < len(titles) else len(texts)
            item = Item(line=rows[i][0], title=squash(texts[i]), section=section)
            self._fill_body(item, [rows[j] for j in range(i + 1, end)])
            items.append(item)
        return before, items

    def _items_2022(self, rows, section):
        """2022 format: "Programme:" (the title), "Update:", "Action Required:"."""
        before, items, item, body = [], [], None, []
        expecting_title = False
        for n, raw in rows:
            text = clean(raw)
            if not text:
                continue
            label = LABEL_RE.match(text)
            if label and label.group("label").lower() == "programme":
                if item:
                    self._fill_body(item, body)
                item, body = None, []
                rest = label.group("rest").strip()
                if rest:
                    item = Item(line=n, title=squash(rest), section=section)
                    items.append(item)
                expecting_title = not rest
                continue
            if expecting_title:
                item = Item(line=n, title=squash(text), section=section)
                items.append(item)
                expecting_title = False
                continue
            if item is None:
                before.append((n, raw))
            else:
                body.append((n, raw))
        if item:
            self._fill_body(item, body)
        return before, items

    def _fill_body(self, item, rows):
        target = item.update
        for n, raw in rows:
            text = clean(raw)
            if not text:
                continue
            label = LABEL_RE.match(text)
            if label:
                if label.group("label").lower().startswith("action"):
                    target = item.action
                text = label.group("rest").strip()
                if not text:
                    continue
            # Keep the text as found (non-breaking spaces, bullets); only the line's ends trimmed.
            item_text = raw.strip(" \t\r\n\u00a0\u200b\ufeff")
            target.append(Para(n, item_text))

    def _add_item(self, item):
        if MEETINGS_TITLE_RE.search(item.title):
            for para in item.paragraphs:
                meeting = self._meeting(para)
                if meeting:
                    self.update.meetings.append(meeting)
            return
        self._triads(item)
        self.update.items.append(item)

    # Network meetings

    def _meeting(self, para):
        text = squash(para.text)
        network, rest = _split_network(text)
        if not network:
            self.warn(para.line, f"could not tell which network this meeting is for: “{text[:60]}”")
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
        if match := ONLINE_RE.search(rest):
            meeting.online = True
            cut(match)
        elif ONLINE_WORD_RE.search(rest):
            meeting.online = True
        if match := DATE_RE.search(rest):
            meeting.date = self._resolve(DateText(match), para.line)
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

    def _resolve(self, date_text, line, *, past=False):
        try:
            date = date_text.resolve(self.update.date, past=past)
        except ValueError:
            self.warn(line, f"“{date_text.text}” is not a real date; left out")
            return None
        if date_text.weekday_mismatch(date):
            self.warn(
                line,
                f"“{date_text.text}”: {date:%-d %B %Y} is a {date:%A}, not a "
                f"{WEEKDAY_NAMES[date_text.weekday]}; kept the day number ({date:%-d %B %Y})",
            )
        return date

    # Peer-challenge triads

    def _triads(self, item):
        round_year = ROUND_YEAR_RE.search(item.title)
        entries, table, row, pending_number = [], False, None, None
        for para in item.paragraphs:
            text = squash(para.text)
            if TABLE_HEADING_RE.search(text) and len(text) < 120:
                table, row = True, None
                round_year = round_year or ROUND_YEAR_RE.search(text)
                continue
            if table:
                row, pending_number = self._table_line(para, text, entries, row, pending_number)
                continue
            if match := TRIAD_MOVED_RE.match(text):
                entry = TriadEntry(
                    line=para.line,
                    number=int(match.group("number")),
                    quartet=match.group("kind").lower() == "quartet",
                    members=[],
                    status="cancelled" if "cancel" in match.group("what").lower() else "rearranged",
                )
                dates = [self._resolve(d, para.line) for d in _dates_in(match.group("rest"))]
                entry.date = next((d for d in dates if d), None)
                entries.append(entry)
            elif match := TRIAD_RE.match(text):
                entries.append(self._triad_line(para, match))
        for entry in [e for e in entries if e.number > MAX_TRIAD_NUMBER]:
            self.warn(entry.line, f"triad number {entry.number} is too large to be right; left out")
            entries.remove(entry)
        if entries:
            if round_year:
                first, century, last = round_year.groups()
                name = f"{first}-{last}"
            else:
                year = self.update.date.year - (self.update.date.month < 9)
                name = f"{year}-{(year + 1) % 100:02d}"
            item.round_name = f"{name} DCS Peer Challenge"
            item.triads = entries

    def _triad_line(self, para, match):
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
                day = re.search(rf"(?:(?P<weekday>{WEEKDAY})\s+)?(?P<day>\d{{1,2}})", piece, re.I)
                if day:
                    partial = DateText(
                        DATE_RE.search(
                            f"{day.group(0)} {last.group('month') or last.group('month2')}"
                        )
                    )
                    partial.year = full.year
                    dates.append(partial)
            dates.append(full)
        resolved = [d for d in (self._resolve(d, para.line) for d in dates) if d]
        if len(resolved) == 1 and not tbc:
            entry.date = resolved[0]
        else:
            entry.candidate_dates = resolved
            entry.status = "tbc"
        return entry

    def _table_line(self, para, text, entries, row, pending_number):
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
                date=self._resolve(DateText(date_match), para.line),
                from_table=True,
            )
            entries.append(row)
            return row, None
        if row is None:
            self.warn(
                para.line, f"could not place this line of the peer-challenge dates: “{text[:60]}”"
            )
            return row, pending_number
        row.members.append(Para(para.line, text))
        return row, pending_number

    # Tools & Templates

    def _resource(self, line, raw):
        return read_resource(line, raw, lambda d: self._resolve(d, line, past=True))

    # Contact Details

    def _contacts(self, rows):
        contacts = []
        for n, raw in rows:
            text = squash(raw)
            if not text:
                continue
            person = _contact_header(text)
            if person:
                role, name, organisation = person
                contacts.append(
                    ContactLine(
                        n, role=role[:300], name=name[:200], organisation=organisation[:200]
                    )
                )
                continue
            email, phone = EMAIL_RE.match(text), PHONE_RE.match(text)
            if contacts and email and not contacts[-1].email:
                contacts[-1].email = email.group("email").rstrip(".")
            elif (
                contacts
                and phone
                and sum(c.isdigit() for c in phone.group("phone")) >= 9
                and not contacts[-1].phone
            ):
                contacts[-1].phone = squash(phone.group("phone"))[:40]
            else:
                self.warn(n, f"could not place this line of the Contact Details: “{text[:60]}”")
        return contacts


def read_resource(line, raw, resolve):
    """A Tools & Templates line: its title, publisher and date. A line that opens with a link
    ("[title](address) description", as the exporter writes it) is that title and address."""
    text = squash(raw)
    resource = ResourceLine(line=line, title=text)
    description = ""
    if link := LINK_RE.match(text):
        text, resource.url, description = link["text"], link["url"], text[link.end() :].strip()
    publisher, published, title = _publication(text)
    resource.publisher = publisher[:200]
    if published:
        resource.published_on = resolve(published)
    title = title or text
    if len(title) > LONG_RESOURCE and not description:
        first = re.split(r"(?<=[.!?])\s+", title, maxsplit=1)
        if len(first) == 2:
            title, description = first
    if len(title) > RESOURCE_TITLE_MAX:
        description = (title[RESOURCE_TITLE_MAX - 1 :] + " " + description).strip()
        title = title[: RESOURCE_TITLE_MAX - 1] + "…"
    resource.title, resource.description = title, description
    return resource


def _is_body_text(text):
    """A line of prose (not a table cell, date or name): enough words, or a sentence."""
    if LABEL_RE.match(text):
        return True
    words = text.split()
    return len(words) >= 6 or (len(words) >= 3 and text.rstrip()[-1:] in ".!?:")


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


def _dates_in(text):
    return [DateText(m) for m in DATE_RE.finditer(text)]


PUBLISHED_BY_RE = re.compile(
    r"\b(?:was\s+)?(?:published|produced|issued|released|updated)\s+by\s+(?:the\s+)?"
    rf"(?P<publisher>[^,;]+?)(?:\s+on)?(?:\s+(?P<date>{DATE_PATTERN})|(?=[,;]|\.\s|\.?$))",
    re.I,
)
ON_DATE_RE = re.compile(
    rf"^On\s+(?P<date>{DATE_PATTERN}),?\s+(?:the\s+)?(?P<publisher>.+?)\s+"
    r"(?:has\s+)?(?:published|updated|released|launched|approved|issued|announced|produced)\b",
    re.I,
)
ACRONYM_REPORT_RE = re.compile(
    r"\s(?P<publisher>\S+(?:\s+\S+){0,5}?)\s+(?:report|consultation|guidance|briefing)\s+"
    rf"published\s+(?:on\s+)?(?P<date>{DATE_PATTERN})",
    re.I,
)
PUBLISHED_DATE_RE = re.compile(
    rf"\b(?:(?:was|has\s+been|is)\s+)?(?:published|updated|released|launched|issued)\s+(?:on\s+)?(?:the\s+)?(?P<date>{DATE_PATTERN})",
    re.I,
)
PAREN_PUBLISHER_RE = re.compile(r"\((?P<publisher>[A-Z][^()]+)\)\s+(?:published|updated)\b", re.I)
BY_PUBLISHER_RE = re.compile(
    r"\b(?:report|consultation|briefing|guidance|review)\s+by\s+(?:the\s+)?"
    r"(?P<publisher>[A-Z][\w’'&.-]*(?:\s+(?:of|for|and|on|[A-Z][\w’'&.-]*))*)"
)
POSSESSIVE_RE = re.compile(r"^(?P<publisher>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)[’']s\s")


def _publication(text):
    """(publisher, DateText or None, title without a trailing "published by …" part or "")."""
    if match := ON_DATE_RE.match(text):
        return match.group("publisher").strip(), DateText(match), ""
    publisher, date, title = "", None, ""
    if match := PUBLISHED_BY_RE.search(text):
        publisher = match.group("publisher").strip()
        if match.group("date"):
            date = DateText(match)
        if not text[match.end() :].strip(" .,"):
            title = text[: match.start()].strip(" ,–-\u00a0")
    elif match := ACRONYM_REPORT_RE.search(text):
        publisher = _publisher_from_words(match.group("publisher"))
        date = DateText(match)
        at = match.group(0).rfind(publisher) if publisher else -1
        if at >= 0 and not text[match.end() :].strip(" .,"):
            title = text[: match.start() + at].strip(" ,–-\u00a0")
    if date is None and (match := PUBLISHED_DATE_RE.search(text)):
        date = DateText(match)
        if not title and not text[match.end() :].strip(" .,"):
            title = text[: match.start()].strip(" ,–-\u00a0")
    if not publisher and (match := PAREN_PUBLISHER_RE.search(text)):
        publisher = match.group("publisher").strip()
        if title.endswith(f"({publisher})"):
            title = title[: -len(publisher) - 2].strip()
    if not publisher and (match := BY_PUBLISHER_RE.search(text)):
        publisher = re.sub(r"^The\s+", "", match.group("publisher"))
    if not publisher and (match := POSSESSIVE_RE.match(text)):
        publisher = match.group("publisher")
    return publisher, date, title


def _publisher_from_words(words):
    """The organisation named just before "report published": "APPG on Knife Crime", "NAO"."""
    tokens = words.split()
    run = []
    for token in reversed(tokens):
        if token[:1].isupper() or (run and token.lower() in {"on", "of", "for", "and", "the"}):
            run.insert(0, token)
        else:
            break
    while run and not run[0][:1].isupper():
        run.pop(0)
    for i, token in enumerate(run):
        if sum(c.isupper() for c in token) >= 2:
            return " ".join(run[i:])
    return run[0] if len(run) == 1 else ""


def _contact_header(text):
    """ "Role: Name (Organisation)" -> (role, name, organisation); the organisation is the last
    balanced group in brackets, so "Philip (Phil) Simpkins (LGA)" and "(NHS England (South
    East))" come out right."""
    organisation = ""
    head = text
    if text.endswith(")"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                organisation, head = text[i + 1 : -1].strip(), text[:i].strip()
                break
    role, colon, name = head.rpartition(":")
    name = name.strip()
    if not colon or not role.strip() or not name or "@" in name or re.search(r"\d", name):
        return None
    if len(name.split()) > 6 or not name[:1].isupper():
        return None
    return role.strip(), name, organisation
