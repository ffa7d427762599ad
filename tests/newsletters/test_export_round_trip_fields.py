"""Each field the round trip keeps, printed in the newsletter's own words by the editor's export
(`manage.py export_updates`) and read back by the importer into an empty database."""

import datetime

import pytest
from django.core.management import call_command

from contacts.models import Contact
from networks.models import Meeting, Triad
from newsletters.models import Action, IssueMeeting, NewsItem, Placement, Resource
from tests.factories import (
    list_contact,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    make_triad,
    place,
)

from .archive_records import empty_archive
from .test_import_support import run_import

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 4, 19)


def exported_and_imported_again(folder):
    """What the editor's export prints, imported into an empty database: the printed text."""
    call_command("export_updates", "--to", str(folder), stdout=None)
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(folder.iterdir()))
    empty_archive()
    result = run_import(folder)
    assert not result.failed, result.err
    return text


def test_a_dcs_only_item_is_marked_in_the_editors_export_and_imported_as_dcs_only(tmp_path):
    issue = make_issue(600, date=DAY)
    make_item(issue, "Open to all")
    make_item(issue, "Regional Improvement Plan v1.7", dcs_only=True, position=1)

    text = exported_and_imported_again(tmp_path)

    assert "\nRegional Improvement Plan v1.7 (DCSs only)\n" in text
    assert NewsItem.objects.get(title="Regional Improvement Plan v1.7").dcs_only
    assert not NewsItem.objects.get(title="Open to all").dcs_only


def test_a_dcs_only_tools_and_templates_entry_is_marked_and_imported_as_dcs_only(tmp_path):
    issue = make_issue(600, date=DAY)
    make_item(issue, "Open to all")
    make_resource(issue, "Annual Conversation letters", url="https://x.org/ac", dcs_only=True)

    text = exported_and_imported_again(tmp_path)

    assert "\n[Annual Conversation letters](https://x.org/ac) (DCSs only)\n" in text
    resource = Resource.objects.get()
    assert (resource.title, resource.url, resource.dcs_only) == (
        "Annual Conversation letters",
        "https://x.org/ac",
        True,
    )


def test_an_archived_title_closing_with_dcss_only_is_imported_as_dcs_only(tmp_path):
    path = tmp_path / "600.txt"
    path.write_text(
        "UPDATE NO 600 19 April 2024\n\nProgramme:\nSelf-assessments 2024 (DCSs only)\n"
        "Update:\nSixteen of the nineteen self-assessments are now on the website.\n"
    )

    assert not run_import(path).failed

    item = NewsItem.objects.get()
    assert (item.title, item.dcs_only) == ("Self-assessments 2024", True)


def test_a_dcs_reads_which_items_are_for_dcss_only_in_the_text(client, dcs):
    issue = make_issue(600)
    make_item(issue, "Self-assessments", dcs_only=True)
    client.force_login(dcs)

    assert "\nSelf-assessments (DCSs only)\n" in client.get("/updates/600.txt").content.decode()


def listed_meeting(issue, **fields):
    """A meeting listed as composed in the admin: no line printed yet, the export writes it."""
    convener = make_contact("Mark Evans", role="AD Safeguarding Network Lead")
    list_contact(issue, convener)
    meeting = make_meeting(make_network("AD Safeguarding"), contact=convener, **fields)
    IssueMeeting.objects.create(issue=issue, meeting=meeting, text="")
    return meeting


def test_an_online_meeting_keeps_its_end_time_and_being_online(tmp_path):
    issue = make_issue(600, date=DAY)
    make_item(issue, "Open to all")
    listed_meeting(
        issue,
        date=datetime.date(2024, 5, 10),
        start_time=datetime.time(10),
        end_time=datetime.time(11, 30),
        topic="Expert workshop: kinship care",
        online=True,
    )

    text = exported_and_imported_again(tmp_path)

    assert (
        "AD Safeguarding: Friday 10 May 2024 10:00 – 11:30 Expert workshop: kinship care. " in text
    )
    meeting = Meeting.objects.get()
    assert (meeting.start_time, meeting.end_time, meeting.online, meeting.topic) == (
        datetime.time(10),
        datetime.time(11, 30),
        True,
        "Expert workshop: kinship care",
    )
    assert meeting.contact.name == "Mark Evans"


def test_a_meeting_in_person_is_imported_as_not_online(tmp_path):
    issue = make_issue(600, date=DAY)
    make_item(issue, "Open to all")
    listed_meeting(issue, date=datetime.date(2024, 5, 10), start_time=datetime.time(14))

    exported_and_imported_again(tmp_path)

    meeting = Meeting.objects.get()
    assert (meeting.start_time, meeting.end_time, meeting.online, meeting.topic) == (
        datetime.time(14),
        None,
        False,
        "",
    )


def peer_challenge(issue, *lines):
    """The item that lists the triads, in the newsletter's words."""
    text = "".join(f"<p>{line}</p>" for line in lines)
    return make_item(issue, "Peer Challenge Triads – Planning for 2019-20", action_text=text)


def test_a_rearranged_triad_is_read_back_as_rearranged(tmp_path):
    issue = make_issue(380, date=datetime.date(2019, 11, 29))
    triad = make_triad(
        number=4,
        authorities=("Medway", "Oxfordshire", "Windsor and Maidenhead"),
        date=datetime.date(2020, 1, 10),
        status=Triad.Status.REARRANGED,
    )
    issue.triads.add(triad)
    peer_challenge(
        issue,
        "Triad 4 – Medway, Oxfordshire and Windsor and Maidenhead on Friday 10 January 2020",
        "Triad 4 has been re-arranged for 10 January 2020.",
    )

    exported_and_imported_again(tmp_path)

    triad = Triad.objects.get()
    assert (triad.number, triad.date, triad.status) == (
        4,
        datetime.date(2020, 1, 10),
        Triad.Status.REARRANGED,
    )
    assert [m.authority.name for m in triad.memberships.all()] == [
        "Medway",
        "Oxfordshire",
        "Windsor and Maidenhead",
    ]


def test_a_cancelled_triad_is_read_back_as_cancelled_with_its_date(tmp_path):
    issue = make_issue(380, date=datetime.date(2019, 11, 8))
    triad = make_triad(number=2, date=datetime.date(2019, 11, 25), status=Triad.Status.CANCELLED)
    issue.triads.add(triad)
    peer_challenge(
        issue,
        "Triad 2 – Kent, Medway and Surrey on Monday 25 November 2019",
        "Triad 2 has been cancelled.",
    )

    exported_and_imported_again(tmp_path)

    triad = Triad.objects.get()
    assert (triad.date, triad.status) == (datetime.date(2019, 11, 25), Triad.Status.CANCELLED)


def test_an_actions_contact_is_the_person_its_sentence_names_and_actions_keep_their_order(
    tmp_path,
):
    issue = make_issue(600, date=DAY)
    evans = make_contact("Mark Evans", role="AD Safeguarding Network Lead")
    list_contact(issue, evans)
    first = "Please send your nominations to Mark Evans (details below) by 10 May 2024."
    second = "Please return the survey by 3 May 2024."
    item = make_item(
        issue, "Workforce survey", action_text=f"<p>{first}</p><p>{second}</p>", contacts=[evans]
    )
    make_action(item, first, due_date=datetime.date(2024, 5, 10), contact=evans, position=1)
    make_action(item, second, due_date=datetime.date(2024, 5, 3), position=2)

    exported_and_imported_again(tmp_path)

    actions = Action.objects.order_by("position")
    assert [(a.description, a.due_date, a.contact) for a in actions] == [
        (first, datetime.date(2024, 5, 10), Contact.objects.get(name="Mark Evans")),
        (second, datetime.date(2024, 5, 3), None),
    ]


def test_a_reminders_done_so_far_line_is_printed_under_it_and_read_back(tmp_path):
    earlier, issue = (
        make_issue(599, date=DAY - datetime.timedelta(weeks=1)),
        make_issue(600, date=DAY),
    )
    item = make_item(earlier, "Workforce survey", action_text="<p>Please reply.</p>")
    place(issue, item, section=Placement.Section.REMINDER)
    issue.placements.update(progress="Done so far: Portsmouth, Kent (2 of 19)")

    text = exported_and_imported_again(tmp_path)

    assert "\nPlease reply.\n\nDone so far: Portsmouth, Kent (2 of 19)\n" in text
    reminder = Placement.objects.get(issue__number=600)
    assert (reminder.section, reminder.progress, reminder.item.action_text) == (
        Placement.Section.REMINDER,
        "Done so far: Portsmouth, Kent (2 of 19)",
        "<p>Please reply.</p>",
    )


def test_a_meeting_of_virtual_school_heads_is_not_read_as_online(tmp_path):
    path = tmp_path / "600.txt"
    path.write_text(
        "UPDATE NO 600 19 April 2024\n\nProgramme:\nOpen to all\nUpdate:\nWhat has happened.\n\n"
        "Reminders from previous weeks\n\nProgramme:\nFuture dates for network meetings\nUpdate:\n"
        "Virtual School Heads: Friday 10 May 2024 10:00am. Expert workshop: virtual school heads."
        " More from Mark Evans (contact details below)\n"
    )

    assert not run_import(path).failed

    meeting = Meeting.objects.get()
    assert (meeting.network.name, meeting.online) == ("Virtual School Heads", False)
