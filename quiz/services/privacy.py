"""A student's data: what is kept, to download and to delete."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz.models import (
    Attempt,
    Booster,
    BoosterItem,
    Classroom,
    Enrollment,
    Response,
)
from quiz.services.roster import display_name

# Privacy: a student's data, to download and to delete


def student_data_export(*, student, classrooms=None) -> dict:
    """Return the student's account, classes, attempts, practice sets and answers as JSON data.

    `classrooms` (a queryset) limits the classes and attempts to those, for a teacher's copy;
    None gives everything, for the student themselves or an administrator.
    """
    from django.db.models import Prefetch

    enrollments = Enrollment.objects.filter(student=student).select_related("classroom")
    attempts = Attempt.objects.filter(student=student).select_related(
        "assignment__quiz", "assignment__classroom"
    )
    if classrooms is not None:
        enrollments = enrollments.filter(classroom__in=classrooms)
        attempts = attempts.filter(assignment__classroom__in=classrooms)
    responses = _with_selected_text(Response.objects.all())
    attempts = attempts.prefetch_related(
        Prefetch("responses", queryset=responses.order_by("answered_at", "pk"))
    ).order_by("started_at", "pk")
    boosters = Booster.objects.filter(student=student).select_related(
        "assignment__quiz", "assignment__classroom"
    )
    if classrooms is not None:
        boosters = boosters.filter(assignment__classroom__in=classrooms)
    answered = _with_selected_text(BoosterItem.objects.filter(answered_at__isnull=False))
    boosters = boosters.prefetch_related(
        Prefetch("items", queryset=answered.order_by("answered_at", "pk"))
    ).order_by("due_at", "pk")
    return {
        "format": "sourcewise-student-data-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": student.get_username(),
            "first_name": student.first_name,
            "last_name": student.last_name,
            "email": student.email,
            "date_joined": student.date_joined.isoformat(),
            "last_login": student.last_login.isoformat() if student.last_login else None,
        },
        "classes": [
            {"name": e.classroom.name, "joined_at": e.joined_at.isoformat()}
            for e in enrollments.order_by("joined_at", "pk")
        ],
        "attempts": [_attempt_export(attempt) for attempt in attempts],
        "practice": [_booster_export(booster) for booster in boosters],
    }


def _attempt_export(attempt: Attempt) -> dict:
    return {
        "quiz": attempt.assignment.quiz.title,
        "class": attempt.assignment.classroom.name,
        "attempt": attempt.number,
        "started_at": attempt.started_at.isoformat(),
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "responses": [_answer_export(response) for response in attempt.responses.all()],
    }


def _with_selected_text(answers):
    """Answers (responses or practice items) with their question, choice and `selected_text`:
    the words selected, cut out in SQL so no article body travels for them."""
    return answers.select_related("question", "choice").annotate(
        selected_text=Substr(
            "question__article__body",
            F("selected_start") + 1,
            F("selected_end") - F("selected_start"),
        )
    )


def _booster_export(booster: Booster) -> dict:
    return {
        "after_quiz": booster.assignment.quiz.title,
        "class": booster.assignment.classroom.name,
        "set": booster.slot,
        "skill": booster.skill,
        "due_at": booster.due_at.isoformat(),
        "finished_at": booster.finished_at.isoformat() if booster.finished_at else None,
        "responses": [_answer_export(item) for item in booster.items.all()],
    }


def _answer_export(answer: Response | BoosterItem) -> dict:
    """One answer, to a quiz question (a Response) or a practice one (a BoosterItem)."""
    if isinstance(answer, BoosterItem):
        points = answer.question.points_for(answer.is_correct)
    else:
        points = answer.points
    return {
        "question": answer.question.prompt,
        "statement": answer.question.statement,
        "answer": answer.choice.text if answer.choice_id else (answer.selected_text or ""),
        "selected": None
        if answer.choice_id
        else {"start": answer.selected_start, "end": answer.selected_end},
        "correct": answer.is_correct,
        "points": points,
        "answered_at": answer.answered_at.isoformat(),
    }


@dataclass(frozen=True)
class StudentDataCounts:
    """How much is stored about a student: what deleting them removes."""

    classes: int
    attempts: int
    responses: int


def student_data_counts(*, student) -> StudentDataCounts:
    """Count the classes, attempts and answers stored for a student."""
    return StudentDataCounts(
        classes=Enrollment.objects.filter(student=student).count(),
        attempts=Attempt.objects.filter(student=student).count(),
        responses=Response.objects.filter(attempt__student=student).count(),
    )


def student_delete_check(*, classroom: Classroom, student, by) -> None:
    """Raise ValidationError, saying why, unless `by` may delete the student's account.

    A teacher may delete a student of their class only when everything stored about the
    student belongs to classes that teacher teaches: every class the student is in and every
    attempt they made. Deleting the account removes all of it, so any other teacher's
    gradebook, item analysis and records would otherwise change under them; in that case the
    teacher removes the student from their own class, and an administrator (who may delete
    any student) decides. Staff accounts are never deleted here.
    """
    name = display_name(student)
    if not Enrollment.objects.filter(classroom=classroom, student=student).exists():
        raise ValidationError(_("%(name)s is not in this class.") % {"name": name})
    if student.is_staff or student.is_superuser:
        raise ValidationError(
            _("%(name)s has a staff account; it is managed in the admin, not here.")
            % {"name": name}
        )
    if by.is_superuser:
        return
    taught = Classroom.objects.filter(teachers=by)
    if not taught.filter(pk=classroom.pk).exists():
        raise ValidationError(_("You do not teach this class."))
    elsewhere = (
        Enrollment.objects.filter(student=student).exclude(classroom__in=taught).exists()
        or Attempt.objects.filter(student=student)
        .exclude(assignment__classroom__in=taught)
        .exists()
    )
    if elsewhere:
        raise ValidationError(
            _(
                "%(name)s also has work in another teacher's class, and deleting the account "
                "would remove it from that teacher's gradebook. Remove %(name)s from your class "
                "instead, or ask an administrator to delete the account."
            )
            % {"name": name}
        )


@transaction.atomic
def student_data_delete(*, classroom: Classroom, student, by) -> StudentDataCounts:
    """Delete a student's account with every enrolment, attempt and answer; all or nothing."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    # Locked, so the student cannot join another class between the check and the delete.
    locked = get_user_model().objects.select_for_update().filter(pk=student.pk).first()
    if locked is None:
        raise ValidationError(
            _("%(name)s's account has already been deleted.") % {"name": display_name(student)}
        )
    student_delete_check(classroom=classroom, student=locked, by=by)
    counts = student_data_counts(student=locked)
    username = locked.get_username()
    # Enrolments and attempts cascade from the account, and responses from the attempts.
    locked.delete()
    # The login records name the account too.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    return counts
