"""Re-imports, reminders across updates, and details kept current from the newest update."""

import datetime

import pytest

from contacts.models import Contact
from networks.models import Meeting, Network, Triad
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

from .test_import_support import SEED, SEEDS, import_seed, run_import

pytestmark = pytest.mark.django_db

MODELS = [Issue, NewsItem, Placement, Action, Resource, IssueResource, Contact, IssueContact]
MODELS += [Meeting, IssueMeeting, Network, Triad]


def snapshot():
    return {model.__name__: model.objects.count() for model in MODELS}


def update_text(number, date, *, headline="", reminders="", contacts=""):
    return (
        f"UPDATE NO {number} {date}\n\nUPDATE NO {number} {date}\n\n\n{headline}"
        f"\nReminders from previous weeks\n\n\n{reminders}\nContact Details\n\n{contacts}"
    )


STORY = "Regional café network launched\n\n\nThe new network met and agreed its plan for the year ahead.\n\nAction Required:\n\n{action}\n\n\n"


def test_importing_the_seeds_again_changes_nothing():
    import_seed(312, 349, 377, 478, 515)
    before = snapshot()
    result = run_import(SEEDS)
    assert result.summary.startswith("5 files: 0 new, 0 changed, 5 unchanged, 0 failed")
    assert snapshot() == before
    assert all(line.endswith(": unchanged") for line in result.out.splitlines()[:-1])


def test_a_folder_imports_every_update_in_it():
    result = run_import(SEEDS)
    assert result.summary.startswith("5 files: 5 new")
    assert sorted(Issue.objects.values_list("number", flat=True)) == [312, 349, 377, 478, 515]


def test_dry_run_saves_nothing():
    result = run_import(SEEDS, dry_run=True)
    assert result.summary.startswith("Dry run, nothing saved: 5 files: 5 new")
    assert Issue.objects.count() == 0 and NewsItem.objects.count() == 0


def test_a_changed_file_updates_its_issue_without_duplicates(tmp_path):
    path = tmp_path / "349.txt"
    original = SEED[349].read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    run_import(path)
    before = snapshot()
    path.write_text(original.replace("Complex LAC Project\n", "Complex LAC Project 2019\n", 1))
    result = run_import(path)
    assert ": changed — 3 items, 3 reminders" in result.out
    update = Issue.objects.get(number=349)
    assert "Complex LAC Project 2019" in [p.item.title for p in update.headlines()]
    assert not NewsItem.objects.filter(title="Complex LAC Project").exists()
    assert snapshot() == before


def test_a_reminder_is_the_item_an_earlier_update_ran(tmp_path):
    first = tmp_path / "a.txt"
    first.write_text(update_text(600, "3 March 2023", headline=STORY.format(action="Reply soon.")))
    second = tmp_path / "b.txt"
    second.write_text(
        update_text(601, "10 March 2023", reminders=STORY.format(action="Reply soon."))
    )
    run_import(first, second)
    item = NewsItem.objects.get()
    assert [(p.issue.number, p.section) for p in item.placements.order_by("issue__number")] == [
        (600, "headline"),
        (601, "reminder"),
    ]


def test_of_two_stories_with_one_title_a_reminder_is_the_one_it_repeats_word_for_word(tmp_path):
    files = []
    for number, date, part, action in [
        (600, "3 March 2023", "headline", "Reply soon."),
        (601, "10 March 2023", "headline", "Send your plans."),
        (602, "17 March 2023", "reminders", "Reply soon."),
    ]:
        files.append(tmp_path / f"{number}.txt")
        files[-1].write_text(update_text(number, date, **{part: STORY.format(action=action)}))
    run_import(*files)
    reminder = Placement.objects.get(issue__number=602).item
    assert [p.issue.number for p in reminder.placements.order_by("issue__number")] == [600, 602]
    assert "Reply soon." in reminder.action_text


def test_a_reminder_found_before_its_headline_is_still_one_item(tmp_path):
    (tmp_path / "b.txt").write_text(
        update_text(601, "10 March 2023", reminders=STORY.format(action="Reply soon."))
    )
    run_import(tmp_path / "b.txt")
    (tmp_path / "a.txt").write_text(
        update_text(600, "3 March 2023", headline=STORY.format(action="Reply soon."))
    )
    run_import(tmp_path / "a.txt")
    assert NewsItem.objects.count() == 1


def test_deadline_without_year_takes_the_year_of_the_first_run(tmp_path):
    story = STORY.format(action="Please reply by 6 March.")
    (tmp_path / "a.txt").write_text(update_text(600, "3 March 2023", headline=story))
    (tmp_path / "b.txt").write_text(update_text(601, "10 March 2023", reminders=story))
    run_import(tmp_path)
    action = Action.objects.get()
    assert action.due_date == datetime.date(2023, 3, 6)


def test_an_overdue_deadline_in_a_new_reminder_stays_in_its_year(tmp_path):
    story = STORY.format(action="Please reply by 6 March.")
    (tmp_path / "b.txt").write_text(update_text(601, "10 March 2023", reminders=story))
    run_import(tmp_path)
    assert Action.objects.get().due_date == datetime.date(2023, 3, 6)


def test_a_headline_deadline_before_the_update_is_next_year(tmp_path):
    story = STORY.format(action="Please reply by 6 March.")
    (tmp_path / "a.txt").write_text(update_text(601, "10 March 2023", headline=story))
    run_import(tmp_path)
    assert Action.objects.get().due_date == datetime.date(2024, 3, 6)


def test_contact_details_are_kept_from_the_newest_update():
    import_seed(515, 349)  # sorted by date: 349 first, then 515
    luke = Contact.objects.get(name="Luke Ede")
    assert (luke.role, luke.email, luke.details_as_of) == (
        "Data and Information Manager",
        "luke.ede@eastsussex.gov.uk",
        datetime.date(2022, 7, 22),
    )


def test_an_older_update_imported_later_does_not_overwrite_contact_details():
    import_seed(515)
    import_seed(349)
    luke = Contact.objects.get(name="Luke Ede")
    assert (luke.role, luke.organisation.name) == ("Data and Information Manager", "East Sussex")
    assert IssueContact.objects.get(issue__number=349, contact=luke).role == "Data Benchmarking"
    assert Contact.objects.filter(name__iexact="luke ede").count() == 1


def test_the_same_meeting_across_updates_is_one_meeting(tmp_path):
    import_seed(478)
    copy = tmp_path / "479.txt"
    copy.write_text(
        SEED[478]
        .read_text(encoding="utf-8")
        .replace("UPDATE NO 478 05 November 2021", "UPDATE NO 479 12 November 2021")
    )
    run_import(copy)
    assert Meeting.objects.filter(network__name="QA Network").count() == 1
    assert Meeting.objects.get(network__name="QA Network").listings.count() == 2
    assert Meeting.objects.filter(network__name="Fostering Network", date=None).count() == 1


def test_resources_with_the_same_title_are_one_resource():
    import_seed(312, 349, 377)
    prospectus = Resource.objects.get(title="SESLIP Leadership Development Prospectus")
    assert prospectus.listings.count() == 2


def test_a_meeting_date_earlier_in_the_year_than_the_update_is_next_year(tmp_path):
    meetings = (
        "Future dates for network meetings\n\n\n"
        "AD Safeguarding: Friday 12 January 10:00am. More from Mark Evans (contact details below)\n\n"
        "Early Help: Friday 17 March 11am-12.30pm. More from Mark Evans (contact details below)\n\n\n"
    )
    contacts = "Network Lead: Mark Evans (South East Sector-Led Improvement Programme)\n"
    (tmp_path / "a.txt").write_text(
        update_text(
            601,
            "10 March 2023",
            headline=STORY.format(action="Please reply.") + meetings,
            contacts=contacts,
        )
    )
    run_import(tmp_path)
    assert Meeting.objects.get(network__name="AD Safeguarding").date == datetime.date(2024, 1, 12)
    early_help = Meeting.objects.get(network__name="Early Help")
    assert (early_help.date, early_help.start_time, early_help.end_time) == (
        datetime.date(2023, 3, 17),
        datetime.time(11, 0),
        datetime.time(12, 30),
    )
    assert Network.objects.get(name="Early Help").convener.name == "Mark Evans"
