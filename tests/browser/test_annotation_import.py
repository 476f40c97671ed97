"""A teacher brings a Hypothesis export of the demo article in from the annotation editor: its
highlights wait as proposals to review; a file about another page is refused, naming the item,
and nothing is saved."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from articles.demo_content.putin import ARTICLE as PUTIN_ARTICLE
from articles.models import AnnotationProposal, Article
from articles.w3c.vocabulary import article_identifier
from tests.articles.test_w3c_import import hypothesis_annotation
from tests.browser.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def hypothesis_file(path, article: Article, *, source: str) -> str:
    comment = hypothesis_annotation(
        article.body, "demo-1", "Moscow", text="Whose word is this: the outlet's or a source's?"
    )
    # Words no annotation of the demo covers exactly (a span annotated already is not proposed).
    opening = " ".join(article.body.split()[:5])
    tagged = hypothesis_annotation(article.body, "demo-2", opening, tags=["claim"])
    for item in (comment, tagged):
        item["target"][0]["source"] = source
    path.write_text(json.dumps({"type": "AnnotationPage", "items": [comment, tagged]}))
    return str(path)


def test_a_hypothesis_export_comes_in_as_proposals_and_another_pages_is_refused(
    browser, live_server, demo_site, tmp_path
):
    article = Article.objects.get(slug=PUTIN_ARTICLE.slug)
    assert article.owner == get_user_model().objects.get(username="demo-teacher")
    assert not article.proposals.exists()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    teacher = Journey(context.new_page(), live_server)
    page = teacher.page
    teacher.log_in("demo-teacher")

    teacher.goto(reverse("admin:articles_article_annotations", args=[article.pk]))
    page.locator("#import-annotations").click()
    expect(page.get_by_role("heading", name="Import annotations")).to_be_visible()
    teacher.check_accessibility("import annotations")

    # A file about another page: refused, naming the item, and nothing saved.
    elsewhere = hypothesis_file(
        tmp_path / "elsewhere.jsonld", article, source="https://elsewhere.example/story"
    )
    page.get_by_label("Annotation file").set_input_files(elsewhere)
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".errornote")).to_contain_text("hypothes.is/a/demo-1")
    teacher.check_accessibility("import annotations, refused")
    assert not AnnotationProposal.objects.filter(article=article).exists()

    # The article's own Hypothesis export: two proposals wait in the editor.
    own = hypothesis_file(
        tmp_path / "hypothesis.jsonld", article, source=article_identifier(article)
    )
    page.get_by_label("Annotation file").set_input_files(own)
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(lambda url: "/annotations/import/" not in url)
    expect(page.get_by_text("0 annotations added; 2 proposals to review.")).to_be_visible()
    expect(page.locator("#proposals").get_by_role("heading")).to_have_text(
        "Proposed annotations (2)"
    )
    expect(page.locator("#proposals")).to_contain_text("Whose word is this")
    expect(page.locator("#annotate-text mark.hl-proposal")).to_have_count(2)
    teacher.check_accessibility("annotation editor with imported proposals")
    assert article.proposals.filter(status="pending").count() == 2
    teacher.assert_clean()
    context.close()
