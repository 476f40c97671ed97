"""Writes to articles and their annotations. Every write validates before it saves."""

from django.db import transaction

from articles.models import QUOTE_CONTEXT, Annotation, Article, Source


def quote_selector(body: str, start: int, end: int) -> dict[str, str]:
    """Return the W3C TextQuote fields (exact, prefix, suffix) for body[start:end]."""
    return {
        "exact": body[start:end],
        "prefix": body[max(0, start - QUOTE_CONTEXT) : start],
        "suffix": body[end : end + QUOTE_CONTEXT],
    }


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    start: int,
    end: int,
    kind: str,
    sourcing: str,
    speaker: Source | None = None,
    cue: str = "",
    source_start: int | None = None,
    source_end: int | None = None,
    explanation: str = "",
    author=None,
) -> Annotation:
    """Annotate body[start:end]; the quote and its context are taken from the body."""
    annotation = Annotation(
        article=article,
        start=start,
        end=end,
        kind=kind,
        sourcing=sourcing,
        speaker=speaker,
        cue=cue,
        source_start=source_start,
        source_end=source_end,
        explanation=explanation,
        author=author,
        anchor_status=Annotation.Anchor.EXACT,
        anchor_score=1.0,
        **quote_selector(article.body, max(start, 0), max(end, 0)),
    )
    if source_start is not None and source_end is not None:
        annotation.source_exact = article.body[max(source_start, 0) : max(source_end, 0)]
    annotation.full_clean()
    annotation.save()
    return annotation
