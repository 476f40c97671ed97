"""Django's PostgreSQL backend, checking a kept connection without a round trip.

With CONN_HEALTH_CHECKS, Django checks a connection kept from an earlier request before the
request's first query, by running SELECT 1: a round trip on every request, which costs an
answer about a twentieth of its time. A server that ends a connection (a restart, an
administrator, idle_session_timeout) first sends a message saying so and closes the socket,
so an idle connection that has anything to read has been dropped, or has news the driver
must read first. Only then is SELECT 1 run; a connection with nothing to read is used as it is.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        raw = self.connection
        if raw is None or raw.closed or raw.broken:
            return False
        try:
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        if not readable:
            return True
        return super().is_usable()
