"""The benchmark with the cache in Redis (BENCH_REDIS_URL): each archive's servers have their own
key prefix, and only theirs is flushed."""

import uuid

import pytest

from bench import loadtest

REDIS_URL = "redis://127.0.0.1:6379/0"


def bench(monkeypatch, **env):
    for name in ("BENCH_REDIS_URL", "BENCH_DB_PREFIX", "BENCH_SIZES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return loadtest.Bench()


def test_each_archive_s_servers_have_their_own_prefix_in_redis(monkeypatch):
    run = bench(monkeypatch, BENCH_REDIS_URL=REDIS_URL, BENCH_SIZES="600 6000")
    small, large = run.server_env(600), run.server_env(6000, cached=False)
    assert small["REDIS_URL"] == large["REDIS_URL"] == REDIS_URL
    assert small["CACHE_KEY_PREFIX"] == "bench-seslip_bench_600"
    assert large["CACHE_KEY_PREFIX"] == "bench-seslip_bench_6000"


def test_without_the_option_the_servers_keep_the_cache_in_their_own_memory(monkeypatch):
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("CACHE_KEY_PREFIX", "someone-else")
    served = bench(monkeypatch, BENCH_SIZES="600").server_env(600)
    assert "REDIS_URL" not in served and "CACHE_KEY_PREFIX" not in served


def test_flushing_deletes_only_that_archive_s_keys(monkeypatch):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"test_{uuid.uuid4().hex[:8]}"
    run = bench(monkeypatch, BENCH_REDIS_URL=REDIS_URL, BENCH_DB_PREFIX=prefix, BENCH_SIZES="6 60")
    mine = [f"bench-{prefix}_6:1:page:{n}" for n in range(3)]
    others = [f"bench-{prefix}_60:1:page:0", f"bench-{prefix}_6-other:1:x", f"{prefix}:1:x"]
    try:
        for key in mine + others:
            client.set(key, "cached", ex=60)
        assert run.flush_cache(6) == len(mine)
        assert client.exists(*mine) == 0
        assert client.exists(*others) == len(others)
    finally:
        client.delete(*mine, *others)
        client.close()
