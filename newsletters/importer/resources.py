"""Tools & Templates: one line per publication, its publisher and date read from the words."""

import datetime
import re
from collections.abc import Callable

from newsletters.deadlines import DATE_PATTERN, DateText
from newsletters.links import LINK_RE

from .common import split_dcs_only
from .records import ResourceLine
from .text import squash

RESOURCE_TITLE_MAX = 500
LONG_RESOURCE = 250


def read_resource(
    line: int, raw: str, resolve: Callable[[DateText], datetime.date | None]
) -> ResourceLine:
    """A Tools & Templates line: its title, publisher and date. A line that opens with a link
    ("[title](address) description", as the exporter writes it) is that title and address; one
    closing with "(DCSs only)" is for DCSs only."""
    text, dcs_only = split_dcs_only(squash(raw))
    resource = ResourceLine(line=line, title=text, dcs_only=dcs_only)
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
    run: list[str] = []
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
