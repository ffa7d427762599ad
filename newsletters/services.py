"""Writes that span several records, each in one transaction: all of it happens, or none."""

import datetime

from django.contrib.admin.models import ADDITION, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from simple_history.utils import bulk_create_with_history

from contacts.models import Contact
from networks.models import Meeting

from .models import Action, Issue, IssueContact, IssueMeeting, IssueResource, Placement

WEEK = datetime.timedelta(days=7)
REMINDER_LOOKBACK = 4  # how many recent updates reminders are gathered from


@transaction.atomic
def start_next_update(*, after, by):
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
    draft._history_user = by  # its history says who started it, with or without a request
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


def reminder_items(after, on):
    """The items to remind readers of in the update dated `on`, in the order they last ran.

    An item is carried when it was a headline of `after`, or when it ran in one of the last
    REMINDER_LOOKBACK updates and still has an action open on `on` (not closed, not past due).
    """
    recent = Issue.objects.filter(number__lte=after.number).order_by("-number")
    recent = list(recent.values_list("pk", flat=True)[:REMINDER_LOOKBACK])
    still_open = Action.objects.open().filter(
        Q(due_date__isnull=True) | Q(due_date__gte=on), item=OuterRef("item_id")
    )
    placements = (
        Placement.objects.filter(issue__in=recent)
        .filter(Q(Exists(still_open)) | Q(issue=after, section=Placement.Section.HEADLINE))
        .order_by("-issue__number", "section", "position", "pk")
    )
    items = {}
    for placement in placements:
        items.setdefault(placement.item_id, None)
    return list(items)


def carry_reminders(after, draft, *, by):
    """The reminders go in with a history row each, as placements an editor adds one by one do."""
    reminders = [
        Placement(issue=draft, item_id=item_id, section=Placement.Section.REMINDER, position=n)
        for n, item_id in enumerate(reminder_items(after, draft.date))
    ]
    bulk_create_with_history(reminders, Placement, default_user=by)


def carry_resources(after, draft):
    IssueResource.objects.bulk_create(
        IssueResource(issue=draft, resource_id=listing.resource_id, position=listing.position)
        for listing in after.resource_listings.order_by("position", "pk")
    )


def carry_contacts(after, draft):
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


def list_upcoming_meetings(after, draft):
    """The meetings from the draft's date on; a line printed last week is kept as it was."""
    printed = dict(after.meeting_listings.values_list("meeting_id", "text"))
    IssueMeeting.objects.bulk_create(
        IssueMeeting(issue=draft, meeting=meeting, position=n, text=printed.get(meeting.pk, ""))
        for n, meeting in enumerate(Meeting.objects.upcoming(draft.date))
    )


@transaction.atomic
def list_named_contacts(*, issue):
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
