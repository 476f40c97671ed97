"""The demo class comes with classmates who have finished the quiz, for the teacher's pages."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from quiz import selectors
from quiz.models import Attempt, Classroom, Response

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", "--force", stdout=StringIO())
    return Classroom.objects.get(name="Demo class")


def test_demo_adds_a_dozen_classmates_with_finished_attempts(demo):
    classmates = demo.students.filter(username__startswith="demo-class-")

    assert classmates.count() == 12
    attempts = Attempt.objects.filter(student__in=classmates)
    assert attempts.filter(number=1).count() == 12
    assert not attempts.filter(submitted_at__isnull=True).exists()
    quiz_length = demo.assignments.get().quiz.items.count()
    assert all(a.answered == quiz_length for a in attempts)
    assert not any(u.has_usable_password() for u in classmates)


def test_demo_students_who_take_the_quiz_themselves_have_no_attempt(demo):
    for n in (1, 2, 3):
        assert not Attempt.objects.filter(student__username=f"demo-student-{n}").exists()


def test_demo_classmates_score_differently_and_make_different_mistakes(demo):
    first_tries = Attempt.objects.filter(student__username__startswith="demo-class-", number=1)

    scores = list(first_tries.values_list("score", flat=True))
    assert len(set(scores)) >= 6
    mistakes = {
        tuple(
            Response.objects.filter(attempt=attempt, is_correct=False)
            .order_by("question_id")
            .values_list("question_id", "choice_id")
        )
        for attempt in first_tries
    }
    assert len(mistakes) == 12


def test_demo_attempts_happened_after_the_assignment_opened(demo):
    assignment = demo.assignments.get()

    for attempt in Attempt.objects.filter(assignment=assignment):
        assert assignment.opens_at <= attempt.started_at < attempt.submitted_at


def test_demo_teacher_pages_show_real_numbers(client, demo):
    client.force_login(get_user_model().objects.get(username="demo-teacher"))
    assignment = demo.assignments.get()

    analysis = selectors.item_analysis(assignment=assignment)
    mastery = selectors.skill_mastery(classroom=demo)
    gradebook = client.get(reverse("quiz:teach_gradebook", args=[demo.pk])).content.decode()

    assert analysis.attempts == 12
    assert all(item.facility is not None for item in analysis.items)
    assert all(share.percent is not None for share in mastery.classroom)
    assert "Amir Haddad" in gradebook and "Not started" in gradebook
