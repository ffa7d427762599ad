"""The admin as editors and conveners read it: their words, their records, their heading."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import days, make_issue, make_meeting

pytestmark = pytest.mark.django_db


def test_editor_home_is_headed_for_composing_the_update(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assert "<h1>Compose and keep the weekly update</h1>" in response.text


def test_convener_home_is_headed_for_their_meetings(client, convener):
    client.force_login(convener)
    response = client.get(reverse("admin:index"))
    assert "<h1>Keep your network&#x27;s meeting dates</h1>" in response.text
    assert "Compose and keep the weekly update" not in response.text
    assert "Start next week" not in response.text


def test_editor_home_lists_what_editors_work_on_and_no_join_tables(client, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    for name in ["Updates", "News items", "Actions", "Meetings", "Networks", "Triads"]:
        assert f">{name}</a>" in response.text
    for name in ["Contacts", "Tools &amp; Templates"]:
        assert f">{name}</a>" in response.text
    for join_table in ["Placements", "News items in updates", "Network meeting listings"]:
        assert join_table not in response.text
    assert "Contact Details entries" not in response.text
    assert "Triad members" not in response.text


def test_admin_says_update_where_it_said_issue(client, editor):
    client.force_login(editor)
    issue = make_issue(516)
    response = client.get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert "<h1>Change update</h1>" in response.text
    changelist = client.get(reverse("admin:newsletters_issue_changelist"))
    assert "Select update to change" in changelist.text
    assert "Issue" not in changelist.text
    assert ">issue" not in changelist.text


def test_meeting_times_redisplay_as_hours_and_minutes(client, editor, safeguarding_network):
    client.force_login(editor)
    meeting = make_meeting(safeguarding_network, days(7), start_time=datetime.time(10))
    response = client.get(reverse("admin:networks_meeting_change", args=[meeting.pk]))
    assert 'value="10:00"' in response.text
    assert "10:00:00" not in response.text
