"""Grading of evidence questions: does the student's selection name the source?

Graded by words, not characters. A selection is right when it covers enough of the words
that name the source and adds only a few others: the name alone ("Bob Woodward" for "a book
by American journalist Bob Woodward"), or the name with a word around it, is right; a whole
sentence or paragraph, or a single small word of the name, is not.
"""

import math
import re
from dataclasses import dataclass

WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
MIN_SHARE_COVERED = 0.25  # of the source words
MIN_WORDS_COVERED = 2  # or all of them, when the source is named in fewer words
MAX_EXTRA_WORDS = 2  # words selected beyond the source words ("a word around it")
MAX_EXTRA_SHARE = 0.5  # for long source phrases, up to half as many extra words


@dataclass(frozen=True)
class Overlap:
    covered: int  # source words the selection includes
    answer_words: int  # words that name the source
    extra: int  # selected words that are not source words

    @property
    def covers_enough(self) -> bool:
        """Enough of the source words are selected."""
        return (
            bool(self.answer_words)
            and self.covered >= min(self.answer_words, MIN_WORDS_COVERED)
            and self.covered >= math.ceil(MIN_SHARE_COVERED * self.answer_words)
        )

    @property
    def adds_too_much(self) -> bool:
        """More words are selected around the source words than "a word around it"."""
        allowed_extra = max(MAX_EXTRA_WORDS, math.floor(MAX_EXTRA_SHARE * self.answer_words))
        return self.extra > allowed_extra

    @property
    def is_correct(self) -> bool:
        return self.covers_enough and not self.adds_too_much


def words_in_span(body: str, start: int, end: int) -> set[int]:
    """Return the start offsets of the words that the span touches, even partly."""
    start, end = max(0, start), min(len(body), end)
    if start >= end:
        return set()
    # Widen to whole words so a selection that clips a letter still counts the word.
    while start > 0 and body[start - 1].isalnum() and body[start].isalnum():
        start -= 1
    return {
        match.start()
        for match in WORD.finditer(body, start, min(len(body), end + 40))
        if match.start() < end
    }


def span_overlap(body: str, *, selected: tuple[int, int], answer: tuple[int, int]) -> Overlap:
    """Compare the words of a selection with the words that name the source."""
    selected_words = words_in_span(body, *selected)
    answer_words = words_in_span(body, *answer)
    return Overlap(
        covered=len(selected_words & answer_words),
        answer_words=len(answer_words),
        extra=len(selected_words - answer_words),
    )


class Miss:
    """Why a selection is not the words that name the source, so the feedback can say so."""

    ELSEWHERE = "elsewhere"  # the same name, but not where this statement is attributed
    PART = "part"  # some of the source words, too few of them
    TOO_MUCH = "too_much"  # the source words, and too many words around them
    UNRELATED = "unrelated"  # no word of the source at all


# Capitalised at the start of a sentence, these name nobody.
FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "and", "but", "in", "on", "at", "by", "for", "from", "of", "to", "with"}
    | {"he", "she", "it", "they", "his", "her", "its", "their", "this", "that", "according"}
)


def name_words(text: str) -> set[str]:
    """The capitalised words of `text`, which name someone ("Parata", "Moscow"), folded."""
    return {word.lower() for word in WORD.findall(text) if word[0].isupper()} - FUNCTION_WORDS


def selection_miss(body: str, *, selected: tuple[int, int], answer: tuple[int, int]) -> str:
    """Why a wrong selection is wrong: one of `Miss`'s values.

    "Parata" picked in the first paragraph, when "says Parata" beside the statement is what
    attributes it, is ELSEWHERE: the right name in the wrong place.
    """
    overlap = span_overlap(body, selected=selected, answer=answer)
    if overlap.covered:
        return Miss.PART if not overlap.covers_enough else Miss.TOO_MUCH
    if name_words(body[slice(*selected)]) & name_words(body[slice(*answer)]):
        return Miss.ELSEWHERE
    return Miss.UNRELATED
