"""After a publication the pages readers hit first are rendered again ahead of them, for every
audience, while readers get the copies from just before it (for a few seconds at most)."""

import datetime
import logging
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from seslip import warmup
from seslip.lib import ahead
from seslip.lib.generations import current_generation
from seslip.lib.pagecache import content_version, page_key
from tests.factories import make_issue, make_item
from tests.public_site import small_site
from tests.seslip.test_audiences import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    return small_site()


def publish_new_update():
    """An editor's new update, published and committed (these tests' writes are committed)."""
    draft = make_issue(350, published=False)
    make_item(draft, "Adoption week")
    draft.publish()
    return draft


committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committed
def test_after_a_publication_the_first_pages_are_ready_for_every_audience(
    client, site, kent_dcs, settings, rf
):
    client.get(reverse("home"))  # the site has been visited at this address
    settings.PAGE_WARMING = "inline"
    update = publish_new_update()
    for path in ("/", update.get_absolute_url(), "/updates/", "/dashboard/", "/calendar.ics"):
        for audience in ("public", "dcs", "member"):
            entry = caches["default"].get(page_key(rf.get(path), audience))
            assert entry is not None, (path, audience)
            assert entry["version"].startswith(current_generation(timezone.now())["token"])


@committed
def test_no_reader_renders_a_first_page_after_a_publication(
    client, site, kent_dcs, settings, django_assert_num_queries
):
    dcs = signed_in(client.__class__, kent_dcs)
    client.get(reverse("home"))
    settings.PAGE_WARMING = "inline"
    update = publish_new_update()
    with django_assert_num_queries(0):
        assert "Adoption week" in client.get(update.get_absolute_url()).content.decode()
    with django_assert_num_queries(3):  # who the reader is: nothing about the page
        assert "Adoption week" in dcs.get(reverse("home")).content.decode()


@pytest.fixture
def refreshes(monkeypatch, settings):
    """Pages readers asked to be rendered again in the background: run when the test says."""
    settings.PAGE_WARMING = "thread"
    asked = []
    monkeypatch.setattr(
        ahead,
        "refresh_soon",
        lambda request, audience, **version: asked.append(
            (f"{request.scheme}://{request.get_host()}", request.get_full_path(), audience)
        ),
    )
    return asked


def edit(site):
    site["item"].title = "Fostering recruitment week"
    site["item"].save()


def test_just_after_a_write_readers_get_the_copy_from_before_while_it_is_rendered_again(
    client, site, refreshes, django_assert_num_queries
):
    url = site["issue"].get_absolute_url()
    client.get(url)
    edit(site)
    with django_assert_num_queries(0):
        assert "Fostering news" in client.get(url).content.decode()
    assert refreshes == [("http://testserver", url, "public")]
    ahead.render_ahead(*refreshes[0])
    with django_assert_num_queries(0):
        assert "Fostering recruitment week" in client.get(url).content.decode()


def test_a_copy_from_before_a_write_is_served_for_a_few_seconds_at_most(
    client, site, refreshes, monkeypatch
):
    url = site["issue"].get_absolute_url()
    client.get(url)
    edit(site)
    later = timezone.now() + datetime.timedelta(seconds=ahead.STALE_SECONDS + 1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ahead.STALE_SECONDS <= 5
    assert "Fostering recruitment week" in client.get(url).content.decode()
    assert refreshes == []


def test_a_copy_from_yesterday_is_never_served(client, site, refreshes, monkeypatch):
    url = site["issue"].get_absolute_url()
    client.get(url)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    edit(site)
    assert "Fostering recruitment week" in client.get(url).content.decode()


def test_with_page_warming_off_a_write_shows_on_the_next_request(client, site, settings):
    settings.PAGE_WARMING = "off"
    url = site["issue"].get_absolute_url()
    client.get(url)
    edit(site)
    assert "Fostering recruitment week" in client.get(url).content.decode()


def test_each_audience_gets_its_own_copy_from_before(client, site, kent_dcs, refreshes):
    make_item(site["issue"], "For directors", dcs_only=True, position=1)
    url = site["issue"].get_absolute_url()
    dcs = signed_in(client.__class__, kent_dcs)
    dcs.get(url)
    client.get(url)
    edit(site)
    assert "For directors" in dcs.get(url).content.decode()
    assert "For directors" not in client.get(url).content.decode()
    assert {audience for *_, audience in refreshes} == {"dcs", "public"}


@committed
def test_a_page_rendered_ahead_holds_nobody_s_name(client, site, kent_dcs, settings, rf):
    client.get(reverse("home"))
    settings.PAGE_WARMING = "inline"
    publish_new_update()
    entry = caches["default"].get(page_key(rf.get("/"), "dcs"))
    assert b"kofi" not in entry["body"] and b"Signed in as" not in entry["body"]
    dcs = signed_in(client.__class__, kent_dcs)
    assert "kofi@example.org" in dcs.get("/").content.decode()


def test_with_the_task_worker_a_burst_of_writes_queues_one_rendering(
    client, site, settings, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        warmup,
        "warm_pages_task",
        type("Task", (), {"enqueue": staticmethod(lambda: queued.append(1))}),
    )
    settings.PAGE_WARMING = "task"
    for _ in range(3):
        warmup.after_content_change()
    assert len(queued) == 1


def test_the_rendering_task_renders_the_first_pages(client, site, settings, rf):
    client.get(reverse("home"))
    assert warmup.warm_pages_task.call() == 6 * 3  # six pages, three audiences


# Once for every server process, after a response ---------------------------------------------


@pytest.fixture
def processes(settings, tmp_path, _fresh_caches):
    """Pages in each process's memory and the shared cache in files, as served without Redis
    (whatever the test run's cache); `other_process()` stands for another server process: its
    memory still holds the copy it had."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": _fresh_caches,
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "shared"),
            "KEY_PREFIX": _fresh_caches,
        },
    }
    settings.PAGE_WARMING = "thread"
    yield
    caches["default"].clear()


def later(monkeypatch, seconds):
    """The clock at `seconds` after the latest write."""
    then = current_generation(timezone.now())["started"] + datetime.timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: then)


def changed_a_moment_ago(client, site, monkeypatch, seconds=ahead.QUIET_SECONDS):
    """The update's page, cached, then changed by an editor `seconds` ago: its address."""
    url = site["issue"].get_absolute_url()
    client.get(url)
    edit(site)
    later(monkeypatch, seconds)
    return url


def test_a_stale_page_is_rendered_again_after_its_response_and_left_for_the_other_processes(
    client, site, processes, monkeypatch, rf, django_assert_num_queries
):
    url = site["issue"].get_absolute_url()
    client.get(url)
    key = page_key(rf.get(url), "public")
    before = caches["default"].get(key)
    edit(site)
    later(monkeypatch, ahead.QUIET_SECONDS)
    with mock.patch.object(ahead, "render_ahead", wraps=ahead.render_ahead) as rendered:
        # the reader gets the copy from before; the page is rendered once the response is sent
        # (the test client closes it as a WSGI server does)
        assert "Fostering news" in client.get(url).content.decode()
        assert rendered.call_count == 1
        with django_assert_num_queries(0):
            assert "Fostering recruitment week" in client.get(url).content.decode()
        caches["default"].set(key, before)  # another process, with the copy from before
        with django_assert_num_queries(0):  # takes the page rendered here
            assert "Fostering recruitment week" in client.get(url).content.decode()
        assert rendered.call_count == 1


def test_a_page_another_process_is_rendering_is_not_rendered_again(
    client, site, processes, monkeypatch, rf
):
    url = changed_a_moment_ago(client, site, monkeypatch)
    key, now = page_key(rf.get(url), "public"), timezone.now()
    version = content_version(current_generation(now), now)
    assert ahead.claim(key, version)  # another server process is rendering it
    with mock.patch.object(ahead, "render_ahead") as rendered:
        for _ in range(3):
            assert "Fostering news" in client.get(url).content.decode()
    assert rendered.call_count == 0
    ahead.release(key, version)  # it gave up: the next reader claims it
    assert "Fostering news" in client.get(url).content.decode()
    assert "Fostering recruitment week" in client.get(url).content.decode()


def test_a_page_is_claimed_once_the_writes_have_paused(client, site, processes, monkeypatch):
    url = changed_a_moment_ago(client, site, monkeypatch, ahead.QUIET_SECONDS / 2)
    with mock.patch.object(ahead, "render_ahead") as rendered:
        assert "Fostering news" in client.get(url).content.decode()  # the editor may save again
        assert rendered.call_count == 0
        later(monkeypatch, ahead.QUIET_SECONDS)
        assert "Fostering news" in client.get(url).content.decode()
        assert rendered.call_count == 1


def test_a_page_that_fails_to_render_ahead_is_left_to_its_next_reader(
    client, site, processes, monkeypatch, caplog
):
    url = changed_a_moment_ago(client, site, monkeypatch)
    failing = mock.patch.object(ahead, "render_ahead", side_effect=RuntimeError("database gone"))
    with failing, caplog.at_level(logging.ERROR, logger="seslip.lib.ahead"):
        assert "Fostering news" in client.get(url).content.decode()
    assert "Rendering" in caplog.text and url in caplog.text
    assert "Fostering news" in client.get(url).content.decode()  # claimed again, rendered
    assert "Fostering recruitment week" in client.get(url).content.decode()


def test_pages_left_for_other_processes_sit_apart_from_the_shared_cache(processes, settings):
    """Signed-in readers' sessions live in the shared cache's files: pages never push them out."""
    store = ahead.store()
    assert store is not caches["default"] and store is not caches["shared"]
    folder = ahead.files_folder()
    assert folder is not None and folder != Path(settings.CACHES["shared"]["LOCATION"])
    store.set("page", {"version": "v"})
    assert [path.parent for path in folder.iterdir()] == [folder]


def test_a_page_is_claimed_by_one_process_and_a_lapsed_claim_taken_over(processes):
    assert ahead.claim("page", "v1")
    assert not ahead.claim("page", "v1")  # by another process, a moment later
    assert ahead.claim("page", "v2")  # newer content: a claim of its own
    claimed = ahead.files_folder() / ahead.claim_file_name("page", "v1")
    lapsed = time.time() - ahead.STALE_SECONDS - 1  # its process died while rendering
    os.utime(claimed, (lapsed, lapsed))
    assert ahead.claim("page", "v1")
    ahead.release("page", "v1")
    assert not claimed.exists()
    assert ahead.claim("page", "v1")


def test_a_lapsed_claim_on_content_since_changed_is_removed_by_the_next_claim(processes):
    assert ahead.claim("page", "v1")
    claimed = ahead.files_folder() / ahead.claim_file_name("page", "v1")
    lapsed = time.time() - ahead.STALE_SECONDS - 1  # its process died while rendering
    os.utime(claimed, (lapsed, lapsed))
    assert ahead.claim("other page", "v2")
    assert not claimed.exists()
    assert (ahead.files_folder() / ahead.claim_file_name("other page", "v2")).exists()


def test_with_the_pages_in_a_cache_every_process_reads_nothing_is_left_apart(settings):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        for alias in ("default", "shared")
    }  # as with Redis: "default" is what every process reads (here, one process)
    assert ahead.store() is caches["default"]
    assert not ahead.hands_over()


def test_a_first_page_another_process_is_rendering_is_left_to_it(client, site, rf):
    client.get(reverse("home"))
    now = timezone.now()
    key, version = page_key(rf.get("/"), "public"), content_version(current_generation(now), now)
    assert ahead.claim(key, version)
    assert warmup.warm_pages() == 6 * 3 - 1
    assert ahead.claim(page_key(rf.get("/"), "dcs"), version)  # each released once rendered
