"""Writing what an update lists besides its news items: Contact Details, network meetings,
peer-challenge triads and Tools & Templates. Each section reads the records it may match in a
query or two and writes its listings in one go; a record is written only when the text changes it.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from contacts.models import Contact, Organisation, normalise_name
from networks.models import Meeting, Network, PeerChallengeRound, Triad, TriadMember
from newsletters import printed
from newsletters.models import Issue, IssueContact, IssueMeeting, IssueResource, Resource
from seslip.lib.slugs import unique_slug

from .names import AuthorityNames
from .records import Update
from .text import key


def any_name_of(names: Iterable[str], field: str = "name") -> Q:
    """A filter matching a record called any of `names`, in any case."""
    named = Q(pk__in=[])
    for name in names:
        named |= Q(**{f"{field}__iexact": name})
    return named


class ListingsLoader:
    """The sections of `_Loader` (load.py) other than the news items."""

    # What `_Loader` sets before it calls a section (the update, its Issue, what it found so far)
    update: Update
    issue: Issue
    counts: Counter[str]
    organisations: dict[str, Organisation]  # normalised name -> organisation
    authorities: AuthorityNames
    issue_triads: set[Triad]
    # What the sections below set
    people: dict[str, Contact | None]
    listed: dict[str, Contact]
    new_contacts: list[Contact]
    networks: dict[str, Network]
    later_networks: set[int]
    later_meetings: set[int]
    meetings: dict[tuple[int, datetime.date | None], Meeting]
    new_meetings: list[Meeting]

    if TYPE_CHECKING:

        def warn(self, line: int, message: str) -> None: ...

    # Contact Details

    def _contacts(self):
        lines = self.update.contacts
        people = [line.name for line in lines] + [
            line.contact_name
            for line in [*self.update.networks_mentioned, *self.update.meetings]
            if line.contact_name
        ]
        self.people = {}  # name.lower() -> Contact: the records this update names, read once
        for contact in (
            Contact.objects.filter(any_name_of(people))
            .select_related("organisation")
            .order_by("name", "pk")
        ):
            self.people.setdefault(contact.name.lower(), contact)
        self.listed, self.new_contacts = {}, []
        listings: list[IssueContact] = []
        changed: list[tuple[Contact, list[str]]] = []
        for position, line in enumerate(lines, 1):
            if key(line.name) in self.listed:
                self.warn(line.line, f"{line.name} is listed twice under Contact Details")
                continue
            contact = self._save_contact(line, changed)
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
        Contact.objects.bulk_create(self.new_contacts)
        self._write_contacts(changed)
        IssueContact.objects.bulk_create(listings)
        self.counts["contacts"] += len(listings)

    def _save_contact(self, line, changed):
        contact = self._known_person(line.name) or Contact(name=line.name)
        email = line.email
        if email:
            try:
                validate_email(email)
                if len(email) > cast(int, Contact._meta.get_field("email").max_length):
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
        differs = []
        for name, value in details.items():
            if value and (newest or not getattr(contact, name)) and getattr(contact, name) != value:
                setattr(contact, name, value)
                differs.append(name)
        if contact.pk is None:
            if not any(new is contact for new in self.new_contacts):
                self.new_contacts.append(contact)  # written with the others, in one go
                self.people[contact.name.lower()] = contact
        elif differs:
            changed.append((contact, differs))
        return contact

    def _write_contacts(self, changed):
        """Known contacts the update changes: most only gain its date as the date of their
        details, written in one query. An unchanged contact is not written again."""
        dated_only = [c.pk for c, fields in changed if fields == ["details_as_of"]]
        if dated_only:
            Contact.objects.filter(pk__in=dated_only).update(details_as_of=self.update.date)
        for contact, fields in changed:
            if fields != ["details_as_of"]:
                contact.save(update_fields=fields)

    def _known_person(self, name):
        lower = name.lower()
        if lower not in self.people:
            self.people[lower] = Contact.objects.filter(name__iexact=name).first()
        return self.people[lower]

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
        contact = self._known_person(name)
        if contact is None:
            contact = Contact.objects.create(name=name[:200])
            self.people[name.lower()] = contact
        return contact

    # Network meetings

    def _meetings(self):
        lines = [*self.update.networks_mentioned, *self.update.meetings]
        self.networks = {}
        for network in Network.objects.filter(any_name_of(line.network for line in lines)):
            self.networks.setdefault(network.name.lower(), network)
        described_later = IssueMeeting.objects.filter(
            meeting__network__in=self.networks.values(), issue__date__gt=self.update.date
        ).values_list("meeting__network_id", "meeting_id")
        self.later_networks = {network for network, _ in described_later}
        self.later_meetings = {meeting for _, meeting in described_later}
        self.meetings = {}  # (network id, date) -> the first such meeting
        dates = [line.date for line in self.update.meetings if line.date]
        for meeting in Meeting.objects.filter(
            Q(date__in=dates) | Q(date__isnull=True), network__in=self.networks.values()
        ).order_by("pk"):
            self.meetings.setdefault((meeting.network_id, meeting.date), meeting)
        for line in self.update.networks_mentioned:  # no date yet: not a meeting
            self._network(line)
        listings: list[IssueMeeting] = []
        self.new_meetings = []
        for position, line in enumerate(self.update.meetings, 1):
            network, contact = self._network(line)
            meeting = self._save_meeting(network, line, contact)
            if any(listing.meeting is meeting for listing in listings):
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
        bulk_create_with_history(self.new_meetings, Meeting)
        IssueMeeting.objects.bulk_create(listings)
        self.counts["meetings"] += len(listings)

    def _network(self, line):
        """The network a meeting line names, and the person it sends readers to, who convenes
        it unless a later update names someone else."""
        network = self.networks.get(line.network.lower())
        if network is None:
            network = Network.objects.create(
                name=line.network[:200], slug=unique_slug(Network, line.network)
            )
            self.networks[line.network.lower()] = network
        contact = None
        if line.contact_name:
            contact = self._person(line.contact_name, line.line, why="(contact details below)")
        later = network.pk in self.later_networks
        if contact and not later and network.convener_id != contact.pk:
            network.convener = contact
            network.save(update_fields=["convener"])
        return network, contact

    def _save_meeting(self, network, line, contact):
        meeting = self.meetings.get((network.pk, line.date))
        if meeting and meeting.pk in self.later_meetings:
            return meeting  # a newer update already described it
        if meeting is None:  # written with the others, in one go
            meeting = Meeting(network=network, date=line.date)
            self.meetings[(network.pk, line.date)] = meeting
            self.new_meetings.append(meeting)
        values = {
            "start_time": line.start_time,
            "end_time": line.end_time,
            "topic": line.topic,
            "online": line.online,
            "status": line.status,
        }
        contact_id = contact.pk if contact else None
        if (
            meeting.pk
            and meeting.contact_id == contact_id
            and all(getattr(meeting, name) == value for name, value in values.items())
        ):
            return meeting  # unchanged: not written again, nor a copy added to its history
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.contact = contact
        if meeting.pk:
            meeting.save()
        return meeting

    # Peer-challenge triads

    def _triads(self, parsed):
        if not parsed.triads:
            return
        round_, _ = PeerChallengeRound.objects.get_or_create(
            name=parsed.round_name,
            defaults={"slug": unique_slug(PeerChallengeRound, parsed.round_name)},
        )
        triads = {
            triad.number: triad
            for triad in Triad.objects.filter(
                round=round_, number__in=[entry.number for entry in parsed.triads]
            ).prefetch_related("memberships__authority")
        }
        described_later = set(
            Issue.triads.through.objects.filter(
                triad__in=triads.values(), issue__date__gt=self.update.date
            ).values_list("triad_id", flat=True)
        )
        printed_triads: dict[str, dict] = {}  # what this update printed, whatever later updates say
        for entry in parsed.triads:
            members: list[Organisation] = []
            for para in entry.members:
                found, unknown = self.authorities.listed_in(para.text)
                members.extend(org for org in found if org not in members)
                for name in unknown:
                    self.warn(para.line, f"unknown authority “{name}”")
            triad = triads.get(entry.number)
            if triad is None:
                triad = triads[entry.number] = Triad.objects.create(
                    round=round_, number=entry.number
                )
            self._triad_members(triad, members, entry)
            if triad.pk not in described_later:
                self._triad_date(triad, entry)
            self.issue_triads.add(triad)
            printed_triads[str(triad.pk)] = printed.triad_facts(
                date=entry.date,
                status=entry.status,
                candidate_dates=entry.candidate_dates,
                members=members or [m.authority for m in triad.memberships.all()],
            )
        self.issue.triads.add(*self.issue_triads)
        Issue.objects.filter(pk=self.issue.pk).update(printed_triads=printed_triads)
        self.counts["triads"] = len(self.issue_triads)

    def _triad_members(self, triad, members, entry):
        current = [membership.authority for membership in triad.memberships.all()]
        if not current:
            TriadMember.objects.bulk_create(
                TriadMember(triad=triad, authority=org, position=position)
                for position, org in enumerate(members, 1)
            )
            getattr(triad, "_prefetched_objects_cache", {}).pop("memberships", None)
            return
        for org in members:
            if org not in current:
                self.warn(
                    entry.line,
                    f"{org} is not a member of {triad.label} of the {triad.round}; "
                    "its members were kept",
                )

    def _triad_date(self, triad, entry):
        was = (triad.status, triad.date, list(triad.candidate_dates))
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
        if (triad.status, triad.date, triad.candidate_dates) != was:
            triad.save()

    # Tools & Templates

    def _resources(self):
        resources = self._resource_records()
        listed: set[int] = set()
        listings: list[IssueResource] = []
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
        records: dict[str, Resource] = {}
        named = any_name_of((line.title for line in lines), "title")
        for found in Resource.objects.filter(named).order_by("pk"):
            records.setdefault(found.title.lower(), found)
        new: list[Resource] = []
        for line in lines:
            resource = records.get(line.title.lower())
            if resource is None:
                resource = Resource(
                    title=line.title,
                    description=line.description,
                    publisher=line.publisher,
                    published_on=line.published_on,
                    url=line.url,
                    dcs_only=line.dcs_only,
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
        if line.dcs_only and not resource.dcs_only:
            blanks.append("dcs_only")
        for name in blanks:
            setattr(resource, name, getattr(line, name))
        if blanks:
            resource.save()
