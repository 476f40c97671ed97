"""Where a student stands in an assignment: the attempts left, and the attempt that counts."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom, Extension
from quiz.selectors.classes import counted_attempt


@dataclass(frozen=True)
class AssignmentAttempts:
    """A student's attempts at one assignment, and what its Start button would do now."""

    attempts: list[Attempt]  # in order
    unfinished: Attempt | None  # the attempt Start resumes
    left: int  # attempts not yet started
    can_start: bool  # Start resumes the unfinished attempt or begins a new one
    extension: Extension | None = None  # more time or attempts granted to this student
    allowed: int = 1  # attempts allowed to this student: the class's and any extra
    due_at: datetime | None = None  # this student's due time (Assignment.due_for)
    is_open: bool = False  # open for this student now (Assignment.is_open)
    is_closed: bool = False  # closed for this student now: closed early or past their due

    @property
    def due_extended(self) -> bool:
        """Whether the student's due time is their own rather than the class's."""
        return self.extension is not None and self.extension.due_at is not None


def assignment_attempts(*, assignment: Assignment, student, now=None) -> AssignmentAttempts:
    """The student's attempts at the assignment, and whether Start is offered now.

    Start is offered while the assignment is open for the student: to resume the unfinished
    attempt, or to begin a new one while any are left (the limits `services.attempt_start`
    enforces). An extension of theirs moves their due time and adds to their attempts.
    """
    attempts = list(
        Attempt.objects.filter(assignment=assignment, student=student).order_by("number")
    )
    extension = Extension.objects.filter(assignment=assignment, student=student).first()
    unfinished = next((a for a in attempts if a.submitted_at is None), None)
    allowed = assignment.attempts_allowed_for(extension)
    left = max(0, allowed - len(attempts))
    is_open = assignment.is_open(now, extension)
    return AssignmentAttempts(
        attempts=attempts,
        unfinished=unfinished,
        left=left,
        can_start=is_open and (unfinished is not None or left > 0),
        extension=extension,
        allowed=allowed,
        due_at=assignment.due_for(extension),
        is_open=is_open,
        is_closed=assignment.is_closed(now, extension),
    )


def student_counted_attempts(*, classroom: Classroom, student, now=None) -> dict[int, Attempt]:
    """The attempt the gradebook counts for each of the class's assignments, by assignment id.

    Only assignments the student has handed in (or that closed on an attempt) have one.
    """
    now = now or timezone.now()
    counted = counted_attempt(policy=classroom.score_policy, now=now)
    return {
        attempt.assignment_id: attempt
        for attempt in Attempt.objects.filter(
            counted, student=student, assignment__classroom=classroom
        ).order_by()
    }


def student_extensions(*, classroom: Classroom, student) -> list[Assignment]:
    """The class's assignments, each with the student's `extension` (or None), for granting."""
    assignments = list(
        classroom.assignments.select_related("quiz")
        .prefetch_related(
            Prefetch(
                "extensions",
                queryset=Extension.objects.filter(student=student),
                to_attr="student_extension",
            )
        )
        .order_by("opens_at", "pk")
    )
    for assignment in assignments:
        assignment.extension = next(iter(assignment.student_extension), None)
    return assignments


def extensions_in_class(*, classroom: Classroom, student) -> dict[int, Extension]:
    """The student's extensions in the class, by assignment id."""
    return {
        extension.assignment_id: extension
        for extension in Extension.objects.filter(
            student=student, assignment__classroom=classroom
        ).order_by()
    }
