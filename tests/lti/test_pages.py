"""The teachers' learning-platform pages: what they show, and queries that do not grow."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

from lti.models import CourseClass, PlacedLink, ScorePost
from tests.factories import AssignmentFactory, ClassroomFactory, StudentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def platform_class(students: int):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(
        teachers=[teacher], students=[StudentFactory() for _ in range(students)]
    )
    registration = LtiRegistration.objects.create(
        name="School Moodle",
        issuer="https://moodle.example.org",
        client_id="abc",
        auth_url="https://moodle.example.org/mod/lti/auth.php",
        token_url="https://moodle.example.org/mod/lti/token.php",
        keyset_url="https://moodle.example.org/mod/lti/certs.php",
    )
    deployment = LtiDeployment.objects.create(
        registration=registration, deployment_id="1", is_active=True
    )
    context = LtiContext.objects.create(deployment=deployment, id_on_platform="7", title="Media 9")
    CourseClass.objects.create(context=context, classroom=classroom)
    link = PlacedLink.objects.create(assignment=AssignmentFactory(classroom=classroom))
    now = timezone.now()
    for number, student in enumerate(classroom.students.all()):
        ScorePost.objects.create(
            link=link,
            student=student,
            wanted_at=now if number % 2 else None,
            tries=number % 3,
            last_error="The platform answered 503." if number % 3 else "",
            sent_score=1,
            sent_maximum=2,
            sent_at=now,
        )
    return teacher, classroom


@pytest.mark.parametrize("students", [2, 20])
def test_the_platform_page_lists_every_score_in_constant_queries(
    client, django_assert_num_queries, students
):
    teacher, classroom = platform_class(students)
    client.force_login(teacher)
    url = reverse("lti:course", args=[classroom.pk])
    client.get(url)  # warm the session
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr>") == students + 1
    assert "School Moodle" in html and "Media 9" in html
    waiting = students // 2
    assert f"{waiting} score{'s' if waiting != 1 else ''} waiting to be sent." in html


def test_the_class_page_links_to_the_platform_page_only_for_a_platform_class(client):
    teacher, classroom = platform_class(1)
    client.force_login(teacher)
    html = client.get(reverse("quiz:teach_classroom", args=[classroom.pk])).content.decode()
    assert reverse("lti:course", args=[classroom.pk]) in html
    plain = ClassroomFactory(teachers=[teacher])
    html = client.get(reverse("quiz:teach_classroom", args=[plain.pk])).content.decode()
    assert "/lti/" not in html
    assert client.get(reverse("lti:course", args=[plain.pk])).status_code == 404


def test_the_configuration_page_shows_what_to_paste_into_the_platform(client):
    from tests.factories import SuperuserFactory

    platform_class(0)
    client.force_login(SuperuserFactory())
    html = client.get(reverse("lti:configuration")).content.decode()
    registration = LtiRegistration.objects.get()
    assert f"/lti/login/{registration.uuid}/" in html
    assert "http://testserver/lti/launch/" in html and "http://testserver/lti/jwks.json" in html
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in html
    assert "Sourcewise has no signing key yet" in html


@pytest.mark.parametrize("quizzes", [1, 12])
def test_the_placing_page_offers_the_teachers_quizzes_in_constant_queries(
    client, django_assert_num_queries, quizzes
):
    from lti.views import DEEP_LINK_SESSION_KEY
    from tests.factories import QuizFactory

    teacher, classroom = platform_class(0)
    for number in range(quizzes):
        QuizFactory(owner=teacher, title=f"Quiz {number:02}", questions=1)
    client.force_login(teacher)
    session = client.session
    session[DEEP_LINK_SESSION_KEY] = {
        "deployment": LtiDeployment.objects.get().pk,
        "context": LtiContext.objects.get().pk,
        "classroom": classroom.pk,
        "return_url": "https://moodle.example.org/mod/lti/contentitem_return.php",
        "data": "abc",
    }
    session.save()
    url = reverse("lti:place")
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<option") == quizzes + 3  # the quizzes, and the three reveal choices
    assert "Place in the course" in html


@pytest.mark.parametrize(
    ("samesite", "secure", "partitioned"),
    [("None", True, True), ("Lax", True, False), ("None", False, False)],
)
def test_cookies_that_go_to_frames_are_partitioned(client, settings, samesite, secure, partitioned):
    settings.SESSION_COOKIE_SAMESITE = samesite
    settings.SESSION_COOKIE_SECURE = secure
    platform_class(0)
    registration = LtiRegistration.objects.get()
    response = client.get(
        reverse("lti:login", kwargs={"registration_uuid": registration.uuid}),
        {"iss": registration.issuer, "login_hint": "7", "target_link_uri": "https://x.test/"},
    )
    header = response.cookies["sourcewise_lti_cookies"].output()
    assert ("Partitioned" in header) is partitioned
    settings.LTI_COOKIES_PARTITIONED = False
    response = Client().get(
        reverse("lti:login", kwargs={"registration_uuid": registration.uuid}), {"iss": "x"}
    )
    assert "Partitioned" not in response.cookies["sourcewise_lti_cookies"].output()
