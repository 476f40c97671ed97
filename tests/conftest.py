import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import StudentFactory, SuperuserFactory, TeacherFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def teacher(db):
    return TeacherFactory()


@pytest.fixture
def other_teacher(db):
    return TeacherFactory()


@pytest.fixture
def superuser(db):
    return SuperuserFactory()


@pytest.fixture
def run_manage():
    """Run manage.py in a fresh process with the given environment on top of a clean one."""

    def run(*args: str, env: dict[str, str] | None = None, timeout: int = 60):
        base = {
            key: value
            for key, value in os.environ.items()
            if key
            not in {
                "DJANGO_SETTINGS_MODULE",
                "SECRET_KEY",
                "DEBUG",
                "DATABASE_URL",
                "DJANGO_ALLOW_ASYNC_UNSAFE",
            }
        }
        base.update(env or {})
        return subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=base,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


@pytest.fixture(scope="session", autouse=True)
def _no_session_left_on_the_test_database(django_db_setup, django_db_blocker):
    """End every other session on the PostgreSQL test database before it is dropped.

    Playwright's sync API keeps an event loop running in the main thread once the browser
    journeys start, and Django then keeps the main thread's database connection per async
    context: the connection opened before it is left idle, and the test database could not be
    dropped at the end ("is being accessed by other users").
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
