"""Each attempt's right answers per skill stay equal to a count of its responses."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from quiz import services
from quiz.models import Attempt, Choice, Response, Skill
from quiz.services import authoring
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    QuestionFactory,
    QuizFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("quiz.migrations.0003_attempt_right_per_skill")


def recount(attempt: Attempt) -> dict[str, int]:
    """The attempt's right responses per skill, counted from the responses themselves."""
    right = Response.objects.filter(attempt=attempt, is_correct=True)
    return {
        Attempt.right_field(skill): right.filter(question__skill=skill).count() for skill in Skill
    }


def counters(attempt: Attempt) -> dict[str, int]:
    attempt.refresh_from_db()
    return {
        Attempt.right_field(skill): getattr(attempt, Attempt.right_field(skill)) for skill in Skill
    }


@pytest.fixture
def quiz_of_every_skill():
    """Five one-point questions: two attribution, two claims, one sourcing."""
    teacher = TeacherFactory()
    skills = ["attribution", "claims", "attribution", "sourcing", "claims"]
    questions = [QuestionFactory(owner=teacher, skill=skill) for skill in skills]
    return AssignmentFactory(quiz=QuizFactory(owner=teacher, questions=questions)), questions


def submit(attempt, question, right: bool):
    choice = question.choices.filter(is_correct=right).order_by("position").first()
    return services.response_submit(
        attempt_id=attempt.pk,
        student=attempt.student,
        question_id=question.pk,
        answer=services.Answer(choice_id=choice.pk),
    )


def test_answers_add_to_the_counter_of_their_questions_skill(quiz_of_every_skill):
    assignment, questions = quiz_of_every_skill
    attempt = AttemptFactory(assignment=assignment)

    for question, right in zip(questions, [True, True, False, True, True], strict=True):
        submit(attempt, question, right)

    assert counters(attempt) == {"right_attribution": 1, "right_claims": 2, "right_sourcing": 1}
    assert counters(attempt) == recount(attempt)
    assert attempt.score == 4


def test_the_same_answer_twice_counts_once(quiz_of_every_skill):
    assignment, questions = quiz_of_every_skill
    attempt = AttemptFactory(assignment=assignment)

    submit(attempt, questions[0], True)
    created = submit(attempt, questions[0], True).created

    assert not created
    assert counters(attempt)["right_attribution"] == 1


def test_a_regrade_moves_the_counters_with_the_grades(quiz_of_every_skill):
    assignment, questions = quiz_of_every_skill
    right_then, wrong_then = (
        AttemptFactory(assignment=assignment),
        AttemptFactory(assignment=assignment),
    )
    for attempt, right in ((right_then, True), (wrong_then, False)):
        for question in questions:
            submit(attempt, question, right)
    claims = questions[1]
    # The teacher finds the key was wrong: "Wrong" was the right answer all along.
    Choice.objects.filter(question=claims).update(is_correct=False)
    Choice.objects.filter(question=claims, text="Wrong").update(is_correct=True)

    counts = authoring.question_regrade(question=claims)

    assert counts.attempts == 2
    assert counters(right_then) == recount(right_then)
    assert counters(wrong_then) == recount(wrong_then)
    assert counters(right_then)["right_claims"] == 1
    assert counters(wrong_then)["right_claims"] == 1
    right_then.refresh_from_db()
    assert right_then.score == 4


def test_a_recount_follows_a_question_moved_to_another_skill(quiz_of_every_skill):
    assignment, questions = quiz_of_every_skill
    attempt = AttemptFactory(assignment=assignment)
    for question in questions:
        submit(attempt, question, True)
    questions[3].skill = Skill.CLAIMS
    questions[3].save()

    authoring.attempt_totals_recount(attempts=Attempt.objects.filter(pk=attempt.pk))

    assert counters(attempt) == {"right_attribution": 2, "right_claims": 3, "right_sourcing": 0}


def test_moving_a_question_to_another_skill_recounts_only_the_attempts_it_counted_in(
    quiz_of_every_skill, django_assert_num_queries
):
    assignment, questions = quiz_of_every_skill
    right, wrong, other = (AttemptFactory(assignment=assignment) for _ in range(3))
    for question in questions:
        submit(right, question, True)
        submit(wrong, question, question != questions[3])
    submit(other, questions[0], True)
    Attempt.objects.filter(pk=other.pk).update(right_attribution=7)  # left as it was
    questions[3].skill = Skill.CLAIMS
    questions[3].save()

    with django_assert_num_queries(1):
        updated = authoring.question_skill_moved(question=questions[3])

    assert updated == 1
    assert (
        counters(right)
        == recount(right)
        == {
            "right_attribution": 2,
            "right_claims": 3,
            "right_sourcing": 0,
        }
    )
    assert counters(wrong) == recount(wrong)
    assert counters(other)["right_attribution"] == 7


def test_the_migration_backfills_the_counters_from_existing_responses(quiz_of_every_skill):
    assignment, questions = quiz_of_every_skill
    attempts = [AttemptFactory(assignment=assignment) for _ in range(3)]
    for n, attempt in enumerate(attempts):
        for position, question in enumerate(questions):
            submit(attempt, question, (n + position) % 2 == 0)
    untouched = AttemptFactory(assignment=assignment)
    # As before the migration: responses stored, no counters.
    Attempt.objects.update(right_attribution=0, right_claims=0, right_sourcing=0)

    backfill.right_counters_backfill(apps, connection.schema_editor())

    for attempt in attempts:
        assert counters(attempt) == recount(attempt)
    assert sum(counters(attempts[0]).values()) == 3
    assert counters(untouched) == {"right_attribution": 0, "right_claims": 0, "right_sourcing": 0}


def test_demo_attempts_come_with_their_counters():
    call_command("demo", "--force", stdout=StringIO())

    attempts = Attempt.objects.filter(student__username__startswith="demo-class-")
    assert attempts.exists()
    for attempt in attempts:
        assert counters(attempt) == recount(attempt)


def test_a_question_taken_out_of_the_quiz_stops_counting_and_counts_again_when_put_back(
    quiz_of_every_skill,
):
    assignment, questions = quiz_of_every_skill
    attempt = AttemptFactory(assignment=assignment)
    for question in questions:
        submit(attempt, question, True)
    elsewhere = AttemptFactory(assignment=AssignmentFactory(quiz=QuizFactory(questions=1)))
    Attempt.objects.filter(pk=elsewhere.pk).update(score=9)
    attempt.refresh_from_db()
    before = (attempt.score, attempt.answered, counters(attempt))
    removed = questions[3]

    authoring.quiz_question_remove(item=assignment.quiz.items.get(question=removed))

    attempt.refresh_from_db()
    expected = dict(before[2])
    expected[Attempt.right_field(removed.skill)] -= 1
    assert (attempt.score, attempt.answered) == (before[0] - removed.points, before[1] - 1)
    assert counters(attempt) == expected
    assert Response.objects.filter(attempt=attempt, question=removed).exists()  # kept
    assert Attempt.objects.get(pk=elsewhere.pk).score == 9

    authoring.quiz_questions_add(quiz=assignment.quiz, questions=[removed])

    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered, counters(attempt)) == before
