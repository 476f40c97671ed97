"""The Redis cache that holds sessions when REDIS_URL is set, against a real Redis."""

import uuid

import pytest

from config.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/4"


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"needs a Redis server at {REDIS_URL}")
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.clear()


def test_it_stores_reads_and_forgets_like_djangos_redis_cache(redis_cache):
    redis_cache.set("session", {"user": 7, "touched": 1700000000}, timeout=60)

    assert redis_cache.get("session") == {"user": 7, "touched": 1700000000}
    assert redis_cache.add("session", "other") is False
    redis_cache.delete("session")
    assert redis_cache.get("session") is None


def test_operations_share_one_client_per_connection_pool(redis_cache):
    client = redis_cache._cache

    assert client.get_client(write=True) is client.get_client(write=False)
    redis_cache.set("a", 1)
    redis_cache.get("a")
    assert len(client._clients) == 1
