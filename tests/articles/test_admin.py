import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Annotation, Article, Source
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


# The annotation panel on the article's page

HTMX = {"HX-Request": "true"}
STATEMENT = "the bridge would reopen in May"


def panel_url(article) -> str:
    return reverse("admin:articles_article_annotations", args=[article.pk])


def annotation_url(annotation) -> str:
    return reverse("admin:articles_article_annotation", args=[annotation.article_id, annotation.pk])


def panel_post(**fields) -> dict:
    """The panel form's fields as the browser posts them (with their prefix)."""
    data = {
        "start": "",
        "end": "",
        "quote": "",
        "kind": "claim",
        "speaker": "",
        "new_source_name": "",
        "new_source_description": "",
        "new_source_kind": "person",
        "cue": "said",
        "sourcing": "named_person",
        "source_start": "",
        "source_end": "",
        "source_words": "",
        "explanation": "The mayor's promise.",
    }
    data.update(fields)
    return {f"annotation-{name}": value for name, value in data.items()}


def selection(body: str, text: str, occurrence: int = 1) -> dict:
    """What the panel's script sends for a selection of `text` in the body."""
    start = -1
    for _ in range(occurrence):
        start = body.index(text, start + 1)
    return {"start": str(start), "end": str(start + len(text)), "quote": text}


def test_article_page_shows_the_text_with_its_annotations_in_the_panel(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    html = client.get(
        reverse("admin:articles_article_change", args=[annotation.article.pk])
    ).content.decode()

    panel = html[html.index('<section id="annotation-panel"') : html.index('id="article_form"')]
    assert f'data-annotations="a{annotation.pk}">{STATEMENT}</mark>' in panel
    assert 'id="annotation-form"' in panel and 'hx-post="' in panel
    assert "js/annotate.js" in html and "htmx" in html
    assert "<script" not in panel and "style=" not in panel


def test_creating_from_a_selection_returns_the_panel_with_the_new_highlight(client, teacher):
    article = ArticleFactory(owner=teacher)
    speaker = SourceFactory(article=article, name="The mayor")
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(**selection(article.body, STATEMENT), speaker=speaker.pk),
        headers=HTMX,
    )

    html = response.content.decode()
    annotation = Annotation.objects.get()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="annotation-panel"') and "<html" not in html
    assert f'data-annotations="a{annotation.pk}">{STATEMENT}</mark>' in html
    assert "Annotation saved" in html
    assert (annotation.start, annotation.end) == (
        article.body.index(STATEMENT),
        article.body.index(STATEMENT) + len(STATEMENT),
    )
    assert annotation.speaker == speaker and annotation.author == teacher


def test_a_selection_whose_offsets_do_not_match_its_words_is_refused_with_a_clear_400(
    client, teacher
):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)
    wrong = selection(article.body, STATEMENT)
    wrong["start"] = str(int(wrong["start"]) + 1)
    wrong["end"] = str(int(wrong["end"]) + 1)

    response = client.post(panel_url(article), panel_post(**wrong), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 400
    assert "The selected text does not match the article at characters" in html
    assert html.lstrip().startswith('<section id="annotation-panel"')
    assert not Annotation.objects.exists()


def test_a_selection_outside_the_article_is_refused(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(start="5000", end="5010", quote="whatever"),
        headers=HTMX,
    )

    assert response.status_code == 400
    assert "is not inside the article" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_selection_across_paragraphs_matches_whatever_line_breaks_the_browser_sent(
    client, teacher
):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)
    start = article.body.index("in May.")
    end = article.body.index("Critics argue") + len("Critics argue")

    response = client.post(
        panel_url(article),
        panel_post(start=str(start), end=str(end), quote="in May.\nCritics argue"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Annotation.objects.get().exact == "in May.\n\nCritics argue"


def test_a_typed_quote_found_once_is_annotated(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(panel_url(article), panel_post(quote=STATEMENT), headers=HTMX)

    assert response.status_code == 200
    assert Annotation.objects.get().start == article.body.index(STATEMENT)


def test_a_typed_quote_not_in_the_article_says_so(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        panel_url(article), panel_post(quote="the bridge will never reopen"), headers=HTMX
    )

    assert response.status_code == 400
    assert "This text is not in the article" in response.content.decode()
    assert not Annotation.objects.exists()


def test_an_ambiguous_typed_quote_lists_its_occurrences_and_takes_the_one_picked(client, teacher):
    article = ArticleFactory(owner=teacher, body="The bridge. Then the mayor said: The bridge.")
    client.force_login(teacher)

    asked = client.post(
        panel_url(article), panel_post(quote="The bridge", sourcing="none"), headers=HTMX
    )
    picked = client.post(
        panel_url(article),
        panel_post(quote="The bridge", occurrence="2", sourcing="none"),
        headers=HTMX,
    )

    html = asked.content.decode()
    assert asked.status_code == 400
    assert "appears 2 times" in html
    assert 'name="annotation-occurrence" value="1"' in html
    assert 'name="annotation-occurrence" value="2"' in html
    assert "Then the mayor said: <mark" in html  # each occurrence shown in its context
    assert picked.status_code == 200
    assert Annotation.objects.get().start == article.body.rindex("The bridge")


def test_overlapping_annotations_are_allowed_and_marked_as_overlapping(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    article = annotation.article
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(
            **selection(article.body, "The mayor said on Monday that the bridge"), kind="fact"
        ),
        headers=HTMX,
    )

    html = response.content.decode()
    new = Annotation.objects.exclude(pk=annotation.pk).get()
    assert response.status_code == 200
    assert f'data-annotations="a{new.pk} a{annotation.pk}">the bridge</mark>' in html
    assert 'class="hl kind-claim kind-fact overlap"' in html


def test_a_new_source_is_added_on_the_spot(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(
            **selection(article.body, STATEMENT),
            new_source_name="The mayor",
            new_source_description="Mayor of the town",
        ),
        headers=HTMX,
    )

    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert annotation.speaker.name == "The mayor"
    assert annotation.speaker.article == article
    assert ">The mayor (Mayor of the town)</option>" in response.content.decode()


def test_a_new_source_named_like_an_existing_one_saves_nothing(client, teacher):
    article = ArticleFactory(owner=teacher)
    SourceFactory(article=article, name="The mayor")
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(**selection(article.body, STATEMENT), new_source_name="the Mayor"),
        headers=HTMX,
    )

    assert response.status_code == 400
    assert "already a source of this article" in response.content.decode()
    assert Source.objects.count() == 1 and not Annotation.objects.exists()


def test_source_words_come_from_a_second_selection(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)
    words = selection(article.body, "The mayor")

    response = client.post(
        panel_url(article),
        panel_post(
            **selection(article.body, STATEMENT),
            source_start=words["start"],
            source_end=words["end"],
            source_words="The mayor",
        ),
        headers=HTMX,
    )

    assert response.status_code == 200
    annotation = Annotation.objects.get()
    assert (annotation.source_start, annotation.source_end) == (0, 9)
    assert annotation.source_exact == "The mayor"


def test_source_words_that_do_not_match_their_selection_are_refused(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(
            **selection(article.body, STATEMENT),
            source_start="4",
            source_end="13",
            source_words="The mayor",
        ),
        headers=HTMX,
    )

    assert response.status_code == 400
    assert "source words do not match" in response.content.decode()
    assert not Annotation.objects.exists()


def test_typed_source_words_are_found_next_to_the_statement(client, teacher):
    article = ArticleFactory(
        owner=teacher, body="Critics said no. Later, critics said: it is late."
    )
    client.force_login(teacher)

    response = client.post(
        panel_url(article),
        panel_post(quote="it is late", source_words="critics said", sourcing="vague"),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert Annotation.objects.get().source_start == article.body.index("critics said")


def test_a_highlight_opens_for_editing_and_saves_changes(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    opened = client.get(annotation_url(annotation), headers=HTMX)
    saved = client.post(
        annotation_url(annotation),
        panel_post(
            quote=STATEMENT,
            kind="opinion",
            speaker=annotation.speaker_id,
            sourcing="named_person",
            source_words="",
        ),
        headers=HTMX,
    )

    html = opened.content.decode()
    assert opened.status_code == 200 and "<html" not in html
    assert "Edit annotation" in html and 'id="annotation-delete"' in html
    assert f">\n{STATEMENT}</textarea>" in html
    assert 'class="hl is-editing kind-claim"' in html
    assert saved.status_code == 200
    annotation.refresh_from_db()
    assert annotation.kind == "opinion"
    assert Annotation.objects.count() == 1


def test_deleting_from_the_panel_removes_the_highlight(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    client.force_login(teacher)

    response = client.post(
        reverse(
            "admin:articles_article_annotation_delete",
            args=[annotation.article_id, annotation.pk],
        ),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<mark" not in response.content.decode()
    assert not Annotation.objects.exists()


def test_without_javascript_the_panel_posts_and_redirects_back_to_the_article(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    page = client.get(panel_url(article))
    response = client.post(panel_url(article), panel_post(quote=STATEMENT), follow=True)

    end = article.body.index(STATEMENT) + len(STATEMENT)
    assert page.status_code == 200 and "<html" in page.content.decode()
    # Back to the paragraph of the statement saved, offering the sentence after it.
    assert response.redirect_chain[-1][0].endswith(
        reverse("admin:articles_article_change", args=[article.pk]) + f"?after={end}#annotate-p0"
    )
    assert "Annotation saved" in response.content.decode()
    assert Annotation.objects.count() == 1


def test_without_javascript_a_refused_annotation_shows_the_panel_page_with_its_error(
    client, teacher
):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(panel_url(article), panel_post(quote="not in it"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html and "This text is not in the article" in html


def orphan_quote(annotation, quote: str) -> None:
    """Make the annotation an orphan whose stored quote the text no longer has."""
    Annotation.objects.filter(pk=annotation.pk).update(
        anchor_status="orphaned", anchor_score=0, exact=quote, end=annotation.start + len(quote)
    )


def test_flagged_annotations_are_listed_with_their_fix(client, teacher):
    fuzzy = AnnotationFactory(article=ArticleFactory(owner=teacher))
    orphan = AnnotationFactory(article=fuzzy.article, quote="Critics argue")
    Annotation.objects.filter(pk=fuzzy.pk).update(anchor_status="fuzzy", anchor_score=0.8)
    orphan_quote(orphan, "Critics argued")
    client.force_login(teacher)

    html = client.get(panel_url(fuzzy.article), headers=HTMX).content.decode()

    assert "2 annotations need checking" in html
    assert f'id="accept-a{fuzzy.pk}"' in html
    assert f'id="relocate-a{orphan.pk}"' in html
    assert ">\nCritics argued</textarea>" in html


def test_accepting_a_fuzzy_match_from_the_panel_makes_it_exact(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    Annotation.objects.filter(pk=annotation.pk).update(anchor_status="fuzzy", anchor_score=0.8)
    client.force_login(teacher)

    response = client.post(
        reverse(
            "admin:articles_article_annotation_accept",
            args=[annotation.article_id, annotation.pk],
        ),
        headers=HTMX,
    )

    annotation.refresh_from_db()
    assert response.status_code == 200
    assert annotation.anchor_status == "exact"
    assert "need checking" not in response.content.decode()


def test_an_orphan_is_found_again_by_its_corrected_quote(client, teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher), quote="Critics argue")
    orphan_quote(annotation, "Critics argued")
    url = reverse(
        "admin:articles_article_annotation_relocate", args=[annotation.article_id, annotation.pk]
    )
    client.force_login(teacher)
    field = f"relocate-{annotation.pk}-quote"

    refused = client.post(url, {field: "Critics argued"}, headers=HTMX)
    found = client.post(url, {field: "Critics argue"}, headers=HTMX)

    assert refused.status_code == 400
    assert "This text is not in the article" in refused.content.decode()
    assert found.status_code == 200
    annotation.refresh_from_db()
    assert annotation.anchor_status == "exact" and annotation.exact == "Critics argue"


def test_another_teacher_can_neither_see_nor_change_the_panel(client, teacher, other_teacher):
    annotation = AnnotationFactory(article=ArticleFactory(owner=teacher))
    article = annotation.article
    client.force_login(other_teacher)

    responses = [
        client.get(panel_url(article), headers=HTMX),
        client.get(annotation_url(annotation), headers=HTMX),
        client.post(panel_url(article), panel_post(quote=STATEMENT), headers=HTMX),
        client.post(annotation_url(annotation), panel_post(quote=STATEMENT, kind="opinion")),
        client.post(
            reverse("admin:articles_article_annotation_delete", args=[article.pk, annotation.pk])
        ),
    ]

    assert [r.status_code for r in responses] == [404] * len(responses)
    annotation.refresh_from_db()
    assert annotation.kind == "claim" and Annotation.objects.count() == 1
    assert not Question.objects.exists()


def test_an_annotation_of_another_article_is_not_found_through_mine(client, teacher):
    mine = ArticleFactory(owner=teacher)
    theirs = AnnotationFactory()
    client.force_login(teacher)

    response = client.get(
        reverse("admin:articles_article_annotation", args=[mine.pk, theirs.pk]), headers=HTMX
    )

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client):
    article = ArticleFactory()

    response = client.get(panel_url(article))

    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("count", [2, 20])
def test_the_panel_uses_the_same_queries_for_2_and_20_annotations(
    client, teacher, django_assert_num_queries, count
):
    article = ArticleFactory(owner=teacher)
    words = ["The mayor", "said on Monday", "the bridge", "would reopen", "in May", "Critics"]
    for index in range(count):
        AnnotationFactory(article=article, quote=words[index % len(words)])
    client.force_login(teacher)

    # Session, user, the article, the user's and group's permissions, the annotations with
    # their speakers, the proposals waiting for review, the speaker choices.
    with django_assert_num_queries(8):
        response = client.get(panel_url(article), headers=HTMX)

    assert response.status_code == 200


def test_import_page_refuses_a_10_mb_upload_without_reading_it(client, teacher):
    client.force_login(teacher)
    junk = SimpleUploadedFile("page.html", b"<p>junk</p>" * (1024 * 1024))

    response = client.post(reverse("admin:articles_article_import"), {"file": junk})

    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert response.wsgi_request.upload_too_large
    assert not Article.objects.exists()
