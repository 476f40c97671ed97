"""Our vocabulary and identifiers for W3C Web Annotation documents, shared by export and import."""

from __future__ import annotations

import copy
import functools
import tomllib
import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import translation

from articles.models import Annotation, Article, Source

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SOURCEWISE_NS = "https://sourcewise.invalid/ns#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
# The concept schemes of our vocabulary. A value such as "claim" or "vague" stays a short word in
# the document; the context turns it into the concept's IRI, <namespace><scheme>-<value>
# (https://sourcewise.invalid/ns#statement-claim), so the sourcing "vague" and the speaker kind
# "vague" remain two concepts.
CONCEPT_SCHEMES: dict[str, tuple[str, type[Any]]] = {
    "statement": ("Kinds of statement", Annotation.Kind),
    "sourcing": ("Sourcing categories", Annotation.Sourcing),
    "speaker": ("Kinds of speaker", Source.Kind),
}


def _concept_term(iri: str, scheme: str) -> dict[str, Any]:
    """Return a term whose word values expand to concepts of the scheme (JSON-LD 1.1)."""
    return {
        "@id": iri,
        "@type": "@vocab",
        "@context": {"@vocab": f"{SOURCEWISE_NS}{scheme}-"},
    }


JSONLD_CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "@version": 1.1,
        "sourcewise": SOURCEWISE_NS,
        "skos": SKOS_NS,
        "kind": _concept_term("sourcewise:kind", "statement"),
        "sourcing": _concept_term("sourcewise:sourcing", "sourcing"),
        "cue": "sourcewise:cue",
        "speaker": {
            "@id": "sourcewise:speaker",
            "@context": {"kind": _concept_term("sourcewise:speakerKind", "speaker")},
        },
        "description": "sourcewise:description",
        "sourceWords": "sourcewise:sourceWords",
        "anchorStatus": "sourcewise:anchorStatus",
        "anchorScore": "sourcewise:anchorScore",
        "sourcewise:article": {"@type": "@id"},
        "version": "http://schema.org/softwareVersion",
    },
]


def jsonld_context() -> list[Any]:
    """A copy of our context for a document: whoever changes a document's @context (PyLD, or a
    caller) must never change the one every later import and export uses."""
    return copy.deepcopy(JSONLD_CONTEXT)


MARKUP = "sourcewise:markup"
ARTICLE_KEY = "sourcewise:article"
ARTICLE_URN = "urn:sourcewise:article:"
ANNOTATION_URN = "urn:uuid:"


def article_urn(article: Article) -> str:
    """Return the stable identifier of an article: urn:sourcewise:article:<slug>."""
    return f"{ARTICLE_URN}{article.slug}"


def article_identifier(article: Article) -> str:
    """Return what annotations target: the article's source URL, or its URN without one."""
    return article.source_url or article_urn(article)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def concept_iri(scheme: str, value: str) -> str:
    """Return the IRI of one concept of our vocabulary: the sourcing "vague", say."""
    return f"{SOURCEWISE_NS}{scheme}-{value}"


def vocabulary_document() -> dict[str, Any]:
    """Return our JSON-LD context with the vocabulary's concepts, as SKOS, in its graph.

    Used as a context, a processor reads only its @context, the same terms an export carries
    inline; read as data, its graph labels every concept an export's words expand to.
    """
    graph: list[dict[str, Any]] = []
    with translation.override("en"):
        for scheme, (label, choices) in CONCEPT_SCHEMES.items():
            scheme_iri = concept_iri(scheme, "scheme")
            graph.append(
                {
                    "@id": scheme_iri,
                    "@type": "skos:ConceptScheme",
                    "skos:prefLabel": {"@value": label, "@language": "en"},
                }
            )
            graph.extend(
                {
                    "@id": concept_iri(scheme, value),
                    "@type": "skos:Concept",
                    "skos:inScheme": {"@id": scheme_iri},
                    "skos:notation": value,
                    "skos:prefLabel": {"@value": str(choice_label), "@language": "en"},
                }
                for value, choice_label in choices.choices
            )
    return {"@context": jsonld_context()[1], "@graph": graph}


@functools.cache
def software_version() -> str:
    """Return Sourcewise's version as pyproject.toml, its one definition, declares it."""
    with (settings.BASE_DIR / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def person_identifier(user: Any, *, base_url: str) -> str:
    """Return a user's id in exports from this site: urn:uuid, stable and opaque.

    Derived from the site's address and the user's primary key, which never changes (a
    username or a name can), so the same teacher has the same id in every export; the hash
    keeps the key, and with it the count of users, out of the document.
    """
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/users/{user.pk}").urn
