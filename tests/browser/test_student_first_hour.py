"""A student's first hour in a real browser: from the login page to a class, and what the
results page offers next, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Attempt
from quiz.services import attempt_finish, attempt_start
from tests.browser.conftest import DEMO_PASSWORD, Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_student_finds_the_sign_up_from_the_login_page(journey, demo_site):
    page = journey.page
    journey.goto("/accounts/login/")
    expect(page.get_by_text("ask your teacher to reset it")).to_be_visible()
    journey.check_accessibility("login")

    page.get_by_role("link", name="Join a class with a code").click()

    expect(page.get_by_role("heading", name="Join a class")).to_be_visible()
    page.get_by_label("Class code").fill(demo_site.join_code)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Choose a username").fill("sam-first-hour")
    page.get_by_label("Choose a password").fill("reading-news-2026")
    page.get_by_label("Type the password again").fill("reading-news-2026")
    page.get_by_role("button", name="Create my account and join").click()
    expect(page.get_by_role("heading", name=demo_site.name)).to_be_visible()


def test_after_the_quiz_the_results_page_leads_on_without_javascript(
    browser, live_server, demo_site
):
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    student = demo_site.students.get(username="demo-student-1")
    first = attempt_finish(attempt=attempt_start(assignment=assignment, student=student))
    context = browser.new_context(java_script_enabled=False)
    journey = Journey(context.new_page(), live_server, browser=browser)
    page = journey.page
    journey.goto("/accounts/login/")
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()

    journey.goto(f"/attempts/{first.pk}/results/")
    expect(page.get_by_role("heading", name="What next")).to_be_visible()
    expect(page.get_by_text("You have 1 attempt left.")).to_be_visible()
    journey.check_accessibility("results, what next")
    page.get_by_role("link", name="Review each question").click()
    expect(page.get_by_role("heading", name="Review")).to_be_visible()
    page.get_by_role("link", name=f"Back to {demo_site.name}").click()
    expect(page.get_by_role("heading", name=demo_site.name)).to_be_visible()
    # Her first assignment, weeks ago, was handed in too: both say so.
    expect(page.get_by_text("Handed in")).to_have_count(2)
    journey.check_accessibility("class, with the counted score")

    journey.goto(f"/attempts/{first.pk}/results/")
    page.get_by_role("button", name="Try again").click()
    expect(page.locator("#question-prompt")).to_be_visible()
    journey.assert_clean()
    context.close()
    assert Attempt.objects.filter(assignment=assignment, student=student).count() == 2
