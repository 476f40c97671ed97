"""The spaCy side of the proposer: the pipeline, loaded once per process, and the passes
over its parse. Imported only when something is proposed (spaCy takes most of a second to
import)."""

from dataclasses import replace
from functools import cache

import spacy
from spacy.language import Language

from articles.attribution.proposer import Finder, Found
from articles.attribution.spans import Attribution
from articles.attribution.speakers import SOURCING, Resolver
from articles.attribution.statements import continued_quotations, outlet_facts
from articles.attribution.text import statement_kind

PIPELINE_DISABLED: tuple[str, ...] = ()


@Language.component("paragraph_breaks")
def paragraph_breaks(doc):
    """A blank line always ends a sentence: headings and list items are sentences of their own."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws[len(previous.text) :] or (
            previous.is_space and "\n" in previous.text
        ):
            token.is_sent_start = True
    return doc


@cache
def nlp(name: str) -> Language:
    """The pipeline of the installed package `name`, loaded once per process."""
    pipeline = spacy.load(name, exclude=list(PIPELINE_DISABLED))
    pipeline.add_pipe("paragraph_breaks", before="parser")
    return pipeline


def attributions(text: str, name: str) -> list[Attribution]:
    return _attributions(nlp(name)(text))


def statements(text: str, name: str) -> list[Attribution]:
    doc = nlp(name)(text)
    found = _attributions(doc)
    more = continued_quotations(doc, found)
    facts = outlet_facts(doc, [*found, *more])
    return sorted([*_split(text, [*found, *more]), *facts], key=lambda a: (a.start, a.end))


def _split(text: str, found: list[Attribution]) -> list[Attribution]:
    """A statement is one run of words: a quotation broken by its tag (“…,” she said, “…”)
    is two statements of the same speaker, as a teacher marks them. Short pieces ("The move"
    … "to save £80,000") say nothing alone and stay one statement, tag and all."""
    statements = []
    for attribution in found:
        pieces = attribution.content
        if len(pieces) > 1 and all(len(text[s:e].split()) >= 4 for s, e in pieces):
            statements.extend(replace(attribution, content=(piece,)) for piece in pieces)
        else:
            statements.append(attribution)
    return statements


def _attributions(doc) -> list[Attribution]:
    finder = Finder(doc)
    resolver = Resolver(doc)
    return _without_repeats([_attribution(doc.text, item, resolver) for item in finder.find()])


def _attribution(text: str, item: Found, resolver: Resolver) -> Attribution:
    speaker = resolver.resolve(item.source)
    cue_range = (item.cue[0].idx, item.cue[-1].idx + len(item.cue[-1]))
    content_text = " ".join(text[start:end] for start, end in item.content)
    kind, kind_confidence = statement_kind(content_text, _lemma(item.cue[0]))
    if speaker is None:
        # "is expected to", "it was reported": nobody is named, not even anonymously.
        sourcing, speaker_confidence = "none", 0.5
    else:
        sourcing, speaker_confidence = SOURCING[speaker.kind], speaker.confidence
    structure = 0.9 if item.direct else 0.75
    return Attribution(
        cue=(cue_range,),
        content=item.content,
        source=((item.source[0].idx, item.source[-1].idx + len(item.source[-1])),)
        if item.source is not None
        else (),
        speaker=speaker.name if speaker else "",
        speaker_kind=speaker.kind if speaker else "",
        kind=kind,
        sourcing=sourcing,
        confidence=round(min(structure, speaker_confidence, kind_confidence), 2),
        kind_confidence=round(kind_confidence, 2),
        sourcing_confidence=round(speaker_confidence, 2),
    )


def _without_repeats(found: list[Attribution]) -> list[Attribution]:
    """One attribution per content: where two cues claim the same words, keep the first."""
    kept: dict[tuple, Attribution] = {}
    for attribution in found:
        kept.setdefault(attribution.content, attribution)
    return sorted(kept.values(), key=lambda a: (a.start, a.end))


def _lemma(token) -> str:
    return (token.lemma_ or token.lower_).lower()
