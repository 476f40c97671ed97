import dataclasses
import datetime
import hashlib
import re

import pytest

from articles import demo_content
from articles.demo_content import (
    DEMO_ARTICLES,
    DEMO_SLUGS,
    DemoContentError,
    annotation_spans,
    article_text_parts,
    demo_articles_ensure,
    paragraph_bounds,
    quote_locate,
    source_words_locate,
)
from articles.demo_content import spec as demo_spec
from articles.demo_content.practice import LIBRARY, PRACTICE_ARTICLES
from articles.demo_content.practice_forms import PARALLEL_FORMS, PRACTICE_FORM_ARTICLES
from articles.demo_content.putin import ARTICLE as PUTIN_ARTICLE
from articles.demo_content.spec import SOURCING_FOR_SPEAKER_KIND, AnnotationSpec, article_spec_load
from articles.models import Annotation, Article, Outlet, Source
from articles.services import article_body_update
from articles.text import quote_occurrences, reading_grade
from tests.factories import ArticleFactory

# sha256 of the shared putin-denies-trump-contacts.txt: the shipped copy must be verbatim.
SHIPPED_TEXT_SHA256 = "27409927c869da8385385b99b53b0be945d27cff575d0ff7341b078f46bdef4f"
READ_MORE_LINE = "READ MORE: Putin ‘doesn’t remember’ Trump missile threats"

ALL_ANNOTATIONS = [(spec, annotation) for spec in DEMO_ARTICLES for annotation in spec.annotations]
ALL_IDS = [f"{spec.slug}:{annotation.quote[:40]}" for spec, annotation in ALL_ANNOTATIONS]
WITH_SOURCE_WORDS = [(spec, a) for spec, a in ALL_ANNOTATIONS if a.source_words]
WITH_CUE = [(spec, a) for spec, a in ALL_ANNOTATIONS if a.cue]


def body_of(spec) -> str:
    return article_text_parts(spec)[1]


def speaker_spec(spec, annotation):
    return {source.key: source for source in spec.sources}[annotation.speaker]


def all_rows() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Outlet, Article, Source, Annotation)
    }


# The specs, checked against their texts (no database needed).


@pytest.mark.parametrize(("spec", "annotation"), ALL_ANNOTATIONS, ids=ALL_IDS)
def test_every_quote_is_found_once_or_at_its_stated_occurrence(spec, annotation):
    count = len(quote_occurrences(body_of(spec), annotation.quote))

    if annotation.occurrence is None:
        assert count == 1, f"{annotation.quote!r} appears {count} times in {spec.slug}"
    else:
        # An occurrence number is only for words that really repeat.
        assert count > 1
        assert 1 <= annotation.occurrence <= count


@pytest.mark.parametrize(
    ("spec", "annotation"),
    WITH_SOURCE_WORDS,
    ids=[f"{s.slug}:{a.source_words}" for s, a in WITH_SOURCE_WORDS],
)
def test_source_words_are_found_once_nearest_the_quote_in_its_paragraph(spec, annotation):
    body = body_of(spec)

    (start, end), (source_start, source_end) = annotation_spans(body, annotation)

    assert body[source_start:source_end] == annotation.source_words
    paragraph_start, paragraph_end = paragraph_bounds(body, start, end)
    assert paragraph_start <= source_start < source_end <= paragraph_end


@pytest.mark.parametrize(
    ("spec", "annotation"), WITH_CUE, ids=[f"{s.slug}:{a.cue}" for s, a in WITH_CUE]
)
def test_cue_words_stand_in_the_paragraph_of_their_quote(spec, annotation):
    body = body_of(spec)
    start, end = quote_locate(body, annotation.quote, occurrence=annotation.occurrence)
    paragraph_start, paragraph_end = paragraph_bounds(body, start, end)

    assert annotation.cue in body[paragraph_start:paragraph_end]


@pytest.mark.parametrize(("spec", "annotation"), ALL_ANNOTATIONS, ids=ALL_IDS)
def test_sourcing_agrees_with_speaker_and_source_words(spec, annotation):
    """The rules the demo content follows.

    1. No speaker (the outlet's own voice) <=> sourcing "none" <=> no source words.
    2. With a speaker, the sourcing follows from its kind: person -> named person,
       organisation or document -> named organisation/document, unnamed -> unnamed,
       vague -> vague.
    3. A reported fact is stated in the outlet's own voice, so it has no speaker.
    """
    no_speaker = annotation.speaker is None
    assert no_speaker == (annotation.sourcing == Annotation.Sourcing.NONE)
    assert no_speaker == (not annotation.source_words)
    if not no_speaker:
        kind = speaker_spec(spec, annotation).kind
        assert annotation.sourcing == SOURCING_FOR_SPEAKER_KIND[kind]
    if annotation.kind == Annotation.Kind.REPORTED_FACT:
        assert no_speaker


@pytest.mark.parametrize(("spec", "annotation"), ALL_ANNOTATIONS, ids=ALL_IDS)
def test_every_explanation_is_two_or_three_short_sentences(spec, annotation):
    sentences = re.findall(r"[.?!][”’]?(?=\s|$)", annotation.explanation)

    assert 0 < len(annotation.explanation) <= 400
    assert 2 <= len(sentences) <= 3, annotation.explanation


@pytest.mark.parametrize("spec", DEMO_ARTICLES, ids=DEMO_SLUGS)
def test_source_keys_and_names_are_unique_within_an_article(spec):
    keys = [source.key for source in spec.sources]
    names = [source.name for source in spec.sources]

    assert len(set(keys)) == len(keys)
    assert len(set(names)) == len(names)
    assert {a.speaker for a in spec.annotations} - {None} <= set(keys)


def test_demo_slugs_are_unique_and_start_with_the_shipped_article():
    assert DEMO_SLUGS[0] == "putin-denies-trump-contacts"
    assert len(set(DEMO_SLUGS)) == len(DEMO_SLUGS)
    assert (PUTIN_ARTICLE, *PRACTICE_ARTICLES, *PRACTICE_FORM_ARTICLES) == DEMO_ARTICLES


def test_shipped_text_is_a_verbatim_copy_of_the_article():
    assert hashlib.sha256(PUTIN_ARTICLE.text_path.read_bytes()).hexdigest() == SHIPPED_TEXT_SHA256


def test_shipped_body_is_the_text_minus_standfirst_and_link_one_blank_line_apart():
    lines = PUTIN_ARTICLE.text_path.read_text(encoding="utf-8").split("\n")

    standfirst, body = article_text_parts(PUTIN_ARTICLE)

    assert standfirst == lines[0]
    assert standfirst.startswith("The Russian president has said all allegations")
    assert body == "\n\n".join(line for line in lines[1:] if line != READ_MORE_LINE)
    assert READ_MORE_LINE in lines
    assert "READ MORE" not in body
    assert len(body.split("\n\n")) == 10
    assert "\n\n\n" not in body
    assert "“There were no contacts back then, and there are none now.”" in body


def test_practice_articles_are_marked_as_fiction_and_typeset_properly():
    for spec in (*PRACTICE_ARTICLES, *PRACTICE_FORM_ARTICLES):
        text = spec.text()
        assert spec.title.endswith("(practice article)")
        assert "fictional" in spec.outlet.notes
        assert "“" in text and "”" in text and "’" in text
    texts = "".join(spec.text() for spec in PRACTICE_ARTICLES)
    assert "—" in texts
    assert {"é", "£"} <= set(texts)


# The parallel forms: three pairs of practice articles, one pair per reading level.

# Each pair's band of Flesch-Kincaid grades (inclusive), and how far apart its two may read.
FORM_BANDS = ((5.0, 6.5), (8.0, 9.5), (11.0, 12.5))
FORM_WORDS = ((180, 250), (250, 350), (300, 400))
MAX_GRADE_GAP = 1.5
FORM_IDS = [f"{first.slug}+{second.slug}" for first, second in PARALLEL_FORMS]


def test_parallel_forms_are_three_pairs_of_new_articles():
    slugs = [spec.slug for pair in PARALLEL_FORMS for spec in pair]

    assert len(PARALLEL_FORMS) == len(FORM_BANDS)
    assert all(len(pair) == 2 for pair in PARALLEL_FORMS)
    assert tuple(spec for pair in PARALLEL_FORMS for spec in pair) == PRACTICE_FORM_ARTICLES
    assert len(set(slugs)) == len(slugs)
    assert not set(slugs) & {spec.slug for spec in PRACTICE_ARTICLES}


@pytest.mark.parametrize(
    ("pair", "band", "words"),
    list(zip(PARALLEL_FORMS, FORM_BANDS, FORM_WORDS, strict=True)),
    ids=FORM_IDS,
)
def test_both_articles_of_a_pair_read_at_its_level_and_within_a_grade_and_a_half(pair, band, words):
    grades = [reading_grade(body_of(spec)) for spec in pair]
    lengths = [len(body_of(spec).split()) for spec in pair]

    assert all(band[0] <= grade <= band[1] for grade in grades), grades
    assert abs(grades[0] - grades[1]) <= MAX_GRADE_GAP, grades
    assert all(words[0] <= length <= words[1] for length in lengths), lengths


def test_each_pair_reads_harder_than_the_one_before():
    grades = [max(reading_grade(body_of(spec)) for spec in pair) for pair in PARALLEL_FORMS]
    easiest = [min(reading_grade(body_of(spec)) for spec in pair) for pair in PARALLEL_FORMS]

    assert all(
        hardest < next_easiest for hardest, next_easiest in zip(grades, easiest[1:], strict=False)
    )


@pytest.mark.parametrize("spec", PRACTICE_FORM_ARTICLES, ids=lambda spec: spec.slug)
def test_each_form_has_ten_to_fourteen_annotations_of_every_kind_and_sourcing(spec):
    kinds = [annotation.kind for annotation in spec.annotations]
    sourcings = {annotation.sourcing for annotation in spec.annotations}

    assert 10 <= len(spec.annotations) <= 14
    assert set(kinds) == set(Annotation.Kind.values)
    assert kinds.count(Annotation.Kind.CLAIM) >= 3
    assert kinds.count(Annotation.Kind.REPORTED_FACT) >= 2
    assert sourcings == set(Annotation.Sourcing.values)


@pytest.mark.parametrize("spec", PRACTICE_FORM_ARTICLES, ids=lambda spec: spec.slug)
def test_each_form_quotes_every_kind_of_source_with_a_variety_of_cues(spec):
    speakers = {annotation.speaker for annotation in spec.annotations} - {None}
    cues = {annotation.cue.casefold() for annotation in spec.annotations}
    source_words = [annotation.source_words for annotation in spec.annotations]

    assert {source.kind for source in spec.sources} == set(Source.Kind.values) - {"outlet"}
    assert speakers == {source.key for source in spec.sources}
    assert {"said", "according to", "admitted", "claimed", "warned"} <= cues
    # A tag after a quotation and a pronoun that stands for a name given earlier.
    assert any(words.startswith("said ") for words in source_words)
    assert {"he said", "she said"} & set(source_words)


@pytest.mark.parametrize("spec", PRACTICE_FORM_ARTICLES, ids=lambda spec: spec.slug)
def test_each_form_has_an_interrupted_quotation_with_a_statement_annotated(spec):
    body = body_of(spec)
    interrupted = re.compile(r"“[^”]+,” ([^“”]+), “[^”]+”")
    quoted = [match.group(0) for match in interrupted.finditer(body)]

    assert quoted
    assert any(annotation.quote in text for annotation in spec.annotations for text in quoted)


def test_pairs_are_built_alike():
    for first, second in PARALLEL_FORMS:
        assert len(body_of(first).split("\n\n")) == len(body_of(second).split("\n\n"))
        assert abs(len(first.annotations) - len(second.annotations)) <= 1
        assert [a.kind for a in first.annotations] == [a.kind for a in second.annotations]
        assert [a.sourcing for a in first.annotations] == [a.sourcing for a in second.annotations]
        assert first.published_on and second.published_on and first.byline and second.byline


# Reading a spec file.

SPEC_TOML = """\
title = "A test article"

[[sources]]
key = "ann"
name = "Ann"
description = "A witness"
kind = "person"

[[annotations]]
quote = "it rained"
kind = "claim"
speaker = "SPEAKER"
source_words = "Ann said"
explanation = "Ann's claim. Check it."

[[annotations]]
quote = "Ann said"
kind = "fact"
explanation = "A fact. In the outlet's voice."
"""


def test_spec_file_gives_each_annotation_the_sourcing_of_its_speaker(tmp_path, monkeypatch):
    (tmp_path / "test-article.toml").write_text(SPEC_TOML.replace("SPEAKER", "ann"))
    monkeypatch.setattr(demo_spec, "CONTENT_DIR", tmp_path)

    loaded = article_spec_load("test-article")

    assert (loaded.slug, loaded.text_file, loaded.title) == (
        "test-article",
        "test-article.txt",
        "A test article",
    )
    assert [a.sourcing for a in loaded.annotations] == ["named_person", "none"]


def test_spec_file_naming_a_speaker_it_does_not_list_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "test-article.toml").write_text(SPEC_TOML.replace("SPEAKER", "bob"))
    monkeypatch.setattr(demo_spec, "CONTENT_DIR", tmp_path)

    with pytest.raises(DemoContentError, match="no source has the key 'bob'"):
        article_spec_load("test-article")


# Locating quotes: mistakes fail loudly.


def test_quote_that_is_not_in_the_text_is_an_error():
    with pytest.raises(DemoContentError, match="not in the text"):
        quote_locate("Putin said no.", "Putin said yes")


def test_quote_that_appears_twice_needs_an_occurrence():
    body = "He said no. Then he said no again."

    with pytest.raises(DemoContentError, match="appears 2 times"):
        quote_locate(body, "said no")
    second = body.rindex("said no")
    assert quote_locate(body, "said no", occurrence=2) == (second, second + len("said no"))
    with pytest.raises(DemoContentError, match="no occurrence 3"):
        quote_locate(body, "said no", occurrence=3)


def test_source_words_are_taken_nearest_the_quote_and_never_from_another_paragraph():
    body = "Ann said it rained.\n\nBob said it snowed, and Ann said it hailed."
    hailed = quote_locate(body, "it hailed")
    rained = quote_locate(body, "it rained")

    nearest = body.rindex("Ann said")
    assert source_words_locate(body, "Ann said", start=hailed[0], end=hailed[1]) == (
        nearest,
        nearest + len("Ann said"),
    )
    with pytest.raises(DemoContentError, match="not in the paragraph"):
        source_words_locate(body, "Bob said", start=rained[0], end=rained[1])


def test_source_words_equally_near_on_both_sides_are_an_error():
    body = "Ann said: rain, said Bob."
    rain = quote_locate(body, "rain")

    with pytest.raises(DemoContentError, match="equally near"):
        source_words_locate(body, "said", start=rain[0], end=rain[1])


# Loading.


@pytest.mark.django_db
def test_loading_creates_every_demo_article_with_its_sources_and_annotations(teacher):
    articles = demo_articles_ensure(owner=teacher)

    assert [article.slug for article in articles] == DEMO_SLUGS
    assert Article.objects.count() == len(DEMO_ARTICLES)
    assert set(Outlet.objects.values_list("name", flat=True)) == {"RT", "Millbrook Gazette"}
    assert Source.objects.count() == sum(len(spec.sources) for spec in DEMO_ARTICLES)
    assert Annotation.objects.count() == sum(len(spec.annotations) for spec in DEMO_ARTICLES)
    for article, spec in zip(articles, DEMO_ARTICLES, strict=True):
        assert article.status == Article.Status.PUBLISHED
        assert article.owner == teacher
        assert article.title == spec.title
        assert (article.standfirst, article.body) == article_text_parts(spec)
        assert article.annotations.filter(author=teacher).count() == len(spec.annotations)


@pytest.mark.django_db
def test_shipped_article_names_its_outlet_and_date_and_leaves_the_unknown_empty(teacher):
    article = demo_articles_ensure(owner=teacher)[0]

    assert article.title == "Putin denies contacts with Trump"
    assert (article.outlet.name, article.outlet.url) == ("RT", "https://www.rt.com")
    # The news conference was on Thursday 24 October 2024; RT published the next day.
    assert article.published_on == datetime.date(2024, 10, 25)
    assert article.byline == ""
    assert article.source_url == ""


@pytest.mark.django_db
def test_shipped_article_is_fully_annotated_with_every_kind_and_several_kinds_of_source(
    teacher,
):
    article = demo_articles_ensure(owner=teacher)[0]
    annotations = list(article.annotations.select_related("speaker"))

    assert 18 <= len(annotations) <= 26
    assert {a.kind for a in annotations} == set(Annotation.Kind.values)
    speaker_kinds = {a.speaker.kind for a in annotations if a.speaker}
    assert {"person", "document", "unnamed", "vague"} <= speaker_kinds
    assert {a.sourcing for a in annotations} == set(Annotation.Sourcing.values)
    loaded_cue = article.annotations.get(cue="pointed out", exact__startswith="However")
    assert loaded_cue.speaker.name == "Vladimir Putin"
    assert loaded_cue.source_exact == "the Russian president pointed out"
    moscow = article.annotations.get(speaker__name="Moscow")
    assert (moscow.sourcing, moscow.source_exact, moscow.cue) == ("vague", "Moscow", "stressed")
    assert article.annotations.get(exact="the fake news picked it up").kind == "opinion"


@pytest.mark.django_db
def test_practice_articles_cover_unnamed_vague_document_opinion_and_no_source(teacher):
    demo_articles_ensure(owner=teacher)
    practice = Annotation.objects.filter(article__slug__in=DEMO_SLUGS[1:])

    assert practice.filter(sourcing="unnamed", speaker__kind="unnamed").exists()
    assert practice.filter(sourcing="vague", speaker__kind="vague").exists()
    assert practice.filter(sourcing="named_org", speaker__kind="document").exists()
    assert practice.filter(sourcing="named_org", speaker__kind="organisation").exists()
    assert practice.filter(kind="opinion").exists()
    assert practice.filter(kind="claim", sourcing="none", speaker__isnull=True).exists()


@pytest.mark.django_db
def test_every_loaded_annotation_is_valid_and_anchored_on_its_words(teacher):
    demo_articles_ensure(owner=teacher)
    specs = {
        (spec.slug, annotation.quote, annotation.kind): annotation
        for spec, annotation in ALL_ANNOTATIONS
    }

    for annotation in Annotation.objects.select_related("article", "speaker"):
        annotation.full_clean()
        body = annotation.article.body
        spec = specs[(annotation.article.slug, annotation.exact, annotation.kind)]
        assert body[annotation.start : annotation.end] == spec.quote
        assert annotation.anchor_status == Annotation.Anchor.EXACT
        assert annotation.source_exact == spec.source_words
        if annotation.has_source_span:
            assert body[annotation.source_start : annotation.source_end] == spec.source_words
        assert (annotation.speaker is None) == (annotation.sourcing == "none")
        assert annotation.explanation == spec.explanation


@pytest.mark.django_db
def test_loading_twice_changes_no_row(teacher):
    demo_articles_ensure(owner=teacher)
    before = all_rows()

    demo_articles_ensure(owner=teacher)

    assert all_rows() == before


@pytest.mark.django_db
def test_existing_article_keeps_its_edits_and_only_gets_the_missing_annotations(teacher):
    article = demo_articles_ensure(owner=teacher)[0]
    Article.objects.filter(pk=article.pk).update(title="Putin on Trump (edited)")
    removed = list(
        article.annotations.filter(
            exact__in=["Trump won in the 2016 Presidential election", "the fake news picked it up"]
        ).values_list("start", "end", "kind")
    )
    assert len(removed) == 2
    article.annotations.filter(start__in=[start for start, _end, _kind in removed]).delete()
    kept = list(article.annotations.order_by("pk").values())

    demo_articles_ensure(owner=teacher)

    article.refresh_from_db()
    assert article.title == "Putin on Trump (edited)"
    assert article.annotations.count() == len(PUTIN_ARTICLE.annotations)
    assert set(article.annotations.values_list("start", "end", "kind")) >= set(removed)
    assert list(article.annotations.filter(pk__in=[row["id"] for row in kept]).values()) == kept


@pytest.mark.django_db
def test_rerun_after_the_text_was_edited_adds_no_duplicates(teacher):
    article = demo_articles_ensure(owner=teacher)[0]
    edited = "A note from the teacher: read this one slowly.\n\n" + article.body
    article_body_update(article=article, body=edited)
    before = all_rows()

    demo_articles_ensure(owner=teacher)

    assert all_rows() == before
    assert article.annotations.count() == len(PUTIN_ARTICLE.annotations)


@pytest.mark.django_db
def test_article_with_the_demo_slug_and_other_text_keeps_its_text(teacher):
    body = "Vladimir Putin has denied it. “And then the fake news picked it up,” he said."
    ArticleFactory(slug=PUTIN_ARTICLE.slug, body=body, owner=teacher)

    article = demo_articles_ensure(owner=teacher)[0]

    article.refresh_from_db()
    assert article.body == body
    # Only the one quote this text still has is annotated; the rest are skipped, not forced.
    added = article.annotations.get()
    assert (added.exact, added.source_exact) == ("the fake news picked it up", "he said")
    assert article.sources.count() == len(PUTIN_ARTICLE.sources)


@pytest.mark.django_db
def test_a_quote_missing_from_the_text_fails_loudly_and_saves_nothing(teacher, monkeypatch):
    broken = dataclasses.replace(
        LIBRARY,
        annotations=(
            *LIBRARY.annotations,
            AnnotationSpec(
                quote="the library will reopen next year",
                kind="claim",
                sourcing="none",
                explanation="Not in the text.",
            ),
        ),
    )
    monkeypatch.setattr(demo_content, "DEMO_ARTICLES", (PUTIN_ARTICLE, broken))

    with pytest.raises(DemoContentError, match="the library will reopen next year"):
        demo_articles_ensure(owner=teacher)

    assert all(not rows for rows in all_rows().values())
