"""Writes to articles and their annotations. Every write validates before it saves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.anchoring import anchor_locate, anchor_source_span
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


def _source_span_exact(annotation: Annotation, previous_body: str | None) -> str:
    """Return the stored source words, falling back to what the previous body said there."""
    if annotation.source_exact:
        return annotation.source_exact
    if previous_body is not None:
        return previous_body[annotation.source_start : annotation.source_end]
    return ""


def _annotation_reanchor(
    annotation: Annotation, *, body: str, previous_body: str | None
) -> tuple[str, bool]:
    """Move one annotation (in memory) onto body; return its status and whether it lost its
    source words."""

    result = anchor_locate(
        body=body,
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
        end=annotation.end,
    )
    annotation.anchor_status = result.status
    annotation.anchor_score = result.score
    if not result.found:
        # Keep the last known quote and offsets so a teacher can see what was annotated;
        # the model skips its body checks for orphaned annotations.
        return result.status, False

    source_dropped = False
    if annotation.has_source_span:
        source = anchor_source_span(
            body=body,
            source_exact=_source_span_exact(annotation, previous_body),
            source_start=annotation.source_start,
            old_start=annotation.start,
            anchor=result,
        )
        if source.found:
            annotation.source_start, annotation.source_end = source.start, source.end
            annotation.source_exact = body[source.start : source.end]
        else:
            annotation.source_start = annotation.source_end = None
            annotation.source_exact = ""
            source_dropped = True

    annotation.start, annotation.end = result.start, result.end
    for field, value in quote_selector(body, result.start, result.end).items():
        setattr(annotation, field, value)
    return result.status, source_dropped


_REANCHORED_FIELDS = [
    "start",
    "end",
    "exact",
    "prefix",
    "suffix",
    "source_start",
    "source_end",
    "source_exact",
    "anchor_status",
    "anchor_score",
    "updated_at",
]


@transaction.atomic
def annotations_reanchor(*, article: Article, previous_body: str | None = None) -> dict[str, int]:
    """Find every annotation of the article again in its current body.

    Returns how many annotations ended up with each anchor status, plus "source_dropped":
    how many lost their source words because they are no longer near the quote.
    `previous_body`, when known, recovers source words that were never stored as text.
    """

    body = article.body
    counts = {status: 0 for status in Annotation.Anchor.values}
    counts["source_dropped"] = 0
    now = timezone.now()
    changed = []
    # The speaker comes along because clean() checks that it belongs to this article.
    for annotation in article.annotations.select_related("speaker"):
        before = [getattr(annotation, field) for field in _REANCHORED_FIELDS]
        status, source_dropped = _annotation_reanchor(
            annotation, body=body, previous_body=previous_body
        )
        counts[status] += 1
        counts["source_dropped"] += source_dropped
        if [getattr(annotation, field) for field in _REANCHORED_FIELDS] == before:
            continue
        annotation.updated_at = now
        # The relations did not change, and the database checks the constraints in the
        # single update below: validating either here would cost queries per annotation.
        annotation.full_clean(
            exclude=["article", "speaker", "author"],
            validate_unique=False,
            validate_constraints=False,
        )
        changed.append(annotation)
    if changed:
        Annotation.objects.bulk_update(changed, _REANCHORED_FIELDS)
    return counts


@transaction.atomic
def article_body_update(*, article: Article, body: str) -> dict[str, int]:
    """Replace the article's body and find every annotation again in the new text.

    Returns the counts of annotations_reanchor().
    """

    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ValidationError({"body": _("The article needs some text: the body cannot be empty.")})
    if "\x00" in body:
        raise ValidationError(
            {"body": _("The text contains a null character; paste it again as plain text.")}
        )
    # Lock the row so two edits of the same article re-anchor one after the other.
    previous_body = (
        Article.objects.select_for_update().values_list("body", flat=True).get(pk=article.pk)
    )
    unsaved = (article.body, article.body_sha256)
    article.body = body
    try:
        article.full_clean()
        article.save(update_fields=["body", "body_sha256", "updated_at"])
        return annotations_reanchor(article=article, previous_body=previous_body)
    except Exception:
        # The transaction undoes the database; undo the caller's copy too.
        article.body, article.body_sha256 = unsaved
        raise
