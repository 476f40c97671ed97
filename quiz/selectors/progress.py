"""An assignment's score distribution and live progress."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Least
from django.utils import timezone

from quiz.models import (
    Assignment,
    Attempt,
    Enrollment,
    QuizQuestion,
)
from quiz.selectors.classes import counted_attempt, enrolled_students, handed_in

# Score distribution and live progress

SCORE_BANDS = 10


def score_distribution(*, assignment: Assignment, now=None) -> list[dict]:
    """How many students' counted scores fall in each tenth of the marks (90–100% is one)."""
    now = now or timezone.now()
    band = Least(
        ExpressionWrapper(F("score") * SCORE_BANDS / F("max_score"), output_field=IntegerField()),
        Value(SCORE_BANDS - 1),
    )
    counts = {
        row["band"]: row["students"]
        for row in Attempt.objects.filter(
            counted_attempt(policy=assignment.classroom.score_policy, now=now),
            assignment=assignment,
            student__enrollments__classroom=assignment.classroom_id,
            max_score__gt=0,
        )
        .annotate(band=band)
        .values("band")
        .annotate(students=Count("pk"))
        .order_by()
    }
    step = 100 // SCORE_BANDS
    return [
        {
            "low": band * step,
            "high": 100 if band == SCORE_BANDS - 1 else band * step + step - 1,
            "students": counts.get(band, 0),
        }
        for band in range(SCORE_BANDS)
    ]


@dataclass(frozen=True)
class ProgressRow:
    student: object
    number: int | None
    answered: int
    right: int
    finished: bool


@dataclass(frozen=True)
class LiveProgress:
    question_count: int
    students: int
    finished: int
    working: int
    not_started: int
    rows: list[ProgressRow]


def live_progress(*, assignment: Assignment, now=None) -> LiveProgress:
    """Each student's latest attempt: answered so far and how many right."""
    now = now or timezone.now()
    later = Attempt.objects.filter(
        assignment=OuterRef("assignment"),
        student=OuterRef("student"),
        number__gt=OuterRef("number"),
    )
    latest = {
        row["student_id"]: row
        for row in Attempt.objects.filter(
            ~Exists(later),
            assignment=assignment,
            student__enrollments__classroom=assignment.classroom_id,
        )
        .annotate(
            right=Count("responses", filter=Q(responses__is_correct=True)),
            finished=ExpressionWrapper(handed_in(now), output_field=BooleanField()),
        )
        .values("student_id", "number", "answered", "right", "finished")
    }
    attempts = Attempt.objects.filter(assignment=assignment, student=OuterRef("student"))
    summary = Enrollment.objects.filter(classroom=assignment.classroom_id).aggregate(
        students=Count("pk"),
        finished=Count("pk", filter=Q(Exists(attempts.filter(handed_in(now))))),
        working=Count("pk", filter=Q(Exists(attempts.exclude(handed_in(now))))),
        not_started=Count("pk", filter=~Q(Exists(attempts))),
    )
    rows = []
    for student in enrolled_students(classroom=assignment.classroom):
        row = latest.get(student.pk)
        rows.append(
            ProgressRow(
                student=student,
                number=row["number"] if row else None,
                answered=row["answered"] if row else 0,
                right=row["right"] if row else 0,
                finished=bool(row["finished"]) if row else False,
            )
        )
    return LiveProgress(
        question_count=QuizQuestion.objects.filter(quiz=assignment.quiz_id).count(),
        students=summary["students"],
        finished=summary["finished"],
        working=summary["working"],
        not_started=summary["not_started"],
        rows=rows,
    )


def unfinished_attempts_count(*, assignment: Assignment) -> int:
    """The attempts not handed in: what closing the assignment now would hand in."""
    return Attempt.objects.filter(assignment=assignment, submitted_at__isnull=True).count()
