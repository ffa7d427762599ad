"""A signed-in reader's page served from the cache costs what a reader not signed in's does, and
one read of the shared cache more (the readers epoch): who they are is kept by each server
process while no session or reader has changed anywhere, never longer than READER_SECONDS."""

import pytest
from django.core.cache import caches
from django.test import Client

from seslip.lib import personal
from tests.public_site import DCS_ONLY_TITLE, small_site_with_a_dcs_only_item
from tests.seslip.test_audiences import page, signed_in

pytestmark = pytest.mark.django_db

SECRET = DCS_ONLY_TITLE


@pytest.fixture
def site(db):
    return small_site_with_a_dcs_only_item()


@pytest.fixture
def shared_reads(monkeypatch):
    """The keys each request reads from the shared cache, in order."""
    shared = caches["shared"]
    read = []
    get = shared.get

    def counted(key, *args, **kwargs):
        read.append(key)
        return get(key, *args, **kwargs)

    monkeypatch.setattr(shared, "get", counted)
    return read


def test_a_signed_in_reader_s_cached_page_reads_the_shared_cache_once_more_than_anyone_s(
    client, site, kent_dcs, shared_reads, django_assert_num_queries
):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    page(kofi, url)  # the page cached for DCSs, and who he is
    page(client, url)  # …and for readers not signed in
    shared_reads.clear()
    page(client, url)
    anyone_s = list(shared_reads)
    shared_reads.clear()
    with django_assert_num_queries(0):
        assert SECRET in page(kofi, url)
    assert sorted(shared_reads) == sorted([*anyone_s, personal.READERS_KEY])


def test_who_the_reader_is_is_asked_again_after_reader_seconds(
    site, kent_dcs, shared_reads, monkeypatch
):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    page(kofi, url)
    later = personal.time.monotonic() + personal.READER_SECONDS
    monkeypatch.setattr(personal.time, "monotonic", lambda: later)
    shared_reads.clear()
    assert SECRET in page(kofi, url)
    assert personal.reader_key(kent_dcs.pk) in shared_reads


def test_a_readers_epoch_lost_from_the_shared_cache_trusts_nothing_kept(
    site, kent_dcs, shared_reads
):
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    page(kofi, url)
    caches["shared"].delete(personal.READERS_KEY)  # culled, or the cache's files removed
    shared_reads.clear()
    assert SECRET in page(kofi, url)
    assert personal.reader_key(kent_dcs.pk) in shared_reads  # asked again
    assert caches["shared"].get(personal.READERS_KEY) is not None  # a new epoch
