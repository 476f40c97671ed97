"""A student's first hour: from the front door to a class, and what to do after a quiz."""

from datetime import timedelta

import pytest
from django.template.defaultfilters import date
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


# The front door


def test_the_login_page_leads_a_new_student_to_sign_up_with_a_class_code():
    client = Client()

    html = client.get(reverse("login")).content.decode()

    assert f'href="{reverse("quiz:join")}"' in html
    assert "Join a class with a code" in html
    join = client.get(reverse("quiz:join"))
    assert join.status_code == 200
    assert 'name="password1"' in join.content.decode()


def test_the_login_page_says_to_ask_the_teacher_for_a_forgotten_password():
    html = Client().get(reverse("login")).content.decode()

    assert "ask your teacher to reset it" in html
    # Nothing is sent by email: no reset page to link to, no address to type.
    assert "/password_reset/" not in html and 'type="email"' not in html


# After the quiz: the results page


def finished_attempt(*, attempts_allowed=1, reveal="after_each", number=1, **assignment_fields):
    """A student's handed-in attempt at a three-question assignment open for a week."""
    student = StudentFactory()
    assignment = AssignmentFactory(
        classroom=ClassroomFactory(students=[student]),
        attempts_allowed=attempts_allowed,
        reveal=reveal,
        **assignment_fields,
    )
    return AttemptFactory(
        assignment=assignment,
        student=student,
        number=number,
        max_score=3,
        submitted_at=timezone.now(),
    )


def start_form(assignment) -> str:
    return f'action="{reverse("quiz:attempt_start", args=[assignment.pk])}"'


def results_html(client, attempt) -> str:
    client.force_login(attempt.student)
    response = client.get(reverse("quiz:results", args=[attempt.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_results_lead_to_the_review_of_each_question(client):
    attempt = finished_attempt()

    html = results_html(client, attempt)

    assert 'href="#review"' in html
    assert 'id="review"' in html


def test_results_say_when_answers_hidden_until_the_assignment_closes_appear(client):
    attempt = finished_attempt(reveal="after_due", due_at=None)

    html = results_html(client, attempt)

    assert 'href="#review"' not in html
    assert "when your teacher closes the assignment" in html
    assert "appear when you finish" not in html


def test_results_offer_another_attempt_while_attempts_remain(client):
    attempt = finished_attempt(attempts_allowed=2)

    html = results_html(client, attempt)

    assert start_form(attempt.assignment) in html
    assert "Try again" in html
    assert "1 attempt left" in html
    response = client.post(reverse("quiz:attempt_start", args=[attempt.assignment.pk]))
    assert response.status_code == 302
    assert Attempt.objects.filter(assignment=attempt.assignment, number=2).exists()


def test_results_offer_no_new_attempt_once_all_are_used(client):
    attempt = finished_attempt(attempts_allowed=2, number=2)
    AttemptFactory(
        assignment=attempt.assignment,
        student=attempt.student,
        number=1,
        submitted_at=timezone.now(),
    )

    html = results_html(client, attempt)

    assert start_form(attempt.assignment) not in html
    assert "You have used all your attempts." in html


def test_results_offer_no_new_attempt_once_the_assignment_is_closed(client):
    attempt = finished_attempt(attempts_allowed=3, closed_at=timezone.now())

    html = results_html(client, attempt)

    assert start_form(attempt.assignment) not in html
    assert "This assignment is closed." in html


def test_results_lead_back_to_the_class(client):
    attempt = finished_attempt()
    classroom = attempt.assignment.classroom

    html = results_html(client, attempt)

    assert f'href="{classroom.get_absolute_url()}"' in html
    assert f"Back to {classroom.name}" in html


@pytest.mark.parametrize(("questions", "attempts"), [(5, 1), (50, 3)])
def test_results_page_uses_the_same_queries_whatever_the_quiz_and_the_attempts(
    client, django_assert_num_queries, questions, attempts
):
    """The session, the user, the attempt with its assignment, quiz and class, the student's
    attempts at the assignment, the questions by skill, the answers by skill, the answers,
    the questions and their choices."""
    student = StudentFactory()
    assignment = AssignmentFactory(
        quiz=QuizFactory(questions=questions),
        classroom=ClassroomFactory(students=[student]),
        attempts_allowed=5,
    )
    for number in range(1, attempts + 1):
        attempt = AttemptFactory(
            assignment=assignment, student=student, number=number, submitted_at=timezone.now()
        )
    client.force_login(student)

    # Ten: the student's extension, if any, is read with their attempts.
    with django_assert_num_queries(10):
        response = client.get(reverse("quiz:results", args=[attempt.pk]))

    assert response.status_code == 200
    assert start_form(assignment) in response.content.decode()


# After the quiz: the class page


def class_html(client, student, classroom) -> str:
    client.force_login(student)
    response = client.get(classroom.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def two_attempts(policy: str):
    """A student with a better first attempt and a worse second one, both handed in."""
    student = StudentFactory()
    classroom = ClassroomFactory(students=[student], score_policy=policy)
    assignment = AssignmentFactory(
        classroom=classroom,
        attempts_allowed=2,
        opens_at=timezone.now() - timedelta(days=30),
    )
    first = AttemptFactory(
        assignment=assignment,
        student=student,
        number=1,
        score=3,
        max_score=3,
        submitted_at=timezone.now() - timedelta(days=20),
    )
    second = AttemptFactory(
        assignment=assignment,
        student=student,
        number=2,
        score=1,
        max_score=3,
        submitted_at=timezone.now() - timedelta(days=10),
    )
    return student, classroom, first, second


def handed_in_on(attempt) -> str:
    when = attempt.submitted_at
    return f'<time datetime="{date(when, "c")}">{date(when, "D j M, H:i")}</time>'


def test_class_page_shows_the_score_and_hand_in_date_of_the_best_attempt(client):
    student, classroom, best, later = two_attempts("best")

    html = class_html(client, student, classroom)

    assert "3 out of 3" in html and "1 out of 3" not in html
    assert handed_in_on(best) in html
    assert handed_in_on(later) not in html


def test_class_page_shows_the_latest_attempt_when_the_class_counts_the_latest(client):
    student, classroom, earlier, latest = two_attempts("latest")

    html = class_html(client, student, classroom)

    assert "1 out of 3" in html and "3 out of 3" not in html
    assert handed_in_on(latest) in html
    assert handed_in_on(earlier) not in html


def test_class_page_keeps_the_score_hidden_until_the_teacher_reveals_it(client):
    attempt = finished_attempt(reveal="after_due")
    attempt.score = 2
    attempt.save()

    html = class_html(client, attempt.student, attempt.assignment.classroom)

    assert "2 out of 3" not in html
    assert "Shown after the due date" in html
    assert handed_in_on(attempt) in html


def test_class_page_counts_an_attempt_left_open_when_the_assignment_closed(client):
    attempt = finished_attempt(closed_at=timezone.now())
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=None, score=2)

    html = class_html(client, attempt.student, attempt.assignment.classroom)

    assert "2 out of 3" in html
    assert "When the assignment closed" in html


def test_class_page_shows_no_score_for_an_attempt_still_in_progress(client):
    attempt = finished_attempt()
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=None, score=2)

    html = class_html(client, attempt.student, attempt.assignment.classroom)

    assert "In progress" in html
    assert "2 out of 3" not in html and "Handed in" not in html


@pytest.mark.parametrize("count", [1, 10])
def test_class_page_uses_the_same_queries_for_1_and_10_assignments(
    client, django_assert_num_queries, count
):
    """The session, the user, the class, its assignments with the student's attempts summed
    up, and the attempts that count."""
    student = StudentFactory()
    classroom = ClassroomFactory(students=[student])
    for _ in range(count):
        assignment = AssignmentFactory(classroom=classroom, attempts_allowed=2)
        for number in (1, 2):
            AttemptFactory(
                assignment=assignment,
                student=student,
                number=number,
                score=number,
                max_score=3,
                submitted_at=timezone.now(),
            )
    client.force_login(student)

    # Six: the student's extensions in the class, read once for every assignment.
    with django_assert_num_queries(6):
        response = client.get(classroom.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count("2 out of 3") == count
