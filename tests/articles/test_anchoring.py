# Typographic apostrophes are the point of these tests.
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.anchoring import (
    MAX_ERRORS,
    MIN_FUZZY_SCORE,
    SOURCE_SPAN_REACH,
    AnchorResult,
    anchor_locate,
    anchor_source_span,
    approximate_ends,
    edit_distance,
    max_errors,
)
from articles.models import Annotation, Article
from articles.services import annotation_create, annotations_reanchor, article_body_update
from tests.factories import ArticleFactory

EXACT = Annotation.Anchor.EXACT
MOVED = Annotation.Anchor.MOVED
FUZZY = Annotation.Anchor.FUZZY
ORPHANED = Annotation.Anchor.ORPHANED

BODY = (
    "Café owner Iñaki Peña 😀 said on Monday: “The bridge will reopen in May — not a day "
    "later.”\n\n"
    "Critics argue the repairs were rushd, according to a report seen by the Gazette 👩‍🏫.\n\n"
    "“It’s a disgrace,” said one résident of the old town. The bridge closed in 2023."
)
PENA_QUOTE = "The bridge will reopen in May — not a day later."
CRITICS_QUOTE = "Critics argue the repairs were rushd, according to a report"
RESIDENT_QUOTE = "“It’s a disgrace,” said one résident"
INSERTED = "Update 👩‍🏫: añadido — “new” paragraph, café 😀.\n\n"


def selector(body: str, quote: str, occurrence: int = 0) -> dict:
    """Return what an annotation of the n-th occurrence of quote stores."""
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(quote, start + 1)
    end = start + len(quote)
    return {
        "exact": quote,
        "prefix": body[max(0, start - 32) : start],
        "suffix": body[end : end + 32],
        "start": start,
        "end": end,
    }


def locate(old_body: str, new_body: str, quote: str, occurrence: int = 0) -> AnchorResult:
    return anchor_locate(body=new_body, **selector(old_body, quote, occurrence))


def found_text(body: str, result: AnchorResult) -> str:
    return body[result.start : result.end]


def naive_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    previous = list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    for i, p in enumerate(pattern, 1):
        current = [i]
        for j, t in enumerate(text, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (p != t)))
        previous = current
    return previous


# The approximate matching underneath -------------------------------------------------------


def test_bit_parallel_distances_agree_with_the_textbook_table_on_mixed_scripts():
    rng = random.Random(20241024)
    alphabet = ["a", "b", "é", "e\u0301", "ñ", "—", "’", "😀", "👩\u200d🏫", " "]
    for _ in range(400):
        pattern = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        assert edit_distance(pattern, text) == naive_distances(pattern, text, anchored=True)[-1]
        assert approximate_ends(text, pattern) == naive_distances(pattern, text, anchored=False)


def test_edit_distance_counts_code_points_so_precomposed_and_combining_accents_differ():
    assert edit_distance("café", "café") == 0
    assert edit_distance("café", "cafe\u0301") == 2
    assert edit_distance("", "😀") == 1


def test_allowed_errors_are_a_quarter_of_the_quote_and_capped():
    assert max_errors(3) == 0
    assert max_errors(40) == 10
    assert max_errors(10_000) == MAX_ERRORS


# Exact and moved ---------------------------------------------------------------------------


def test_unchanged_body_anchors_exactly_at_the_same_offsets():
    for quote in (PENA_QUOTE, CRITICS_QUOTE, RESIDENT_QUOTE, "😀", "👩‍🏫"):
        stored = selector(BODY, quote)
        result = anchor_locate(body=BODY, **stored)
        assert result == AnchorResult(EXACT, stored["start"], stored["end"], 1.0)


def test_quote_that_itself_cuts_a_joined_emoji_still_anchors_exactly_and_moves():
    quote = "\U0001f3eb."  # the second half of 👩‍🏫, as a careless selection might store it
    stored = selector(BODY, quote)
    assert anchor_locate(body=BODY, **stored).status == EXACT
    result = anchor_locate(body=INSERTED + BODY, **stored)
    assert result.status == MOVED
    assert result.start == stored["start"] + len(INSERTED)


def test_same_length_edit_before_the_quote_keeps_it_exact():
    new_body = BODY.replace("Monday", "Sunday")
    result = locate(BODY, new_body, PENA_QUOTE)
    assert result.status == EXACT
    assert found_text(new_body, result) == PENA_QUOTE


def test_word_lengthened_at_the_same_offsets_is_fuzzy_not_exact():
    new_body = BODY.replace("in May", "in Mayo")
    result = locate(BODY, new_body, "The bridge will reopen in May")
    assert result.status == FUZZY
    assert found_text(new_body, result) == "The bridge will reopen in Mayo"


def test_quote_after_inserted_emoji_and_accents_is_moved_by_code_points():
    new_body = INSERTED + BODY
    for quote in (PENA_QUOTE, CRITICS_QUOTE, RESIDENT_QUOTE):
        result = locate(BODY, new_body, quote)
        assert result.status == MOVED
        assert result.score == 1.0
        assert result.start == BODY.index(quote) + len(INSERTED)
        assert found_text(new_body, result) == quote


def test_quote_with_emoji_inside_is_moved_whole():
    quote = "seen by the Gazette 👩‍🏫."
    new_body = BODY.replace("Peña 😀", "Peña 😀😀😀")
    result = locate(BODY, new_body, quote)
    assert result.status == MOVED
    assert found_text(new_body, result) == quote
    assert result.start == BODY.index(quote) + 2


def test_repeated_quote_is_told_apart_by_its_context_rather_than_its_old_position():
    said = "the bridge will reopen — “soon”"
    old_body = f"Peña 😀 said {said}.\n\nLater Ruiz, the engineer, told us {said}."
    new_body = "x" * 60 + old_body
    # Ruiz's words used to start where Peña's start now; the context still says Ruiz.
    assert abs(new_body.index(said) - selector(old_body, said, 1)["start"]) < 15
    result = locate(old_body, new_body, said, occurrence=1)
    assert result.status == MOVED
    assert new_body[: result.start].endswith("told us ")


def test_repeated_quote_in_identical_context_goes_to_the_occurrence_nearest_its_old_place():
    paragraph = "She said “¿qué?” — and left 😀 without a word. "
    old_body = "Intro. " + paragraph * 4
    new_body = "Añadido. " + old_body
    stored = selector(old_body, "“¿qué?”", occurrence=2)
    result = anchor_locate(body=new_body, **stored)
    assert result.status == MOVED
    assert result.start == stored["start"] + len("Añadido. ")


def test_occurrence_that_splits_an_accented_letter_is_not_taken_as_moved():
    old_body = "The owner of the Cafe is here. " + "x" * 40
    new_body = "New intro. The owner of the Cafe\u0301 is here. " + "x" * 40
    result = locate(old_body, new_body, "The owner of the Cafe")
    assert result.status == FUZZY
    assert found_text(new_body, result) == "The owner of the Cafe\u0301"


def test_occurrence_that_splits_a_joined_emoji_is_not_taken_as_moved():
    old_body = "The teacher of the year 👩 smiled. " + "x" * 40
    new_body = "Updated: the teacher of the year 👩\u200d🏫 smiled. " + "x" * 40
    result = locate(old_body, new_body, "teacher of the year 👩")
    assert result.status == FUZZY
    assert found_text(new_body, result) == "teacher of the year 👩\u200d🏫"


# Fuzzy ----------------------------------------------------------------------------------------


def test_changed_word_gives_a_fuzzy_match_that_covers_the_whole_new_word():
    new_body = INSERTED + BODY.replace("reopen in May", "reopen in June")
    result = locate(BODY, new_body, PENA_QUOTE)
    assert result.status == FUZZY
    assert found_text(new_body, result) == "The bridge will reopen in June — not a day later."
    # May -> June: three substitutions and one insertion.
    assert result.score == pytest.approx(1 - 4 / len(PENA_QUOTE))


def test_changed_word_at_the_end_of_the_quote_is_not_cut_mid_word():
    quote = "The bridge will reopen in May"
    new_body = BODY.replace("reopen in May", "reopen in June")
    result = locate(BODY, new_body, quote)
    assert result.status == FUZZY
    assert found_text(new_body, result) == "The bridge will reopen in June"


def test_changed_word_at_the_start_of_the_quote_is_not_cut_mid_word():
    new_body = BODY.replace("Critics argue", "Opponents argue")
    result = locate(BODY, new_body, CRITICS_QUOTE)
    assert result.status == FUZZY
    assert found_text(new_body, result) == CRITICS_QUOTE.replace("Critics", "Opponents")
    assert MIN_FUZZY_SCORE <= result.score < 1


def test_fixed_typo_is_a_fuzzy_match_one_edit_away():
    new_body = BODY.replace("rushd", "rushed")
    result = locate(BODY, new_body, CRITICS_QUOTE)
    assert result.status == FUZZY
    assert found_text(new_body, result) == CRITICS_QUOTE.replace("rushd", "rushed")
    assert result.score == pytest.approx(1 - 1 / len(CRITICS_QUOTE))


def test_curly_punctuation_straightened_is_a_fuzzy_match():
    new_body = BODY.replace("“It’s a disgrace,”", '"It\'s a disgrace,"')
    result = locate(BODY, new_body, RESIDENT_QUOTE)
    assert result.status == FUZZY
    assert found_text(new_body, result) == '"It\'s a disgrace," said one résident'
    assert result.score == pytest.approx(1 - 3 / len(RESIDENT_QUOTE))


def test_em_dash_replaced_is_a_fuzzy_match():
    new_body = BODY.replace("May — not", "May - not")
    result = locate(BODY, new_body, PENA_QUOTE)
    assert result.status == FUZZY
    assert found_text(new_body, result) == "The bridge will reopen in May - not a day later."


def test_accents_are_compared_as_stored_not_normalised():
    quote = "said one résident of the old town"
    new_body = BODY.replace("résident", "re\u0301sident")
    result = locate(BODY, new_body, quote)
    assert result.status == FUZZY
    assert found_text(new_body, result) == "said one re\u0301sident of the old town"
    assert result.score == pytest.approx(1 - 2 / len(quote))


def test_fuzzy_match_ending_on_an_accent_keeps_the_accent_with_its_letter():
    old_body = "Nobody could find the owner of the Café. " + "Then it rained." * 3
    new_body = "Nobody could find the owner of the Cafe\u0301. " + "Then it rained." * 3
    result = locate(old_body, new_body, "find the owner of the Café")
    assert result.status == FUZZY
    assert found_text(new_body, result) == "find the owner of the Cafe\u0301"


def test_fuzzy_match_is_told_apart_by_its_context():
    said = "the bridge will reopen in May"
    old_body = (
        f"Peña 😀 said {said}.\n\n" + "Filler — ñ. " * 5 + f"Ruiz, the engineer, said {said}."
    )
    # Ruiz's words used to start where Peña's start now; the context still says Ruiz.
    shift = selector(old_body, said, 1)["start"] - old_body.index(said)
    new_body = ("Añadido 😀 — " * 20)[:shift] + old_body.replace("in May", "in June")
    result = locate(old_body, new_body, said, occurrence=1)
    assert result.status == FUZZY
    assert new_body[: result.start].endswith("Ruiz, the engineer, said ")
    assert found_text(new_body, result) == "the bridge will reopen in June"


def test_deleted_sentence_orphans_the_quote():
    new_body = BODY.replace(RESIDENT_QUOTE + " of the old town. ", "")
    result = locate(BODY, new_body, RESIDENT_QUOTE)
    assert result == AnchorResult(ORPHANED, None, None, 0.0)


def test_rewritten_quote_beyond_the_allowed_edits_is_orphaned():
    new_body = BODY.replace("The bridge will reopen in May", "Work on the crossing ends in June")
    result = locate(BODY, new_body, PENA_QUOTE)
    assert result.status == ORPHANED
    assert result.score == 0


def test_quote_too_short_for_any_edit_is_never_matched_approximately():
    new_body = BODY.replace("in May", "in Mai")
    result = locate(BODY, new_body, "May")
    assert result.status == ORPHANED


def test_quote_in_a_long_body_is_found_approximately():
    rng = random.Random(7)
    words = ["el", "puente", "—", "“bridge”", "café", "señor", "😀", "mayor’s", "👩‍🏫", "said"]
    body = " ".join(rng.choice(words) for _ in range(3000))[:20_000]
    quote = body[9_000:9_300]
    stored = {
        "exact": quote,
        "prefix": body[8_968:9_000],
        "suffix": body[9_300:9_332],
        "start": 9_000,
        "end": 9_300,
    }
    edited = body[:9_100] + "NEW TEXT" + body[9_110:]
    result = anchor_locate(body=edited, **stored)
    assert result.status == FUZZY
    assert result.start == 9_000
    assert MIN_FUZZY_SCORE < result.score < 1


# The source words ------------------------------------------------------------------------


def source_args(body: str, quote: str, source_words: str) -> dict:
    return {
        "source_exact": source_words,
        "source_start": body.index(source_words),
        "old_start": body.index(quote),
    }


def test_source_words_move_with_the_quote():
    new_body = INSERTED + BODY
    anchor = locate(BODY, new_body, PENA_QUOTE)
    span = anchor_source_span(
        body=new_body, anchor=anchor, **source_args(BODY, PENA_QUOTE, "Iñaki Peña 😀")
    )
    assert span.found
    assert new_body[span.start : span.end] == "Iñaki Peña 😀"
    assert span.start == BODY.index("Iñaki Peña") + len(INSERTED)


def test_source_words_prefer_the_mention_nearest_the_quote():
    old_body = "Peña spoke first. " + "Filler — ñ. " * 10 + "Peña said “we will reopen in May”."
    quote = "we will reopen in May"
    old_start = old_body.index(quote)
    source_start = old_body.rindex("Peña")
    new_body = old_body.replace("Filler", "Relleno")
    anchor = locate(old_body, new_body, quote)
    span = anchor_source_span(
        body=new_body,
        anchor=anchor,
        source_exact="Peña",
        source_start=source_start,
        old_start=old_start,
    )
    assert span.start == new_body.rindex("Peña")


def test_source_words_follow_the_quote_when_paragraphs_are_swapped():
    claim = "Peña said “we will reopen in May”."
    other = "Peña also runs the café 😀 on the corner, and has done for years."
    old_body = claim + "\n\n" + other
    new_body = other + "\n\n" + claim
    quote = "we will reopen in May"
    anchor = locate(old_body, new_body, quote)
    span = anchor_source_span(
        body=new_body, anchor=anchor, source_exact="Peña", source_start=0, old_start=10
    )
    assert span.start == new_body.index(claim)


def test_source_words_removed_near_the_quote_are_dropped_even_if_named_far_away():
    old_body = (
        "Iñaki Peña opened the café 😀. "
        + "Other news — ñ. " * 30
        + "Iñaki Peña said “the bridge will reopen in May”."
    )
    quote = "the bridge will reopen in May"
    new_body = old_body.replace("Iñaki Peña said", "The owner said")
    assert new_body.index(quote) - new_body.index("Iñaki Peña") > SOURCE_SPAN_REACH
    anchor = locate(old_body, new_body, quote)
    span = anchor_source_span(
        body=new_body,
        anchor=anchor,
        source_exact="Iñaki Peña",
        source_start=old_body.rindex("Iñaki Peña"),
        old_start=old_body.index(quote),
    )
    assert not span.found
    assert (span.start, span.end) == (None, None)


def test_source_words_gone_from_the_article_are_dropped():
    new_body = BODY.replace("a report seen by the Gazette", "a leaked report")
    anchor = locate(BODY, new_body, "Critics argue the repairs were rushd")
    span = anchor_source_span(
        body=new_body, anchor=anchor, **source_args(BODY, "Critics argue", "the Gazette")
    )
    assert not span.found


# Re-anchoring stored annotations ------------------------------------------------------------


@pytest.fixture
def article(db):
    return ArticleFactory(body=BODY)


def annotate(article: Article, quote: str, source_words: str | None = None) -> Annotation:
    start = article.body.index(quote)
    source = {}
    if source_words:
        source_start = article.body.index(source_words)
        source = {"source_start": source_start, "source_end": source_start + len(source_words)}
    return annotation_create(
        article=article,
        start=start,
        end=start + len(quote),
        kind=Annotation.Kind.CLAIM,
        sourcing=Annotation.Sourcing.NAMED_PERSON,
        **source,
    )


def assert_valid(annotation: Annotation) -> None:
    annotation.refresh_from_db()
    annotation.full_clean()
    if annotation.anchor_status != ORPHANED:
        body = annotation.article.body
        assert body[annotation.start : annotation.end] == annotation.exact
        assert annotation.prefix == body[max(0, annotation.start - 32) : annotation.start]
        assert annotation.suffix == body[annotation.end : annotation.end + 32]


def test_body_update_reanchors_every_annotation_in_the_database(article):
    pena = annotate(article, PENA_QUOTE, source_words="Iñaki Peña 😀")
    critics = annotate(article, CRITICS_QUOTE, source_words="a report seen by the Gazette 👩‍🏫")
    resident = annotate(article, RESIDENT_QUOTE)
    emoji = annotate(article, "😀 said on Monday")
    new_body = INSERTED + BODY.replace("rushd", "rushed").replace(
        RESIDENT_QUOTE + " of the old town. ", ""
    )

    counts = article_body_update(article=article, body=new_body)

    assert counts == {EXACT: 0, MOVED: 2, FUZZY: 1, ORPHANED: 1, "source_dropped": 0}
    article.refresh_from_db()
    assert article.body == new_body
    for annotation in (pena, critics, resident, emoji):
        assert_valid(annotation)
    assert (pena.anchor_status, pena.exact) == (MOVED, PENA_QUOTE)
    assert new_body[pena.source_start : pena.source_end] == "Iñaki Peña 😀"
    assert pena.source_exact == "Iñaki Peña 😀"
    assert critics.anchor_status == FUZZY
    assert critics.exact == CRITICS_QUOTE.replace("rushd", "rushed")
    assert critics.anchor_score == pytest.approx(1 - 1 / len(CRITICS_QUOTE))
    assert critics.source_exact == "a report seen by the Gazette 👩‍🏫"
    assert new_body[critics.source_start : critics.source_end] == critics.source_exact
    assert emoji.start == BODY.index("😀") + len(INSERTED)


def test_orphaned_annotation_keeps_its_last_known_quote_and_offsets(article):
    resident = annotate(article, RESIDENT_QUOTE, source_words="one résident")
    before = Annotation.objects.values().get(pk=resident.pk)

    article_body_update(article=article, body=BODY.replace(RESIDENT_QUOTE, "Nobody spoke"))

    resident.refresh_from_db()
    assert (resident.anchor_status, resident.anchor_score) == (ORPHANED, 0.0)
    for field in ("start", "end", "exact", "prefix", "suffix", "source_start", "source_end"):
        assert getattr(resident, field) == before[field]
    resident.full_clean()
    assert not resident.is_usable


def test_orphaned_annotation_is_found_again_when_its_text_comes_back(article):
    pena = annotate(article, PENA_QUOTE)
    article_body_update(article=article, body=BODY.replace(PENA_QUOTE, "Nothing to see."))
    pena.refresh_from_db()
    assert pena.anchor_status == ORPHANED

    article_body_update(article=article, body=INSERTED + BODY)

    assert_valid(pena)
    assert (pena.anchor_status, pena.anchor_score) == (MOVED, 1.0)
    assert pena.start == BODY.index(PENA_QUOTE) + len(INSERTED)


def test_exact_annotation_gets_its_context_refreshed(article):
    pena = annotate(article, PENA_QUOTE)

    counts = article_body_update(article=article, body=BODY.replace("Monday", "Sunday"))

    assert counts[EXACT] == 1
    assert_valid(pena)
    assert pena.anchor_status == EXACT
    assert pena.prefix.endswith("said on Sunday: “")


def test_source_words_that_disappear_are_dropped_and_counted(article):
    critics = annotate(article, CRITICS_QUOTE, source_words="the Gazette 👩‍🏫")
    new_body = BODY.replace("the Gazette 👩‍🏫", "a rival paper")

    counts = article_body_update(article=article, body=new_body)

    assert counts["source_dropped"] == 1
    assert_valid(critics)
    assert critics.anchor_status == EXACT
    assert (critics.source_start, critics.source_end, critics.source_exact) == (None, None, "")
    assert not critics.has_source_span


def test_source_words_never_stored_as_text_are_recovered_from_the_previous_body(article):
    pena = annotate(article, PENA_QUOTE, source_words="Iñaki Peña")
    Annotation.objects.filter(pk=pena.pk).update(source_exact="")
    article.refresh_from_db()

    counts = article_body_update(article=article, body=INSERTED + BODY)

    assert counts["source_dropped"] == 0
    assert_valid(pena)
    assert pena.source_exact == "Iñaki Peña"


def test_body_update_normalises_line_endings_and_updates_the_hash(article):
    old_hash = article.body_sha256
    article_body_update(article=article, body=BODY.replace("\n", "\r\n") + "\r")
    article.refresh_from_db()
    assert article.body == BODY + "\n"
    assert article.body_sha256 != old_hash


@pytest.mark.parametrize("body", ["", "  \n\n \t", "Text with a \x00 null"])
def test_unusable_body_is_rejected_and_nothing_changes(article, body):
    pena = annotate(article, PENA_QUOTE)
    before = Annotation.objects.values().get(pk=pena.pk)

    with pytest.raises(ValidationError) as error:
        article_body_update(article=article, body=body)

    assert "body" in error.value.message_dict
    assert article.body == BODY
    assert Article.objects.get(pk=article.pk).body == BODY
    assert Annotation.objects.values().get(pk=pena.pk) == before


def test_reanchor_after_the_body_was_saved_elsewhere(article):
    pena = annotate(article, PENA_QUOTE)
    article.body = BODY.replace("reopen in May", "reopen in June")
    article.save()

    counts = annotations_reanchor(article=article)

    assert counts[FUZZY] == 1
    assert_valid(pena)
    assert pena.exact == PENA_QUOTE.replace("May", "June")


def long_body_with_annotations(count: int) -> tuple[Article, str]:
    paragraphs = [
        f"Paragraph {n}: Peña 😀 said “the bridge nº{n} will reopen in May — or June”, "
        f"according to résidents of district {n} 👩‍🏫 who spoke to the Gazette."
        for n in range(count)
    ]
    article = ArticleFactory(body="\n\n".join(paragraphs))
    for n in range(count):
        annotate(article, f"the bridge nº{n} will reopen in May", source_words=f"district {n} ")
    edited = (INSERTED * 3 + article.body).replace("in May", "in Mayo").replace("rushd", "rushed")
    return article, edited


@pytest.mark.parametrize("count", [3, 30])
def test_body_update_queries_do_not_grow_with_the_annotations(db, count):
    article, edited = long_body_with_annotations(count)
    small_article, small_edited = long_body_with_annotations(1)
    with CaptureQueriesContext(connection) as small:
        article_body_update(article=small_article, body=small_edited)
    with CaptureQueriesContext(connection) as large:
        counts = article_body_update(article=article, body=edited)
    assert counts[FUZZY] == count
    assert len(large.captured_queries) == len(small.captured_queries)
    for annotation in article.annotations.all():
        annotation.full_clean()
