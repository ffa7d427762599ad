"""Whatever HTML is pasted or posted, no script, style, event attribute or dangerous link survives."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsletters.html import ALLOWED_TAGS, ALLOWED_URL_SCHEMES, clean_html
from newsletters.models import NewsItem
from tests.examples import examples
from tests.factories import make_issue, make_item

DANGEROUS_TAGS = ["script", "style", "iframe", "object", "embed", "svg", "math", "img", "form"]
SAFE_TAGS = sorted(ALLOWED_TAGS) + ["div", "span", "h1", "table", "td", "font"]
EVENTS = ["onclick", "onerror", "onload", "onmouseover", "onfocus", "OnClIcK", "onanimationstart"]
BAD_SCHEMES = ["javascript:", "vbscript:", "data:text/html;base64,PHNjcmlwdD4=", "data:"]


def mixed_case(draw, word):
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if flip else c for c, flip in zip(word, flips, strict=True))


@st.composite
def bad_url(draw):
    scheme = draw(st.sampled_from(BAD_SCHEMES))
    scheme = mixed_case(draw, scheme)
    obfuscation = draw(st.sampled_from(["plain", "entities", "hex", "whitespace", "tab", "null"]))
    if obfuscation == "entities":
        scheme = "".join(f"&#{ord(c)};" for c in scheme)
    elif obfuscation == "hex":
        scheme = "".join(f"&#x{ord(c):x};" for c in scheme)
    elif obfuscation == "whitespace":
        scheme = "  " + scheme
    elif obfuscation == "tab":
        scheme = scheme[:3] + "&#9;" + scheme[3:]
    elif obfuscation == "null":
        scheme = scheme[:2] + "\x00" + scheme[2:]
    return scheme + draw(st.sampled_from(["alert(1)", "alert`1`", "//x", ""]))


@st.composite
def attribute(draw):
    kind = draw(st.sampled_from(["event", "href", "src", "style", "safe"]))
    quote = draw(st.sampled_from(['"', "'", ""]))
    if kind == "event":
        name, value = draw(st.sampled_from(EVENTS)), "alert(1)"
    elif kind in ("href", "src"):
        name, value = mixed_case(draw, kind), draw(bad_url())
    elif kind == "style":
        name, value = "style", "background:url(javascript:alert(1))"
    else:
        name, value = "title", draw(st.text(max_size=10))
    value = value.replace(quote, "") if quote else re.sub(r"[\s'\"<>=`]", "", value)
    return f" {name}={quote}{value}{quote}"


@st.composite
def element(draw, children):
    tag = draw(st.sampled_from(DANGEROUS_TAGS + SAFE_TAGS))
    tag = mixed_case(draw, tag)
    attributes = "".join(draw(st.lists(attribute(), max_size=3)))
    inner = "".join(draw(st.lists(children, max_size=3)))
    closing = draw(st.sampled_from([f"</{tag}>", "", f"</{tag} >"]))
    return f"<{tag}{attributes}>{inner}{closing}"


TEXT = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        [
            "alert(1)",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "<!-- <script>alert(1)</script> -->",
            "<![CDATA[<script>]]>",
            "<scr<script>ipt>alert(1)</script>",
            "</p><script>",
            "<",
            "&",
        ]
    ),
)
TAG_SOUP = st.recursive(TEXT, lambda children: element(children), max_leaves=12)
HTML = st.lists(TAG_SOUP, max_size=5).map("".join)


class Elements(HTMLParser):
    """The tags and attributes a browser would build from the HTML."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def url_scheme(url):
    """The scheme a browser reads (WHATWG URL): leading and trailing controls and spaces
    stripped, tabs and newlines removed anywhere; no valid scheme means a relative link."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


def assert_safe(markup):
    found = Elements(markup)
    assert set(found.tags) <= ALLOWED_TAGS, markup
    for _tag, name, value in found.attributes:
        assert not name.startswith("on"), markup
        assert name != "style", markup
        if name == "href":
            scheme = url_scheme(html.unescape(value))
            assert scheme is None or scheme in ALLOWED_URL_SCHEMES, markup
    assert "<script" not in markup.lower() and "<style" not in markup.lower(), markup


@given(HTML)
@settings(max_examples=examples(400), deadline=None)
def test_clean_html_never_lets_through_a_script_style_event_or_bad_link(markup):
    assert_safe(clean_html(markup))


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a href=" vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<p onclick="alert(1)">x</p>',
        "<sCrIpT>alert(1)</ScRiPt>",
        "<style>p{}</style>",
        '<iframe src="https://example.org"></iframe>',
    ],
)
def test_known_attacks_are_removed(markup):
    cleaned = clean_html(markup)
    assert_safe(cleaned)
    assert "alert" not in cleaned.lower() or "<a" not in cleaned


def test_the_newsletter_s_own_html_is_kept():
    markup = (
        '<p>Book <strong>now</strong>, <em>please</em>: <a href="https://example.org/x">here</a>.'
        "</p><ul><li>One</li></ul><ol><li>Two</li></ol>"
    )
    assert clean_html(markup) == markup.replace(
        'href="https://example.org/x"', 'href="https://example.org/x" rel="noopener noreferrer"'
    )


ATTACK = (
    '<p>Hello<script>alert(1)</script></p><p onclick="alert(2)">x</p>'
    '<a href="javascript:alert(3)">link</a><style>p{}</style>'
    '<img src=x onerror="alert(4)"><iframe src="https://example.org"></iframe>'
)


def item_form(item, **fields):
    data = {
        "title": item.title,
        "update_text": item.update_text,
        "action_text": item.action_text,
        "seen_updated_at": item.updated_at.isoformat(),
        "actions-TOTAL_FORMS": 0,
        "actions-INITIAL_FORMS": 0,
    }
    return data | fields


def test_html_posted_through_the_admin_is_stored_clean_and_shown_without_script(client, editor):
    issue = make_issue(349)
    item = make_item(issue, "Regional news")
    client.force_login(editor)
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    response = client.post(url, item_form(item, update_text=ATTACK, action_text=ATTACK))
    assert response.status_code == 302, response.content
    item = NewsItem.objects.get(pk=item.pk)
    for stored in (item.update_text, item.action_text):
        assert_safe(stored)
        assert "alert" not in stored
        assert "<p>Hello</p>" in stored
    page = client.get(issue.get_absolute_url()).text
    assert "alert(" not in page
    assert "onclick" not in page and "javascript:" not in page


def test_html_saved_in_code_is_cleaned_too(db):
    item = NewsItem.objects.create(title="x", update_text=ATTACK, action_text=ATTACK)
    item.refresh_from_db()
    assert "alert" not in item.update_text + item.action_text


def test_a_restored_earlier_version_is_cleaned_again(db):
    item = NewsItem.objects.create(title="x", update_text="<p>first</p>")
    item.update_text = "<p>second</p>"
    item.save()
    earlier = item.history.earliest()
    type(earlier).objects.filter(pk=earlier.pk).update(update_text=ATTACK)  # a tampered row
    earlier.refresh_from_db()
    earlier.instance.save()
    item.refresh_from_db()
    assert "alert" not in item.update_text


@given(HTML)
@settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_anything_posted_through_the_admin_form_is_stored_safe(admin_client, markup):
    markup = markup.replace("\x00", "")  # the form refuses null characters with a message
    item = NewsItem.objects.create(title="Regional news")
    url = reverse("admin:newsletters_newsitem_change", args=[item.pk])
    response = admin_client.post(url, item_form(item, update_text=markup, action_text=markup))
    assert response.status_code == 302
    item.refresh_from_db()
    assert_safe(item.update_text)
    assert_safe(item.action_text)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        (" javascript:x", "javascript"),
        ("java\tscript:x", "javascript"),
        ("\x01JavaScript:x", "javascript"),
        ("da\x00ta:x", None),
        ("da\ufffdta:x", None),
        ("/relative:x", None),
        ("https://example.org", "https"),
    ],
)
def test_the_test_reads_schemes_as_a_browser_does(url, scheme):
    assert url_scheme(url) == scheme
