"""Reads for the student's pages, with the arithmetic in SQL."""

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet

from quiz.models import Assignment, Attempt, Classroom, QuizQuestion, Response, Skill


def student_classrooms(*, student) -> QuerySet[Classroom]:
    """The student's classes, each with how many assignments are open now."""
    open_now = Assignment.objects.open_now()
    return (
        Classroom.objects.filter(enrollments__student=student)
        .annotate(
            open_assignments=Count(
                "assignments", filter=Q(assignments__in=open_now.values("pk")), distinct=True
            )
        )
        .order_by("name")
    )


def student_assignments(*, classroom: Classroom, student) -> QuerySet[Assignment]:
    """A class's assignments with the student's attempts summarised on each."""
    mine = Attempt.objects.filter(assignment=OuterRef("pk"), student=student)
    return (
        classroom.assignments.select_related("quiz")
        .annotate(
            my_attempts=Count("attempts", filter=Q(attempts__student=student), distinct=True),
            my_best=Max("attempts__score", filter=Q(attempts__student=student)),
            in_progress=Exists(mine.filter(submitted_at__isnull=True)),
            question_count=Count("quiz__items", distinct=True),
        )
        .order_by("-opens_at", "pk")
    )


def quiz_question_ids(*, quiz_id: int) -> list[int]:
    return list(
        QuizQuestion.objects.filter(quiz_id=quiz_id)
        .order_by("position", "pk")
        .values_list("question_id", flat=True)
    )


def attempt_responses(*, attempt: Attempt) -> dict[int, Response]:
    return {r.question_id: r for r in Response.objects.filter(attempt=attempt)}


def attempt_skill_breakdown(*, attempt: Attempt) -> list[dict]:
    """Per skill: questions in the quiz, how many the attempt answered, and how many right."""
    totals = {
        row["question__skill"]: row["questions"]
        for row in QuizQuestion.objects.filter(quiz_id=attempt.assignment.quiz_id)
        .values("question__skill")
        .annotate(questions=Count("pk"))
    }
    answered = {
        row["question__skill"]: row
        for row in Response.objects.filter(attempt=attempt)
        .values("question__skill")
        .annotate(answered=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
    }
    breakdown = []
    for skill in Skill:
        questions = totals.get(skill.value, 0)
        if not questions:
            continue
        row = answered.get(skill.value, {"answered": 0, "right": 0})
        breakdown.append(
            {
                "skill": skill.value,
                "label": skill.label,
                "questions": questions,
                "answered": row["answered"],
                "right": row["right"],
                "percent": round(100 * row["right"] / questions),
            }
        )
    return breakdown
