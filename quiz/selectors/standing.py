"""Where a student stands in an assignment: the attempts left, and the attempt that counts."""

from dataclasses import dataclass

from django.utils import timezone

from quiz.models import Assignment, Attempt, Classroom
from quiz.selectors.classes import counted_attempt


@dataclass(frozen=True)
class AssignmentAttempts:
    """A student's attempts at one assignment, and what its Start button would do now."""

    attempts: list[Attempt]  # in order
    unfinished: Attempt | None  # the attempt Start resumes
    left: int  # attempts not yet started
    can_start: bool  # Start resumes the unfinished attempt or begins a new one


def assignment_attempts(*, assignment: Assignment, student, now=None) -> AssignmentAttempts:
    """The student's attempts at the assignment, and whether Start is offered now.

    Start is offered while the assignment is open: to resume the unfinished attempt, or to
    begin a new one while any are left (the limits `services.attempt_start` enforces).
    """
    attempts = list(
        Attempt.objects.filter(assignment=assignment, student=student).order_by("number")
    )
    unfinished = next((a for a in attempts if a.submitted_at is None), None)
    left = max(0, assignment.attempts_allowed - len(attempts))
    return AssignmentAttempts(
        attempts=attempts,
        unfinished=unfinished,
        left=left,
        can_start=assignment.is_open(now) and (unfinished is not None or left > 0),
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
