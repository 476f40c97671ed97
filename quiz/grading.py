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
    def is_correct(self) -> bool:
        if not self.answer_words or not self.covered:
            return False
        enough = self.covered >= min(self.answer_words, MIN_WORDS_COVERED) and (
            self.covered >= math.ceil(MIN_SHARE_COVERED * self.answer_words)
        )
        allowed_extra = max(MAX_EXTRA_WORDS, math.floor(MAX_EXTRA_SHARE * self.answer_words))
        return enough and self.extra <= allowed_extra


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
