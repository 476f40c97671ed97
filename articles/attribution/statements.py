"""Statements to propose besides attributions: a quotation that goes on in a paragraph of its
own, and the outlet's own sentences that state something checkable."""

import re

from spacy.tokens import Doc

from articles.attribution.lexicon import EVALUATIVE
from articles.attribution.spans import Attribution
from articles.attribution.text import quotations, statement_kind, trim

# Named entities that make a sentence checkable: a number, a date, an amount, a place, a name.
CHECKABLE = {"CARDINAL", "DATE", "MONEY", "PERCENT", "QUANTITY", "TIME", "ORDINAL"}
NAMED = {"PERSON", "ORG", "GPE", "FAC", "LOC", "EVENT", "LAW"}
FIRST_PERSON = re.compile(r"\b(?:I|we|my|our|me|us)\b", re.IGNORECASE)


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in taken)


def _claimed(attributions: list[Attribution]) -> list[tuple[int, int]]:
    """The characters an attribution already accounts for: its content, cue and source."""
    return [span for a in attributions for part in (a.content, a.cue, a.source) for span in part]


def continued_quotations(doc: Doc, attributions: list[Attribution]) -> list[Attribution]:
    """A paragraph that is all quotation, right after an attribution with a speaker: the same
    speaker goes on, with the same cue (the teacher marks it as theirs)."""
    text = doc.text
    taken = _claimed(attributions)
    found = []
    for start, end in quotations(text):
        paragraph_start = text.rfind("\n", 0, start) + 1
        if re.search(r"\w", text[paragraph_start:start]) or _overlaps(start, end, taken):
            continue
        before = [a for a in attributions if a.end <= start and a.speaker]
        if not before:
            continue
        previous = max(before, key=lambda a: a.end)
        # Only the paragraph just before may hold the attribution it continues.
        between = text[previous.end : paragraph_start]
        if between.count("\n") > 2 or len(between) > 200:
            continue
        quote = text[start:end]
        kind, kind_confidence = statement_kind(quote, "")
        found.append(
            Attribution(
                cue=previous.cue,
                content=((start, end),),
                source=previous.source,
                speaker=previous.speaker,
                speaker_kind=previous.speaker_kind,
                kind=kind,
                sourcing=previous.sourcing,
                confidence=round(min(previous.confidence, 0.6), 2),
                kind_confidence=kind_confidence,
                sourcing_confidence=previous.sourcing_confidence,
            )
        )
    return found


def outlet_facts(doc: Doc, attributions: list[Attribution]) -> list[Attribution]:
    """Sentences in the outlet's own voice that state something a reader could check: a
    number, a date or a named person, place or body, and no words of judgement."""
    text = doc.text
    taken = _claimed(attributions)
    quoted = quotations(text)
    found = []
    for sentence in doc.sents:
        start, end = trim(text, sentence.start_char, sentence.end_char)
        words = text[start:end].split()
        if not 6 <= len(words) <= 60 or text[end : end + 1] == "?" or text[start:end].endswith("?"):
            continue
        if _overlaps(start, end, taken) or _overlaps(start, end, quoted):
            continue
        if not any(token.pos_ in ("VERB", "AUX") for token in sentence):
            continue  # a heading or a caption line, not a statement
        labels = {entity.label_ for entity in sentence.ents}
        checkable = labels & CHECKABLE
        if not (checkable or labels & NAMED):
            continue
        lowered = set(re.findall(r"[a-z]+", text[start:end].lower()))
        if lowered & EVALUATIVE or FIRST_PERSON.search(text[start:end]):
            continue
        found.append(
            Attribution(
                cue=(),
                content=((start, end),),
                kind="fact",
                sourcing="none",
                confidence=0.6 if checkable else 0.5,
                kind_confidence=0.6 if checkable else 0.5,
                sourcing_confidence=0.8,
            )
        )
    return found
