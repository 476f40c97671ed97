"""Rules over the plain text that need no parse: quotations, trimming a span to its words,
titles before a name, and whether a statement is a claim or an opinion."""

import re

from articles.attribution.lexicon import EVALUATIVE, OPINION_CUES, TITLES
from articles.attribution.spans import Span as Range

# Quotation marks: “double” and "straight" quotes; ‘single’ ones where they are not
# apostrophes (an opening one after a space, a closing one before one or punctuation).
CURLY_QUOTE = re.compile(r"“([^“”\n]+)”?")
STRAIGHT_QUOTE = re.compile(r'"([^"\n]+)"')
SINGLE_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))‘([^‘’\n]+?)’(?=[\s.,;:!?)\]—–-]|$)", re.M)
# What may stand between a quotation and its cue clause: closing marks, commas, dashes, spaces.
QUOTE_JOIN_AFTER = re.compile(r"[\s,.!?…—–-]*[”\"’]?[\s,—–-]*")
EDGE_PUNCTUATION = "\"“”‘’'.,;:!?—–- \n()[]"


def quotations(text: str) -> list[Range]:
    """The character ranges inside quotation marks, marks excluded, in reading order, with
    quotations inside quotations."""
    found = []
    for pattern in (CURLY_QUOTE, STRAIGHT_QUOTE, SINGLE_QUOTE):
        for match in pattern.finditer(text):
            start, end = trim(text, *match.span(1))
            if start < end:
                found.append((start, end))
    # Outermost first where they nest (“…they said, ‘Ah, it was Russia,’ …”).
    return sorted(set(found), key=lambda span: (span[0], -span[1]))


def trim(text: str, start: int, end: int) -> Range:
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    return start, end


def without_titles(words: list[str]) -> list[str]:
    """The words of a name without the titles before it ("Councillor", "Mr")."""
    while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
        words = words[1:]
    return words


def statement_kind(text: str, cue_lemma: str) -> tuple[str, float]:
    """Claim or opinion, and how sure: a stance cue or words of judgement make an opinion."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    if cue_lemma in OPINION_CUES:
        return "opinion", 0.7
    judged = words & EVALUATIVE
    # One word of judgement in a long report ("concluded that it was utter nonsense") leaves
    # it a claim about the world; a short or heavily judged statement is a stance.
    if len(judged) >= 2 or (judged and len(text.split()) <= 12):
        return "opinion", min(0.5 + 0.1 * len(judged), 0.75)
    return "claim", 0.8 if not judged else 0.6
