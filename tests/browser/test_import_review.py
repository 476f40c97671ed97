"""A teacher imports a saved news page, reviews its text and drops a photo caption with one
click; Undo puts it back. Both states pass axe."""

from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import DEMO_PASSWORD, Journey

CAPTION = "Engineers inspect the central arch of the Old Mill bridge"
ARTICLE_TEXT = (
    "The Old Mill bridge will reopen to traffic in May, the mayor said on Monday.\n"
    f"{CAPTION}\n"
    "Critics argue the repairs were rushed, according to a report seen by the Gazette.\n"
    "The council said the tests had been carried out and that the piers were sound."
)


def test_teacher_drops_a_paragraph_with_one_click(browser, live_server, demo_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(context.new_page(), live_server)
    page = teacher.page
    teacher.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-teacher")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Teaching")).to_be_visible()

    teacher.goto(reverse("admin:articles_article_import"))
    page.get_by_label("Title").fill("Bridge to reopen in May")
    page.get_by_label("Or paste the article text").fill(ARTICLE_TEXT)
    page.get_by_role("button", name="Import").click()

    article = Article.objects.get(title="Bridge to reopen in May")
    expect(page).to_have_url(live_server.url + reverse("articles:review", args=[article.pk]))
    expect(page.locator(".review-paragraphs > li")).to_have_count(4)
    teacher.check_accessibility("review the text")

    page.locator(".review-paragraphs > li", has_text=CAPTION).get_by_role(
        "button", name="Drop this paragraph"
    ).click()
    expect(page.locator("#review-status")).to_contain_text(f"Paragraph dropped: “{CAPTION}”.")
    expect(page.locator(".review-paragraphs > li")).to_have_count(3)
    article.refresh_from_db()
    assert CAPTION not in article.body
    teacher.check_accessibility("review the text, a paragraph dropped")

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#review-status")).to_contain_text("Paragraph put back")
    expect(page.locator(".review-paragraphs > li")).to_have_count(4)
    article.refresh_from_db()
    assert CAPTION in article.body
    teacher.assert_clean()
