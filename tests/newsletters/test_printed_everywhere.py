"""What a published update printed is what every copy of it says: its feed entries, its text
(`/updates/<n>.txt`, which the e-mail's text part is too) and its e-mail edition print the items'
title and text as the update printed them, as its page does, not as the items say now."""

import datetime
import tempfile

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse

from newsletters import printed, services
from newsletters.models import Issue, NewsItem, Placement
from tests.factories import make_issue, make_item, place

from .archive_records import empty_archive
from .test_email_edition import parts, subscriber
from .test_import_support import run_import

pytestmark = pytest.mark.django_db

PRINTED_TITLE = "Regional survey"
PRINTED = "<p>Twelve authorities have replied.</p>"
NOW_TITLE = "Regional survey: results"
NOW = "<p>Fifteen authorities have replied.</p>"


@pytest.fixture
def printed_515():
    """Update 515, published with one item; the item is edited since (edit_the_item_since)."""
    issue = make_issue(515, date=datetime.date(2022, 7, 22), published=False)
    make_item(issue, PRINTED_TITLE, update_text=PRINTED, action_text="<p>Reply by Friday.</p>")
    services.publish_update(issue=issue)
    return issue


def edit_the_item_since():
    item = NewsItem.objects.get()
    item.title, item.update_text = NOW_TITLE, NOW
    item.save()
    return item


@pytest.mark.parametrize("feed", ["issue_feed", "issue_feed_rss"])
def test_a_feed_entry_leads_with_the_titles_the_update_printed(client, printed_515, feed):
    """The public feeds and each DCS's own (the same IssueFeed) alike."""
    edit_the_item_since()

    entry = feedparser.parse(client.get(reverse(feed)).content).entries[0]

    assert PRINTED_TITLE in entry.summary
    assert NOW_TITLE not in entry.summary


def test_the_text_of_an_update_prints_its_items_as_the_update_printed_them(client, printed_515):
    edit_the_item_since()

    text = client.get("/updates/515.txt").text

    assert (
        f"\nProgramme:\n\n{PRINTED_TITLE}\n\nUpdate:\n\nTwelve authorities have replied.\n" in text
    )
    assert "Fifteen" not in text and NOW_TITLE not in text


def test_the_e_mail_edition_sent_after_an_edit_prints_the_items_as_the_update_did(
    mail_server, run_tasks
):
    subscriber("ann@example.org")
    issue = make_issue(515, date=datetime.date(2022, 7, 22), published=False)
    make_item(issue, PRINTED_TITLE, update_text=PRINTED)
    services.publish_update(issue=issue)
    edit_the_item_since()  # for next week's update, before the worker sent this one

    run_tasks()

    body = parts(mail_server.inbox.to("ann@example.org")[0])
    for part in (body["text/plain"], body["text/html"]):
        assert PRINTED_TITLE in part and "Twelve authorities have replied." in part
        assert NOW_TITLE not in part and "Fifteen" not in part


def printed_record():
    """What each update printed of its items, by number."""
    return {
        issue.number: [
            (p.section, *printed.facts_of_item(printed.item_as_printed(p)).values())
            for p in issue.placements.select_related("item").order_by("section", "position")
        ]
        for issue in Issue.objects.order_by("number")
    }


def test_an_archive_exported_and_imported_again_keeps_what_each_update_printed(printed_515):
    item = edit_the_item_since()
    later = make_issue(516, date=datetime.date(2022, 7, 29), published=False)
    place(later, item, section=Placement.Section.HEADLINE)
    services.publish_update(issue=later)
    before = printed_record()

    with tempfile.TemporaryDirectory() as folder:
        call_command("export_updates", "--to", folder, stdout=None)
        empty_archive()
        result = run_import(folder)

    assert not result.failed, result.err
    assert printed_record() == before
    assert before[515][0][1:3] == (PRINTED_TITLE, PRINTED)
    assert before[516][0][1:3] == (NOW_TITLE, NOW)
