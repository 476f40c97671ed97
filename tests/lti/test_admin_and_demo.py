"""Registering a platform in the admin, and the demo's class run from a platform."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from lti_tool.models import LtiRegistration

from lti.models import CourseClass, PlatformSettings, ScorePost
from tests.factories import SuperuserFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def registration_form(**changes) -> dict:
    data = {
        "name": "School Canvas",
        "issuer": "https://canvas.instructure.com",
        "client_id": "10000000000042",
        "audience": "",
        "auth_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks",
        "is_active": "on",
        "public_key": "",
        "private_key": "",
        "deployments-TOTAL_FORMS": "1",
        "deployments-INITIAL_FORMS": "0",
        "deployments-0-deployment_id": "42:8a1b2c",
        "deployments-0-is_active": "on",
        "sourcewise-TOTAL_FORMS": "1",
        "sourcewise-INITIAL_FORMS": "0",
        "sourcewise-0-frame_origins": "https://millbrook.instructure.com",
    }
    data.update(changes)
    return data


def test_an_administrator_registers_a_platform_with_its_deployment_and_frame_origin(client):
    client.force_login(SuperuserFactory())
    add = reverse("admin:lti_tool_ltiregistration_add")
    page = client.get(add)
    assert page.status_code == 200
    assert reverse("lti:configuration") in page.content.decode()

    response = client.post(add, registration_form())

    assert response.status_code == 302, response.content.decode()[:3000]
    registration = LtiRegistration.objects.get()
    deployment = registration.deployments.get()
    assert (deployment.deployment_id, deployment.is_active) == ("42:8a1b2c", True)
    settings = PlatformSettings.objects.get(registration=registration)
    assert settings.frame_origins == "https://millbrook.instructure.com"


def test_a_registration_with_a_bad_url_is_refused_and_nothing_saved(client):
    client.force_login(SuperuserFactory())
    response = client.post(
        reverse("admin:lti_tool_ltiregistration_add"), registration_form(keyset_url="not a url")
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not LtiRegistration.objects.exists()


def test_teachers_cannot_open_the_registration_admin(client):
    client.force_login(TeacherFactory())
    assert client.get(reverse("admin:lti_tool_ltiregistration_changelist")).status_code == 403


def test_the_demo_has_a_class_run_from_a_platform_with_scores_sent_and_one_waiting(client):
    call_command("demo", "--force", stdout=StringIO())
    call_command("lti_keys", stdout=StringIO())
    call_command("lti_demo", "--force", stdout=StringIO())
    call_command("lti_demo", "--force", stdout=StringIO())  # again: nothing doubles
    course = CourseClass.objects.select_related("classroom").get()
    assert course.classroom.students.count() == 5
    assert ScorePost.objects.count() == 3
    assert ScorePost.objects.filter(wanted_at__isnull=False).count() == 1
    teacher = course.classroom.teachers.get()
    client.force_login(teacher)
    html = client.get(reverse("lti:course", args=[course.classroom.pk])).content.decode()
    assert "Millbrook Moodle" in html and "1 score waiting to be sent." in html
    assert html.count("Up to date") == 2
    gradebook = client.get(reverse("quiz:teach_gradebook", args=[course.classroom.pk]))
    assert gradebook.content.decode().count("Not started") >= 2
