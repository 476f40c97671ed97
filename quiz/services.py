"""Writes for classes, attempts and answers. Each validates first and changes nothing on error."""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quiz.grading import span_overlap
from quiz.models import (
    JOIN_CODE_ALPHABET,
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Enrollment,
    Question,
    QuizQuestion,
    Response,
)
from quiz.roles import is_teacher


def join_code_normalise(code: str) -> str:
    """Upper-case a typed code and drop spaces and dashes people add when copying it."""
    return re.sub(r"[\s\-]+", "", code or "").upper()


def classroom_for_code(code: str) -> Classroom:
    """Return the open class with this join code, or explain why there is none."""
    code = join_code_normalise(code)
    if not code or any(ch not in JOIN_CODE_ALPHABET for ch in code) or len(code) > 8:
        raise ValidationError(
            _("That is not a class code. Codes are 6 to 8 letters and digits, like KM7QX4T."),
            code="invalid",
        )
    classroom = Classroom.objects.filter(join_code=code).first()
    if classroom is None:
        raise ValidationError(
            _("No class has the code %(code)s. Check it with your teacher.") % {"code": code},
            code="unknown",
        )
    if not classroom.join_open:
        raise ValidationError(
            _("The class “%(name)s” is not taking new students. Ask your teacher.")
            % {"name": classroom.name},
            code="closed",
        )
    return classroom


@transaction.atomic
def classroom_join(*, code: str, student) -> tuple[Enrollment, bool]:
    """Enrol a student in the class with this code; joining twice is harmless."""
    classroom = classroom_for_code(code)
    if is_teacher(student):
        raise ValidationError(
            _("Teachers are added to a class by its teachers, not with the join code."),
            code="teacher",
        )
    return Enrollment.objects.get_or_create(classroom=classroom, student=student)


@transaction.atomic
def student_signup_and_join(
    *, code: str, username: str, password: str, first_name: str = "", last_name: str = ""
):
    """Create a student account and enrol it, or neither."""
    classroom = classroom_for_code(code)
    user = get_user_model()(username=username, first_name=first_name, last_name=last_name)
    user.set_password(password)
    user.full_clean()
    user.save()
    Enrollment.objects.create(classroom=classroom, student=user)
    return user, classroom


def _quiz_max_score(assignment: Assignment) -> int:
    total = QuizQuestion.objects.filter(quiz_id=assignment.quiz_id).aggregate(
        total=Sum("question__points")
    )["total"]
    return total or 0


@transaction.atomic
def attempt_start(*, assignment: Assignment, student, now=None) -> Attempt:
    """Resume the student's unfinished attempt, or start the next one if any are left."""
    now = now or timezone.now()
    attempts = list(
        Attempt.objects.filter(assignment=assignment, student=student).order_by("number")
    )
    unfinished = [a for a in attempts if a.submitted_at is None]
    if unfinished:
        return unfinished[-1]
    if not assignment.is_open(now):
        raise ValidationError(_("This assignment is not open, so it cannot be started."))
    if len(attempts) >= assignment.attempts_allowed:
        raise ValidationError(
            _("You have used all %(count)d of your attempts at this assignment.")
            % {"count": assignment.attempts_allowed}
        )
    attempt = Attempt(
        assignment=assignment,
        student=student,
        number=len(attempts) + 1,
        started_at=now,
        max_score=_quiz_max_score(assignment),
    )
    attempt.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:
        # A second click raced this one and started the same attempt: use that one.
        return Attempt.objects.get(assignment=assignment, student=student, number=attempt.number)
    return attempt


@transaction.atomic
def attempt_finish(*, attempt: Attempt, now=None) -> Attempt:
    """Hand the attempt in; finishing twice changes nothing."""
    if attempt.submitted_at is None:
        attempt.submitted_at = now or timezone.now()
        Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
            submitted_at=attempt.submitted_at
        )
    return attempt


@dataclass(frozen=True)
class Answer:
    """What a student sent: a choice, or a selected span of the article."""

    choice_id: int | None = None
    start: int | None = None
    end: int | None = None

    def matches(self, response: Response) -> bool:
        if self.choice_id is not None:
            return response.choice_id == self.choice_id
        return (response.selected_start, response.selected_end) == (self.start, self.end)


def _answer_check_open(attempt: Attempt, now) -> None:
    if attempt.submitted_at is not None:
        raise ValidationError(
            _("This attempt is finished, so its answers can no longer change."), code="finished"
        )
    assignment = attempt.assignment
    if assignment.closed_at is not None or (assignment.due_at and now >= assignment.due_at):
        due = assignment.closed_at or assignment.due_at
        raise ValidationError(
            _("This assignment closed on %(when)s; answers are no longer accepted.")
            % {"when": date_format(timezone.localtime(due), "DATETIME_FORMAT")},
            code="closed",
        )
    if now < assignment.opens_at:
        raise ValidationError(_("This assignment is not open yet."), code="not_open")


def _grade(
    question: Question, answer: Answer, body: str, choices: list[Choice] | None
) -> tuple[Choice | None, bool]:
    if question.is_evidence and answer.choice_id is None:
        if answer.start is None or answer.end is None:
            raise ValidationError(_("Select some words in the article first."), code="no_answer")
        if not (0 <= answer.start < answer.end <= len(body)):
            raise ValidationError(
                _("That selection is not inside the article. Select the words again."),
                code="bad_span",
            )
        overlap = span_overlap(
            body,
            selected=(answer.start, answer.end),
            answer=(question.answer_start, question.answer_end),
        )
        return None, overlap.is_correct
    if answer.choice_id is None:
        raise ValidationError(_("Pick one of the answers first."), code="no_answer")
    if choices is None:
        choice = Choice.objects.filter(pk=answer.choice_id, question=question).first()
    else:
        choice = next((c for c in choices if c.pk == answer.choice_id), None)
    if choice is None:
        raise ValidationError(_("That is not one of this question's answers."), code="bad_choice")
    return choice, choice.is_correct


@transaction.atomic
def response_submit(
    *,
    attempt: Attempt,
    question: Question,
    answer: Answer,
    body: str = "",
    choices: list[Choice] | None = None,
    now=None,
) -> tuple[Response, bool]:
    """Record and grade an answer once; the same answer again returns the stored response.

    `attempt` must come with its assignment loaded, and `question` must belong to its quiz
    (the view checks both). `choices`, when given, are the question's choices already loaded.
    Returns (response, created).
    """
    now = now or timezone.now()
    _answer_check_open(attempt, now)
    choice, is_correct = _grade(question, answer, body, choices)
    points = question.points if is_correct else 0
    try:
        with transaction.atomic():
            response = Response.objects.create(
                attempt=attempt,
                question=question,
                choice=choice,
                selected_start=answer.start if choice is None else None,
                selected_end=answer.end if choice is None else None,
                is_correct=is_correct,
                points=points,
                answered_at=now,
            )
    except IntegrityError:
        # Answered already (a double click, the back button, a replayed or concurrent post).
        existing = Response.objects.get(attempt=attempt, question=question)
        if answer.matches(existing):
            return existing, False
        raise ValidationError(
            _("You have already answered this question; your first answer stands."),
            code="already_answered",
        ) from None
    Attempt.objects.filter(pk=attempt.pk).update(
        score=F("score") + points, answered=F("answered") + 1
    )
    return response, True
