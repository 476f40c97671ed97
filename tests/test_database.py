"""The PostgreSQL connection kept between requests: replaced when the server dropped it."""

import psycopg
import pytest
from django.db import connection

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


def test_a_connection_the_server_dropped_is_replaced_before_the_next_query():
    student = StudentFactory()
    pid = terminate_backend_of_this_connection()

    assert type(student).objects.get(pk=student.pk) == student
    assert connection.connection.info.backend_pid != pid


def test_report_queries_are_not_jit_compiled():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
