"""Starting the next update: a dated draft with last week's standing material carried forward."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.models import Meeting
from newsletters import services
from newsletters.models import Issue, Placement
from tests.admin_pages import issue_form
from tests.factories import (
    list_contact,
    list_meeting,
    make_action,
    make_contact,
    make_issue,
    make_item,
    make_meeting,
    make_network,
    make_resource,
    place,
)

FRIDAY = datetime.date(2030, 11, 1)
NEXT_FRIDAY = datetime.date(2030, 11, 8)
REMINDER = Placement.Section.REMINDER


@pytest.fixture
def last_week(db):
    return make_issue(349, date=FRIDAY, intro="<p>If you would like to know more…</p>")


def start(after, user):
    return services.start_next_update(after=after, by=user)


def reminder_titles(issue):
    return [p.item.title for p in issue.reminders().select_related("item").order_by("position")]


def test_the_next_update_is_a_draft_numbered_and_dated_a_week_on(last_week, editor):
    draft = start(last_week, editor)
    assert (draft.number, draft.date, draft.published_at) == (350, NEXT_FRIDAY, None)


def test_the_opening_text_is_carried_over(last_week, editor):
    assert start(last_week, editor).intro == "<p>If you would like to know more…</p>"


def test_the_next_update_has_no_headlines_yet(last_week, editor):
    make_item(last_week, "Conference")
    assert not start(last_week, editor).headlines().exists()


def test_last_weeks_headlines_become_reminders_in_order(last_week, editor):
    make_item(last_week, "Second", position=1)
    make_item(last_week, "First", position=0)
    assert reminder_titles(start(last_week, editor)) == ["First", "Second"]


def test_items_with_open_actions_stay_as_reminders_after_the_headlines(last_week, editor):
    older = make_issue(348, date=FRIDAY - datetime.timedelta(days=7))
    survey = make_item(older, "Survey")
    make_action(survey, due_date=NEXT_FRIDAY)
    place(last_week, survey, section=REMINDER)
    make_item(last_week, "Conference")
    assert reminder_titles(start(last_week, editor)) == ["Conference", "Survey"]


def test_items_with_open_actions_are_carried_from_the_last_four_updates_only(last_week, editor):
    for number in (348, 347, 346, 345):  # with 349, the last four are 349 to 346
        issue = make_issue(number, date=FRIDAY - datetime.timedelta(weeks=349 - number))
        make_action(make_item(issue, f"From {number}"))
    assert reminder_titles(start(last_week, editor)) == ["From 348", "From 347", "From 346"]


def test_the_last_four_updates_are_counted_by_update_not_by_week(last_week, editor):
    skipped_weeks = make_issue(340, date=FRIDAY - datetime.timedelta(weeks=9))
    make_action(make_item(skipped_weeks, "Before the summer break"))
    assert reminder_titles(start(last_week, editor)) == ["Before the summer break"]


def test_a_reminder_whose_actions_are_all_closed_is_dropped(last_week, editor):
    item = make_item(last_week, "Done", section=REMINDER)
    make_action(item, closed=True)
    assert reminder_titles(start(last_week, editor)) == []


def test_a_reminder_whose_action_is_past_due_by_the_new_date_is_dropped(last_week, editor):
    item = make_item(last_week, "Deadline passed", section=REMINDER)
    make_action(item, due_date=NEXT_FRIDAY - datetime.timedelta(days=1))
    assert reminder_titles(start(last_week, editor)) == []


def test_a_reminder_without_actions_is_dropped(last_week, editor):
    make_item(last_week, "Old news", section=REMINDER)
    assert reminder_titles(start(last_week, editor)) == []


def test_tools_and_templates_are_carried_over_in_order(last_week, editor):
    make_resource(last_week, "Second", position=1)
    make_resource(last_week, "First", position=0)
    draft = start(last_week, editor)
    titles = [listing.resource.title for listing in draft.resource_listings.all()]
    assert titles == ["First", "Second"]


def test_contact_details_are_carried_over_in_order_as_printed(last_week, editor):
    list_contact(last_week, make_contact("Mark Evans"), position=1, role="Programme lead")
    list_contact(last_week, make_contact("Richard Tyndall"), position=0)
    draft = start(last_week, editor)
    lines = [(listing.contact.name, listing.role) for listing in draft.contact_listings.all()]
    assert lines == [("Richard Tyndall", "SESLIP Consultant"), ("Mark Evans", "Programme lead")]


def test_meetings_from_the_new_date_on_are_listed_in_date_order(last_week, editor):
    network = make_network()
    later = make_meeting(network, NEXT_FRIDAY + datetime.timedelta(days=30))
    same_day = make_meeting(network, NEXT_FRIDAY)
    make_meeting(network, NEXT_FRIDAY - datetime.timedelta(days=1))
    make_meeting(network, NEXT_FRIDAY, status=Meeting.Status.CANCELLED)
    draft = start(last_week, editor)
    assert list(draft.meetings.order_by("listings__position")) == [same_day, later]


def test_a_meeting_line_printed_last_week_is_kept(last_week, editor):
    meeting = make_meeting(make_network(), NEXT_FRIDAY)
    list_meeting(last_week, meeting, text="AD Safeguarding: Friday 8 November. More from Mark.")
    draft = start(last_week, editor)
    assert (
        draft.meeting_listings.get().text == "AD Safeguarding: Friday 8 November. More from Mark."
    )


def test_the_start_is_recorded_in_the_drafts_history_as_by_the_editor(last_week, editor):
    draft = start(last_week, editor)
    entry = LogEntry.objects.get(object_id=str(draft.pk))
    assert (entry.user, entry.get_change_message()) == (editor, "Started from Update 349.")


def test_the_draft_and_its_reminders_are_in_the_history_as_added_by_the_editor(last_week, editor):
    make_item(last_week, "Children not in school")
    draft = start(last_week, editor)
    started = draft.history.get()
    assert (started.history_type, started.history_user) == ("+", editor)
    carried = Placement.history.filter(issue_id=draft.pk)
    assert carried.count() == draft.placements.count() > 0
    assert {(h.history_type, h.history_user) for h in carried} == {("+", editor)}


def test_an_existing_next_number_is_refused_and_left_alone(last_week, editor):
    existing = make_issue(350, date=NEXT_FRIDAY, intro="Already begun")
    with pytest.raises(ValidationError) as refused:
        start(last_week, editor)
    assert refused.value.messages == [
        "Update 350 already exists, so it was not started again: open it instead."
    ]
    existing.refresh_from_db()
    assert existing.intro == "Already begun"


def test_an_update_without_a_date_cannot_be_followed(editor):
    undated = make_issue(349)
    Issue.objects.filter(pk=undated.pk).update(date=None)
    undated.refresh_from_db()
    with pytest.raises(ValidationError, match="Update 349 has no date"):
        start(undated, editor)
    assert Issue.objects.count() == 1


def test_nothing_is_left_behind_when_carrying_over_fails(last_week, editor, monkeypatch):
    def fail(after, draft):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "carry_contacts", fail)
    with pytest.raises(RuntimeError):
        start(last_week, editor)
    assert list(Issue.objects.all()) == [last_week]


def test_arguments_must_be_named(last_week, editor):
    with pytest.raises(TypeError):
        services.start_next_update(last_week, editor)


# The admin action


def run_action(client, *issues):
    data = {"action": "start_next_update", "_selected_action": [i.pk for i in issues], "index": 0}
    return client.post(reverse("admin:newsletters_issue_changelist"), data, follow=True)


@pytest.fixture
def edith(client, editor):
    client.force_login(editor)
    return client


def test_action_opens_the_new_draft_with_a_message(edith, last_week):
    make_item(last_week, "Conference")
    response = run_action(edith, last_week)
    draft = Issue.objects.get(number=350)
    assert response.redirect_chain == [
        (reverse("admin:newsletters_issue_change", args=[draft.pk]), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "Update 350 is started as a draft dated 8 November 2030, with 1 reminder, the Tools & "
        "Templates, the Contact Details and the coming meetings carried over. Add this week's "
        "headline items."
    ]


def test_button_on_the_latest_update_saves_it_and_starts_the_next(edith, last_week):
    url = reverse("admin:newsletters_issue_change", args=[last_week.pk])
    data = issue_form(349, date=str(last_week.date)) | {"intro": "Typed.", "_start_next": "Start"}
    response = edith.post(url, data)
    draft = Issue.objects.get(number=350)
    assert response.url == reverse("admin:newsletters_issue_change", args=[draft.pk])
    assert Issue.objects.get(number=349).intro == "Typed."


def test_button_is_only_on_the_latest_update(edith, last_week):
    older = make_issue(348, date=FRIDAY - datetime.timedelta(days=7))
    latest = edith.get(reverse("admin:newsletters_issue_change", args=[last_week.pk]))
    earlier = edith.get(reverse("admin:newsletters_issue_change", args=[older.pk]))
    assert "Start next week's update" in latest.text
    assert "Start next week" not in earlier.text


def test_button_on_the_admin_index_starts_the_update_after_the_latest(edith, last_week):
    home = edith.get(reverse("admin:index"))
    assert "Start next week's update" in home.text
    response = edith.post(reverse("admin:newsletters_issue_start_next"), follow=True)
    assert Issue.objects.filter(number=350).exists()
    assert "Update 350 is started as a draft" in response.text


def test_action_refuses_more_than_one_update(edith, last_week):
    other = make_issue(348, date=FRIDAY - datetime.timedelta(days=7))
    response = run_action(edith, last_week, other)
    assert [str(m) for m in response.context["messages"]] == [
        "Select one update, the one the next update follows. Nothing was started."
    ]
    assert Issue.objects.count() == 2


def test_action_refuses_an_existing_next_number_with_a_message(edith, last_week):
    make_issue(350, date=NEXT_FRIDAY)
    response = run_action(edith, last_week)
    messages = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert messages == [
        ("error", "Update 350 already exists, so it was not started again: open it instead.")
    ]
