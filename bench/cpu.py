"""Where a request's time goes: CPU per request in one process, through the WSGI handler.

Run after `make bench` (it uses the bench database, its Redis sessions and answers file), with
the same environment bench/run.sh sets and the same secret key (give the run one with
BENCH_SECRET_KEY: sessions signed with another key are signed out), e.g.:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sourcewise_bench \
    REDIS_URL=redis://127.0.0.1:6379/9 DEBUG=0 SECRET_KEY=x SECURE_SSL_REDIRECT=0 \
    SECURE_COOKIES=0 ALLOWED_HOSTS=127.0.0.1 BENCH_ANSWERS=var/bench/answers.txt \
    .venv/bin/python bench/cpu.py answer 500 [--profile] [--queries]

Pages: `baseline`, `signed_in_baseline` (the baseline with a student's session cookie),
`question`, `answer`. Answers are taken from the end of the answers file,
so a profile run does not use the answers a later `make bench` would send first; each answer
is given once. Prints the median CPU milliseconds per request over three runs; `--profile`
prints the top of a cProfile of one more run (sorted by PROFILE_SORT, e.g. `tottime`;
cumulative by default), `--queries` the SQL of one request.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from tool import _attempt_lines, django_setup  # noqa: E402


def environ_for(method: str, path: str, cookie: str = "", token: str = "", body: bytes = b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8901",
        "HTTP_HOST": "127.0.0.1:8901",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "127.0.0.1",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if token:
        environ["HTTP_X_CSRFTOKEN"] = token
        environ["HTTP_ORIGIN"] = "http://127.0.0.1:8901"
        environ["HTTP_HX_REQUEST"] = "true"
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    return environ


def requests_for(page: str, count: int, skip: int):
    rows = _attempt_lines()
    if page == "baseline":
        return [environ_for("GET", "/bench/baseline") for _ in range(count)]
    if page == "signed_in_baseline":
        # The baseline with a student's session: what middleware costs a signed-in request.
        return [environ_for("GET", "/bench/baseline", rows[k % len(rows)][0]) for k in range(count)]
    environs = []
    # From the last attempt backwards, the last question of each first: answers nobody sent.
    per_attempt = len(rows[0][3])
    for k in range(skip, skip + count):
        cookie, token, attempt, pairs = rows[len(rows) - 1 - (k % len(rows))]
        question, choice = pairs[per_attempt - 1 - (k // len(rows))]
        if page == "question":
            path = f"/attempts/{attempt}/questions/{question}/"
            environ = environ_for("GET", path, cookie)
            environ["HTTP_HX_REQUEST"] = "true"
        else:
            path = f"/attempts/{attempt}/questions/{question}/answer/"
            environ = environ_for("POST", path, cookie, token, f"choice={choice}".encode())
            environ["HTTP_HX_TARGET"] = "question-card"
        environs.append(environ)
    return environs


def backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this process has used (same machine only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(handler, environs) -> tuple[float, float]:
    """Milliseconds of CPU per request: this process's, and its PostgreSQL backend's."""
    statuses = {}

    def start_response(status, headers):
        statuses[status] = statuses.get(status, 0) + 1

    started, backend_started = time.process_time(), backend_cpu()
    for environ in environs:
        for _chunk in handler(environ, start_response):
            pass
    elapsed = time.process_time() - started
    backend = backend_cpu() - backend_started
    bad = {s: n for s, n in statuses.items() if not s.startswith("2")}
    if bad:
        print(f"warning: non-2xx statuses {bad}", file=sys.stderr)
    return 1000 * elapsed / len(environs), 1000 * backend / len(environs)


def main() -> None:
    page, count = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("BENCH_BASELINE", "1")  # route /bench/baseline, as run.sh does
    django_setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler = WSGIHandler()
    skip = int(os.environ.get("PROFILE_SKIP", "0"))
    run(handler, requests_for(page, 20, skip))  # warm up: connections, templates, imports
    skip += 20
    times, backend_times = [], []
    for _round in range(3):
        app, backend = run(handler, requests_for(page, count, skip))
        times.append(app)
        backend_times.append(backend)
        skip += count
    print(
        f"{page}: app {statistics.median(times):.2f} ms CPU per request, PostgreSQL"
        f" {statistics.median(backend_times):.2f} ms (runs: {[round(t, 2) for t in times]},"
        f" {[round(t, 2) for t in backend_times]})"
    )
    if "--queries" in sys.argv:
        with CaptureQueriesContext(connection) as queries:
            run(handler, requests_for(page, 1, skip))
        skip += 1
        for query in queries.captured_queries:
            print(f"  {query['time']}s {query['sql'][:300]}")
    if "--profile" in sys.argv:
        profiler = cProfile.Profile(time.process_time)  # CPU time, not waiting
        environs = requests_for(page, count, skip)
        profiler.enable()
        run(handler, environs)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    print(f"next PROFILE_SKIP={skip + count}")


if __name__ == "__main__":
    main()
