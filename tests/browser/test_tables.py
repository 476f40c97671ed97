"""Tables on a phone and on a laptop: column headings keep their words whole, and a table too
wide for the screen scrolls sideways in its own box instead of widening the page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Attempt
from tests.browser.conftest import DEMO_PASSWORD, Journey

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (375, 1280)

# Every word of every heading cell whose letters do not all stand on one line. A line may end
# after a dash ("2017–" / "2019"), so a dash ends a word.
BROKEN_HEADING_WORDS = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll("th")) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            for (const word of node.data.matchAll(/[^\\s\\u2010-\\u2015-]+[\\u2010-\\u2015-]?/g)) {
                const range = document.createRange();
                range.setStart(node, word.index);
                range.setEnd(node, word.index + word[0].length);
                const tops = [...range.getClientRects()].map((rect) => Math.round(rect.top));
                if (new Set(tops).size > 1) broken.push(word[0]);
            }
        }
    }
    return broken;
}"""


def log_in(journey: Journey, username: str, heading: str) -> None:
    journey.goto("/accounts/login/")
    page = journey.page
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def layout_faults(journey: Journey, paths: list[str]) -> list[str]:
    """Visit each page at each width; say where a heading breaks a word or the page is too wide."""
    page = journey.page
    faults = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            journey.goto(path)
            # A table folded away in <details> is laid out once opened: measure it open.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            broken = page.evaluate(BROKEN_HEADING_WORDS)
            if broken:
                faults.append(f"{path} at {width}px: headings break inside {broken}")
            page_width = page.evaluate("document.documentElement.scrollWidth")
            if page_width > width:
                faults.append(f"{path} at {width}px: the page is {page_width}px wide")
            try:
                journey.check_accessibility(f"{path} at {width}px")
            except AssertionError as failure:
                faults.append(str(failure).split("\nassert")[0])
    return faults


def test_student_tables_keep_heading_words_whole_and_fit_the_screen(
    browser, live_server, demo_site
):
    attempt = Attempt.objects.filter(
        assignment__classroom=demo_site, submitted_at__isnull=False
    ).first()
    student = attempt.student
    student.set_password(DEMO_PASSWORD)
    student.save(update_fields=["password"])
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server)
    log_in(journey, student.username, "My classes")

    faults = layout_faults(
        journey,
        [reverse("quiz:results", args=[attempt.pk]), attempt.assignment.get_absolute_url()],
    )

    assert not faults, "\n".join(faults)
    journey.assert_clean()
    context.close()


def test_teacher_tables_keep_heading_words_whole_and_fit_the_screen(
    browser, live_server, demo_site
):
    classroom = demo_site.pk
    assignment = demo_site.assignments.get(quiz__title=DEMO_QUIZ)
    attempt = Attempt.objects.filter(assignment=assignment, submitted_at__isnull=False).first()
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server)
    log_in(journey, "demo-teacher", "Teaching")

    faults = layout_faults(
        journey,
        [
            reverse("quiz:teach_dashboard"),
            reverse("quiz:teach_classroom", args=[classroom]),
            reverse("quiz:teach_roster", args=[classroom]),
            reverse("quiz:teach_student", args=[classroom, attempt.student_id]),
            reverse("quiz:teach_gradebook", args=[classroom]),
            reverse("quiz:teach_mastery", args=[classroom]),
            reverse("quiz:teach_assignment", args=[assignment.pk]),
            reverse("quiz:teach_items", args=[assignment.pk]),
            reverse("quiz:teach_progress", args=[assignment.pk]),
            reverse("quiz:teach_attempt", args=[attempt.pk]),
        ],
    )

    assert not faults, "\n".join(faults)
    journey.assert_clean()
    context.close()
