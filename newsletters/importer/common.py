"""What every section's parser shares: the labels, and the update's date and warnings."""

import datetime
import re
from dataclasses import dataclass, field

from newsletters.deadlines import DateText

LABEL_RE = re.compile(r"^(?P<label>Programme|Update|Action\s+Required)\s*:\s*(?P<rest>.*)$", re.I)
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCE_END = ".!?:;,"
# "(DCSs only)" closing a title or a Tools & Templates line: how an editor's export marks what
# only Directors of Children's Services read ("now available to DCSs only", as the updates say).
DCS_ONLY_RE = re.compile(r"\s*\((?:for\s+)?DCSs?[\s\u00a0-]+only\)\s*$", re.I)
DCS_ONLY_MARK = "(DCSs only)"


@dataclass
class Context:
    """The update being read: its date (to read dates printed without a year) and the doubts."""

    date: datetime.date | None = None
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    intro_allowed: bool = False  # no repeated header: the first lines may be the intro
    titles: frozenset[int] = frozenset()  # lines an editor said are titles
    # lines an editor said are not titles (merged into the item above)
    not_titles: frozenset[int] = frozenset()

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    def resolve(
        self, date_text: DateText, line: int, *, past: bool = False
    ) -> datetime.date | None:
        """The date meant (None, with a warning, for one that does not exist)."""
        try:
            date = date_text.resolve(self.date, past=past)
        except ValueError:
            self.warn(line, f"“{date_text.text}” is not a real date; left out")
            return None
        weekday = date_text.weekday
        if weekday is not None and date_text.weekday_mismatch(date):
            self.warn(
                line,
                f"“{date_text.text}”: {date:%-d %B %Y} is a {date:%A}, not a "
                f"{WEEKDAY_NAMES[weekday]}; kept the day number ({date:%-d %B %Y})",
            )
        return date


def split_dcs_only(text: str) -> tuple[str, bool]:
    """The text without a closing "(DCSs only)", and whether it had one."""
    marked = DCS_ONLY_RE.search(text)
    return (text[: marked.start()], True) if marked and marked.start() else (text, False)


def is_body_text(text: str) -> bool:
    """A line of prose (not a table cell, date or name): enough words, or a sentence."""
    if LABEL_RE.match(text):
        return True
    words = text.split()
    return len(words) >= 6 or (len(words) >= 3 and text.rstrip()[-1:] in ".!?:")
