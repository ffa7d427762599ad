"""Writes that span several records, each in one transaction: all of it happens, or none."""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import Contact
from networks.models import Meeting

from . import printed
from .models import (
    Action,
    ActionResponse,
    Issue,
    IssueContact,
    IssueMeeting,
    IssueResource,
    NewsItem,
    Placement,
)
from .responses import progress_lines

WEEK = datetime.timedelta(days=7)
REMINDER_LOOKBACK = 4  # how many recent updates reminders are gathered from


@transaction.atomic
def start_next_update(*, after: Issue, by: AbstractBaseUser) -> Issue:
    """Create the draft of the update after `after`, ready for the week's headline items.

    It is dated a week after `after`, keeps its opening text, carries forward as reminders the
    items that still ask readers to act, carries over the Tools & Templates and the Contact
    Details in order, and lists the network meetings from its date on.
    """
    number = after.number + 1
    if Issue.objects.filter(number=number).exists():
        raise ValidationError(
            f"Update {number} already exists, so it was not started again: open it instead."
        )
    if after.date is None:
        raise ValidationError(
            f"Update {after.number} has no date, so the next update's date cannot be worked "
            "out: give it a date first."
        )
    draft = Issue(
        number=number,
        date=after.date + WEEK,
        intro=after.intro,
        improvement_plan=after.improvement_plan,
    )
    draft._history_user = by  # type: ignore[attr-defined]  # its history says who started it, with or without a request
    draft.save()
    carry_reminders(after, draft, by=by)
    carry_resources(after, draft)
    carry_contacts(after, draft)
    list_upcoming_meetings(after, draft)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[draft],
        action_flag=ADDITION,
        change_message=f"Started from {after}.",
        single_object=True,
    )
    return draft


def reminder_items(after: Issue, on: datetime.date) -> list[int]:
    """The items to remind readers of in the update dated `on`, in the order they last ran.

    An item is carried when it was a headline of `after`, or when it ran in one of the last
    REMINDER_LOOKBACK updates and still has an action open on `on` (not closed, not past due),
    or an open action that some authority it is addressed to has not answered yet.
    """
    latest = Issue.objects.filter(number__lte=after.number).order_by("-number")
    recent = list(latest.values_list("pk", flat=True)[:REMINDER_LOOKBACK])
    owed = ActionResponse.objects.outstanding().filter(action=OuterRef("pk"))
    still_open = Action.objects.open().filter(
        Q(due_date__isnull=True) | Q(due_date__gte=on) | Q(Exists(owed)), item=OuterRef("item_id")
    )
    placements = (
        Placement.objects.filter(issue__in=recent)
        .filter(Q(Exists(still_open)) | Q(issue=after, section=Placement.Section.HEADLINE))
        .order_by("-issue__number", "section", "position", "pk")
    )
    items: dict[int, None] = {}
    for placement in placements:
        items.setdefault(placement.item_id, None)
    return list(items)


def carry_reminders(after: Issue, draft: Issue, *, by: AbstractBaseUser) -> None:
    """The reminders go in with a history row each, as placements an editor adds one by one do,
    each with its addressed actions' progress from the responses (“Done so far: …”)."""
    items = reminder_items(after, cast(datetime.date, draft.date))
    progress = progress_lines(items)
    reminders = [
        Placement(
            issue=draft,
            item_id=item_id,
            section=Placement.Section.REMINDER,
            position=n,
            progress=progress.get(item_id, ""),
        )
        for n, item_id in enumerate(items)
    ]
    bulk_create_with_history(reminders, Placement, default_user=by)


def carry_resources(after: Issue, draft: Issue) -> None:
    IssueResource.objects.bulk_create(
        IssueResource(issue=draft, resource_id=listing.resource_id, position=listing.position)
        for listing in after.resource_listings.order_by("position", "pk")
    )


def carry_contacts(after: Issue, draft: Issue) -> None:
    IssueContact.objects.bulk_create(
        IssueContact(
            issue=draft,
            contact_id=listing.contact_id,
            position=listing.position,
            role=listing.role,
            organisation_name=listing.organisation_name,
        )
        for listing in after.contact_listings.order_by("position", "pk")
    )


def list_upcoming_meetings(after: Issue, draft: Issue) -> None:
    """The meetings from the draft's date on; a line printed last week is kept as it was."""
    printed = dict(after.meeting_listings.values_list("meeting_id", "text"))
    IssueMeeting.objects.bulk_create(
        IssueMeeting(issue=draft, meeting=meeting, position=n, text=printed.get(meeting.pk, ""))
        for n, meeting in enumerate(Meeting.objects.upcoming(draft.date))
    )


@transaction.atomic
def list_named_contacts(*, issue: Issue) -> list[Contact]:
    """Add to the draft's Contact Details everyone its items name who is not listed yet.

    The list stays the editor's: nobody is removed, and those already listed keep their place.
    Published updates are left as they were printed. Returns the contacts added.
    """
    if issue.published_at is not None:
        return []
    listed = set(issue.contact_listings.values_list("contact_id", flat=True))
    named = (
        Contact.objects.filter(news_items__placements__issue=issue)
        .exclude(pk__in=listed)
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )
    start = issue.contact_listings.aggregate(last=Max("position"))["last"]
    start = -1 if start is None else start
    added = list(named)
    IssueContact.objects.bulk_create(
        IssueContact(
            issue=issue,
            contact=contact,
            position=start + n,
            role=contact.role,
            organisation_name=contact.organisation.name if contact.organisation else "",
        )
        for n, contact in enumerate(added, start=1)
    )
    return added


def placements_of_version(version: Any) -> dict[int, tuple[str, int]]:
    """{item id: (section, position)} of the update's news items while `version` (a row of its
    history) was its latest: placements are saved just after the update's own fields, so that is
    up to the next row of its history, or now. Placements made without history are not known."""
    later = Issue.history.filter(id=version.id, history_date__gt=version.history_date)
    until = later.order_by("history_date").values_list("history_date", flat=True).first()
    moment = until - datetime.timedelta(microseconds=1) if until else timezone.now()
    then = Placement.history.as_of(moment).filter(issue_id=version.id)
    return {p.item_id: (p.section, p.position) for p in then}


@transaction.atomic
def restore_placements(*, issue: Issue, version: Any, by: AbstractBaseUser) -> dict[str, int]:
    """Put the update's news items back as they were at `version` of it: taken out if added since,
    put back if taken out since (and the item still exists), in their section and order then.
    Placements with no history at all (bulk-loaded) are left as they are. Returns the counts."""
    then = placements_of_version(version)
    recorded = set(Placement.history.filter(issue_id=issue.pk).values_list("id", flat=True))
    current = {p.item_id: p for p in issue.placements.all()}
    existing = set(NewsItem.objects.filter(pk__in=then).values_list("pk", flat=True))
    counts = {"put back": 0, "taken out": 0, "moved": 0, "gone": len(set(then) - existing)}
    for item_id, placement in current.items():
        if item_id not in then and placement.pk in recorded:
            placement._history_user = by
            placement.delete()
            counts["taken out"] += 1
    for item_id, (section, position) in then.items():
        known = current.get(item_id)
        if item_id not in existing:
            continue  # deleted since: counted as gone
        if known is None:
            placement, change = Placement(issue=issue, item_id=item_id), "put back"
        elif (known.section, known.position) != (section, position):
            placement, change = known, "moved"
        else:
            continue
        placement.section, placement.position = section, position
        placement._history_user = by
        placement.save()
        counts[change] += 1
    return counts


@transaction.atomic
def freeze_printed_record(*, issue: Issue) -> None:
    """Keep what the update prints about its meetings, triads and contacts, and its items' text,
    where not kept yet: from then on its page shows those as printed, and notes any change since."""
    items = issue.placements.filter(printed__isnull=True).select_related("item")
    for placement in items:
        placement.printed = printed.facts_of_item(placement.item)
    bulk_update_with_history(items, Placement, ["printed"])  # the placements' history has it
    meetings = issue.meeting_listings.filter(printed__isnull=True).select_related("meeting")
    lines_then = lines_printed_before(issue, meetings)
    for listing in meetings:
        listing.printed = printed.facts_of_meeting(listing.meeting)
        if lines_then.get((listing.meeting_id, listing.text), listing.printed) != listing.printed:
            listing.text = ""  # a line carried from last week about other facts: print these
    IssueMeeting.objects.bulk_update(meetings, ["printed", "text"])
    contacts = issue.contact_listings.filter(printed__isnull=True).select_related("contact")
    for entry in contacts:
        entry.printed = printed.facts_of_contact(entry.contact)
    IssueContact.objects.bulk_update(contacts, ["printed"])
    triads = issue.triads.exclude(pk__in=[int(pk) for pk in issue.printed_triads])
    new = {str(t.pk): printed.facts_of_triad(t) for t in triads.with_memberships()}
    if new:
        issue.printed_triads = {**issue.printed_triads, **new}
        Issue.objects.filter(pk=issue.pk).update(printed_triads=issue.printed_triads)


def lines_printed_before(
    issue: Issue, listings: Iterable[IssueMeeting]
) -> dict[tuple[int, str], dict | None]:
    """{(meeting id, line): the facts it was printed with} of the lines these meeting listings
    carry from earlier updates (starting next week's update keeps last week's line). A line
    printed with other facts than the meeting has now no longer says what this update prints."""
    listed = {listing.meeting_id: listing.text for listing in listings if listing.text}
    earlier = (
        IssueMeeting.objects.filter(meeting_id__in=listed, printed__isnull=False)
        .exclude(issue=issue)
        .order_by("issue__number")
        .values_list("meeting_id", "text", "printed")
    )
    return {(meeting, text): facts for meeting, text, facts in earlier if listed[meeting] == text}


@transaction.atomic
def publish_update(*, issue: Issue, at: datetime.datetime | None = None) -> None:
    """Publish the update (now, or at `at`) and keep what it prints as printed."""
    issue.publish(at)
    freeze_printed_record(issue=issue)
