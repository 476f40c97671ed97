"""What cannot be taken back asks first, and says what will happen: a new password, closing an
assignment now, removing a student from the class."""

import html
import re

import pytest
from django.urls import reverse

from quiz.models import Attempt, Enrollment
from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "1"}


@pytest.fixture
def course(teacher):
    """A class with two students, both part-way through an attempt, and one who finished."""
    ada = StudentFactory(first_name="Ada", last_name="Lovelace")
    bo = StudentFactory(first_name="Bo", last_name="Zhang")
    cy = StudentFactory(first_name="Cy", last_name="Okoro")
    classroom = ClassroomFactory(name="7B News", teachers=[teacher], students=[ada, bo, cy])
    assignment = AssignmentFactory(
        classroom=classroom, quiz=QuizFactory(owner=teacher, questions=2, title="Who said it?")
    )
    AttemptFactory(assignment=assignment, student=ada)
    AttemptFactory(assignment=assignment, student=bo)
    finished = AttemptFactory(assignment=assignment, student=cy)
    Attempt.objects.filter(pk=finished.pk).update(submitted_at=finished.started_at)
    return {"classroom": classroom, "assignment": assignment, "ada": ada}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_closing_asks_first_and_says_how_many_attempts_will_be_handed_in(client, teacher, course):
    assignment = course["assignment"]
    client.force_login(teacher)
    url = reverse("quiz:teach_assignment_close", args=[assignment.pk])

    asked = client.post(url)

    assert asked.status_code == 200
    text = text_of(asked)
    assert "Close “Who said it?” now?" in text
    assert "2 unfinished attempts will be handed in as they stand." in text
    assert re.search(r'<input type="hidden" name="confirmed" value="1">', asked.content.decode())
    assignment.refresh_from_db()
    assert assignment.closed_at is None

    done = client.post(url, CONFIRMED)

    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.closed_at is not None


def test_the_close_button_carries_the_same_warning_for_the_confirm_dialog(client, teacher, course):
    assignment = course["assignment"]
    client.force_login(teacher)

    page = client.get(reverse("quiz:teach_assignment", args=[assignment.pk])).content.decode()

    form = re.search(r'<form method="post" action="[^"]*/close/"[^>]*>', page).group(0)
    assert (
        'hx-confirm="Close “Who said it?” now? No more answers are accepted. 2 unfinished '
        'attempts will be handed in as they stand."'
    ) in html.unescape(form).replace("&quot;", '"')
    assert """hx-vals='{"confirmed": "1"}'""" in form


def test_a_new_password_asks_first_and_keeps_the_old_one_until_confirmed(client, teacher, course):
    classroom, ada = course["classroom"], course["ada"]
    client.force_login(teacher)
    url = reverse("quiz:teach_student_password", args=[classroom.pk, ada.pk])

    asked = client.post(url)

    text = text_of(asked)
    assert "Give Ada Lovelace a new password?" in text
    assert "Their current password stops working at once." in text
    ada.refresh_from_db()
    assert ada.check_password(TEST_PASSWORD)

    done = client.post(url, CONFIRMED)

    ada.refresh_from_db()
    assert not ada.check_password(TEST_PASSWORD)
    assert "no-store" in done["Cache-Control"]


def test_removing_a_student_asks_first_and_says_what_is_kept(client, teacher, course):
    classroom, ada = course["classroom"], course["ada"]
    client.force_login(teacher)
    url = reverse("quiz:teach_student_remove", args=[classroom.pk, ada.pk])

    text = text_of(client.post(url))

    assert "Remove Ada Lovelace from 7B News?" in text
    assert "Their account and answers are kept" in text
    assert Enrollment.objects.filter(classroom=classroom, student=ada).exists()

    client.post(url, CONFIRMED)

    assert not Enrollment.objects.filter(classroom=classroom, student=ada).exists()


def test_the_roster_buttons_carry_their_warnings(client, teacher, course):
    classroom = course["classroom"]
    client.force_login(teacher)

    page = html.unescape(
        client.get(reverse("quiz:teach_roster", args=[classroom.pk])).content.decode()
    )

    assert 'hx-confirm="Give Ada Lovelace a new password?' in page
    assert 'hx-confirm="Remove Ada Lovelace from 7B News?' in page


def test_a_confirm_page_cancels_back_to_where_the_teacher_was(client, teacher, course):
    assignment = course["assignment"]
    client.force_login(teacher)

    asked = client.post(reverse("quiz:teach_assignment_close", args=[assignment.pk]))

    back = reverse("quiz:teach_assignment", args=[assignment.pk])
    assert f'<a class="button secondary" href="{back}">Cancel</a>' in asked.content.decode()
