"""An update as plain text in the newsletter's own current shape, and what reads it back.

"UPDATE NO n dd Month yyyy", the intro, then each item as "Programme:" (its title), "Update:" and
"Action Required:" (and a reminder's "Done so far: …" line); "Reminders from previous weeks"
(opening with the future network meeting dates); "Tools & Templates"; "Contact Details". A
published update prints what it printed then (newsletters/printed.py: its items' title and text,
its meetings' dates, its contacts' details), not what they say now. The importer reads this shape
back into the same records, and keeps what each update printed, so exporting and importing the
whole archive is the identity. The e-mail edition's text/plain part is this text too: one
renderer for both.

A link is written as [its text](its address), which the importer turns back into a link. What
only DCSs read (an item, a Tools & Templates entry) is marked "(DCSs only)" at the end of its
title or line, as the updates say it ("now available to DCSs only"): the importer restores the
flag from it. A reader who is not a DCS gets a text without them.
"""

import datetime
import re
from html.parser import HTMLParser

from networks.models import Meeting

from .importer.common import DCS_ONLY_MARK
from .importer.parse import PROGRESS_RE, read_resource
from .links import link_text
from .models import Issue, IssueContact, IssueMeeting, IssueResource, Placement, Resource
from .printed import contact_as_printed, item_as_printed, meeting_as_printed

MEETINGS_TITLE = "Future dates for network meetings"


def update_as_text(issue: Issue, *, dcs: bool) -> str:
    """The update as plain text; items and Tools & Templates for DCSs only are left out unless
    `dcs`, and marked "(DCSs only)" when it is. The update must have a date (a draft without one
    has no header to print)."""
    if issue.date is None:
        raise ValueError(f"{issue} has no date, so it has no header to print")
    header = f"UPDATE NO {issue.number} {issue.date:%d %B %Y}"
    blocks = [header, *_intro(issue), header]
    placements = _placements(issue, dcs=dcs)
    for placement in placements:
        if placement.section == Placement.Section.HEADLINE:
            blocks += _item(placement)
    reminders = [p for p in placements if p.section == Placement.Section.REMINDER]
    meetings = _meeting_lines(issue)
    if reminders or meetings:
        blocks.append("Reminders from previous weeks")
    if meetings:
        blocks += ["Programme:", MEETINGS_TITLE, "Update:", *meetings]
    for placement in reminders:
        blocks += _item(placement)
    resources = _resource_lines(issue, dcs=dcs)
    if resources:
        blocks += ["Tools & Templates", *resources]
    contacts = _contact_lines(issue)
    if contacts:
        blocks += ["Contact Details", *contacts]
    return "\n\n".join(blocks) + "\n"


def export_filename(issue: Issue) -> str:
    return f"{issue.number}.txt"


def _intro(issue):
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", issue.intro) if p.strip()]
    if issue.improvement_plan:
        paragraphs.append(issue.improvement_plan)
    return paragraphs


def _placements(issue, *, dcs):
    placements = issue.placements.select_related("item").order_by("section", "position", "pk")
    return list(placements if dcs else placements.filter(item__dcs_only=False))


def _item(placement):
    item = item_as_printed(placement)
    title = _one_line(item.title)
    blocks = ["Programme:", f"{title} {DCS_ONLY_MARK}" if item.dcs_only else title]
    update, action = html_to_blocks(item.update_text), html_to_blocks(item.action_text)
    if update:
        blocks += ["Update:", *update]
    if action:
        blocks += ["Action Required:", *action]
    if progress := _one_line(placement.progress):  # under a reminder, as the page prints it
        blocks.append(progress if PROGRESS_RE.match(progress) else f"Done so far: {progress}")
    return blocks


def _meeting_lines(issue):
    listings = IssueMeeting.objects.filter(issue=issue).select_related(
        "meeting__network", "meeting__contact"
    )
    return [listing.text or meeting_line(meeting_as_printed(listing)) for listing in listings]


def meeting_line(meeting: Meeting) -> str:
    """A listing line for a meeting that has none printed (one composed in the admin)."""
    parts = [f"{meeting.network.name}:"]
    if meeting.status == Meeting.Status.REARRANGED:
        parts.append("***NEW DATE***")
    elif meeting.status == Meeting.Status.CANCELLED:
        parts.append("CANCELLED")
    if meeting.date:
        parts.append(f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}")
    if meeting.start_time:
        times = _clock(meeting.start_time)
        if meeting.end_time:
            times += f" – {_clock(meeting.end_time)}"
        parts.append(times)
    if meeting.status == Meeting.Status.TBC:
        parts.append("TBC")
    if meeting.topic:
        parts.append(meeting.topic.rstrip(".") + ".")
    if meeting.online:
        parts.append("Online.")
    if meeting.contact:
        parts.append(f"More from {meeting.contact.name} (contact details below)")
    return " ".join(parts)


def _clock(time):
    return f"{time:%H:%M}"


def _resource_lines(issue, *, dcs):
    listings = IssueResource.objects.filter(issue=issue).select_related("resource")
    if not dcs:
        listings = listings.filter(resource__dcs_only=False)
    lines = []
    for listing in listings:
        line = resource_line(listing.resource, reference=issue.date)
        lines.append(f"{line} {DCS_ONLY_MARK}" if listing.resource.dcs_only else line)
    return lines


def resource_line(resource: Resource, *, reference: datetime.date) -> str:
    """The Tools & Templates line the importer reads back as this resource (`reference`: the
    update's date, against which a date printed without its year is read)."""
    title = _one_line(resource.title)
    line = _resource_text(title, resource)
    if not _reads_back(line, resource, reference) and (resource.publisher or resource.published_on):
        title += _published(resource)
        line = _resource_text(title, resource)
    return line


def _published(resource):
    text = " published"
    if resource.publisher:
        # The parser drops a leading "the" after "by": written twice, one is kept.
        the = "the " if resource.publisher.lower().startswith("the ") else ""
        text += f" by {the}{resource.publisher}"
    if resource.published_on:
        text += f" on {resource.published_on.day} {resource.published_on:%B %Y}"
    return text


def _resource_text(title, resource):
    line = link_text(title, resource.url) if resource.url else title
    description = _one_line(resource.description)
    return f"{line} {description}" if description else line


def _reads_back(line, resource, reference):
    def resolve(date_text):
        try:
            return date_text.resolve(reference, past=True)
        except ValueError:
            return None

    read = read_resource(0, line, resolve)
    return (read.title, read.publisher, read.published_on) == (
        resource.title,
        resource.publisher,
        resource.published_on,
    )


def _contact_lines(issue):
    listings = IssueContact.objects.filter(issue=issue).select_related("contact")
    lines = []
    for listing in listings:
        contact = contact_as_printed(listing)  # the e-mail and phone this update printed
        role = _one_line(listing.role or contact.role or "Contact")
        organisation = f" ({listing.organisation_name})" if listing.organisation_name else ""
        lines.append(f"{role}: {contact.name}{organisation}")
        lines += [value for value in (contact.email, contact.phone) if value]
    return lines


def _one_line(text):
    """Line breaks and runs of spaces to one space; non-breaking spaces are kept as written."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text).strip()


class _Blocks(HTMLParser):
    """Stored rich text (the few tags newsletters.html allows) to plain-text paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.lists: list[list] = []  # [tag, items so far] of each list open
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("p", "li", "ul", "ol"):
            self.flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            kind, count = self.lists[-1]
            self.current.append("• " if kind == "ul" else f"{count}. ")
        elif tag == "br":
            self.flush()
        elif tag == "a":
            self.href = dict(attrs).get("href")
            if self.href:
                self.current.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href:
            self.current.append(f"]({self.href})")
            self.href = None
        elif tag in ("p", "li"):
            self.flush()
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def flush(self) -> None:
        text = _one_line("".join(self.current))
        if text and text not in ("•", "• "):
            self.blocks.append(text)
        self.current = []


def html_to_blocks(markup: str) -> list[str]:
    """Paragraphs of stored rich text as lines: list items as "• …", links as [text](address)."""
    parser = _Blocks()
    parser.feed(markup or "")
    parser.close()
    parser.flush()
    return parser.blocks
