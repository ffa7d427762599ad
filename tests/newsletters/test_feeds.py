import datetime

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from networks.models import Meeting, Network
from tests.factories import days, make_action, make_issue, make_item, make_meeting, make_network

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


# Atom


def test_atom_feed_lists_published_updates(client):
    issue = make_issue(349, date=datetime.date(2019, 4, 26), intro="A brief summary.")
    make_item(issue, "Children not in school")
    make_item(issue, "Restricted news", dcs_only=True)
    make_issue(350, published=False)
    feed = feedparser.parse(client.get(reverse("issue_feed")).content)
    assert not feed.bozo
    assert feed.feed.title == "SESLIP updates"
    assert [e.title for e in feed.entries] == ["Update 349, 26 April 2019"]
    entry = feed.entries[0]
    assert entry.link.endswith("/updates/349/")
    assert "Children not in school" in entry.summary
    assert "Restricted news" not in entry.summary


@pytest.mark.parametrize("count", [1, 20])
def test_atom_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    for n in range(count):
        make_item(make_issue(100 + n), f"News {n}")
    with django_assert_num_queries(2):
        client.get(reverse("issue_feed"))


# iCalendar


def test_calendar_has_meetings_and_deadlines_with_stable_uids(client):
    network = make_network("Data Benchmarking")
    meeting = make_meeting(
        network,
        datetime.date(2026, 7, 1),
        start_time=datetime.time(10),
        end_time=datetime.time(12, 30),
        topic="Quarterly figures",
        online=True,
    )
    item = make_item(make_issue(349), "Consultation")
    action = make_action(item, "Respond to the consultation", due_date=datetime.date(2026, 6, 24))
    _, found = events(client.get(reverse("calendar")))
    event = found[f"meeting-{meeting.pk}@seslip"]
    assert str(event["SUMMARY"]) == "Data Benchmarking: Quarterly figures"
    assert str(event["LOCATION"]) == "Online"
    deadline = found[f"action-{action.pk}@seslip"]
    assert str(deadline["SUMMARY"]) == "Deadline: Consultation"
    assert deadline["URL"].endswith(f"/updates/349/#item-{item.pk}")


def test_calendar_times_are_in_london_time_with_summer_time(client):
    summer = make_meeting(date=datetime.date(2026, 7, 1), start_time=datetime.time(10))
    winter = make_meeting(date=datetime.date(2026, 12, 1), start_time=datetime.time(10))
    calendar, found = events(client.get(reverse("calendar")))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    summer_start = found[f"meeting-{summer.pk}@seslip"].decoded("DTSTART")
    winter_start = found[f"meeting-{winter.pk}@seslip"].decoded("DTSTART")
    assert str(summer_start.tzinfo) == "Europe/London"
    assert summer_start.utcoffset() == datetime.timedelta(hours=1)
    assert winter_start.utcoffset() == datetime.timedelta(0)
    assert found[f"meeting-{summer.pk}@seslip"].decoded("DTEND") - summer_start == (
        datetime.timedelta(hours=1)
    )


def test_meetings_without_a_time_and_deadlines_are_all_day_events(client):
    meeting = make_meeting(date=datetime.date(2026, 7, 1))
    action = make_action(make_item(make_issue(349)), due_date=datetime.date(2026, 6, 24))
    _, found = events(client.get(reverse("calendar")))
    meeting_event = found[f"meeting-{meeting.pk}@seslip"]
    assert meeting_event.decoded("DTSTART") == datetime.date(2026, 7, 1)
    assert meeting_event.decoded("DTEND") == datetime.date(2026, 7, 2)
    assert found[f"action-{action.pk}@seslip"].decoded("DTSTART") == datetime.date(2026, 6, 24)


def test_cancelled_and_tbc_meetings_say_so(client):
    cancelled = make_meeting(date=days(3), status=Meeting.Status.CANCELLED)
    tbc = make_meeting(date=days(4), status=Meeting.Status.TBC)
    _, found = events(client.get(reverse("calendar")))
    assert str(found[f"meeting-{cancelled.pk}@seslip"]["STATUS"]) == "CANCELLED"
    assert str(found[f"meeting-{tbc.pk}@seslip"]["STATUS"]) == "TENTATIVE"


def test_calendar_leaves_out_dcs_only_closed_and_unpublished_deadlines(client):
    restricted = make_action(make_item(make_issue(349), dcs_only=True), due_date=days(3))
    closed = make_action(make_item(make_issue(350)), due_date=days(3), closed=True)
    draft = make_action(make_item(make_issue(351, published=False)), due_date=days(3))
    undated = make_meeting(date=None)
    _, found = events(client.get(reverse("calendar")))
    for uid in (f"action-{restricted.pk}", f"action-{closed.pk}", f"action-{draft.pk}"):
        assert f"{uid}@seslip" not in found
    assert f"meeting-{undated.pk}@seslip" not in found


def test_network_calendar_has_only_that_networks_meetings_and_deadlines(client):
    network = make_network("Data Benchmarking")
    ours = make_meeting(network, days(3))
    theirs = make_meeting(make_network("AD Safeguarding"), days(3))
    tagged = make_action(make_item(make_issue(349), networks=[network]), due_date=days(5))
    untagged = make_action(make_item(make_issue(350)), due_date=days(5))
    calendar, found = events(client.get(reverse("network_calendar", args=[network.slug])))
    assert str(calendar["X-WR-CALNAME"]) == "SESLIP: Data Benchmarking"
    assert set(found) == {f"meeting-{ours.pk}@seslip", f"action-{tagged.pk}@seslip"}
    assert theirs and untagged


def test_unknown_network_calendar_is_not_found(client):
    assert client.get(reverse("network_calendar", args=["nowhere"])).status_code == 404


def test_one_meeting_can_be_added_to_a_calendar(client):
    meeting = make_meeting(date=datetime.date(2026, 7, 1), start_time=datetime.time(10))
    response = client.get(reverse("meeting_ics", args=[meeting.pk]))
    calendar, found = events(response)
    assert list(found) == [f"meeting-{meeting.pk}@seslip"]
    assert calendar.walk("VTIMEZONE")
    assert f'filename="meeting-{meeting.pk}.ics"' in response["Content-Disposition"]


def test_one_deadline_can_be_added_to_a_calendar(client):
    action = make_action(make_item(make_issue(349)), due_date=datetime.date(2026, 6, 24))
    _, found = events(client.get(reverse("action_ics", args=[action.pk])))
    assert list(found) == [f"action-{action.pk}@seslip"]


def test_restricted_undated_or_unknown_deadlines_are_not_found(client, dcs):
    restricted = make_action(make_item(make_issue(349), dcs_only=True), due_date=days(3))
    undated = make_action(make_item(make_issue(350)))
    assert client.get(reverse("action_ics", args=[restricted.pk])).status_code == 404
    assert client.get(reverse("action_ics", args=[undated.pk])).status_code == 404
    assert client.get(reverse("action_ics", args=[99999])).status_code == 404
    assert client.get(reverse("meeting_ics", args=[99999])).status_code == 404
    client.force_login(dcs)
    assert client.get(reverse("action_ics", args=[restricted.pk])).status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_calendars_run_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    network = make_network("Data Benchmarking")
    for n in range(count):
        make_meeting(network, days(n))
        make_action(make_item(make_issue(100 + n), networks=[network]), due_date=days(n))
    with django_assert_num_queries(2):
        client.get(reverse("calendar"))
    with django_assert_num_queries(3):
        client.get(reverse("network_calendar", args=[network.slug]))


def test_add_to_calendar_files_run_one_query_each(client, django_assert_num_queries):
    meeting = make_meeting(date=days(3))
    action = make_action(make_item(make_issue(349)), due_date=days(4))
    with django_assert_num_queries(1):
        client.get(reverse("meeting_ics", args=[meeting.pk]))
    with django_assert_num_queries(1):
        client.get(reverse("action_ics", args=[action.pk]))


def test_the_calendar_leaves_out_meetings_more_than_a_year_old(client):
    network = Network.objects.create(name="Old Network")
    today = timezone.localdate()
    Meeting.objects.create(
        network=network, date=today - datetime.timedelta(days=400), topic="Long ago"
    )
    Meeting.objects.create(
        network=network, date=today - datetime.timedelta(days=30), topic="Last month"
    )

    calendar = icalendar.Calendar.from_ical(client.get("/calendar.ics").content)

    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any("Last month" in s for s in summaries)
    assert not any("Long ago" in s for s in summaries)


def test_feed_entries_lead_with_the_headlines_linked_to_their_place(client):
    issue = make_issue(515, date=datetime.date(2022, 7, 22), intro="Welcome to this week's update.")
    item = make_item(issue, "Children not in school")
    entry = feedparser.parse(client.get(reverse("issue_feed")).content).entries[0]
    assert entry.summary.index("Children not in school") < entry.summary.index("Welcome")
    assert f'href="http://testserver/updates/515/#item-{item.pk}"' in entry.summary


def test_feed_entry_ids_are_the_updates_addresses(client):
    make_item(make_issue(515), "News")
    entry = feedparser.parse(client.get(reverse("issue_feed")).content).entries[0]
    assert entry.id == "http://testserver/updates/515/"


def test_feed_entry_is_updated_when_published_not_when_imported(client):
    published = timezone.now() - datetime.timedelta(days=400)
    issue = make_issue(515)
    type(issue).objects.filter(pk=issue.pk).update(published_at=published)
    entry = feedparser.parse(client.get(reverse("issue_feed")).content).entries[0]
    assert entry.updated_parsed[:5] == published.utctimetuple()[:5]


def test_feed_entry_is_updated_when_an_editor_edits_the_update_after(client, editor):
    issue = make_issue(515)
    type(issue).objects.filter(pk=issue.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=400)
    )
    issue.refresh_from_db()
    issue.intro = "Corrected."
    issue._history_user = editor
    issue.save()
    entry = feedparser.parse(client.get(reverse("issue_feed")).content).entries[0]
    assert entry.updated_parsed[:3] == timezone.now().utctimetuple()[:3]


def test_rss_feed_lists_the_same_updates(client):
    make_item(make_issue(515, date=datetime.date(2022, 7, 22)), "Children not in school")
    feed = feedparser.parse(client.get(reverse("issue_feed_rss")).content)
    assert not feed.bozo
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == ["Update 515, 22 July 2022"]
    assert feed.entries[0].id == "http://testserver/updates/515/"
