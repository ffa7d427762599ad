"""Reading an archive file: bytes to lines, with clear errors for what is not text."""

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .formats import EmailWithoutText, text_of_email, text_of_html

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


class ImportFailure(Exception):
    """A file that cannot be imported: the message names the line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class SourceText:
    name: str
    sha256: str
    lines: list[str]


READABLE_SUFFIXES = (".txt", ".eml", ".html", ".htm")


def read_update(path: str | Path) -> SourceText:
    """The file's lines (BOM, CRLF/CR and zero-width characters dealt with) and its hash. An
    e-mail (.eml) or a web page (.html) is read as the text it shows."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFailure(f"cannot read the file ({error.strerror})") from None
    return decode_update(data, name=path.name)


def decode_update(data: bytes, *, name: str) -> SourceText:
    suffix = Path(name).suffix.lower()
    if suffix == ".eml":
        try:
            text = text_of_email(data)
        except (EmailWithoutText, LookupError, UnicodeError) as error:
            raise ImportFailure(f"the e-mail cannot be read as an update: {error}") from None
        return _source(text, data, name)
    if suffix in (".html", ".htm"):
        return _source(
            text_of_html(_decode_text(data, charset=_declared_charset(data))), data, name
        )
    return _source(_decode_text(data), data, name)


def _declared_charset(data):
    """The charset a web page declares (<meta charset=…>), if Python knows it."""
    match = re.search(rb"""charset=["']?([A-Za-z0-9_-]+)""", data[:4096])
    if not match:
        return "utf-8-sig"
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return "utf-8-sig"


def _source(text, data, name):
    lines = [line.strip(ZERO_WIDTH) for line in re.split(r"\r\n|\r|\n", text)]
    return SourceText(name=name, sha256=hashlib.sha256(data).hexdigest(), lines=lines)


def _decode_text(data, charset="utf-8-sig"):
    try:
        text = data.decode("utf-8-sig" if charset == "utf-8" else charset)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFailure(
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read); "
            "save it as UTF-8 and import it again",
            line,
        ) from None
    if "\x00" in text:
        raise ImportFailure(
            "the file is binary, not text", text.count("\n", 0, text.index("\x00")) + 1
        )
    return text


def clean(line: str) -> str:
    """A line without surrounding whitespace (non-breaking spaces included); inside untouched."""
    return line.strip().strip(ZERO_WIDTH).strip()


def is_blank(line: str) -> bool:
    return not clean(line)


def key(text: str) -> str:
    """One spelling for matching titles and names: case and whitespace ignored."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def squash(text: str) -> str:
    """Runs of whitespace to one space, for short fields (titles, names, roles)."""
    return re.sub(r"[ \t]+", " ", clean(text))
