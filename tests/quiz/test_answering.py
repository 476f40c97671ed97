"""The answer service: the only way an answer is stored, with a typed refusal for every answer
it does not store, and what the question card shows next either way."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from quiz import services
from quiz.models import Attempt, Enrollment, QuizQuestion, Response
from quiz.services import Refusal
from tests.factories import AssignmentFactory, AttemptFactory, QuizFactory, StudentFactory

pytestmark = pytest.mark.django_db


def questions_of(attempt):
    return list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))


def submit(attempt, question, *, student=None, now=None, **answer):
    return services.response_submit(
        attempt_id=attempt.pk,
        student=student or attempt.student,
        question_id=question.pk,
        answer=services.Answer(**answer),
        now=now,
    )


def totals(attempt):
    attempt.refresh_from_db()
    return {
        "score": attempt.score,
        "answered": attempt.answered,
        "right": (attempt.right_attribution, attempt.right_claims, attempt.right_sourcing),
    }


def test_a_first_pick_is_stored_graded_and_counted_under_its_skill():
    attempt = AttemptFactory()
    question = questions_of(attempt)[1]
    question.points, question.skill = 3, "sourcing"
    question.save()
    right = question.choices.get(is_correct=True)

    submission = submit(attempt, question, choice_id=right.pk)

    stored = Response.objects.get(attempt=attempt)
    assert submission.refusal is None and submission.created
    assert (stored.pk, stored.question, stored.choice) == (submission.response.pk, question, right)
    assert (stored.is_correct, stored.points) == (True, 3)
    assert stored.selected_start is None and stored.answered_at is not None
    assert submission.attempt.answered == 1
    assert submission.question_ids == [q.pk for q in questions_of(attempt)]
    assert totals(attempt) == {"score": 3, "answered": 1, "right": (0, 0, 1)}


def test_a_wrong_pick_scores_nothing_but_counts_as_answered():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    wrong = question.choices.filter(is_correct=False).first()

    submission = submit(attempt, question, choice_id=wrong.pk)

    assert (submission.response.is_correct, submission.response.points) == (False, 0)
    assert totals(attempt) == {"score": 0, "answered": 1, "right": (0, 0, 0)}


def test_it_shows_the_question_with_its_article_and_its_choices_in_order():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    for position, choice in enumerate(question.choices.order_by("-pk")):
        choice.position = position
        choice.save()
    expected = list(question.choices.order_by("position"))

    submission = submit(attempt, question, choice_id=expected[-1].pk)

    assert submission.question == question
    assert submission.question.article.body == question.article.body
    assert [c.pk for c in submission.choices] == [c.pk for c in expected]


def refusals():
    """(change to the data, the refusal) for each answer that must not be stored."""
    assignments = lambda attempt: type(attempt.assignment).objects.filter(  # noqa: E731
        pk=attempt.assignment_id
    )
    return {
        "another student's attempt": (lambda a, q: {"student": StudentFactory()}, "not_found"),
        "student no longer in the class": (
            lambda a, q: Enrollment.objects.filter(student=a.student).delete(),
            "not_found",
        ),
        "question outside the quiz": (
            lambda a, q: QuizQuestion.objects.filter(question=q).delete(),
            "not_found",
        ),
        "finished attempt": (
            lambda a, q: Attempt.objects.filter(pk=a.pk).update(submitted_at=timezone.now()),
            "finished",
        ),
        "closed assignment": (
            lambda a, q: assignments(a).update(closed_at=timezone.now()),
            "closed",
        ),
        "past its due date": (
            lambda a, q: assignments(a).update(due_at=timezone.now() - timedelta(minutes=1)),
            "closed",
        ),
        "not open yet": (
            lambda a, q: assignments(a).update(opens_at=timezone.now() + timedelta(minutes=1)),
            "not_open",
        ),
    }


@pytest.mark.parametrize("case", list(refusals()))
def test_it_stores_nothing_and_says_why(case):
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    change, reason = refusals()[case]
    extra = change(attempt, question)
    before = totals(attempt)

    submission = submit(
        attempt,
        question,
        choice_id=question.choices.first().pk,
        **(extra if isinstance(extra, dict) else {}),
    )

    assert submission.refusal == Refusal(reason)
    assert not Response.objects.exists()
    assert totals(attempt) == before


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({}, Refusal.NO_ANSWER),
        ({"unreadable": True}, Refusal.UNREADABLE),
        ({"choice_id": 2**70}, Refusal.BAD_CHOICE),
    ],
)
def test_answers_that_cannot_be_graded_are_refused_with_the_question_to_show_again(answer, reason):
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]

    submission = submit(attempt, question, **answer)

    assert submission.refusal == reason and submission.message
    assert submission.question == question and len(submission.choices) == 3
    assert not Response.objects.exists()


def test_a_second_answer_to_the_same_question_changes_nothing():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    first = submit(attempt, question, choice_id=wrong.pk).response
    before = totals(attempt)

    changed = submit(attempt, question, choice_id=right.pk)
    again = submit(attempt, question, choice_id=wrong.pk)

    assert changed.refusal == Refusal.ALREADY_ANSWERED and changed.response == first
    assert again.refusal is None and not again.created and again.response == first
    assert Response.objects.get().choice == wrong
    assert totals(attempt) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_answer_is_stored_after_the_attempt_is_handed_in():
    """Answers racing a "finish" either land before it, and count, or are refused: the
    attempt's totals do not move once it is handed in."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    for _round in range(3):
        attempt = AttemptFactory(assignment=AssignmentFactory(quiz=QuizFactory(questions=20)))
        questions = questions_of(attempt)
        barrier = threading.Barrier(len(questions) + 1)
        outcomes, at_hand_in = [], []

        def answer(question, attempt=attempt, barrier=barrier, outcomes=outcomes):
            barrier.wait()
            try:
                outcomes.append(submit(attempt, question, choice_id=question.choices.first().pk))
            finally:
                connections.close_all()

        def finish(attempt=attempt, barrier=barrier, at_hand_in=at_hand_in):
            barrier.wait()
            try:
                services.attempt_finish(attempt=Attempt.objects.get(pk=attempt.pk))
                at_hand_in.append(Attempt.objects.get(pk=attempt.pk).answered)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=answer, args=(q,)) for q in questions]
        threads.insert(len(threads) // 2, threading.Thread(target=finish))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        attempt.refresh_from_db()
        stored = Response.objects.filter(attempt=attempt).count()
        assert attempt.answered == stored == at_hand_in[0]
        assert stored == sum(1 for o in outcomes if o.created)
        assert {o.refusal for o in outcomes if not o.created} <= {Refusal.FINISHED}
