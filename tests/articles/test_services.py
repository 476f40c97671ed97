import pytest
from django.core.exceptions import ValidationError

from articles import services
from articles.models import Annotation, Source
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_new_source_and_annotation_are_saved_together():
    article = ArticleFactory()
    start = article.body.index("the bridge")

    annotation = services.annotation_save(
        article=article,
        draft=services.AnnotationDraft(
            start=start,
            end=start + len("the bridge would reopen in May"),
            kind="claim",
            sourcing="named_person",
            cue="said",
        ),
        new_source=services.SourceDraft(name="The mayor", description="Mayor of the town"),
    )

    assert annotation.speaker.name == "The mayor"
    assert annotation.speaker.article == article
    assert annotation.exact == "the bridge would reopen in May"


def test_a_refused_annotation_does_not_leave_its_new_source_behind():
    article = ArticleFactory()

    with pytest.raises(ValidationError):
        services.annotation_save(
            article=article,
            draft=services.AnnotationDraft(
                start=10,
                end=len(article.body) + 5,
                kind="claim",
                sourcing="named_person",
            ),
            new_source=services.SourceDraft(name="The mayor"),
        )

    assert not Source.objects.exists()
    assert not Annotation.objects.exists()


def test_a_second_source_with_the_same_name_is_refused_whatever_its_case():
    source = SourceFactory(name="The Mayor")

    with pytest.raises(ValidationError, match="already a source") as refusal:
        services.annotation_save(
            article=source.article,
            draft=services.AnnotationDraft(
                start=0,
                end=9,
                kind="claim",
                sourcing="named_person",
            ),
            new_source=services.SourceDraft(name="the mayor"),
        )

    assert "new_source_name" in refusal.value.message_dict
    assert Source.objects.count() == 1


def test_updating_an_annotation_takes_the_quote_from_the_body_again():
    annotation = AnnotationFactory()
    body = annotation.article.body
    start = body.index("Critics argue")

    services.annotation_save(
        article=annotation.article,
        annotation=annotation,
        draft=services.AnnotationDraft(
            start=start,
            end=start + len("Critics argue the repairs were rushed"),
            kind="opinion",
            sourcing="vague",
            speaker=None,
        ),
    )

    annotation.refresh_from_db()
    assert annotation.exact == "Critics argue the repairs were rushed"
    assert annotation.prefix.endswith("May.\n\n")
    assert annotation.kind == "opinion" and annotation.speaker is None


def test_an_annotation_cannot_take_a_speaker_from_another_article():
    annotation = AnnotationFactory()
    stranger = SourceFactory()

    with pytest.raises(ValidationError, match="same article"):
        services.annotation_save(
            article=annotation.article,
            annotation=annotation,
            draft=services.AnnotationDraft(
                start=annotation.start,
                end=annotation.end,
                kind="claim",
                sourcing="named_person",
                speaker=stranger,
            ),
        )

    annotation.refresh_from_db()
    assert annotation.speaker != stranger


def test_accepting_a_fuzzy_match_makes_it_exact():
    annotation = AnnotationFactory()
    Annotation.objects.filter(pk=annotation.pk).update(anchor_status="fuzzy", anchor_score=0.8)
    annotation.refresh_from_db()

    services.annotation_match_accept(annotation=annotation)

    annotation.refresh_from_db()
    assert annotation.anchor_status == "exact" and annotation.anchor_score == 1.0


def test_only_a_fuzzy_match_can_be_accepted():
    annotation = AnnotationFactory()

    with pytest.raises(ValidationError, match="fuzzy"):
        services.annotation_match_accept(annotation=annotation)


def test_relocating_an_orphan_anchors_it_and_finds_its_source_words_nearby():
    article = ArticleFactory()
    start = article.body.index("the bridge would")
    annotation = services.annotation_create(
        article=article,
        start=start,
        end=start + len("the bridge would reopen in May"),
        kind="claim",
        sourcing="named_person",
        source_start=0,
        source_end=len("The mayor"),
    )
    Annotation.objects.filter(pk=annotation.pk).update(anchor_status="orphaned", anchor_score=0)
    annotation.refresh_from_db()
    new_start = article.body.index("the repairs were rushed")

    services.annotation_relocate(
        annotation=annotation, start=new_start, end=new_start + len("the repairs were rushed")
    )

    annotation.refresh_from_db()
    assert annotation.exact == "the repairs were rushed"
    assert annotation.anchor_status == "exact"
    assert annotation.source_exact == "The mayor" and annotation.source_start == 0


def test_an_annotation_cannot_be_saved_through_another_article():
    annotation = AnnotationFactory()
    other = ArticleFactory()

    with pytest.raises(ValidationError, match="another article"):
        services.annotation_save(
            article=other,
            annotation=annotation,
            draft=services.AnnotationDraft(
                start=0,
                end=9,
                kind="opinion",
                sourcing="none",
            ),
        )

    annotation.refresh_from_db()
    assert annotation.article != other and annotation.kind == "claim"


def test_updating_keeps_the_author_and_takes_the_source_words_from_the_body():
    annotation = AnnotationFactory()
    author = annotation.author
    body = annotation.article.body

    services.annotation_save(
        article=annotation.article,
        annotation=annotation,
        draft=services.AnnotationDraft(
            start=annotation.start,
            end=annotation.end,
            kind="claim",
            sourcing="named_person",
            source_start=0,
            source_end=len("The mayor"),
        ),
    )

    annotation.refresh_from_db()
    assert annotation.author == author
    assert annotation.source_exact == body[: len("The mayor")] == "The mayor"


def test_a_fuzzy_match_whose_text_is_gone_cannot_be_accepted():
    annotation = AnnotationFactory()
    beyond = len(annotation.article.body) + 10
    Annotation.objects.filter(pk=annotation.pk).update(
        anchor_status="fuzzy",
        anchor_score=0.8,
        start=beyond,
        end=beyond + len(annotation.exact),
    )
    annotation.refresh_from_db()

    with pytest.raises(ValidationError, match="no longer in the article"):
        services.annotation_match_accept(annotation=annotation)


def test_relocating_drops_source_words_that_are_no_longer_in_the_text():
    annotation = AnnotationFactory()
    Annotation.objects.filter(pk=annotation.pk).update(
        anchor_status="orphaned", anchor_score=0, source_exact="Nobody at all"
    )
    annotation.refresh_from_db()
    start = annotation.article.body.index("Critics argue")

    services.annotation_relocate(annotation=annotation, start=start, end=start + 13)

    annotation.refresh_from_db()
    assert annotation.exact == "Critics argue" and annotation.anchor_status == "exact"
    assert annotation.source_start is None and annotation.source_exact == ""


def test_deleting_an_annotation_keeps_its_speaker():
    annotation = AnnotationFactory()

    services.annotation_delete(annotation=annotation)

    assert not Annotation.objects.exists()
    assert Source.objects.filter(pk=annotation.speaker_id).exists()
