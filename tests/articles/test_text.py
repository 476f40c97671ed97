from articles.demo_content import putin
from articles.text import reading_grade, sentence_spans, unannotated_sentences


def sentences(body: str) -> list[str]:
    return [body[start:end] for start, end in sentence_spans(body)]


def test_sentences_end_at_full_stops_question_and_exclamation_marks():
    body = "The bridge is shut. Will it reopen? Nobody knows! Residents wait…  The end."

    assert sentences(body) == [
        "The bridge is shut.",
        "Will it reopen?",
        "Nobody knows!",
        "Residents wait…",
        "The end.",
    ]


def test_a_quotation_and_its_attribution_are_one_sentence():
    body = (
        "“There were no contacts back then, and there are none now,” Putin said. "
        "“Is that so?” a reporter asked. “It is.” Then he left."
    )

    assert sentences(body) == [
        "“There were no contacts back then, and there are none now,” Putin said.",
        "“Is that so?” a reporter asked.",
        "“It is.”",
        "Then he left.",
    ]


def test_titles_initials_and_dotted_short_forms_do_not_end_a_sentence():
    body = (
        "Mr. Lee met Dr. Ana Ruiz and J. Smith in the U.S. Capitol at 9 a.m. on Monday. "
        "Mr Trump and the US Congress disagreed. Relations with the US. Are they over?"
    )

    assert sentences(body) == [
        "Mr. Lee met Dr. Ana Ruiz and J. Smith in the U.S. Capitol at 9 a.m. on Monday.",
        "Mr Trump and the US Congress disagreed.",
        "Relations with the US.",
        "Are they over?",
    ]


def test_a_line_break_ends_a_sentence_and_offsets_are_the_bodys():
    body = "Bridge to reopen\nThe mayor said so.\n\n  Engineers disagree. \n\n"

    spans = sentence_spans(body)

    assert [body[start:end] for start, end in spans] == [
        "Bridge to reopen",
        "The mayor said so.",
        "Engineers disagree.",
    ]
    assert spans[2] == (body.index("Engineers"), body.index("disagree.") + len("disagree."))


def test_the_demo_articles_quotations_split_where_a_reader_would():
    body = putin.ARTICLE.text()

    found = sentences(body)

    assert (
        "“This issue has been making headlines for years now. At one point, Mr Trump and "
        "Russia were accused of being connected,” Putin said."
    ) not in found
    assert "“This issue has been making headlines for years now." in found
    assert "At one point, Mr Trump and Russia were accused of being connected,” Putin said." in (
        found
    )
    assert "“If not, so be it." in found


BODY = "One is here. Two is here. Three is here. Four is here."


def span_of(words: str) -> tuple[int, int]:
    return BODY.index(words), BODY.index(words) + len(words)


def test_the_next_unannotated_sentence_comes_after_the_one_just_annotated():
    annotated = [span_of("Two is"), span_of("One")]

    offered = unannotated_sentences(BODY, annotated, after=span_of("Two is")[1])

    assert [BODY[start:end] for start, end in offered] == [
        "Three is here.",
        "Four is here.",
    ]


def test_a_sentence_touched_by_any_annotation_is_skipped_and_the_list_comes_round():
    annotated = [span_of("here. Four"), span_of("Two")]

    offered = unannotated_sentences(BODY, annotated, after=span_of("Four is here.")[1])

    # "here. Four" reaches into both the third and the fourth sentence.
    assert [BODY[start:end] for start, end in offered] == ["One is here."]


def test_every_sentence_annotated_offers_none():
    assert unannotated_sentences(BODY, [(0, len(BODY))], after=0) == []
    assert unannotated_sentences("", [], after=0) == []


def test_plain_short_sentences_read_at_a_lower_grade_than_long_learned_ones():
    plain = "The cat sat on the mat. It was a big cat. The dog ran in. Then it sat down too."
    learned = (
        "Notwithstanding considerable institutional opposition, the administration "
        "implemented comprehensive regulatory modifications affecting international "
        "telecommunications infrastructure throughout the subsequent legislative period."
    )

    assert reading_grade(plain) < 3 < 14 < reading_grade(learned)


def test_the_demo_articles_read_at_the_grades_their_outlets_write_for():
    with open(putin.ARTICLE.text_path, encoding="utf-8") as text:
        grade = reading_grade(text.read())

    # A wire-style news story: secondary school, not primary and not academic.
    assert 7 <= grade <= 13


def test_a_text_without_words_has_no_reading_grade():
    assert reading_grade("") is None
    assert reading_grade("2024 — 1,200 / 35%") is None
