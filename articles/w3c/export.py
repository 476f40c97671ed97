"""An article's annotations as W3C Web Annotations (JSON-LD): one at a time or as a collection.

The format, field by field, is in the package docstring and in docs/w3c.md.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from articles.models import Annotation, Article
from articles.text import quote_selector
from articles.w3c.vocabulary import (
    ANNOTATION_URN,
    ARTICLE_KEY,
    MARKUP,
    article_identifier,
    article_urn,
    jsonld_context,
    person_identifier,
    software_version,
    timestamp,
)

GENERATOR_NAME = "Sourcewise"


@dataclasses.dataclass(frozen=True)
class _Addresses:
    """How one export names things: HTTP URLs on this site when its address is known, else URNs.

    Without a base URL (a command run with no --base-url) nothing can be dereferenced, so ids
    fall back to the URNs that name the same things wherever the document goes.
    """

    article: Article
    base_url: str | None

    def _url(self, name: str, **kwargs: Any) -> str:
        return f"{self.base_url}{reverse(name, kwargs=kwargs)}"

    def annotation(self, annotation: Annotation) -> str:
        if self.base_url is None:
            return f"{ANNOTATION_URN}{annotation.uid}"
        return self._url("articles:annotation", uid=annotation.uid)

    @property
    def collection(self) -> str:
        if self.base_url is None:
            return f"{article_urn(self.article)}:annotations"
        return self._url("articles:annotations", slug=self.article.slug)

    @property
    def page(self) -> str:
        if self.base_url is None:
            return f"{self.collection}:page:1"
        return f"{self.collection}#page-1"

    @property
    def stored_text(self) -> str:
        """Where the app's copy of the text is, the text the offsets count into."""
        if self.base_url is None:
            return article_urn(self.article)
        return self._url("articles:text", slug=self.article.slug)


def _generator(base_url: str | None) -> dict[str, Any]:
    generator: dict[str, Any] = {
        "type": "Software",
        "name": GENERATOR_NAME,
        "nickname": GENERATOR_NAME.lower(),
    }
    if base_url is not None:
        generator["id"] = generator["homepage"] = f"{base_url}/"
    generator["version"] = software_version()
    return generator


def _creator(user, *, base_url: str | None) -> dict[str, Any]:
    """Describe the teacher who wrote the annotation (only teachers annotate)."""
    creator: dict[str, Any] = {"type": "Person"}
    if base_url is not None:
        creator["id"] = person_identifier(user, base_url=base_url)
    creator["name"] = user.get_full_name() or user.get_username()
    creator["nickname"] = user.get_username()
    return creator


def _source(article: Article) -> dict[str, Any]:
    """Describe the annotated document: the article on the web, or the app's own text."""
    return {
        "id": article_identifier(article),
        "type": "Text",
        # A web address is the outlet's page; without one the article is our plain text.
        "format": "text/html" if article.source_url else "text/plain",
        "language": article.language,
    }


def _span(source: Any, *, quote: dict[str, str], start: int, end: int) -> dict[str, Any]:
    """Return a SpecificResource: the text from start to end of source, with its quote."""
    return {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", **quote},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _source_words(annotation: Annotation, *, article: Article) -> dict[str, Any] | None:
    if not annotation.has_source_span:
        return None
    start, end, exact = annotation.source_start, annotation.source_end, annotation.source_exact
    # The words' context comes from the body, when they are still there (not orphaned).
    quote = quote_selector(article.body, start, end) if article.body[start:end] == exact else {}
    return _span(article_identifier(article), quote={**quote, "exact": exact}, start=start, end=end)


def _target(annotation: Annotation, *, addresses: _Addresses) -> dict[str, Any]:
    article = addresses.article
    quote = {"exact": annotation.exact, "prefix": annotation.prefix, "suffix": annotation.suffix}
    target = _span(_source(article), quote=quote, start=annotation.start, end=annotation.end)
    if article.source_url:
        # The offsets count into the text as the app stored it, not the page as it is today.
        target["state"] = {
            "type": "TimeState",
            "cached": addresses.stored_text,
            "sourceDate": timestamp(article.created_at),
        }
    return target


def _annotation_item(
    annotation: Annotation, *, addresses: _Addresses, generated: datetime
) -> dict[str, Any]:
    article = addresses.article
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
        "id": addresses.annotation(annotation),
        "type": "Annotation",
        "motivation": "describing" if annotation.explanation else "classifying",
    }
    if addresses.base_url is not None:
        item["canonical"] = f"{ANNOTATION_URN}{annotation.uid}"
    if annotation.author is not None:
        item["creator"] = _creator(annotation.author, base_url=addresses.base_url)
    item["created"] = timestamp(annotation.created_at)
    item["modified"] = timestamp(annotation.updated_at)
    item["generator"] = _generator(addresses.base_url)
    item["generated"] = timestamp(generated)
    item["body"] = body
    item["target"] = _target(annotation, addresses=addresses)
    item[MARKUP] = {
        "kind": annotation.kind,
        "sourcing": annotation.sourcing,
        "cue": annotation.cue,
        "speaker": (
            {"name": speaker.name, "description": speaker.description, "kind": speaker.kind}
            if speaker is not None
            else None
        ),
        "sourceWords": _source_words(annotation, article=article),
        "anchorStatus": annotation.anchor_status,
        "anchorScore": annotation.anchor_score,
    }
    return item


def annotation_export(*, annotation: Annotation, base_url: str | None = None) -> dict[str, Any]:
    """Return one annotation as a W3C Annotation document with its own @context.

    Load the annotation with its article, speaker and author (select_related) to export it
    without further queries. base_url is the site's address without a trailing slash
    ("https://school.example"); without it the ids are URNs.
    """
    addresses = _Addresses(article=annotation.article, base_url=base_url)
    item = _annotation_item(annotation, addresses=addresses, generated=timezone.now())
    return {"@context": jsonld_context(), **item}


def annotations_export(*, article: Article, base_url: str | None = None) -> dict[str, Any]:
    """Return the article's annotations as a W3C AnnotationCollection with one embedded page.

    base_url is the site's address without a trailing slash ("https://school.example");
    without it the ids are URNs.
    """
    annotations = (
        Annotation.objects.filter(article=article)
        .select_related("speaker", "author")
        .order_by("start", "end", "pk")
    )
    addresses = _Addresses(article=article, base_url=base_url)
    generated = timezone.now()
    items = [
        _annotation_item(annotation, addresses=addresses, generated=generated)
        for annotation in annotations
    ]
    return {
        "@context": jsonld_context(),
        "id": addresses.collection,
        "type": "AnnotationCollection",
        "label": article.title,
        ARTICLE_KEY: article_urn(article),
        "total": len(items),
        "first": {
            "id": addresses.page,
            "type": "AnnotationPage",
            "partOf": addresses.collection,
            "startIndex": 0,
            "items": items,
        },
        "last": addresses.page,
    }
