"""Adding one student by hand on the roster page: the account, its login card, its refusals."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quiz import services
from quiz.models import Enrollment
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(name="8C", teachers=[teacher])


def add_url(classroom):
    return reverse("quiz:teach_student_add", args=[classroom.pk])


def test_roster_page_offers_the_form_to_add_one_student(client, teacher, classroom):
    client.force_login(teacher)
    response = client.get(reverse("quiz:teach_roster", args=[classroom.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{add_url(classroom)}"' in html
    assert 'name="first_name"' in html
    assert 'name="last_name"' in html
    assert 'name="username"' in html


def test_adding_a_student_creates_an_enrolled_account_and_shows_its_card_once(
    client, teacher, classroom
):
    client.force_login(teacher)
    response = client.post(add_url(classroom), {"first_name": " Amara ", "last_name": "Okafor"})
    assert response.status_code == 200
    student = get_user_model().objects.get(first_name="Amara", last_name="Okafor")
    assert student.username.startswith("amarao")
    assert not student.is_staff
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()
    html = response.content.decode()
    assert student.username in html
    assert "no-store" in response["Cache-Control"]
    [card] = response.context["cards"]
    assert card[0] == student
    assert student.check_password(card[1])
    # Only the hash is kept: the roster shows the student but never the password again.
    roster = client.get(reverse("quiz:teach_roster", args=[classroom.pk])).content.decode()
    assert student.username in roster
    assert card[1] not in roster


def test_a_chosen_username_is_used(client, teacher, classroom):
    client.force_login(teacher)
    client.post(
        add_url(classroom), {"first_name": "Chloé", "last_name": "Dubois", "username": "chloe.d"}
    )
    student = get_user_model().objects.get(username="chloe.d")
    assert (student.first_name, student.last_name) == ("Chloé", "Dubois")
    assert classroom.students.filter(pk=student.pk).exists()


def test_a_taken_username_is_refused_whatever_its_case_and_nothing_changes(
    client, teacher, classroom
):
    StudentFactory(username="sam.lee")
    users = get_user_model().objects.count()
    client.force_login(teacher)
    response = client.post(
        add_url(classroom), {"first_name": "Sam", "last_name": "Lee", "username": "Sam.Lee"}
    )
    assert response.status_code == 200
    assert "The username “Sam.Lee” is taken" in response.content.decode()
    assert response.context["form"].errors["username"]
    assert get_user_model().objects.count() == users
    assert not Enrollment.objects.filter(classroom=classroom).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_name": "", "last_name": "Okafor"}, "first_name"),
        ({"first_name": "Amara", "last_name": "   "}, "last_name"),
        ({"first_name": "Amara", "last_name": "Okafor", "username": "no spaces!"}, "username"),
    ],
)
def test_a_missing_name_or_a_bad_username_is_refused_on_its_field(
    client, teacher, classroom, data, field
):
    users = get_user_model().objects.count()
    client.force_login(teacher)
    response = client.post(add_url(classroom), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'role="alert"' in response.content.decode()
    assert get_user_model().objects.count() == users


def test_a_name_already_in_the_class_is_refused(client, teacher, classroom):
    classroom.students.add(StudentFactory(first_name="Amara", last_name="Okafor"))
    users = get_user_model().objects.count()
    client.force_login(teacher)
    response = client.post(add_url(classroom), {"first_name": "amara", "last_name": "OKAFOR"})
    assert "amara OKAFOR is already in this class" in response.content.decode()
    assert get_user_model().objects.count() == users


def test_the_service_makes_the_account_the_class_list_would(teacher, classroom):
    student, password = services.student_add(
        classroom=classroom, first_name="Bo", last_name="Zhang"
    )
    assert student.username.startswith("boz")
    assert student.check_password(password)
    assert Enrollment.objects.filter(classroom=classroom, student=student).exists()


def test_another_teacher_a_student_and_a_visitor_cannot_add_to_the_class(
    client, classroom, student
):
    data = {"first_name": "Eve", "last_name": "Intruder"}
    client.force_login(TeacherFactory())
    assert client.post(add_url(classroom), data).status_code == 404
    client.force_login(student)
    assert client.post(add_url(classroom), data).status_code == 403
    client.logout()
    assert client.post(add_url(classroom), data).status_code == 302
    assert not get_user_model().objects.filter(first_name="Eve").exists()


def test_the_add_url_takes_only_posts(client, teacher, classroom):
    client.force_login(teacher)
    assert client.get(add_url(classroom)).status_code == 405


@pytest.mark.parametrize("size", [1, 8])
def test_an_error_queries_the_same_whatever_the_class_size(
    client, teacher, django_assert_num_queries, size
):
    classroom = ClassroomFactory(teachers=[teacher], students=StudentFactory.create_batch(size))
    client.force_login(teacher)
    client.get("/")  # the session is set up before counting
    with django_assert_num_queries(5):
        response = client.post(add_url(classroom), {"first_name": "", "last_name": "Okafor"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 8])
def test_adding_queries_the_same_whatever_the_class_size(
    client, teacher, django_assert_num_queries, size
):
    classroom = ClassroomFactory(teachers=[teacher], students=StudentFactory.create_batch(size))
    client.force_login(teacher)
    client.get("/")
    with django_assert_num_queries(13):
        response = client.post(add_url(classroom), {"first_name": "Noor", "last_name": "Haddad"})
    assert response.status_code == 200
