"""What a published update printed, and what has changed since.

When an update is published (or imported), the facts it printed about the meetings, triads and
contacts it lists, and its news items' title and text, are kept with its listings:
`IssueMeeting.printed`, `IssueContact.printed`, `Placement.printed` and `Issue.printed_triads`.
The update's page shows those, and beside any fact that has changed since says so ("since moved
to Friday 15 January 2027") with a link to the current record (an item's: its own page). A
listing without kept facts (a draft's) shows the current record.
"""

import copy
import datetime

from django.urls import reverse


def _day(value):
    return value.isoformat() if value else None


def _time(value):
    return value.strftime("%H:%M") if value else None


def meeting_facts(*, date, start_time, end_time, status) -> dict:
    return {
        "date": _day(date),
        "start_time": _time(start_time),
        "end_time": _time(end_time),
        "status": status,
    }


def facts_of_meeting(meeting) -> dict:
    return meeting_facts(
        date=meeting.date,
        start_time=meeting.start_time,
        end_time=meeting.end_time,
        status=meeting.status,
    )


def triad_facts(*, date, status, candidate_dates, members) -> dict:
    return {
        "date": _day(date),
        "status": status,
        "candidate_dates": [
            _day(d) if isinstance(d, datetime.date) else d for d in candidate_dates
        ],
        "members": [getattr(member, "name", member) for member in members],
    }


def facts_of_triad(triad) -> dict:
    members = [membership.authority for membership in triad.memberships.all()]
    return triad_facts(
        date=triad.date,
        status=triad.status,
        candidate_dates=triad.candidate_dates,
        members=members,
    )


def facts_of_contact(contact) -> dict:
    return {"email": contact.email, "phone": contact.phone}


def _read_day(value):
    return datetime.date.fromisoformat(value) if value else None


def _read_time(value):
    return datetime.time.fromisoformat(value) if value else None


def long_date(day):
    return f"{day:%A %-d %B %Y}"


def meeting_as_printed(listing):
    """The listing's meeting as the update printed it, with `since` and `current_url` set when
    it has changed since."""
    meeting, printed = listing.meeting, listing.printed
    if not printed:
        return meeting
    shown = copy.copy(meeting)
    shown.date = _read_day(printed["date"])
    shown.start_time = _read_time(printed["start_time"])
    shown.end_time = _read_time(printed["end_time"])
    shown.status = printed["status"]
    shown.since = meeting_since(shown, meeting)
    if shown.since:
        url = reverse("network_detail", args=[meeting.network.slug])
        shown.current_url = f"{url}#meeting-{meeting.pk}"
    return shown


def meeting_since(printed, current):
    if current.status == current.Status.CANCELLED and printed.status != current.status:
        return "since cancelled"
    moved = (printed.date, printed.start_time) != (current.date, current.start_time)
    if moved and current.date:
        time = f", {current.start_time:%H:%M}" if current.start_time else ""
        return f"since moved to {long_date(current.date)}{time}"
    if moved:
        return "since moved: the date is to be fixed"
    if printed.status != current.status:
        return f"since {current.get_status_display().lower()}"
    return ""


def triad_as_printed(triad, printed):
    """The triad as the update printed it (`printed` from Issue.printed_triads, or None)."""
    if not printed:
        return triad
    shown = copy.copy(triad)
    shown.date = _read_day(printed["date"])
    shown.status = printed["status"]
    shown.candidate_dates = printed["candidate_dates"]
    shown.printed_members = printed["members"]
    shown.since = triad_since(shown, triad, printed["members"])
    if shown.since:
        shown.current_url = f"{reverse('peer_challenge')}#round-{triad.round.slug}"
    return shown


def triad_since(printed, current, printed_members):
    if current.status == current.Status.CANCELLED and printed.status != current.status:
        return "since cancelled"
    if printed.date != current.date and current.date:
        verb = "rearranged for" if current.status == current.Status.REARRANGED else "moved to"
        return f"since {verb} {current.date:%-d %B %Y}"
    if printed.date != current.date or printed.status != current.status:
        return f"since {current.get_status_display().lower()}"
    members = [membership.authority.name for membership in current.memberships.all()]
    if members != printed_members:
        return "its authorities have since changed"
    return ""


def contact_as_printed(listing):
    """The listing's contact with the e-mail and telephone the update printed."""
    contact, printed = listing.contact, listing.printed
    if not printed:
        return contact
    shown = copy.copy(contact)
    shown.email, shown.phone = printed["email"], printed["phone"]
    if (shown.email, shown.phone) != (contact.email, contact.phone):
        shown.since = "details since changed"
        shown.current_url = f"{reverse('contact_list')}#{contact.anchor}"
    return shown


ITEM_TEXT = ("title", "update_text", "action_text")


def facts_of_item(item) -> dict:
    return {name: getattr(item, name) for name in ITEM_TEXT}


def item_as_printed(placement):
    """The placement's item with the title and text the update printed; `since` and
    `current_url` (the item's own page) are set when the item's text has been edited since (its
    other updates print it as it is now). The one definition of an item's printed text: the
    update's page, its e-mail edition, its text export and the feeds all read it here."""
    item, kept = placement.item, placement.printed
    if not kept:
        return item
    shown = copy.copy(item)
    for name in ITEM_TEXT:
        setattr(shown, name, kept.get(name, getattr(item, name)))
    if facts_of_item(shown) != facts_of_item(item):
        shown.since = "its text has been updated since"
        shown.current_url = reverse("item_detail", args=[item.pk])
    return shown
