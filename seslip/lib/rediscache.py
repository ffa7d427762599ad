"""Django's Redis cache back-end, keeping one redis-py client for each connection pool.

Django's RedisCacheClient makes a new redis.Redis client for every cache call (get_client):
40 µs of CPU here, more than the round trip to Redis itself (25 µs), and a page served from the
cache makes two or three such calls (the content generation, the readers epoch, the page). A
client holds no connection of its own (its pool lends one for each command, and redis-py's pools
start afresh in a forked process), so one is kept per pool and used for every call; each cache
instance (one per thread, as Django makes them) keeps its own.
"""

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_s: Any = self  # its pools and options are private: not in django-stubs
        index = django_s._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pools = django_s._pools
            if index not in pools:
                pools[index] = django_s._pool_class.from_url(
                    django_s._servers[index], **django_s._pool_options
                )
            client = self._clients[index] = django_s._client(connection_pool=pools[index])
        return client


class RedisCache(django_redis.RedisCache):
    """settings.CACHES' back-end when REDIS_URL is set: Django's, with the client above."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
