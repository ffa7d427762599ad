"""Small helpers that make the records a test needs, with plain defaults. Any test may use them."""

import datetime
import itertools

from django.utils import timezone

from contacts.models import Contact, Organisation
from networks.models import Meeting, Network, PeerChallengeRound, Triad, TriadMember
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

_numbers = itertools.count(1000)


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def authority(name):
    """One of the 19 local authorities the contacts migration loads, by name."""
    return Organisation.objects.get(name=name)


def make_issue(number=None, *, date=None, published=True, intro="", **fields):
    """An update; published an hour ago unless `published` is False or a datetime."""
    issue = Issue.objects.create(
        number=number if number is not None else next(_numbers),
        date=date or today(),
        intro=intro,
        **fields,
    )
    if published is True:
        issue.published_at = timezone.now() - datetime.timedelta(hours=1)
    elif published:
        issue.published_at = published
    if issue.published_at:
        issue.save(update_fields=["published_at"])
    return issue


def make_item(
    issue=None,
    title="Regional news",
    *,
    section=Placement.Section.HEADLINE,
    position=0,
    update_text="<p>What has happened.</p>",
    action_text="",
    dcs_only=False,
    contacts=(),
    networks=(),
    authorities=(),
):
    """A news item, placed in `issue` (as a headline unless `section` says reminder)."""
    item = NewsItem.objects.create(
        title=title, update_text=update_text, action_text=action_text, dcs_only=dcs_only
    )
    # A new item has no relations: only those asked for are set (an empty set() costs a query).
    for relation, records in (
        (item.contacts, contacts),
        (item.networks, networks),
        (item.authorities, authorities),
    ):
        if records:
            relation.set(records)
    if issue is not None:
        place(issue, item, section=section, position=position)
    return item


def place(issue, item, *, section=Placement.Section.HEADLINE, position=0):
    return Placement.objects.create(issue=issue, item=item, section=section, position=position)


def make_action(item, description="Reply to the survey", *, due_date=None, **fields):
    return Action.objects.create(item=item, description=description, due_date=due_date, **fields)


def make_contact(name="Isabelle Gregory", *, role="SESLIP Consultant", organisation=None, **fields):
    return Contact.objects.create(name=name, role=role, organisation=organisation, **fields)


def list_contact(issue, contact, *, position=0, role=None):
    return IssueContact.objects.create(
        issue=issue,
        contact=contact,
        position=position,
        role=contact.role if role is None else role,
        organisation_name=str(contact.organisation or ""),
    )


def make_network(name="AD Safeguarding", **fields):
    return Network.objects.get_or_create(name=name, defaults=fields)[0]


def make_meeting(network=None, date=None, *, start_time=None, end_time=None, **fields):
    return Meeting.objects.create(
        network=network or make_network(),
        date=date,
        start_time=start_time,
        end_time=end_time,
        **fields,
    )


def list_meeting(issue, meeting, *, position=0, text=""):
    return IssueMeeting.objects.create(
        issue=issue, meeting=meeting, position=position, text=text or str(meeting)
    )


def make_round(name="2019-20 DCS Peer Challenge"):
    return PeerChallengeRound.objects.get_or_create(name=name)[0]


def make_triad(round=None, number=1, authorities=("Kent", "Medway", "Surrey"), **fields):
    triad = Triad.objects.create(round=round or make_round(), number=number, **fields)
    for position, name in enumerate(authorities):
        TriadMember.objects.create(triad=triad, authority=authority(name), position=position)
    return triad


def make_resource(issue=None, title="Keeping Children Safe in Education", *, position=0, **fields):
    resource = Resource.objects.create(title=title, **fields)
    if issue is not None:
        IssueResource.objects.create(issue=issue, resource=resource, position=position)
    return resource
