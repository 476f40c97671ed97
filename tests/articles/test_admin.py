import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Annotation, Article
from quiz.models import Question
from tests.factories import AnnotationFactory, ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_teacher_sees_only_their_own_articles(client, teacher, other_teacher):
    mine = ArticleFactory(owner=teacher, title="Mine about bridges")
    theirs = ArticleFactory(owner=other_teacher, title="Theirs about roads")
    client.force_login(teacher)

    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()

    assert mine.title in listing and theirs.title not in listing
    assert client.get(reverse("admin:articles_article_change", args=[theirs.pk])).status_code == 302
    assert client.get(reverse("admin:articles_article_change", args=[mine.pk])).status_code == 200


def test_annotation_admin_hides_other_teachers_annotations_and_articles(
    client, teacher, other_teacher
):
    theirs = AnnotationFactory(article=ArticleFactory(owner=other_teacher))
    mine = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    listing = client.get(reverse("admin:articles_annotation_changelist")).content.decode()
    add_form = client.get(reverse("admin:articles_annotation_add")).content.decode()

    assert theirs.exact not in listing
    assert theirs.article.title not in add_form
    assert mine.title in add_form


def annotation_post(article, **overrides):
    data = {
        "article": article.pk,
        "quote": "the bridge would reopen in May",
        "occurrence": "",
        "kind": "claim",
        "speaker": "",
        "cue": "said",
        "sourcing": "named_person",
        "source_words": "The mayor",
        "explanation": "The mayor's promise.",
    }
    data.update(overrides)
    return data


def test_teacher_annotates_by_pasting_the_quote(client, teacher):
    article = ArticleFactory(owner=teacher)
    speaker = SourceFactory(article=article, name="The mayor")
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_annotation_add"), annotation_post(article, speaker=speaker.pk)
    )

    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert article.body[annotation.start : annotation.end] == "the bridge would reopen in May"
    assert annotation.source_exact == "The mayor"
    assert annotation.author == teacher


def test_quote_not_in_the_article_is_refused_with_a_clear_message(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_annotation_add"),
        annotation_post(article, quote="the bridge will never reopen"),
    )

    assert response.status_code == 200
    assert "This text is not in the article" in response.content.decode()
    assert not Annotation.objects.exists()


def test_ambiguous_quote_asks_which_occurrence(client, teacher):
    article = ArticleFactory(owner=teacher, body="The bridge. The bridge again.")
    client.force_login(teacher)

    ambiguous = client.post(
        reverse("admin:articles_annotation_add"),
        annotation_post(article, quote="The bridge", source_words="", sourcing="none"),
    )
    chosen = client.post(
        reverse("admin:articles_annotation_add"),
        annotation_post(
            article, quote="The bridge", occurrence="2", source_words="", sourcing="none"
        ),
    )

    assert "appears 2 times" in ambiguous.content.decode()
    assert chosen.status_code == 302
    assert Annotation.objects.get().start == article.body.rindex("The bridge")


def test_speaker_from_another_article_is_not_offered(client, teacher):
    article = ArticleFactory(owner=teacher)
    stranger = SourceFactory(article=ArticleFactory(owner=teacher), name="Stranger")
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_annotation_add") + f"?article={article.pk}",
        annotation_post(article, speaker=stranger.pk),
    )

    assert response.status_code == 200
    assert not Annotation.objects.exists()


def test_editing_the_body_reanchors_and_flags_lost_annotations(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    article = annotation.article
    client.force_login(teacher)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "outlet": article.outlet_id,
            "body": "Completely new text about something else.",
            "published_on": "",
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "1",
            "sources-0-id": annotation.speaker_id,
            "sources-0-article": article.pk,
            "sources-0-name": annotation.speaker.name,
            "sources-0-description": annotation.speaker.description,
            "sources-0-kind": annotation.speaker.kind,
            "annotations-TOTAL_FORMS": "1",
            "annotations-INITIAL_FORMS": "1",
            "annotations-0-id": annotation.pk,
            "annotations-0-article": article.pk,
        }
    )

    response = client.post(url, data, follow=True)

    annotation.refresh_from_db()
    assert annotation.anchor_status == Annotation.Anchor.ORPHANED
    assert "need checking" in response.content.decode()


def test_import_page_imports_pasted_text(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_import"),
        {"title": "Council votes", "text": "The council voted on Monday.\nIt was close."},
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.owner == teacher and article.body.count("\n\n") == 1


def test_import_page_refuses_a_binary_file_and_saves_nothing(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_import"),
        {"file": SimpleUploadedFile("page.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00")},
    )

    assert response.status_code == 200
    assert 'class="errornote"' in response.content.decode()
    assert not Article.objects.exists()


def test_generate_questions_action_reports_how_many_were_added(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "generate_questions", "_selected_action": [annotation.article.pk]},
        follow=True,
    )

    assert "3 questions added." in response.content.decode()
    assert Question.objects.filter(owner=teacher).count() == 3
