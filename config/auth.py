"""Authentication backend: Django's ModelBackend, with a cheaper lookup of the signed-in user.

Every signed-in request loads its user by id from the session. Through the ORM that lookup
compiles the same query each time, which costs more than running it; on PostgreSQL this
backend runs one prepared statement instead and builds the user from the row, as the ORM
would. Everything else (passwords, permissions, who may sign in) is ModelBackend's.
"""

import functools
import time
import uuid

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from config.db import prepared_cursor, row_instance
from config.sessions import AUTH_EPOCH_KEY, SessionStore

# The path Django stores in a session at login; AUTHENTICATION_BACKENDS lists it.
BACKEND = "config.auth.UserBackend"

# The largest value an id column holds: anything larger cannot name a row.
MAX_ID = 2**63 - 1


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        if not 0 < pk <= MAX_ID:
            return None
        model = get_user_model()
        db = connections[DEFAULT_DB_ALIAS]
        if db.vendor != "postgresql" or router.db_for_read(model) != db.alias:
            return super().get_user(pk)
        sql, fields = _select_by_pk(model, db.alias)
        with prepared_cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(db.alias, fields, row)
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _select_by_pk(model, alias: str) -> tuple[str, list[str]]:
    """The statement that loads a user by id, and the attribute names of its columns."""
    quote = connections[alias].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 (model metadata only)
    return sql, [field.attname for field in meta.concrete_fields]


# The signed-in user, kept in the session between database checks

# Session key of the user kept in the session (see session_user).
SNAPSHOT_KEY = "_auth_user_kept"


def session_user(request):
    """The signed-in user, as django.contrib.auth.get_user finds it, without a query when it can.

    django.contrib.auth.get_user reads the user from the database on every request to check
    that they still exist, may still sign in and have not changed password since this session
    signed in. Here the first such check keeps the user's row in the session; later requests
    trust it while three things hold: the session still names that user with the same
    password hash, no user has changed since (the sign-in epoch, config.sessions, is the one
    seen at the check), and the check is at most SESSION_REFRESH_SECONDS old. Any change to a
    user sets a new epoch once it is committed (user_changed), so a password change or a
    deactivation signs other sessions out on their next request, as with Django's own check.

    Only sessions kept by config.sessions.SessionStore, which reads the epoch, are kept this
    way; with any other store this is django.contrib.auth.get_user.
    """
    if not hasattr(request, "_cached_user"):
        user = _kept_user(request)
        if user is None:
            user = auth.get_user(request)
            _keep_user(request, user)
        request._cached_user = user
    return request._cached_user


def _kept_user(request):
    session = getattr(request, "session", None)
    if not isinstance(session, SessionStore):
        return None
    kept = session.get(SNAPSHOT_KEY)  # reading loads the session, and with it the epoch
    epoch = session.auth_epoch
    if not kept or epoch is None:
        return None
    backend = session.get(auth.BACKEND_SESSION_KEY)
    if (
        kept["epoch"] != epoch
        or kept["id"] != session.get(auth.SESSION_KEY)
        or kept["hash"] != session.get(auth.HASH_SESSION_KEY)
        or kept["backend"] != backend
        or backend not in settings.AUTHENTICATION_BACKENDS
        or not 0 <= time.time() - kept["at"] < settings.SESSION_REFRESH_SECONDS
    ):
        return None
    model = get_user_model()
    return row_instance(model, _kept_fields(model), kept["row"])


def _keep_user(request, user) -> None:
    """After a full check, keep the user in the session, if its store reads the epoch."""
    session = getattr(request, "session", None)
    if not isinstance(session, SessionStore):
        return
    if not user.is_authenticated:
        session.pop(SNAPSHOT_KEY, None)  # without a session cookie, this reads nothing
        return
    epoch = session.auth_epoch  # the session is loaded: the check read the user's id from it
    if epoch is None:
        # No epoch yet (a new or emptied cache): start one. This request's check may predate
        # a change made meanwhile, so nothing is kept until a request that saw the epoch.
        cache.add(AUTH_EPOCH_KEY, uuid.uuid4().hex, timeout=None)
        return
    session[SNAPSHOT_KEY] = {
        "id": session.get(auth.SESSION_KEY),
        "hash": session.get(auth.HASH_SESSION_KEY),
        "backend": session.get(auth.BACKEND_SESSION_KEY),
        "epoch": epoch,
        "at": time.time(),
        "row": [getattr(user, name) for name in _kept_fields(type(user))],
    }


@functools.cache
def _kept_fields(model) -> list[str]:
    """The user's columns kept in the session: all but the password hash, which loads on use."""
    return [field.attname for field in model._meta.concrete_fields if field.name != "password"]


def user_changed(sender, instance, created=False, update_fields=None, **kwargs) -> None:
    """A user changed: once committed, no session may go on trusting its kept user.

    A save at sign-in that only records the time (update_last_login) changes nothing a kept
    user relies on for signing in, and a new user has no session yet.
    """
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    transaction.on_commit(auth_epoch_renew)


def auth_epoch_renew() -> None:
    cache.set(AUTH_EPOCH_KEY, uuid.uuid4().hex, timeout=None)
