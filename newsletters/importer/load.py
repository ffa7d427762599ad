"""Writing a parsed update as records: one transaction per file, shared records matched, never
duplicated. Importing the same file again changes nothing."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from contacts.models import Contact, Organisation, normalise_name
from networks.models import Meeting, Network, PeerChallengeRound, Triad, TriadMember
from newsletters import printed
from newsletters.deadlines import find_deadlines
from newsletters.html import paragraphs_to_html
from newsletters.models import (
    Action,
    Issue,
    IssueContact,
    IssueMeeting,
    IssueResource,
    NewsItem,
    Placement,
    Resource,
)
from seslip.lib.slugs import unique_slug

from .contacts import names_in, people_sent_to
from .names import AuthorityNames, NetworkNames
from .records import Update
from .text import ImportFailure, key

LONDON = ZoneInfo("Europe/London")
PUBLISH_TIME = datetime.time(9, 0)
SAME_STORY_WINDOW = datetime.timedelta(days=365)
OVERDUE_REMINDER_DAYS = 56  # a reminder's deadline up to 8 weeks old is overdue, not next year's


@dataclass
class Outcome:
    status: str  # new, changed, unchanged
    number: int
    date: datetime.date
    counts: Counter = field(default_factory=Counter)
    warnings: list = field(default_factory=list)  # [(line, message)]


def load_update(update: Update, *, source_name: str, sha256: str, dry_run: bool = False) -> Outcome:
    """Write one parsed update (atomic); with dry_run everything is rolled back."""
    with transaction.atomic():
        outcome = _Loader(update, source_name=source_name, sha256=sha256).run()
        if dry_run:
            transaction.set_rollback(True)
    return outcome


class _Loader:
    def __init__(self, update, *, source_name, sha256):
        self.update = update
        self.source_name = source_name
        self.sha256 = sha256
        self.warnings = list(update.warnings)
        self.counts = Counter()

    def warn(self, line, message):
        self.warnings.append((line, message))

    def run(self):
        u = self.update
        issue = Issue.objects.filter(number=u.number).first()
        if issue and issue.source_sha256 == self.sha256:
            return Outcome("unchanged", u.number, u.date)
        if issue and not issue.source_name and not issue.source_sha256:
            raise ImportFailure(
                f"update {u.number} already exists and was written in the admin, not imported "
                "from a file; it was left as it is",
                u.line,
            )
        status = "changed" if issue else "new"
        previous = {}
        if issue:
            previous = {key(p.item.title): p.item for p in issue.placements.select_related("item")}
            issue.placements.all().delete()
            issue.resource_listings.all().delete()
            issue.contact_listings.all().delete()
            issue.meeting_listings.all().delete()
            issue.triads.clear()
        else:
            issue = Issue(number=u.number)
        issue.date = u.date
        issue.intro = "\n\n".join(u.intro)
        issue.improvement_plan = u.improvement_plan[:500]
        issue.published_at = datetime.datetime.combine(u.date, PUBLISH_TIME, tzinfo=LONDON)
        issue.source_name = self.source_name[:300]
        issue.source_sha256 = self.sha256
        issue.save()
        self.issue = issue
        self.organisations = Organisation.objects.by_any_name()
        self.authorities = AuthorityNames(Organisation.objects.local_authorities())
        self._contacts()
        self._meetings()
        self._items(previous)
        self._resources()
        orphans = [item.pk for item in previous.values()]
        NewsItem.objects.filter(pk__in=orphans, placements__isnull=True).delete()
        warnings = sorted(self.warnings, key=lambda w: w[0])
        return Outcome(status, u.number, u.date, self.counts, warnings)

    # Contact Details

    def _contacts(self):
        self.listed, listings = {}, []
        for position, line in enumerate(self.update.contacts, 1):
            if key(line.name) in self.listed:
                self.warn(line.line, f"{line.name} is listed twice under Contact Details")
                continue
            contact = self._save_contact(line)
            self.listed[key(line.name)] = contact
            listings.append(
                IssueContact(
                    issue=self.issue,
                    contact=contact,
                    position=position,
                    role=line.role,
                    organisation_name=line.organisation,
                    printed=printed.facts_of_contact(contact),
                )
            )
        IssueContact.objects.bulk_create(listings)
        self.counts["contacts"] += len(listings)

    def _save_contact(self, line):
        contact = Contact.objects.filter(name__iexact=line.name).first() or Contact(name=line.name)
        email = line.email
        if email:
            try:
                validate_email(email)
                if len(email) > Contact._meta.get_field("email").max_length:
                    raise ValidationError("too long")
            except ValidationError:
                self.warn(line.line, f"“{email}” is not an email address; left out")
                email = ""
        details = {
            "role": line.role,
            "organisation": self._organisation(line.organisation),
            "email": email,
            "phone": line.phone,
        }
        newest = contact.details_as_of is None or contact.details_as_of <= self.update.date
        if newest:
            details["details_as_of"] = self.update.date
        changed = contact.pk is None
        for name, value in details.items():
            if value and (newest or not getattr(contact, name)) and getattr(contact, name) != value:
                setattr(contact, name, value)
                changed = True
        if changed:  # an unchanged contact is not written again (nor its page's cache renewed)
            contact.save()
        return contact

    def _organisation(self, name):
        if not name:
            return None
        org = self.organisations.get(normalise_name(name))
        if org is None:
            org = Organisation.objects.create(
                name=name, slug=unique_slug(Organisation, name), kind=Organisation.Kind.PARTNER
            )
            self.organisations[normalise_name(name)] = org
        return org

    def _person(self, name, line, *, why):
        """A person the text sends readers to; warned about when not under Contact Details."""
        contact = self.listed.get(key(name))
        if contact:
            return contact
        self.warn(line, f"{name} is named “{why}” but is not under Contact Details")
        contact = Contact.objects.filter(name__iexact=name).first()
        return contact or Contact.objects.create(name=name[:200])

    # News items

    def _items(self, previous):
        nearby = self._nearby_items()
        networks = NetworkNames(Network.objects.select_related("convener"))
        placed = set()
        positions = Counter()
        for parsed in self.update.items:
            item = self._match_item(parsed, previous, nearby, placed)
            html_update = paragraphs_to_html([p.text for p in parsed.update])
            html_action = paragraphs_to_html([p.text for p in parsed.action])
            if item is None:
                item = NewsItem(title=parsed.title[:500])
            if item.pk is None or parsed.section == "headline" or key(parsed.title) in previous:
                item.title = parsed.title[:500]
                item.update_text, item.action_text = html_update, html_action
                item.save()
            placed.add(item.pk)
            positions[parsed.section] += 1
            Placement.objects.create(
                issue=self.issue,
                item=item,
                section=parsed.section,
                position=positions[parsed.section],
            )
            self.counts["items" if parsed.section == "headline" else "reminders"] += 1
            contacts = self._item_contacts(parsed)
            item.contacts.add(*contacts)
            item.authorities.add(
                *{
                    org
                    for p in [parsed.title, parsed.plain_text()]
                    for org in self.authorities.named_in(p)
                }
            )
            item.networks.add(
                *networks.named_in([parsed.title, *(p.text for p in parsed.paragraphs)])
            )
            self._triads(parsed)
            self._actions(parsed, item, contacts)

    def _nearby_items(self):
        """Items run within a year of this update, by title: a reminder is the same story."""
        d = self.update.date
        items = (
            NewsItem.objects.filter(
                placements__issue__date__range=(d - SAME_STORY_WINDOW, d + SAME_STORY_WINDOW)
            )
            .exclude(placements__issue=self.issue)
            .distinct()
            .prefetch_related("placements__issue")
        )
        nearby = {}
        for item in items:
            nearby.setdefault(key(item.title), []).append(item)
        return nearby

    def _match_item(self, parsed, previous, nearby, placed):
        k = key(parsed.title)
        if k in previous and previous[k].pk not in placed:
            return previous[k]
        candidates = [i for i in nearby.get(k, []) if i.pk not in placed]
        if parsed.section == "headline":
            # Only a story seen so far as a reminder (its headline update imported later).
            candidates = [
                i for i in candidates if all(p.section == "reminder" for p in i.placements.all())
            ]
        if not candidates:
            return None

        def distance(item):
            return min(abs((p.issue.date - self.update.date).days) for p in item.placements.all())

        return min(candidates, key=distance)

    def _item_contacts(self, parsed):
        named = names_in(key(parsed.title + "\n" + parsed.plain_text()), self.listed)
        contacts = {self.listed[k].pk: self.listed[k] for k in named}
        for para in parsed.paragraphs:
            for name, why in people_sent_to(para.text, set(self.listed)):
                contact = self._person(name, para.line, why=why)
                contacts[contact.pk] = contact
        return list(contacts.values())

    def _actions(self, parsed, item, contacts):
        """The item's deadlines as actions. A date before the update that first ran the text
        is never a deadline of it ("published by 30 April 2020"): it is named in a warning. A
        story first seen as a reminder began in an earlier update: its deadline up to eight weeks
        before the reminder is that update's, now overdue."""
        first = item.placements.select_related("issue").order_by("issue__date", "pk").first()
        reference = first.issue.date
        allow = OVERDUE_REMINDER_DAYS if first.section == Placement.Section.REMINDER else 0
        position = 0
        for para in parsed.paragraphs:
            for sentence, due in find_deadlines(para.text, reference, allow_past_days=allow):
                if due < reference - datetime.timedelta(days=allow):
                    self.warn(
                        para.line,
                        f"“{sentence[:60]}” names {due:%-d %B %Y}, before the update "
                        f"({reference:%-d %B %Y}): not a deadline",
                    )
                    continue
                position += 1
                if Action.objects.filter(item=item, description=sentence).exists():
                    continue
                named = [c for c in contacts if key(c.name) in key(sentence)]
                Action.objects.create(
                    item=item,
                    description=sentence,
                    due_date=due,
                    contact=named[0] if named else None,
                    position=position,
                )
                self.counts["actions"] += 1

    # Peer-challenge triads

    def _triads(self, parsed):
        if not parsed.triads:
            return
        round_, _ = PeerChallengeRound.objects.get_or_create(
            name=parsed.round_name,
            defaults={"slug": unique_slug(PeerChallengeRound, parsed.round_name)},
        )
        printed_triads = {}  # what this update printed, whatever later updates say
        for entry in parsed.triads:
            members = []
            for para in entry.members:
                found, unknown = self.authorities.listed_in(para.text)
                members.extend(org for org in found if org not in members)
                for name in unknown:
                    self.warn(para.line, f"unknown authority “{name}”")
            triad = Triad.objects.filter(round=round_, number=entry.number).first()
            if triad is None:
                triad = Triad.objects.create(round=round_, number=entry.number)
            self._triad_members(triad, members, entry)
            if not triad.issues.filter(date__gt=self.update.date).exists():
                self._triad_date(triad, entry)
            self.issue.triads.add(triad)
            printed_triads[str(triad.pk)] = printed.triad_facts(
                date=entry.date,
                status=entry.status,
                candidate_dates=entry.candidate_dates,
                members=members or [m.authority for m in triad.memberships.all()],
            )
        Issue.objects.filter(pk=self.issue.pk).update(printed_triads=printed_triads)
        self.counts["triads"] = self.issue.triads.count()

    def _triad_members(self, triad, members, entry):
        current = list(triad.members.all())
        if not current:
            for position, org in enumerate(members, 1):
                TriadMember.objects.create(triad=triad, authority=org, position=position)
            return
        for org in members:
            if org not in current:
                self.warn(
                    entry.line,
                    f"{org} is not a member of {triad.label} of the {triad.round}; "
                    "its members were kept",
                )

    def _triad_date(self, triad, entry):
        if entry.status in ("rearranged", "cancelled"):
            triad.status = entry.status
            triad.date = entry.date or triad.date
            triad.candidate_dates = []
        elif entry.status == "tbc":
            triad.status, triad.date = Triad.Status.TBC, None
            triad.candidate_dates = [d.isoformat() for d in entry.candidate_dates]
        elif entry.date and entry.date != triad.date:
            moved = triad.date is not None and triad.status != Triad.Status.TBC
            triad.status = Triad.Status.REARRANGED if moved else Triad.Status.CONFIRMED
            triad.date, triad.candidate_dates = entry.date, []
        triad.save()

    # Network meetings

    def _network(self, line):
        """The network a meeting line names, and the person it sends readers to, who convenes
        it unless a later update names someone else."""
        network = Network.objects.filter(name__iexact=line.network).first()
        if network is None:
            network = Network.objects.create(
                name=line.network[:200], slug=unique_slug(Network, line.network)
            )
        contact = None
        if line.contact_name:
            contact = self._person(line.contact_name, line.line, why="(contact details below)")
        later = IssueMeeting.objects.filter(
            meeting__network=network, issue__date__gt=self.update.date
        )
        if contact and not later.exists() and network.convener_id != contact.pk:
            network.convener = contact
            network.save(update_fields=["convener"])
        return network, contact

    def _meetings(self):
        for line in self.update.networks_mentioned:  # no date yet: not a meeting
            self._network(line)
        listings = []
        for position, line in enumerate(self.update.meetings, 1):
            network, contact = self._network(line)
            meeting = self._save_meeting(network, line, contact)
            if meeting.pk in {listing.meeting_id for listing in listings}:
                self.warn(line.line, f"this {network} meeting is already listed above")
                continue
            as_printed = printed.meeting_facts(
                date=line.date,
                start_time=line.start_time,
                end_time=line.end_time,
                status=line.status,
            )
            listings.append(
                IssueMeeting(
                    issue=self.issue,
                    meeting=meeting,
                    position=position,
                    text=line.text,
                    printed=as_printed,
                )
            )
        IssueMeeting.objects.bulk_create(listings)
        self.counts["meetings"] += len(listings)

    def _save_meeting(self, network, line, contact):
        meeting = (
            Meeting.objects.filter(network=network, date=line.date).order_by("pk").first()
            if line.date
            else Meeting.objects.filter(network=network, date__isnull=True).order_by("pk").first()
        )
        if (
            meeting
            and IssueMeeting.objects.filter(
                meeting=meeting, issue__date__gt=self.update.date
            ).exists()
        ):
            return meeting  # a newer update already described it
        meeting = meeting or Meeting(network=network, date=line.date)
        meeting.start_time, meeting.end_time = line.start_time, line.end_time
        meeting.topic, meeting.online, meeting.status = line.topic, line.online, line.status
        meeting.contact = contact
        meeting.save()
        return meeting

    # Tools & Templates

    def _resources(self):
        resources = self._resource_records()
        listed, listings = set(), []
        for position, line in enumerate(self.update.resources, 1):
            resource = resources[line.title.lower()]
            if resource.pk in listed:
                self.warn(line.line, "this Tools & Templates line is listed twice")
                continue
            listed.add(resource.pk)
            listings.append(IssueResource(issue=self.issue, resource=resource, position=position))
        IssueResource.objects.bulk_create(listings)
        self.counts["resources"] += len(listings)

    def _resource_records(self):
        """The Tools & Templates records the lines name, by title (any case): known ones filled
        in where they lack what the line says, new ones written in one go."""
        lines = self.update.resources
        if not lines:
            return {}
        named = Q()
        for line in lines:
            named |= Q(title__iexact=line.title)
        records = {}
        for resource in Resource.objects.filter(named).order_by("pk"):
            records.setdefault(resource.title.lower(), resource)
        new = []
        for line in lines:
            resource = records.get(line.title.lower())
            if resource is None:
                resource = Resource(
                    title=line.title,
                    description=line.description,
                    publisher=line.publisher,
                    published_on=line.published_on,
                    url=line.url,
                )
                records[line.title.lower()] = resource
                new.append(resource)
            elif resource.pk:
                self._fill_in(resource, line)
        Resource.objects.bulk_create(new)
        return records

    @staticmethod
    def _fill_in(resource, line):
        blanks = [
            name
            for name in ("description", "publisher", "published_on", "url")
            if getattr(line, name) and not getattr(resource, name)
        ]
        for name in blanks:
            setattr(resource, name, getattr(line, name))
        if blanks:
            resource.save()
