"""The e-mail edition prints what the update printed: its future network meeting dates and its
Contact Details in both parts, as its page does, even when a meeting or a contact changed after
the update was published and before the worker sent it. Read as a mail client would, from a real
SMTP server on loopback."""

import datetime

import pytest

from newsletters import services
from newsletters.mailing import message
from newsletters.models import IssueMeeting, Placement
from tests.factories import (
    list_contact,
    list_meeting,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_round,
    make_triad,
)

from .test_email_edition import parts, subscriber

pytestmark = pytest.mark.django_db

PRINTED_DAY = datetime.date(2022, 7, 29)


def list_meeting_composed(issue, meeting, position=0):
    """A meeting listed on the compose screen: no line typed, its facts are printed."""
    return IssueMeeting.objects.create(issue=issue, meeting=meeting, position=position)


def delivered(mail_server, address="ann@example.org"):
    return parts(mail_server.inbox.to(address)[0])


def test_the_e_mail_lists_the_updates_future_meeting_dates_in_both_parts(
    update_515, mail_server, run_tasks
):
    subscriber("ann@example.org")
    meeting = make_meeting(
        make_network("AD Safeguarding"),
        PRINTED_DAY,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    list_meeting_composed(update_515, meeting)
    services.publish_update(issue=update_515)

    run_tasks()

    body = delivered(mail_server)
    html = body["text/html"]
    assert "Future dates for network meetings" in html
    assert "AD Safeguarding" in html and "Friday 29 July 2022, 10:00–12:00" in html
    assert "AD Safeguarding: Friday 29 July 2022 10:00 – 12:00" in body["text/plain"]


def test_a_meeting_moved_before_the_e_mail_went_out_is_sent_as_the_update_printed_it(
    update_515, mail_server, run_tasks
):
    subscriber("ann@example.org")
    meeting = make_meeting(
        make_network("AD Safeguarding"), PRINTED_DAY, start_time=datetime.time(10)
    )
    list_meeting_composed(update_515, meeting)
    services.publish_update(issue=update_515)
    meeting.date, meeting.start_time = datetime.date(2027, 1, 15), datetime.time(14)
    meeting.save()  # a convener moves it before the worker sent the update

    run_tasks()

    body = delivered(mail_server)
    assert "Friday 29 July 2022, 10:00" in body["text/html"]
    assert "Friday 29 July 2022 10:00" in body["text/plain"]
    for part in body.values():
        assert "2027" not in part and "14:00" not in part


def test_contact_details_changed_before_the_e_mail_went_out_are_sent_as_the_update_printed_them(
    update_515, mail_server, run_tasks
):
    subscriber("ann@example.org")
    contact = make_contact(email="isabelle@example.org", phone="01234 567890")
    list_contact(update_515, contact)
    services.publish_update(issue=update_515)
    contact.email, contact.phone = "isabelle.gregory@example.org", "07700 900123"
    contact.save()

    run_tasks()

    body = delivered(mail_server)
    assert 'href="mailto:isabelle@example.org"' in body["text/html"]
    for part in body.values():
        assert "Isabelle Gregory" in part
        assert "isabelle@example.org" in part and "01234 567890" in part
        assert "isabelle.gregory@example.org" not in part and "07700 900123" not in part


def test_a_meeting_moved_since_last_weeks_update_goes_out_with_its_new_date_in_both_parts(
    update_515, editor, mail_server, run_tasks
):
    """Starting next week's update carries last week's line; the meeting has moved since, so
    what the new update prints (its page, its e-mail's HTML part) is the new date: the text part
    prints that too, not last week's line."""
    subscriber("ann@example.org")
    meeting = make_meeting(
        make_network("AD Safeguarding"), datetime.date(2022, 8, 29), start_time=datetime.time(10)
    )
    list_meeting(update_515, meeting, text="AD Safeguarding: Monday 29 August 2022 10:00")
    services.publish_update(issue=update_515)
    run_tasks()
    meeting.date = datetime.date(2022, 9, 5)
    meeting.save()
    update_516 = services.start_next_update(after=update_515, by=editor)
    make_item(update_516, "Next week's news")
    services.publish_update(issue=update_516)

    run_tasks()

    body = parts(mail_server.inbox.to("ann@example.org")[1])
    assert "Monday 5 September 2022, 10:00" in body["text/html"]
    assert "AD Safeguarding: Monday 5 September 2022 10:00" in body["text/plain"]
    for part in body.values():
        assert "29 August" not in part


def test_a_reminders_progress_line_is_in_both_parts_as_on_the_update_page(
    update_515, mail_server, run_tasks
):
    subscriber("ann@example.org")
    make_item(
        update_515,
        "Regional survey",
        section=Placement.Section.REMINDER,
        action_text="<p>Reply by Friday.</p>",
    )
    update_515.placements.filter(section=Placement.Section.REMINDER).update(
        progress="Done so far: Kent, Medway"
    )
    services.publish_update(issue=update_515)

    run_tasks()

    for part in delivered(mail_server).values():
        assert "Done so far: Kent, Medway" in part


def listed_many(issue, count):
    network, round = make_network("AD Safeguarding"), make_round(f"Round {issue.number}")
    for n in range(count):
        list_meeting_composed(issue, make_meeting(network, PRINTED_DAY), position=n)
        contact = make_contact(f"Contact {issue.number}-{n}", email=f"c{n}@example.org")
        list_contact(issue, contact, position=n)
        issue.triads.add(make_triad(round, number=n + 1))


@pytest.mark.parametrize("dcs", [True, False])
def test_rendering_the_e_mail_costs_the_same_queries_however_many_meetings_and_contacts(
    django_assert_num_queries, dcs
):
    small = make_issue(515, date=datetime.date(2022, 7, 22), published=False)
    large = make_issue(516, date=datetime.date(2022, 7, 29), published=False)
    for issue, count in ((small, 1), (large, 12)):
        make_item(issue, f"News in {issue.number}")
        listed_many(issue, count)
        services.publish_update(issue=issue)
    with django_assert_num_queries(14 if dcs else 15):
        message.render(small, dcs=dcs)
    with django_assert_num_queries(14 if dcs else 15):
        message.render(large, dcs=dcs)
