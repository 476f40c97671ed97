"""Bring any W3C Web Annotation JSON-LD to the terms the reader knows, without the network.

Other tools write the same annotation many ways: ``@id``/``@type`` or ``id``/``type``,
``oa:Annotation``, full IRIs, a single value or an array. Compacting the document against the
W3C context (plus our own terms) gives one shape to read. The W3C context is served from the
copy in ``contexts/`` (see its NOTICE.md); every other remote context is refused, so reading a
file never makes a request.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyld import jsonld

from articles.w3c.vocabulary import ANNO_CONTEXT, jsonld_context

_CONTEXTS = Path(__file__).resolve().parent / "contexts"
# The addresses the W3C context is known by, each served from the shipped copy.
_ANNO_ADDRESSES = frozenset(
    {ANNO_CONTEXT, ANNO_CONTEXT.replace("http://", "https://", 1), "http://www.w3.org/ns/anno"}
)


class _RemoteContextRefused(Exception):
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@cache
def _anno_context() -> dict[str, Any]:
    return json.loads((_CONTEXTS / "anno.jsonld").read_text(encoding="utf-8"))


def _load_document(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Serve the W3C context from the shipped copy; refuse any other address."""
    if url in _ANNO_ADDRESSES:
        # A copy: PyLD may change the document it is given.
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(_anno_context())}
    raise _RemoteContextRefused(url)


def _causes(error: BaseException) -> list[BaseException]:
    """Return the error and what caused it, outermost first, as PyLD chains them."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _refused_url(error: BaseException) -> str | None:
    """Return the address the loader refused, wherever PyLD wrapped the refusal."""
    for cause in _causes(error):
        if isinstance(cause, _RemoteContextRefused):
            return cause.url
    return None


def document_compact(data: dict[str, Any]) -> dict[str, Any]:
    """Return the document compacted against the W3C context and ours, or raise ValidationError.

    A document without an @context is read as W3C Web Annotation JSON, which is what it
    almost always is.
    """
    if "@context" not in data:
        data = {"@context": ANNO_CONTEXT, **data}
    try:
        compacted = jsonld.compact(
            data,
            jsonld_context(),
            # base None keeps a relative id ("anno1") as written instead of inventing a host.
            options={"documentLoader": _load_document, "base": None},
        )
    except RecursionError as error:
        # Our nesting limit keeps documents far from this; a cyclic or pathological context
        # is the only way here.
        raise ValidationError(_("The document's JSON-LD context cannot be read.")) from error
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        # PyLD checks most malformed input and raises JsonLdError, but not all of it: a null
        # "@type" beside a "type", for one, ends in a TypeError deep inside it.
        raise ValidationError(
            _(
                "The document is not valid JSON-LD: a keyword such as @type, @id or @context "
                "holds a value JSON-LD does not allow."
            )
        ) from error
    except jsonld.JsonLdError as error:
        refused = _refused_url(error)
        if refused is not None:
            raise ValidationError(
                _(
                    "The document uses the JSON-LD context %(url)s. Sourcewise reads only the "
                    "W3C Web Annotation context (%(anno)s) and its own terms, and fetches nothing "
                    "from the web; put the context's terms inline in the document instead."
                )
                % {"url": refused, "anno": ANNO_CONTEXT}
            ) from error
        raise ValidationError(
            _("The document is not valid JSON-LD: %(problem)s")
            % {"problem": _jsonld_problem(error)}
        ) from error
    compacted.pop("@context", None)
    if "@graph" in compacted:
        raise ValidationError(
            _(
                "The document holds several separate things; give one annotation, one "
                "AnnotationPage or one AnnotationCollection."
            )
        )
    return compacted


def _jsonld_problem(error: jsonld.JsonLdError) -> str:
    # PyLD wraps the useful part ("@id value must a string", …) in a generic "could not expand".
    innermost = [cause for cause in _causes(error) if isinstance(cause, jsonld.JsonLdError)][-1]
    message = str(innermost.args[0]) if innermost.args else ""
    return message or _("the context or the terms are malformed.")
