"""Sharing a quiz or an annotated article with another teacher: copies the recipient owns."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Annotation, Article, Source
from quiz.models import Choice, Question, Quiz
from quiz.services import sharing
from quiz.services.generation import questions_generate
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    StudentFactory,
    SuperuserFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def annotated(teacher):
    """The teacher's article with two sources, three annotations and a fuzzy anchor."""
    article = ArticleFactory(owner=teacher, title="Bridge to reopen")
    mayor = SourceFactory(article=article, name="The mayor", description="Mayor of the town")
    gazette = SourceFactory(article=article, name="The Gazette", kind="organisation")
    AnnotationFactory(article=article, speaker=mayor)
    AnnotationFactory(
        article=article,
        quote="the repairs were rushed",
        kind="opinion",
        sourcing="named_org",
        speaker=gazette,
        cue="argue",
        source_start=article.body.index("a report seen by the Gazette"),
        source_end=article.body.index("a report seen by the Gazette")
        + len("a report seen by the Gazette"),
        source_exact="a report seen by the Gazette",
    )
    AnnotationFactory(
        article=article,
        quote="The bridge closed in 2023.",
        kind="fact",
        sourcing="none",
        speaker=None,
        cue="",
        anchor_status="fuzzy",
        anchor_score=0.8,
    )
    return article


@pytest.fixture
def quiz(teacher, annotated):
    """A quiz of generated questions on the annotated article and one written by hand."""
    questions_generate(article=annotated, owner=teacher)
    generated = list(Question.objects.filter(article=annotated).order_by("pk")[:4])
    by_hand = QuestionFactory(article=ArticleFactory(owner=teacher), owner=teacher)
    return QuizFactory(owner=teacher, title="Who says so?", questions=[*generated, by_hand])


def anchors(article):
    return [
        (
            a.start,
            a.end,
            a.exact,
            a.prefix,
            a.suffix,
            a.kind,
            a.sourcing,
            a.cue,
            a.source_start,
            a.source_end,
            a.source_exact,
            a.explanation,
            a.anchor_status,
            a.anchor_score,
            a.speaker.name if a.speaker else None,
        )
        for a in article.annotations.select_related("speaker").order_by("start")
    ]


def sources(article):
    return sorted(article.sources.values_list("name", "description", "kind"))


# The services


def test_an_article_share_gives_the_recipient_a_draft_copy_with_sources_and_anchors(
    teacher, other_teacher, annotated
):
    copy = sharing.article_share(article=annotated, sender=teacher, recipient=other_teacher)
    assert copy.pk != annotated.pk
    assert copy.owner == other_teacher
    assert copy.status == Article.Status.DRAFT
    assert copy.slug != annotated.slug
    assert (copy.title, copy.body, copy.outlet_id) == (
        annotated.title,
        annotated.body,
        annotated.outlet_id,
    )
    assert sources(copy) == sources(annotated)
    assert anchors(copy) == anchors(annotated)
    # Each speaker is the copy's own source, never the original's.
    assert not Annotation.objects.filter(article=copy, speaker__article=annotated).exists()
    assert Source.objects.filter(article=copy).count() == 2


def test_editing_the_copied_article_leaves_the_original(teacher, other_teacher, annotated):
    before = anchors(annotated)
    copy = sharing.article_share(article=annotated, sender=teacher, recipient=other_teacher)
    copy.annotations.update(explanation="Changed by the recipient")
    copy.sources.update(description="Changed")
    Article.objects.filter(pk=copy.pk).update(title="Renamed")
    annotated.refresh_from_db()
    assert annotated.title == "Bridge to reopen"
    assert anchors(annotated) == before
    assert "Changed" not in {d for _n, d, _k in sources(annotated)}


def test_a_quiz_share_copies_questions_choices_and_their_articles_for_the_recipient(
    teacher, other_teacher, quiz
):
    originals = list(quiz.questions.order_by("quiz_items__position"))
    copy = sharing.quiz_share(quiz=quiz, sender=teacher, recipient=other_teacher)
    assert copy.pk != quiz.pk
    assert (copy.owner, copy.title, copy.published) == (other_teacher, "Who says so?", False)
    copied = list(copy.questions.order_by("quiz_items__position"))
    assert len(copied) == len(originals) == 5
    for original, question in zip(originals, copied, strict=True):
        assert question.pk != original.pk
        assert question.owner == other_teacher
        assert (question.kind, question.prompt, question.answer_start, question.answer_end) == (
            original.kind,
            original.prompt,
            original.answer_start,
            original.answer_end,
        )
        assert question.article.owner == other_teacher
        assert question.article.pk != original.article_id
        assert question.article.body == original.article.body
        if original.annotation_id:
            assert question.annotation.article_id == question.article_id
            assert question.annotation.exact == original.annotation.exact
        assert list(question.choices.values_list("text", "is_correct", "feedback")) == list(
            original.choices.values_list("text", "is_correct", "feedback")
        )
    # Both articles were copied once each, annotations with them.
    owned = Article.objects.filter(owner=other_teacher)
    assert owned.count() == 2
    annotated_copy = owned.get(title="Bridge to reopen")
    assert anchors(annotated_copy) == anchors(quiz.questions.first().article)
    # Nothing of the recipient's points back at the sender's rows.
    assert not Question.objects.filter(owner=other_teacher, article__owner=teacher).exists()
    assert not Question.objects.filter(
        owner=other_teacher, annotation__article__owner=teacher
    ).exists()


def test_editing_the_copied_quiz_leaves_the_original(teacher, other_teacher, quiz):
    before = list(quiz.items.values_list("question_id", "position"))
    prompts = set(quiz.questions.values_list("prompt", flat=True))
    copy = sharing.quiz_share(quiz=quiz, sender=teacher, recipient=other_teacher)
    copy.questions.update(prompt="Changed by the recipient")
    Choice.objects.filter(question__quizzes=copy).update(text="Changed")
    copy.items.first().delete()
    Quiz.objects.filter(pk=copy.pk).update(title="Renamed")
    quiz.refresh_from_db()
    assert quiz.title == "Who says so?"
    assert quiz.published
    assert list(quiz.items.values_list("question_id", "position")) == before
    assert set(quiz.questions.values_list("prompt", flat=True)) == prompts
    assert not Choice.objects.filter(question__quizzes=quiz, text="Changed").exists()


def test_sharing_with_someone_who_does_not_teach_is_refused_and_changes_nothing(
    teacher, quiz, annotated
):
    counts = (Quiz.objects.count(), Question.objects.count(), Article.objects.count())
    for recipient in (StudentFactory(), TeacherFactory(is_active=False), teacher):
        with pytest.raises(ValidationError):
            sharing.quiz_share(quiz=quiz, sender=teacher, recipient=recipient)
        with pytest.raises(ValidationError):
            sharing.article_share(article=annotated, sender=teacher, recipient=recipient)
    assert (Quiz.objects.count(), Question.objects.count(), Article.objects.count()) == counts


def test_only_the_owner_can_share(teacher, other_teacher, quiz):
    with pytest.raises(ValidationError, match="Only its owner"):
        sharing.quiz_share(quiz=quiz, sender=other_teacher, recipient=TeacherFactory())
    assert not Quiz.objects.filter(owner=other_teacher).exists()


def test_a_failure_half_way_leaves_nothing_behind(teacher, other_teacher, quiz, monkeypatch):
    counts = (Quiz.objects.count(), Question.objects.count(), Article.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Choice.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        sharing.quiz_share(quiz=quiz, sender=teacher, recipient=other_teacher)
    assert (Quiz.objects.count(), Question.objects.count(), Article.objects.count()) == counts


# The pages


def test_the_owner_shares_a_quiz_by_picking_a_teacher_and_the_recipient_sees_it(
    client, teacher, other_teacher, quiz
):
    client.force_login(teacher)
    url = reverse("quiz:quiz_share", args=[quiz.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{other_teacher.pk}">' in html
    assert f'<option value="{teacher.pk}">' not in html
    response = client.post(url, {"recipient": other_teacher.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("quiz:teach_sharing")
    assert "now has a copy of “Who says so?”" in response.content.decode()
    copy = Quiz.objects.get(owner=other_teacher)

    client.force_login(other_teacher)
    shared = client.get(reverse("quiz:teach_sharing"))
    assert [entry.object_id for entry in shared.context["shared"]] == [str(copy.pk)]
    assert reverse("admin:quiz_quiz_change", args=[copy.pk]) in shared.content.decode()
    # The dashboard's list, as htmx loads it: the fragment alone.
    fragment = client.get(reverse("quiz:teach_sharing"), headers=HTMX)
    assert "Who says so?" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    dashboard = client.get(reverse("quiz:teach_dashboard")).content.decode()
    assert f'hx-get="{reverse("quiz:teach_sharing")}"' in dashboard
    assert "Dates and times are in" in dashboard


def test_the_owner_shares_an_article(client, teacher, other_teacher, annotated):
    client.force_login(teacher)
    response = client.post(
        reverse("quiz:article_share", args=[annotated.pk]), {"recipient": other_teacher.pk}
    )
    assert response.status_code == 302
    copy = Article.objects.get(owner=other_teacher)
    assert anchors(copy) == anchors(annotated)
    client.force_login(other_teacher)
    shared = client.get(reverse("quiz:teach_sharing")).context["shared"]
    assert [entry.object_id for entry in shared] == [str(copy.pk)]
    # The sender's own list is not the recipient's.
    client.force_login(teacher)
    assert client.get(reverse("quiz:teach_sharing")).context["shared"] == []


def test_sharing_to_a_student_or_oneself_is_refused_with_the_form(client, teacher, student, quiz):
    client.force_login(teacher)
    url = reverse("quiz:quiz_share", args=[quiz.pk])
    for recipient in (student, teacher):
        response = client.post(url, {"recipient": recipient.pk})
        assert response.status_code == 200
        assert response.context["form"].errors["recipient"]
    assert Quiz.objects.count() == 1


def test_another_teacher_a_student_and_a_visitor_cannot_share_your_quiz(
    client, teacher, other_teacher, student, quiz, annotated
):
    for url in (
        reverse("quiz:quiz_share", args=[quiz.pk]),
        reverse("quiz:article_share", args=[annotated.pk]),
    ):
        client.force_login(other_teacher)
        assert client.get(url).status_code == 404
        assert client.post(url, {"recipient": other_teacher.pk}).status_code == 404
        client.force_login(student)
        assert client.post(url, {"recipient": other_teacher.pk}).status_code == 403
        client.logout()
        assert client.post(url, {"recipient": other_teacher.pk}).status_code == 302
    assert Quiz.objects.count() == 1
    assert not Article.objects.filter(owner=other_teacher).exists()


def test_the_sharing_page_lists_your_quizzes_and_articles_with_share_links(
    client, teacher, quiz, annotated
):
    client.force_login(teacher)
    html = client.get(reverse("quiz:teach_sharing")).content.decode()
    assert reverse("quiz:quiz_share", args=[quiz.pk]) in html
    assert reverse("quiz:article_share", args=[annotated.pk]) in html
    assert "Nothing has been shared with you yet." in html


# Query counts, at two sizes


@pytest.mark.parametrize("size", [1, 6])
def test_the_sharing_page_queries_the_same_whatever_is_shared(
    client, django_assert_num_queries, size
):
    recipient = TeacherFactory()
    for _ in range(size):
        sender = TeacherFactory()
        sharing.quiz_share(
            quiz=QuizFactory(owner=sender, questions=2), sender=sender, recipient=recipient
        )
        article = ArticleFactory(owner=sender)
        AnnotationFactory(article=article)
        sharing.article_share(article=article, sender=sender, recipient=recipient)
        QuizFactory(owner=recipient, questions=1)
    client.force_login(recipient)
    url = reverse("quiz:teach_sharing")
    client.get(url)  # the content types are cached from here on
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["shared"]) == 2 * size
    with django_assert_num_queries(4):
        client.get(url, headers=HTMX)


@pytest.mark.parametrize("size", [1, 6])
def test_the_share_form_queries_the_same_whatever_the_number_of_teachers(
    client, teacher, django_assert_num_queries, size
):
    TeacherFactory.create_batch(size)
    SuperuserFactory()
    quiz = QuizFactory(owner=teacher, questions=1)
    client.force_login(teacher)
    client.get("/")
    with django_assert_num_queries(6):
        response = client.get(reverse("quiz:quiz_share", args=[quiz.pk]))
    assert len(response.context["form"].fields["recipient"].queryset) == size
