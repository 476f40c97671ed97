"""Dates and times in the teacher's time zone: chosen once (or taken from the browser at the
first login), kept in the session, and the zone a class's students see due times in."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from accounts.models import Preferences
from accounts.timezones import SESSION_KEY
from quiz import selectors
from tests.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
DUE = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)  # 12:00 in New York, 17:00 in London


def log_in(client, user, **extra):
    return client.post(
        reverse("login"), {"username": user.username, "password": TEST_PASSWORD, **extra}
    )


def test_a_teacher_without_a_zone_gets_the_one_their_browser_reports_at_login(client, teacher):
    log_in(client, teacher, time_zone=NEW_YORK)

    assert Preferences.objects.get(user=teacher).time_zone == NEW_YORK
    assert client.session[SESSION_KEY] == NEW_YORK


def test_a_chosen_zone_is_not_overwritten_by_the_browser(client, teacher):
    Preferences.objects.create(user=teacher, time_zone="Europe/London")

    log_in(client, teacher, time_zone=NEW_YORK)

    assert Preferences.objects.get(user=teacher).time_zone == "Europe/London"
    assert client.session[SESSION_KEY] == "Europe/London"


@pytest.mark.parametrize("reported", ["", "Mars/Olympus_Mons", "<script>"])
def test_a_login_without_a_known_zone_keeps_the_sites(client, teacher, settings, reported):
    settings.TIME_ZONE = "UTC"

    log_in(client, teacher, time_zone=reported)

    assert not Preferences.objects.filter(user=teacher).exists()
    assert client.session[SESSION_KEY] == "UTC"


def test_a_student_sees_due_times_in_their_teachers_zone(client, teacher):
    Preferences.objects.create(user=teacher, time_zone=NEW_YORK)
    student = StudentFactory()
    classroom = ClassroomFactory(teachers=[teacher], students=[student])
    AssignmentFactory(classroom=classroom, quiz=QuizFactory(owner=teacher), due_at=DUE)

    log_in(client, student, time_zone="Asia/Tokyo")  # a student's own browser does not count

    page = client.get(classroom.get_absolute_url()).content.decode()
    assert "12:00" in page and "17:00" not in page
    assert not Preferences.objects.filter(user=student).exists()


def test_the_zone_of_the_class_joined_last_wins_for_a_student(teacher, other_teacher):
    Preferences.objects.create(user=teacher, time_zone=NEW_YORK)
    Preferences.objects.create(user=other_teacher, time_zone="Europe/Paris")
    student = StudentFactory()
    ClassroomFactory(teachers=[teacher], students=[student])

    assert selectors.user_time_zone(user=student) == NEW_YORK

    ClassroomFactory(teachers=[other_teacher], students=[student])

    assert selectors.user_time_zone(user=student) == "Europe/Paris"


def test_a_teacher_chooses_a_zone_and_the_assignment_form_uses_it(client, teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)
    form_url = reverse("quiz:teach_assignment_create", args=[classroom.pk])
    assert "Times are in UTC." in client.get(form_url).content.decode()

    response = client.post(
        reverse("quiz:teach_time_zone"), {"time_zone": NEW_YORK, "next": form_url}
    )

    assert response.status_code == 302 and response["Location"] == form_url
    assert Preferences.objects.get(user=teacher).time_zone == NEW_YORK
    assert f"Times are in {NEW_YORK}." in client.get(form_url).content.decode()


def test_an_opening_time_typed_by_the_teacher_is_read_in_their_zone(client, teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    quiz = QuizFactory(owner=teacher, questions=1)
    client.force_login(teacher)
    client.post(reverse("quiz:teach_time_zone"), {"time_zone": NEW_YORK})

    client.post(
        reverse("quiz:teach_assignment_create", args=[classroom.pk]),
        {
            "quiz": quiz.pk,
            "opens_at": "2026-12-09T08:00",
            "due_at": "2026-12-10T12:00",
            "attempts_allowed": 1,
            "reveal": "after_each",
        },
    )

    assert classroom.assignments.get().due_at == DUE


def test_an_unknown_zone_is_refused_and_changes_nothing(client, teacher):
    client.force_login(teacher)

    response = client.post(reverse("quiz:teach_time_zone"), {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Preferences.objects.filter(user=teacher).exists()


def test_the_time_zone_page_is_for_teachers(client):
    client.force_login(StudentFactory())

    assert client.get(reverse("quiz:teach_time_zone")).status_code == 403


def test_a_redirect_after_choosing_stays_on_this_site(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_time_zone"), {"time_zone": NEW_YORK, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("quiz:teach_dashboard")
