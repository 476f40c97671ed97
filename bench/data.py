"""Create a large class with attempts started and signed-in students, for the benchmark.

    python bench/data.py --force --students 1000 --assignments 4 --out var/bench/answers.txt

bench/run.sh runs this on the benchmark's own database, with its environment. With --out it
writes one line per attempt for the load generator: the Cookie header and CSRF token a
signed-in browser would send (no spaces: "sessionid=…;csrftoken=…"), the attempt id, and the
quiz's questions in order with the choice the student will pick ("question:choice,…").
"""

import argparse
import os
import random
import time
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from tool import django_setup

django_setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model, login  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.roles import teachers_group_ensure  # noqa: E402
from articles.demo_content import demo_articles_ensure  # noqa: E402
from quiz.management.commands.demo import demo_quiz_ensure  # noqa: E402
from quiz.models import (  # noqa: E402
    Assignment,
    Attempt,
    Booster,
    BoosterItem,
    Choice,
    Classroom,
    Enrollment,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    SittingItem,
    Skill,
    Study,
    StudyParticipant,
    StudyPhase,
    StudySitting,
)
from quiz.services.generation import questions_generate  # noqa: E402

BENCH_TEACHER = "bench-teacher"
BENCH_STUDENT_PREFIX = "bench-student-"
BENCH_CLASS = "Bench class"
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 - throwaway accounts on a bench database
# Share of answers that pick the right choice, so both grading branches are exercised.
RIGHT_SHARE = 0.6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=(
            "Create a class of students with attempts started and sign them in, writing what "
            "the load generator needs. Replaces the previous bench class. For benchmark "
            "databases only."
        )
    )
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument(
        "--assignments",
        type=int,
        default=4,
        help="Assignments of the quiz to the class; every student starts an attempt at each.",
    )
    parser.add_argument(
        "--finished",
        type=int,
        default=0,
        help=(
            "Past assignments with every attempt handed in and answered, for the teacher "
            "pages (gradebook, skills, item analysis)."
        ),
    )
    parser.add_argument(
        "--out", type=Path, help="Sign the students in and write the load generator's lines here."
    )
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--force",
        action="store_true",
        help="Run even with DEBUG off (creates accounts with a known password).",
    )
    args = parser.parse_args(argv)
    if not settings.DEBUG and not args.force:
        parser.error(
            "DEBUG is off, so this looks like a production site: this creates accounts with a "
            "known password. Run it on a benchmark database with --force."
        )
    if args.students < 1 or args.assignments < 0 or args.finished < 0:
        parser.error("Give at least one student, and no negative assignment counts.")
    bench_data_create(
        students=args.students,
        assignments=args.assignments,
        finished=args.finished,
        out=args.out,
        seed=args.seed,
    )


def bench_data_create(
    *, students: int, assignments: int, finished: int, out: Path | None = None, seed: int = 9
) -> None:
    """Replace the bench class with a new one; with `out`, sign its students in too."""
    started = time.monotonic()
    attempts, questions = build(students=students, assignments=assignments, finished=finished)
    report = (
        f"bench data: {students} students, {len(attempts)} attempts started, "
        f"{finished} past assignments handed in; built in {time.monotonic() - started:.1f}s"
    )
    if out is not None:
        signing_in = time.monotonic()
        sessions = sign_in(attempts)
        # Seeded, so runs pick the same answers; nothing secret depends on it.
        lines = answer_lines(attempts, questions, sessions, random.Random(seed))  # noqa: S311
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(lines))
        report += (
            f"; signed in in {time.monotonic() - signing_in:.1f}s; "
            f"{len(attempts) * len(questions)} answers to give, written to {out}"
        )
    print(report, flush=True)


@transaction.atomic
def build(*, students: int, assignments: int, finished: int):
    user_model = get_user_model()
    # Start clean: the previous bench class, its students and their attempts. Responses and
    # attempts first, each in one statement, so a large class is not loaded into memory.
    bench_students = user_model.objects.filter(username__startswith=BENCH_STUDENT_PREFIX)
    Response.objects.filter(attempt__student__in=bench_students).delete()
    Attempt.objects.filter(student__in=bench_students).delete()
    bench_students.delete()
    Classroom.objects.filter(name=BENCH_CLASS).delete()

    teacher, _created = user_model.objects.get_or_create(
        username=BENCH_TEACHER, defaults={"is_staff": True, "first_name": "Bench"}
    )
    teacher.groups.add(teachers_group_ensure())
    articles = demo_articles_ensure(owner=teacher)
    for article in articles:
        questions_generate(article=article, owner=teacher)
    quiz = demo_quiz_ensure(article=articles[0], owner=teacher)

    classroom = Classroom.objects.create(name=BENCH_CLASS)
    classroom.teachers.add(teacher)
    # One hash for everyone: hashing is deliberately slow, and these accounts are throwaway.
    password = make_password(BENCH_PASSWORD)
    width = len(str(students))
    people = user_model.objects.bulk_create(
        user_model(
            username=f"{BENCH_STUDENT_PREFIX}{n:0{width}d}",
            first_name=f"Student {n}",
            last_name="Bench",
            password=password,
        )
        for n in range(1, students + 1)
    )
    Enrollment.objects.bulk_create(
        Enrollment(classroom=classroom, student=student) for student in people
    )
    now = timezone.now()
    work = Assignment.objects.bulk_create(
        Assignment(
            classroom=classroom,
            quiz=quiz,
            opens_at=now - timedelta(hours=1),
            due_at=now + timedelta(days=7),
        )  # one attempt, answers shown after each question: the model's defaults
        for _ in range(assignments)
    )
    items = list(
        QuizQuestion.objects.filter(quiz=quiz).select_related("question").order_by("position", "pk")
    )
    questions = [item.question for item in items]
    max_score = sum(question.points for question in questions)
    attempts = Attempt.objects.bulk_create(
        Attempt(
            assignment=assignment,
            student=student,
            number=1,
            started_at=now,
            max_score=max_score,
        )
        for assignment in work
        for student in people
    )
    if finished:
        history(classroom, quiz, finished, now)
        practice_history(classroom, BOOSTERS_PER_STUDENT)
        study_history(classroom, quiz, now)
    return attempts, questions


# The choice the student of `{row}` (an attempt or a booster) picks for question
# `i.question_id`: the right one with a chance of their own (30% to 90%), else a wrong one;
# the same every run.
CHOICE_PICK = """
    SELECT ch.id, ch.is_correct FROM {choice} ch WHERE ch.question_id = i.question_id
    ORDER BY (ch.is_correct AND abs(hashtext({row}.id || '/' || i.question_id)) %% 100
              < 30 + {row}.student_id %% 61) DESC,
             md5({row}.id || '/' || ch.id)
    LIMIT 1
"""


def choice_pick(row: str) -> str:
    return CHOICE_PICK.format(choice=Choice._meta.db_table, row=row)


def history(classroom: Classroom, quiz, count: int, now) -> None:
    """Add past assignments that (nearly) everyone handed in, answers and scores included.

    Written in SQL because a class of thousands has millions of responses. Each student
    skips one assignment in twenty and gets each question right with a probability of
    their own (from 30% to 90%), so scores spread as in a real class.
    """
    past = Assignment.objects.bulk_create(
        Assignment(
            classroom=classroom,
            quiz=quiz,
            opens_at=now - timedelta(days=2 * (count - i) + 2),
            due_at=now - timedelta(days=2 * (count - i)),
            attempts_allowed=1,
            reveal=Assignment.Reveal.AFTER_EACH,
        )
        for i in range(count)
    )
    ids = [assignment.pk for assignment in past]
    tables = {
        "attempt": Attempt._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "enrollment": Enrollment._meta.db_table,
        "item": QuizQuestion._meta.db_table,
        "question": Question._meta.db_table,
        "pick_a": choice_pick("a"),
        "response": Response._meta.db_table,
    }
    statements = [
        """
        INSERT INTO {attempt}
            (assignment_id, student_id, number, started_at, submitted_at,
             score, max_score, answered)
        SELECT s.id, e.student_id, 1, s.opens_at + interval '1 hour',
               s.opens_at + interval '90 minutes', 0,
               (SELECT COALESCE(SUM(q.points), 0) FROM {item} i
                JOIN {question} q ON q.id = i.question_id WHERE i.quiz_id = s.quiz_id), 0
        FROM {assignment} s JOIN {enrollment} e ON e.classroom_id = s.classroom_id
        WHERE s.id = ANY(%(ids)s) AND abs(hashtext(e.student_id || '/' || s.id)) %% 20 <> 0
        """,
        """
        INSERT INTO {response}
            (attempt_id, question_id, choice_id, is_correct, points, answered_at)
        SELECT a.id, i.question_id, c.id, c.is_correct,
               CASE WHEN c.is_correct THEN q.points ELSE 0 END,
               a.started_at + interval '1 minute' * i.position
        FROM {attempt} a
        JOIN {assignment} s ON s.id = a.assignment_id
        JOIN {item} i ON i.quiz_id = s.quiz_id
        JOIN {question} q ON q.id = i.question_id
        CROSS JOIN LATERAL ({pick_a}) c
        WHERE a.assignment_id = ANY(%(ids)s)
        """,
        """
        UPDATE {attempt} a SET score = t.score, answered = t.answered, {right_set}
        FROM (SELECT attempt_id, SUM(r.points) AS score, COUNT(*) AS answered, {right_count}
              FROM {response} r JOIN {attempt} x ON x.id = r.attempt_id
              JOIN {question} q ON q.id = r.question_id
              WHERE x.assignment_id = ANY(%(ids)s) GROUP BY attempt_id) t
        WHERE a.id = t.attempt_id
        """,
    ]
    # The right answers per skill, kept on the attempt as response_submit keeps them.
    rights = [(Attempt.right_field(skill), skill.value) for skill in Skill]
    tables["right_set"] = ", ".join(f"{field} = t.{field}" for field, _skill in rights)
    tables["right_count"] = ", ".join(
        f"COUNT(*) FILTER (WHERE r.is_correct AND q.skill = '{skill}') AS {field}"
        for field, skill in rights
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**tables), {"ids": ids})


# Booster practice each student has done after the past assignments, for the teacher's
# practice page (issue: 20 boosters each at 1,000 students).
BOOSTERS_PER_STUDENT = int(os.environ.get("BENCH_TEACHER_BOOSTERS", "20"))


def practice_history(classroom: Classroom, per_student: int) -> None:
    """Give every student `per_student` finished boosters of five answered questions.

    The boosters follow the earliest past assignments, three slots each (2, 7 and 21 days
    after the close), so the practice page has a trend over several boosters. In SQL, as
    `history` is.
    """
    if per_student <= 0:
        return
    past = list(classroom.assignments.order_by("opens_at", "pk"))
    slots = len(Assignment._meta.get_field("booster_days").default.split(","))
    ids = [a.pk for a in past[: -(-per_student // slots)]]
    tables = {
        "booster": Booster._meta.db_table,
        "item": BoosterItem._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "enrollment": Enrollment._meta.db_table,
        "quizitem": QuizQuestion._meta.db_table,
        "question": Question._meta.db_table,
        "pick_b": choice_pick("b"),
    }
    statements = [
        """
        INSERT INTO {booster}
            (student_id, assignment_id, slot, due_at, skill, level, created_at, finished_at)
        SELECT e.student_id, s.id, g.slot,
               s.due_at + interval '1 day' * (ARRAY[2, 7, 21])[g.slot],
               'claims', 0,
               s.due_at + interval '1 day' * (ARRAY[2, 7, 21])[g.slot],
               s.due_at + interval '1 day' * (ARRAY[2, 7, 21])[g.slot] + interval '10 minutes'
        FROM {assignment} s JOIN {enrollment} e ON e.classroom_id = s.classroom_id
        CROSS JOIN generate_series(1, 3) g(slot)
        WHERE s.id = ANY(%(ids)s)
          AND (array_position(%(ids)s, s.id) - 1) * 3 + g.slot <= %(per_student)s
        """,
        """
        INSERT INTO {item}
            (booster_id, question_id, position, choice_id, is_correct, answered_at)
        SELECT b.id, i.question_id, i.position, c.id, c.is_correct,
               b.due_at + interval '1 minute' * i.position
        FROM {booster} b
        JOIN {assignment} s ON s.id = b.assignment_id
        JOIN {quizitem} i ON i.quiz_id = s.quiz_id AND i.position <= 5
        CROSS JOIN LATERAL ({pick_b}) c
        WHERE b.assignment_id = ANY(%(ids)s)
        """,
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**tables), {"ids": ids, "per_student": per_student})


def study_history(classroom: Classroom, quiz, now) -> None:
    """A study of the whole class, pre-test a month ago and post-test ten days ago, every
    student's two sittings handed in with every question answered: the study report's data.

    Form A is the bench quiz and form B a quiz of the same questions (the report reads them as
    two forms). In SQL, as `history` is; each answer picks a choice as `history`'s do.
    """
    form_b = Quiz.objects.create(title=f"{quiz.title} (form B)", owner=quiz.owner, published=True)
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=form_b, question_id=item.question_id, position=item.position)
        for item in QuizQuestion.objects.filter(quiz=quiz)
    )
    study = Study.objects.create(
        classroom=classroom, title="Bench study", form_a=quiz, form_b=form_b
    )
    for phase, days in ((Study.Phase.PRE, 30), (Study.Phase.POST, 10)):
        StudyPhase.objects.create(
            study=study,
            phase=phase,
            opens_at=now - timedelta(days=days),
            due_at=now - timedelta(days=days - 1),
        )
    tables = {
        "participant": StudyParticipant._meta.db_table,
        "phase": StudyPhase._meta.db_table,
        "sitting": StudySitting._meta.db_table,
        "item": SittingItem._meta.db_table,
        "enrollment": Enrollment._meta.db_table,
        "quizitem": QuizQuestion._meta.db_table,
        "pick_r": choice_pick("r"),
    }
    statements = [
        """
        INSERT INTO {participant} (study_id, student_id, "order", pseudonym, joined_at)
        SELECT %(study)s, e.student_id,
               CASE WHEN row_number() OVER (ORDER BY e.student_id) %% 2 = 0 THEN 'AB' ELSE 'BA' END,
               substr(md5('bench/' || e.student_id), 1, 8), %(now)s
        FROM {enrollment} e WHERE e.classroom_id = %(classroom)s
        """,
        """
        INSERT INTO {sitting} (phase_id, participant_id, form, started_at, finished_at)
        SELECT ph.id, p.id,
               CASE WHEN (p."order" = 'AB') = (ph.phase = 'pre') THEN 'A' ELSE 'B' END,
               ph.opens_at + interval '1 hour', ph.opens_at + interval '90 minutes'
        FROM {phase} ph JOIN {participant} p ON p.study_id = ph.study_id
        WHERE ph.study_id = %(study)s
        """,
        """
        INSERT INTO {item}
            (sitting_id, question_id, position, choice_id, is_correct, answered_at)
        SELECT r.id, i.question_id, i.position, c.id, c.is_correct,
               r.started_at + interval '1 minute' * i.position
        FROM (SELECT s.id, p.student_id, s.started_at, s.form
              FROM {sitting} s JOIN {participant} p ON p.id = s.participant_id
              WHERE p.study_id = %(study)s) r
        JOIN {quizitem} i ON i.quiz_id = CASE WHEN r.form = 'A' THEN %(form_a)s ELSE %(form_b)s END
        CROSS JOIN LATERAL ({pick_r}) c
        """,
    ]
    values = {
        "study": study.pk,
        "classroom": classroom.pk,
        "now": now,
        "form_a": quiz.pk,
        "form_b": form_b.pk,
    }
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**tables), values)


def sign_in(attempts) -> dict[int, tuple[str, str, str]]:
    """Log each student in as the login view would; return their cookies and CSRF token."""
    engine = import_module(settings.SESSION_ENGINE)
    sessions = {}
    for attempt in attempts:
        student = attempt.student
        if student.pk in sessions:
            continue
        request = HttpRequest()
        request.META.update({"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "bench/data.py"})
        request.session = engine.SessionStore()
        login(request, student, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
        token = get_token(request)
        sessions[student.pk] = (request.session.session_key, request.META["CSRF_COOKIE"], token)
    return sessions


def answer_lines(attempts, questions, sessions, rng: random.Random) -> list[str]:
    choices: dict[int, tuple[list[int], list[int]]] = {}
    for choice in Choice.objects.filter(question__in=questions):
        right, wrong = choices.setdefault(choice.question_id, ([], []))
        (right if choice.is_correct else wrong).append(choice.pk)
    lines = []
    for attempt in attempts:
        session_key, csrf_cookie, csrf_token = sessions[attempt.student_id]
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session_key};"
            f"{settings.CSRF_COOKIE_NAME}={csrf_cookie}"
        )
        picks = []
        for question in questions:
            right, wrong = choices[question.pk]
            pool = right if (rng.random() < RIGHT_SHARE or not wrong) else wrong
            picks.append(f"{question.pk}:{rng.choice(pool)}")
        lines.append(f"{cookie} {csrf_token} {attempt.pk} {','.join(picks)}\n")
    return lines


if __name__ == "__main__":
    main()
