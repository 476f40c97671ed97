"""Giving a quiz to a class: creating, changing, closing and reopening assignments, and
extensions for one student."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quiz.models import (
    Assignment,
    Classroom,
    Enrollment,
    Extension,
    Quiz,
    booster_days_validate,
)
from quiz.signals import scores_changed

# Assignments


def _assignment_quiz_clean(*, teacher, quiz: Quiz) -> None:
    if not quiz.published:
        raise ValidationError(
            _("“%(title)s” is not published yet. Publish it in the authoring area first.")
            % {"title": quiz.title},
            code="quiz",
        )
    if not Quiz.objects.owned_by(teacher).filter(pk=quiz.pk).exists():
        raise ValidationError(_("You can only assign quizzes you wrote."), code="quiz")


@dataclass(frozen=True)
class AssignmentTerms:
    """What a teacher sets when giving a quiz to a class (the assignment form's fields)."""

    quiz: Quiz
    opens_at: datetime
    due_at: datetime | None = None
    attempts_allowed: int = 1
    reveal: str = Assignment.Reveal.AFTER_EACH
    shuffle_questions: bool = False
    shuffle_choices: bool = False
    boosters: bool = True
    booster_days: str = "2,7,21"


ASSIGNMENT_MAX_ATTEMPTS = 20


def _assignment_terms_clean(terms: AssignmentTerms) -> None:
    if terms.opens_at is None:
        raise ValidationError(_("Say when the assignment opens."), code="opens_at")
    if terms.due_at is not None and terms.due_at <= terms.opens_at:
        raise ValidationError(_("The due time must be after the opening time."), code="due_at")
    if not 1 <= terms.attempts_allowed <= ASSIGNMENT_MAX_ATTEMPTS:
        raise ValidationError(
            _("Allow between 1 and %(max)d attempts.") % {"max": ASSIGNMENT_MAX_ATTEMPTS},
            code="attempts_allowed",
        )
    if terms.reveal not in Assignment.Reveal.values:
        raise ValidationError(_("Choose when the answers are shown."), code="reveal")
    if terms.reveal == Assignment.Reveal.AFTER_DUE and terms.due_at is None:
        raise ValidationError(
            _("Answers shown after the due date need a due date. Set one, or choose another."),
            code="due_at",
        )
    booster_days_validate(terms.booster_days)


def _assignment_save(assignment: Assignment, terms: AssignmentTerms) -> Assignment:
    _assignment_terms_clean(terms)
    for name, value in vars(terms).items():
        setattr(assignment, name, value)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_create(*, classroom: Classroom, teacher, terms: AssignmentTerms) -> Assignment:
    """Give one of the teacher's published quizzes to a class."""
    _assignment_quiz_clean(teacher=teacher, quiz=terms.quiz)
    return _assignment_save(Assignment(classroom=classroom), terms)


@transaction.atomic
def assignment_update(*, assignment: Assignment, teacher, terms: AssignmentTerms) -> Assignment:
    """Change an assignment's quiz (until someone starts it), times, attempts, reveal, order."""
    if terms.quiz.pk != assignment.quiz_id:
        if assignment.attempts.exists():
            raise ValidationError(
                _(
                    "Students have started this assignment, so its quiz cannot change. "
                    "Close it and assign the other quiz instead."
                ),
                code="quiz",
            )
        # Keeping the quiz needs no check: it may since have been unpublished, or be a
        # colleague's in a class taught together.
        _assignment_quiz_clean(teacher=teacher, quiz=terms.quiz)
    return _assignment_save(assignment, terms)


@transaction.atomic
def assignment_close(*, assignment: Assignment, now=None) -> Assignment:
    """Close the assignment now: no new answers; unfinished attempts count as handed in."""
    now = now or timezone.now()
    if assignment.is_closed(now):
        raise ValidationError(_("This assignment is already closed."), code="closed")
    assignment.closed_at = now
    assignment.save(update_fields=["closed_at"])
    # Unfinished attempts count from now on.
    scores_changed.send(
        sender=Assignment, attempts=assignment.attempts.filter(submitted_at__isnull=True)
    )
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, due_at=None, now=None) -> Assignment:
    """Open a closed assignment again, with a new due time when the old one has passed."""
    now = now or timezone.now()
    past_due = assignment.due_at is not None and assignment.due_at <= now
    if not assignment.is_closed(now):
        raise ValidationError(_("This assignment is open already."), code="open")
    if due_at is None and past_due:
        raise ValidationError(
            _("The due time has passed: set a new due time to reopen the assignment."),
            code="due_at",
        )
    if due_at is not None and due_at <= max(now, assignment.opens_at):
        raise ValidationError(
            _("The new due time must be in the future and after the opening time."),
            code="due_at",
        )
    assignment.closed_at = None
    if due_at is not None:
        assignment.due_at = due_at
    assignment.full_clean()
    assignment.save(update_fields=["closed_at", "due_at"])
    return assignment


# Extensions: more time or attempts for one student

EXTENSION_MAX_EXTRA_ATTEMPTS = 10


@transaction.atomic
def extension_grant(
    *, assignment: Assignment, student, due_at: datetime | None, extra_attempts: int
) -> Extension:
    """Give one student their own due time and/or extra attempts, replacing any earlier grant.

    The due time may be later or earlier than the class's; closing the assignment early
    still closes it for everyone.
    """
    if not Enrollment.objects.filter(
        classroom_id=assignment.classroom_id, student=student
    ).exists():
        raise ValidationError(
            _("%(name)s is not in this class, so they cannot be given an extension.")
            % {"name": student.get_full_name() or student.get_username()},
            code="student",
        )
    if due_at is None and not extra_attempts:
        raise ValidationError(_("Set a new due time, extra attempts, or both."), code="due_at")
    if due_at is not None and due_at <= assignment.opens_at:
        raise ValidationError(
            _("The new due time must be after the assignment opens (%(opens)s).")
            % {"opens": date_format(timezone.localtime(assignment.opens_at), "DATETIME_FORMAT")},
            code="due_at",
        )
    if not 0 <= extra_attempts <= EXTENSION_MAX_EXTRA_ATTEMPTS:
        raise ValidationError(
            _("Extra attempts must be between 0 and %(max)d.")
            % {"max": EXTENSION_MAX_EXTRA_ATTEMPTS},
            code="extra_attempts",
        )
    extension = Extension.objects.filter(assignment=assignment, student=student).first()
    if extension is None:
        extension = Extension(assignment=assignment, student=student)
    extension.due_at = due_at
    extension.extra_attempts = extra_attempts
    extension.full_clean(validate_unique=False)
    extension.save()
    return extension


@transaction.atomic
def extension_remove(*, assignment: Assignment, student) -> bool:
    """Take back the student's extension: the class's due time and attempts apply again."""
    deleted, _counts = Extension.objects.filter(assignment=assignment, student=student).delete()
    return bool(deleted)
