"""The Redis cache that holds sessions when REDIS_URL is set, against a real Redis."""

import os
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


def test_a_connection_the_server_dropped_is_opened_again_on_the_next_command(redis_cache):
    import redis

    redis_cache.set("a", 1)
    connection_id = redis_cache._cache.get_client().client_id()
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=connection_id)

    assert redis_cache.get("a") == 1
    assert redis_cache._cache.get_client().client_id() != connection_id


def test_a_forked_process_does_not_share_its_parents_connection(redis_cache):
    redis_cache.set("a", 1)
    parent = redis_cache._cache.get_client()

    pid = os.fork()
    if pid == 0:  # the child: its own client, and a working one
        own = redis_cache._cache.get_client() is not parent and redis_cache.get("a") == 1
        os._exit(0 if own else 1)
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert redis_cache._cache.get_client() is parent
    assert redis_cache.get("a") == 1
