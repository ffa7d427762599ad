"""seslip/lib/rediscache.py: Django's Redis cache, one redis-py client kept per connection pool
instead of one made for every cache call."""

import os
import uuid

import pytest

from seslip.lib.rediscache import RedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture
def cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    made = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-client-{uuid.uuid4().hex}"})
    yield made
    made.delete_many(["generation", "epoch"])  # never clear(): it empties the whole database


def test_one_client_serves_every_call_and_the_cache_works_as_django_s(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("generation", {"token": "one"}, None)
    assert cache.get("generation") == {"token": "one"}
    assert cache.get_many(["generation", "missing"]) == {"generation": {"token": "one"}}
    assert cache.add("generation", "other") is False
    cache.delete("generation")
    assert cache.get("generation") is None
    assert len(cache._cache._clients) == 1


def test_a_cache_with_a_replica_keeps_a_client_for_each_server(cache):
    replicated = RedisCache(f"{REDIS_URL},{REDIS_URL}", {"KEY_PREFIX": cache.key_prefix})
    replicated.set("epoch", "one", None)
    for _ in range(5):
        assert replicated.get("epoch") == "one"
    assert set(replicated._cache._clients) == {0, 1}
    assert replicated._cache.get_client(write=True) is replicated._cache._clients[0]
