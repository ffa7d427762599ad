"""The line reader every section's parser shares: a file's lines to blocks (paragraphs).

Whitespace is never structure. Tabs, non-breaking and zero-width spaces and runs of spaces are
one space; one blank line or five end a block alike; lines hard-wrapped at any width are joined
back into their paragraph. A break is a wrap when the next line's first word would not have fitted
on the line (so a short title above its first paragraph stays a title), and never before a line
that opens a block of its own (a bullet, a numbered point, a label, an e-mail address, a phone
number).
"""

import re
from collections import Counter
from dataclasses import dataclass

SPACES_RE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
INVISIBLE_RE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
OPENS_BLOCK_RE = re.compile(
    r"^(?:[•·▪◦*-]\s|\(?\d{1,2}[.)]\s|(?:Programme|Update|Action\s+Required)\s*:"
    r"|UPDATE\s+NO\b|\S+@\S+\.\S+$|(?:tel|telephone|phone|mobile|t|m)?\s*[:.]?\s*\+?[\d\s()-]{9,}$)",
    re.I,
)
COLUMNS_RE = re.compile(r"\S[ \t\u00a0]{3,}\S")  # a table's row: columns apart by runs of spaces
WRAP_SLACK = 3
WRAPPED_LINES_MAX = 100  # a file hard-wrapped wider than this is read as it is


@dataclass
class Block:
    line: int  # where it starts, 1-based
    text: str


def _next_row(previous, line):
    """Two rows of a table (columns apart by runs of spaces), the second starting a new row."""
    line = INVISIBLE_RE.sub("", line).strip(" \t\r\n")
    return bool(
        COLUMNS_RE.search(previous)
        and COLUMNS_RE.search(line)
        and line[:1].isalnum()
        and not line[:1].islower()
    )


def normalise(text: str) -> str:
    """One line as stored: invisible characters gone, every run of spaces one space."""
    return SPACES_RE.sub(" ", INVISIBLE_RE.sub("", text)).strip()


def read_blocks(lines: list[str], start: int = 0) -> list[Block]:
    """The blocks of lines[start:] (numbered from 1 as in the file)."""
    texts = [normalise(line) for line in lines]
    lengths = [
        len(INVISIBLE_RE.sub("", line).strip()) if text else 0
        for line, text in zip(lines, texts, strict=True)
    ]
    width = wrap_width(lengths)
    blocks, current = [], None
    for index in range(start, len(texts)):
        text = texts[index]
        if not text:
            current = None
            continue
        if current is not None and width and is_wrap(lines[index - 1], lines[index], width):
            current.text += " " + text
            continue
        current = Block(index + 1, text)
        blocks.append(current)
    return blocks


def wrap_width(lengths: list[int]) -> int:
    """The width the file was hard-wrapped at, or 0 when it was not (its lines run long).

    The longest length that two or more lines share: a single longer line (an address that
    could not be broken) does not count, and a width read a little short joins every true wrap.
    """
    lengths = [n for n in lengths if n]
    if len(lengths) < 5 or sum(n > WRAPPED_LINES_MAX for n in lengths) > len(lengths) * 0.02:
        return 0
    counts = Counter(n for n in lengths if n <= WRAPPED_LINES_MAX)
    shared = [n for n, count in counts.items() if count >= 2]
    if not shared:
        return 0
    width = max(shared)
    near = sum(n >= width - 15 for n in lengths)
    return width if near >= max(3, len(lengths) // 5) else 0


def is_wrap(previous: str, line: str, width: int) -> bool:
    """Whether a line is the rest of the one above, broken there only because it was full."""
    previous = INVISIBLE_RE.sub("", previous).strip(" \t\r\n")
    if OPENS_BLOCK_RE.match(normalise(line)) or _next_row(previous, line):
        return False
    # Its first word as the wrapping saw it: words joined by non-breaking spaces are one.
    first_word = re.split(r"[ \t]+", INVISIBLE_RE.sub("", line).strip(" \t"), maxsplit=1)[0]
    # WRAP_SLACK: the spaces dropped at the break may have been more than one.
    return len(previous) + 1 + len(first_word) > width - WRAP_SLACK
