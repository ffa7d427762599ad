"""After a publication the pages readers hit first are rendered again ahead of them, for every
audience, while readers get the copies from just before it (for a few seconds at most)."""

import datetime

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from seslip import warmup
from seslip.lib import pagecache
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
    with django_assert_num_queries(4):  # who the reader is: nothing about the page
        assert "Adoption week" in dcs.get(reverse("home")).content.decode()


def test_while_pages_are_rendered_ahead_readers_get_the_copy_from_before(
    client, site, django_assert_num_queries
):
    url = site["issue"].get_absolute_url()
    client.get(url)
    site["item"].title = "Fostering recruitment week"
    site["item"].save()
    pagecache.start_warming(current_generation(timezone.now())["token"])
    with django_assert_num_queries(0):
        assert "Fostering news" in client.get(url).content.decode()
    pagecache.stop_warming(current_generation(timezone.now())["token"])
    assert "Fostering recruitment week" in client.get(url).content.decode()


def test_stale_copies_are_served_for_a_few_seconds_at_most(client, site, settings):
    pagecache.start_warming("any")
    key = pagecache.WARMING_KEY
    assert caches["shared"].get(key) is not None
    assert pagecache.WARMING_SECONDS <= 5
    caches["shared"].touch(key, 0)  # the seconds have passed
    assert caches["shared"].get(key) is None


def test_a_copy_from_yesterday_is_never_served_while_warming(client, site, monkeypatch):
    url = site["issue"].get_absolute_url()
    client.get(url)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    site["item"].title = "Fostering recruitment week"
    site["item"].save()
    pagecache.start_warming(current_generation(tomorrow)["token"])
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
