"""The e-mail a reader gets: rendered once per edition and variant, addressed per reader.

The HTML is tables and inlined CSS (css-inline), with no scripts, no remote images and no
tracking; the text/plain part is the newsletter's own text shape.
"""

import functools
import secrets
from dataclasses import dataclass
from email.utils import parseaddr

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from ..export import update_as_text
from . import links

# Stand-ins for each reader's own links, put in after the edition is rendered once.
UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
PREFERENCES = "%%PREFERENCES_URL%%"

_inliner = css_inline.CSSInliner(keep_style_tags=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class Rendered:
    subject: str
    html: str
    text: str


MAIL_TEMPLATES = (
    "newsletters/mail/update.html",
    "newsletters/mail/item.html",
    "newsletters/mail/meeting.html",
    "newsletters/mail/update_footer.txt",
)


def load_for_sending() -> None:
    """Load what a copy is made with (templates, the site's URLs, the CSS inliner) before the
    worker's first edition."""
    from django.template.loader import get_template

    from . import sending  # noqa: F401  (and what it imports)

    for name in MAIL_TEMPLATES:
        get_template(name)
    reverse("subscribe")  # the site's URLs, which every copy's links are made from
    _inliner.inline("<style>p{margin:0}</style><p></p>")


def subject_of(issue) -> str:
    date = f" – {issue.date:%-d %B %Y}" if issue.date else ""
    return f"SESLIP Update {issue.number}{date}"


def render(issue, *, dcs: bool) -> Rendered:
    """The update as DCSs (`dcs`) or everyone else read it, with stand-ins for the links."""
    from ..views import issue_context

    context = issue_context(issue, dcs=dcs)
    online = reverse("issue_detail", args=[issue.number])
    context.update(
        online_url=links.absolute(online),
        sign_in_url=links.absolute(f"{reverse('login')}?{urlencode({'next': online})}"),
        subscribe_url=links.absolute(reverse("subscribe")),
        dcs_only_count=0 if dcs else dcs_only_count(issue),
        unsubscribe_url=UNSUBSCRIBE,
        preferences_url=PREFERENCES,
        subject=subject_of(issue),
    )
    html = _inliner.inline(render_to_string("newsletters/mail/update.html", context))
    text = update_as_text(issue, dcs=dcs) + render_to_string(
        "newsletters/mail/update_footer.txt", context
    )
    return Rendered(subject=subject_of(issue), html=html, text=text)


def dcs_only_count(issue) -> int:
    return issue.placements.filter(item__dcs_only=True).count()


@functools.lru_cache(maxsize=8)
def rendered_edition(edition_id: int, dcs: bool, issue_updated_at) -> Rendered:
    """One rendering per edition, variant and version of the update, kept by the worker."""
    from ..models import Issue

    return render(Issue.objects.get(edition__pk=edition_id), dcs=dcs)


def mail_domain() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def message_id(issue, subscriber) -> str:
    """The same for every attempt at one reader's copy of one update."""
    return f"<update-{issue.number}.reader-{subscriber.pk}@{mail_domain()}>"


def unsubscribe_mailto(subscriber) -> str:
    address = settings.UNSUBSCRIBE_MAILTO or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    query = urlencode({"subject": f"unsubscribe {links.reader_token(subscriber)}"})
    return f"mailto:{address}?{query}"


def personal(rendered: Rendered, subscriber) -> tuple[str, str]:
    unsubscribe, preferences = links.unsubscribe_url(subscriber), links.preferences_url(subscriber)
    html = rendered.html.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)
    text = rendered.text.replace(UNSUBSCRIBE, unsubscribe).replace(PREFERENCES, preferences)
    return html, text


def edition_message(rendered: Rendered, issue, subscriber) -> EmailMultiAlternatives:
    """One reader's copy, with the one-click unsubscribe headers of RFC 8058."""
    html, text = personal(rendered, subscriber)
    headers = {
        "Message-ID": message_id(issue, subscriber),
        "List-Id": f"SESLIP weekly update <update.{mail_domain()}>",
        "List-Unsubscribe": (
            f"<{links.unsubscribe_url(subscriber)}>, <{unsubscribe_mailto(subscriber)}>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(
        rendered.subject, text, settings.DEFAULT_FROM_EMAIL, [subscriber.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def test_message(rendered: Rendered, issue, address: str) -> EmailMultiAlternatives:
    """A test copy: marked as one, with links that lead to the subscription pages."""
    subscribe = links.absolute(reverse("subscribe"))
    html = rendered.html.replace(UNSUBSCRIBE, subscribe).replace(PREFERENCES, subscribe)
    text = rendered.text.replace(UNSUBSCRIBE, subscribe).replace(PREFERENCES, subscribe)
    headers = {"Message-ID": f"<update-{issue.number}.test-{secrets.token_hex(6)}@{mail_domain()}>"}
    message = EmailMultiAlternatives(
        f"[Test] {rendered.subject}", text, settings.DEFAULT_FROM_EMAIL, [address], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message
