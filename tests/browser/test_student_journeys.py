"""A student's journeys through the demo quiz: mouse with htmx, no JavaScript, keyboard only,
and a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Attempt, Question
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def demo_questions(classroom) -> list[Question]:
    assignment = classroom.assignments.get(quiz__title=DEMO_QUIZ)
    return [item.question for item in assignment.quiz.items.order_by("position")]


def right_choice_text(question: Question) -> str:
    return question.choices.get(is_correct=True).text


def sign_up(journey, classroom, username: str) -> None:
    journey.goto("/join/")
    journey.check_accessibility("join")
    page = journey.page
    page.get_by_label("Class code").fill(classroom.join_code)
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Choose a username").fill(username)
    page.get_by_label("Choose a password").fill("reading-news-2026")
    page.get_by_label("Type the password again").fill("reading-news-2026")
    page.get_by_role("button", name="Create my account and join").click()
    expect(page.get_by_role("heading", name=classroom.name)).to_be_visible()


def log_in(journey, username: str) -> None:
    journey.goto("/accounts/login/")
    page = journey.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()


def open_assignment(journey, classroom) -> None:
    page = journey.page
    journey.goto(classroom.get_absolute_url())
    journey.check_accessibility("class")
    page.get_by_role("link", name="Who said it? Putin and the Trump contacts").click()
    journey.check_accessibility("assignment")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#question-prompt")).to_be_visible()


def select_words_with_mouse(page, words: str) -> None:
    """Drag the mouse across the first occurrence of words in the article."""
    page.locator(".article-body p", has_text=words).first.scroll_into_view_if_needed()
    page.wait_for_timeout(100)  # let the scroll settle before measuring
    box = page.evaluate(
        """(words) => {
            const body = document.querySelector('.article-body');
            const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode())) {
                const at = node.data.indexOf(words);
                if (at === -1) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + words.length);
                const rects = range.getClientRects();
                const first = rects[0], last = rects[rects.length - 1];
                return {x1: first.left + 1, y1: first.top + first.height / 2,
                        x2: last.right - 1, y2: last.top + last.height / 2};
            }
            return null;
        }""",
        words,
    )
    assert box, f"{words!r} is not in the article"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def progress_value(page) -> int:
    return int(page.locator("#progress-bar").get_attribute("value"))


def test_new_student_signs_up_and_takes_the_quiz_with_the_mouse(journey, demo_site):
    page = journey.page
    sign_up(journey, demo_site, "robin-mouse")
    open_assignment(journey, demo_site)
    journey.check_accessibility("first question")
    page.evaluate("window.__sameDocument = true")
    questions = demo_questions(demo_site)

    for number, question in enumerate(questions, start=1):
        expect(page.locator("#progress-bar")).to_have_attribute("value", str(number - 1))
        expect(page.locator("#question-prompt")).to_have_text(question.prompt)
        if question.kind == Question.Kind.EVIDENCE:
            select_words_with_mouse(page, question.answer_exact)
            expect(page.locator("#choice-selection")).to_be_checked()
        else:
            page.get_by_label(right_choice_text(question), exact=True).check()
        page.get_by_role("button", name="Check my answer").click()

        feedback = page.locator("#feedback")
        expect(feedback).to_be_visible()
        expect(feedback).to_contain_text("Correct")
        expect(feedback).to_be_focused()
        assert progress_value(page) == number
        if question.answer_exact:
            expect(page.locator(".article-body mark.hl-source").first).to_be_visible()
        if number == 4:
            page.set_viewport_size({"width": 1280, "height": 900})
            expect(page.locator(".article-body mark.hl-source")).to_be_in_viewport()
            journey.screenshot("student-feedback-evidence", full_page=False)
            journey.check_accessibility("feedback")
        if number < len(questions):
            page.get_by_role("link", name="Next question").click()

    assert page.evaluate("window.__sameDocument") is True, "answering reloaded the page"
    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.get_by_role("heading", name="Your results")).to_be_visible()
    expect(page.locator(".big-score")).to_have_text(f"{len(questions)} out of {len(questions)}")
    for skill in ("Attribution", "Claims vs facts", "Sourcing"):
        expect(page.get_by_role("rowheader", name=skill)).to_be_visible()
    journey.check_accessibility("results")
    journey.screenshot("student-results")
    attempt = Attempt.objects.get(student__username="robin-mouse")
    assert attempt.score == len(questions) and attempt.submitted_at is not None


def test_the_same_quiz_works_without_javascript(browser, live_server, demo_site):
    from tests.browser.conftest import Journey

    context = browser.new_context(java_script_enabled=False)
    journey = Journey(context.new_page(), live_server, browser=browser)
    page = journey.page
    log_in(journey, "demo-student-2")
    open_assignment(journey, demo_site)
    questions = demo_questions(demo_site)

    for number, question in enumerate(questions, start=1):
        expect(page.locator("#question-prompt")).to_have_text(question.prompt)
        page.get_by_label(right_choice_text(question), exact=True).check()
        page.get_by_role("button", name="Check my answer").click()
        expect(page.locator("#feedback")).to_contain_text("Correct")
        expect(page.locator("#progress-bar")).to_have_attribute("value", str(number))
        if number < len(questions):
            page.get_by_role("link", name="Next question").click()

    page.get_by_role("button", name="Finish and see my results").click()
    expect(page.locator(".big-score")).to_have_text(f"{len(questions)} out of {len(questions)}")
    journey.assert_clean()
    context.close()
    attempt = Attempt.objects.get(
        student__username="demo-student-2", assignment__quiz__title=DEMO_QUIZ
    )
    assert attempt.score == len(questions)


def tab_to(page, matches: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches the JS predicate `matches(el)`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {matches}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {matches}")


def test_keyboard_only_student_completes_the_quiz(journey, demo_site):
    page = journey.page
    log_in(journey, "demo-student-3")
    journey.goto(demo_site.get_absolute_url())
    tab_to(page, "el.tagName === 'A' && el.textContent.includes('Who said it?')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Start'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    questions = demo_questions(demo_site)

    for number, question in enumerate(questions, start=1):
        expect(page.locator("#question-prompt")).to_have_text(question.prompt)
        target = right_choice_text(question)
        if question.kind == Question.Kind.EVIDENCE:
            # Without a mouse the phrases are the way to answer: the student asks for them.
            tab_to(page, "el.classList.contains('phrase-toggle')")
            page.keyboard.press("Enter")
            expect(page.locator(".phrase-toggle")).to_have_attribute("aria-expanded", "true")
        tab_to(page, "el.name === 'choice' && el.type === 'radio' && el.value !== ''")
        for _ in range(8):
            label = page.evaluate(
                "document.querySelector(`label[for='${document.activeElement.id}']`).textContent"
            )
            if label.strip() == target:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Space")
        tab_to(page, "el.type === 'submit'")
        page.keyboard.press("Enter")
        expect(page.locator("#feedback")).to_be_focused()
        expect(page.locator("#feedback")).to_contain_text("Correct")
        expect(page.locator("#progress-bar")).to_have_attribute("value", str(number))
        if number < len(questions):
            tab_to(page, "el.textContent.trim() === 'Next question'")
            page.keyboard.press("Enter")
            following = questions[number].pk
            expect(page).to_have_url(re.compile(rf"/questions/{following}/$"))
            expect(page).to_have_title(re.compile(rf"^Question {number + 1} of "))

    tab_to(page, "el.textContent.trim() === 'Finish and see my results'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".big-score")).to_have_text(f"{len(questions)} out of {len(questions)}")


def test_phone_width_shows_question_and_article_without_sideways_scrolling(
    browser, live_server, demo_site
):
    from tests.browser.conftest import Journey

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    journey = Journey(context.new_page(), live_server)
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)

    for selector in (".question-card", ".article-pane"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    journey.check_accessibility("phone question")
    journey.screenshot("student-question-phone")
    journey.assert_clean()
    context.close()


def test_pages_visited_are_all_served_from_our_origin(journey, demo_site):
    log_in(journey, "demo-student-1")
    journey.goto("/classes/")
    journey.check_accessibility("my classes")
    assert all(
        re.match(r"^(https?://(localhost|127\.0\.0\.1)|data:)", url) for url in journey.requests
    )


def test_a_failed_answer_says_so_and_the_student_can_try_again(journey, demo_site):
    page = journey.page
    log_in(journey, "demo-student-1")
    open_assignment(journey, demo_site)
    question = demo_questions(demo_site)[0]
    page.get_by_label(right_choice_text(question), exact=True).check()
    alert = page.locator("#request-error")
    expect(alert).to_be_hidden()

    page.route("**/answer/", lambda route: route.fulfill(status=500, body="Server Error"))
    page.get_by_role("button", name="Check my answer").click()
    expect(alert).to_be_visible()
    expect(alert).to_have_text(re.compile("the server had a problem"))
    expect(page.locator("#feedback")).to_have_count(0)
    journey.check_accessibility("answer failed")

    page.unroute("**/answer/")
    page.route("**/answer/", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Check my answer").click()
    expect(alert).to_have_text(re.compile("could not be reached"))
    expect(page.locator("#feedback")).to_have_count(0)
    assert not Attempt.objects.get(
        student__username="demo-student-1", assignment__quiz__title=DEMO_QUIZ
    ).responses.exists()

    page.unroute("**/answer/")
    expect(page.get_by_role("button", name="Check my answer")).to_be_enabled()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator("#feedback")).to_contain_text("Correct")
    expect(alert).to_be_hidden()
    assert (
        Attempt.objects.get(
            student__username="demo-student-1", assignment__quiz__title=DEMO_QUIZ
        ).responses.count()
        == 1
    )
    # The two failures were recorded by the journey; they were this test's own doing.
    assert len(journey.failures) == 2, journey.failures
    journey.failures.clear()
