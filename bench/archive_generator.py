"""Synthetic archives shaped like the seeds, written in bulk: for benchmarks and demonstrations.

Every update has exactly `items_per_update` news items (headlines, then reminders carried from
the previous weeks), Contact Details, the network meetings listing, Tools & Templates and, in the
autumn, the peer-challenge triads. Dates run weekly back from today, so the latest updates have
actions and meetings still to come. The same seed and the same day give the same archive.
"""

import datetime
import random
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

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

BATCH = 2000  # rows per INSERT
CHUNK = 250  # updates built in memory before their rows are inserted
PROGRAMME = "South East Sector-Led Improvement Programme"

# (role as printed, name, organisation, email, phone): the Contact Details lines of the seeds.
CONTACTS = [
    ("Data and Information Manager", "Luke Ede", "East Sussex", "luke.ede@eastsussex.gov.uk", "07925 148597"),
    ("LGA Children’s Improvement Adviser", "Helen Watson", PROGRAMME, "helen.watson5@icloud.com", "07810 011892"),
    ("Children’s Services Performance Manager, Convener of SE Quality Assurance Network", "Amanda Meadows", "Hampshire", "amanda.meadows@hants.gov.uk", "03707 794752"),
    ("Service Manager, Early Help, Family Hubs and Supporting Families", "Carly Bain", "Isle of Wight", "carly.bain@iow.gov.uk", "07970 009956"),
    ("Education Network", "Chris Owen", PROGRAMME, "chris@bright-spark.net", "07825 862330"),
    ("SESLIP Education Data Group Lead", "Daryl Perilli", "Brighton and Hove", "daryl.perilli@brighton-hove.gov.uk", ""),
    ("The Staff College Assistant Operations Manager", "Ellie Bevis", "The Staff College", "ellie.bevis@thestaffcollege.uk", "0161 729 1065"),
    ("NHS (SE) CYP mental health", "Gavin Lockhart", "NHS England (South East)", "gavin.lockhart1@nhs.net", "07879 488307"),
    ("South East Grid for Learning – Consortium Manager", "Krista Pickering", PROGRAMME, "krista.pickering@segfl.org.uk", "07872 014083"),
    ("SESLIP Consultant", "Isabelle Gregory", PROGRAMME, "isabelle@firstcareconsultancy.co.uk", "07931 586784"),
    ("CSC Workforce, PSW and AD Safeguarding Network Lead", "Mark Evans", PROGRAMME, "mark@markevansconsulting.co.uk", "07803 147072"),
    ("Regional Development Manager Unaccompanied Asylum-Seeking Children (SE Region)", "Martin Tuck", PROGRAMME, "martin.tuck@hants.gov.uk", "03707 793651"),
    ("LGA Corporate Improvement Adviser", "Philip Simpkins", "LGA", "philip.simpkins@btinternet.com", ""),
    ("Adoption; Fostering; Kinship and Early Help Regional Networks", "Rebecca Eligon", PROGRAMME, "rebeccaeligon@gmail.com", "07944 996219"),
    ("SESLI Programme Manager", "Richard Tyndall", PROGRAMME, "richard.tyndall@richardtyndall.co.uk", "07880 787007"),
    ("S.E. Region SEND Network Programme Co-ordinator", "Sheelagh Sullivan", PROGRAMME, "sheelagh.sullivan@outlook.com", ""),
    ("Regional Data Lead", "Alastair Lee", PROGRAMME, "", ""),
    ("Lead Members Group Adviser", "Alison Michalska", PROGRAMME, "", ""),
    ("Quality Assurance Project Lead", "Diane Williamson", PROGRAMME, "", ""),
    ("SEND Regional Lead", "Tracey Maytas", PROGRAMME, "", ""),
    ("Complex LAC Project Lead", "Rosemary Perry", PROGRAMME, "", ""),
    ("Peer Challenge Lead", "Anna Wright", PROGRAMME, "", ""),
]  # fmt: skip

# (name, convener, weeks between meetings, usual start): twelve networks, as the listings name them.
NETWORKS = [
    ("AD Safeguarding", "Mark Evans", 6, datetime.time(10)),
    ("AD Education", "Chris Owen", 6, datetime.time(10)),
    ("Data Benchmarking", "Alastair Lee", 8, datetime.time(10)),
    ("Adoption and Special Guardianship Leadership Board", "Rebecca Eligon", 8, datetime.time(11)),
    ("Fostering Network", "Rebecca Eligon", 6, datetime.time(10)),
    ("Early Help", "Rebecca Eligon", 6, datetime.time(13, 30)),
    ("Kinship Network", "Rebecca Eligon", 8, datetime.time(14)),
    ("QA Network", "Amanda Meadows", 8, datetime.time(14)),
    ("SEND SE19", "Sheelagh Sullivan", 4, datetime.time(12)),
    ("Lead Members Group", "Alison Michalska", 12, datetime.time(10)),
    ("Family Hubs Community of Practice", "Carly Bain", 6, datetime.time(9, 30)),
    ("Principal Social Workers Network", "Mark Evans", 8, datetime.time(10)),
]

PUBLISHERS = [
    "DfE",
    "Ofsted",
    "LGA",
    "ADCS",
    "The Children’s Commissioner",
    "The National Audit Office",
    "The Education Policy Institute",
    "The Nuffield Family Justice Observatory",
    "The HoC Education Select Committee",
    "The What Works Centre for Children’s Social Care",
    "The Local Government Ombudsman",
    "The Competition and Markets Authority",
    "The Education Endowment Foundation",
    "The Staff College",
    "NSPCC",
]

TOPICS = [
    "children not in school",
    "elective home education",
    "unexplained pupil exits",
    "complex looked after children",
    "special guardianship",
    "support for care leavers",
    "child exploitation",
    "contextual safeguarding",
    "the SEND workforce",
    "family hubs",
    "early years funding",
    "school attendance",
    "early access to mental health support",
    "kinship care",
    "unaccompanied asylum-seeking children",
    "youth justice",
    "Key Stage 2 attainment",
    "agency social workers",
    "the Memorandum of Cooperation",
    "regional quality assurance",
    "residential care sufficiency",
    "foster carer recruitment",
    "adoption support",
    "school exclusions",
    "virtual school heads",
    "children in need and child protection",
    "the children’s social care market",
    "social workers’ use of social media",
    "educational poverty in residential care",
    "the Early Years Foundation Stage Profile",
    "non-recent child sexual abuse claims",
    "structural change in children’s services",
    "the Supporting Families programme",
    "high needs funding",
    "the Liberty Protection Safeguards",
    "children’s social care data",
]

FORMS = ["consultation on", "report on", "guidance on", "statistics on", "research briefing on"]
FORMS += ["toolkit for", "review of", "evaluation of", "call for evidence on"]

FINDINGS = [
    "there is wide variation between areas in what is spent and what is recorded",
    "capacity in performance teams has been reduced, which limits local analysis",
    "demand has risen for the fifth year running while budgets have not",
    "earlier support would reduce the number of children who need specialist services",
    "regional collaboration has produced better value than authorities acting alone",
    "too little is known about children who leave school rolls unofficially",
    "practitioners want clearer guidance and more time with children and families",
    "placement stability improves where commissioning is done at scale",
    "the workforce is stretched, with high vacancy rates in frontline teams",
    "outcomes for looked after children still lag well behind their peers",
]

ASKS = [
    ("Please nominate a representative from your authority by {due}.", "dcs"),
    ("Please confirm your attendance by {due}.", "everyone"),
    ("Please return the survey by {due}.", "ad"),
    ("Responses to the consultation are due by {due}.", "everyone"),
    ("Please send your authority’s data return by {due}.", "ad"),
    ("Book your place by {due}: places are funded by the Programme.", "practitioners"),
    ("Lead Members are invited to share their views by {due}.", "lead_member"),
    # An action's contact is the person its sentence names, as in update 478 ("please contact
    # Mark Evans (details below) by the 12 November"): the other asks have none.
    ("Please send your nominations to {who} by {due}.", "dcs"),
    ("Please confirm your place with {who} (details below) by {due}.", "everyone"),
]
UNDATED_ASKS = [
    ("Please share this with your Assistant Directors and service managers.", "dcs"),
    ("Please nominate a representative from your authority.", "dcs"),
    ("Please circulate this to your practitioners and managers.", "practitioners"),
    ("Please forward details of your nominated representative.", "ad"),
]

PLACES = [
    "County Hall, Lewes",
    "Sanctuary Buildings, London",
    "Hampshire Court, Winchester",
    "Sessions House, Maidstone",
]
EVENTS = ["workshop", "conference", "webinar", "learning event", "network meeting"]
RESOURCE_KINDS = ["report", "guidance", "toolkit", "briefing", "statistics", "framework"]

INTRO = [
    "A brief summary of the main headlines and highlights for this week are shown below. Any "
    "tools, templates or documents needed for the actions required are provided here also.",
    "If you would like to know more about these workstreams or the others in the Programme, "
    "click on the main section icons shown above.",
    "At SESLIP we are always on the look-out for good ideas that might be better implemented "
    "regionally rather than locally. If you have any suggestions, please contact Richard "
    "Tyndall, SESLI Programme Manager (details below).",
]


def long_date(day):
    return f"{day.day} {day:%B %Y}"


def weekday_date(day):
    return f"{day:%A} {day.day} {day:%B %Y}"


def clock(time):
    """10:00am, 1.30pm: as the listings print times."""
    minutes = f".{time:%M}" if time.minute else ":00" if time.hour < 12 else ""
    return f"{time.hour % 12 or 12}{minutes}{'am' if time.hour < 12 else 'pm'}"


def academic_year(day):
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def mid_sentence(name):
    return "the " + name.removeprefix("The ") if name.startswith("The ") else name


def paragraphs(*texts):
    """Already-clean HTML (what newsletters.html.clean_html keeps): the texts hold no markup."""
    return "".join(f"<p>{text}</p>" for text in texts if text)


def bullets(texts):
    return "<ul>" + "".join(f"<li>{text}</li>" for text in texts) + "</ul>"


def link(url, text):
    return f'<a href="{url}" rel="noopener noreferrer">{text}</a>'


@dataclass
class Counts:
    updates: int = 0
    items: int = 0
    reminders: int = 0
    actions: int = 0
    meetings: int = 0
    networks: int = 0
    rounds: int = 0
    triads: int = 0
    resources: int = 0
    contacts: int = 0
    big_update: int | None = None  # its number
    big_update_items: int = 0
    numbers: range = field(default_factory=lambda: range(0))


@dataclass
class ItemPlan:
    """A news item still in memory, with the rows that point at it."""

    item: NewsItem
    contact_ids: list
    network_ids: list
    authority_ids: list
    actions: list  # of Action, item filled in once the item has its pk
    triads: list = field(default_factory=list)  # the peer-challenge item's triads


class ArchiveError(Exception):
    """The archive cannot be written as asked; nothing was written."""


def numbers_in_use(numbers):
    return list(
        Issue.objects.filter(number__gte=numbers.start, number__lt=numbers.stop)
        .order_by("number")
        .values_list("number", flat=True)
    )


def generate_archive(
    *, updates, items_per_update=8, seed=1, start_number=1000, big_update=0, today=None
):
    """Write `updates` published updates numbered from `start_number`, in one transaction.

    `big_update`, if given, is the item count of the update in the middle of the run (for the
    admin benchmark). Raises ArchiveError, writing nothing, if any of the numbers is taken.
    """
    numbers = range(start_number, start_number + updates)
    taken = numbers_in_use(numbers)
    if taken:
        shown = ", ".join(str(n) for n in taken[:5]) + (" …" if len(taken) > 5 else "")
        raise ArchiveError(
            f"{len(taken)} of the updates {numbers.start}–{numbers.stop - 1} already exist "
            f"({shown}). Choose another --start-number, or remove them first."
        )
    with transaction.atomic():
        writer = ArchiveWriter(
            numbers=numbers,
            items_per_update=items_per_update,
            big_update=big_update,
            rng=random.Random(seed),
            today=today or timezone.localdate(),
            source_name=f"generate_archive --seed {seed}",
        )
        writer.write()
    return writer.counts


class ArchiveWriter:
    def __init__(self, *, numbers, items_per_update, big_update, rng, today, source_name):
        self.numbers = numbers
        self.items_per_update = items_per_update
        self.big_index = len(numbers) // 2 if big_update else None
        self.big_update = big_update
        self.rng = rng
        self.source_name = source_name
        newest = today - datetime.timedelta(days=(today.weekday() - 4) % 7)  # the last Friday
        self.dates = [
            newest - datetime.timedelta(weeks=len(numbers) - 1 - i) for i in range(len(numbers))
        ]
        self.counts = Counts(numbers=numbers)
        if big_update:
            self.counts.big_update = numbers[self.big_index]
            self.counts.big_update_items = big_update
        self.recent_headlines = deque(maxlen=2)  # the last two updates' new items: reminders
        self.recent_resources = deque(maxlen=8)
        self.now = timezone.now()

    # --- what every update shares: people, places, networks, meetings, triads ---

    def write(self):
        self.load_organisations()
        self.load_contacts()
        self.load_networks()
        self.write_meetings()
        self.write_rounds()
        for start in range(0, len(self.numbers), CHUNK):
            self.write_chunk(range(start, min(start + CHUNK, len(self.numbers))))

    def load_organisations(self):
        orgs = Organisation.objects.all()
        self.orgs = {org.name: org for org in orgs}
        self.authorities = [org for org in orgs if org.is_local_authority]
        if len(self.authorities) < 3:
            raise ArchiveError("The local authorities are missing: run `manage.py migrate` first.")

    def load_contacts(self):
        names = [name for _, name, *_ in CONTACTS]
        existing = {
            c.lname: c
            for c in Contact.objects.annotate(lname=Lower("name")).filter(
                lname__in=[n.lower() for n in names]
            )
        }
        new = [
            Contact(
                name=name,
                role=role,
                organisation=self.orgs.get(org),
                email=email,
                phone=phone,
                details_as_of=self.dates[-1],
            )
            for role, name, org, email, phone in CONTACTS
            if name.lower() not in existing
        ]
        Contact.objects.bulk_create(new)
        self.counts.contacts = len(new)
        by_lower = {**existing, **{c.name.lower(): c for c in new}}
        self.contacts = [(row, by_lower[row[1].lower()]) for row in CONTACTS]
        self.contact_by_name = {row[1]: contact for row, contact in self.contacts}

    def load_networks(self):
        self.networks = []
        for name, convener, weeks, start in NETWORKS:
            network, created = Network.objects.get_or_create(
                name=name,
                defaults={
                    "convener": self.contact_by_name[convener],
                    "description": f"The South East’s regional {name} meets every {weeks} weeks.",
                },
            )
            self.counts.networks += created
            self.networks.append((network, self.contact_by_name[convener], weeks, start))

    def write_meetings(self):
        """Each network meets every few weeks, from before the first update to months after the last."""
        meetings = []
        first = self.dates[0] - datetime.timedelta(weeks=4)
        last = self.dates[-1] + datetime.timedelta(weeks=26)
        for offset, (network, convener, weeks, start) in enumerate(self.networks):
            day = first + datetime.timedelta(days=(0, 3, 4, 5, 6)[offset % 5])  # Fri, Mon … Thu
            while day <= last:
                meetings.append(self.new_meeting(network, convener, day, start))
                day += datetime.timedelta(weeks=weeks)
        Meeting.objects.bulk_create(meetings, batch_size=BATCH)
        self.counts.meetings = len(meetings)
        self.meetings_by_network = {}
        for meeting in meetings:
            self.meetings_by_network.setdefault(meeting.network_id, []).append(meeting)
        self.meeting_dates = {
            pk: [m.date for m in listed] for pk, listed in self.meetings_by_network.items()
        }

    def new_meeting(self, network, convener, day, start):
        rng = self.rng
        online = rng.random() < 0.6
        length = datetime.timedelta(minutes=rng.choice([90, 120]))
        return Meeting(
            network=network,
            date=day,
            start_time=start,
            end_time=(datetime.datetime.combine(day, start) + length).time(),
            topic=f"Expert workshop: {rng.choice(TOPICS)}" if rng.random() < 0.35 else "",
            online=online,
            place="" if online else rng.choice(PLACES),
            status=rng.choices(list(Meeting.Status), weights=[90, 3, 4, 3], k=1)[0],
            contact=convener,
        )

    def write_rounds(self):
        """One peer-challenge round per academic year: five triads and a quartet of the LAs."""
        years = range(self.dates[0].year, self.dates[-1].year + 1)
        names = {f"{y}-{(y + 1) % 100:02d} DCS Peer Challenge": y for y in years}
        existing = {r.name: r for r in PeerChallengeRound.objects.filter(name__in=names)}
        new = [
            PeerChallengeRound(name=name, slug=slugify(name))
            for name in names
            if name not in existing
        ]
        PeerChallengeRound.objects.bulk_create(new)
        self.counts.rounds = len(new)
        triads, members = [], []
        for round_ in new:
            year = names[round_.name]
            for number, group in enumerate(self.triad_groups(), start=1):
                triad = self.new_triad(round_, number, year)
                triads.append(triad)
                members.extend(
                    TriadMember(triad=triad, authority=org, position=pos)
                    for pos, org in enumerate(group)
                )
        Triad.objects.bulk_create(triads, batch_size=BATCH)
        TriadMember.objects.bulk_create(members, batch_size=BATCH)
        self.counts.triads = len(triads)
        self.rounds = {}
        all_rounds = {**existing, **{r.name: r for r in new}}
        in_rounds = (
            Triad.objects.filter(round__in=list(all_rounds.values()))
            .select_related("round")
            .prefetch_related("memberships__authority")
        )
        for triad in in_rounds:
            self.rounds.setdefault(names[triad.round.name], []).append(triad)

    def triad_groups(self):
        las = self.rng.sample(self.authorities, len(self.authorities))
        groups = [las[i : i + 3] for i in range(0, len(las), 3)]
        if len(groups) > 1 and len(groups[-1]) < 3:
            groups[-2].extend(groups.pop())  # 19 = five triads and a quartet
        return groups

    def new_triad(self, round_, number, year):
        rng = self.rng
        day = datetime.date(year, 11, rng.randint(1, 28))
        status = rng.choices(list(Triad.Status), weights=[80, 10, 8, 2], k=1)[0]
        if status == Triad.Status.TBC:
            other = day + datetime.timedelta(days=rng.randint(3, 10))
            return Triad(
                round=round_,
                number=number,
                status=status,
                candidate_dates=[day.isoformat(), other.isoformat()],
            )
        if status == Triad.Status.REARRANGED:
            day = datetime.date(year + 1, 1, rng.randint(6, 28))
        return Triad(round=round_, number=number, date=day, status=status)

    # --- the updates, a chunk at a time ---

    def write_chunk(self, indexes):
        issues, plans, placements, triad_links, contacts, meetings = [], [], [], [], [], []
        for i in indexes:
            issue = self.new_issue(i)
            headlines, reminders = self.plan_items(i)
            issues.append(issue)
            plans += headlines
            placements += self.placements(issue, headlines, reminders)
            # An update lists the triads its text prints: a headline's, and a reminder's again.
            triads = [t for plan in headlines for t in plan.triads] + [
                t for item in reminders for t in getattr(item, "listed_triads", [])
            ]
            triad_links += [
                Issue.triads.through(issue=issue, triad=triad) for triad in dict.fromkeys(triads)
            ]
            contacts += self.contact_listing(issue)
            meetings += self.meeting_listing(issue, self.dates[i])
        Issue.objects.bulk_create(issues, batch_size=BATCH)
        NewsItem.objects.bulk_create([plan.item for plan in plans], batch_size=BATCH)
        Placement.objects.bulk_create(placements, batch_size=BATCH)
        Issue.triads.through.objects.bulk_create(triad_links, batch_size=BATCH)
        IssueContact.objects.bulk_create(contacts, batch_size=BATCH)
        IssueMeeting.objects.bulk_create(meetings, batch_size=BATCH)
        self.write_item_links(plans)
        self.write_resources(issues, indexes)
        self.counts.updates += len(issues)
        self.counts.items += len(plans)

    def new_issue(self, i):
        day = self.dates[i]
        published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        return Issue(
            number=self.numbers[i],
            date=day,
            intro="\n\n".join(INTRO),
            improvement_plan=f"Our Regional Improvement Plan for {academic_year(day)} can be "
            "found here.",
            published_at=min(published, self.now - datetime.timedelta(minutes=1)),
            source_name=self.source_name,
        )

    def plan_items(self, i):
        """New headline items for update i, and the earlier headlines it carries as reminders."""
        count = self.big_update if i == self.big_index else self.items_per_update
        earlier = [item for items in self.recent_headlines for item in items]
        reminders = self.rng.sample(earlier, min(count // 4, len(earlier)))
        day = self.dates[i]
        headlines = [self.plan_item(day) for _ in range(count - len(reminders))]
        year = day.year
        if 9 <= day.month <= 11 and i % 3 == 0 and self.rounds.get(year):
            headlines[-1] = self.plan_peer_challenge(year)
        self.recent_headlines.append([plan.item for plan in headlines])
        for plan in headlines:
            plan.item.listed_triads = plan.triads  # carried as a reminder, it lists them again
        return headlines, reminders

    def plan_item(self, day):
        rng = self.rng
        topic, publisher, form = rng.choice(TOPICS), rng.choice(PUBLISHERS), rng.choice(FORMS)
        role_contact = rng.choice(self.contacts)
        contact_name = role_contact[0][1]
        las = rng.sample(self.authorities, rng.choice([0, 0, 1, 2, 3]))
        shape = rng.randrange(4)
        published_on = day - datetime.timedelta(days=rng.randint(1, 20))
        url = f"https://www.gov.uk/government/publications/{slugify(topic)}"
        if shape == 0:
            title = f"{publisher} {form} {topic}"
        elif shape == 1:
            title = f"{topic[0].upper()}{topic[1:]}: a growing problem?"
        elif shape == 2:
            event = rng.choice(EVENTS)
            title = f"SESLIP {event} on {topic} – {weekday_date(day + datetime.timedelta(days=rng.randint(7, 60)))}"
        else:
            title = f"Help shape the regional approach to {topic}"
        update = [
            f"On {long_date(published_on)}, {mid_sentence(publisher)} published its {form} {topic}.",
            f"The report finds that {rng.choice(FINDINGS)}.",
        ]
        if las:
            names = [la.name for la in las]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            update.append(f"{listed} have shared their experience with the region.")
        update_html = paragraphs(*update) + paragraphs(
            f"You can read the full report {link(url, 'here')}."
        )
        actions, action_texts = self.plan_actions(day, role_contact[1])
        action_html = paragraphs(*action_texts)
        if rng.random() < 0.3:
            action_html += bullets(rng.sample(FINDINGS, 3))
        action_html += paragraphs(
            f"If you have any questions please contact {contact_name} (details below)."
        )
        network = rng.choice(self.networks)[0] if rng.random() < 0.4 else None
        item = NewsItem(
            title=title[:500],
            update_text=update_html,
            action_text=action_html,
            dcs_only=rng.random() < 0.04,
        )
        return ItemPlan(
            item=item,
            contact_ids=[role_contact[1].pk],
            network_ids=[network.pk] if network else [],
            authority_ids=[la.pk for la in las],
            actions=actions,
        )

    def plan_actions(self, day, contact):
        rng, actions, texts = self.rng, [], []
        for position in range(rng.choices([0, 1, 2], weights=[15, 70, 15], k=1)[0]):
            if rng.random() < 0.3:
                ask, audience = rng.choice(UNDATED_ASKS)
                due = None
            else:
                due = day + datetime.timedelta(days=rng.randint(5, 70))
                ask, audience = rng.choice(ASKS)
            text = ask.format(due=long_date(due) if due else "", who=contact.name)
            texts.append(text)
            actions.append(
                Action(
                    description=text,
                    due_date=due,
                    audience=audience,
                    contact=contact if "{who}" in ask else None,
                    closed=rng.random() < 0.1,
                    position=position,
                )
            )
        return actions, texts

    def plan_peer_challenge(self, year):
        triads = self.rounds[year]
        lines = [line for t in triads for line in triad_lines(t)]
        text = paragraphs(
            f"We are now planning Peer Challenge Triad sessions for November {year}.",
            "Self-assessments are being uploaded onto the DCS-only area of the website.",
        )
        contact = self.contact_by_name["Isabelle Gregory"]
        return ItemPlan(
            item=NewsItem(
                title=f"Peer Challenge Triads – Planning for {year}-{(year + 1) % 100:02d}",
                update_text=text,
                action_text=paragraphs(*lines)
                + paragraphs(
                    "Please contact Isabelle Gregory (details below) for further information."
                ),
            ),
            contact_ids=[contact.pk],
            network_ids=[],
            authority_ids=sorted({m.authority_id for t in triads for m in t.memberships.all()}),
            actions=[],
            triads=triads,
        )

    def placements(self, issue, headlines, reminders):
        self.counts.reminders += len(reminders)
        return [
            Placement(issue=issue, item=plan.item, section=Placement.Section.HEADLINE, position=p)
            for p, plan in enumerate(headlines)
        ] + [
            Placement(issue=issue, item=item, section=Placement.Section.REMINDER, position=p)
            for p, item in enumerate(reminders)
        ]

    def write_item_links(self, plans):
        through = NewsItem.contacts.through, NewsItem.networks.through, NewsItem.authorities.through
        contacts, networks, authorities, actions = [], [], [], []
        for plan in plans:
            pk = plan.item.pk
            contacts += [through[0](newsitem_id=pk, contact_id=c) for c in plan.contact_ids]
            networks += [through[1](newsitem_id=pk, network_id=n) for n in plan.network_ids]
            authorities += [
                through[2](newsitem_id=pk, organisation_id=a) for a in plan.authority_ids
            ]
            for action in plan.actions:
                action.item_id = pk
                actions.append(action)
        through[0].objects.bulk_create(contacts, batch_size=BATCH)
        through[1].objects.bulk_create(networks, batch_size=BATCH)
        through[2].objects.bulk_create(authorities, batch_size=BATCH)
        Action.objects.bulk_create(actions, batch_size=BATCH)
        self.counts.actions += len(actions)

    def contact_listing(self, issue):
        chosen = sorted(self.rng.sample(range(len(self.contacts)), self.rng.randint(8, 14)))
        return [
            IssueContact(
                issue=issue,
                contact=self.contacts[n][1],
                position=position,
                role=self.contacts[n][0][0],
                organisation_name=self.contacts[n][0][2],
            )
            for position, n in enumerate(chosen)
        ]

    def meeting_listing(self, issue, day):
        """Each listed network's next meeting after the update's date, as the line printed it."""
        rows = []
        horizon = day + datetime.timedelta(days=120)
        for network, convener, _, _ in self.networks:
            if self.rng.random() < 0.25:
                continue
            dates = self.meeting_dates[network.pk]
            at = bisect_right(dates, day)
            if at == len(dates) or dates[at] > horizon:
                continue
            meeting = self.meetings_by_network[network.pk][at]
            rows.append(
                IssueMeeting(
                    issue=issue,
                    meeting=meeting,
                    position=len(rows),
                    text=meeting_line(network, meeting, convener),
                )
            )
        return rows

    def write_resources(self, issues, indexes):
        rng, new, listings = self.rng, [], []
        for issue, i in zip(issues, indexes, strict=True):
            day = self.dates[i]
            fresh = []
            for _ in range(rng.randint(1, 3)):
                topic, publisher = rng.choice(TOPICS), rng.choice(PUBLISHERS)
                published_on = day - datetime.timedelta(days=rng.randint(1, 25))
                kind = rng.choice(RESOURCE_KINDS)
                fresh.append(
                    Resource(
                        title=f"{publisher} {kind} on {topic}, published {long_date(published_on)}",
                        description=f"{rng.choice(FINDINGS).capitalize()}.",
                        publisher=publisher.removeprefix("The "),
                        published_on=published_on,
                        url=f"https://www.gov.uk/guidance/{slugify(topic)}-{published_on:%Y%m%d}",
                        dcs_only=rng.random() < 0.03,
                    )
                )
            new += fresh
            listings.append((issue, fresh + list(self.recent_resources)))
            self.recent_resources.extendleft(reversed(fresh))
        Resource.objects.bulk_create(new, batch_size=BATCH)
        IssueResource.objects.bulk_create(
            [
                IssueResource(issue=issue, resource_id=resource.pk, position=p)
                for issue, listed in listings
                for p, resource in enumerate(listed)
            ],
            batch_size=BATCH,
        )
        self.counts.resources += len(new)


def triad_label(triad):
    return f"{'Quartet' if len(triad.memberships.all()) == 4 else 'Triad'} {triad.number}"


def triad_names(triad):
    """The members in their order."""
    names = [m.authority.name for m in triad.memberships.all()]
    return ", ".join(names[:-1]) + " and " + names[-1]


def triad_lines(triad):
    """The triad's line, and for one rearranged or cancelled the line saying so, as update 352
    did ("Triad 4 has been re-arranged for 10 January 2020.")."""
    lines = [f"{triad_label(triad)} – {triad_names(triad)} {triad_when(triad)}"]
    if triad.status == Triad.Status.REARRANGED:
        lines.append(f"{triad_label(triad)} has been re-arranged for {long_date(triad.date)}.")
    elif triad.status == Triad.Status.CANCELLED:
        lines.append(f"{triad_label(triad)} has been cancelled.")
    return lines


def triad_when(triad):
    if triad.candidate_dates:
        first, second = (datetime.date.fromisoformat(d) for d in triad.candidate_dates[:2])
        if (first.year, first.month) != (second.year, second.month):  # each with its month
            return (
                f"{first:%A} {first.day} {first:%B} or {second:%A} {second.day} {second:%B %Y} TBC"
            )
        return f"{first:%A} {first.day} or {second:%A} {second.day} {second:%B %Y} TBC"
    return f"on {weekday_date(triad.date)}"


def meeting_line(network, meeting, convener):
    """The listing's line, as the updates print it: "Early Help: Monday 12 September 1.30pm –
    3pm via Teams. More from …" (an end time when it has one, "via Teams" when online)."""
    when = f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B} {clock(meeting.start_time)}"
    if meeting.end_time:
        when += f" – {clock(meeting.end_time)}"
    if meeting.online:
        when += " via Teams"
    topic = f" {meeting.topic}." if meeting.topic else ""
    status = {Meeting.Status.REARRANGED: " ***NEW DATE***", Meeting.Status.CANCELLED: " CANCELLED"}
    status = status.get(meeting.status, "")
    if meeting.status == Meeting.Status.TBC:
        when += " TBC"
    return (
        f"{network.name}:{status} {when}.{topic} More from {convener.name} (contact details below)"
    )
