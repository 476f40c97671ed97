"""A teacher gives one student more time and an extra attempt from the student's page, without
JavaScript; the student's class page shows their own due time."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ, DEMO_STUDENTS
from quiz.models import Extension
from tests.browser.conftest import DEMO_PASSWORD, Journey

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(browser, live_server, username: str, *, heading: str) -> Journey:
    context = browser.new_context(java_script_enabled=False)
    journey = Journey(context.new_page(), live_server, browser=browser)
    page = journey.page
    journey.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    return journey


def test_a_teacher_extends_a_students_due_time_and_the_student_sees_it(
    browser, live_server, demo_site
):
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    student = demo_site.students.get(username=DEMO_STUDENTS[0])
    due = timezone.localtime(assignment.due_at + timedelta(days=2)).replace(second=0)
    teacher = logged_in(browser, live_server, "demo-teacher", heading="Teaching")
    page = teacher.page

    teacher.goto(f"/teach/classes/{demo_site.pk}/students/{student.pk}/")
    teacher.check_accessibility("student page")
    card = page.locator(f"#extension-{assignment.pk}")
    card.get_by_label("New due time").fill(due.strftime("%Y-%m-%dT%H:%M"))
    card.get_by_label("Extra attempts").fill("1")
    card.get_by_role("button", name=re.compile("^Save")).click()

    expect(page.get_by_text("Extension saved")).to_be_visible()
    expect(page.get_by_text("Extended:")).to_be_visible()
    teacher.check_accessibility("student page with an extension")
    extension = Extension.objects.get(assignment=assignment, student=student)
    assert (extension.due_at, extension.extra_attempts) == (due.replace(microsecond=0), 1)
    teacher.assert_clean()

    learner = logged_in(browser, live_server, student.username, heading="My classes")
    learner.goto(demo_site.get_absolute_url())
    expect(learner.page.get_by_text("extended for you")).to_be_visible()
    learner.check_accessibility("class page with an extension")
    learner.assert_clean()

    page.get_by_role("button", name=re.compile("^Remove the extension")).click()
    expect(page.get_by_text("Extension removed")).to_be_visible()
    assert not Extension.objects.filter(student=student).exists()
