"""A student's attempts and answers: starting, answering, handing in."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quiz.grading import span_overlap
from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Enrollment,
    Extension,
    Question,
    QuizQuestion,
    Response,
)
from quiz.selectors import assignment_attempts, quiz_question_ids
from quiz.services.first_pick import first_pick_record
from quiz.signals import scores_changed


def _quiz_max_score(assignment: Assignment) -> int:
    total = QuizQuestion.objects.filter(quiz_id=assignment.quiz_id).aggregate(
        total=Sum("question__points")
    )["total"]
    return total or 0


@transaction.atomic
def attempt_start(*, assignment: Assignment, student, now=None) -> Attempt:
    """Resume the student's unfinished attempt, or start the next one if any are left."""
    now = now or timezone.now()
    if not Enrollment.objects.filter(
        classroom_id=assignment.classroom_id, student=student
    ).exists():
        raise ValidationError(
            _("You are no longer in this class, so its assignments cannot be started."),
            code="not_enrolled",
        )
    standing = assignment_attempts(assignment=assignment, student=student, now=now)
    if standing.unfinished:
        return standing.unfinished
    if not standing.is_open:
        raise ValidationError(_("This assignment is not open, so it cannot be started."))
    if not standing.left:
        raise ValidationError(
            _("You have used all %(count)d of your attempts at this assignment.")
            % {"count": standing.allowed}
        )
    attempt = Attempt(
        assignment=assignment,
        student=student,
        number=len(standing.attempts) + 1,
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
    """Hand the attempt in; finishing twice changes nothing.

    The attempt row is locked first, as answering locks it: an answer being stored is
    stored before the hand-in, and any answer after it is refused.
    """
    attempt.submitted_at = stamp_once(Attempt, attempt.pk, "submitted_at", now)
    scores_changed.send(sender=Attempt, attempts=Attempt.objects.filter(pk=attempt.pk))
    return attempt


def stamp_once(model, pk: int, field: str, now=None):
    """Set the row's time `field` to `now` unless it is set already, with the row locked (as
    answering locks it), so of two callers at once only the first one's time stands; return
    the time that stands. Call it inside a transaction."""
    stamped = model.objects.select_for_update().filter(pk=pk).values_list(field, flat=True).first()
    if stamped is None:
        stamped = now or timezone.now()
        model.objects.filter(pk=pk).update(**{field: stamped})
    return stamped


@dataclass(frozen=True)
class Answer:
    """What a student sent: a choice, or a selected span of the article."""

    choice_id: int | None = None
    start: int | None = None
    end: int | None = None
    unreadable: bool = False  # something was sent, but not a number where one belongs

    def matches(self, response: Response) -> bool:
        if self.choice_id is not None:
            return response.choice_id == self.choice_id
        return (response.selected_start, response.selected_end) == (self.start, self.end)


class Refusal(StrEnum):
    """Why an answer was not recorded."""

    NOT_FOUND = "not_found"  # not the attempt of a student in its class, or not its quiz's question
    FINISHED = "finished"  # the attempt is handed in
    CLOSED = "closed"  # the assignment closed or is past due
    NOT_OPEN = "not_open"  # the assignment has not opened yet
    ALREADY_ANSWERED = "already_answered"  # another answer to the question stands
    UNREADABLE = "unreadable"  # what was sent is not an answer
    NO_ANSWER = "no_answer"  # nothing picked or selected
    BAD_CHOICE = "bad_choice"  # not one of the question's choices
    BAD_SPAN = "bad_span"  # a selection outside the article


@dataclass(frozen=True)
class Submission:
    """What came of an answer, with what the question card shows next.

    `refusal` is None when the answer stands: just recorded (`created`), or the same answer
    sent again. Otherwise nothing was written and `message` says why; with NOT_FOUND there is
    nothing the student may be shown.
    """

    refusal: Refusal | None = None
    message: str = ""
    attempt: Attempt | None = None  # with its assignment and quiz
    question: Question | None = None  # with its article
    choices: list[Choice] = field(default_factory=list)  # the question's, in order
    question_ids: list[int] = field(default_factory=list)  # the quiz's, in order
    response: Response | None = None  # the answer that stands (a practice item stands as one)
    created: bool = False


def _answer_refusal_for_attempt(attempt: Attempt, now) -> tuple[Refusal, str] | None:
    """Why no answer may be stored in the attempt now, if so.

    `attempt` carries `extension_due_at` (`_response_submit` reads it with the attempt): the
    student's own due time, when an extension sets one.
    """
    if attempt.is_finished:
        return Refusal.FINISHED, _("This attempt is finished, so its answers can no longer change.")
    assignment = attempt.assignment
    extension = Extension(due_at=attempt.extension_due_at)
    if assignment.is_closed(now, extension):
        due = assignment.closed_at or assignment.due_for(extension)
        return Refusal.CLOSED, _(
            "This assignment closed on %(when)s; answers are no longer accepted."
        ) % {"when": date_format(timezone.localtime(due), "DATETIME_FORMAT")}
    if not assignment.is_open(now, extension):
        return Refusal.NOT_OPEN, _("This assignment is not open yet.")
    return None


def answer_grade(
    *, question: Question, answer: Answer, choices: list[Choice]
) -> tuple[Choice | None, bool]:
    """Grade an answer to the question: the choice picked (if any) and whether it is right.

    `question` comes with its article; `choices` are the question's. Raises ValidationError
    (code: a Refusal) for an answer that cannot be graded.
    """
    if answer.unreadable:
        raise ValidationError(
            _("That answer could not be read. Pick an answer and try again."), Refusal.UNREADABLE
        )
    if question.is_evidence and answer.choice_id is None:
        if answer.start is None or answer.end is None:
            raise ValidationError(_("Select some words in the article first."), Refusal.NO_ANSWER)
        body = question.article.body if question.article_id else ""
        if not (0 <= answer.start < answer.end <= len(body)):
            raise ValidationError(
                _("That selection is not inside the article. Select the words again."),
                Refusal.BAD_SPAN,
            )
        overlap = span_overlap(
            body,
            selected=(answer.start, answer.end),
            answer=(question.answer_start, question.answer_end),
        )
        return None, question.counts_right(overlap.is_correct)
    if answer.choice_id is None:
        raise ValidationError(_("Pick one of the answers first."), Refusal.NO_ANSWER)
    choice = next((c for c in choices if c.pk == answer.choice_id), None)
    if choice is None:
        raise ValidationError(_("That is not one of this question's answers."), Refusal.BAD_CHOICE)
    return choice, question.counts_right(choice.is_correct)


def response_submit(
    *, attempt_id: int, student, question_id: int, answer: Answer, now=None
) -> Submission:
    """Record and grade a student's answer once; the only way an answer is stored.

    The attempt row is locked while the answer is stored, so answers to one attempt and
    handing it in happen one after the other. The same answer sent again (a double click,
    the back button, a replayed post) returns the stored response; a different one is refused.
    """
    if answer.choice_id is not None and connection.vendor == "postgresql":
        # The common answer in one statement, a transaction of its own (quiz.services.first_pick
        # says why); anything it does not store is explained below.
        recorded = first_pick_record(
            attempt_id=attempt_id,
            student_id=student.pk,
            question_id=question_id,
            choice_id=answer.choice_id,
            now=now or timezone.now(),
        )
        if recorded is not None:
            attempt, question, choices, question_ids, response = recorded
            return Submission(
                attempt=attempt,
                question=question,
                choices=choices,
                question_ids=question_ids,
                response=response,
                created=True,
            )
    return _response_submit(
        attempt_id=attempt_id, student=student, question_id=question_id, answer=answer, now=now
    )


@transaction.atomic
def _response_submit(*, attempt_id: int, student, question_id: int, answer: Answer, now):
    # get() rather than first(): these are unique, and no ORDER BY is needed to say so.
    try:
        # Only while the student is in the class: a removed student's attempt stays as it is.
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("assignment__quiz")
            # The student's own due time, in the same query (Assignment.due_for needs it).
            .annotate(
                extension_due_at=Subquery(
                    Extension.objects.filter(
                        assignment=OuterRef("assignment"), student=OuterRef("student")
                    ).values("due_at")[:1]
                )
            )
            .get(
                pk=attempt_id,
                student=student,
                assignment__classroom__enrollments__student=student,
            )
        )
        question = Question.objects.select_related("article").get(
            pk=question_id, quiz_items__quiz_id=attempt.assignment.quiz_id
        )
    except (Attempt.DoesNotExist, Question.DoesNotExist):
        return Submission(Refusal.NOT_FOUND)
    now = now or timezone.now()  # once the attempt is ours: a hand-in is before or after it
    shown = {
        "attempt": attempt,
        "question": question,
        # Ordered explicitly: Choice's default ordering joins its question for nothing.
        "choices": list(question.choices.order_by("position", "pk")),
        "question_ids": quiz_question_ids(quiz_id=attempt.assignment.quiz_id),
    }
    refused = _answer_refusal_for_attempt(attempt, now)
    if refused:
        return Submission(*refused, **shown)
    try:
        choice, is_correct = answer_grade(
            question=question, answer=answer, choices=shown["choices"]
        )
    except ValidationError as error:
        return Submission(Refusal(error.code), " ".join(error.messages), **shown)
    existing = Response.objects.filter(attempt=attempt, question=question).order_by()[:1]
    if existing:
        existing = existing[0]
        if answer.matches(existing):
            return Submission(response=existing, **shown)
        return Submission(
            Refusal.ALREADY_ANSWERED,
            _("You have already answered this question; your first answer stands."),
            response=existing,
            **shown,
        )
    points = question.points_for(is_correct)
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
    added = Attempt.totals_added(points=points, is_correct=is_correct, skill=question.skill)
    Attempt.objects.filter(pk=attempt.pk).update(**added)
    attempt.answered += 1
    return Submission(response=response, created=True, **shown)
