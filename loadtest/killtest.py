"""Nothing lost: students answer a quiz against gunicorn on PostgreSQL while a worker is killed
with SIGKILL and the database restarts.

Checks afterwards that every answer the server acknowledged is stored exactly once, that
scores equal the sum of their responses, that retried answers got the stored result, that
/healthz said 503 while the database was away and 200 once it was back, and that no response
carried a traceback. Loopback only, bounded in time. Prints

    acknowledged=N stored=N duplicates=0

and exits non-zero when anything is off. Run it with `make killtest`.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT / ".venv" / "bin" / "python"
GUNICORN = PROJECT / ".venv" / "bin" / "gunicorn"


def pg_ctlcluster(cluster: str, *action: str) -> None:
    """Stop or start the local PostgreSQL cluster (as root, as CI runs)."""
    tool = shutil.which("pg_ctlcluster") or "/usr/bin/pg_ctlcluster"
    subprocess.run([tool, "--skip-systemctl-redirect", cluster, "main", *action], check=True)  # noqa: S603


def log(message: str) -> None:
    print(f"[killtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Server:
    """gunicorn with production settings, on a loopback port."""

    def __init__(self, env: dict, port: int, workers: int):
        self.env, self.port, self.workers = env, port, workers
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
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request("GET", self.port, "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not start within 30 s")

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
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return (
            response.status,
            dict(response.getheaders()),
            response.read().decode("utf-8", "replace"),
        )
    finally:
        connection.close()


class Student(threading.Thread):
    """One student: start the attempt, answer every question, retry whatever fails."""

    def __init__(self, run, session_key, choices_by_question):
        super().__init__(daemon=True)
        self.run_state, self.session_key = run, session_key
        self.choices_by_question = choices_by_question
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.acknowledged: list[tuple[int, int, int]] = []  # (attempt, question, choice)
        self.retried_acks = 0
        self.failures = 0
        self.tracebacks = 0
        self.refused = 0

    def headers(self, **extra):
        return {
            "Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
            "Content-Type": "application/x-www-form-urlencoded",
            **extra,
        }

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
            except OSError:
                status, response_headers, text = None, {}, ""
            if "Traceback" in text:
                self.tracebacks += 1
            if status is not None and status < 500:
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
            time.sleep(rng.random() * 0.05)


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
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
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
    sessions = []
    for number in range(students):
        student = user_model.objects.create(username=f"killtest-student-{number}")
        Enrollment.objects.create(classroom=classroom, student=student)
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session["_touched"] = int(time.time())
        session.create()
        sessions.append(session.session_key)
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
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--questions", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=int, default=120, help="hard limit for the whole run")
    parser.add_argument("--no-db-restart", action="store_true")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "KILLTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sourcewise_killtest"
        ),
    )
    args = parser.parse_args()
    db = urlparse(args.database_url)
    name = db.path.lstrip("/")
    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], check=True)  # noqa: S603, S607
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{name}"'], check=True)  # noqa: S603, S607

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": args.database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "CONN_MAX_AGE": "60",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(  # noqa: S603
        [str(PYTHON), "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=PROJECT,
        env=env,
        check=True,
    )
    assignment, plan, sessions = prepare(env, args.students, args.questions)
    log(f"{args.students} students, {args.questions} questions, {args.workers} workers")

    server = Server(env, args.port, args.workers)
    run = argparse.Namespace(port=args.port, assignment=assignment, deadline=0.0)
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

    try:
        server.start()
        start = time.monotonic()
        run.deadline = start + args.seconds
        students = [Student(run, key, plan) for key in sessions]
        prober = threading.Thread(target=probe, daemon=True)
        prober.start()
        for student in students:
            student.start()

        time.sleep(2)
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)
        log(f"killed worker {victim} with SIGKILL")

        db_down = db_up = None
        if not args.no_db_restart:
            time.sleep(2)
            cluster = sorted(os.listdir("/etc/postgresql"))[0]
            log("stopping PostgreSQL")
            db_down = time.monotonic()
            pg_ctlcluster(cluster, "stop", "-m", "fast")
            time.sleep(3)
            pg_ctlcluster(cluster, "start")
            db_up = time.monotonic()
            log("PostgreSQL is back")

        for student in students:
            student.join(timeout=max(1.0, run.deadline - time.monotonic()))
        # Keep watching /healthz a while after the database came back, to see it recover.
        settle_until = (db_up or time.monotonic()) + 8
        while time.monotonic() < settle_until:
            time.sleep(0.5)
        stop_probe.set()
        prober.join(timeout=5)
    finally:
        server.stop()

    acknowledged = [a for student in students for a in student.acknowledged]
    stored, duplicates, missing, mismatched = verify(acknowledged)
    expected = args.students * args.questions
    retried = sum(s.retried_acks for s in students)
    tracebacks = sum(s.tracebacks for s in students) + sum("Traceback" in t for _, _, t in healthz)
    refused = sum(s.refused for s in students)
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
    if db_down is not None:
        during = [s for t, s, _ in healthz if db_down + 0.5 < t < db_up]
        after = [s for t, s, _ in healthz if t > db_up + 5]
        saw_503 = 503 in during
        recovered = bool(after) and all(s == 200 for s in after)
        if not saw_503:
            problems.append(f"/healthz never said 503 while the database was down: {set(during)}")
        if not recovered:
            problems.append(f"/healthz did not recover after the restart: {after[-5:]}")
        log(f"healthz while down: {sorted(set(map(str, during)))}; after: recovered={recovered}")
    log(
        f"killed_workers={len(killed)} retried_then_acknowledged={retried} "
        f"failed_tries={sum(s.failures for s in students)} refused={refused}"
    )
    for problem in problems:
        log(f"PROBLEM: {problem}")
    print(f"acknowledged={len(acknowledged)} stored={stored} duplicates={duplicates}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
