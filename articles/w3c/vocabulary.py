"""Our vocabulary and identifiers for W3C Web Annotation documents, shared by export and import."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from articles.models import Article

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SOURCEWISE_NS = "https://sourcewise.invalid/ns#"
JSONLD_CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "sourcewise": SOURCEWISE_NS,
        "kind": "sourcewise:kind",
        "sourcing": "sourcewise:sourcing",
        "cue": "sourcewise:cue",
        "speaker": "sourcewise:speaker",
        "description": "sourcewise:description",
        "sourceWords": "sourcewise:sourceWords",
        "anchorStatus": "sourcewise:anchorStatus",
        "anchorScore": "sourcewise:anchorScore",
    },
]
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
