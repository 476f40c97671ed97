"""A student's attempt: its questions, answers, review and results by skill."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from quiz.models import (
    Attempt,
    Choice,
    Classroom,
    Question,
    QuizQuestion,
    Response,
    Skill,
)


def quiz_question_ids(*, quiz_id: int) -> list[int]:
    return list(
        QuizQuestion.objects.filter(quiz_id=quiz_id)
        .order_by("position", "pk")
        .values_list("question_id", flat=True)
    )


def attempt_responses(*, attempt: Attempt) -> dict[int, Response]:
    # Unordered: a mapping needs no ORDER BY (the default ordering sorts by answer time).
    return {r.question_id: r for r in Response.objects.filter(attempt=attempt).order_by()}


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


# One student, one attempt


def student_attempts(*, classroom: Classroom, student) -> QuerySet[Attempt]:
    """Every attempt the student made at the class's assignments, with right answers counted."""
    return (
        Attempt.objects.filter(student=student, assignment__classroom=classroom)
        .select_related("assignment__quiz")
        .annotate(right=Count("responses", filter=Q(responses__is_correct=True)))
        .order_by("assignment__opens_at", "assignment_id", "number")
    )


def quiz_review(*, quiz_id: int, responses: dict[int, Response]) -> list[dict]:
    """Every question of the quiz with the response given (if any), the choice and the answer.

    `responses` maps question ids to responses: an attempt's stored ones, or a preview's.
    """
    questions = (
        Question.objects.filter(quiz_items__quiz_id=quiz_id)
        .order_by("quiz_items__position", "quiz_items__pk")
        .prefetch_related("choices")
    )
    review = []
    for question in questions:
        response = responses.get(question.pk)
        choices = list(question.choices.all())
        review.append(
            {
                "question": question,
                "response": response,
                "chosen": next(
                    (c for c in choices if response and c.pk == response.choice_id), None
                ),
                "correct": [c for c in choices if c.is_correct],
            }
        )
    return review


def attempt_review(*, attempt: Attempt) -> list[dict]:
    """The attempt's quiz, question by question, with the attempt's answers."""
    return quiz_review(
        quiz_id=attempt.assignment.quiz_id, responses=attempt_responses(attempt=attempt)
    )


@dataclass(frozen=True)
class AttemptQuestion:
    """One question of an attempt's quiz, with what its stage shows."""

    question: Question  # with its article
    choices: list[Choice]  # in order
    question_ids: list[int]  # the quiz's, in order
    responses: dict[int, Response]  # the attempt's answers by question


def attempt_question(*, attempt: Attempt, question_id: int) -> AttemptQuestion | None:
    """The question as the attempt's stage shows it; None when the quiz does not hold it."""
    try:
        question = Question.objects.select_related("article__outlet").get(
            pk=question_id, quiz_items__quiz_id=attempt.assignment.quiz_id
        )
    except Question.DoesNotExist:
        return None
    return AttemptQuestion(
        question=question,
        # Ordered explicitly: Choice's default ordering joins its question for nothing.
        choices=list(question.choices.order_by("position", "pk")),
        question_ids=quiz_question_ids(quiz_id=attempt.assignment.quiz_id),
        responses=attempt_responses(attempt=attempt),
    )
