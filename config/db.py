"""Database helpers shared by the app's hottest paths."""

from django.db import DEFAULT_DB_ALIAS, connections


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
