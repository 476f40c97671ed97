"""Sessions in the shared cache, with the sign-in epoch read in the same round trip.

A signed-in request reads its session from the cache and then its user from the database. The
user can be kept in the session instead (config.auth.session_user), as long as every change to
a user that matters for signing in is noticed at once. Such a change sets a new sign-in epoch
in the cache; this store reads the epoch together with the session (one MGET), so checking it
costs no round trip of its own.
"""

from django.contrib.sessions.backends import cache

# Where the current sign-in epoch lives in the cache: a random token, replaced on every change.
AUTH_EPOCH_KEY = "auth-epoch"


class SessionStore(cache.SessionStore):
    # The sign-in epoch when the session was read; None when the cache has none yet.
    auth_epoch: str | None = None

    def load(self):
        try:
            found = self._cache.get_many([self.cache_key, AUTH_EPOCH_KEY])
        except Exception:  # as Django's store: a cache that refuses the key resets the session
            found = {}
        self.auth_epoch = found.get(AUTH_EPOCH_KEY)
        session_data = found.get(self.cache_key)
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}
