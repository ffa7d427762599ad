"""seslip/lib/sharedfiles.py: a shared-cache value read on every request (the content
generation, the readers epoch) is the cache's own, a write is seen at once by every process, and
with the cache in files it is unpickled again only after a write."""

import zlib

import django.core.cache.backends.filebased as filebased
import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

from seslip.lib import sharedfiles


@pytest.fixture
def shared():
    return caches["shared"]


@pytest.fixture
def another_process(shared, settings):
    """The shared cache as another server process opens it: the same files, its own instance."""
    if not isinstance(shared, FileBasedCache):
        return shared
    config = settings.CACHES["shared"]
    return FileBasedCache(config["LOCATION"], {**config, "OPTIONS": config.get("OPTIONS", {})})


def test_the_value_is_the_cache_s_and_a_write_elsewhere_is_seen_at_once(shared, another_process):
    assert sharedfiles.get(shared, "epoch") is None
    another_process.set("epoch", {"token": "one"}, None)
    assert sharedfiles.get(shared, "epoch") == {"token": "one"} == shared.get("epoch")
    another_process.set("epoch", {"token": "two"}, None)
    assert sharedfiles.get(shared, "epoch") == {"token": "two"}
    another_process.delete("epoch")
    assert sharedfiles.get(shared, "epoch") is None


def test_an_unchanged_file_is_not_unpickled_again(shared, monkeypatch):
    if not isinstance(shared, FileBasedCache):
        pytest.skip("the shared cache is not in files")
    shared.set("epoch", "one", None)
    unpickled = []
    loads = sharedfiles.pickle.loads
    monkeypatch.setattr(
        sharedfiles.pickle, "loads", lambda data: unpickled.append(1) or loads(data)
    )
    assert [sharedfiles.get(shared, "epoch") for _ in range(3)] == ["one"] * 3
    assert len(unpickled) == 1
    shared.set("epoch", "two", None)
    assert sharedfiles.get(shared, "epoch") == "two"
    assert len(unpickled) == 2


def test_an_entry_that_can_expire_is_left_to_the_cache(shared, monkeypatch):
    shared.set("soon", "value", 30)
    assert sharedfiles.get(shared, "soon") == "value"
    if isinstance(shared, FileBasedCache):  # expired: the cache says so, as its get does
        monkeypatch.setattr(filebased.time, "time", lambda: 10**12)
        assert sharedfiles.get(shared, "soon") is None


def test_a_file_not_in_the_cache_s_format_is_left_to_the_cache(shared):
    if not isinstance(shared, FileBasedCache):
        pytest.skip("the shared cache is not in files")
    shared.set("odd", "value", None)
    with open(sharedfiles.file_of(shared, "odd"), "wb") as file:
        file.write(sharedfiles.NEVER_EXPIRES + b"not zlib")
    with pytest.raises(zlib.error):  # the cache's own answer, as before
        sharedfiles.get(shared, "odd")
