"""The teacher's everyday pages in a real browser: adding a student by hand, sharing a quiz with
a colleague, choosing a time zone. Each passes axe and works as a teacher expects."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import Preferences
from accounts.roles import TEACHERS_GROUP
from quiz.models import Quiz
from tests.browser.conftest import DEMO_PASSWORD, Journey
from tests.factories import TeacherFactory

pytestmark = pytest.mark.django_db(transaction=True)


def teacher_journey(browser, live_server) -> Journey:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    journey = Journey(context.new_page(), live_server)
    page = journey.page
    journey.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-teacher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()
    return journey


def test_a_teacher_adds_a_student_shares_a_quiz_and_sets_the_time_zone(
    browser, live_server, demo_site
):
    colleague = TeacherFactory(first_name="Sam", last_name="Colleague")
    colleague.groups.add(Group.objects.get(name=TEACHERS_GROUP))
    journey = teacher_journey(browser, live_server)
    page = journey.page

    # Add one student by hand: the login card is shown once.
    journey.goto(f"/teach/classes/{demo_site.pk}/roster/")
    journey.check_accessibility("roster with the add form")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_role("button", name=re.compile("Add")).click()
    expect(page.get_by_text("Noor Haddad").first).to_be_visible()
    journey.check_accessibility("login card of the added student")
    assert demo_site.students.filter(first_name="Noor", last_name="Haddad").exists()

    # Share a quiz with a colleague, who gets a copy of their own.
    quiz = Quiz.objects.get(owner__username="demo-teacher", title__startswith="Who said it?")
    journey.goto(f"/teach/quizzes/{quiz.pk}/share/")
    journey.check_accessibility("share a quiz")
    page.get_by_role("combobox").select_option(str(colleague.pk))
    page.get_by_role("button", name=re.compile("Share")).click()
    expect(page.get_by_text(re.compile("now has a copy"))).to_be_visible()
    journey.check_accessibility("sharing page")
    assert Quiz.objects.filter(owner=colleague, title=quiz.title).exists()

    # The time zone: the dashboard says which, and the teacher changes it.
    journey.goto("/teach/time-zone/")
    journey.check_accessibility("time zone")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Dates and times are now shown in Europe/Paris.")).to_be_visible()
    expect(page.get_by_text("Dates and times are in Europe/Paris.")).to_be_visible()
    assert Preferences.objects.get(user__username="demo-teacher").time_zone == "Europe/Paris"
    journey.assert_clean()
    page.context.close()
