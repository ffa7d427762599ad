"""After a publication the pages readers hit first are rendered again ahead of them, for every
audience, while readers get the copies from just before it (for a few seconds at most)."""

import datetime
import queue
from unittest import mock

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from seslip import warmup
from seslip.lib import ahead
from seslip.lib.generations import current_generation
from seslip.lib.pagecache import page_key
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
        lambda request, audience: asked.append(
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


class IdleThread:
    """A background thread that never starts: the test looks at what it was given to do."""

    def __init__(self, *args, **kwargs):
        pass

    def start(self):
        pass

    def is_alive(self):
        return True


def test_a_page_rendered_again_in_the_background_is_queued_once(client, site, settings):
    settings.PAGE_WARMING = "thread"
    url = site["issue"].get_absolute_url()
    client.get(url)
    edit(site)
    with (
        mock.patch.object(ahead.threading, "Thread", IdleThread),
        mock.patch.object(ahead, "_worker", []),
        mock.patch.object(ahead, "_jobs", queue.Queue()) as jobs,
        mock.patch.object(ahead, "_pending", set()),
    ):
        for _ in range(3):
            assert "Fostering news" in client.get(url).content.decode()
        assert jobs.qsize() == 1
        ahead.render_ahead(*jobs.get())
    assert "Fostering recruitment week" in client.get(url).content.decode()


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
