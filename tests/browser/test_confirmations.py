"""A teacher's actions that cannot be taken back ask first, in the browser: the confirm dialog
with JavaScript, a page of its own without it. Each says what will happen."""

import re

import pytest
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Assignment, Attempt
from tests.browser.conftest import DEMO_PASSWORD, Journey
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def teacher_logs_in(browser, live_server, *, javascript: bool) -> Journey:
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
    )
    journey = Journey(context.new_page(), live_server, browser=None if javascript else browser)
    page = journey.page
    journey.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-teacher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()
    return journey


def unfinished_attempt(assignment: Assignment) -> None:
    """One classmate part-way through, so closing has something to hand in."""
    student = assignment.classroom.students.exclude(attempts__assignment=assignment).first()
    Attempt.objects.create(
        assignment=assignment,
        student=student,
        number=1,
        max_score=1,
        started_at=assignment.opens_at,
    )


def test_closing_now_asks_in_a_dialog_and_says_what_will_be_handed_in(
    browser, live_server, demo_site
):
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    unfinished_attempt(assignment)
    unfinished = assignment.attempts.filter(submitted_at__isnull=True).count()
    journey = teacher_logs_in(browser, live_server, javascript=True)
    page = journey.page
    journey.goto(f"/teach/assignments/{assignment.pk}/")
    dialogs = []

    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_role("button", name="Close now")).to_be_visible()
    page.wait_for_timeout(300)  # a post, had there been one, would have gone by now

    assert len(dialogs) == 1
    assert dialogs[0].startswith(f"Close “{assignment.quiz.title}” now?")
    assert f"{unfinished} unfinished attempt" in dialogs[0]
    assignment.refresh_from_db()
    assert assignment.closed_at is None

    # The confirm page a browser without JavaScript gets (axe needs JavaScript to check it).
    with page.expect_navigation():
        page.evaluate(
            """() => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = location.pathname + 'close/';
                const token = document.querySelector('[name=csrfmiddlewaretoken]').cloneNode();
                form.append(token);
                document.body.append(form);
                form.submit();
            }"""
        )
    expect(page.get_by_text(f"{unfinished} unfinished attempt")).to_be_visible()
    journey.check_accessibility("confirm closing")
    page.get_by_role("link", name="Cancel").click()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("Closed. No more answers are accepted")).to_be_visible()
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.closed_at is not None
    journey.check_accessibility("assignment closed")
    journey.assert_clean()
    page.context.close()


def test_without_javascript_each_action_has_a_confirm_page(browser, live_server, demo_site):
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    unfinished_attempt(assignment)
    journey = teacher_logs_in(browser, live_server, javascript=False)
    page = journey.page

    # A new password: asked first, the old one works until the teacher says yes.
    student = demo_site.students.get(username="demo-student-1")
    journey.goto(f"/teach/classes/{demo_site.pk}/roster/")
    row = page.get_by_role("row").filter(has_text="demo-student-1")
    row.get_by_role("button", name=re.compile("New password")).click()
    expect(page.get_by_role("heading", name=re.compile("a new password\\?$"))).to_be_visible()
    expect(page.get_by_text("Their current password stops working at once.")).to_be_visible()
    student.refresh_from_db()
    assert student.check_password(DEMO_PASSWORD) or student.check_password(TEST_PASSWORD)
    page.get_by_role("button", name="Set a new password").click()
    expect(page.get_by_text("Password", exact=True).first).to_be_visible()
    student.refresh_from_db()
    assert not student.check_password(DEMO_PASSWORD)

    # Removing a student: Cancel leaves them in the class.
    journey.goto(f"/teach/classes/{demo_site.pk}/roster/")
    row = page.get_by_role("row").filter(has_text="demo-student-2")
    row.get_by_role("button", name=re.compile("Remove from class")).click()
    expect(page.get_by_text("Their account and answers are kept")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    assert demo_site.students.filter(username="demo-student-2").exists()

    # Closing now: the page says how many attempts will be handed in.
    journey.goto(f"/teach/assignments/{assignment.pk}/")
    page.get_by_role("button", name="Close now").click()
    unfinished = assignment.attempts.filter(submitted_at__isnull=True).count()
    expect(
        page.get_by_text(re.compile(f"{unfinished} unfinished attempts? will be"))
    ).to_be_visible()
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("Closed. No more answers are accepted")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.closed_at is not None
    journey.assert_clean()
    page.context.close()
