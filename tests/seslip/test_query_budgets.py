"""Every public page makes the same number of SQL queries however big the archive and however
many items an update has, and none of them about sessions or users; served from the cache, none.

The archives come from the archive generator (shaped like the seeds). The per-view tests pin
counts for 1 and 20 rows; these pin every page at 6 and 60 updates and 1 and 50 items per update.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.archive_generator import generate_archive
from networks.models import Meeting, Network
from newsletters.models import Action, Issue, NewsItem

pytestmark = pytest.mark.django_db

# A fixed day for the archive and the pages alike, so every page has something coming up
# (actions, meetings, autumn's triads) whatever day the tests run.
NOW = datetime.datetime(2019, 11, 12, 12, tzinfo=datetime.UTC)

# Queries for a page rendered afresh for a reader who is not signed in.
BUDGETS = {
    "home": 4,
    "archive": 6,
    "archive, page 2": 6,
    "update": 10,
    "news item": 5,
    "dashboard": 9,  # one counts the DCS-only actions left out
    "search": 4,  # one counts the DCS-only results left out
    "networks": 1,
    "network": 5,
    "peer challenge": 5,
    "contacts": 1,
    "Atom feed": 2,
    "iCalendar": 2,
    "network calendar": 3,
    "meeting calendar file": 1,
    "deadline calendar file": 1,
}
SHAPES = {
    "6 updates, 1 item each": (6, 1),
    "60 updates, 1 item each": (60, 1),
    "6 updates, 50 items each": (6, 50),
}


def public_pages():
    full = Issue.objects.published().filter(triads__isnull=False, resource_listings__isnull=False)
    latest = full.order_by("-number").first()
    network = Network.objects.filter(meetings__isnull=False).order_by("name").first()
    return {
        "home": reverse("home"),
        "archive": reverse("issue_list"),
        "archive, page 2": reverse("issue_list") + "?page=2",
        "update": latest.get_absolute_url(),
        "news item": reverse("item_detail", args=[NewsItem.objects.public().earliest("pk").pk]),
        "dashboard": reverse("dashboard"),
        "search": reverse("search") + "?q=children",
        "networks": reverse("network_list"),
        "network": network.get_absolute_url(),
        "peer challenge": reverse("peer_challenge"),
        "contacts": reverse("contact_list"),
        "Atom feed": reverse("issue_feed"),
        "iCalendar": reverse("calendar"),
        "network calendar": reverse("network_calendar", args=[network.slug]),
        "meeting calendar file": reverse(
            "meeting_ics", args=[Meeting.objects.filter(date__isnull=False).first().pk]
        ),
        "deadline calendar file": reverse(
            "action_ics", args=[Action.objects.public().dated().first().pk]
        ),
    }


@pytest.fixture(params=SHAPES, ids=list(SHAPES))
def archive(request, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    updates, items = SHAPES[request.param]
    generate_archive(updates=updates, items_per_update=items, today=timezone.localdate())
    assert Issue.objects.published().count() == updates


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured]


def test_every_public_page_keeps_its_query_budget_at_any_size(client, archive):
    counts = {page: len(queries(client, url)) for page, url in public_pages().items()}
    assert counts == BUDGETS


def test_pages_for_readers_not_signed_in_never_ask_about_sessions_or_users(client, archive):
    for page, url in public_pages().items():
        for sql in queries(client, url):
            assert "django_session" not in sql and "auth_user" not in sql, page


def test_every_public_page_is_served_from_the_cache_without_a_query(client, archive):
    for page, url in public_pages().items():
        queries(client, url)
        assert queries(client, url) == [], page
