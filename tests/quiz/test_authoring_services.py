import pytest
from django.core.exceptions import ValidationError

from quiz.models import Attempt, Quiz, QuizQuestion, Response
from quiz.services import authoring
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    QuestionFactory,
    QuizFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def order(quiz) -> list[int]:
    return list(quiz.items.order_by("position").values_list("question_id", flat=True))


def positions(quiz) -> list[int]:
    return list(quiz.items.order_by("position").values_list("position", flat=True))


# Building quizzes


def test_adding_questions_appends_them_in_the_order_given_and_skips_ones_already_in():
    quiz = QuizFactory(questions=2)
    first, second = order(quiz)
    new = [QuestionFactory(owner=quiz.owner) for _ in range(2)]

    added = authoring.quiz_questions_add(
        quiz=quiz, questions=[new[1], quiz.questions.get(pk=first), new[0], new[1]]
    )

    assert added == 2
    assert order(quiz) == [first, second, new[1].pk, new[0].pk]
    assert positions(quiz) == [1, 2, 3, 4]


def test_moving_a_question_up_swaps_it_with_the_one_before_and_renumbers():
    quiz = QuizFactory(questions=3)
    ids = order(quiz)
    QuizQuestion.objects.filter(quiz=quiz).update(position=10)  # gaps and ties, as of old
    item = quiz.items.get(question_id=ids[2])

    moved = authoring.quiz_question_move(item=item, offset=-1)

    assert moved
    assert order(quiz) == [ids[0], ids[2], ids[1]]
    assert positions(quiz) == [1, 2, 3]


def test_moving_the_last_question_down_changes_nothing():
    quiz = QuizFactory(questions=2)
    ids = order(quiz)

    moved = authoring.quiz_question_move(item=quiz.items.get(question_id=ids[1]), offset=1)

    assert not moved
    assert order(quiz) == ids


def test_moving_a_question_taken_out_of_the_quiz_is_refused():
    quiz = QuizFactory(questions=2)
    item = quiz.items.first()
    QuizQuestion.objects.filter(pk=item.pk).delete()

    with pytest.raises(ValidationError, match="no longer in the quiz"):
        authoring.quiz_question_move(item=item, offset=1)


def test_removing_a_question_closes_the_gap_and_keeps_the_question():
    quiz = QuizFactory(questions=3)
    ids = order(quiz)

    authoring.quiz_question_remove(item=quiz.items.get(question_id=ids[0]))

    assert order(quiz) == ids[1:]
    assert positions(quiz) == [1, 2]
    assert quiz.owner.questions.filter(pk=ids[0]).exists()


def test_duplicating_a_quiz_copies_its_questions_in_order_unpublished_for_the_new_owner():
    quiz = QuizFactory(questions=3, published=True, title="Bridges", description="Week 3")
    authoring.quiz_question_move(item=quiz.items.order_by("position").last(), offset=-2)
    someone = TeacherFactory()

    copy = authoring.quiz_duplicate(quiz=quiz, owner=someone)

    assert copy.pk != quiz.pk
    assert copy.title == "Copy of Bridges" and copy.description == "Week 3"
    assert not copy.published and copy.owner == someone
    assert order(copy) == order(quiz)
    assert Quiz.objects.count() == 2


def test_duplicating_a_quiz_with_a_long_title_keeps_within_the_title_length():
    quiz = QuizFactory(title="x" * 200)

    copy = authoring.quiz_duplicate(quiz=quiz, owner=quiz.owner)

    assert len(copy.title) == 200


# Regrading


def answered(question, choices, *, points=None):
    """One attempt per choice given, each answering the question with that choice."""
    assignment = AssignmentFactory(quiz=QuizFactory(owner=question.owner, questions=[question]))
    attempts = []
    for choice in choices:
        attempt = AttemptFactory(assignment=assignment)
        right = choice.is_correct
        earned = question.points if right else 0
        Response.objects.create(
            attempt=attempt, question=question, choice=choice, is_correct=right, points=earned
        )
        Attempt.objects.filter(pk=attempt.pk).update(score=earned + (points or 0))
        attempts.append(attempt)
    return attempts


def switch_right_choice(question, to):
    question.choices.update(is_correct=False)
    question.choices.filter(pk=to.pk).update(is_correct=True)


def test_regrade_counts_show_right_before_and_after_a_change_of_right_answer():
    question = QuestionFactory()
    right, wrong, other = question.choices.order_by("position")
    answered(question, [right] * 4 + [wrong] * 8 + [other] * 2)
    switch_right_choice(question, wrong)

    counts = authoring.question_regrade_counts(question=question)

    assert (counts.responses, counts.right_before, counts.right_after) == (14, 4, 8)
    assert counts.changed == 12 and counts.needed


def test_regrade_updates_responses_and_the_scores_of_their_attempts():
    question = QuestionFactory()
    other_question = QuestionFactory(owner=question.owner)
    right, wrong, _other = question.choices.order_by("position")
    attempts = answered(question, [right, right, wrong])
    # The first attempt also earned a point on another question of the quiz, which must survive.
    QuizQuestion.objects.create(
        quiz=attempts[0].assignment.quiz, question=other_question, position=2
    )
    Response.objects.create(
        attempt=attempts[0],
        question=other_question,
        choice=other_question.choices.get(is_correct=True),
        is_correct=True,
        points=1,
    )
    Attempt.objects.filter(pk=attempts[0].pk).update(score=2)
    untouched = answered(QuestionFactory(owner=question.owner), [wrong])[0]
    switch_right_choice(question, wrong)

    counts = authoring.question_regrade(question=question)

    assert (counts.responses, counts.right_before, counts.right_after) == (3, 2, 1)
    assert counts.attempts == 3
    grades = dict(
        Response.objects.filter(question=question).values_list("choice_id", "is_correct").distinct()
    )
    assert grades == {right.pk: False, wrong.pk: True}
    scores = [Attempt.objects.get(pk=a.pk).score for a in attempts]
    assert scores == [1, 0, 1]
    assert Attempt.objects.get(pk=untouched.pk).score == 0
    assert not authoring.question_regrade_counts(question=question).needed


def test_regrade_applies_changed_points_to_selected_spans_still_right():
    annotation = AnnotationFactory(source_start=0, source_end=9)
    question = QuestionFactory(
        kind="evidence",
        article=annotation.article,
        owner=annotation.article.owner,
        answer_start=0,
        answer_end=9,
        answer_exact="The mayor",
        choices=[("The mayor", True), ("Critics", False)],
    )
    attempt = answered(question, [])
    assignment = AssignmentFactory(quiz=QuizFactory(owner=question.owner, questions=[question]))
    selected = AttemptFactory(assignment=assignment)
    Response.objects.create(
        attempt=selected,
        question=question,
        selected_start=0,
        selected_end=9,
        is_correct=True,
        points=1,
    )
    Attempt.objects.filter(pk=selected.pk).update(score=1)
    question.points = 3
    question.save()

    counts = authoring.question_regrade(question=question)

    assert attempt == []
    assert (counts.responses, counts.right_before, counts.right_after, counts.changed) == (
        1,
        1,
        1,
        1,
    )
    response = Response.objects.get(attempt=selected)
    assert response.is_correct and response.points == 3
    assert Attempt.objects.get(pk=selected.pk).score == 3


def test_regrade_grades_selected_spans_again_against_the_source_words_now():
    body = "The mayor said so. Critics of the mayor disagreed."
    article = ArticleFactory(body=body)
    question = QuestionFactory(
        kind="evidence",
        article=article,
        owner=article.owner,
        answer_start=0,
        answer_end=9,
        answer_exact="The mayor",
        choices=[("The mayor", True), ("Critics", False)],
    )
    assignment = AssignmentFactory(quiz=QuizFactory(owner=question.owner, questions=[question]))
    critics = body.index("Critics of the mayor")
    selections = {
        "the mayor": (0, 9),
        "the critics": (critics, critics + len("Critics of the mayor")),
        "the critics again": (critics, critics + len("Critics of the mayor")),
    }
    attempts = {}
    for name, (start, end) in selections.items():
        attempts[name] = AttemptFactory(assignment=assignment, score=int(start == 0))
        Response.objects.create(
            attempt=attempts[name],
            question=question,
            selected_start=start,
            selected_end=end,
            is_correct=start == 0,
            points=int(start == 0),
        )
    # The teacher finds the statement's source is the critics, not the mayor.
    question.answer_start, question.answer_end = selections["the critics"]
    question.answer_exact = "Critics of the mayor"
    question.save()

    before = authoring.question_regrade_counts(question=question)
    counts = authoring.question_regrade(question=question)

    assert (before.right_before, before.right_after, before.changed) == (1, 2, 3)
    assert counts.changed == 3 and counts.attempts == 3
    scores = {name: Attempt.objects.get(pk=a.pk).score for name, a in attempts.items()}
    assert scores == {"the mayor": 0, "the critics": 1, "the critics again": 1}
    assert not authoring.question_regrade_counts(question=question).needed


@pytest.mark.parametrize("count", [3, 30])
def test_regrade_runs_the_same_queries_for_3_and_30_responses(django_assert_num_queries, count):
    question = QuestionFactory()
    right, wrong, _other = question.choices.order_by("position")
    answered(question, [right, wrong] * count)
    switch_right_choice(question, wrong)

    # A savepoint, the lock, the count, the two updates, the look for placed quizzes whose
    # grades the platform must be sent (lti.scores), the savepoint's release.
    with django_assert_num_queries(7) as captured:
        authoring.question_regrade(question=question)

    writes = [q["sql"] for q in captured if q["sql"].upper().startswith("UPDATE")]
    assert len(writes) == 2


def test_regrade_with_nothing_to_change_writes_nothing(django_assert_num_queries):
    question = QuestionFactory()
    right, wrong, _other = question.choices.order_by("position")
    answered(question, [right, wrong])

    with django_assert_num_queries(4) as captured:
        counts = authoring.question_regrade(question=question)

    assert not counts.needed
    assert not [q for q in captured if q["sql"].upper().startswith("UPDATE")]
