"""The question stage in a real browser: evidence questions with and without JavaScript, the
student's selection told apart from the statement, and the whole quiz on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Attempt, Question
from tests.browser.conftest import Journey
from tests.browser.test_student_journeys import (
    demo_questions,
    log_in,
    open_assignment,
    right_choice_text,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


def first_evidence_question(classroom) -> tuple[int, Question]:
    """The demo quiz's first evidence question and its number in the quiz."""
    return next(
        (number, question)
        for number, question in enumerate(demo_questions(classroom), start=1)
        if question.kind == Question.Kind.EVIDENCE
    )


def go_to_question(journey, username: str, question: Question) -> None:
    attempt = Attempt.objects.get(student__username=username, assignment__quiz__title=DEMO_QUIZ)
    journey.goto(reverse("quiz:question", args=[attempt.pk, question.pk]))
    expect(journey.page.locator("#question-prompt")).to_have_text(question.prompt)


def select_words(page, words: str, *, occurrence: int = 0) -> None:
    """Select words in the article as a reader does: bring them into view, then drag.

    On a phone the question is a panel on top of the page: the words are scrolled to just
    below it, where a reader would scroll them before selecting.
    """
    box = page.evaluate(
        """([words, occurrence]) => {
            const body = document.querySelector('.article-body');
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node, seen = 0;
            while ((node = walker.nextNode())) {
                let at = -1;
                while ((at = node.data.indexOf(words, at + 1)) !== -1) {
                    if (seen++ < occurrence) continue;
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    const card = document.getElementById('question-card').getBoundingClientRect();
                    const first = range.getClientRects()[0];
                    const beside = first.left >= card.right;
                    const top = beside ? window.innerHeight / 3 : card.height + 40;
                    window.scrollBy(0, first.top - top);
                    const rects = range.getClientRects();
                    const a = rects[0], b = rects[rects.length - 1];
                    return {x1: a.left + 1, y1: a.top + a.height / 2,
                            x2: b.right - 1, y2: b.top + b.height / 2};
                }
            }
            return null;
        }""",
        [words, occurrence],
    )
    assert box, f"{words!r} is not in the article"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def in_view_below_the_question(page, selector: str) -> bool:
    """The element is on screen, and not under the question card drawn on top of it."""
    return page.evaluate(
        """(selector) => {
            const element = document.querySelector(selector);
            if (!element) return false;
            const rect = element.getBoundingClientRect();
            const card = document.getElementById('question-card').getBoundingClientRect();
            const covered = rect.left < card.right && rect.right > card.left
                && rect.top < card.bottom;
            return !covered && rect.top >= 0 && rect.bottom <= window.innerHeight;
        }""",
        selector,
    )


def test_without_javascript_an_evidence_question_offers_only_phrases(
    browser, live_server, demo_site
):
    context = browser.new_context(java_script_enabled=False)
    journey = Journey(context.new_page(), live_server, browser=browser)
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)
    _number, question = first_evidence_question(demo_site)
    go_to_question(journey, "demo-student-1", question)

    expect(page.locator(".selection-choice")).to_be_hidden()
    expect(page.get_by_text("My selection")).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("can’t select text"))).to_be_hidden()
    phrases = page.locator("#phrase-choices input[type=radio]")
    assert phrases.count() == question.choices.count()
    for index in range(phrases.count()):
        expect(phrases.nth(index)).to_be_visible()
    journey.check_accessibility("evidence question without JavaScript")

    page.get_by_label(right_choice_text(question), exact=True).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback")).to_contain_text("Correct")
    journey.assert_clean()
    context.close()


def test_with_javascript_the_student_selects_and_phrases_come_only_on_request(journey, demo_site):
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)
    _number, question = first_evidence_question(demo_site)
    go_to_question(journey, "demo-student-1", question)

    phrases = page.locator("#phrase-choices input[type=radio]")
    expect(phrases.first).to_be_hidden()
    toggle = page.get_by_role("button", name="I can’t select text: show me phrases to pick from")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    journey.check_accessibility("evidence question, phrases folded")

    # Nothing selected yet: the server says what to do, and nothing is stored.
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#question-card .message.error")).to_have_text(
        "Select some words in the article first."
    )
    assert not Attempt.objects.get(
        student__username="demo-student-1", assignment__quiz__title=DEMO_QUIZ
    ).responses.exists()

    toggle = page.get_by_role("button", name="I can’t select text: show me phrases to pick from")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phrases.first).to_be_visible()
    toggle.click()
    expect(phrases.first).to_be_hidden()

    select_words(page, question.answer_exact)
    expect(page.locator("#choice-selection")).to_be_checked()
    expect(page.locator(".selection-text")).to_have_text(question.answer_exact)
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback")).to_contain_text("Correct")


def test_a_wrong_selection_is_drawn_apart_from_the_statement_and_the_reason_given(
    journey, demo_site
):
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)
    _number, question = first_evidence_question(demo_site)
    go_to_question(journey, "demo-student-1", question)
    wrong = "NBC journalist Keir Simmons"

    select_words(page, wrong)
    page.get_by_role("button", name="Check my answer").click()

    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("Not quite")
    expect(feedback).to_contain_text(f"You selected: “{wrong}”")
    expect(feedback).to_contain_text("Those words do not say who this statement comes from.")
    expect(feedback.locator(".evidence-key")).to_contain_text("your selection")
    look = page.evaluate(
        """() => {
            const style = (selector) => {
                const s = getComputedStyle(document.querySelector(selector));
                return {background: s.backgroundColor, image: s.backgroundImage,
                        outline: s.outlineStyle};
            };
            return {selected: style('.article-body mark.hl-selected'),
                    statement: style('.article-body mark.hl-statement')};
        }"""
    )
    # Told apart without colour: a dashed outline and a pattern the statement does not have.
    assert look["selected"]["outline"] == "dashed"
    assert look["selected"]["image"].startswith("repeating-linear-gradient")
    assert look["statement"]["outline"] != "dashed" and look["statement"]["image"] == "none"
    assert look["selected"]["background"] != look["statement"]["background"]
    # The right words are pointed at, and in view.
    expect(page.locator(".article-body mark.hl-source").first).to_be_in_viewport()
    journey.check_accessibility("wrong selection feedback")


def test_on_a_phone_every_question_is_answered_with_its_evidence_in_view(
    browser, live_server, demo_site
):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    journey = Journey(context.new_page(), live_server)
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)
    questions = demo_questions(demo_site)

    for number, question in enumerate(questions, start=1):
        expect(page.locator("#question-prompt")).to_have_text(question.prompt)
        if question.kind == Question.Kind.EVIDENCE:
            select_words(page, question.answer_exact)
            expect(page.locator("#choice-selection")).to_be_checked()
        else:
            # Shown whole: no choice and no button hidden in a panel that must be scrolled
            # (waited for: htmx keeps the old card's classes until the new one settles).
            page.wait_for_function(
                """() => {
                    const card = document.getElementById('question-card');
                    return card.scrollHeight <= card.clientHeight + 1;
                }"""
            )
            page.get_by_label(right_choice_text(question), exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        feedback = page.locator("#feedback")
        expect(feedback).to_contain_text("Correct")
        expect(feedback).to_be_in_viewport()
        evidence = (
            ".article-body mark.hl-source"
            if question.answer_exact
            else ".article-body mark.hl-statement"
        )
        if page.locator(evidence).count():
            page.wait_for_function(
                """(selector) => {
                    const rect = document.querySelector(selector).getBoundingClientRect();
                    const card = document.getElementById('question-card').getBoundingClientRect();
                    return rect.top >= card.bottom && rect.bottom <= window.innerHeight;
                }""",
                arg=evidence,
            )
            assert in_view_below_the_question(page, evidence), f"question {number}"
        if number == 4:
            journey.screenshot("student-feedback-phone", full_page=False)
            journey.check_accessibility("phone feedback")
        if number < len(questions):
            page.get_by_role("link", name="Next question").click()
            # The next question starts at the top of the page, once htmx has settled it.
            page.wait_for_function("() => window.scrollY === 0")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.locator(".big-score")).to_have_text(f"{len(questions)} out of {len(questions)}")
    journey.assert_clean()
    context.close()
