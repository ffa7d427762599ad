"""Editors publish an update now or at a set time, and can take it back; empty ones are refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue
from tests.admin_pages import issue_form
from tests.factories import make_issue, make_item

CHANGELIST = reverse("admin:newsletters_issue_changelist")


@pytest.fixture
def edith(client, editor):
    client.force_login(editor)
    return client


def draft(number=349, **fields):
    return make_issue(number, published=False, **fields)


def run_action(client, action, *issues):
    data = {"action": action, "_selected_action": [i.pk for i in issues], "index": 0}
    return client.post(CHANGELIST, data, follow=True)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_publish_now_makes_the_update_public(edith):
    issue = draft()
    make_item(issue)
    response = run_action(edith, "publish_now", issue)
    assert Issue.objects.published().get() == issue
    assert messages_of(response) == ["Update 349 is published: readers can see it now."]


def test_publish_now_refuses_an_update_without_headline_items(edith):
    issue = draft()
    response = run_action(edith, "publish_now", issue)
    assert messages_of(response) == ["Update 349 cannot be published: it has no headline items."]
    assert not Issue.objects.published().exists()


def test_publish_now_refuses_an_update_without_a_date(edith):
    issue = draft()
    make_item(issue)
    Issue.objects.filter(pk=issue.pk).update(date=None)
    response = run_action(edith, "publish_now", issue)
    assert messages_of(response) == ["Update 349 cannot be published: it has no date."]
    assert not Issue.objects.published().exists()


def test_refusal_is_shown_as_an_error(edith):
    response = run_action(edith, "publish_now", draft())
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_publish_now_publishes_the_ready_updates_and_refuses_the_others(edith):
    ready, empty = draft(349), draft(350)
    make_item(ready)
    response = run_action(edith, "publish_now", ready, empty)
    assert list(Issue.objects.published()) == [ready]
    assert "Update 350 cannot be published: it has no headline items." in messages_of(response)


def test_publish_now_keeps_the_publication_time_of_a_published_update(edith):
    issue = make_issue(349)
    make_item(issue)
    published_at = issue.published_at
    run_action(edith, "publish_now", issue)
    issue.refresh_from_db()
    assert issue.published_at == published_at


def test_publish_now_brings_a_scheduled_update_forward(edith):
    issue = draft(published_at=timezone.now() + datetime.timedelta(days=2))
    make_item(issue)
    run_action(edith, "publish_now", issue)
    assert Issue.objects.published().get() == issue


def test_publish_now_from_the_update_page_saves_what_was_typed_first(edith):
    issue = draft()
    make_item(issue)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    data = issue_form(349) | {"intro": "A sentence typed just now.", "_publish": "Publish now"}
    response = edith.post(url, data, follow=True)
    assert Issue.objects.published().get().intro == "A sentence typed just now."
    assert messages_of(response) == ["Update 349 is saved and published: readers can see it now."]


def test_publish_now_refused_for_an_empty_update_still_saves_what_was_typed(edith):
    issue = draft()
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    data = issue_form(349) | {"intro": "A sentence typed just now.", "_publish": "Publish now"}
    response = edith.post(url, data, follow=True)
    assert Issue.objects.drafts().get().intro == "A sentence typed just now."
    assert messages_of(response)[-1] == (
        "Your changes are saved, but Update 349 cannot be published: it has no headline items."
    )


def test_schedule_without_a_future_time_refuses_with_the_form_intact(edith):
    issue = draft()
    make_item(issue)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    data = issue_form(349) | {"intro": "A sentence typed just now.", "_schedule": "Schedule"}
    response = edith.post(url, data)
    assert "A sentence typed just now." in response.text
    assert "To schedule the update, give the date and time in the future" in response.text
    assert Issue.objects.get().intro == ""


def test_schedule_saves_and_reports_when_readers_will_see_it(edith):
    issue = draft()
    make_item(issue)
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = issue_form(349) | {
        "intro": "Typed.",
        "published_at_0": tomorrow.isoformat(),
        "published_at_1": "09:00",
        "_schedule": "Schedule",
    }
    response = edith.post(url, data, follow=True)
    assert Issue.objects.scheduled().get().intro == "Typed."
    assert messages_of(response) == [
        f"Update 349 is saved and scheduled: readers will see it from 09:00 on "
        f"{tomorrow:%A %-d %B %Y}."
    ]


def test_publish_action_is_not_offered_in_the_update_form_where_it_would_drop_typed_text(edith):
    issue = draft()
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    response = edith.get(url)
    assert 'name="CHANGE_FORM-action"' not in response.text
    assert 'name="_publish"' in response.text


def test_unpublish_makes_the_update_a_draft_again(edith):
    issue = make_issue(349)
    response = run_action(edith, "unpublish", issue)
    assert Issue.objects.drafts().get() == issue
    assert messages_of(response) == ["Update 349 is a draft again: readers no longer see it."]


def test_publication_time_typed_in_the_form_is_refused_for_an_empty_update(edith):
    issue = draft()
    data = issue_form(349) | {
        "published_at_0": timezone.localdate().isoformat(),
        "published_at_1": "09:00",
    }
    url = reverse("admin:newsletters_issue_change", args=[issue.pk])
    response = edith.post(url, data, follow=True)
    assert (
        "Update 349 cannot be published: it has no headline items. It was saved as a draft."
        in messages_of(response)
    )
    assert Issue.objects.drafts().get() == issue


def test_scheduling_in_the_form_keeps_the_update_hidden_until_then(edith):
    issue = draft()
    data = issue_form(349, placements=[(None, make_item().pk, "headline")]) | {
        "published_at_0": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
        "published_at_1": "09:00",
    }
    edith.post(reverse("admin:newsletters_issue_change", args=[issue.pk]), data)
    assert Issue.objects.scheduled().get() == issue
    assert not Issue.objects.published().exists()


@pytest.mark.parametrize(
    ("status", "shown"),
    [("draft", ["349"]), ("scheduled", ["350"]), ("published", ["351"])],
)
def test_changelist_filters_updates_by_status(edith, status, shown):
    draft(349)
    draft(350, published_at=timezone.now() + datetime.timedelta(days=1))
    make_issue(351)
    response = edith.get(CHANGELIST, {"status": status})
    assert [str(i.number) for i in response.context["cl"].result_list] == shown


def test_changelist_shows_each_updates_status(edith):
    draft(349)
    draft(350, published_at=timezone.now() + datetime.timedelta(days=1))
    make_issue(351)
    response = edith.get(CHANGELIST)
    for status in ("Draft", "Scheduled", "Published"):
        assert f'<td class="field-status">{status}</td>' in response.text


def test_convener_cannot_publish(client, convener):
    issue = draft()
    make_item(issue)
    client.force_login(convener)
    assert run_action(client, "publish_now", issue).status_code == 403
    assert not Issue.objects.published().exists()
