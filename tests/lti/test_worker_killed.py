"""A grade worker killed in the middle of a post loses nothing (PostgreSQL, a real process)."""

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lti.models import CourseClass, ScorePost
from lti.scores import score_posts_send
from tests.lti.test_lti import place_quiz, take_quiz

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_killed_mid_post_loses_nothing_and_the_next_posts_once(registered):
    if connection.vendor != "postgresql":
        pytest.skip("the worker runs in its own process, which needs a shared database")
    platform = registered.platform
    teacher_client, student_client = Client(), Client()
    _quiz, link = place_quiz(registered, teacher_client)
    registered.launch(student_client, "student-1", resource_link_id=link.id)
    take_quiz(student_client, CourseClass.objects.get().classroom.assignments.get().pk, right=2)

    # The platform's token endpoint takes the connection and never answers: the worker is
    # caught in the middle of its post.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    registration = registered.registration
    registration.token_url = f"http://127.0.0.1:{silent.getsockname()[1]}/token"
    registration.save()
    settings = connection.settings_dict
    environment = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "lti_scores_send", "--once"], cwd=ROOT, env=environment
    )
    try:
        deadline = time.monotonic() + 60
        while not ScorePost.objects.filter(lease_until__isnull=False).exists():
            assert time.monotonic() < deadline, "the worker never took the row"
            assert worker.poll() is None, "the worker stopped before posting"
            time.sleep(0.1)
        time.sleep(0.5)  # in the request now
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        silent.close()

    post = ScorePost.objects.get()
    assert post.is_pending and post.sent_at is None
    assert platform.scores == []

    # The platform answers again. Until the dead worker's lease runs out the row waits; then
    # the next worker posts it, once.
    registration.token_url = platform.token_url
    registration.save()
    assert score_posts_send().sent == 0
    later = timezone.now() + timedelta(minutes=3)
    assert score_posts_send(now=later).sent == 1
    assert score_posts_send(now=later + timedelta(minutes=1)).sent == 0
    assert [score.score_given for score in platform.scores] == [2]
