"""The records an archive holds, as plain data: what the export → import round trip must keep."""

from contacts.models import Contact, Organisation
from networks.models import Meeting, Network, PeerChallengeRound, Triad
from newsletters import printed
from newsletters.html import clean_html
from newsletters.models import Issue, NewsItem, Resource

# What the exported text has no printed form for, so the round trip cannot keep (the newsletter
# never printed them, and the text would have to invent a syntax):
# - an update's publication time (an import publishes it at 9:00 on its date);
# - an action's audience, whom it is addressed to, whether it is closed, and an action with no
#   due date (only a dated sentence reads as an action); an action's contact is the person its
#   sentence names ("please contact Mark Evans (details below) by 12 November"), and its position
#   is its order in the text (the numbers themselves are not printed);
# - an item's networks (the networks its text names that the archive already knows);
# - a meeting's place and notes (a listing line says online or not, never where);
# - a triad's notes.


def archive_records():
    """Every update's records by number: every field the text prints. The update's date, intro
    and improvement plan; each item's section, order, "Done so far" line, title and texts (as they
    are now, and as the update printed them), whether it is for DCSs only, the people and
    authorities it names, and its dated actions in order with their contact; each meeting
    listing's line and what it says (network, date, start and end time, status, topic, online or
    not, the person to ask); the triads' members in order, dates and status; each Tools &
    Templates entry's title, publisher, date, address, description and whether it is for DCSs
    only; each contact's line."""
    return {issue.number: issue_records(issue) for issue in Issue.objects.order_by("number")}


def issue_records(issue):
    return {
        "date": issue.date,
        "intro": issue.intro,
        "improvement_plan": issue.improvement_plan,
        "items": [
            _item(p)
            for p in issue.placements.select_related("item").order_by("section", "position")
        ],
        "meetings": [
            _meeting(listing)
            for listing in issue.meeting_listings.select_related(
                "meeting__network", "meeting__contact"
            ).order_by("position")
        ],
        "triads": sorted(
            (
                t.round.name,
                t.number,
                [m.authority.name for m in t.memberships.select_related("authority")],
                t.date,
                t.candidate_dates,
                t.status,
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
                r.resource.dcs_only,
            )
            for r in issue.resource_listings.select_related("resource").order_by("position")
        ],
        "contacts": [
            (c.contact.name, c.role, c.organisation_name, c.contact.email.lower(), c.contact.phone)
            for c in issue.contact_listings.select_related("contact").order_by("position")
        ],
    }


def _item(placement):
    item = placement.item
    actions = item.actions.filter(due_date__isnull=False).select_related("contact")
    return (
        placement.section,
        placement.progress,
        item.title,
        clean_html(item.update_text),
        clean_html(item.action_text),
        as_printed(placement),
        item.dcs_only,
        sorted(c.name for c in item.contacts.all()),
        sorted(a.name for a in item.authorities.all()),
        [
            (a.description, a.due_date, a.contact.name if a.contact else "")
            for a in actions.order_by("position", "pk")
        ],
    )


def as_printed(placement):
    """The item's title and texts as the update printed them."""
    item = printed.item_as_printed(placement)
    return (item.title, clean_html(item.update_text), clean_html(item.action_text))


def _meeting(listing):
    meeting = listing.meeting
    return (
        listing.text,
        meeting.network.name,
        meeting.date,
        meeting.start_time,
        meeting.end_time,
        meeting.status,
        meeting.topic,
        meeting.online,
        meeting.contact.name if meeting.contact else "",
    )


def empty_archive():
    """Everything an import writes, gone: the database as before the first import."""
    Issue.objects.all().delete()
    for model in (NewsItem, Resource, Meeting, Triad, PeerChallengeRound, Network, Contact):
        model.objects.all().delete()
    Organisation.objects.exclude(kind=Organisation.Kind.LOCAL_AUTHORITY).delete()
