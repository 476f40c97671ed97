"""Reading a W3C Web Annotation document back into an article's annotations."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from articles.anchoring import AnchorResult, anchor_locate, anchor_source_span
from articles.models import QUOTE_CONTEXT, Annotation, Article, Source
from articles.text import quote_selector
from articles.w3c.vocabulary import ARTICLE_KEY, ARTICLE_URN, MARKUP


@dataclasses.dataclass(frozen=True)
class _Speaker:
    name: str
    description: str
    kind: str


@dataclasses.dataclass(frozen=True)
class _SourceWords:
    exact: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class _Item:
    """One annotation of the document, checked for shape but not yet placed in the body."""

    number: int
    exact: str | None
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    kind: str
    sourcing: str
    cue: str
    speaker: _Speaker | None
    source_words: _SourceWords | None
    explanation: str
    was_orphaned: bool


@dataclasses.dataclass(frozen=True)
class _Placement:
    """Where an item goes in the body: the annotation's anchoring fields, by their names."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    anchor_status: str
    anchor_score: float
    source_start: int | None
    source_end: int | None
    source_exact: str


class _ItemError(Exception):
    """A problem with one item, reported with its number."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> list[Any]:
    return _as_list(node.get("type"))


def _optional_str(node: dict[str, Any], key: str, what: str) -> str:
    value = node.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _ItemError(_("%(what)s must be text.") % {"what": what})
    return value


def _choice(value: Any, choices: type[models.TextChoices], what: str) -> str:
    if value is None:
        raise _ItemError(
            _("%(what)s is missing; use one of: %(allowed)s.")
            % {"what": what, "allowed": ", ".join(choices.values)}
        )
    if value not in choices.values:
        raise _ItemError(
            _("%(what)s %(value)s is not one of: %(allowed)s.")
            % {"what": what, "value": _shown(value), "allowed": ", ".join(choices.values)}
        )
    return value


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return f"“{text if len(text) <= 60 else text[:57] + '…'}”"


def _selectors(target: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    if not isinstance(target, dict):
        raise _ItemError(_("its target must be an object with selectors."))
    quote = position = None
    for selector in _as_list(target.get("selector")):
        if not isinstance(selector, dict):
            raise _ItemError(_("each selector must be an object."))
        if "TextQuoteSelector" in _types(selector):
            if quote is not None:
                raise _ItemError(_("it has more than one TextQuoteSelector."))
            quote = selector
        elif "TextPositionSelector" in _types(selector):
            if position is not None:
                raise _ItemError(_("it has more than one TextPositionSelector."))
            position = selector
    if quote is None and position is None:
        raise _ItemError(_("its target needs a TextQuoteSelector or a TextPositionSelector."))
    return quote, position


def _bodies(raw: dict[str, Any]) -> tuple[str, str | None]:
    """Return the explanation and the classifying value from the annotation's bodies."""
    descriptions: list[str] = []
    classifications: list[Any] = []
    for body in _as_list(raw.get("body")):
        if not isinstance(body, dict):
            # A bare IRI body is another tool's resource; there is nothing of ours to read.
            continue
        purposes = _as_list(body.get("purpose"))
        if "describing" in purposes or "commenting" in purposes:
            descriptions.append(body.get("value"))
        if "classifying" in purposes:
            classifications.append(body.get("value"))
    if "bodyValue" in raw:
        descriptions.append(raw["bodyValue"])
    if len(descriptions) > 1:
        raise _ItemError(_("it has more than one describing body; keep one explanation."))
    if len(classifications) > 1:
        raise _ItemError(_("it has more than one classifying body."))
    explanation = descriptions[0] if descriptions else ""
    if not isinstance(explanation, str):
        raise _ItemError(_("the explanation must be text."))
    return explanation, (classifications[0] if classifications else None)


def _parse_speaker(value: Any) -> _Speaker | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _ItemError(_("the speaker must be an object with a name, or null for the outlet."))
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _ItemError(_("the speaker needs a name."))
    kind = value.get("kind", Source.Kind.PERSON)
    return _Speaker(
        name=name.strip(),
        description=_optional_str(value, "description", _("the speaker's description")),
        kind=_choice(kind, Source.Kind, _("the speaker's kind")),
    )


def _offsets(node: dict[str, Any], what: str) -> tuple[int, int]:
    """Return the node's start and end, whole numbers with 0 ≤ start < end."""
    start, end = node.get("start"), node.get("end")
    if not (_is_int(start) and _is_int(end) and 0 <= start < end):
        raise _ItemError(
            _(
                "%(what)s needs whole-number offsets with 0 ≤ start < end; "
                "it has start %(start)s and end %(end)s."
            )
            % {"what": what, "start": _shown(start), "end": _shown(end)}
        )
    return start, end


def _parse_source_words(value: Any) -> _SourceWords | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _ItemError(_("sourceWords must be an object with exact, start and end, or null."))
    start, end = _offsets(value, "sourceWords")
    return _SourceWords(
        exact=_optional_str(value, "exact", _("sourceWords.exact")), start=start, end=end
    )


def _parse_item(number: int, raw: Any) -> _Item:
    if not isinstance(raw, dict):
        raise _ItemError(_("it must be an object."))
    if "Annotation" not in _types(raw):
        raise _ItemError(_("its type must be “Annotation”."))
    quote, position = _selectors(raw.get("target"))
    exact = prefix = suffix = None
    if quote is not None:
        exact = quote.get("exact")
        if not isinstance(exact, str) or not exact:
            raise _ItemError(_("its TextQuoteSelector needs the quoted text in “exact”."))
        prefix = _optional_str(quote, "prefix", _("the quote's prefix"))
        suffix = _optional_str(quote, "suffix", _("the quote's suffix"))
    start = end = None
    if position is not None:
        start, end = _offsets(position, _("its TextPositionSelector"))
    markup = raw.get(MARKUP)
    if not isinstance(markup, dict):
        raise _ItemError(
            _("it has no “%(key)s” object saying its kind, sourcing and speaker.") % {"key": MARKUP}
        )
    explanation, classified_as = _bodies(raw)
    kind = markup.get("kind", classified_as)
    _choice(kind, Annotation.Kind, _("the kind"))
    if classified_as is not None and classified_as != kind:
        raise _ItemError(
            _("its classifying body says %(body)s but its markup says %(markup)s.")
            % {"body": _shown(classified_as), "markup": _shown(kind)}
        )
    status = markup.get("anchorStatus", Annotation.Anchor.EXACT)
    _choice(status, Annotation.Anchor, _("anchorStatus"))
    return _Item(
        number=number,
        exact=exact,
        prefix=prefix or "",
        suffix=suffix or "",
        start=start,
        end=end,
        kind=kind,
        sourcing=_choice(markup.get("sourcing"), Annotation.Sourcing, _("the sourcing")),
        cue=_optional_str(markup, "cue", _("the cue")),
        speaker=_parse_speaker(markup.get("speaker")),
        source_words=_parse_source_words(markup.get("sourceWords")),
        explanation=explanation,
        was_orphaned=status == Annotation.Anchor.ORPHANED,
    )


def _item_message(number: int, problem: str) -> str:
    return _("Item %(number)s: %(problem)s") % {"number": number, "problem": problem}


def _raw_items(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        raise ValidationError(_("The file must hold a JSON object (a W3C AnnotationCollection)."))
    if "AnnotationCollection" not in _types(data):
        raise ValidationError(
            _("The document's type must be “AnnotationCollection”; it is %(type)s.")
            % {"type": _shown(data.get("type"))}
        )
    page = data.get("first")
    if page is None:
        return []
    if not isinstance(page, dict) or "AnnotationPage" not in _types(page):
        raise ValidationError(
            _("The collection's “first” must be an embedded AnnotationPage, not a link to one.")
        )
    if page.get("next"):
        raise ValidationError(
            _("The collection has more than one page; put all annotations in the first page.")
        )
    items = page.get("items", [])
    if not isinstance(items, list):
        raise ValidationError(_("The page's “items” must be a list of annotations."))
    return items


def _parse_document(data: Any) -> list[_Item]:
    """Check every item's shape and values; raise one error listing every bad item."""
    items: list[_Item] = []
    errors: list[str] = []
    speakers: dict[str, tuple[_Speaker, int]] = {}
    for number, raw in enumerate(_raw_items(data), start=1):
        try:
            item = _parse_item(number, raw)
        except _ItemError as problem:
            errors.append(_item_message(number, str(problem)))
            continue
        if item.speaker is not None:
            first = speakers.setdefault(item.speaker.name, (item.speaker, number))
            if first[0] != item.speaker:
                errors.append(
                    _item_message(
                        number,
                        _(
                            "the speaker %(name)s is described differently in item %(first)s; "
                            "give them the same description and kind."
                        )
                        % {"name": _shown(item.speaker.name), "first": first[1]},
                    )
                )
                continue
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return items


# --- placing items in the current body ---------------------------------------------------


def _place_source_words(body: str, item: _Item, anchor: AnchorResult) -> tuple[int, int, str]:
    words = item.source_words
    if not words.exact:
        # Without the words themselves the offsets are all there is to go on.
        if words.end <= len(body):
            return words.start, words.end, body[words.start : words.end]
    else:
        found = anchor_source_span(
            body=body,
            source_exact=words.exact,
            source_start=words.start,
            old_start=item.start if item.start is not None else anchor.start,
            anchor=anchor,
        )
        if found.found:
            return found.start, found.end, words.exact
    raise _ItemError(
        _("the words naming the source, %(words)s, are not in the article near the quote.")
        % {"words": _shown(words.exact or f"{words.start} to {words.end}")}
    )


def _place(body: str, item: _Item) -> _Placement:
    """Anchor one item in the body, or raise _ItemError saying why it cannot be."""
    has_position = item.start is not None and item.end is not None
    if item.exact is None:
        if item.end > len(body):
            raise _ItemError(
                _(
                    "its offsets %(start)s to %(end)s are outside the article, which is "
                    "%(length)s characters long."
                )
                % {"start": item.start, "end": item.end, "length": len(body)}
            )
        anchor = AnchorResult(Annotation.Anchor.EXACT, item.start, item.end, 1.0)
    else:
        anchor = anchor_locate(
            body=body,
            exact=item.exact,
            prefix=item.prefix,
            suffix=item.suffix,
            start=item.start if has_position else 0,
            end=item.end if has_position else 0,
        )
        if not anchor.found:
            if item.was_orphaned:
                return _orphan(item)
            raise _ItemError(
                _("the quoted text %(quote)s is not in the article.")
                % {"quote": _shown(item.exact)}
            )
        if anchor.status == Annotation.Anchor.MOVED and not has_position:
            # Found by its quote alone there is no earlier position for it to have moved from.
            anchor = dataclasses.replace(anchor, status=Annotation.Anchor.EXACT)
    source_start = source_end = None
    source_exact = ""
    if item.source_words is not None:
        source_start, source_end, source_exact = _place_source_words(body, item, anchor)
    return _Placement(
        start=anchor.start,
        end=anchor.end,
        anchor_status=anchor.status,
        anchor_score=anchor.score,
        source_start=source_start,
        source_end=source_end,
        source_exact=source_exact,
        **quote_selector(body, anchor.start, anchor.end),
    )


def _orphan(item: _Item) -> _Placement:
    """Keep an annotation that was already orphaned when exported, still orphaned."""
    start = item.start or 0
    words = item.source_words
    return _Placement(
        start=start,
        end=start + len(item.exact),
        exact=item.exact,
        prefix=item.prefix[-QUOTE_CONTEXT:],
        suffix=item.suffix[:QUOTE_CONTEXT],
        anchor_status=Annotation.Anchor.ORPHANED,
        anchor_score=0.0,
        source_start=words.start if words else None,
        source_end=words.end if words else None,
        source_exact=words.exact if words else "",
    )


def _model_errors(
    number: int, error: ValidationError, model: type[models.Model], *, of: str = ""
) -> list[str]:
    messages = []
    for field, problems in error.message_dict.items():
        for problem in problems:
            if field == NON_FIELD_ERRORS:
                messages.append(_item_message(number, problem))
            else:
                label = model._meta.get_field(field).verbose_name
                label = f"{of} {label}" if of else label
                messages.append(_item_message(number, f"{label}: {problem}"))
    return messages


def _speaker_sources(*, article: Article, items: list[_Item]) -> dict[str, Source]:
    """Return the article's sources by name, creating those the items name and it lacks."""
    sources = {source.name: source for source in Source.objects.filter(article=article)}
    errors: list[str] = []
    for item in items:
        speaker = item.speaker
        if speaker is None or speaker.name in sources:
            continue
        source = Source(
            article=article,
            name=speaker.name,
            description=speaker.description,
            kind=speaker.kind,
        )
        try:
            source.full_clean()
        except ValidationError as error:
            errors.extend(_model_errors(item.number, error, Source, of=_("speaker")))
            continue
        source.save()
        sources[source.name] = source
    if errors:
        raise ValidationError(errors)
    return sources


@transaction.atomic
def annotations_import(
    *, article: Article, data: dict[str, Any], author=None, replace: bool = False
) -> int:
    """Add a W3C annotation collection's items to the article; return how many were created.

    Every item is checked and anchored in the article's current body before anything is
    saved; one bad item means nothing is saved. Items identical to an existing annotation
    (same span, kind and speaker) are skipped, so importing a file twice adds nothing.
    """
    items = _parse_document(data)
    body = article.body
    placements: list[tuple[_Item, _Placement]] = []
    errors: list[str] = []
    for item in items:
        try:
            placements.append((item, _place(body, item)))
        except _ItemError as problem:
            errors.append(_item_message(item.number, str(problem)))
    if errors:
        raise ValidationError(errors)

    if replace:
        # Questions generated from these annotations keep their text; only the link goes.
        Annotation.objects.filter(article=article).delete()
        existing: set[tuple[int, int, str, str | None]] = set()
    else:
        existing = set(
            Annotation.objects.filter(article=article).values_list(
                "start", "end", "kind", "speaker__name"
            )
        )

    sources = _speaker_sources(article=article, items=items)
    annotations: list[Annotation] = []
    for item, placement in placements:
        speaker_name = item.speaker.name if item.speaker else None
        key = (placement.start, placement.end, item.kind, speaker_name)
        if key in existing:
            continue
        existing.add(key)
        annotation = Annotation(
            article=article,
            kind=item.kind,
            sourcing=item.sourcing,
            speaker=sources[speaker_name] if speaker_name else None,
            cue=item.cue,
            explanation=item.explanation,
            author=author,
            **dataclasses.asdict(placement),
        )
        try:
            annotation.full_clean()
        except ValidationError as error:
            errors.extend(_model_errors(item.number, error, Annotation))
            continue
        annotations.append(annotation)
    if errors:
        raise ValidationError(errors)
    for annotation in annotations:
        annotation.save()
    return len(annotations)


def annotations_target_article(*, data: Any) -> Article:
    """Return the article a collection annotates, from its article URN or its targets' source."""
    candidates: list[str] = []
    if isinstance(data, dict) and isinstance(data.get(ARTICLE_KEY), str):
        candidates.append(data[ARTICLE_KEY])
    try:
        raw_items = _raw_items(data)
    except ValidationError:
        raw_items = []
    sources = {
        raw["target"]["source"]
        for raw in raw_items
        if isinstance(raw, dict)
        and isinstance(raw.get("target"), dict)
        and isinstance(raw["target"].get("source"), str)
    }
    if len(sources) > 1:
        raise ValidationError(
            _(
                "The annotations target %(count)s different documents; "
                "import them one article at a time."
            )
            % {"count": len(sources)}
        )
    candidates.extend(sources)
    for candidate in candidates:
        if candidate.startswith(ARTICLE_URN):
            article = Article.objects.filter(slug=candidate.removeprefix(ARTICLE_URN)).first()
            if article is not None:
                return article
        else:
            matches = list(Article.objects.filter(source_url=candidate)[:2])
            if len(matches) == 1:
                return matches[0]
    if not candidates:
        raise ValidationError(_("The document does not say which article it annotates."))
    raise ValidationError(
        _("No single article here matches %(targets)s.")
        % {"targets": ", ".join(_shown(candidate) for candidate in dict.fromkeys(candidates))}
    )
