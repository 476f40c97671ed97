import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from quiz import services
from quiz.models import Attempt, Enrollment, Response
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def first_question(attempt):
    return attempt.assignment.quiz.questions.order_by("quiz_items__position").first()


def right_and_wrong(question):
    return question.choices.get(is_correct=True), question.choices.filter(is_correct=False).first()


def submit(attempt, question, choice, **kwargs):
    return services.response_submit(
        attempt_id=attempt.pk,
        student=attempt.student,
        question_id=question.pk,
        answer=services.Answer(choice_id=choice.pk),
        **kwargs,
    )


def test_right_answer_scores_its_points_and_counts_as_answered():
    attempt = AttemptFactory()
    question = first_question(attempt)
    right, _wrong = right_and_wrong(question)

    submission = submit(attempt, question, right)

    attempt.refresh_from_db()
    response = submission.response
    assert submission.created and response.is_correct and response.points == 1
    assert (attempt.score, attempt.answered) == (1, 1)


def test_same_answer_again_returns_the_stored_response_and_changes_nothing():
    attempt = AttemptFactory()
    question = first_question(attempt)
    right, _wrong = right_and_wrong(question)
    first = submit(attempt, question, right).response

    again = submit(attempt, question, right)

    attempt.refresh_from_db()
    assert again.refusal is None and not again.created and again.response.pk == first.pk
    assert (attempt.score, attempt.answered) == (1, 1)
    assert Response.objects.count() == 1


def test_second_answer_to_same_question_is_refused():
    attempt = AttemptFactory()
    question = first_question(attempt)
    right, wrong = right_and_wrong(question)
    submit(attempt, question, wrong)

    refused = submit(attempt, question, right)

    assert refused.refusal == services.Refusal.ALREADY_ANSWERED
    assert "already answered" in refused.message
    attempt.refresh_from_db()
    assert attempt.score == 0
    assert Response.objects.get().choice == wrong


def test_answers_after_the_due_date_are_refused():
    attempt = AttemptFactory()
    question = first_question(attempt)
    right, _wrong = right_and_wrong(question)

    refused = submit(attempt, question, right, now=timezone.now() + timedelta(days=8))

    assert refused.refusal == services.Refusal.CLOSED and "closed" in refused.message
    assert not Response.objects.exists()


def test_answers_to_a_finished_attempt_are_refused():
    attempt = AttemptFactory(submitted_at=timezone.now())
    question = first_question(attempt)
    right, _wrong = right_and_wrong(question)

    refused = submit(attempt, question, right)

    assert refused.refusal == services.Refusal.FINISHED and "finished" in refused.message
    assert not Response.objects.exists()


def test_choice_of_another_question_is_refused():
    attempt = AttemptFactory()
    questions = list(attempt.assignment.quiz.questions.all())
    other_choice = questions[1].choices.first()

    refused = submit(attempt, questions[0], other_choice)

    assert refused.refusal == services.Refusal.BAD_CHOICE
    assert "not one of this question" in refused.message
    assert not Response.objects.exists()


def enrolled_student(assignment):
    student = StudentFactory()
    Enrollment.objects.create(classroom=assignment.classroom, student=student)
    return student


def test_attempt_start_resumes_the_unfinished_attempt():
    assignment = AssignmentFactory(attempts_allowed=2)
    student = enrolled_student(assignment)

    first = services.attempt_start(assignment=assignment, student=student)
    again = services.attempt_start(assignment=assignment, student=student)

    assert first.pk == again.pk
    assert first.max_score == 3


def test_attempt_start_beyond_the_limit_is_refused():
    assignment = AssignmentFactory(attempts_allowed=1)
    student = enrolled_student(assignment)
    attempt = services.attempt_start(assignment=assignment, student=student)
    services.attempt_finish(attempt=attempt)

    with pytest.raises(ValidationError, match="all 1 of your attempts"):
        services.attempt_start(assignment=assignment, student=student)

    assert Attempt.objects.count() == 1


def test_attempt_start_on_a_closed_assignment_is_refused():
    assignment = AssignmentFactory(closed_at=timezone.now())

    with pytest.raises(ValidationError, match="not open"):
        services.attempt_start(assignment=assignment, student=enrolled_student(assignment))


def test_a_student_no_longer_in_the_class_cannot_start_or_resume():
    assignment = AssignmentFactory(attempts_allowed=2)
    student = enrolled_student(assignment)
    services.attempt_start(assignment=assignment, student=student)
    services.enrollment_remove(classroom=assignment.classroom, student=student)

    with pytest.raises(ValidationError, match="no longer in this class"):
        services.attempt_start(assignment=assignment, student=student)


def test_joining_with_a_code_enrols_once_whatever_the_case_and_spacing():
    classroom = ClassroomFactory()
    student = StudentFactory()
    spaced = " ".join([classroom.join_code[:3].lower(), classroom.join_code[3:]])

    services.classroom_join(code=spaced, student=student)
    _enrollment, created = services.classroom_join(code=classroom.join_code, student=student)

    assert not created
    assert Enrollment.objects.filter(classroom=classroom, student=student).count() == 1


@pytest.mark.parametrize(
    ("code", "message"), [("", "not a class code"), ("KKKKKKK", "No class has the code")]
)
def test_bad_codes_are_explained(code, message):
    with pytest.raises(ValidationError, match=message):
        services.classroom_join(code=code, student=StudentFactory())


def test_closed_class_takes_no_new_students():
    classroom = ClassroomFactory(join_open=False)

    with pytest.raises(ValidationError, match="not taking new students"):
        services.classroom_join(code=classroom.join_code, student=StudentFactory())


def test_signup_with_a_bad_code_creates_no_account():
    from django.contrib.auth import get_user_model

    with pytest.raises(ValidationError):
        services.student_signup_and_join(code="ZZZZZZZ", username="newbie", password="x" * 12)

    assert not get_user_model().objects.filter(username="newbie").exists()


def test_teachers_cannot_join_as_students():
    classroom = ClassroomFactory()

    with pytest.raises(ValidationError, match="Teachers"):
        services.classroom_join(code=classroom.join_code, student=TeacherFactory())


def test_join_codes_are_unambiguous():
    codes = {ClassroomFactory().join_code for _ in range(20)}

    assert len(codes) == 20
    assert all(6 <= len(code) <= 8 for code in codes)
    assert not set("".join(codes)) & set("01OILSZB258")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_answer", [True, False])
def test_concurrent_posts_store_exactly_one_response(same_answer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    quiz = QuizFactory(questions=[])
    from tests.factories import ArticleFactory, QuestionFactory

    choices_spec = [(f"Choice {n}", n == 0) for n in range(20)]
    question = QuestionFactory(article=ArticleFactory(owner=quiz.owner), choices=choices_spec)
    from quiz.models import QuizQuestion

    QuizQuestion.objects.create(quiz=quiz, question=question, position=1)
    attempt = AttemptFactory(assignment=AssignmentFactory(quiz=quiz))
    choices = list(question.choices.order_by("position"))
    threads_count = 20
    barrier = threading.Barrier(threads_count)
    outcomes = []

    def post(index):
        choice = choices[0] if same_answer else choices[index % len(choices)]
        barrier.wait()
        try:
            submission = submit(attempt, question, choice)
            if submission.refusal is None:
                outcomes.append(("stored", submission.response.pk, submission.created))
            else:
                outcomes.append(("refused", None, False))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Response.objects.filter(attempt=attempt).count() == 1
    stored = Response.objects.get(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.answered == 1
    assert attempt.score == stored.points
    assert sum(1 for outcome in outcomes if outcome[2]) == 1
    if same_answer:
        assert {outcome[1] for outcome in outcomes} == {stored.pk}
    else:
        assert sum(1 for outcome in outcomes if outcome[0] == "refused") == threads_count - 1
