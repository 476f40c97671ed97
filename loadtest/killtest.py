"""Nothing lost: students answer a quiz against gunicorn on PostgreSQL while a worker is killed
with SIGKILL and the database restarts; with --redis, while the Redis that holds the sessions
and the cache stops and starts again (empty, as a Redis without persistence comes back).

Checks afterwards that every answer the server acknowledged is stored exactly once, that
scores equal the sum of their responses, that retried answers got the stored result, that
/healthz said 503 while the database (or Redis) was away and 200 once it was back, and that no
response carried a traceback. With --redis the students' sessions are gone after the restart:
each student signs in again, as a real one would, and the run counts those sign-ins. Loopback
only, bounded in time; the Redis is a private redis-server of the run's own, never the
machine's. Prints

    acknowledged=N stored=N duplicates=0

and exits non-zero when anything is off. Run both with `make killtest`.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode, urlparse

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"
LOGIN_PATH = "/accounts/login/"
PASSWORD = "killtest-student-password"  # noqa: S105 - the run's own throwaway accounts


def pg_ctlcluster(cluster: str, *action: str) -> None:
    """Stop or start the local PostgreSQL cluster (as root, as CI runs)."""
    tool = shutil.which("pg_ctlcluster") or "/usr/bin/pg_ctlcluster"
    subprocess.run([tool, "--skip-systemctl-redirect", cluster, "main", *action], check=True)  # noqa: S603


def free_port() -> int:
    """A loopback port nothing listens on now, so a server left running elsewhere on the
    machine cannot take the run's."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A redis-server of the run's own on a free loopback port, without persistence."""

    def __init__(self):
        self.server = shutil.which("redis-server")
        if self.server is None:
            raise SystemExit("killtest --redis needs redis-server (apt-get install redis-server)")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [self.server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
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
        raise SystemExit("the private redis-server did not start within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def log(message: str) -> None:
    print(f"[killtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Server:
    """gunicorn with production settings, on a loopback port."""

    def __init__(self, env: dict, port: int, workers: int, log_path: Path | None = None):
        self.env, self.port, self.workers = env, port, workers
        self.log_path = log_path  # where its output goes; None: this terminal
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(GUNICORN),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT,
            env=self.env,
            stdout=self.log_path.open("w") if self.log_path else None,
            stderr=subprocess.STDOUT if self.log_path else None,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request("GET", self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(
            f"gunicorn did not start within 30 s (its log: {self.log_path or 'above'})"
        )

    def worker_pids(self) -> list[int]:
        out = subprocess.run(  # noqa: S603
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(pid) for pid in out.stdout.split()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(method, port, path, *, body=None, headers=None, timeout=10):
    """Send one request; return the status, the headers (an email Message) and the text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            response.msg,
            response.read().decode("utf-8", "replace"),
        )
    finally:
        connection.close()


class Student(threading.Thread):
    """One student: start the attempt, answer every question, retry whatever fails.

    Sent to the login page (the session is gone: Redis came back empty), the student signs in
    again with their password and sends the same thing again.
    """

    def __init__(self, run, username, session_key, choices_by_question):
        super().__init__(daemon=True)
        self.run_state, self.username, self.session_key = run, username, session_key
        self.choices_by_question = choices_by_question
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.acknowledged: list[tuple[int, int, int]] = []  # (attempt, question, choice)
        self.retried_acks = 0
        self.failures = 0
        self.tracebacks = 0
        self.refused = 0
        self.sign_ins = 0
        self.signed_out_at: list[float] = []  # when the server sent the student to log in
        self.errors = 0  # 5xx answers other than 503 "back in a moment"

    def headers(self, **extra):
        return {
            "Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            **extra,
        }

    def sign_in(self) -> bool:
        """Log in again through the login form; True once a new session cookie is set."""
        status, response_headers, text = request(
            "POST",
            self.run_state.port,
            LOGIN_PATH,
            body=urlencode({"username": self.username, "password": PASSWORD}),
            headers=self.headers(),
        )
        if "Traceback" in text:
            self.tracebacks += 1
        if status is not None and status >= 500 and status != 503:
            self.errors += 1
        for cookie in response_headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            if status == 302 and name.strip() == "sessionid" and rest.split(";")[0]:
                self.session_key = rest.split(";")[0]
                self.sign_ins += 1
                return True
        return False

    def send(self, path, body, extra_headers):
        """Post until the server gives a definite answer; return (status, text, retried)."""
        retried = False
        while time.monotonic() < self.run_state.deadline:
            try:
                status, response_headers, text = request(
                    "POST",
                    self.run_state.port,
                    path,
                    body=body,
                    headers=self.headers(**extra_headers),
                )
            except (OSError, http.client.HTTPException):
                # No definite answer (refused, reset, or cut off mid-body by a killed worker):
                # send the same thing again; the server treats a repeat as the same answer.
                status, response_headers, text = None, {}, ""
            if "Traceback" in text:
                self.tracebacks += 1
            if status is not None and status >= 500 and status != 503:
                self.errors += 1
            signed_out = status == 302 and response_headers.get("Location", "").startswith(
                LOGIN_PATH
            )
            if signed_out:
                self.signed_out_at.append(time.monotonic())
                try:
                    if self.sign_in():
                        continue
                except (OSError, http.client.HTTPException):
                    pass
            elif status is not None and status < 500:
                return status, response_headers, text, retried
            self.failures += 1
            retried = True
            time.sleep(0.2 + random.random() * 0.3)  # noqa: S311
        return None, {}, "", retried

    def run(self):
        status, headers, _text, _ = self.send(
            f"/assignments/{self.run_state.assignment}/start/", "", {}
        )
        location = headers.get("Location", "")
        match = re.search(r"/attempts/(\d+)/", location)
        if status != 302 or not match:
            self.failures += 1
            return
        attempt = int(match.group(1))
        rng = random.Random(self.session_key)  # noqa: S311
        for question, choices in self.choices_by_question:
            choice = rng.choice(choices)
            status, _headers, text, retried = self.send(
                f"/attempts/{attempt}/questions/{question}/answer/",
                f"choice={choice}",
                {"HX-Request": "true"},
            )
            if status == 200 and 'id="feedback"' in text:
                self.acknowledged.append((attempt, question, choice))
                self.retried_acks += retried
            else:
                self.refused += 1
            time.sleep(self.run_state.think * (0.5 + rng.random()))


def prepare(env: dict, students: int, questions: int):
    """Migrate a fresh database and create the class, quiz and logged-in students."""
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
    )
    os.environ.update(env)
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from articles.models import Article
    from quiz.models import Assignment, Choice, Classroom, Enrollment, Question, Quiz, QuizQuestion

    user_model = get_user_model()
    teacher = user_model.objects.create(username="killtest-teacher", is_staff=True)
    article = Article.objects.create(
        title="Load test",
        slug="load-test",
        body="A short article.",
        owner=teacher,
        status="published",
    )
    quiz = Quiz.objects.create(title="Load test quiz", owner=teacher, published=True)
    plan = []
    for number in range(1, questions + 1):
        question = Question.objects.create(
            kind="multiple_choice",
            skill=["attribution", "claims", "sourcing"][number % 3],
            prompt=f"Question {number}",
            article=article,
            owner=teacher,
            points=1 + number % 2,
        )
        created = Choice.objects.bulk_create(
            Choice(question=question, text=f"Choice {n}", is_correct=n == 0, position=n)
            for n in range(3)
        )
        QuizQuestion.objects.create(quiz=quiz, question=question, position=number)
        plan.append((question.pk, [choice.pk for choice in created]))
    classroom = Classroom.objects.create(name="Load test class")
    assignment = Assignment.objects.create(
        classroom=classroom,
        quiz=quiz,
        opens_at=timezone.now() - timezone.timedelta(minutes=1),
        due_at=timezone.now() + timezone.timedelta(hours=1),
    )
    # The sessions where the app keeps them: the database, or Redis with REDIS_URL.
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    password = make_password(PASSWORD)  # hashed once: one hash costs a quarter of a second
    sessions = []
    for number in range(students):
        student = user_model.objects.create(
            username=f"killtest-student-{number}", password=password
        )
        Enrollment.objects.create(classroom=classroom, student=student)
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session["_touched"] = int(time.time())
        session.create()
        sessions.append((student.username, session.session_key))
    return assignment.pk, plan, sessions


def verify(acknowledged):
    from django.db import connection
    from django.db.models import Count, Sum

    from quiz.models import Attempt, Response

    connection.close()  # the database may have restarted since setup
    stored = {(r.attempt_id, r.question_id): r.choice_id for r in Response.objects.all()}
    duplicates = (
        Response.objects.values("attempt_id", "question_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    missing = [a for a in acknowledged if stored.get((a[0], a[1])) != a[2]]
    mismatched_scores = 0
    for attempt in Attempt.objects.annotate(total=Sum("responses__points"), n=Count("responses")):
        if attempt.score != (attempt.total or 0) or attempt.answered != attempt.n:
            mismatched_scores += 1
    return len(stored), duplicates, missing, mismatched_scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--redis",
        action="store_true",
        help="sessions and cache in a private Redis, which stops and starts under load "
        "(instead of the worker kill and the PostgreSQL restart)",
    )
    parser.add_argument("--students", type=int, help="default 100; 30 with --redis")
    parser.add_argument("--questions", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, help="default: a free loopback port")
    parser.add_argument("--seconds", type=int, default=120, help="hard limit for the whole run")
    parser.add_argument("--redis-down", type=float, default=4.0, help="seconds Redis stays down")
    parser.add_argument("--no-db-restart", action="store_true")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    # Students think between answers with --redis, so the outage finds them mid-quiz; each
    # then signs in again, and a sign-in costs a password hash (a quarter of a second of CPU).
    args.students = args.students or (30 if args.redis else 100)
    args.port = args.port or free_port()
    think = 0.3 if args.redis else 0.025
    database_url = args.database_url or os.environ.get(
        "KILLTEST_DATABASE_URL",
        "postgres://postgres@127.0.0.1:5432/"
        + ("sourcewise_killtest_redis" if args.redis else "sourcewise_killtest"),
    )
    db = urlparse(database_url)
    name = db.path.lstrip("/")
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603, S607
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603, S607

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONN_MAX_AGE": "60",
    }
    env.pop("REDIS_URL", None)
    redis_server = None
    if args.redis:
        redis_server = PrivateRedis()
        redis_server.start()
        env["REDIS_URL"] = redis_server.url
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
    )
    assignment, plan, sessions = prepare(env, args.students, args.questions)
    log(
        f"{args.students} students, {args.questions} questions, {args.workers} workers, "
        f"sessions in {'Redis' if args.redis else 'the database'}"
    )

    # With --redis every request while Redis is away logs its 503 with a traceback (as the
    # database outage does): thousands of lines, kept in a file rather than on the terminal.
    server_log = (
        Path(tempfile.gettempdir()) / "sourcewise-killtest-redis.log" if args.redis else None
    )
    server = Server(env, args.port, args.workers, server_log)
    if server_log:
        log(f"gunicorn's log: {server_log}")
    run = argparse.Namespace(port=args.port, assignment=assignment, deadline=0.0, think=think)
    healthz: list[tuple[float, int | None, str]] = []
    killed: list[int] = []
    stop_probe = threading.Event()

    def probe():
        while not stop_probe.is_set():
            try:
                status, _headers, text = request("GET", args.port, "/healthz", timeout=3)
            except OSError:
                status, text = None, ""
            healthz.append((time.monotonic(), status, text))
            time.sleep(0.2)

    outage = None  # what went away, when, and when it was back
    students = []
    try:
        server.start()
        start = time.monotonic()
        run.deadline = start + args.seconds
        students = [Student(run, username, key, plan) for username, key in sessions]
        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        for student in students:
            student.start()

        if args.redis:
            time.sleep(1.5)
            log("stopping Redis")
            down = time.monotonic()
            redis_server.stop()
            time.sleep(args.redis_down)
            redis_server.start()
            outage = ("Redis", down, time.monotonic())
            log("Redis is back, empty: every session is gone")
        else:
            time.sleep(2)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
            log(f"killed worker {victim} with SIGKILL")
            if not args.no_db_restart:
                time.sleep(2)
                cluster = sorted(os.listdir("/etc/postgresql"))[0]
                log("stopping PostgreSQL")
                down = time.monotonic()
                pg_ctlcluster(cluster, "stop", "-m", "fast")
                time.sleep(3)
                pg_ctlcluster(cluster, "start")
                outage = ("the database", down, time.monotonic())
                log("PostgreSQL is back")

        for student in students:
            student.join(timeout=max(1.0, run.deadline - time.monotonic()))
        log(f"students done after {time.monotonic() - start:.1f} s")
        # Keep watching /healthz a while after the outage ended, to see it recover.
        settle_until = (outage[2] if outage else time.monotonic()) + 8
        while time.monotonic() < settle_until:
            time.sleep(0.5)
        stop_probe.set()
        prober.join(timeout=5)
    finally:
        server.stop()
        if redis_server is not None:
            redis_server.stop()

    acknowledged = [a for student in students for a in student.acknowledged]
    stored, duplicates, missing, mismatched = verify(acknowledged)
    expected = args.students * args.questions
    retried = sum(s.retried_acks for s in students)
    tracebacks = sum(s.tracebacks for s in students) + sum("Traceback" in t for _, _, t in healthz)
    refused = sum(s.refused for s in students)
    sign_ins = sum(s.sign_ins for s in students)
    errors = sum(s.errors for s in students)
    unfinished = sum(1 for s in students if s.is_alive())
    problems = []
    if missing:
        problems.append(f"{len(missing)} acknowledged answers not stored as acknowledged")
    if duplicates:
        problems.append(f"{duplicates} duplicate responses")
    if mismatched:
        problems.append(f"{mismatched} attempts whose score is not the sum of their responses")
    if tracebacks:
        problems.append(f"{tracebacks} responses showed a traceback")
    if len(acknowledged) != expected:
        problems.append(f"only {len(acknowledged)} of {expected} answers acknowledged in time")
    if stored != len(acknowledged):
        problems.append(f"stored {stored} but acknowledged {len(acknowledged)}")
    if unfinished:
        problems.append(f"{unfinished} students still running at the time limit")
    if args.redis and not sign_ins:
        problems.append("no student had to sign in again: the outage did not meet the load")
    if args.redis and errors:
        problems.append(f"{errors} answers were server errors other than 503")
    if args.redis and outage is not None:
        # While Redis is away nobody may look signed out (that was the bug: a redirect to the
        # login page, and the answer with it lost). Redis takes a moment to answer once started.
        _what, down, up = outage
        signed_out = sum(down < t < up - 0.3 for s in students for t in s.signed_out_at)
        if signed_out:
            problems.append(f"{signed_out} requests were sent to log in while Redis was down")
    if outage is not None:
        what, down, up = outage
        during = [s for t, s, _ in healthz if down + 0.5 < t < up]
        after = [s for t, s, _ in healthz if t > up + 5]
        saw_503 = 503 in during
        recovered = bool(after) and all(s == 200 for s in after)
        if args.redis:
            # Every student signs in again at once when Redis is back, and each sign-in hashes
            # a password: the workers are busy for a while and a probe may time out (None).
            # Recovered means no 503 once Redis is back, and 200 at the end.
            recovered = bool(after) and 503 not in after and after[-1] == 200
        if not saw_503:
            problems.append(f"/healthz never said 503 while {what} was down: {set(during)}")
        if not recovered:
            problems.append(f"/healthz did not recover after {what} came back: {after[-5:]}")
        log(f"healthz while down: {sorted(set(map(str, during)))}; after: recovered={recovered}")
    log(
        f"killed_workers={len(killed)} retried_then_acknowledged={retried} "
        f"failed_tries={sum(s.failures for s in students)} refused={refused} "
        f"signed_in_again={sign_ins} server_errors={errors}"
    )
    for problem in problems:
        log(f"PROBLEM: {problem}")
    print(f"acknowledged={len(acknowledged)} stored={stored} duplicates={duplicates}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
