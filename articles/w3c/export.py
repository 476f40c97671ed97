"""An article's annotations as a W3C Web Annotation collection (JSON-LD)."""

from __future__ import annotations

from typing import Any

from articles.models import Annotation, Article
from articles.w3c.vocabulary import (
    ANNOTATION_URN,
    ARTICLE_KEY,
    JSONLD_CONTEXT,
    MARKUP,
    article_identifier,
    article_urn,
    timestamp,
)


def _annotation_item(annotation: Annotation, *, article: Article) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if annotation.explanation:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "describing",
                "value": annotation.explanation,
                "format": "text/plain",
                "language": article.language,
            }
        )
    body.append({"type": "TextualBody", "purpose": "classifying", "value": annotation.kind})
    speaker = annotation.speaker
    item: dict[str, Any] = {
        "id": f"{ANNOTATION_URN}{annotation.uid}",
        "type": "Annotation",
        "motivation": "describing" if annotation.explanation else "classifying",
        "created": timestamp(annotation.created_at),
        "modified": timestamp(annotation.updated_at),
    }
    if annotation.author is not None:
        item["creator"] = {"type": "Person", "nickname": annotation.author.get_username()}
    item["body"] = body
    item["target"] = {
        "source": article_identifier(article),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact,
                "prefix": annotation.prefix,
                "suffix": annotation.suffix,
            },
            {"type": "TextPositionSelector", "start": annotation.start, "end": annotation.end},
        ],
    }
    item[MARKUP] = {
        "kind": annotation.kind,
        "sourcing": annotation.sourcing,
        "cue": annotation.cue,
        "speaker": (
            {"name": speaker.name, "description": speaker.description, "kind": speaker.kind}
            if speaker is not None
            else None
        ),
        "sourceWords": (
            {
                "exact": annotation.source_exact,
                "start": annotation.source_start,
                "end": annotation.source_end,
            }
            if annotation.has_source_span
            else None
        ),
        "anchorStatus": annotation.anchor_status,
        "anchorScore": annotation.anchor_score,
    }
    return item


def annotations_export(*, article: Article) -> dict[str, Any]:
    """Return the article's annotations as a W3C AnnotationCollection with one embedded page."""
    annotations = (
        Annotation.objects.filter(article=article)
        .select_related("speaker", "author")
        .order_by("start", "end", "pk")
    )
    items = [_annotation_item(annotation, article=article) for annotation in annotations]
    collection_id = f"{article_urn(article)}:annotations"
    return {
        "@context": JSONLD_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": article.title,
        ARTICLE_KEY: article_urn(article),
        "total": len(items),
        "first": {
            "id": f"{collection_id}:page:1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }
