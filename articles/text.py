"""Rules for quoted text in an article's body: finding it, comparing it, showing its context;
its sentences, to offer the next one nobody has annotated; and how hard it is to read.

Pure functions, no database. Offsets are Python str indices (code points); a quote is found
exactly as it is written, overlapping occurrences included.
"""

import re
from collections.abc import Iterable
from functools import cache
from itertools import pairwise

import pyphen
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import QUOTE_CONTEXT


def quote_occurrences(body: str, quote: str) -> list[int]:
    """Return the start offset of every occurrence of the quote in the body (none if empty)."""
    starts = []
    position = body.find(quote) if quote else -1
    while position != -1:
        starts.append(position)
        position = body.find(quote, position + 1)
    return starts


def quote_find(body: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """Locate a typed or pasted quote in the body, asking which one when it is not unique."""
    starts = quote_occurrences(body, quote)
    if not starts:
        raise ValidationError(
            _("This text is not in the article. Copy it exactly, including punctuation."),
            code="not_found",
        )
    if occurrence is None:
        if len(starts) > 1:
            raise ValidationError(
                ngettext(
                    "This text appears %(count)d time in the article.",
                    "This text appears %(count)d times in the article: say which occurrence "
                    "(1 is the first), or quote a few more words.",
                    len(starts),
                )
                % {"count": len(starts)},
                code="ambiguous",
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise ValidationError(
            _("There are only %(count)d occurrences of this text.") % {"count": len(starts)},
            code="bad_occurrence",
        )
    start = starts[occurrence - 1]
    return start, start + len(quote)


def span_distance(position: int, length: int, *, start: int, end: int) -> int:
    """Return how many characters lie between body[position:position + length] and start:end.

    Zero when the two overlap or touch.
    """
    return max(0, position - end, start - (position + length))


def nearest_occurrence(body: str, words: str, *, start: int, end: int) -> tuple[int, int] | None:
    """Return the occurrence of `words` closest to the span start:end (the first of equals)."""
    starts = quote_occurrences(body, words)
    if not starts:
        return None
    # min() keeps the first of equally near ones, and the starts are in reading order.
    best = min(
        starts, key=lambda position: span_distance(position, len(words), start=start, end=end)
    )
    return best, best + len(words)


def text_locate(body: str, start: int | None, end: int | None, text: str) -> tuple[int, int] | None:
    """Find stored text in the body: at its stored place if it is still there, else its first
    occurrence; None when it is not in the body (or there is no text)."""
    if not text:
        return None
    if start is not None and end is not None and body[start:end] == text:
        return start, end
    found = body.find(text)
    return (found, found + len(text)) if found != -1 else None


def same_text(found: str, quoted: str) -> bool:
    """Return whether a quote matches the body's text, ignoring how its whitespace was copied.

    A selection across paragraphs reaches the server with the browser's line breaks, not the
    blank line the body has; anything else must match exactly.
    """
    return " ".join(found.split()) == " ".join(quoted.split())


def quote_contexts(body: str, quote: str, *, width: int = 40) -> list[dict]:
    """Return every occurrence of the quote with some text either side, numbered from 1."""
    contexts = []
    for number, start in enumerate(quote_occurrences(body, quote), start=1):
        end = start + len(quote)
        before = body[max(0, start - width) : start]
        after = body[end : end + width]
        contexts.append(
            {
                "number": number,
                "start": start,
                "before": ("…" if start > width else "") + before.replace("\n", " "),
                "quote": quote,
                "after": after.replace("\n", " ") + ("…" if end + width < len(body) else ""),
            }
        )
    return contexts


def quote_selector(body: str, start: int, end: int) -> dict[str, str]:
    """Return the W3C TextQuote fields (exact, prefix, suffix) for body[start:end]."""
    return {
        "exact": body[start:end],
        "prefix": body[max(0, start - QUOTE_CONTEXT) : start],
        "suffix": body[end : end + QUOTE_CONTEXT],
    }


# Words that end with a full stop without ending the sentence: titles before a name, and a few
# short forms that come before a number or another word ("No. 10", "vs. the city").
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof st sen rep gov gen lt col capt sgt rev hon jr sr no nos vs "  # noqa: SIM905
    "approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# A sentence may end with ., ! ?, … or several of them, then closing quotes or brackets, and
# then white space; a newline always ends one.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([^\s\"'“‘(\[]*)$")
_DOTTED = re.compile(r"(\w\.)+\w")


def _ends_sentence(line: str, match: re.Match) -> bool:
    """Return whether the punctuation matched in the line ends a sentence there."""
    following = line[match.end() :].lstrip()
    if following[:1].islower():
        return False  # "…?” he asked.", "e.g. a bridge": the sentence goes on.
    if match.group()[0] != "." or match.group().startswith(".."):
        return True
    word = _WORD_BEFORE.search(line, 0, match.start()).group(1)
    if word.lower() in ABBREVIATIONS:
        return False  # "Mr. Lee", "No. 10"
    # Nor does an initial ("J. Smith") or a short form written with full stops ("U.S.").
    return not (len(word) == 1 and word.isalpha()) and not _DOTTED.fullmatch(word)


def sentence_spans(body: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of every sentence of the body, in reading order.

    A sentence ends with a full stop, question or exclamation mark or an ellipsis, taking any
    closing quotation marks with it, when what follows starts a new one: not a lower-case word
    ("“Why?” she asked."), and not after a title or short form ("Mr. Lee", "the U.S. Army").
    A line break always ends a sentence, so a headline or a standfirst is one of its own.
    Sentences are trimmed of white space; white space alone is no sentence.
    """
    spans = []
    line_start = 0
    for line in body.split("\n"):
        cuts = [0]
        for match in _SENTENCE_END.finditer(line):
            if _ends_sentence(line, match):
                cuts.append(match.end())
        cuts.append(len(line))
        for start, end in pairwise(cuts):
            piece = line[start:end]
            if piece.strip():
                start += len(piece) - len(piece.lstrip())
                end -= len(piece) - len(piece.rstrip())
                spans.append((line_start + start, line_start + end))
        line_start += len(line) + 1
    return spans


def unannotated_sentences(
    body: str, annotated: Iterable[tuple[int, int]], *, after: int = 0
) -> list[tuple[int, int]]:
    """Return the sentences that overlap no annotated span, in the order to offer them.

    The first is the next one starting at or after `after` (where the last annotation saved
    ends); the list then goes on to the end of the text and comes round again from the top.
    """
    spans = list(annotated)
    free = [
        (start, end)
        for start, end in sentence_spans(body)
        if not any(a_start < end and start < a_end for a_start, a_end in spans)
    ]
    later = [span for span in free if span[0] >= after]
    return later + [span for span in free if span[0] < after]


# Readability

# A word for counting: letters, with any apostrophe inside ("don't"); numbers are not words.
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    """The hyphenation dictionary for the language (pyphen ships them), else English's."""
    return pyphen.Pyphen(lang=pyphen.language_fallback(language or "en") or "en")


def reading_grade(body: str, language: str = "en") -> float | None:
    """The text's Flesch-Kincaid grade level: 0.39 x words per sentence + 11.8 x syllables per
    word - 15.59, roughly the US school grade that reads it with ease (a tabloid story about
    7, a broadsheet's 10 to 12). Sentences are `sentence_spans`; syllables are counted as the
    places a hyphenation dictionary may break a word, plus one. None for a text with no words.
    """
    words = _WORD.findall(body)
    sentences = len(sentence_spans(body))
    if not words or not sentences:
        return None
    hyphenator = _hyphenator(language)
    syllables = sum(len(hyphenator.positions(word)) + 1 for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return round(grade, 1)
