"""The one place that decides what HTML may reach a page: what the newsletter uses, nothing else."""

import html

import nh3

from .links import links_to_html

ALLOWED_TAGS = {"p", "br", "a", "ul", "ol", "li", "strong", "b", "em", "i"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# What the admin's rich-text editor offers: the same few things, so nothing it makes is stripped.
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
}


def clean_html(text):
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def paragraphs_to_html(paragraphs):
    """Plain-text paragraphs (as the archive has them) to HTML: '•' lines become a list."""
    out, bullets = [], []

    def flush():
        if bullets:
            out.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
            bullets.clear()

    for para in paragraphs:
        text = para.strip()
        if not text:
            continue
        if text.startswith("•"):
            bullets.append(links_to_html(html.escape(text.lstrip("• ").strip(), quote=False)))
            continue
        flush()
        out.append(f"<p>{links_to_html(html.escape(text, quote=False))}</p>")
    flush()
    return "".join(out)


def html_to_text(markup):
    """Plain text of stored HTML, for search and deadline extraction."""
    return html.unescape(nh3.clean(markup or "", tags=set()).strip())
