"""The PostgreSQL connection kept between requests: checked cheaply, replaced when dropped."""

import psycopg
import pytest
from django.db import connection

from config.auth import UserBackend
from config.db import prepared_cursor
from tests.factories import StudentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def terminate_backend_of_this_connection() -> int:
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
        # Waits (up to 5 s) until the backend has gone, having said so to its client.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    connection.health_check_done = False  # as at the start of the next request
    return pid


def test_a_connection_the_server_dropped_is_replaced_before_the_signed_in_lookup():
    student = StudentFactory()
    pid = terminate_backend_of_this_connection()

    assert UserBackend().get_user(student.pk) == student
    assert connection.connection.info.backend_pid != pid


def test_a_connection_the_server_dropped_is_replaced_before_an_orm_query():
    student = StudentFactory()
    pid = terminate_backend_of_this_connection()

    assert type(student).objects.get(pk=student.pk) == student
    assert connection.connection.info.backend_pid != pid


def test_a_live_idle_connection_is_used_without_a_round_trip(monkeypatch):
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    connection.health_check_done = False

    def no_query(*args, **kwargs):
        raise AssertionError("the health check ran a query on a connection with nothing to read")

    monkeypatch.setattr(connection.connection, "cursor", no_query)
    assert connection.is_usable()
    monkeypatch.undo()

    with prepared_cursor() as cursor:
        cursor.execute("SELECT 1")
    assert connection.connection.info.backend_pid == pid
