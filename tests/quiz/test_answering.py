"""The one-statement answer path: it stores a first pick exactly as the full service would,
and for anything else it changes nothing and steps aside."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.models.signals import post_init
from django.utils import timezone

from quiz import answering, services
from quiz.models import Attempt, Choice, Question, QuizQuestion, Response
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def questions_of(attempt):
    return list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))


def record(attempt, question, choice, *, student=None, now=None):
    return answering.choice_record(
        attempt_id=attempt.pk,
        student_id=(student or attempt.student).pk,
        question_id=question.pk,
        choice_id=choice.pk,
        now=now or timezone.now(),
    )


def totals(attempt):
    attempt.refresh_from_db()
    return {
        "score": attempt.score,
        "answered": attempt.answered,
        "right": (attempt.right_attribution, attempt.right_claims, attempt.right_sourcing),
    }


def test_a_first_pick_is_stored_graded_and_counted():
    attempt = AttemptFactory()
    question = questions_of(attempt)[1]
    question.points, question.skill = 3, "sourcing"
    question.save()
    right = question.choices.get(is_correct=True)

    recorded = record(attempt, question, right)

    stored = Response.objects.get(attempt=attempt)
    assert (stored.pk, stored.question, stored.choice) == (recorded.response_id, question, right)
    assert (stored.is_correct, stored.points) == (True, 3)
    assert stored.selected_start is None and stored.answered_at is not None
    assert (recorded.is_correct, recorded.points, recorded.answered) == (True, 3, 1)
    assert recorded.assignment_id == attempt.assignment_id
    assert recorded.quiz_id == attempt.assignment.quiz_id
    assert recorded.reveal == attempt.assignment.reveal
    assert recorded.question_ids == [q.pk for q in questions_of(attempt)]
    assert totals(attempt) == {"score": 3, "answered": 1, "right": (0, 0, 1)}


def test_a_wrong_pick_scores_nothing_but_counts_as_answered():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    wrong = question.choices.filter(is_correct=False).first()

    recorded = record(attempt, question, wrong)

    assert (recorded.is_correct, recorded.points, recorded.answered) == (False, 0, 1)
    assert Response.objects.get().points == 0
    assert totals(attempt) == {"score": 0, "answered": 1, "right": (0, 0, 0)}


def test_it_keeps_the_same_totals_as_the_full_service():
    fast, full = AttemptFactory(), AttemptFactory()
    for n, (a, b) in enumerate(zip(questions_of(fast), questions_of(full), strict=True)):
        a.skill = b.skill = ["attribution", "claims", "sourcing"][n % 3]
        a.save()
        b.save()
        pick = n % 2 == 0
        record(fast, a, a.choices.filter(is_correct=pick).first())
        services.response_submit(
            attempt=Attempt.objects.select_related("assignment").get(pk=full.pk),
            question=b,
            answer=services.Answer(choice_id=b.choices.filter(is_correct=pick).first().pk),
        )

    assert totals(fast) == totals(full)


def refusals():
    """(name, change to the data, what to pass) for each case the fast path must not store."""
    return {
        "another student's attempt": lambda attempt, q, c: {"student": StudentFactory()},
        "finished attempt": lambda attempt, q, c: Attempt.objects.filter(pk=attempt.pk).update(
            submitted_at=timezone.now()
        ),
        "closed assignment": lambda attempt, q, c: (
            type(attempt.assignment)
            .objects.filter(pk=attempt.assignment_id)
            .update(closed_at=timezone.now())
        ),
        "past its due date": lambda attempt, q, c: (
            type(attempt.assignment)
            .objects.filter(pk=attempt.assignment_id)
            .update(due_at=timezone.now() - timedelta(minutes=1))
        ),
        "not open yet": lambda attempt, q, c: (
            type(attempt.assignment)
            .objects.filter(pk=attempt.assignment_id)
            .update(opens_at=timezone.now() + timedelta(minutes=1))
        ),
        "question outside the quiz": lambda attempt, q, c: QuizQuestion.objects.filter(
            question=q
        ).delete(),
    }


@pytest.mark.parametrize("case", list(refusals()))
def test_it_stores_nothing_and_steps_aside_when_the_answer_is_not_a_plain_first_pick(case):
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    choice = question.choices.first()
    extra = refusals()[case](attempt, question, choice) or {}
    before = totals(attempt)

    assert record(attempt, question, choice, **(extra if isinstance(extra, dict) else {})) is None
    assert not Response.objects.exists()
    assert totals(attempt) == before


def test_a_choice_of_another_question_is_not_stored():
    attempt = AttemptFactory()
    first, second, *_ = questions_of(attempt)

    assert record(attempt, first, second.choices.get(is_correct=True)) is None
    assert not Response.objects.exists()


def test_a_second_answer_to_the_same_question_changes_nothing():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    record(attempt, question, wrong)
    before = totals(attempt)

    assert record(attempt, question, right) is None
    assert record(attempt, question, wrong) is None
    assert Response.objects.get().choice == wrong
    assert totals(attempt) == before


def test_ids_too_large_for_the_database_are_not_looked_up():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]

    assert (
        answering.choice_record(
            attempt_id=attempt.pk,
            student_id=attempt.student_id,
            question_id=question.pk,
            choice_id=2**70,
            now=timezone.now(),
        )
        is None
    )


def test_it_returns_the_question_and_its_choices_in_order_for_the_feedback():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    question.explanation = "Because."
    question.save()
    for position, choice in enumerate(question.choices.order_by("-pk")):
        choice.position = position
        choice.save()
    expected = list(question.choices.order_by("position"))

    recorded = record(attempt, question, expected[-1])

    shown = recorded.question
    assert (shown.pk, shown.prompt, shown.explanation) == (question.pk, question.prompt, "Because.")
    assert shown.article.body == question.article.body
    assert [c.pk for c in recorded.choices] == [c.pk for c in expected]
    assert [c.is_correct for c in recorded.choices] == [c.is_correct for c in expected]
    assert all(isinstance(c.is_correct, bool) for c in recorded.choices)
    assert shown.owner == question.owner  # fields not selected still load when read


def test_the_feedbacks_instances_are_as_the_database_would_load_them():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    choice = question.choices.first()

    recorded = record(attempt, question, choice)

    shown = recorded.question
    loaded = Question.objects.only(*answering.QUESTION_FIELDS).get(pk=question.pk)
    assert [getattr(shown, name) for name in answering.QUESTION_FIELDS] == [
        getattr(loaded, name) for name in answering.QUESTION_FIELDS
    ]
    assert shown == question and not shown._state.adding and shown._state.db == "default"
    assert shown.get_deferred_fields() == loaded.get_deferred_fields()
    assert recorded.choices[0]._state.adding is False


def test_a_model_that_a_receiver_watches_being_built_is_built_by_django():
    attempt = AttemptFactory()
    question = questions_of(attempt)[0]
    choice = question.choices.first()
    built = []

    def seen(sender, instance, **kwargs):
        built.append(instance)

    post_init.connect(seen, sender=Choice)
    try:
        recorded = record(attempt, question, choice)
    finally:
        post_init.disconnect(seen, sender=Choice)

    assert built == recorded.choices


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_picks_store_exactly_one_response():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    quiz = QuizFactory(questions=[])
    question = QuestionFactory(
        article=ArticleFactory(owner=quiz.owner),
        choices=[(f"Choice {n}", n == 0) for n in range(20)],
    )
    QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    attempt = AttemptFactory(assignment=AssignmentFactory(quiz=quiz))
    choices = list(question.choices.order_by("position"))
    barrier = threading.Barrier(len(choices))
    outcomes = []

    def pick(choice):
        barrier.wait()
        try:
            outcomes.append(record(attempt, question, choice))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pick, args=(choice,)) for choice in choices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = Response.objects.get(attempt=attempt)
    winners = [outcome for outcome in outcomes if outcome is not None]
    assert len(outcomes) == len(choices) and len(winners) == 1
    assert winners[0].response_id == stored.pk
    attempt.refresh_from_db()
    assert (attempt.answered, attempt.score) == (1, stored.points)
