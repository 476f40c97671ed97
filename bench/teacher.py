"""Time the teacher pages (gradebook, skills, item analysis) at several class sizes.

    python bench/teacher.py 100 1000 5000

For each size, bench/data.py builds a class of that many students with 30 past assignments
handed in, then each page is requested through the whole stack (middleware included) as the
class's teacher: the server time of each request, the number of queries it made and the size
of the page. Run by bench/run.sh with the benchmark's environment (its own database).
"""

import os
import statistics
import sys
import time

from tool import django_setup

django_setup()

from data import BENCH_CLASS, BENCH_TEACHER, bench_data_create  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from quiz.models import Assignment, Classroom, Study  # noqa: E402

ASSIGNMENTS = int(os.environ.get("BENCH_TEACHER_ASSIGNMENTS", "30"))
REPEAT = int(os.environ.get("BENCH_TEACHER_REPEAT", "5"))
# Name, URL name, what the URL is about, query string. The gradebook and mastery pages show a
# page of students at a time; the first page sorted by name is what a teacher opens, and a
# later page sorted by overall score makes the database rank the whole class first.
PAGES = [
    ("gradebook", "quiz:teach_gradebook", "classroom", ""),
    ("gradebook_by_overall", "quiz:teach_gradebook", "classroom", "?sort=-overall&page=10"),
    ("mastery", "quiz:teach_mastery", "classroom", ""),
    ("item_analysis", "quiz:teach_items", "assignment", ""),
    ("practice", "quiz:teach_practice", "classroom", ""),
    ("study_report", "quiz:teach_study", "study", ""),
]


def measure(client: Client, url: str) -> tuple[list[float], int, int] | None:
    """Request the page REPEAT times after one warm-up: times in ms, queries, bytes."""
    if client.get(url).status_code != 200:
        return None
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(1000 * (time.perf_counter() - started))
    return times, len(queries.captured_queries), len(response.content)


def main(sizes: list[int]) -> None:
    for size in sizes:
        bench_data_create(students=size, assignments=0, finished=ASSIGNMENTS)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        classroom = Classroom.objects.get(name=BENCH_CLASS)
        assignment = Assignment.objects.filter(classroom=classroom).latest("opens_at")
        study = Study.objects.filter(classroom=classroom).first()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=BENCH_TEACHER))
        for name, url_name, target, query in PAGES:
            subject = {"classroom": classroom, "assignment": assignment, "study": study}[target]
            try:
                url = reverse(url_name, args=[subject.pk]) + query
            except NoReverseMatch:
                print(f"TEACHER page={name} students={size} missing (no URL {url_name})")
                continue
            measured = measure(client, url)
            if measured is None:
                print(f"TEACHER page={name} students={size} failed: {url} did not answer 200")
                continue
            times, queries, size_bytes = measured
            print(
                f"TEACHER page={name} students={size} assignments={ASSIGNMENTS} "
                f"median_ms={statistics.median(times):.0f} max_ms={max(times):.0f} "
                f"queries={queries} kb={size_bytes / 1024:.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
