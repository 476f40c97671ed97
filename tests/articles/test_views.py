import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import annotation_create
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    'He said <script>alert("x")</script> was “fine” — and "><img src=x onerror=alert(1)> too.'
    "\n\nSecond paragraph with café and 😀."
)


def detail_url(article: Article) -> str:
    return reverse("articles:detail", kwargs={"slug": article.slug})


def test_owner_sees_annotations_as_marks_with_kind_and_speaker(client):
    annotation = AnnotationFactory()
    client.force_login(annotation.article.owner)

    response = client.get(detail_url(annotation.article))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-annotations="a{annotation.pk}"' in html
    assert 'data-kind="claim"' in html
    assert f'data-speaker="{annotation.speaker.name}"' in html
    assert "the bridge would reopen in May</mark>" in html
    assert annotation.explanation in html  # legend shows the explanation


def test_student_sees_the_clean_text_without_annotations(client, student):
    annotation = AnnotationFactory()
    client.force_login(student)

    response = client.get(detail_url(annotation.article))

    html = response.content.decode()
    assert response.status_code == 200
    assert "the bridge would reopen in May" in html
    assert "<mark" not in html
    assert annotation.explanation not in html


def test_another_teacher_sees_a_published_article_without_the_markup(client, other_teacher):
    annotation = AnnotationFactory()
    client.force_login(other_teacher)

    html = client.get(detail_url(annotation.article)).content.decode()

    assert "<mark" not in html


def test_draft_is_hidden_from_everyone_but_its_owner(client, student, other_teacher):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    client.force_login(student)
    assert client.get(detail_url(draft)).status_code == 404
    client.force_login(other_teacher)
    assert client.get(detail_url(draft)).status_code == 404
    client.force_login(draft.owner)
    assert client.get(detail_url(draft)).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    article = ArticleFactory()

    response = client.get(detail_url(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_hostile_text_is_escaped_inside_and_outside_overlapping_marks(client):
    article = ArticleFactory(body=HOSTILE_BODY)
    speaker = SourceFactory(article=article, name='<b onmouseover="x">Eve</b>')
    body = article.body
    script_start = body.index("<script>")
    img_start = body.index('"><img')
    annotation_create(
        article=article,
        start=0,
        end=img_start + 10,
        kind="claim",
        sourcing="named_person",
        speaker=speaker,
        explanation="<script>alert('explanation')</script>",
    )
    annotation_create(
        article=article,
        start=script_start,
        end=len(body.split("\n\n")[0]),
        kind="opinion",
        sourcing="none",
    )
    client.force_login(article.owner)

    html = client.get(detail_url(article)).content.decode()

    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'class="hl kind-claim kind-opinion overlap"' in html
    assert "café and 😀" in html


@pytest.mark.parametrize("count", [2, 20])
def test_article_page_query_count_does_not_grow_with_annotations(
    client, django_assert_num_queries, count
):
    article = ArticleFactory(body=" ".join(f"Word{n}." for n in range(100)))
    speaker = SourceFactory(article=article)
    for n in range(count):
        start = article.body.index(f"Word{n}.")
        annotation_create(
            article=article,
            start=start,
            end=start + 5,
            kind="fact",
            sourcing="none",
            speaker=speaker if n % 2 else None,
        )
    client.force_login(article.owner)

    # session, user, article, teacher group check, annotations (with speakers joined)
    with django_assert_num_queries(5):
        response = client.get(detail_url(article))

    assert response.content.decode().count("data-annotations=") == count
