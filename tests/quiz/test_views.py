import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_visitors_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_sends_students_to_their_classes(client, student):
    client.force_login(student)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:my_classes")


def test_home_sends_teachers_to_their_teaching_page(client, teacher):
    client.force_login(teacher)

    response = client.get("/")

    assert response["Location"] == reverse("quiz:teach_dashboard")


def test_staff_outside_the_teachers_group_is_not_a_teacher(client, student):
    student.is_staff = True
    student.save()
    client.force_login(student)

    assert client.get("/")["Location"] == reverse("quiz:my_classes")
    assert client.get(reverse("quiz:teach_dashboard")).status_code == 403


def test_student_cannot_open_the_teaching_page(client, student):
    client.force_login(student)

    response = client.get(reverse("quiz:teach_dashboard"))

    assert response.status_code == 403


def test_login_page_renders_with_our_layout(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sourcewise" in html
    assert 'name="username"' in html
    assert "hx-headers" in html
    assert "/static/django_htmx/htmx" in html  # served from our own origin, never a CDN


def test_login_with_a_good_password_lands_on_the_right_page(client, student):
    response = client.post(
        reverse("login"), {"username": student.username, "password": TEST_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("quiz:my_classes")
    assert response.context["user"] == student


def test_login_with_a_bad_password_says_so(client, student):
    response = client.post(reverse("login"), {"username": student.username, "password": "nope"})

    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_navigation_shows_teacher_links_only_to_teachers(client, teacher, student):
    client.force_login(teacher)
    teacher_page = client.get(reverse("quiz:teach_dashboard")).content.decode()
    client.force_login(student)
    student_page = client.get(reverse("quiz:my_classes")).content.decode()

    assert reverse("admin:index") in teacher_page
    assert reverse("admin:index") not in student_page


def test_logout_ends_the_session(client, student):
    client.force_login(student)

    client.post(reverse("logout"))

    assert client.get(reverse("quiz:my_classes")).status_code == 302
