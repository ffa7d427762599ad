"""Updates saved from a mail client or a browser: an e-mail (.eml) or a web page (.html) to the
plain text the parser reads. Links are kept as [text](address), which the loader stores as links.
"""

import email
import re
from email import policy
from html.parser import HTMLParser

from newsletters.links import link_text

BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "section", "article", "blockquote", "hr", "header", "footer", "main", "center", "dl", "dt",
    "dd", "pre", "address", "figure", "figcaption",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}
LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")


class EmailWithoutText(ValueError):
    """An e-mail with neither a text/plain nor a text/html part."""


def text_of_email(data: bytes) -> str:
    """The update an e-mail carries: its text/plain part, else its text/html part as text."""
    message = email.message_from_bytes(data, policy=policy.default)
    part = message.get_body(preferencelist=("plain",))
    if part is not None:
        return part.get_content()
    part = message.get_body(preferencelist=("html",))
    if part is None:
        raise EmailWithoutText("the e-mail has no text or HTML part to read the update from")
    return text_of_html(part.get_content())


def text_of_html(markup: str) -> str:
    """A web page's text: one block (paragraph, heading, list item, table row) a paragraph."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    parser.end_block()
    return "\n\n".join(parser.blocks) + "\n"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.links: list[tuple[str, int]] = []  # (address, where its text starts in current)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.end_block()
            if tag == "li":
                self.current.append("• ")
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.links.append((href if href.startswith(LINK_SCHEMES) else "", len(self.current)))
        elif tag in ("td", "th"):
            self.current.append("   ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.end_block()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            raw = "".join(self.current[start:])
            text = _inline(raw).strip()
            if href and text:
                lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]
                self.current[start:] = [lead, link_text(text, href), trail]

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def end_block(self) -> None:
        text = _inline("".join(self.current)).strip()
        if text and text != "•":
            self.blocks.append(text)
        self.current, self.links = [], []


def _inline(text):
    """Whitespace as a browser shows it: runs of spaces and line breaks are one space (the
    non-breaking spaces stay, for the reader to treat as it treats them in any file)."""
    return re.sub(r"[ \t\r\n\f]+", " ", text)
