"""Property-based tests: whatever a client posts, the answer is a clear 2xx/3xx/4xx and the
data stays whole."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.models import Attempt, Enrollment, Response
from tests.factories import AssignmentFactory, AttemptFactory, ClassroomFactory, StudentFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

nasty_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "None",
            "null",
            "[]",
            "{}",
            "\x00",
            "😀" * 30,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "9" * 40,
            "\u202e\u0301",
            "%00",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
field_values = st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3))


def form_data(names):
    return st.dictionaries(st.sampled_from(names), field_values, max_size=len(names))


def assert_handled(response):
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.content, "an error must come with a message"


@pytest.fixture
def attempt():
    student = StudentFactory()
    assignment = AssignmentFactory(classroom=ClassroomFactory(students=[student]))
    return AttemptFactory(assignment=assignment, student=student)


def attempt_is_whole(attempt_pk: int) -> None:
    attempt = Attempt.objects.get(pk=attempt_pk)
    responses = Response.objects.filter(attempt=attempt)
    assert attempt.answered == responses.count()
    assert attempt.score == (responses.aggregate(total=Sum("points"))["total"] or 0)
    assert responses.count() <= attempt.assignment.quiz.questions.count()


@FUZZ
@given(
    data=form_data(["choice", "start", "end", "csrfmiddlewaretoken", "extra"]), htmx=st.booleans()
)
def test_answer_endpoint_survives_anything(client, attempt, data, htmx):
    client.force_login(attempt.student)
    question = attempt.assignment.quiz.questions.first()
    url = reverse("quiz:answer", args=[attempt.pk, question.pk])

    response = client.post(url, data, headers={"HX-Request": "true"} if htmx else {})

    assert_handled(response)
    attempt_is_whole(attempt.pk)


@FUZZ
@given(data=form_data(["code", "first_name", "last_name", "username", "password1", "password2"]))
def test_join_and_sign_up_survive_anything(client, data):
    users_before = get_user_model().objects.count()
    enrollments_before = Enrollment.objects.count()

    response = client.post(reverse("quiz:join"), data)

    assert_handled(response)
    users_after = get_user_model().objects.count()
    enrollments_after = Enrollment.objects.count()
    # An account is only ever created together with its enrolment.
    assert users_after - users_before == enrollments_after - enrollments_before


@FUZZ
@given(data=form_data(["username", "password", "next"]))
def test_login_survives_anything(client, data):
    response = client.post(reverse("login"), data)

    assert_handled(response)
    assert "_auth_user_id" not in client.session


@FUZZ
@given(path_id=st.integers(min_value=0, max_value=2**70))
def test_object_urls_with_any_number_answer_404_not_500(client, attempt, path_id):
    client.force_login(attempt.student)
    for name in ("quiz:attempt", "quiz:results", "quiz:classroom", "quiz:assignment"):
        assert_handled(client.get(reverse(name, args=[path_id])))
