"""After an import the teacher reviews the text: one click drops a paragraph, Undo puts it back,
and annotations keep their words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles import services
from articles.models import Annotation, Article
from tests.factories import AnnotationFactory, ArticleFactory, SuperuserFactory

HTMX = {"HX-Request": "true"}
CAPTION = "The Old Mill bridge under repair in January"
BODY = (
    "The mayor said on Monday that the bridge would reopen in May.\n\n"
    f"{CAPTION}\n\n"
    "Critics argue the repairs were rushed, according to a report seen by the Gazette."
)


@pytest.fixture
def article(teacher):
    return ArticleFactory(owner=teacher, body=BODY)


def review_url(article: Article) -> str:
    return reverse("articles:review", args=[article.pk])


def drop(client, article: Article, text: str, **kwargs):
    return client.post(
        reverse("articles:paragraph_drop", args=[article.pk]),
        {"start": article.body.index(text), "text": text},
        **kwargs,
    )


# The service


@pytest.mark.django_db
def test_dropping_a_paragraph_keeps_later_annotations_on_their_words(article):
    later = AnnotationFactory(article=article, quote="the repairs were rushed")

    services.article_paragraph_drop(
        article=article, start=article.body.index(CAPTION), text=CAPTION
    )

    article.refresh_from_db()
    later.refresh_from_db()
    assert CAPTION not in article.body
    assert article.body.count("\n\n") == 1
    assert later.anchor_status == Annotation.Anchor.MOVED
    assert article.body[later.start : later.end] == "the repairs were rushed"


@pytest.mark.django_db
def test_paragraph_holding_an_annotation_is_not_dropped(article):
    AnnotationFactory(article=article)
    first = article.body.split("\n\n")[0]

    with pytest.raises(ValidationError, match="holds an annotation"):
        services.article_paragraph_drop(article=article, start=0, text=first)

    article.refresh_from_db()
    assert article.body == BODY


@pytest.mark.django_db
def test_paragraph_changed_meanwhile_is_not_dropped(article):
    with pytest.raises(ValidationError, match="no longer in the text"):
        services.article_paragraph_drop(
            article=article, start=article.body.index(CAPTION), text="Something else"
        )


@pytest.mark.django_db
def test_restoring_puts_the_paragraph_back_where_it_was(article):
    start = article.body.index(CAPTION)
    services.article_paragraph_drop(article=article, start=start, text=CAPTION)

    services.article_paragraph_restore(article=article, start=start, text=CAPTION)

    article.refresh_from_db()
    assert article.body == BODY


# The page


def test_import_leads_to_the_review_page(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_import"),
        {"title": "Council votes", "text": "The council voted on Monday.\nIt was close."},
    )

    assert response["Location"] == review_url(Article.objects.get())


def test_article_admin_page_links_to_the_review(client, article, teacher):
    client.force_login(teacher)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert review_url(article) in response.content.decode()


def test_review_page_lists_paragraphs_with_a_drop_button_each(client, article, teacher):
    client.force_login(teacher)

    response = client.get(review_url(article))

    page = response.content.decode()
    assert response.status_code == 200
    assert CAPTION in page
    assert page.count("Drop this paragraph") == 3


def test_paragraph_with_an_annotation_has_no_drop_button(client, article, teacher):
    AnnotationFactory(article=article)
    client.force_login(teacher)

    page = client.get(review_url(article)).content.decode()

    assert page.count("Drop this paragraph") == 2
    assert "Holds an annotation, so it stays." in page


def test_drop_without_javascript_redirects_and_offers_undo(client, article, teacher):
    client.force_login(teacher)

    response = drop(client, article, CAPTION)
    page = client.get(review_url(article)).content.decode()

    article.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == review_url(article)
    assert CAPTION not in article.body
    assert f"Paragraph dropped: “{CAPTION}”." in page
    assert reverse("articles:paragraph_restore", args=[article.pk]) in page


def test_drop_with_htmx_returns_only_the_list_with_undo(client, article, teacher):
    client.force_login(teacher)

    response = drop(client, article, CAPTION, headers=HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="review"')
    assert "<html" not in page
    assert f"Paragraph dropped: “{CAPTION}”." in page
    assert "Undo" in page


def test_undo_puts_the_paragraph_back(client, article, teacher):
    client.force_login(teacher)
    start = article.body.index(CAPTION)
    drop(client, article, CAPTION, headers=HTMX)

    response = client.post(
        reverse("articles:paragraph_restore", args=[article.pk]),
        {"start": start, "text": CAPTION},
        headers=HTMX,
    )

    article.refresh_from_db()
    assert article.body == BODY
    assert "Paragraph put back" in response.content.decode()


def test_refused_drop_with_htmx_says_why(client, article, teacher):
    AnnotationFactory(article=article)
    client.force_login(teacher)
    first = article.body.split("\n\n")[0]

    response = drop(client, article, first, headers=HTMX)

    assert response.status_code == 409
    assert "holds an annotation" in response.content.decode()


def test_another_teacher_gets_404(client, article, other_teacher):
    client.force_login(other_teacher)

    assert client.get(review_url(article)).status_code == 404
    assert drop(client, article, CAPTION).status_code == 404
    article.refresh_from_db()
    assert article.body == BODY


def test_anonymous_is_sent_to_log_in(client, article):
    response = client.get(review_url(article))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_superuser_may_review_any_article(client, article):
    client.force_login(SuperuserFactory())

    assert client.get(review_url(article)).status_code == 200


def test_drop_refuses_get(client, article, teacher):
    client.force_login(teacher)

    response = client.get(reverse("articles:paragraph_drop", args=[article.pk]))

    assert response.status_code == 405


@pytest.mark.parametrize("paragraphs", [3, 30])
def test_review_page_query_count_is_constant(
    client, teacher, paragraphs, django_assert_max_num_queries
):
    body = "\n\n".join(f"Paragraph number {n} of the article." for n in range(paragraphs))
    article = ArticleFactory(owner=teacher, body=body)
    client.force_login(teacher)

    with django_assert_max_num_queries(8):
        client.get(review_url(article))


def test_student_is_refused_before_the_article_is_looked_up(client, article):
    from tests.factories import StudentFactory

    client.force_login(StudentFactory())

    assert client.get(review_url(article)).status_code == 403
    assert client.get(reverse("articles:review", args=[10**9])).status_code == 403
