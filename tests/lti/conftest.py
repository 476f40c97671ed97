"""A simulated learning platform registered with Sourcewise, for the LTI tests."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from lti_tool.models import Key, LtiDeployment, LtiRegistration

from tests.lti.platform import INSTRUCTOR, LEARNER, Platform

TOOL = "http://testserver"


@dataclass
class Registered:
    """The platform, its registration with us, and a way to launch through it."""

    platform: Platform
    registration: LtiRegistration
    deployment: LtiDeployment

    @property
    def login_path(self) -> str:
        return reverse("lti:login", kwargs={"registration_uuid": self.registration.uuid})

    def auth_request(self, client: Client, sub: str, **kwargs) -> str:
        """Run the login initiation as a browser would; return the platform's auth URL."""
        response = client.get(self.login_path, self.platform.login_params(sub, **kwargs))
        assert response.status_code == 302, response.content[:300]
        if response["Location"].startswith(self.login_path):
            # A browser's first time: the cookie check sends it back with the same parameters.
            response = client.get(response["Location"])
            assert response.status_code == 302, response.content[:300]
        assert response["Location"].startswith(self.platform.auth_url)
        return response["Location"]

    def launch(self, client: Client, sub: str, *, token: dict | None = None, **kwargs):
        """Log in and launch `sub`; `token` passes claims, sign_with or expires_in on."""
        action, fields = self.platform.authorize(
            self.auth_request(client, sub, **kwargs), **(token or {})
        )
        assert action == TOOL + reverse("lti:launch")
        return client.post(reverse("lti:launch"), fields)


@pytest.fixture
def registered(live_server):
    """A platform on 127.0.0.1 with a course, a teacher and two students, registered with us.

    The platform reaches our key set over real HTTP (the live server); the browser's side of
    the launch goes through Django's test client, as `TOOL`.
    """
    Key.objects.generate()
    with Platform() as platform:
        registration = LtiRegistration.objects.create(
            name="Simulated LMS",
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_url=platform.auth_url,
            token_url=platform.token_url,
            keyset_url=platform.keyset_url,
        )
        deployment = LtiDeployment.objects.create(
            registration=registration, deployment_id=platform.deployment_id, is_active=True
        )
        platform.tool(
            login_url=TOOL + reverse("lti:login", kwargs={"registration_uuid": registration.uuid}),
            launch_url=TOOL + reverse("lti:launch"),
            jwks_url=live_server.url + reverse("lti:jwks"),
        )
        platform.course("course-1", "Year 9 Media Literacy", "MEDIA9")
        platform.person(
            "teacher-1", "Rosa Diaz", [INSTRUCTOR], given_name="Rosa", family_name="Diaz"
        )
        platform.person("student-1", "Amir Khan", [LEARNER], given_name="Amir", family_name="Khan")
        platform.person("student-2", "Bea Lund", [LEARNER], given_name="Bea", family_name="Lund")
        yield Registered(platform=platform, registration=registration, deployment=deployment)
