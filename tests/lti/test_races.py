"""Launches at the same moment (PostgreSQL, real threads): one class per course, one account
per person."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from lti_tool.models import LtiContext, LtiUser

from lti.models import CourseClass
from quiz.models import Classroom
from tests.lti.platform import INSTRUCTOR
from tests.lti.test_lti import place_quiz

pytestmark = pytest.mark.django_db(transaction=True)


def launch_together(registered, launches: list[tuple[str, dict]]) -> list[int]:
    """Prepare each launch (login and the platform's answer), then post them all at once."""
    prepared = []
    for sub, kwargs in launches:
        client = Client()
        _action, fields = registered.platform.authorize(
            registered.auth_request(client, sub, **kwargs)
        )
        prepared.append((client, fields))
    barrier = threading.Barrier(len(prepared))
    statuses: list[int] = []

    def post(client, fields):
        try:
            barrier.wait()
            statuses.append(client.post(reverse("lti:launch"), fields).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in prepared]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers, so there is no race to test")


def test_two_teachers_first_launches_at_once_make_one_class(registered, postgresql):
    registered.platform.person("teacher-2", "Sam Ito", [INSTRUCTOR])
    registered.platform.resource_link("Reading the news")
    for _round in range(3):
        # Each round starts from nothing: the course, its class and the accounts are new.
        LtiContext.objects.all().delete()
        LtiUser.objects.all().delete()
        Classroom.objects.all().delete()
        get_user_model().objects.all().delete()
        statuses = launch_together(registered, [("teacher-1", {}), ("teacher-2", {})])
        assert statuses == [302, 302]
        course = CourseClass.objects.get()
        assert course.classroom.teachers.count() == 2
        assert Classroom.objects.count() == 1 and get_user_model().objects.count() == 2


def test_one_student_launching_twice_at_once_gets_one_account(registered, postgresql):
    _quiz, link = place_quiz(registered, Client())
    statuses = launch_together(
        registered,
        [
            ("student-1", {"resource_link_id": link.id}),
            ("student-1", {"resource_link_id": link.id}),
        ],
    )
    assert sorted(statuses) == [302, 302]
    assert get_user_model().objects.filter(lti_users__sub="student-1").count() == 1
    assert CourseClass.objects.get().classroom.enrollments.count() == 1
