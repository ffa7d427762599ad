"""A signed-in reader's page served from the cache costs what a reader not signed in's does, and
one read of the shared cache more (the readers epoch): who they are is kept by each server
process while no session or reader has changed anywhere, never longer than READER_SECONDS."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.utils.functional import empty

from seslip.lib import personal, sharedfiles
from tests.public_site import DCS_ONLY_TITLE, small_site_with_a_dcs_only_item
from tests.seslip.test_audiences import page, signed_in

pytestmark = pytest.mark.django_db

SECRET = DCS_ONLY_TITLE


@pytest.fixture
def site(db):
    return small_site_with_a_dcs_only_item()


@pytest.fixture
def shared_reads(monkeypatch):
    """The keys each request reads from the shared cache, in order: through the cache, or
    through seslip/lib/sharedfiles.py (which reads the cache's file, or asks the cache)."""
    shared = caches["shared"]
    read, through_files = [], []
    get, get_through_files = shared.get, sharedfiles.get

    def counted(key, *args, **kwargs):
        if not through_files:
            read.append(key)
        return get(key, *args, **kwargs)

    def counted_through_files(cache, key):
        read.append(key)
        through_files.append(key)
        try:
            return get_through_files(cache, key)
        finally:
            through_files.pop()

    monkeypatch.setattr(shared, "get", counted)
    monkeypatch.setattr(sharedfiles, "get", counted_through_files)
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


def test_a_signed_in_reader_s_cached_page_reads_neither_their_session_nor_their_messages(
    site, kent_dcs
):
    """Who they are is kept by the process; with no messages cookie no message can be waiting
    (the session holds only those the cookie had no room for, and says so)."""
    url = site["issue"].get_absolute_url()
    kofi = signed_in(Client, kent_dcs)
    page(kofi, url)
    response = kofi.get(url)
    assert SECRET in response.text and "kofi@example.org" in response.text
    assert not response.wsgi_request.session.accessed
    assert response.wsgi_request._messages._wrapped is empty
