"""The annotation editor keeps the teacher's place: after a save it stays where it was and
offers the next sentence that has no annotation (the browser side is in
tests/browser/test_annotation_editor.py)."""

import pytest
from django.urls import reverse

from articles.models import Annotation
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
BODY = (
    "Headline about the bridge\n\n"
    "The mayor said the bridge would reopen in May. Mr. Lee, her deputy, disagreed.\n\n"
    "“It will take until the autumn,” the U.S. engineers said. Residents are tired."
)


def panel_url(article) -> str:
    return reverse("admin:articles_article_annotations", args=[article.pk])


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def post(words: str, body: str = BODY) -> dict:
    start = body.index(words)
    return {
        "annotation-start": str(start),
        "annotation-end": str(start + len(words)),
        "annotation-quote": words,
        "annotation-kind": "claim",
        "annotation-speaker": "",
        "annotation-sourcing": "named_person",
        "annotation-explanation": "",
    }


def offered(html: str) -> str:
    """The sentence the panel offers next."""
    return html.split('id="next-sentence-text">', 1)[1].split("</q>", 1)[0]


def test_after_a_save_the_panel_offers_the_next_sentence_without_an_annotation(client, teacher):
    article = ArticleFactory(owner=teacher, body=BODY)
    AnnotationFactory(article=article, quote="Mr. Lee, her deputy")
    client.force_login(teacher)

    response = client.post(panel_url(article), post("the bridge would reopen"), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    # The rest of the saved sentence and the annotated one after it are passed over.
    assert offered(html) == "“It will take until the autumn,” the U.S. engineers said."
    assert 'id="next-sentence-select"' in html and 'aria-keyshortcuts="N"' in html


def test_a_save_leaves_focus_where_it_was_but_a_refusal_moves_it_to_the_message(client, teacher):
    article = ArticleFactory(owner=teacher, body=BODY)
    client.force_login(teacher)

    saved = client.post(panel_url(article), post("Residents are tired."), headers=HTMX)
    refused = client.post(
        panel_url(article), {**post("Residents"), "annotation-kind": ""}, headers=HTMX
    )

    saved_status = saved.content.decode().split('id="annotation-status"', 1)[1].split(">")[0]
    refused_status = refused.content.decode().split('id="annotation-status"', 1)[1].split(">")[0]
    assert "autofocus" not in saved_status
    assert refused.status_code == 400 and "autofocus" in refused_status


def test_the_offer_comes_round_to_the_top_and_ends_when_everything_is_annotated(client, teacher):
    article = ArticleFactory(owner=teacher, body=BODY)
    client.force_login(teacher)

    last = client.post(panel_url(article), post("Residents are tired."), headers=HTMX)
    AnnotationFactory(article=article, quote=BODY)
    done = client.get(panel_url(article), headers=HTMX)

    assert offered(last.content.decode()) == "Headline about the bridge"
    assert 'id="next-sentence"' not in done.content.decode()


def test_without_javascript_the_save_returns_to_its_paragraph_with_the_next_sentence(
    client, teacher
):
    article = ArticleFactory(owner=teacher, body=BODY)
    client.force_login(teacher)

    response = client.post(panel_url(article), post("the U.S. engineers said"))
    page = client.get(response["Location"])

    paragraph = BODY.index("“It will")
    end = BODY.index("engineers said") + len("engineers said")
    assert response.status_code == 302
    assert response["Location"] == f"{change_url(article)}?after={end}#annotate-p{paragraph}"
    html = page.content.decode()
    assert f'<p id="annotate-p{paragraph}" data-start="{paragraph}">' in html
    assert offered(html) == "Residents are tired."
    assert Annotation.objects.get().exact == "the U.S. engineers said"


def test_the_keys_are_listed_and_each_choice_shows_its_own(client, teacher):
    article = ArticleFactory(owner=teacher, body=BODY)
    client.force_login(teacher)

    html = client.get(change_url(article)).content.decode()

    assert "Keyboard: <kbd>C</kbd> <kbd>F</kbd> <kbd>O</kbd> kind" in html
    for value, key in [("claim", "C"), ("fact", "F"), ("opinion", "O")]:
        label = html.split(f'value="{value}"', 1)[1].split("</label>", 1)[0]
        assert f'data-shortcut="{key}"' in label
    for number, value in enumerate(Annotation.Sourcing.values, start=1):
        label = html.split(f'name="annotation-sourcing" value="{value}"', 1)[1]
        assert f'data-shortcut="{number}"' in label.split("</label>", 1)[0]


def test_an_annotation_being_edited_gets_no_sentence_offered(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher, body=BODY), quote="May")
    client.force_login(teacher)

    response = client.get(
        reverse("admin:articles_article_annotation", args=[annotation.article_id, annotation.pk]),
        headers=HTMX,
    )

    assert response.status_code == 200 and 'id="next-sentence"' not in response.content.decode()
