"""The records an archive holds, as plain data: what the export → import round trip must keep."""

from contacts.models import Contact, Organisation
from networks.models import Meeting, Network, PeerChallengeRound, Triad
from newsletters import printed
from newsletters.html import clean_html
from newsletters.models import Issue, NewsItem, Resource


def archive_records(*, printed_only=False):
    """Every update's records by number. `printed_only`: only what an update's text prints (a
    generated archive also holds what no text says: a meeting's end time and whether it is
    online, closed and undated actions, DCS-only flags, places). Every field the text prints is
    compared: the update's date, intro and improvement plan; each item's section, order, title
    and texts (as they are now, and as the update printed them) and dated actions; each meeting
    listing's line and what it says (network, date, start time, status, topic, the person to
    ask); the triads' members and dates; each Tools & Templates entry's title, publisher, date,
    address and description; each contact's line."""
    return {
        issue.number: issue_records(issue, printed_only=printed_only)
        for issue in Issue.objects.order_by("number")
    }


def issue_records(issue, *, printed_only):
    return {
        "date": issue.date,
        "intro": issue.intro,
        "improvement_plan": issue.improvement_plan,
        "items": [
            (
                p.section,
                p.item.title,
                clean_html(p.item.update_text),
                clean_html(p.item.action_text),
                as_printed(p),
                sorted(
                    (a.description, a.due_date)
                    for a in p.item.actions.filter(due_date__isnull=False)
                ),
            )
            for p in issue.placements.select_related("item").order_by("section", "position")
        ],
        "meetings": [
            _meeting(listing, printed_only=printed_only)
            for listing in issue.meeting_listings.select_related(
                "meeting__network", "meeting__contact"
            ).order_by("position")
        ],
        "triads": sorted(
            (
                t.round.name,
                t.number,
                sorted(m.name for m in t.members.all()),
                t.date,
                t.candidate_dates,
            )
            for t in issue.triads.select_related("round")
        ),
        "resources": [
            (
                r.resource.title,
                r.resource.publisher,
                r.resource.published_on,
                r.resource.url,
                r.resource.description,
            )
            for r in issue.resource_listings.select_related("resource").order_by("position")
        ],
        "contacts": [
            (c.contact.name, c.role, c.organisation_name, c.contact.email.lower(), c.contact.phone)
            for c in issue.contact_listings.select_related("contact").order_by("position")
        ],
    }


def as_printed(placement):
    """The item's title and texts as the update printed them."""
    item = printed.item_as_printed(placement)
    return (item.title, clean_html(item.update_text), clean_html(item.action_text))


def _meeting(listing, *, printed_only):
    meeting = listing.meeting
    printed = (
        listing.text,
        meeting.network.name,
        meeting.date,
        meeting.start_time,
        meeting.status,
        meeting.topic,
        meeting.contact.name if meeting.contact else "",
    )
    if printed_only:
        return printed
    return printed + (meeting.end_time, meeting.online)


def empty_archive():
    """Everything an import writes, gone: the database as before the first import."""
    Issue.objects.all().delete()
    for model in (NewsItem, Resource, Meeting, Triad, PeerChallengeRound, Network, Contact):
        model.objects.all().delete()
    Organisation.objects.exclude(kind=Organisation.Kind.LOCAL_AUTHORITY).delete()
