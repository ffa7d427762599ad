"""The news items of the headline and reminder sections, in each generation of the format.

- 2022 on ("labelled"): "Programme:" then the title, "Update:", "Action Required:".
- 2018-2021 ("classic"): a title line, its paragraphs, "Action Required:", more paragraphs.
- 2023 on ("plain"): a title line and its paragraphs, no labels at all.

Titles are found by structure, never by spacing: a title is a short line that does not read as a
sentence and has an item's text under it (a paragraph, or "Action Required:"); in the classic
shape a new title only comes after the item above has reached its "Action Required:". The line
after the future meeting dates that is not one of them is the next title. Doubts are warnings.
"""

import re

from .common import LABEL_RE, Context
from .meetings import COLON_HEADING_RE, is_meeting_line
from .records import Item, Para
from .text import key
from .triads import TRIAD_RE

SECTIONS = {
    "reminders from previous weeks": "reminder",
    "reminders": "reminder",
    "tools and templates": "tools",
    "contact details": "contacts",
}
MEETINGS_TITLE_RE = re.compile(r"future\s+dates\b.*\bnetwork\s+meetings", re.I)
PLAN_RE = re.compile(r"Our Regional Improvement Plan\b[^.]*?can be found here\b\.?", re.I)
TITLE_MAX = 200
PROSE_LENGTH = 110
LIST_ITEM_RE = re.compile(r"^(?:[•·▪◦*-]|\(?\d{1,2}[.)])\s")
LINK_LINE_RE = re.compile(r"\b(?:here|below)\b\.?(?:\s*\((?:pdf|html|word|docx?)\b[^)]*\))?$", re.I)
SENTENCE_START_RE = re.compile(
    r"^(?:He|She|It|They|We|I|You|This|These|Those|Please|If|For|There|Our|Thanks|Thank)\b"
)
VERB_RE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|can|could|would|should|may|might|must|been"
    r"|writes|wrote|says|said)\b"
)


def section_of(text: str) -> str | None:
    """The section a heading line starts ("reminder", "tools", "contacts"), or None."""
    return SECTIONS.get(key(text.replace("&", " and ")).rstrip(":").strip())


def split_sections(blocks: list[Para]) -> list[tuple[str, list[Para]]]:
    sections: list[tuple[str, list[Para]]] = []
    current: tuple[str, list[Para]] = ("headline", [])
    for block in blocks:
        if marker := section_of(block.text):
            sections.append(current)
            current = (marker, [])
        else:
            current[1].append(block)
    sections.append(current)
    return sections


def read_items(
    sections: list[tuple[str, list[Para]]], context: Context, *, intro_allowed: bool
) -> tuple[list[Item], list[Para], str]:
    """The items of the headline and reminder sections, the blocks before the first item that
    form the intro (when the update has no repeated header to end its intro), and the shape."""
    context.intro_allowed = intro_allowed
    shape = shape_of([b for s, bs in sections if s in ("headline", "reminder") for b in bs])
    if shape == "labelled":

        def split(blocks, section):
            return _labelled_items(blocks, section, context)

    else:

        def split(blocks, section):
            return _titled_items(blocks, section, context, classic=shape == "classic")

    leading, items = [], []
    for index, (section, blocks) in enumerate(sections):
        if section not in ("headline", "reminder"):
            continue
        before, found = split(blocks, section)
        if index == 0 and intro_allowed:
            leading = before
        else:
            for block in before:
                context.warn(block.line, f"could not place this line: “{block.text[:60]}”")
        items += found
    return items, leading, shape


def shape_of(blocks: list[Para]) -> str:
    """ "labelled" (2022 on), "classic" (2018-2021) or "plain" (2023 on)."""
    if any(re.fullmatch(r"Programme\s*:", b.text, re.I) for b in blocks):
        return "labelled"
    return "classic" if any(_is_action_label(b.text) for b in blocks) else "plain"


def _labelled_items(blocks, section, context):
    before, items, item, expecting_title = [], [], None, False
    for block in blocks:
        if block.line in context.titles:
            item, expecting_title = Item(line=block.line, title=block.text, section=section), False
            items.append(item)
            continue
        if expecting_title and block.line in context.not_titles and items:
            item, expecting_title = items[-1], False
            _add_to_body(item, block)
            continue
        label = LABEL_RE.match(block.text)
        if label and label.group("label").lower() == "programme":
            rest = label.group("rest").strip()
            item = Item(line=block.line, title=rest, section=section) if rest else None
            if item:
                items.append(item)
            expecting_title = not rest
        elif expecting_title:
            item = Item(line=block.line, title=block.text, section=section)
            items.append(item)
            expecting_title = False
        elif item is None:
            before.append(block)
        else:
            _add_to_body(item, block)
    return before, items


def _titled_items(blocks, section, context, *, classic):
    titles = _find_titles(blocks, context, classic=classic)
    before = blocks[: titles[0]] if titles else list(blocks)
    items = []
    for t, start in enumerate(titles):
        end = titles[t + 1] if t + 1 < len(titles) else len(blocks)
        item = Item(line=blocks[start].line, title=blocks[start].text, section=section)
        for block in blocks[start + 1 : end]:
            _add_to_body(item, block)
        items.append(item)
    return before, items


def _find_titles(blocks, context, *, classic):
    titles, answered, in_meetings = [], False, False
    for i, block in enumerate(blocks):
        text = block.text
        following = blocks[i + 1].text if i + 1 < len(blocks) else None
        if block.line in context.not_titles:
            continue
        if block.line in context.titles:
            titles.append(i)
            answered = in_meetings = False
            continue
        if _is_action_label(text):
            answered = True
            continue
        if MEETINGS_TITLE_RE.search(text) and len(text) < TITLE_MAX:
            titles.append(i)
            in_meetings = True
            continue
        if in_meetings:
            if (
                LABEL_RE.match(text)
                or COLON_HEADING_RE.match(text)
                or is_meeting_line(text)
                or not _ends_meetings(text)
            ):
                continue  # a meeting line, or one it cannot read (warned about later)
            in_meetings, answered = False, False
            titles.append(i)
            continue
        allowed = not classic or not titles or answered
        if not allowed or not _title_shaped(text) or (titles and titles[-1] == i - 1):
            continue
        if following is None or section_of(following):
            if titles and text[0].isupper() and not _sentence_like(text):
                context.warn(
                    block.line,
                    f"“{text[:60]}” could be a title with nothing under it (the end of a cut-off "
                    "page?): kept as the last line of the item above; check it",
                )
            continue
        if not _has_body_under(blocks, i, context, classic=classic, first=not titles):
            continue
        if _sentence_like(text):
            if not SENTENCE_START_RE.match(text) and len(text) < PROSE_LENGTH:
                context.warn(
                    block.line,
                    f"“{text[:60]}” could be a title or a sentence: read as a sentence of the "
                    "item above",
                )
            continue
        titles.append(i)
        answered = False
    return titles


def _has_body_under(blocks, i, context, *, classic, first):
    """Whether an item's text follows block i: a paragraph or "Action Required:" (in the classic
    shape, or opening a section, a list too). In the classic shape a one-line byline may come
    first ("Louisa Ellisdon of DfE writes"), unless that line is the title itself."""
    lists = classic or (first and not context.intro_allowed)
    if _opens_body(blocks[i + 1].text, lists=lists):
        return True
    if not classic or i + 2 >= len(blocks) or not _opens_body(blocks[i + 2].text, lists=lists):
        return False
    byline = blocks[i + 1].text
    return not (_title_shaped(byline) and not _sentence_like(byline))


def _opens_body(text, *, lists):
    return _is_prose(text) or _is_action_label(text) or bool(lists and LIST_ITEM_RE.match(text))


def _add_to_body(item, block):
    target = item.action if item.answered else item.update
    text = block.text
    if label := LABEL_RE.match(text):
        if label.group("label").lower().startswith("action"):
            item.answered = True
            target = item.action
        text = label.group("rest").strip()
        if not text:
            return
    target.append(Para(block.line, text))


def _is_action_label(text):
    label = LABEL_RE.match(text)
    return bool(label and label.group("label").lower().startswith("action"))


def _title_shaped(text):
    return (
        len(text) <= TITLE_MAX
        and text[-1] not in ".,;:"
        and (text[0].isupper() or text[0].isdigit() or text[0] in "“\"‘'")
        and not LIST_ITEM_RE.match(text)
        and not LABEL_RE.match(text)
        and not LINK_LINE_RE.search(text)
        and not PLAN_RE.search(text)
        and not TRIAD_RE.match(text)
    )


def _ends_meetings(text):
    """The line after the meeting dates that is the next item's title (it may end in a full
    stop: "… systems. 10 Nov 2021 1.30pm to 4.00pm.")."""
    return (
        len(text) <= TITLE_MAX
        and text[0].isupper()
        and not LIST_ITEM_RE.match(text)
        and not _sentence_like(text)
    )


def _sentence_like(text):
    return bool(SENTENCE_START_RE.match(text) or VERB_RE.search(text))


def _is_prose(text):
    if LIST_ITEM_RE.match(text):
        return False
    return text[-1] in '.:;”"’)' or len(text) > PROSE_LENGTH
