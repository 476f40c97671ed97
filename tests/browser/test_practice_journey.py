"""Booster practice in a real browser: the demo assignment closes, two days pass, the practice
sets are made, a student finds theirs on the home page and answers it with htmx, sees how their
skills went, and the teacher's practice page counts it finished and charts it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from quiz import selectors, services
from quiz.management.commands.demo import DEMO_QUIZ, DEMO_STUDENTS
from quiz.models import Booster
from tests.browser.conftest import DEMO_PASSWORD, Journey

pytestmark = pytest.mark.django_db(transaction=True)


def logged_in(browser, live_server, username: str, *, heading: str) -> Journey:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    journey = Journey(context.new_page(), live_server)
    journey.page.set_default_timeout(15_000)
    page = journey.page
    journey.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    return journey


def answer_right(page, question) -> None:
    """Pick the question's right answer; an evidence question's from the phrases offered."""
    right = question.choices.get(is_correct=True).text
    if question.is_evidence:
        page.get_by_role("button", name=re.compile("show me phrases")).click()
    page.get_by_label(right, exact=True).check()
    page.get_by_role("button", name="Check my answer").click()


def test_a_student_finishes_a_booster_and_the_teacher_sees_it(browser, live_server, demo_site):
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    student = demo_site.students.get(username=DEMO_STUDENTS[0])
    attempt = services.attempt_start(assignment=assignment, student=student)
    services.attempt_finish(attempt=attempt)
    services.assignment_close(assignment=assignment)

    with time_machine.travel(timezone.now() + timedelta(days=2, hours=1), tick=True):
        assert services.boosters_create_due() >= 1
        booster = Booster.objects.get(student=student, assignment=assignment)
        items = selectors.booster_items(booster=booster)
        assert items

        learner = logged_in(browser, live_server, student.username, heading="My classes")
        page = learner.page
        start = page.locator(f'a[href="/practice/{booster.pk}/"]')
        expect(start.locator("xpath=ancestor::li")).to_contain_text(
            re.compile(rf"{len(items)} questions?, about \d+ minutes?")
        )
        learner.check_accessibility("home with practice due")
        learner.screenshot("student-practice-due", full_page=False)
        start.click()
        expect(page.locator("#practice-banner")).to_be_visible()
        learner.check_accessibility("a practice question")
        page.evaluate("window.__sameDocument = true")

        for number, item in enumerate(items, start=1):
            expect(page.locator("#question-prompt")).to_have_text(item.question.prompt)
            expect(page.locator("#progress-bar")).to_have_attribute("value", str(number - 1))
            answer_right(page, item.question)
            feedback = page.locator("#feedback")
            expect(feedback).to_contain_text("Correct")
            expect(page.locator("#progress-bar")).to_have_attribute("value", str(number))
            if number == 1:
                learner.check_accessibility("practice feedback")
            if number < len(items):
                page.get_by_role("link", name="Next question").click()
        # Every answer swapped the card in place: the page never reloaded.
        assert page.evaluate("window.__sameDocument") is True

        page.get_by_role("button", name="Finish and see my results").click()
        expect(page.get_by_role("heading", name="Practice done")).to_be_visible()
        expect(page.locator(".big-score")).to_have_text(f"{len(items)} out of {len(items)} right")
        trend = page.get_by_role("region", name=re.compile("Share right on each skill"))
        expect(trend).to_contain_text("Booster 1")
        expect(page.locator("svg.bar-chart")).to_be_visible()
        learner.check_accessibility("practice done")
        booster.refresh_from_db()
        assert booster.is_finished
        learner.goto("/classes/")
        expect(page.locator(f'a[href="/practice/{booster.pk}/"]')).to_have_count(0)
        learner.assert_clean()

        teacher = logged_in(browser, live_server, "demo-teacher", heading="Teaching")
        teacher.goto(f"/teach/classes/{demo_site.pk}/")
        teacher.page.get_by_role("link", name="Practice", exact=True).click()
        due = Booster.objects.filter(assignment__classroom=demo_site, due_at__lte=timezone.now())
        finished = due.filter(finished_at__isnull=False).count()
        expect(teacher.page.locator("#practice-completion")).to_have_text(
            re.compile(rf"^{finished} of {due.count()} practice sets? due finished$")
        )
        expect(teacher.page.locator("svg.bar-chart").first).to_be_visible()
        expect(
            teacher.page.get_by_role("region", name=re.compile("each practice set"))
        ).to_contain_text("Booster 1")
        teacher.check_accessibility("teacher's practice page")
        teacher.screenshot("teacher-practice")
        teacher.assert_clean()
