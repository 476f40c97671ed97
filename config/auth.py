"""Authentication backend: Django's ModelBackend, with a cheaper lookup of the signed-in user.

Every signed-in request loads its user by id from the session. Through the ORM that lookup
compiles the same query each time, which costs more than running it; on PostgreSQL this
backend runs one prepared statement instead and builds the user from the row, as the ORM
would. Everything else (passwords, permissions, who may sign in) is ModelBackend's.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connections, router

from config.db import prepared_cursor

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
