"""An update's lines to plain dataclasses, by structure (never by known titles). No database.

The line reader (reader.py) turns the file into blocks whatever its spacing; this module reads the
header and the intro and hands each section to its own parser: items.py (headlines and
reminders), meetings.py, triads.py, resources.py (Tools & Templates) and contacts.py.
"""

import functools
import re

from newsletters.deadlines import DATE_RE, DateText

from .common import Context, split_dcs_only
from .contacts import read_contacts
from .items import MEETINGS_TITLE_RE, PLAN_RE, read_items, split_sections
from .meetings import COLON_HEADING_RE, read_meeting
from .reader import read_blocks
from .records import ContactLine, Item, MeetingLine, Para, ResourceLine, TriadEntry, Update
from .resources import read_resource
from .text import ImportFailure, key
from .triads import read_triads

__all__ = [
    "ContactLine",
    "Item",
    "MeetingLine",
    "Para",
    "ResourceLine",
    "TriadEntry",
    "Update",
    "parse_update",
]

HEADER_START_RE = re.compile(r"^UPDATE\s+NO\b", re.IGNORECASE)
HEADER_RE = re.compile(r"^UPDATE\s+NO\.?\s*(?P<number>\S*)\s*(?P<date>.*?)\s*$", re.IGNORECASE)
TEASER_RE = re.compile(r"^Newsletters\b.*\[(?:…|\.\.\.)\]$")
ARTEFACTS = {"newsletters", "three children playing happily together"}
MAX_UPDATE_NUMBER = 2_147_483_647  # the largest number the database keeps for an update
PROGRESS_RE = re.compile(r"^Done\s+so\s+far\s*:", re.I)  # under a reminder: who has done it


def parse_update(
    lines: list[str],
    *,
    titles: frozenset = frozenset(),
    not_titles: frozenset = frozenset(),
    reminders: frozenset = frozenset(),
    headlines: frozenset = frozenset(),
) -> Update:
    """Lines of one file (numbered from 1) to an Update; ImportFailure if it is not one, or if it
    yields no news items. `titles` and `not_titles`: line numbers an editor has said do or do not
    start an item (the admin's import screen), overriding what the structure suggests;
    `reminders` and `headlines`: the title lines of items an editor moved to that section."""
    blocks = read_blocks(lines)
    start = _find_header(blocks, 0)
    if start is None:
        raise ImportFailure(
            "this is not an update: there is no “UPDATE NO n dd Month yyyy” header", 1
        )
    number, date = _read_header(blocks[start])
    context = Context(date=date, titles=frozenset(titles), not_titles=frozenset(not_titles))
    for block in blocks[:start]:
        context.warn(block.line, f"text before the header was not imported: “{block.text[:60]}”")
    update = Update(number=number, date=date, line=blocks[start].line)
    repeat = _find_header(blocks, start + 1)
    if repeat is None:  # no repeated header: the paragraphs before the first item are the intro
        intro, body = [], blocks[start + 1 :]
    else:
        if not _same_header(blocks[repeat], number, date):
            context.warn(blocks[repeat].line, "the repeated header does not match the first one")
        intro, body = blocks[start + 1 : repeat], blocks[repeat + 1 :]
    sections = split_sections(body)
    items, leading, update.shape = read_items(sections, context, intro_allowed=repeat is None)
    _read_intro(update, intro + leading)
    for item in items:
        if item.line in reminders:
            item.section = "reminder"
        elif item.line in headlines:
            item.section = "headline"
        _add_item(update, item, context)
    for section, rows in sections:
        if section == "tools":
            update.resources = [
                read_resource(
                    b.line, b.text, functools.partial(context.resolve, line=b.line, past=True)
                )
                for b in rows
            ]
        elif section == "contacts":
            update.contacts = read_contacts(rows, context)
    if not update.items:
        raise ImportFailure(
            "found no news items in this update (no title with text under it); nothing from it "
            "was imported",
            update.line,
        )
    update.warnings = sorted(context.warnings, key=lambda w: w[0])
    return update


def _find_header(blocks, start):
    for i in range(start, len(blocks)):
        if HEADER_START_RE.match(blocks[i].text):
            return i
    return None


def _read_header(block):
    match = HEADER_RE.match(block.text)
    assert match is not None  # the block starts with HEADER_START_RE, and the rest is optional
    number, date_text = match.group("number"), match.group("date")
    if not number:
        raise ImportFailure("the header has no update number", block.line)
    if not (number.isascii() and number.isdigit()):
        raise ImportFailure(
            f"the update number “{number}” in the header is not a number", block.line
        )
    if int(number) > MAX_UPDATE_NUMBER:
        raise ImportFailure(
            f"the update number “{number}” in the header is too large to be right", block.line
        )
    date_match = DATE_RE.fullmatch(date_text)
    if not date_match or not date_match.group("year"):
        raise ImportFailure(
            f"the header's date “{date_text}” is not a date like “26 April 2019”", block.line
        )
    try:
        date = DateText(date_match).resolve(None)
    except ValueError:
        raise ImportFailure(f"the header's date “{date_text}” does not exist", block.line) from None
    return int(number), date


def _same_header(block, number, date):
    try:
        return _read_header(block) == (number, date)
    except ImportFailure:
        return False


def _read_intro(update, blocks):
    for block in blocks:
        text = block.text
        if TEASER_RE.match(text) or key(text) in ARTEFACTS or HEADER_START_RE.match(text):
            continue
        plan = PLAN_RE.search(text)
        if plan and not update.improvement_plan:
            update.improvement_plan = plan.group(0).strip()
            text = (text[: plan.start()] + text[plan.end() :]).strip()
        if text:
            update.intro.append(text)


def _add_item(update, item, context):
    item.title, item.dcs_only = split_dcs_only(item.title)
    last = item.action or item.update
    if last and PROGRESS_RE.match(last[-1].text):
        item.progress = last.pop().text
    if MEETINGS_TITLE_RE.search(item.title):
        for para in item.paragraphs:
            if COLON_HEADING_RE.match(para.text):
                continue  # "Network dates:"
            meeting = read_meeting(para, context)
            if meeting is None:
                continue
            if meeting.date is None and meeting.status == "tbc" and update.shape == "plain":
                update.networks_mentioned.append(meeting)
            else:
                update.meetings.append(meeting)
        return
    read_triads(item, context)
    update.items.append(item)
