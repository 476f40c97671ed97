"""Annotating a long article keeps the teacher's place: a teacher far down the text selects a
statement, sets its kind and sourcing with the keyboard, saves with Enter, and is still where
they were, with the next sentence that has no annotation offered and one key away."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Annotation, Article
from tests.browser.conftest import DEMO_PASSWORD, Journey
from tests.browser.test_teacher_journey import drag_select

pytestmark = pytest.mark.django_db(transaction=True)

FILLER = (
    "Paragraph {n} of the council report: members met on Tuesday to go through the budget. "
    "They asked the treasurer for more time, and the meeting ran late into the evening."
)
STATEMENT = "The bridge will reopen in May"
TARGET = (
    "“The bridge will reopen in May,” Mayor Ana Ruiz said on Monday. "
    "Her deputy, Mr. Tom Lee, told reporters the U.S. engineers disagreed. "
    "Residents say the detour has doubled their journey to school."
)
NEXT = "Her deputy, Mr. Tom Lee, told reporters the U.S. engineers disagreed."
AFTER_NEXT = "Residents say the detour has doubled their journey to school."


def long_article(owner) -> Article:
    """An article long enough to scroll, with the statement to annotate near its end."""
    paragraphs = [FILLER.format(n=n) for n in range(1, 25)]
    paragraphs.insert(20, TARGET)
    return Article.objects.create(
        title="Bridge to reopen in May, mayor says",
        slug="bridge-to-reopen-in-may",
        body="\n\n".join(paragraphs),
        owner=owner,
    )


def test_saving_an_annotation_with_the_keyboard_keeps_the_place_and_offers_the_next_sentence(
    browser, live_server, demo_site
):
    article = long_article(get_user_model().objects.get(username="demo-teacher"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(context.new_page(), live_server)
    page = teacher.page
    teacher.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-teacher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()
    teacher.goto(reverse("admin:articles_article_change", args=[article.pk]))
    expect(page.locator("#annotate-keys-shortcuts")).to_contain_text(
        "C F O kind · 1–5 sourcing · Enter save · N next sentence"
    )

    # Far down the text, select a statement and describe it with keys alone.
    drag_select(page, "#annotate-text", STATEMENT)
    expect(page.locator("#id_annotation-quote")).to_have_value(STATEMENT)
    page.keyboard.press("Control+c")  # copying is not choosing a kind
    expect(page.locator("#id_annotation-kind_0")).not_to_be_checked()
    page.keyboard.press("c")
    page.keyboard.press("1")
    expect(page.locator("#id_annotation-kind_0")).to_be_checked()  # claim
    expect(page.locator("#id_annotation-sourcing_0")).to_be_checked()  # named person
    page.keyboard.press("f")
    page.keyboard.press("3")
    expect(page.locator("#id_annotation-kind_1")).to_be_checked()  # reported fact
    expect(page.locator("#id_annotation-sourcing_2")).to_be_checked()  # unnamed source
    expect(page.locator("#annotation-selection")).to_contain_text("Unnamed source")
    page.keyboard.press("o")
    page.keyboard.press("5")
    page.keyboard.press("c")
    page.keyboard.press("1")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 1000, f"the statement should be far down the page, not at {scrolled}"

    page.keyboard.press("Enter")
    expect(page.locator("#annotation-status")).to_contain_text("Annotation saved")
    annotation = Annotation.objects.get(article=article)
    assert (annotation.exact, annotation.kind, annotation.sourcing) == (
        STATEMENT,
        Annotation.Kind.CLAIM,
        Annotation.Sourcing.NAMED_PERSON,
    )
    highlight = page.locator(f'#annotate-text mark.hl[data-annotations~="a{annotation.pk}"]')
    expect(highlight).to_be_in_viewport()
    page.wait_for_timeout(200)  # anything that would move the page has run by now
    assert abs(page.evaluate("window.scrollY") - scrolled) <= 5

    # The next sentence without an annotation is offered, and N selects it, then the next.
    expect(page.locator("#next-sentence")).to_contain_text(NEXT)
    teacher.check_accessibility("annotation editor after saving")
    page.keyboard.press("n")
    expect(page.locator("#id_annotation-quote")).to_have_value(NEXT)
    assert page.evaluate("window.getSelection().toString()") == NEXT
    page.keyboard.press("n")
    expect(page.locator("#id_annotation-quote")).to_have_value(AFTER_NEXT)

    # Typing in a field is typing, not a shortcut; Enter saves the next one the same way.
    page.locator("#id_annotation-explanation").fill("")
    page.locator("#id_annotation-explanation").type("Commuters 1 Fact")
    expect(page.locator("#id_annotation-explanation")).to_have_value("Commuters 1 Fact")
    expect(page.locator("#id_annotation-kind_0")).not_to_be_checked()
    page.locator("#annotate-text").focus()
    page.keyboard.press("o")
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    expect(page.locator("#annotation-status")).to_contain_text("Annotation saved: “Residents say")
    saved = Annotation.objects.get(article=article, exact=AFTER_NEXT)
    assert (saved.kind, saved.sourcing, saved.explanation) == (
        Annotation.Kind.OPINION,
        Annotation.Sourcing.VAGUE,
        "Commuters 1 Fact",
    )
    teacher.assert_clean()
    context.close()
