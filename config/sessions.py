"""Sessions in the cache (Redis) that fail loudly when the cache cannot be reached."""

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends import cache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# Redis is away (refused, reset, timed out, still loading its data): the request cannot know
# who is asking, and config.views.server_error answers it with the 503 page.
REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class SessionStore(cache.SessionStore):
    """Django's cache session store, except that an unreachable cache is an error.

    Django's own load() treats any error as "no such session" and starts an empty one, so while
    Redis is away every signed-in user looks signed out: pages redirect to the login, and an
    answer posted then is answered with that redirect and never stored. Letting the error
    through keeps the session (and its cookie) for when Redis is back, and the request is
    answered 503 in words instead.
    """

    def load(self):
        try:
            session_data = self._cache.get(self.cache_key)
        except REDIS_UNREACHABLE:
            raise
        except Exception:
            # As Django: a key the cache refuses (memcached) is a session that does not exist.
            session_data = None
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}

    async def aload(self):
        return await sync_to_async(self.load)()
