"""Feeds: Atom and RSS 2.0 for the published updates, iCalendar for meetings and deadlines.

The public feeds are for everyone: they never carry “DCSs only” material; a DCS's own feeds
(newsletters/personal_feeds.py) do, at addresses with a secret of their own. Calendar events have stable UIDs
(meeting-<pk>@seslip, action-<pk>@seslip) so a subscribed calendar updates them in place, and
times are in Europe/London with its VTIMEZONE so summer time is right in Outlook and Google.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html, format_html_join

from networks.models import Meeting, Network
from seslip.lib.pagecache import public_page
from seslip.lib.roles import is_dcs

from . import ical
from .html import html_to_text
from .models import Action, Issue
from .printed import item_as_printed

FEED_ISSUES = 20
DEFAULT_MEETING_LENGTH = datetime.timedelta(hours=1)
EVENT_STATUS = {Meeting.Status.CANCELLED: "CANCELLED", Meeting.Status.TBC: "TENTATIVE"}
# A subscribed calendar needs what is coming and the recent past, not decades of archive: this
# keeps the feed small (and its render time flat) however large the archive grows.
CALENDAR_HISTORY = datetime.timedelta(days=365)
CALENDAR_MAX_EVENTS = 1000


def last_edited_by_someone():
    """When an editor last saved the update: imports and scripts record no one."""
    edits = Issue.history.filter(id=OuterRef("pk"), history_user__isnull=False)
    return Subquery(edits.order_by("-history_date").values("history_date")[:1])


class IssueFeed(Feed):
    """Each entry leads with the update's headlines as it printed them, linked to their place in
    the update; its id is the update's address; it was updated when published or last edited
    since."""

    feed_type = Atom1Feed
    title = "SESLIP updates"
    subtitle = "The weekly update of the South East Sector-Led Improvement Programme."
    description = subtitle

    def link(self):
        return reverse("issue_list")

    dcs = False  # the public feed: never “DCSs only” items

    def get_object(self, request, *args, **kwargs):
        return request  # handed to items(), which links the headlines from the request's site

    def items(self, request):
        issues = list(
            Issue.objects.published()
            .annotate(last_edited=last_edited_by_someone())
            .with_headlines(dcs=self.dcs)
            .order_by("-number")[:FEED_ISSUES]
        )
        for issue in issues:
            issue.page = request.build_absolute_uri(issue.get_absolute_url())
        return issues

    def item_title(self, issue):
        return f"Update {issue.number}" + (f", {issue.date:%-d %B %Y}" if issue.date else "")

    def item_description(self, issue):
        headlines = format_html_join(
            "",
            '<li><a href="{}#item-{}">{}</a></li>',
            ((issue.page, p.item_id, item_as_printed(p).title) for p in issue.headline_list),
        )
        intro = format_html("<p>{}</p>", issue.intro) if issue.intro else ""
        if not headlines:
            return intro
        return format_html("<h2>This week</h2><ul>{}</ul>{}", headlines, intro)

    def item_pubdate(self, issue):
        return issue.published_at

    def item_updateddate(self, issue):
        return max(issue.published_at, issue.last_edited or issue.published_at)


class IssueRssFeed(IssueFeed):
    """The same entries as RSS 2.0, for readers whose tools want RSS."""

    feed_type = Rss201rev2Feed


issue_feed = public_page(IssueFeed())
issue_feed_rss = public_page(IssueRssFeed())


def meeting_event(meeting, request):
    summary = meeting.network.name + (f": {meeting.topic}" if meeting.topic else "")
    if meeting.status == Meeting.Status.TBC:
        summary += " (to be confirmed)"
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time)
        end = (
            datetime.datetime.combine(meeting.date, meeting.end_time)
            if meeting.end_time
            else start + DEFAULT_MEETING_LENGTH
        )
        when = {"DTSTART": ical.local_time(start), "DTEND": ical.local_time(end)}
    else:
        next_day = meeting.date + datetime.timedelta(days=1)
        when = {"DTSTART": ical.day(meeting.date), "DTEND": ical.day(next_day)}
    properties = {
        "UID": ical.text(f"meeting-{meeting.pk}@seslip"),
        "DTSTAMP": ical.utc_time(timezone.now()),
        "SUMMARY": ical.text(summary),
        **when,
        "LOCATION": ical.text("Online" if meeting.online else meeting.place),
        "STATUS": ical.text(EVENT_STATUS.get(meeting.status, "CONFIRMED")),
        "URL": ical.uri(
            request.build_absolute_uri(reverse("network_detail", args=[meeting.network.slug]))
        ),
    }
    if meeting.notes:
        properties["DESCRIPTION"] = ical.text(meeting.notes)
    return ical.event(properties)


def action_event(action, request):
    properties = {
        "UID": ical.text(f"action-{action.pk}@seslip"),
        "DTSTAMP": ical.utc_time(timezone.now()),
        "SUMMARY": ical.text(f"Deadline: {action.item.title}"),
        "DTSTART": ical.day(action.due_date),
        "DTEND": ical.day(action.due_date + datetime.timedelta(days=1)),
        "DESCRIPTION": ical.text(html_to_text(action.description)),
        "TRANSP": ical.text("TRANSPARENT"),
    }
    if action.issue_number:
        url = reverse("issue_detail", args=[action.issue_number]) + f"#item-{action.item_id}"
        properties["URL"] = ical.uri(request.build_absolute_uri(url))
    return ical.event(properties)


def calendar_response(events, *, name, filename):
    response = HttpResponse(
        ical.calendar(name, events), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_start():
    return timezone.localdate() - CALENDAR_HISTORY


def dated_meetings():
    return Meeting.objects.filter(date__gte=calendar_start()).select_related("network")


def public_deadlines():
    return deadlines(dcs=False)


def deadlines(*, dcs):
    """Open deadlines for the calendars: “DCSs only” ones for a DCS's own calendar alone."""
    return (
        Action.objects.readable(dcs=dcs)
        .open()
        .filter(due_date__gte=calendar_start())
        .with_issue_number()
        .select_related("item")
    )


@public_page
def calendar(request):
    return whole_calendar(request, dcs=False)


def whole_calendar(request, *, dcs):
    """Every meeting and deadline; `dcs`: with the deadlines of “DCSs only” items."""
    meetings = dated_meetings().order_by("date")[:CALENDAR_MAX_EVENTS]
    due = deadlines(dcs=dcs).order_by("due_date")[:CALENDAR_MAX_EVENTS]
    events = [meeting_event(m, request) for m in meetings]
    events += [action_event(a, request) for a in due]
    return calendar_response(events, name="SESLIP meetings and deadlines", filename="seslip.ics")


@public_page
def network_calendar(request, slug):
    network = get_object_or_404(Network, slug=slug)
    meetings = dated_meetings().filter(network=network).order_by("date")[:CALENDAR_MAX_EVENTS]
    events = [meeting_event(m, request) for m in meetings]
    deadlines = public_deadlines().filter(item__networks=network).order_by("due_date")
    deadlines = deadlines[:CALENDAR_MAX_EVENTS]
    events += [action_event(a, request) for a in deadlines]
    return calendar_response(
        events, name=f"SESLIP: {network.name}", filename=f"seslip-{network.slug}.ics"
    )


@public_page
def meeting_ics(request, pk):
    meetings = Meeting.objects.filter(date__isnull=False).select_related("network")
    meeting = get_object_or_404(meetings, pk=pk)
    return calendar_response(
        [meeting_event(meeting, request)],
        name=f"SESLIP: {meeting.network.name}",
        filename=f"meeting-{meeting.pk}.ics",
    )


@public_page
def action_ics(request, pk):
    """One deadline; DCSs may add the deadlines of “DCSs only” items they can read."""
    actions = Action.objects.readable(dcs=is_dcs(request.user)).dated().with_issue_number()
    action = get_object_or_404(actions.select_related("item"), pk=pk)
    return calendar_response(
        [action_event(action, request)],
        name="SESLIP deadline",
        filename=f"deadline-{action.pk}.ics",
    )
