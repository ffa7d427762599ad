"""Links in plain text, as the exporter writes them: [the link's text](its address)."""

import html
import re

LINK_RE = re.compile(r"\[(?P<text>[^\[\]\n]+)\]\((?P<url>(?:https?|mailto|tel):[^\s()]+)\)")


def links_to_html(escaped: str) -> str:
    """[text](address) in already-escaped text to links."""
    return LINK_RE.sub(
        lambda m: f'<a href="{html.escape(html.unescape(m["url"]))}">{m["text"]}</a>', escaped
    )


def link_text(text: str, url: str) -> str:
    return f"[{text}]({url})"
