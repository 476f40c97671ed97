"""Joining a class: codes cannot be guessed, usernames are not told, wrong guesses are throttled."""

import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from quiz import services
from quiz.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, Classroom, Enrollment
from tests.factories import ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

PASSWORD = "reading-the-news-42"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts in the cache; start and leave it empty so tests do not share counts."""
    cache.clear()
    yield
    cache.clear()


def sign_up(client, code, username="mia7b", **extra):
    data = {
        "code": code,
        "first_name": "Mia",
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return client.post(reverse("quiz:join"), data, **extra)


def page_without_tokens(html: str, code: str) -> str:
    """The page with its CSRF tokens (different each time) and the code typed taken out."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*', "", html).replace(
        code, "CODE"
    )


def wrong_code(n: int) -> str:
    """A well-formed code no class has."""
    return "".join(JOIN_CODE_ALPHABET[(n // 25**i) % 25] for i in range(JOIN_CODE_LENGTH))


# Unknown and closed codes


def test_a_closed_class_is_answered_exactly_like_a_code_no_class_has(client, student):
    closed = ClassroomFactory(name="Secret Society 9C", join_open=False)
    client.force_login(student)

    closed_html = client.post(reverse("quiz:join"), {"code": closed.join_code}).content.decode()
    unknown_html = client.post(reverse("quiz:join"), {"code": wrong_code(1)}).content.decode()

    assert "Secret Society" not in closed_html
    assert "No class has the code" in closed_html
    assert page_without_tokens(closed_html, closed.join_code) == page_without_tokens(
        unknown_html, wrong_code(1)
    )
    assert not closed.students.filter(pk=student.pk).exists()


def test_new_codes_are_long_enough_and_old_codes_keep_working(client, student):
    assert JOIN_CODE_LENGTH >= 8
    assert len(ClassroomFactory().join_code) == JOIN_CODE_LENGTH
    old = ClassroomFactory(join_code="KM7QX4T")
    client.force_login(student)

    response = client.post(reverse("quiz:join"), {"code": "km7-qx4t"})

    assert response.status_code == 302
    assert old.students.filter(pk=student.pk).exists()


# Usernames are told only to someone with a valid code


@pytest.mark.parametrize("username", ["demo-teacher", "DEMO-Teacher", "ada", "ADA"])
def test_a_wrong_code_never_says_whether_a_username_exists(client, username):
    TeacherFactory(username="demo-teacher")
    StudentFactory(username="ada")

    html = sign_up(client, wrong_code(2), username=username).content.decode()

    assert "taken" not in html
    assert "No class has the code" in html


@pytest.mark.parametrize("username", ["demo-teacher", "DEMO-Teacher", "Ada"])
def test_with_a_valid_code_a_taken_username_is_said_to_be_taken(client, username):
    TeacherFactory(username="demo-teacher")
    StudentFactory(username="ada")
    classroom = ClassroomFactory()
    users = get_user_model().objects.count()

    response = sign_up(client, classroom.join_code, username=username)

    assert response.status_code == 200
    assert "That username is taken" in response.content.decode()
    assert get_user_model().objects.count() == users


# Throttling wrong guesses


def test_wrong_codes_from_one_address_are_throttled_with_a_429_that_changes_nothing(
    client, settings
):
    settings.JOIN_GUESS_RATE_PER_ADDRESS = "5/h"
    classroom = ClassroomFactory()
    for n in range(5):
        # A new browser each time (no session, no sign-in): only the address is the same.
        assert sign_up(Client(), wrong_code(n), username=f"guess{n}").status_code == 200

    response = sign_up(client, classroom.join_code)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Too many tries" in html
    assert '<form method="post"' in html  # still usable without JavaScript, once the wait is over
    assert not get_user_model().objects.filter(username="mia7b").exists()
    assert not Enrollment.objects.filter(classroom=classroom).exists()
    # Another address is not held back.
    assert sign_up(Client(), classroom.join_code, REMOTE_ADDR="203.0.113.7").status_code == 302


def test_a_signed_in_student_is_throttled_whatever_the_address(client, settings, student):
    settings.JOIN_GUESS_RATE_PER_PERSON = "3/h"
    classroom = ClassroomFactory()
    client.force_login(student)
    for n in range(3):
        address = f"198.51.100.{n + 1}"
        response = client.post(reverse("quiz:join"), {"code": wrong_code(n)}, REMOTE_ADDR=address)
        assert response.status_code == 200

    response = client.post(
        reverse("quiz:join"), {"code": classroom.join_code}, REMOTE_ADDR="198.51.100.99"
    )

    assert response.status_code == 429
    assert not classroom.students.filter(pk=student.pk).exists()


def test_one_browser_session_is_throttled_whatever_the_address(client, settings):
    settings.JOIN_GUESS_RATE_PER_PERSON = "3/h"
    session = client.session
    session["seen"] = True
    session.save()
    for n in range(3):
        address = f"198.51.100.{n + 1}"
        assert sign_up(client, wrong_code(n), REMOTE_ADDR=address).status_code == 200

    response = sign_up(client, ClassroomFactory().join_code, REMOTE_ADDR="198.51.100.99")

    assert response.status_code == 429


def test_trying_taken_usernames_with_a_valid_code_is_throttled_too(client, settings):
    settings.JOIN_GUESS_RATE_PER_ADDRESS = "3/h"
    classroom = ClassroomFactory()
    for n in range(3):
        StudentFactory(username=f"pupil-{n}")
        assert "taken" in sign_up(Client(), classroom.join_code, f"pupil-{n}").content.decode()

    response = sign_up(client, classroom.join_code, "pupil-free")

    assert response.status_code == 429
    assert not get_user_model().objects.filter(username="pupil-free").exists()


def test_joining_with_the_right_code_is_never_counted(client, settings):
    settings.JOIN_GUESS_RATE_PER_ADDRESS = "3/h"
    classroom = ClassroomFactory()

    # A whole class behind one school address signs up.
    for n in range(6):
        assert sign_up(Client(), classroom.join_code, f"pupil-{n}").status_code == 302

    assert classroom.students.count() == 6


def test_a_throttled_request_with_htmx_headers_still_answers_429_in_words(client, settings):
    settings.JOIN_GUESS_RATE_PER_ADDRESS = "1/h"
    sign_up(client, wrong_code(0))

    response = sign_up(client, wrong_code(1), headers={"HX-Request": "true"})

    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()


# Case-variant usernames racing


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_differing_only_in_case_make_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")
    classroom = ClassroomFactory()
    names = ["racer-y", "Racer-Y", "racer-z", "RACER-Z", "racer-w", "Racer-w"]
    barrier = threading.Barrier(len(names))
    outcomes: dict[str, tuple[int, str]] = {}

    def post(username):
        client = Client()
        barrier.wait()
        try:
            response = sign_up(client, classroom.join_code, username=username)
            outcomes[username] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    users = get_user_model().objects
    for folded in ("racer-y", "racer-z", "racer-w"):
        assert users.filter(username__iexact=folded).count() == 1
        pair = [outcome for name, outcome in outcomes.items() if name.lower() == folded]
        assert sorted(status for status, _html in pair) == [200, 302]
        refused = next(html for status, html in pair if status == 200)
        assert "That username is taken" in refused
    assert Enrollment.objects.filter(classroom=classroom).count() == 3


def test_signup_service_checks_the_code_before_the_username():
    StudentFactory(username="ada")

    with pytest.raises(ValidationError, match="No class has the code"):
        services.student_signup_and_join(code=wrong_code(3), username="ADA", password=PASSWORD)

    assert not Classroom.objects.exists()


def test_behind_a_proxy_each_client_is_counted_by_its_own_address(client, settings):
    settings.PROXY_COUNT = 1
    settings.JOIN_GUESS_RATE_PER_ADDRESS = "2/h"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(2):
        # What the client sends itself (the left part) changes nothing.
        forwarded = f"192.0.2.{n}, 203.0.113.5"
        sign_up(Client(), wrong_code(n), headers={"x-forwarded-for": forwarded}, **proxy)

    held_back = sign_up(
        Client(), wrong_code(3), headers={"x-forwarded-for": "203.0.113.5"}, **proxy
    )
    other = sign_up(Client(), wrong_code(4), headers={"x-forwarded-for": "203.0.113.6"}, **proxy)

    assert held_back.status_code == 429
    assert other.status_code == 200
