import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.models import Annotation, Article, body_hash
from articles.services import annotation_create
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_saving_an_article_records_the_hash_of_its_body():
    article = ArticleFactory(body="One.\n\nTwo.")

    assert article.body_sha256 == body_hash("One.\n\nTwo.")


def test_published_queryset_leaves_out_drafts():
    published = ArticleFactory(status=Article.Status.PUBLISHED)
    ArticleFactory(status=Article.Status.DRAFT)

    assert list(Article.objects.published()) == [published]


def test_annotation_create_takes_quote_and_context_from_the_body():
    article = ArticleFactory()
    start = article.body.index("the bridge would reopen")

    annotation = annotation_create(
        article=article, start=start, end=start + 23, kind="claim", sourcing="named_person"
    )

    assert annotation.exact == "the bridge would reopen"
    assert annotation.prefix == article.body[max(0, start - 32) : start]
    assert annotation.suffix == article.body[start + 23 : start + 23 + 32]
    assert annotation.anchor_status == Annotation.Anchor.EXACT


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (10, 10, "end"),
        (12, 5, "end"),
        (0, 10_000, "end"),
    ],
)
def test_spans_outside_the_body_are_refused_naming_the_field(start, end, field):
    article = ArticleFactory()

    with pytest.raises(ValidationError) as error:
        annotation_create(article=article, start=start, end=end, kind="claim", sourcing="none")

    assert field in error.value.message_dict
    assert not Annotation.objects.exists()


def test_quote_that_differs_from_the_body_is_refused():
    annotation = AnnotationFactory.build(article=ArticleFactory(), speaker=None)
    annotation.exact = "the bridge would reopen in June"[: len(annotation.exact)]
    annotation.exact = "X" + annotation.exact[1:]

    with pytest.raises(ValidationError) as error:
        annotation.full_clean()

    assert "exact" in error.value.message_dict


def test_speaker_from_another_article_is_refused():
    article = ArticleFactory()
    stranger = SourceFactory(article=ArticleFactory())

    with pytest.raises(ValidationError) as error:
        annotation_create(
            article=article, start=0, end=3, kind="fact", sourcing="none", speaker=stranger
        )

    assert "speaker" in error.value.message_dict


def test_source_span_needs_both_ends_inside_the_body():
    article = ArticleFactory()

    with pytest.raises(ValidationError) as half:
        annotation_create(
            article=article, start=0, end=9, kind="fact", sourcing="none", source_start=0
        )
    with pytest.raises(ValidationError) as outside:
        annotation_create(
            article=article,
            start=0,
            end=9,
            kind="fact",
            sourcing="none",
            source_start=5,
            source_end=99_999,
        )

    assert "source_end" in half.value.message_dict
    assert "source_end" in outside.value.message_dict


def test_source_words_are_recorded_from_the_body():
    article = ArticleFactory()
    start = article.body.index("The mayor said")

    annotation = annotation_create(
        article=article,
        start=start + 15,
        end=start + 60,
        kind="claim",
        sourcing="named_person",
        source_start=start,
        source_end=start + 9,
    )

    assert annotation.source_exact == "The mayor"


def test_database_refuses_a_quote_whose_length_does_not_match_the_span():
    annotation = AnnotationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(exact="short")


def test_database_refuses_an_empty_span():
    annotation = AnnotationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(end=annotation.start)


def test_orphaned_annotation_keeps_its_old_quote_and_still_validates():
    annotation = AnnotationFactory()
    article = annotation.article
    article.body = "Completely different text now."
    article.save()
    annotation.anchor_status = Annotation.Anchor.ORPHANED
    annotation.anchor_score = 0

    annotation.full_clean()

    assert not annotation.is_usable


def test_an_article_knows_its_reading_level_from_its_body():
    article = ArticleFactory(body="The cat sat on the mat. It was a big cat.")
    easy = article.reading_grade

    article.body = (
        "Notwithstanding considerable institutional opposition, the administration "
        "implemented comprehensive regulatory modifications."
    )
    article.save()
    article.refresh_from_db()

    assert easy is not None and article.reading_grade > easy + 10
    article.status = "draft"
    article.save(update_fields=["status"])
    article.refresh_from_db()
    assert article.reading_grade > easy + 10
