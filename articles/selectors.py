"""Reads about articles that span relations."""

from django.db.models import QuerySet

from articles.models import Annotation, Article
from articles.rendering import Highlight


def article_annotations(*, article: Article) -> QuerySet[Annotation]:
    return article.annotations.select_related("speaker").order_by("start", "end", "pk")


def annotation_highlights(annotations) -> list[Highlight]:
    """Return one numbered highlight per annotation, labelled in reading order."""
    highlights = []
    for number, annotation in enumerate(annotations, start=1):
        annotation.number = number
        if annotation.anchor_status == Annotation.Anchor.ORPHANED:
            continue
        speaker = annotation.speaker_label
        highlights.append(
            Highlight(
                start=annotation.start,
                end=annotation.end,
                key=f"a{annotation.pk}",
                css=f"kind-{annotation.kind}",
                label=str(number),
                data=(("kind", annotation.kind), ("speaker", speaker)),
            )
        )
    return highlights
