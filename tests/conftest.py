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
