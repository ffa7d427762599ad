"""Contact Details, and the people an item sends readers to ("Name (contact details below)")."""

import functools
import re
from collections.abc import Iterable

from .common import Context
from .records import ContactLine, Para
from .text import key, squash

EMAIL_RE = re.compile(r"^(?:e-?mail\s*:?\s*|mailto:)?(?P<email>[^\s@]+@[^\s@]+\.[^\s@]+)$", re.I)
PHONE_RE = re.compile(
    r"^(?:(?:tel|telephone|phone|mobile|mob|t|m)\s*[:.]?\s*)?(?P<phone>\+?[\d\s()-]+)$", re.I
)
DETAILS_BELOW_RE = re.compile(r"\((?:contact\s+)?de\w{3,6}\s+below\)", re.I)
NAME_BEFORE_RE = re.compile(r"((?:[A-Z][\w’'-]+\s+){1,3}[A-Z][\w’'-]+)\s*$")


def read_contacts(blocks: list[Para], context: Context) -> list[ContactLine]:
    """The Contact Details: "Role: Name (Organisation)", then an e-mail address and a phone."""
    contacts = []
    for block in blocks:
        text = squash(block.text)
        if person := contact_header(text):
            role, name, organisation = person
            contacts.append(
                ContactLine(
                    block.line, role=role[:300], name=name[:200], organisation=organisation[:200]
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
            context.warn(
                block.line, f"could not place this line of the Contact Details: “{text[:60]}”"
            )
    return contacts


def contact_header(text: str) -> tuple[str, str, str] | None:
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


def people_sent_to(text: str, listed: set[str]) -> list[tuple[str, str]]:
    """Names a paragraph sends readers to ("Jane Smith (details below)") that are not among the
    `listed` names (in key() spelling): [(name, the words that send them)]."""
    found = []
    for match in DETAILS_BELOW_RE.finditer(text):
        before = key(text[: match.start()])
        if any(before.endswith(k) for k in listed):
            continue
        name = NAME_BEFORE_RE.search(text[: match.start()])
        if not name or any(sum(ch.isupper() for ch in w) > 1 for w in name.group(1).split()):
            continue
        found.append((name.group(1), match.group(0)))
    return found


def names_in(text: str, names: Iterable[str]) -> list[str]:
    """Which of `names` (in key() spelling) `text` (in key() spelling too) names as whole words."""
    return [name for name in names if whole_word(name).search(text)]


@functools.lru_cache(maxsize=4096)
def whole_word(name: str) -> re.Pattern[str]:
    """The pattern of one name as whole words, compiled once for every item that may name it."""
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
