"""The signed-in user's lookup: the same user Django's ModelBackend gives, for less work."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.auth import BACKEND, MAX_ID, UserBackend
from tests.factories import TEST_PASSWORD, StudentFactory, TeacherFactory

User = get_user_model()


def field_values(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


@pytest.mark.django_db
def test_the_user_loaded_is_the_one_the_orm_loads_field_for_field():
    teacher = TeacherFactory(email="t@example.org", is_superuser=True)
    User.objects.filter(pk=teacher.pk).update(last_login="2026-01-02T03:04:05Z")

    loaded = UserBackend().get_user(teacher.pk)
    expected = ModelBackend().get_user(teacher.pk)

    assert field_values(loaded) == field_values(expected)
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.last_login.tzinfo is not None
    assert loaded.has_perm("quiz.view_classroom") == expected.has_perm("quiz.view_classroom")


@pytest.mark.django_db
def test_the_loaded_user_saves_like_any_other():
    student = StudentFactory()
    loaded = UserBackend().get_user(student.pk)

    loaded.first_name = "Renamed"
    loaded.save(update_fields=["first_name"])

    assert User.objects.get(pk=student.pk).first_name == "Renamed"


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", [0, -1, MAX_ID + 1, "not a number", None, "999999"])
def test_ids_that_name_no_user_give_no_user(user_id):
    StudentFactory()
    assert UserBackend().get_user(user_id) is None


@pytest.mark.django_db
def test_an_inactive_user_is_not_signed_in():
    student = StudentFactory(is_active=False)
    assert UserBackend().get_user(student.pk) is None


@pytest.mark.django_db
def test_the_lookup_is_one_query_and_shows_in_the_query_log():
    student = StudentFactory()
    with CaptureQueriesContext(connection) as queries:
        assert UserBackend().get_user(student.pk) == student
    assert len(queries) == 1
    assert "auth_user" in queries[0]["sql"]


@pytest.mark.django_db
def test_a_login_stores_this_backend_and_keeps_the_student_signed_in(client):
    student = StudentFactory()
    response = client.post(
        reverse("login"), {"username": student.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == BACKEND

    assert client.get(reverse("quiz:my_classes")).status_code == 200


@pytest.mark.django_db
def test_a_password_change_elsewhere_signs_the_old_session_out(client):
    student = StudentFactory()
    client.force_login(student, backend=BACKEND)
    assert client.get(reverse("quiz:my_classes")).status_code == 200

    student.set_password("a-new-password-1234")
    student.save()

    response = client.get(reverse("quiz:my_classes"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
