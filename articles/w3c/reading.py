"""Reading W3C Web Annotation documents into an article.

A file is read in two steps, both raising ValidationError with a message a teacher can act on:
``annotations_file_read`` turns the uploaded bytes into a JSON object, and
``annotations_import`` adds what it holds to the article, all or nothing. An item carrying our
``sourcewise:markup`` becomes an annotation, as the app exported it; any other annotation of the
same text (a Hypothesis highlight or comment, another tool's note) becomes a proposal the teacher
reviews, its comment the draft explanation. Nothing is ever stored against another document's
text: an item targeting another document is refused, and positions counted in another copy of the
text (the live web page) are only a hint for finding its quote.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from articles.anchoring import AnchorResult, anchor_locate, anchor_source_span
from articles.importing import MAX_IMPORT_BYTES, json_parse, json_value_check, size_error_message
from articles.models import QUOTE_CONTEXT, Annotation, AnnotationProposal, Article, Source
from articles.services import ProposalDraft, proposals_add
from articles.text import quote_selector
from articles.w3c.jsonld import document_compact
from articles.w3c.vocabulary import (
    ANNOTATION_URN,
    ARTICLE_KEY,
    ARTICLE_URN,
    MARKUP,
    SOURCEWISE_NS,
    article_urn,
)

# Body roles whose text is someone's note on the span; tagging and classifying bodies name it.
_NOTE_ROLES = frozenset(
    {"commenting", "describing", "questioning", "replying", "assessing", "editing"}
)
_ARTICLE_VIEWS = frozenset({"articles:detail", "articles:text"})
_ORIGIN_LABEL_MAX = AnnotationProposal._meta.get_field("origin_label").max_length
_EXTERNAL_ID_MAX = AnnotationProposal._meta.get_field("external_id").max_length


@dataclasses.dataclass(frozen=True)
class ImportResult:
    """What an import did: annotations and proposals created, items already here, and the
    items left out because they mark no text (notes on the whole page, replies)."""

    annotations: int
    proposals: int
    skipped: int
    left_out: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class _Speaker:
    name: str
    description: str
    kind: str


@dataclasses.dataclass(frozen=True)
class _SourceWords:
    exact: str
    start: int | None
    end: int | None


@dataclasses.dataclass(frozen=True)
class _Markup:
    """What our own export says about a span, beyond the standard."""

    kind: str
    sourcing: str
    cue: str
    speaker: _Speaker | None
    source_words: _SourceWords | None
    was_orphaned: bool


@dataclasses.dataclass(frozen=True)
class _Item:
    """One annotation of the document, checked for shape but not yet placed in the body."""

    number: int
    external_id: str
    exact: str | None
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    explanation: str
    markup: _Markup | None
    uid: uuid.UUID | None = None
    origin_label: str = ""
    kind_hint: str = ""


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


@dataclasses.dataclass(frozen=True)
class _Hints:
    """Where an item's selectors say its span is: a quote, positions, or both."""

    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


class _ItemError(Exception):
    """A problem with one item, reported with its number and id."""


class _LeftOut(Exception):
    """An item that marks no text, so there is nothing to annotate or propose."""


# --- reading a file ----------------------------------------------------------------------


def annotations_file_read(*, data: bytes) -> dict[str, Any]:
    """Return the JSON object in an uploaded annotation file, or raise ValidationError saying
    why it cannot be read (too large, not UTF-8, not JSON, too deeply nested, not text)."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(size_error_message(len(data)), code="too_large")
    try:
        # utf-8-sig: editors on Windows like to start UTF-8 files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as UTF-8 and try again."), code="encoding"
        ) from error
    try:
        document = json_parse(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("The file is not valid JSON: %(problem)s at line %(line)s, column %(column)s.")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno},
            code="json",
        ) from error
    except ValueError as error:
        raise ValidationError(
            _("The file cannot be read: %(problem)s") % {"problem": error}, code="json"
        ) from error
    if not isinstance(document, dict):
        raise ValidationError(
            _("The file must hold a JSON object (a W3C annotation, page or collection)."),
            code="shape",
        )
    return document


def _document(data: Any) -> dict[str, Any]:
    """Return the document checked for what no database keeps, compacted to the W3C terms."""
    if not isinstance(data, dict):
        raise ValidationError(
            _("The document must be a JSON object (a W3C annotation, page or collection).")
        )
    try:
        json_value_check(data)
    except ValueError as error:
        raise ValidationError(
            _("The document cannot be read: %(problem)s") % {"problem": error}
        ) from error
    return document_compact(data)


# --- small readers -----------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _types(node: dict[str, Any]) -> list[Any]:
    return _as_list(node.get("type"))


def _iri(value: Any) -> str | None:
    """Return the IRI a value names: a string, or an object's id."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _ours(node: dict[str, Any], *names: str, default: Any = None) -> Any:
    """Return the value of one of our terms, under its short name or, when the writer's context
    declared it differently from the one we compact with, its prefixed or full IRI."""
    for name in names:
        for key in (name, f"sourcewise:{name}", f"{SOURCEWISE_NS}{name}"):
            if key in node:
                return node[key]
    return default


def _word(value: Any) -> Any:
    """Return the word a concept of our vocabulary stands for: "claim" for
    https://sourcewise.invalid/ns#statement-claim, compacted or not; any other value as is."""
    iri = _iri(value) if isinstance(value, dict) else value
    if not isinstance(iri, str):
        return value
    for prefix in (SOURCEWISE_NS, "sourcewise:"):
        if iri.startswith(prefix) and "-" in iri:
            return iri.removeprefix(prefix).split("-", 1)[1]
    return iri


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


def _item_message(number: int, problem: str, external_id: str = "") -> str:
    if external_id:
        shown = external_id if len(external_id) <= 100 else external_id[:99] + "…"
        return _("Item %(number)s: %(problem)s (id %(id)s)") % {
            "number": number,
            "problem": problem,
            "id": shown,
        }
    return _("Item %(number)s: %(problem)s") % {"number": number, "problem": problem}


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


# --- which document an item annotates ----------------------------------------------------


def _iri_key(iri: str) -> str:
    """Return the IRI as compared: without fragment or trailing slash, scheme and host lower."""
    parts = urlsplit(iri.strip())
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
    )


def _app_slug(iri: str) -> str | None:
    """Return the slug of the article whose page in this app the IRI is, if it is one."""
    parts = urlsplit(iri)
    domain, _port = split_domain_port(parts.netloc)
    if parts.scheme not in ("http", "https") or not domain:
        return None
    if not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    # The article's page, or its stored text served as a document of its own.
    return match.kwargs.get("slug") if match.view_name in _ARTICLE_VIEWS else None


def _document_of(article: Article, iri: str) -> str | None:
    """Say which copy of the article's text the IRI names.

    "copy": the text stored here (its URN or its page in this app), so positions count in it;
    "page": the page it was taken from, whose positions count in text we do not have;
    None: another document.
    """
    if iri.startswith(ARTICLE_URN):
        return "copy" if iri == article_urn(article) else None
    if _app_slug(iri) == article.slug:
        return "copy"
    if article.source_url and _iri_key(iri) == _iri_key(article.source_url):
        return "page"
    return None


def _targets(raw: dict[str, Any]) -> list[tuple[str | None, list[Any], list[str]]]:
    """Return each target's document IRI, selectors, and the cached copies its state names."""
    targets: list[tuple[str | None, list[Any], list[str]]] = []
    for target in _as_list(raw.get("target")):
        if isinstance(target, str):
            targets.append((target, [], []))
        elif isinstance(target, dict):
            cached = [
                iri
                for state in _as_list(target.get("state"))
                if isinstance(state, dict)
                for iri in map(_iri, _as_list(state.get("cached")))
                if iri
            ]
            # A target without source is the resource itself: the whole document.
            source = _iri(target["source"]) if "source" in target else _iri(target)
            targets.append((source, _as_list(target.get("selector")), cached))
        else:
            raise _ItemError(_("each target must be an IRI or an object."))
    return targets


def _article_target(
    raw: dict[str, Any], *, article: Article, retarget: bool, ours: bool
) -> tuple[list[Any], bool]:
    """Return the selectors of the item's target in this article, and whether its positions
    count in the text stored here; raise _ItemError if it annotates anything else."""
    targets = _targets(raw)
    if not targets:
        raise _ItemError(_("it has no target: it does not say what it annotates."))
    if any(source is None for source, _selectors, _cached in targets):
        raise _ItemError(_("its target does not say which document it annotates (no “source”)."))
    sources = list(dict.fromkeys(source for source, _selectors, _cached in targets))
    if len(sources) > 1:
        raise _ItemError(
            _(
                "it has targets in %(count)s different documents (%(sources)s); Sourcewise keeps "
                "annotations of one article's text."
            )
            % {"count": len(sources), "sources": ", ".join(_shown(s) for s in sources)}
        )
    document = _document_of(article, sources[0])
    if document is None and not retarget:
        raise _ItemError(
            _(
                "it annotates %(source)s, not this article (%(article)s); nothing is stored "
                "against another document's text."
            )
            % {"source": _shown(sources[0]), "article": _shown(_article_names(article))}
        )
    with_selectors = [selectors for _source, selectors, _cached in targets if selectors]
    if len(with_selectors) > 1:
        raise _ItemError(
            _("it marks %(count)s separate spans; Sourcewise keeps one span per annotation.")
            % {"count": len(with_selectors)}
        )
    # Positions count in the text stored here when the target names it, or names the page with
    # a state whose cached copy is ours; our own first exports counted in it without saying so.
    # Another document's positions (read with retarget) count in its text, not this one.
    cached_here = any(
        _document_of(article, iri) == "copy"
        for _source, _selectors, cached in targets
        for iri in cached
    )
    trusted = document == "copy" or (document == "page" and (ours or cached_here))
    return (with_selectors[0] if with_selectors else []), trusted


def _article_names(article: Article) -> str:
    return " or ".join(filter(None, [article.source_url, article_urn(article)]))


# --- selectors ---------------------------------------------------------------------------


def _quote_fields(selector: dict[str, Any]) -> tuple[str, str, str]:
    exact = selector.get("exact")
    if not isinstance(exact, str) or not exact:
        raise _ItemError(_("its TextQuoteSelector needs the quoted text in “exact”."))
    return (
        exact,
        _optional_str(selector, "prefix", _("the quote's prefix")),
        _optional_str(selector, "suffix", _("the quote's suffix")),
    )


def _resolve(
    selector: Any, body: str, *, trusted: bool, within: tuple[int, int]
) -> tuple[int, int] | None:
    """Return the span of body the selector picks inside `within`, or None if it points into
    something other than this plain text (an HTML element, another copy's positions)."""
    if not isinstance(selector, dict):
        raise _ItemError(_("each selector must be an object."))
    types = _types(selector)
    low, high = within
    span: tuple[int, int] | None = None
    if "TextQuoteSelector" in types:
        exact, prefix, suffix = _quote_fields(selector)
        found = anchor_locate(
            body=body[low:high], exact=exact, prefix=prefix, suffix=suffix, start=0, end=0
        )
        if found.found and body[low + found.start : low + found.end] == exact:
            span = (low + found.start, low + found.end)
        else:
            raise _ItemError(
                _("the quoted text %(quote)s is not in the article.") % {"quote": _shown(exact)}
            )
    elif "TextPositionSelector" in types:
        start, end = selector.get("start"), selector.get("end")
        if not (_is_int(start) and _is_int(end) and 0 <= start <= end):
            _offsets(selector, _("a TextPositionSelector"))
        if trusted:
            if low + end > high:
                raise _ItemError(
                    _("its offsets %(start)s to %(end)s are outside the text they select in.")
                    % {"start": start, "end": end}
                )
            span = (low + start, low + end)
    elif "RangeSelector" in types:
        first = _resolve(selector.get("startSelector"), body, trusted=trusted, within=within)
        last = _resolve(selector.get("endSelector"), body, trusted=trusted, within=within)
        if first is not None and last is not None:
            # The range runs from the start selector up to the start of the end selector.
            if last[0] <= first[0]:
                raise _ItemError(_("its RangeSelector ends before it starts."))
            span = (first[0], last[0])
    refinement = selector.get("refinedBy")
    if refinement is None:
        return span
    if span is None:
        # An HTML element or another copy's positions do not resolve here, but a quote
        # refining one can be found in the whole text.
        if isinstance(refinement, dict) and "TextQuoteSelector" in _types(refinement):
            return _resolve(refinement, body, trusted=trusted, within=within)
        return None
    # Positions inside a span found in this text count in this text.
    return _resolve(refinement, body, trusted=True, within=span)


def _hints(selectors: list[Any], body: str, *, trusted: bool) -> _Hints:
    """Read the selectors (alternatives for one span) into where the span is said to be."""
    quote = position = None
    others: list[Any] = []
    for selector in selectors:
        if not isinstance(selector, dict):
            raise _ItemError(_("each selector must be an object."))
        if "refinedBy" in selector:
            others.append(selector)
        elif "TextQuoteSelector" in _types(selector):
            if quote is not None:
                raise _ItemError(_("it has more than one TextQuoteSelector."))
            quote = selector
        elif "TextPositionSelector" in _types(selector):
            if position is not None:
                raise _ItemError(_("it has more than one TextPositionSelector."))
            position = selector
        else:
            others.append(selector)
    hints = _Hints()
    if quote is not None:
        exact, prefix, suffix = _quote_fields(quote)
        hints = _Hints(exact=exact, prefix=prefix, suffix=suffix)
    if position is not None:
        start, end = _offsets(position, _("its TextPositionSelector"))
        if trusted or quote is not None:
            # Positions counted in another copy still say near which occurrence the quote is.
            hints = dataclasses.replace(hints, start=start, end=end)
    if hints.exact is not None or hints.start is not None:
        return hints
    for selector in others:
        span = _resolve(selector, body, trusted=trusted, within=(0, len(body)))
        if span is not None and span[0] < span[1]:
            return _Hints(start=span[0], end=span[1], **quote_selector(body, *span))
    if position is not None:
        raise _ItemError(
            _(
                "it gives only positions, and they count in another copy of the text (the web "
                "page as it was, or another article), not in the text stored here; give a "
                "TextQuoteSelector."
            )
        )
    if others:
        kinds = sorted({str(kind) for selector in others for kind in _types(selector)})
        raise _ItemError(
            _(
                "none of its selectors (%(kinds)s) points into the article's plain text; "
                "give a TextQuoteSelector."
            )
            % {"kinds": ", ".join(kinds) or _("without a type")}
        )
    raise _ItemError(_("its target needs a TextQuoteSelector or a TextPositionSelector."))


# --- bodies ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Bodies:
    notes: list[str]
    classifications: list[Any]
    tags: list[str]


def _bodies(raw: dict[str, Any]) -> _Bodies:
    """Sort the annotation's bodies by their purpose, or, without one, by its motivation.

    A text body with neither is a note: that is what tools such as Hypothesis mean by it.
    """
    motivations = _as_list(raw.get("motivation"))
    bodies = _as_list(raw.get("body"))
    if "bodyValue" in raw:
        bodies.append({"type": "TextualBody", "value": raw["bodyValue"]})
    notes: list[str] = []
    classifications: list[Any] = []
    tags: list[str] = []
    for body in bodies:
        if not isinstance(body, dict) or "value" not in body:
            # An IRI or a resource of another tool; there is no text of ours to read.
            continue
        value = body["value"]
        roles = {
            role for role in _as_list(body.get("purpose")) or motivations if isinstance(role, str)
        }
        if "classifying" in roles:
            classifications.append(value)
        elif not isinstance(value, str):
            raise _ItemError(_("the text of its body must be text."))
        elif "tagging" in roles and not roles & _NOTE_ROLES:
            if value.strip():
                tags.append(value.strip())
        elif value.strip():
            notes.append(value)
    return _Bodies(notes=notes, classifications=classifications, tags=tags)


# --- our markup --------------------------------------------------------------------------


def _parse_speaker(value: Any) -> _Speaker | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _ItemError(_("the speaker must be an object with a name, or null for the outlet."))
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _ItemError(_("the speaker needs a name."))
    kind = _word(_ours(value, "kind", "speakerKind", default=Source.Kind.PERSON))
    return _Speaker(
        name=name.strip(),
        description=_optional_str(
            {"description": _ours(value, "description")},
            "description",
            _("the speaker's description"),
        ),
        kind=_choice(kind, Source.Kind, _("the speaker's kind")),
    )


def _parse_source_words(value: Any) -> _SourceWords | None:
    """Read the words naming the source: a SpecificResource with its own selectors, or the
    first exports' {exact, start, end}."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _ItemError(_("sourceWords must be an object with exact, start and end, or null."))
    if "selector" not in value:
        start, end = _offsets(value, "sourceWords")
        return _SourceWords(
            exact=_optional_str(value, "exact", _("sourceWords.exact")), start=start, end=end
        )
    exact, start, end = "", None, None
    for selector in _as_list(value["selector"]):
        if not isinstance(selector, dict):
            raise _ItemError(_("each selector must be an object."))
        if "TextQuoteSelector" in _types(selector):
            exact = _quote_fields(selector)[0]
        elif "TextPositionSelector" in _types(selector):
            start, end = _offsets(selector, _("the source words' TextPositionSelector"))
    if not exact and start is None:
        raise _ItemError(_("sourceWords needs a TextQuoteSelector or a TextPositionSelector."))
    return _SourceWords(exact=exact, start=start, end=end)


def _parse_markup(markup: Any, bodies: _Bodies) -> _Markup:
    if not isinstance(markup, dict):
        raise _ItemError(
            _("it has no “%(key)s” object saying its kind, sourcing and speaker.") % {"key": MARKUP}
        )
    if len(bodies.notes) > 1:
        raise _ItemError(_("it has more than one describing body; keep one explanation."))
    if len(bodies.classifications) > 1:
        raise _ItemError(_("it has more than one classifying body."))
    classified_as = bodies.classifications[0] if bodies.classifications else None
    kind = _word(_ours(markup, "kind", default=classified_as))
    _choice(kind, Annotation.Kind, _("the kind"))
    if classified_as is not None and classified_as != kind:
        raise _ItemError(
            _("its classifying body says %(body)s but its markup says %(markup)s.")
            % {"body": _shown(classified_as), "markup": _shown(kind)}
        )
    status = _word(_ours(markup, "anchorStatus", default=Annotation.Anchor.EXACT))
    _choice(status, Annotation.Anchor, _("anchorStatus"))
    return _Markup(
        kind=kind,
        sourcing=_choice(_word(_ours(markup, "sourcing")), Annotation.Sourcing, _("the sourcing")),
        cue=_optional_str({"cue": _ours(markup, "cue")}, "cue", _("the cue")),
        speaker=_parse_speaker(_ours(markup, "speaker")),
        source_words=_parse_source_words(_ours(markup, "sourceWords")),
        was_orphaned=status == Annotation.Anchor.ORPHANED,
    )


def _uid(external_id: str) -> uuid.UUID | None:
    if not external_id.startswith(ANNOTATION_URN):
        return None
    try:
        return uuid.UUID(external_id.removeprefix(ANNOTATION_URN))
    except ValueError:
        return None


# --- other tools' annotations ------------------------------------------------------------


def _origin_label(raw: dict[str, Any], external_id: str) -> str:
    """Name the tool and the person an annotation came from: "hypothes.is, acct:alice@…"."""
    generator = raw.get("generator")
    tool = ""
    if isinstance(generator, dict) and isinstance(generator.get("name"), str):
        tool = generator["name"]
    elif _iri(generator):
        tool = urlsplit(_iri(generator)).hostname or _iri(generator)
    elif external_id:
        tool = urlsplit(external_id).hostname or ""
    creator = raw.get("creator")
    person = ""
    if isinstance(creator, dict):
        person = next(
            (creator[key] for key in ("name", "nickname") if isinstance(creator.get(key), str)),
            _iri(creator) or "",
        )
    elif isinstance(creator, str):
        person = creator
    label = ", ".join(part.strip() for part in (tool, person) if part and part.strip())
    return label[:_ORIGIN_LABEL_MAX]


def _draft_text(bodies: _Bodies) -> tuple[str, str]:
    """Return a proposal's draft explanation, and the kind its tags name if they name one."""
    labels = [str(value) for value in bodies.classifications] + bodies.tags
    explanation = "\n\n".join(note.strip() for note in bodies.notes)
    if labels:
        tag_line = _("Tags: %(tags)s.") % {"tags": ", ".join(labels)}
        explanation = f"{explanation}\n\n{tag_line}" if explanation else tag_line
    kinds = {value.lower() for value in labels} & set(Annotation.Kind.values)
    return explanation, (kinds.pop() if len(kinds) == 1 else "")


# --- items -------------------------------------------------------------------------------


def _parse_item(number: int, raw: Any, *, article: Article, retarget: bool) -> _Item:
    if not isinstance(raw, dict):
        raise _ItemError(_("it must be an object."))
    if "Annotation" not in _types(raw):
        raise _ItemError(_("its type must be “Annotation”."))
    external_id = _iri(raw) or ""
    markup_raw = raw.get(MARKUP)
    selectors, trusted = _article_target(
        raw, article=article, retarget=retarget, ours=markup_raw is not None
    )
    if not selectors and markup_raw is None:
        raise _LeftOut(
            _("it marks no text (a note on the whole page, or a reply), so it was left out.")
        )
    hints = _hints(selectors, article.body, trusted=trusted)
    bodies = _bodies(raw)
    common = {
        "number": number,
        "external_id": external_id,
        "exact": hints.exact,
        "prefix": hints.prefix,
        "suffix": hints.suffix,
        "start": hints.start,
        "end": hints.end,
    }
    if markup_raw is not None:
        markup = _parse_markup(markup_raw, bodies)
        return _Item(
            **common,
            explanation=bodies.notes[0] if bodies.notes else "",
            markup=markup,
            uid=_uid(_iri(raw.get("canonical")) or external_id),
        )
    if len(external_id) > _EXTERNAL_ID_MAX:
        raise _ItemError(_("its id is longer than %(max)s characters.") % {"max": _EXTERNAL_ID_MAX})
    explanation, kind_hint = _draft_text(bodies)
    return _Item(
        **common,
        explanation=explanation,
        markup=None,
        origin_label=_origin_label(raw, external_id),
        kind_hint=kind_hint,
    )


def _raw_items(document: dict[str, Any]) -> list[Any]:
    """Return the annotations of a lone annotation, a page, or a collection's first page."""
    types = _types(document)
    if "Annotation" in types:
        return [document]
    if "AnnotationCollection" in types:
        page = document.get("first")
        if page is None:
            return []
        if not isinstance(page, dict) or "AnnotationPage" not in _types(page):
            raise ValidationError(
                _("The collection's “first” must be an embedded AnnotationPage, not a link to one.")
            )
    elif "AnnotationPage" in types:
        page = document
    else:
        raise ValidationError(
            _(
                "The document's type must be “AnnotationCollection”, “AnnotationPage” or "
                "“Annotation”; it is %(type)s."
            )
            % {"type": _shown(document.get("type"))}
        )
    if page.get("next"):
        raise ValidationError(
            _("The collection has more than one page; put all annotations in the first page.")
        )
    items = page.get("items", [])
    if not isinstance(items, list):
        raise ValidationError(_("The page's “items” must be a list of annotations."))
    return items


def _parse_document(
    document: dict[str, Any], *, article: Article, retarget: bool
) -> tuple[list[_Item], list[str]]:
    """Check every item's shape and target; raise one error listing every bad item.

    Return the items and the messages for the items left out.
    """
    items: list[_Item] = []
    errors: list[str] = []
    left_out: list[str] = []
    speakers: dict[str, tuple[_Speaker, int]] = {}
    for number, raw in enumerate(_raw_items(document), start=1):
        external_id = (_iri(raw) or "") if isinstance(raw, dict) else ""
        try:
            item = _parse_item(number, raw, article=article, retarget=retarget)
        except _ItemError as problem:
            errors.append(_item_message(number, str(problem), external_id))
            continue
        except _LeftOut as reason:
            left_out.append(_item_message(number, str(reason), external_id))
            continue
        speaker = item.markup.speaker if item.markup else None
        if speaker is not None:
            first = speakers.setdefault(speaker.name, (speaker, number))
            if first[0] != speaker:
                errors.append(
                    _item_message(
                        number,
                        _(
                            "the speaker %(name)s is described differently in item %(first)s; "
                            "give them the same description and kind."
                        )
                        % {"name": _shown(speaker.name), "first": first[1]},
                        external_id,
                    )
                )
                continue
        items.append(item)
    if errors:
        raise ValidationError(errors)
    return items, left_out


# --- placing items in the current body ---------------------------------------------------


def _place_source_words(body: str, item: _Item, anchor: AnchorResult) -> tuple[int, int, str]:
    words = item.markup.source_words
    if not words.exact:
        # Without the words themselves the offsets are all there is to go on.
        if words.end <= len(body):
            return words.start, words.end, body[words.start : words.end]
    else:
        found = anchor_source_span(
            body=body,
            source_exact=words.exact,
            source_start=words.start if words.start is not None else anchor.start,
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
            if item.markup is not None and item.markup.was_orphaned:
                return _orphan(item)
            raise _ItemError(
                _("the quoted text %(quote)s is not in the article.")
                % {"quote": _shown(item.exact)}
            )
        if item.markup is None and anchor.status == Annotation.Anchor.FUZZY:
            # A proposal has no anchor status to warn the teacher with: only the words quoted.
            raise _ItemError(
                _("the quoted text %(quote)s is not in the article; the nearest is %(near)s.")
                % {"quote": _shown(item.exact), "near": _shown(body[anchor.start : anchor.end])}
            )
        if anchor.status == Annotation.Anchor.MOVED and not has_position:
            # Found by its quote alone there is no earlier position for it to have moved from.
            anchor = dataclasses.replace(anchor, status=Annotation.Anchor.EXACT)
    source_start = source_end = None
    source_exact = ""
    if item.markup is not None and item.markup.source_words is not None:
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
    words = item.markup.source_words
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
    item: _Item, error: ValidationError, model: type[models.Model], *, of: str = ""
) -> list[str]:
    messages = []
    for field, problems in error.message_dict.items():
        for problem in problems:
            if field == NON_FIELD_ERRORS:
                messages.append(_item_message(item.number, problem, item.external_id))
            else:
                label = model._meta.get_field(field).verbose_name
                label = f"{of} {label}" if of else label
                messages.append(_item_message(item.number, f"{label}: {problem}", item.external_id))
    return messages


def _speaker_sources(*, article: Article, items: list[_Item]) -> dict[str, Source]:
    """Return the article's sources by name, creating those the items name and it lacks."""
    sources = {source.name: source for source in Source.objects.filter(article=article)}
    errors: list[str] = []
    for item in items:
        speaker = item.markup.speaker if item.markup else None
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
            errors.extend(_model_errors(item, error, Source, of=_("speaker")))
            continue
        source.save()
        sources[source.name] = source
    if errors:
        raise ValidationError(errors)
    return sources


def _annotations_build(
    *, article: Article, placed: list[tuple[_Item, _Placement]], author, replace: bool
) -> tuple[list[Annotation], int]:
    """Return the annotations to save for our own items, and how many are already here."""
    if replace:
        # Questions generated from these annotations keep their text; only the link goes.
        Annotation.objects.filter(article=article).delete()
    here = Annotation.objects.filter(article=article)
    existing = set(here.values_list("start", "end", "kind", "speaker__name"))
    uids_here = set(here.values_list("uid", flat=True))
    uids_taken = set(
        Annotation.objects.filter(
            uid__in=[item.uid for item, _placement in placed if item.uid]
        ).values_list("uid", flat=True)
    )
    sources = _speaker_sources(article=article, items=[item for item, _placement in placed])
    annotations: list[Annotation] = []
    errors: list[str] = []
    skipped = 0
    for item, placement in placed:
        markup = item.markup
        speaker_name = markup.speaker.name if markup.speaker else None
        key = (placement.start, placement.end, markup.kind, speaker_name)
        if key in existing or item.uid in uids_here:
            skipped += 1
            continue
        existing.add(key)
        annotation = Annotation(
            article=article,
            kind=markup.kind,
            sourcing=markup.sourcing,
            speaker=sources[speaker_name] if speaker_name else None,
            cue=markup.cue,
            explanation=item.explanation,
            author=author,
            **dataclasses.asdict(placement),
        )
        if item.uid is not None and item.uid not in uids_taken:
            # The same id wherever the annotation travels, unless it is already used here.
            annotation.uid = item.uid
            uids_taken.add(item.uid)
        try:
            annotation.full_clean()
        except ValidationError as error:
            errors.extend(_model_errors(item, error, Annotation))
            continue
        annotations.append(annotation)
    if errors:
        raise ValidationError(errors)
    return annotations, skipped


def _draft(item: _Item, placement: _Placement) -> ProposalDraft:
    return ProposalDraft(
        start=placement.start,
        end=placement.end,
        origin=AnnotationProposal.Origin.IMPORT,
        kind=item.kind_hint,
        explanation=item.explanation,
        origin_label=item.origin_label,
        external_id=item.external_id,
    )


@transaction.atomic
def annotations_import(
    *,
    article: Article,
    data: dict[str, Any],
    author=None,
    replace: bool = False,
    retarget: bool = False,
) -> ImportResult:
    """Add a W3C annotation, page or collection to the article; say what was added.

    Items with our markup become annotations; other tools' annotations of the same text become
    proposals for the teacher's review. Every item is checked and anchored in the article's
    current body before anything is saved; one bad item means nothing is saved. An item is
    skipped when it is already here (the same id, or the same span, kind and speaker), so
    importing a file twice adds nothing. `replace` deletes the article's annotations first.
    `retarget` reads annotations made on another copy of the text (another article, another
    page) into this one, by their quotes alone.
    """
    document = _document(data)
    items, left_out = _parse_document(document, article=article, retarget=retarget)
    body = article.body
    placed: list[tuple[_Item, _Placement]] = []
    errors: list[str] = []
    for item in items:
        try:
            placed.append((item, _place(body, item)))
        except _ItemError as problem:
            errors.append(_item_message(item.number, str(problem), item.external_id))
    if errors:
        raise ValidationError(errors)

    ours = [(item, placement) for item, placement in placed if item.markup is not None]
    annotations, skipped = _annotations_build(
        article=article, placed=ours, author=author, replace=replace
    )
    for annotation in annotations:
        annotation.save()
    drafts = [_draft(item, placement) for item, placement in placed if item.markup is None]
    proposals = proposals_add(article=article, drafts=drafts) if drafts else 0
    return ImportResult(
        annotations=len(annotations),
        proposals=proposals,
        skipped=skipped + len(drafts) - proposals,
        left_out=tuple(left_out),
    )


def annotations_target_article(*, data: Any) -> Article:
    """Return the article a document annotates, from its article URN or its targets' source."""
    document = _document(data)
    candidates: list[str] = []
    named = _iri(_ours(document, ARTICLE_KEY.removeprefix("sourcewise:")))
    if named:
        candidates.append(named)
    try:
        raw_items = _raw_items(document)
    except ValidationError:
        raw_items = []
    sources: list[str] = []
    for raw in raw_items:
        if isinstance(raw, dict):
            try:
                sources.extend(source for source, _selectors, _cached in _targets(raw) if source)
            except _ItemError:
                continue
    sources = list(dict.fromkeys(sources))
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
        article = _article_named(candidate)
        if article is not None:
            return article
    if not candidates:
        raise ValidationError(_("The document does not say which article it annotates."))
    raise ValidationError(
        _("No single article here matches %(targets)s.")
        % {"targets": ", ".join(_shown(candidate) for candidate in dict.fromkeys(candidates))}
    )


def _article_named(iri: str) -> Article | None:
    """Return the one article the IRI names: by its URN, its page here, or its source URL."""
    slug = iri.removeprefix(ARTICLE_URN) if iri.startswith(ARTICLE_URN) else _app_slug(iri)
    if slug:
        return Article.objects.filter(slug=slug).first()
    key = _iri_key(iri)
    written = {iri, iri.rstrip("/"), iri.rstrip("/") + "/"}
    matches = [
        article
        for article in Article.objects.filter(source_url__in=written)[:2]
        if _iri_key(article.source_url) == key
    ]
    return matches[0] if len(matches) == 1 else None
