"""Redis going away and coming back, against a real private redis-server this test starts.

Sessions live in Redis alone when REDIS_URL is set. While it is away, a signed-in request must
be answered 503 in words with Retry-After (not sent to the login page as if signed out), an
answer must not be stored behind the student's back, and service must resume by itself.
"""

import json
import os
import runpy
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest
from django.test import Client
from django.urls import reverse

from quiz.models import Response
from tests.conftest import PROJECT_DIR
from tests.factories import TEST_PASSWORD, AttemptFactory, StudentFactory

REDIS_SERVER = shutil.which("redis-server")
NODE = shutil.which("node")

HTMX = {"HX-Request": "true", "HX-Target": "question-card"}


class PrivateRedis:
    """A redis-server of this test's own on a free loopback port, stopped and started at will."""

    def __init__(self):
        self.directory = tempfile.mkdtemp(prefix="sourcewise-redis-")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - redis-server from PATH, our arguments
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.directory,
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop it; with keep_data, as a Redis with persistence would, save first."""
        if self.process is None:
            return
        if keep_data:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(b"SHUTDOWN SAVE\r\n")
                sock.recv(64)
        else:
            self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def close(self) -> None:
        if self.process is not None:
            self.resume()
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture
def redis_server(db, settings):
    """A private Redis, and the settings config/settings.py makes from REDIS_URL pointing at it."""
    if REDIS_SERVER is None:
        pytest.skip(
            "needs redis-server to stop and start a real Redis: apt-get install redis-server"
        )
    server = PrivateRedis()
    server.start()
    configured = settings_with_redis(server.url)
    settings.REDIS_URL = server.url
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]
    yield server
    server.close()


def settings_with_redis(url: str) -> dict:
    """Run config/settings.py as production does with REDIS_URL set, and return its names."""
    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = url
    try:
        return runpy.run_path(str(PROJECT_DIR / "config" / "settings.py"))
    finally:
        if saved is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = saved


@pytest.fixture
def visitor():
    """A test client that hands back the error page instead of raising the server's exception."""
    return Client(raise_request_exception=False)


def signs_in(client, user) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.status_code
    assert client.get(reverse("quiz:my_classes")).status_code == 200


def test_a_signed_in_page_answers_503_in_words_while_redis_is_down(redis_server, visitor):
    signs_in(visitor, StudentFactory())

    redis_server.stop()
    response = visitor.get(reverse("quiz:my_classes"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Back in a moment" in page and "Traceback" not in page
    # The session and its cookie are kept for when Redis is back.
    assert "sessionid" not in response.cookies


def test_an_htmx_answer_while_redis_is_down_is_refused_in_words_and_nothing_is_stored(
    redis_server, visitor
):
    attempt = AttemptFactory()
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()
    choice = question.choices.get(is_correct=True)
    signs_in(visitor, attempt.student)
    url = reverse("quiz:answer", kwargs={"pk": attempt.pk, "question_id": question.pk})

    redis_server.stop()
    response = visitor.post(url, {"choice": choice.pk}, headers=HTMX)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("Not saved:")
    assert not Response.objects.exists()


def test_logging_in_while_redis_is_down_answers_503_not_500(redis_server, visitor):
    student = StudentFactory()

    redis_server.stop()
    response = visitor.post(
        reverse("login"), {"username": student.username, "password": TEST_PASSWORD}
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()


def test_healthz_answers_503_with_retry_after_while_redis_is_down(redis_server, visitor):
    assert visitor.get(reverse("healthz")).status_code == 200

    redis_server.stop()
    response = visitor.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"redis unavailable\n"
    assert response["Retry-After"] == "5"


def test_service_resumes_by_itself_when_an_empty_redis_returns(redis_server, visitor):
    attempt = AttemptFactory()
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()
    choice = question.choices.get(is_correct=True)
    signs_in(visitor, attempt.student)
    url = reverse("quiz:answer", kwargs={"pk": attempt.pk, "question_id": question.pk})
    redis_server.stop()
    assert visitor.get(reverse("healthz")).status_code == 503
    assert visitor.post(url, {"choice": choice.pk}, headers=HTMX).status_code == 503

    redis_server.start()

    # Redis without persistence lost the session: the student signs in again, as anyone would.
    assert visitor.get(reverse("healthz")).status_code == 200
    assert visitor.get(reverse("quiz:my_classes")).status_code == 302
    signs_in(visitor, attempt.student)
    response = visitor.post(url, {"choice": choice.pk}, headers=HTMX)
    assert response.status_code == 200
    assert 'id="feedback"' in response.content.decode()
    assert Response.objects.get().choice == choice


def test_a_session_kept_by_redis_carries_on_after_the_outage(redis_server, visitor):
    signs_in(visitor, StudentFactory())
    redis_server.stop(keep_data=True)
    assert visitor.get(reverse("quiz:my_classes")).status_code == 503

    redis_server.start()

    assert visitor.get(reverse("quiz:my_classes")).status_code == 200


def test_a_redis_that_stops_answering_is_a_503_within_its_socket_timeout(redis_server, visitor):
    signs_in(visitor, StudentFactory())
    answers = []

    def ask():
        answers.append(visitor.get(reverse("quiz:my_classes")))

    redis_server.pause()
    try:
        started = time.monotonic()
        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        asking.join(timeout=10)
        waited = time.monotonic() - started
    finally:
        redis_server.resume()
    asking.join(timeout=10)

    # SOCKET_TIMEOUT is 2 s (redis-py's own default is 5 s); the session read is one call.
    assert waited < 4, f"the request waited {waited:.1f} s for a Redis that does not answer"
    assert [response.status_code for response in answers] == [503]


# static/js/site.js run by Node with the little of the DOM it uses: the page's alert line and
# htmx's responseError event carrying the XMLHttpRequest.
SITE_JS_HARNESS = """
const fs = require("fs");
const handlers = {};
const line = {dataset: {server: "the server had a problem", offline: "could not be reached"},
              hidden: true, textContent: ""};
global.document = {
  addEventListener: (name, handler) => { handlers[name] = handler; },
  getElementById: (id) => (id === "request-error" ? line : null),
};
eval(fs.readFileSync(process.argv[1], "utf8"));
const [status, type, body] = JSON.parse(process.argv[2]);
handlers["htmx:responseError"]({detail: {xhr: {
  status, responseText: body, getResponseHeader: (name) => (name === "Content-Type" ? type : null),
}}});
process.stdout.write(JSON.stringify({hidden: line.hidden, text: line.textContent}));
"""


def site_js_shows(status: int, content_type: str, body: str) -> dict:
    if NODE is None:
        pytest.skip("needs Node.js to run static/js/site.js: apt-get install nodejs")
    site_js = str(PROJECT_DIR / "static" / "js" / "site.js")
    response = json.dumps([status, content_type, body])
    result = subprocess.run(  # noqa: S603 - our own script and arguments
        [NODE, "-e", SITE_JS_HARNESS, site_js, response],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_page_shows_the_words_of_an_htmx_503_from_the_server(redis_server, visitor):
    attempt = AttemptFactory()
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()
    signs_in(visitor, attempt.student)
    url = reverse("quiz:answer", kwargs={"pk": attempt.pk, "question_id": question.pk})
    redis_server.stop()
    response = visitor.post(url, {"choice": question.choices.first().pk}, headers=HTMX)

    shown = site_js_shows(503, response["Content-Type"], response.content.decode())

    assert shown == {"hidden": False, "text": response.content.decode().strip()}
    assert shown["text"].startswith("Not saved:")


def test_the_page_says_the_server_had_a_problem_for_any_other_failure():
    assert site_js_shows(500, "text/html", "<h1>Server Error</h1>")["text"] == (
        "the server had a problem"
    )
    # A 503 from something in front of the app (a proxy's page) is not shown as it is.
    assert site_js_shows(503, "text/html", "<h1>503</h1>")["text"] == "the server had a problem"
