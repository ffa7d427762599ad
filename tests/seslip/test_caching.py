"""Public pages are cached for readers who are not signed in, and never served stale.

These run against whichever cache back-end the settings pick: local memory (and files for the
content generation) by default, Redis when REDIS_URL is set.
"""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from networks.models import Meeting
from newsletters.models import Action
from seslip.lib.pagecache import page_key
from tests.factories import (
    days,
    make_action,
    make_issue,
    make_item,
    make_meeting,
    make_network,
)
from tests.public_site import public_pages, small_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return small_site()


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_a_cached_page_is_served_without_any_query(client, site, django_assert_num_queries):
    for url in public_pages(site):
        first = client.get(url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.content == first.content, url


def test_a_cached_page_keeps_its_security_headers(client, site):
    for url in public_pages(site):
        client.get(url)
        cached = client.get(url)
        assert "script-src 'self'" in cached["Content-Security-Policy"], url
        assert cached["X-Frame-Options"] == "DENY"
        assert "Cookie" in cached["Vary"]
        assert "no-cache" in cached["Cache-Control"]
        assert not cached.cookies


def test_editing_an_item_shows_on_the_next_request(client, site):
    url = site["issue"].get_absolute_url()
    assert "Fostering news" in text(client.get(url))
    site["item"].title = "Fostering recruitment week"
    site["item"].save()
    assert "Fostering recruitment week" in text(client.get(url))


def test_a_stale_page_is_replaced_in_the_cache_not_kept_beside_the_new_one(client, rf, site):
    url = site["issue"].get_absolute_url()
    key = page_key(rf.get(url))
    client.get(url)
    before = caches["default"].get(key)["version"]
    site["item"].title = "Fostering recruitment week"
    site["item"].save()

    client.get(url)

    entry = caches["default"].get(key)
    assert entry["version"] != before
    assert b"Fostering recruitment week" in entry["body"]


def test_publishing_an_update_shows_it_at_once(client, site):
    draft = make_issue(350, published=False)
    make_item(draft, "Adoption week")
    assert "Update 350" not in text(client.get(reverse("issue_list")))
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.publish()
    assert "350" in text(client.get(reverse("issue_list")))
    assert "Adoption week" in text(client.get(draft.get_absolute_url()))
    assert "Adoption week" in text(client.get(reverse("home")))


def test_unpublishing_an_update_hides_it_at_once(client, site):
    url = site["issue"].get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Fostering news" in text(client.get(reverse("issue_feed")))
    site["issue"].unpublish()
    assert client.get(url).status_code == 404
    assert "Fostering news" not in text(client.get(reverse("issue_feed")))


def test_a_convener_cancelling_a_meeting_shows_at_once(client, site):
    url = reverse("network_detail", args=[site["network"].slug])
    assert "Benchmarking day" in text(client.get(url))
    site["meeting"].cancel()
    assert "Cancelled" in text(client.get(reverse("meeting_ics", args=[site["meeting"].pk]))) or (
        "CANCELLED" in text(client.get(reverse("meeting_ics", args=[site["meeting"].pk])))
    )
    assert "Benchmarking day" not in text(client.get(reverse("dashboard")))


def test_a_convener_changing_a_meeting_in_the_admin_shows_at_once(client, convener, site):
    meeting = make_meeting(make_network("AD Safeguarding"), days(6), topic="Exploitation")
    url = reverse("network_detail", args=["ad-safeguarding"])
    assert "Exploitation" in text(client.get(url))
    editing = client.__class__()
    editing.force_login(convener)
    change = reverse("admin:networks_meeting_change", args=[meeting.pk])
    form = editing.get(change).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(topic="Contextual safeguarding", date=days(6).isoformat())
    response = editing.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = text(client.get(url))
    assert "Contextual safeguarding" in page and "Exploitation" not in page


def test_bulk_changes_show_at_once(client, site):
    assert "Reply to the survey" in text(client.get(reverse("dashboard")))
    Action.objects.filter(pk=site["action"].pk).update(closed=True)
    assert "Reply to the survey" not in text(client.get(reverse("dashboard")))
    Meeting.objects.filter(pk=site["meeting"].pk).delete()
    assert "Benchmarking day" not in text(client.get(reverse("home")))


def test_a_scheduled_update_appears_when_its_time_comes(client, site, monkeypatch):
    due = timezone.now() + datetime.timedelta(hours=2)
    scheduled = make_issue(350, published=due)
    make_item(scheduled, "Adoption week")
    assert "Adoption week" not in text(client.get(reverse("home")))
    assert client.get(scheduled.get_absolute_url()).status_code == 404

    later = due + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Adoption week" in text(client.get(reverse("home")))
    assert "Adoption week" in text(client.get(scheduled.get_absolute_url()))


def test_tomorrows_pages_are_not_todays(client, site, monkeypatch):
    url = reverse("dashboard")
    assert "Due this week" in text(client.get(url))  # due in 3 days
    later = timezone.now() + datetime.timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Overdue" in text(client.get(url))


def test_a_signed_in_dcs_gets_the_dcs_page_marked_private(client, site, dcs, reader):
    make_item(site["issue"], "For directors", dcs_only=True, position=1)
    url = site["issue"].get_absolute_url()
    assert "For directors" not in text(client.get(url))  # cached for everyone not signed in
    client.force_login(dcs)
    assert "For directors" in text(client.get(url))
    assert "private" in client.get(url)["Cache-Control"]


def test_a_signed_in_readers_page_is_never_served_to_others(client, site, dcs):
    make_item(site["issue"], "For directors", dcs_only=True, position=1)
    url = site["issue"].get_absolute_url()
    signed_in = client.__class__()
    signed_in.force_login(dcs)
    assert "For directors" in text(signed_in.get(url))
    assert "For directors" not in text(client.get(url))
    assert "For directors" not in text(client.get(url))


def test_after_signing_out_a_reader_gets_the_public_page(client, site, dcs):
    make_item(site["issue"], "For directors", dcs_only=True, position=1)
    url = site["issue"].get_absolute_url()
    client.force_login(dcs)
    assert "For directors" in text(client.get(url))
    client.logout()
    assert "For directors" not in text(client.get(url))


def test_an_unchanged_page_answers_304_to_if_none_match(client, site, django_assert_num_queries):
    for url in public_pages(site):
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(0):
            response = client.get(url, headers={"if-none-match": etag})
        assert response.status_code == 304, url
        assert not response.content


def test_an_unchanged_page_answers_304_to_if_modified_since(client, site):
    url = reverse("home")
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    earlier = http_date((timezone.now() - datetime.timedelta(days=1)).timestamp())
    assert client.get(url, headers={"if-modified-since": earlier}).status_code == 200


def test_a_cached_page_answers_if_match_and_if_unmodified_since_as_django_does(client, site, dcs):
    """Every precondition is still compared (a request with none is answered without asking)."""
    url = reverse("home")
    page = client.get(url)
    assert client.get(url, headers={"if-match": page["ETag"]}).status_code == 200
    assert client.get(url, headers={"if-match": '"another"'}).status_code == 412
    earlier = http_date((timezone.now() - datetime.timedelta(days=1)).timestamp())
    assert client.get(url, headers={"if-unmodified-since": earlier}).status_code == 412
    assert (
        client.get(url, headers={"if-unmodified-since": page["Last-Modified"]}).status_code == 200
    )
    client.force_login(dcs)
    own = client.get(url)
    assert client.get(url, headers={"if-match": own["ETag"]}).status_code == 200
    assert client.get(url, headers={"if-match": page["ETag"]}).status_code == 412


def test_a_changed_page_answers_200_to_the_old_etag(client, site):
    url = site["issue"].get_absolute_url()
    etag = client.get(url)["ETag"]
    site["item"].title = "Fostering recruitment week"
    site["item"].save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Fostering recruitment week" in text(response)


def test_a_signed_in_reader_gets_304_for_an_unchanged_page(client, site, dcs):
    client.force_login(dcs)
    url = site["issue"].get_absolute_url()
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_a_missing_page_is_not_cached(client, site):
    url = reverse("issue_detail", args=[350])
    assert client.get(url).status_code == 404
    make_item(make_issue(350), "Adoption week")
    assert "Adoption week" in text(client.get(url))


def test_writes_in_a_transaction_start_a_new_generation_again_on_commit(
    django_capture_on_commit_callbacks,
):
    from seslip.lib.generations import GENERATION_KEY, start_generation_after_commit

    shared = caches["shared"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        item = make_item(make_issue(349), "Fostering news")
        make_action(item)
        during = shared.get(GENERATION_KEY)["token"]
    # one new generation on commit, however many writes
    assert [c for c in callbacks if c is start_generation_after_commit] == [
        start_generation_after_commit
    ]
    assert shared.get(GENERATION_KEY)["token"] != during


def test_the_cache_backend_is_the_one_the_settings_pick():
    expected = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected
    assert caches["shared"].get("missing") is None


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/5"])
def test_with_redis_url_pages_and_generation_are_in_redis(redis_url):
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({a: c['BACKEND'] for a, c in settings.CACHES.items()}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "seslip.settings", "REDIS_URL": redis_url}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    backends = json.loads(done.stdout)
    if redis_url:
        assert set(backends.values()) == {"seslip.lib.rediscache.RedisCache"}
    else:
        assert backends["default"].endswith("LocMemCache")
        assert backends["shared"].endswith("FileBasedCache")


def test_with_the_page_cache_off_every_request_renders_the_page_afresh(client, site, settings):
    settings.PAGE_CACHE = False
    url = public_pages(site)[0]
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)

    assert again.status_code == 200 and len(queries) > 0
    assert not caches["default"].get(page_key(again.wsgi_request))
    assert "no-cache" in again["Cache-Control"] and "private" not in again["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_every_public_page_is_declared_by_its_view(site):
    from django.urls import resolve

    for url in public_pages(site):
        assert getattr(resolve(url.split("?")[0]).func, "public_page", False), url


def test_a_database_error_in_a_public_page_s_view_reaches_the_exception_middleware(
    client, site, monkeypatch
):
    from django.db import OperationalError

    from seslip import errors

    def down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(errors, "server_error", None)  # not papered over by the 500 handler
    monkeypatch.setattr("newsletters.views.issue_context", down)
    response = client.get(site["issue"].get_absolute_url())
    assert response.status_code == 503
    assert response["Retry-After"]
