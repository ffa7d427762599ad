"""Writing a parsed update as records: one transaction per file, shared records matched, never
duplicated. Importing the same file again changes nothing."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import ManyToManyField, Model
from simple_history.utils import bulk_create_with_history

from contacts.models import Organisation
from networks.models import Network
from newsletters.deadlines import find_deadlines
from newsletters.html import clean_html, paragraphs_to_html
from newsletters.models import Action, Issue, NewsItem, Placement
from seslip.lib.generations import content_changed, write_batch

from .contacts import names_in, people_sent_to
from .load_listings import ListingsLoader
from .names import AuthorityNames, NetworkNames
from .records import Item, Update
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
    counts: Counter[str] = field(default_factory=Counter)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def load_update(update: Update, *, source_name: str, sha256: str, dry_run: bool = False) -> Outcome:
    """Write one parsed update (atomic); with dry_run everything is rolled back. Its records'
    derived data is refreshed, and a new content generation started, once, at the end."""
    with transaction.atomic():
        with write_batch():
            outcome = _Loader(update, source_name=source_name, sha256=sha256).run()
        if dry_run:
            transaction.set_rollback(True)
    return outcome


class _Loader(ListingsLoader):
    def __init__(self, update: Update, *, source_name: str, sha256: str) -> None:
        self.update = update
        self.source_name = source_name
        self.sha256 = sha256
        self.warnings = list(update.warnings)
        self.counts = Counter()
        self.issue_triads = set()

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    def run(self) -> Outcome:
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

    # News items

    def _items(self, previous):
        nearby = self._nearby_items()
        networks = NetworkNames(Network.objects.select_related("convener"))
        placed: set[int] = set()
        positions: Counter[str] = Counter()
        new_items: list[NewsItem] = []
        placements: list[Placement] = []
        self.actions: list[Action] = []
        relations: dict[str, list[tuple[NewsItem, int]]] = {
            "contacts": [],
            "authorities": [],
            "networks": [],
        }
        for parsed in self.update.items:
            item = self._match_item(parsed, previous, nearby, placed)
            existed = item is not None
            html_update = paragraphs_to_html([p.text for p in parsed.update])
            html_action = paragraphs_to_html([p.text for p in parsed.action])
            if item is None:
                item = NewsItem(title=parsed.title[:500], update_text=html_update)
                item.action_text, item.dcs_only = html_action, parsed.dcs_only
                item.clean_texts()
                new_items.append(item)  # written with the others, in one go
            elif parsed.section == "headline" or key(parsed.title) in previous:
                item.title = parsed.title[:500]
                item.update_text, item.action_text = html_update, html_action
                item.dcs_only = parsed.dcs_only
                item.save()
            if existed:
                placed.add(item.pk)
            positions[parsed.section] += 1
            placements.append(
                Placement(
                    issue=self.issue,
                    item=item,
                    section=parsed.section,
                    position=positions[parsed.section],
                    progress=parsed.progress,
                    # What this update printed, whatever the item says later.
                    printed={
                        "title": parsed.title[:500],
                        "update_text": clean_html(html_update),
                        "action_text": clean_html(html_action),
                    },
                )
            )
            self.counts["items" if parsed.section == "headline" else "reminders"] += 1
            contacts = self._item_contacts(parsed)
            relations["contacts"].extend((item, c.pk) for c in contacts)
            relations["authorities"].extend(
                (item, org.pk)
                for text in [parsed.title, parsed.plain_text()]
                for org in self.authorities.named_in(text)
            )
            relations["networks"].extend(
                (item, network.pk)
                for network in networks.named_in(
                    [parsed.title, *(p.text for p in parsed.paragraphs)]
                )
            )
            self._triads(parsed)
            first = self._first_run(item, parsed, existed)
            self._actions(parsed, item, contacts, first=first, existed=existed)
        bulk_create_with_history(new_items, NewsItem)
        bulk_create_with_history(placements, Placement)
        bulk_create_with_history(self.actions, Action)
        self._relate(relations)

    @staticmethod
    def _relate(relations):
        """The items' contacts, authorities and networks, each relation written in one go (a
        pair already there is left as it is)."""
        for name, pairs in relations.items():
            relation = cast("ManyToManyField[Any, Any]", NewsItem._meta.get_field(name))
            through = cast("type[Model]", relation.remote_field.through)  # auto-created: never None
            item_id = f"{relation.m2m_field_name()}_id"
            other_id = f"{relation.m2m_reverse_field_name()}_id"
            rows = [
                through(**{item_id: item, other_id: pk})
                for item, pk in sorted({(item.pk, pk) for item, pk in pairs})
            ]
            through._default_manager.bulk_create(rows, ignore_conflicts=True)
        content_changed()  # a relation readers see: the batch's generation covers it

    def _nearby_items(self):
        """Items run within a year of this update with a title it runs, by title: a reminder is
        the same story."""
        d = self.update.date
        titles = {key(parsed.title) for parsed in self.update.items}
        near = (
            NewsItem.objects.filter(
                placements__issue__date__range=(d - SAME_STORY_WINDOW, d + SAME_STORY_WINDOW)
            )
            .exclude(placements__issue=self.issue)
            .values_list("pk", "title")
            .distinct()
        )
        same = [pk for pk, title in near if key(title) in titles]
        nearby: dict[str, list[NewsItem]] = {}
        for item in NewsItem.objects.filter(pk__in=same).prefetch_related("placements__issue"):
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
        if len(candidates) > 1:  # one story told again word for word, before the nearest
            texts = [clean_html(paragraphs_to_html([p.text for p in parsed.update]))]
            texts.append(clean_html(paragraphs_to_html([p.text for p in parsed.action])))
            same = [i for i in candidates if [i.update_text, i.action_text] == texts]
            candidates = same or candidates
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

    def _first_run(self, item: NewsItem, parsed: Item, existed: bool) -> tuple[datetime.date, str]:
        """The first update to run the item, this one included: (its date, the section)."""
        here = (self.update.date, parsed.section)
        if not existed:
            return here
        first = item.placements.select_related("issue").order_by("issue__date", "pk").first()
        if first is None or first.issue.date > self.update.date:
            return here
        return (first.issue.date, first.section)

    def _actions(self, parsed, item, contacts, *, first, existed):
        """The item's deadlines as actions (written with the placements, in one go). A date
        before the update that first ran the text is never a deadline of it ("published by
        30 April 2020"): it is named in a warning. A story first seen as a reminder began in an
        earlier update: its deadline up to eight weeks before the reminder is that update's, now
        overdue."""
        reference, section = first
        allow = OVERDUE_REMINDER_DAYS if section == Placement.Section.REMINDER else 0
        known = set(item.actions.values_list("description", flat=True)) if existed else set()
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
                if sentence in known:
                    continue
                known.add(sentence)
                named = [c for c in contacts if key(c.name) in key(sentence)]
                self.actions.append(
                    Action(
                        item=item,
                        description=sentence,
                        due_date=due,
                        contact=named[0] if named else None,
                        position=position,
                    )
                )
                self.counts["actions"] += 1
