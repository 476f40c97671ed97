"""Database helpers shared by the app's hottest paths."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


def prepared_cursor():
    """A cursor whose statements PostgreSQL plans once per connection, not once per request.

    On PostgreSQL it binds parameters on the server (Django's own cursors bind them in the
    client, which rules out prepared statements) and psycopg prepares each statement on its
    first run. Use it only for a few fixed statements that run on nearly every request: each
    one keeps a prepared plan on the connection. While Django logs queries (DEBUG, tests
    counting them) statements are not prepared, because the log cannot show a prepared
    statement's text; binding is the same either way. Queries go through Django's cursor
    wrapper, so errors are Django's. On other databases it is an ordinary cursor.
    """
    # The connection itself, not the `connection` proxy, which looks it up on every use.
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return db.cursor()
    import psycopg

    # As Django's own cursors do: a connection kept from an earlier request is checked first
    # (CONN_HEALTH_CHECKS), so one the server has dropped is replaced, not failed on.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = db.connection
    if db.queries_logged:
        raw.prepare_threshold = None
        return db.make_debug_cursor(psycopg.Cursor(raw))
    raw.prepare_threshold = 0
    return db.make_cursor(psycopg.Cursor(raw))


def attnames(model, wanted) -> list[str]:
    """The `wanted` attribute names in the model's field order, as Model.from_db takes them."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


def row_instance(model, names: list[str], values):
    """`model.from_db` for a row of the default database, without running Model.__init__.

    For the few rows a hot path builds itself (an answer's feedback, the signed-in user):
    __init__ walks every field of the model through its descriptor and sends pre_init and
    post_init, most of what building an instance costs. Here the values go into the instance
    as __init__ would leave them; fields not named load on use, as with from_db. A model whose
    building something watches (a receiver of either signal) is built by from_db itself.
    """
    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return model.from_db(DEFAULT_DB_ALIAS, names, values)
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding, state.db = False, DEFAULT_DB_ALIAS
    instance.__dict__.update(zip(names, values, strict=True))
    return instance
