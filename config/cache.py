"""Django's Redis cache, with one Redis client per connection pool, holding one connection.

Django's RedisCacheClient builds a new `redis.Redis` for every cache operation, and redis-py
fills each new client's table of about 170 response callbacks: a tenth of a millisecond of CPU
per operation, paid by every signed-in request when sessions live in Redis. A client only
holds the pool and those callbacks, so one per pool does the same work.

Each client also keeps one connection instead of taking one from the pool for every command:
taking one checks that it has nothing left to read, a non-blocking read and two changes of
the socket's mode, about a fifth of what a session read costs. redis-py guards the kept
connection with a lock, so threads still share the client safely. When the server has dropped
the connection (a restart, an idle timeout), the command is sent once more on a new one, as
taking a fresh connection from the pool would have done. A process forked after a client was
made starts without it: two processes must never share one socket.
"""

import os

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

# How many times this process is a fork's child: clients made before a fork are not used after.
_forks = 0


def _count_fork() -> None:
    global _forks
    _forks += 1


os.register_at_fork(after_in_child=_count_fork)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._forks = _forks
        # One more try on a new connection when the kept one turns out to be closed.
        self._pool_options.setdefault("retry", Retry(NoBackoff(), retries=1))

    def get_client(self, key=None, *, write=False):
        if self._forks != _forks:
            self._clients, self._forks = {}, _forks
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool, single_connection_client=True)
            self._clients[id(pool)] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
