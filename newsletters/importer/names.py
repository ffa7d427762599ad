"""Authorities and networks named in text: the parser's reading of names, given the records'
names by the loader."""

import re
from collections.abc import Iterable

from contacts.models import Organisation, normalise_name
from networks.models import Network


class AuthorityNames:
    """Finds the 19 authorities in text by any of their names, longest name first, so that
    "Brighton and Hove" and "Windsor and Maidenhead" are one authority each."""

    def __init__(self, authorities: Iterable[Organisation]) -> None:
        spellings = {}
        for org in authorities:
            for name in org.all_names():
                spellings[name] = org
        names = sorted(spellings, key=len, reverse=True)
        pattern = "|".join(
            r"\s+".join(
                "(?:&|and)" if word in ("&", "and") else re.escape(word) for word in name.split()
            )
            for name in names
        )
        self.by_lower = {normalise_name(n): org for n, org in spellings.items()}
        self.strict = re.compile(rf"(?<![\w&])(?:{pattern})(?![\w&])")
        self.loose = re.compile(rf"(?<![\w&])(?:{pattern})(?![\w&])", re.IGNORECASE)

    def named_in(self, text: str) -> list[Organisation]:
        """Authorities named in prose: exact case, whole words ("reading the bid" is not Reading)."""
        return [self.by_lower[normalise_name(m.group(0))] for m in self.strict.finditer(text)]

    def listed_in(self, text: str) -> tuple[list[Organisation], list[str]]:
        """Authorities in a list ("Hants and IoW"): ([orgs], [names not known])."""
        found: list[Organisation] = []
        unknown: list[str] = []
        last = 0
        for match in self.loose.finditer(text):
            unknown.extend(self._leftover(text[last : match.start()]))
            found.append(self.by_lower[normalise_name(match.group(0))])
            last = match.end()
        unknown.extend(self._leftover(text[last:]))
        return found, unknown

    @staticmethod
    def _leftover(text):
        pieces = re.split(r"\s*(?:,|;|&|/|\band\b|\bwith\b)\s*", text)
        return [p.strip(" .–-\u00a0") for p in pieces if p.strip(" .–-\u00a0")]


class NetworkNames:
    """Networks an item is about: it names the network (in any case when the name has more than
    one word), or it names the network's convener in a paragraph about a meeting or network."""

    def __init__(self, networks: Iterable[Network]) -> None:
        spellings: dict[str, Network] = {}
        self.by_convener: dict[str, list[Network]] = {}
        for network in networks:
            spellings[network.name] = network
            if network.convener_id and network.convener:
                self.by_convener.setdefault(network.convener.name, []).append(network)
        self.by_key = {k.casefold(): n for k, n in spellings.items()}
        exact = [n for n in spellings if len(n.split()) == 1]
        loose = [n for n in spellings if len(n.split()) > 1]
        self.exact = _whole_words(exact)
        self.loose = _whole_words(loose, re.IGNORECASE)
        self.conveners = _whole_words(list(self.by_convener))

    def named_in(self, paragraphs: list[str]) -> set[Network]:
        found: set[Network] = set()
        for text in paragraphs:
            for pattern in (self.exact, self.loose):
                if pattern:
                    found.update(self.by_key[m.group(0).casefold()] for m in pattern.finditer(text))
            if self.conveners and MEETING_WORDS_RE.search(text):
                for match in self.conveners.finditer(text):
                    found.update(self.by_convener[match.group(0)])
        return found


MEETING_WORDS_RE = re.compile(r"\b(?:meetings?|network)\b", re.IGNORECASE)


def _whole_words(names, flags=0):
    if not names:
        return None
    names = sorted(names, key=len, reverse=True)
    alternation = "|".join(r"\s+".join(re.escape(w) for w in name.split()) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)
