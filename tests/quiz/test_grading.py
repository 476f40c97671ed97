import pytest

from quiz.grading import span_overlap

BODY = (
    "Last week, a book by American journalist Bob Woodward hit the stands which alleged that "
    "Trump had secretly spoken to Putin seven times.\n\n"
    "Moscow has previously stressed that it will work with whichever leader is chosen."
)
WOODWARD = (BODY.index("a book by"), BODY.index(" hit the"))
MOSCOW = (BODY.index("Moscow"), BODY.index("Moscow") + len("Moscow"))


def selection(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


@pytest.mark.parametrize(
    "selected",
    [
        "a book by American journalist Bob Woodward",  # exactly the source words
        "Bob Woodward",  # the name alone
        "journalist Bob Woodward hit",  # the name with a word around it
        "week, a book by American journalist Bob Woodward hit the",  # a little either side
        "ob Woodwar",  # a selection that clips letters still counts whole words
        " Bob Woodward ",  # surrounding spaces are ignored
    ],
)
def test_selections_that_name_the_source_are_right(selected):
    assert span_overlap(BODY, selected=selection(selected), answer=WOODWARD).is_correct


@pytest.mark.parametrize(
    "selected",
    [
        BODY.split("\n\n")[0],  # the whole paragraph
        "Last week, a book by American journalist Bob Woodward hit the stands which alleged",
        "by",  # one small word of the source words
        "Trump had secretly spoken",  # somewhere else entirely
        "Putin",
    ],
)
def test_selections_that_do_not_name_the_source_are_wrong(selected):
    assert not span_overlap(BODY, selected=selection(selected), answer=WOODWARD).is_correct


def test_a_one_word_source_is_right_alone_or_with_a_word_around_it():
    assert span_overlap(BODY, selected=MOSCOW, answer=MOSCOW).is_correct
    assert span_overlap(BODY, selected=selection("Moscow has"), answer=MOSCOW).is_correct
    assert not span_overlap(
        BODY, selected=selection("Moscow has previously stressed that"), answer=MOSCOW
    ).is_correct


def test_empty_and_out_of_range_selections_are_wrong():
    assert not span_overlap(BODY, selected=(5, 5), answer=MOSCOW).is_correct
    assert not span_overlap(BODY, selected=(10_000, 10_010), answer=MOSCOW).is_correct
