import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_needs_no_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200


def run_with_database_down(script: str) -> subprocess.CompletedProcess:
    """Run a test-client script against a real unreachable server: nothing listens on port 1."""
    setup = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client;"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", setup + script],
        cwd=PROJECT_DIR,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing?connect_timeout=2",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_healthz_answers_503_with_retry_after_when_the_database_is_unreachable():
    result = run_with_database_down(
        "r = Client().get('/healthz');"
        "print(r.status_code, r.get('Retry-After'), r.content.decode().strip())"
    )

    assert result.stdout.strip() == "503 5 database unavailable", result.stderr


def test_pages_answer_503_in_words_when_the_database_is_unreachable():
    result = run_with_database_down(
        "c = Client(raise_request_exception=False);"
        "c.cookies['sessionid'] = 'a' * 32; r = c.get('/classes/');"
        "print(r.status_code, r['Retry-After'], 'Traceback' in r.content.decode(),"
        " 'Back in a moment' in r.content.decode())"
    )

    assert result.stdout.split() == ["503", "5", "False", "True"], result.stderr[-2000:]
