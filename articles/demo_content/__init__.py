"""Demo articles shipped with the app: the real article, fully annotated, and practice pieces
(the first two, then three pairs of parallel forms).

Each article is a text file (first line the standfirst, then one paragraph per line) and a
spec that marks statements by the words they quote. `demo_articles_ensure` turns them into
rows and can run any number of times: it only ever adds what is missing.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.demo_content.practice import PRACTICE_ARTICLES
from articles.demo_content.practice_forms import PRACTICE_FORM_ARTICLES
from articles.demo_content.putin import ARTICLE as PUTIN_ARTICLE
from articles.demo_content.spec import (
    AnnotationSpec,
    ArticleSpec,
    DemoContentError,
    OutletSpec,
)
from articles.models import Article, Outlet, Source
from articles.services import annotation_create
from articles.text import quote_find, quote_occurrences, span_distance

logger = logging.getLogger(__name__)

DEMO_ARTICLES: tuple[ArticleSpec, ...] = (
    PUTIN_ARTICLE,
    *PRACTICE_ARTICLES,
    *PRACTICE_FORM_ARTICLES,
)
DEMO_SLUGS: list[str] = [spec.slug for spec in DEMO_ARTICLES]

PARAGRAPH_BREAK = "\n\n"


def article_text_parts(spec: ArticleSpec) -> tuple[str, str]:
    """Return the standfirst and the body (paragraphs separated by a blank line)."""
    text = spec.text()
    if "\r" in text:
        raise DemoContentError(f"{spec.text_file}: use \\n line endings only.")
    lines = text.removesuffix("\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line != line.strip():
            raise DemoContentError(
                f"{spec.text_file}, line {number}: one paragraph per line, with no blank lines "
                "and no space at either end."
            )
    for left_out in spec.left_out_lines:
        if lines.count(left_out) != 1:
            raise DemoContentError(
                f"{spec.text_file}: the line to leave out {left_out!r} is not there exactly once."
            )
    standfirst, *paragraphs = lines
    if standfirst in spec.left_out_lines:
        raise DemoContentError(f"{spec.text_file}: the first line is the standfirst.")
    return standfirst, PARAGRAPH_BREAK.join(p for p in paragraphs if p not in spec.left_out_lines)


def quote_locate(body: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """Return (start, end) of quote in body: its only occurrence, or the numbered one.

    The rule is the annotation form's (`articles.text.quote_find`); only the messages are
    for whoever wrote the spec.
    """
    if not quote:
        raise DemoContentError("An annotation needs a quote.")
    try:
        return quote_find(body, quote, occurrence=occurrence)
    except ValidationError as refusal:
        count = len(quote_occurrences(body, quote))
        message = {
            "not_found": f"{quote!r} is not in the text.",
            "ambiguous": f"{quote!r} appears {count} times; say which occurrence is meant.",
            "bad_occurrence": (
                f"{quote!r} appears {count} times, so there is no occurrence {occurrence}."
            ),
        }[refusal.code]
        raise DemoContentError(message) from None


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """Return (start, end) of the paragraph that holds body[start:end]."""
    if PARAGRAPH_BREAK in body[start:end]:
        raise DemoContentError(f"{body[start:end]!r} runs over more than one paragraph.")
    paragraph_start = body.rfind(PARAGRAPH_BREAK, 0, start)
    paragraph_start = 0 if paragraph_start == -1 else paragraph_start + len(PARAGRAPH_BREAK)
    paragraph_end = body.find(PARAGRAPH_BREAK, end)
    return paragraph_start, len(body) if paragraph_end == -1 else paragraph_end


def source_words_locate(body: str, words: str, *, start: int, end: int) -> tuple[int, int]:
    """Return (start, end) of words in the paragraph of body[start:end], nearest to it."""
    paragraph_start, paragraph_end = paragraph_bounds(body, start, end)
    candidates = [
        candidate
        for candidate in quote_occurrences(body, words)
        if paragraph_start <= candidate and candidate + len(words) <= paragraph_end
    ]
    if not candidates:
        raise DemoContentError(
            f"The source words {words!r} are not in the paragraph of {body[start:end]!r}."
        )

    def distance(candidate: int) -> int:
        return span_distance(candidate, len(words), start=start, end=end)

    nearest = min(distance(candidate) for candidate in candidates)
    closest = [candidate for candidate in candidates if distance(candidate) == nearest]
    if len(closest) > 1:
        raise DemoContentError(
            f"The source words {words!r} are equally near {body[start:end]!r} twice."
        )
    return closest[0], closest[0] + len(words)


def annotation_spans(
    body: str, annotation: AnnotationSpec
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """Return the annotation's (start, end) in body and its source words' span, if any."""
    start, end = quote_locate(body, annotation.quote, occurrence=annotation.occurrence)
    if not annotation.source_words:
        return (start, end), None
    return (start, end), source_words_locate(body, annotation.source_words, start=start, end=end)


def _outlet_ensure(spec: OutletSpec) -> Outlet:
    outlet = Outlet.objects.filter(name=spec.name).first()
    if outlet is None:
        outlet = Outlet(name=spec.name, url=spec.url, notes=spec.notes)
        outlet.full_clean()
        outlet.save()
    return outlet


def _article_ensure(spec: ArticleSpec, *, owner) -> Article:
    standfirst, body = article_text_parts(spec)
    article = Article.objects.filter(slug=spec.slug).first()
    if article is None:
        article = Article(
            title=spec.title,
            standfirst=standfirst,
            slug=spec.slug,
            outlet=_outlet_ensure(spec.outlet) if spec.outlet else None,
            byline=spec.byline,
            published_on=spec.published_on,
            source_url=spec.source_url,
            body=body,
            owner=owner,
            status=Article.Status.PUBLISHED,
        )
        article.full_clean()
        article.save()

    sources = {source.name: source for source in article.sources.all()}
    speakers = {}
    for source_spec in spec.sources:
        source = sources.get(source_spec.name)
        if source is None:
            source = Source(
                article=article,
                name=source_spec.name,
                description=source_spec.description,
                kind=source_spec.kind,
            )
            source.full_clean()
            source.save()
        speakers[source_spec.key] = source

    existing = set(article.annotations.values_list("start", "end", "kind"))
    for annotation in spec.annotations:
        try:
            (start, end), source_span = annotation_spans(article.body, annotation)
        except DemoContentError:
            if article.body == body:
                raise
            # A teacher has edited this article's text; their edit wins over the demo.
            logger.warning(
                "Demo article %s has been edited; not adding the annotation of %r.",
                spec.slug,
                annotation.quote,
            )
            continue
        if (start, end, annotation.kind) in existing:
            continue
        annotation_create(
            article=article,
            start=start,
            end=end,
            kind=annotation.kind,
            sourcing=annotation.sourcing,
            speaker=speakers[annotation.speaker] if annotation.speaker else None,
            cue=annotation.cue,
            source_start=source_span[0] if source_span else None,
            source_end=source_span[1] if source_span else None,
            explanation=annotation.explanation,
            author=owner,
        )
        existing.add((start, end, annotation.kind))
    return article


@transaction.atomic
def demo_articles_ensure(*, owner) -> list[Article]:
    """Create the demo articles, their sources and annotations where missing.

    An article that already exists keeps its text and everything on it; only the spec's
    sources and annotations it lacks (matched by start, end and kind) are added.
    """
    return [_article_ensure(spec, owner=owner) for spec in DEMO_ARTICLES]
