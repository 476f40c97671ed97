"""Writes to articles, their sources and their annotations.

Every write validates before it saves and runs in one transaction, so a refusal changes nothing.
"""

import logging
import secrets
from dataclasses import asdict, dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.anchoring import AnchorResult, anchor_locate, anchor_source_span
from articles.models import Annotation, AnnotationProposal, Article, QuotedSpan, Source
from articles.rendering import paragraph_spans
from articles.text import nearest_occurrence, quote_selector

logger = logging.getLogger(__name__)

# Sources


@dataclass(frozen=True)
class SourceDraft:
    """A source the teacher adds on the spot while annotating."""

    name: str
    description: str = ""
    kind: str = Source.Kind.PERSON


@transaction.atomic
def source_create(
    *, article: Article, name: str, description: str = "", kind: str = Source.Kind.PERSON
) -> Source:
    """Add a speaker or source to the article, refusing a second one with the same name."""
    name = name.strip()
    if name and article.sources.filter(name__iexact=name).exists():
        raise ValidationError(
            {
                "name": _("“%(name)s” is already a source of this article: pick it from the list.")
                % {"name": name}
            }
        )
    source = Source(article=article, name=name, description=description.strip(), kind=kind)
    source.full_clean()
    source.save()
    return source


# Annotations


@dataclass(frozen=True)
class AnnotationDraft:
    """What the teacher marks in the panel: a span of the body and what it is.

    The quote and the source words are taken from the body at these offsets when saved.
    """

    start: int
    end: int
    kind: str
    sourcing: str
    speaker: Source | None = None
    cue: str = ""
    source_start: int | None = None
    source_end: int | None = None
    explanation: str = ""


def _annotation_save_anchored(annotation: Annotation) -> Annotation:
    """Save the annotation exactly where its offsets are, taking its quote, the quote's
    context and its source words from the article's body."""
    body = annotation.article.body
    start, end = max(annotation.start, 0), max(annotation.end, 0)
    for field, value in quote_selector(body, start, end).items():
        setattr(annotation, field, value)
    source_start, source_end = annotation.source_start, annotation.source_end
    annotation.source_exact = (
        body[max(source_start, 0) : max(source_end, 0)]
        if source_start is not None and source_end is not None
        else ""
    )
    annotation.anchor_status = Annotation.Anchor.EXACT
    annotation.anchor_score = 1.0
    annotation.full_clean()
    annotation.save()
    return annotation


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
    return _annotation_save_anchored(
        Annotation(
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
        )
    )


@transaction.atomic
def annotation_save(
    *,
    article: Article,
    draft: AnnotationDraft,
    annotation: Annotation | None = None,
    new_source: SourceDraft | None = None,
    author=None,
) -> Annotation:
    """Create an annotation from the panel, or update `annotation`, adding its new speaker
    first if asked; the quote is taken from the body again.

    The new source and the annotation are saved together or not at all.
    """
    if annotation is not None and annotation.article_id != article.pk:
        raise ValidationError(_("This annotation belongs to another article."))
    if new_source is not None:
        try:
            speaker = source_create(
                article=article,
                name=new_source.name,
                description=new_source.description,
                kind=new_source.kind,
            )
        except ValidationError as error:
            # The panel shows the new source's fields under their own names.
            raise ValidationError(
                {f"new_source_{field}": messages for field, messages in error.message_dict.items()}
            ) from None
        draft = replace(draft, speaker=speaker)
    if annotation is None:
        annotation = Annotation(article=article, author=author)
    for field, value in vars(draft).items():
        setattr(annotation, field, value)
    return _annotation_save_anchored(annotation)


@transaction.atomic
def annotation_delete(*, annotation: Annotation) -> None:
    """Delete an annotation; questions made from it stay, as they store their own text."""
    annotation.delete()


@transaction.atomic
def annotation_match_accept(*, annotation: Annotation) -> Annotation:
    """Confirm a fuzzy match: the annotation now marks exactly the text it points at."""
    if annotation.anchor_status != Annotation.Anchor.FUZZY:
        raise ValidationError(_("Only a fuzzy match needs accepting; this annotation is not one."))
    if not (0 <= annotation.start < annotation.end <= len(annotation.article.body)):
        raise ValidationError(
            _("The matched text is no longer in the article. Find it again by its quote.")
        )
    return _annotation_save_anchored(annotation)


@transaction.atomic
def annotation_relocate(*, annotation: Annotation, start: int, end: int) -> Annotation:
    """Anchor a lost annotation again at body[start:end]; keep its source words if nearby."""
    found = nearest_occurrence(
        annotation.article.body, annotation.source_exact, start=start, end=end
    )
    annotation.start, annotation.end = start, end
    annotation.source_start, annotation.source_end = found or (None, None)
    return _annotation_save_anchored(annotation)


def _source_span_exact(annotation: Annotation, previous_body: str | None) -> str:
    """Return the stored source words, falling back to what the previous body said there."""
    if annotation.source_exact:
        return annotation.source_exact
    if previous_body is not None:
        return previous_body[annotation.source_start : annotation.source_end]
    return ""


def _quoted_span_locate(span: QuotedSpan, body: str) -> AnchorResult:
    """Find an annotation's or a proposal's quote again in `body`, near where it was."""
    selectors = ("exact", "prefix", "suffix", "start", "end")
    return anchor_locate(body=body, **{name: getattr(span, name) for name in selectors})


def _annotation_reanchor(
    annotation: Annotation, *, body: str, previous_body: str | None
) -> tuple[str, bool]:
    """Move one annotation (in memory) onto body; return its status and whether it lost its
    source words."""

    result = _quoted_span_locate(annotation, body)
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


def _proposals_reanchor(*, article: Article, previous_body: str) -> None:
    """Move the article's pending proposals onto its new body, source words and all, where
    their words are still exactly there (dropping a paragraph of page furniture after an
    import moves every later proposal). The others keep their offsets: accepting one looks
    for its words again and says so when they are gone."""
    body = article.body
    moved = []
    for proposal in article.proposals.filter(status=AnnotationProposal.Status.PENDING):
        found = _quoted_span_locate(proposal, body)
        if found.status not in (Annotation.Anchor.EXACT, Annotation.Anchor.MOVED):
            continue
        if (found.start, found.end) == (proposal.start, proposal.end):
            continue
        if proposal.source_start is not None and proposal.source_end is not None:
            source = anchor_source_span(
                body=body,
                source_exact=previous_body[proposal.source_start : proposal.source_end],
                source_start=proposal.source_start,
                old_start=proposal.start,
                anchor=found,
            )
            proposal.source_start, proposal.source_end = source.start, source.end
        proposal.start, proposal.end = found.start, found.end
        for field, value in quote_selector(body, found.start, found.end).items():
            setattr(proposal, field, value)
        moved.append(proposal)
    AnnotationProposal.objects.bulk_update(
        moved, ["start", "end", "exact", "prefix", "suffix", "source_start", "source_end"]
    )


@transaction.atomic
def article_body_update(*, article: Article, body: str) -> dict[str, int]:
    """Replace the article's body and find every annotation, and every pending proposal,
    again in the new text.

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
        _proposals_reanchor(article=article, previous_body=previous_body)
        return annotations_reanchor(article=article, previous_body=previous_body)
    except Exception:
        # The transaction undoes the database; undo the caller's copy too.
        article.body, article.body_sha256 = unsaved
        raise


# Reviewing an imported text


def _paragraph_at(body: str, start: int) -> tuple[int, int]:
    """Return the span of the paragraph that starts at `start`, or refuse."""
    for span in paragraph_spans(body):
        if span[0] == start:
            return span
    raise ValidationError(
        _("That paragraph is no longer in the text: it was changed meanwhile. Look again.")
    )


@transaction.atomic
def article_paragraph_drop(*, article: Article, start: int, text: str) -> dict[str, int]:
    """Remove the paragraph starting at `start` (which must still read `text`) from the body.

    A paragraph that holds an annotation is refused, so no annotation loses its words; the
    others follow their words through article_body_update. Returns its counts.
    """
    start, end = _paragraph_at(article.body, start)
    if article.body[start:end] != text:
        raise ValidationError(
            _("That paragraph is no longer in the text: it was changed meanwhile. Look again.")
        )
    if (
        article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED)
        .filter(start__lt=end, end__gt=start)
        .exists()
    ):
        raise ValidationError(
            _(
                "This paragraph holds an annotation, so it stays. Delete the annotation in the "
                "annotation panel first if the paragraph really is not part of the article."
            )
        )
    before, after = article.body[:start].rstrip(), article.body[end:].lstrip()
    body = f"{before}\n\n{after}" if before and after else before or after
    if not body.strip():
        raise ValidationError(_("This is the only paragraph left: the article needs some text."))
    return article_body_update(article=article, body=body)


@transaction.atomic
def article_paragraph_restore(*, article: Article, start: int, text: str) -> dict[str, int]:
    """Put a dropped paragraph back as its own paragraph where it was (at `start`, or at the
    paragraph boundary before it if the text changed meanwhile)."""
    text = text.strip()
    if not text:
        raise ValidationError(_("There is no paragraph to put back."))
    body = article.body
    boundaries = [0, *(span_start for span_start, _end in paragraph_spans(body)), len(body)]
    at = max(boundary for boundary in boundaries if boundary <= max(start, 0))
    before, after = body[:at].rstrip(), body[at:].lstrip()
    body = "\n\n".join(part for part in (before, text, after) if part)
    return article_body_update(article=article, body=body)


# Copies


# Proposals


@dataclass(frozen=True)
class ProposalDraft:
    """A statement offered for the teacher's review: offsets into the article's current body
    and whatever is known of it. Empty fields are the teacher's to fill when accepting."""

    start: int
    end: int
    origin: str
    kind: str = ""
    sourcing: str = ""
    cue: str = ""
    speaker_name: str = ""
    speaker_kind: str = ""
    source_start: int | None = None
    source_end: int | None = None
    explanation: str = ""
    origin_label: str = ""
    external_id: str = ""
    confidence: float | None = None
    kind_confidence: float | None = None
    sourcing_confidence: float | None = None


def _proposal_spans_check(body: str, draft: ProposalDraft) -> None:
    spans = [(draft.start, draft.end)]
    if draft.source_start is not None or draft.source_end is not None:
        spans.append((draft.source_start, draft.source_end))
    for start, end in spans:
        if start is None or end is None or not 0 <= start < end <= len(body):
            raise ValidationError(
                _("A proposal points at characters %(start)s–%(end)s, outside the article.")
                % {"start": start, "end": end}
            )


@transaction.atomic
def proposals_add(*, article: Article, drafts: list[ProposalDraft]) -> int:
    """Offer the drafts for review; return how many new proposals there are.

    A draft is passed over when the same proposal was offered before, whatever the teacher
    did with it (one with an id, such as an imported annotation, by that id; another by its
    span), or when an annotation already covers exactly its span. Two imported annotations of
    the same words (two readers' comments) are two proposals. Every draft is checked before
    any is saved.
    """
    seen_ids = set(article.proposals.exclude(external_id="").values_list("origin", "external_id"))
    seen_spans = set(article.proposals.filter(external_id="").values_list("origin", "start", "end"))
    annotated = set(article.annotations.values_list("start", "end"))
    proposals: list[AnnotationProposal] = []
    for draft in drafts:
        seen = (
            (draft.origin, draft.external_id) in seen_ids
            if draft.external_id
            else (draft.origin, draft.start, draft.end) in seen_spans
        )
        if seen or (draft.start, draft.end) in annotated:
            continue
        seen_ids.add((draft.origin, draft.external_id))
        seen_spans.add((draft.origin, draft.start, draft.end))
        _proposal_spans_check(article.body, draft)
        proposal = AnnotationProposal(article=article, **asdict(draft))
        for field, value in quote_selector(article.body, draft.start, draft.end).items():
            setattr(proposal, field, value)
        # The article is the one given, not a choice to check: validating it would cost a
        # query per proposal.
        proposal.full_clean(exclude=["article"], validate_unique=False, validate_constraints=False)
        proposals.append(proposal)
    AnnotationProposal.objects.bulk_create(proposals)
    return len(proposals)


@dataclass(frozen=True)
class ProposalAccepted:
    """What accepting a proposal gave: its annotation, and whether that annotation is new
    (False when the teacher had already annotated exactly those words)."""

    annotation: Annotation
    created: bool


def _proposal_locked(proposal: AnnotationProposal) -> AnnotationProposal:
    """The proposal as stored, its row locked until the transaction ends, while pending.

    Two clicks at once queue here: the second sees what the first decided and is refused.
    """
    locked = AnnotationProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if locked is None:
        raise ValidationError(_("This proposal is no longer there."))
    if locked.status != AnnotationProposal.Status.PENDING:
        raise ValidationError(
            _("This proposal was already %(status)s.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.article = proposal.article
    return locked


def _proposal_span(proposal: AnnotationProposal) -> tuple[int, int, int | None, int | None]:
    """Where the proposal's words are in the current body, and its source words if they are
    still where they were; refused when the words are no longer in the text."""
    found = _quoted_span_locate(proposal, proposal.article.body)
    if found.status not in (Annotation.Anchor.EXACT, Annotation.Anchor.MOVED):
        raise ValidationError(
            _(
                "The text changed since “%(quote)s” was proposed and its words are no longer "
                "there. Reject it, and annotate the statement yourself if it is still needed."
            )
            % {"quote": proposal.exact}
        )
    if found.status == Annotation.Anchor.EXACT:
        return found.start, found.end, proposal.source_start, proposal.source_end
    # The words moved: the source words were offsets only, so they cannot be followed.
    return found.start, found.end, None, None


def _article_sources_lock(article: Article) -> None:
    """Lock the article's row until the transaction ends, so that two proposals accepted at
    once that name the same new speaker add it once: the second finds the first's."""
    list(Article.objects.select_for_update().filter(pk=article.pk).values_list("pk", flat=True))


def _proposal_speaker(proposal: AnnotationProposal) -> Source | None:
    """The article's source named as the proposal's speaker, added if it has none yet;
    None for the outlet's own voice."""
    name = proposal.speaker_name.strip()
    if not name:
        return None
    _article_sources_lock(proposal.article)
    speaker = proposal.article.sources.filter(name__iexact=name).first()
    if speaker is not None:
        return speaker
    return source_create(
        article=proposal.article, name=name, kind=proposal.speaker_kind or Source.Kind.PERSON
    )


def _proposal_accept_locked(
    proposal: AnnotationProposal,
    *,
    author,
    draft: AnnotationDraft | None,
    new_source: SourceDraft | None,
) -> ProposalAccepted:
    if draft is None:
        if not (proposal.kind and proposal.sourcing):
            raise ValidationError(
                _(
                    "“%(quote)s” needs a kind and a sourcing before it can be an annotation: "
                    "complete it in the form."
                )
                % {"quote": proposal.exact}
            )
        start, end, source_start, source_end = _proposal_span(proposal)
    else:
        start, end = draft.start, draft.end
    # A teacher's own annotation of exactly these words stays as it is: the proposal is done.
    existing = (
        proposal.article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED)
        .filter(start=start, end=end)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        annotation, created = existing, False
    elif draft is not None:
        if new_source is not None:
            _article_sources_lock(proposal.article)
        annotation = annotation_save(
            article=proposal.article, draft=draft, new_source=new_source, author=author
        )
        created = True
    else:
        annotation = annotation_create(
            article=proposal.article,
            start=start,
            end=end,
            kind=proposal.kind,
            sourcing=proposal.sourcing,
            speaker=_proposal_speaker(proposal),
            cue=proposal.cue,
            source_start=source_start,
            source_end=source_end,
            explanation=proposal.explanation,
            author=author,
        )
        created = True
    proposal.status = AnnotationProposal.Status.ACCEPTED
    proposal.annotation = annotation
    proposal.save(update_fields=["status", "annotation"])
    return ProposalAccepted(annotation=annotation, created=created)


@transaction.atomic
def proposal_accept(
    *,
    proposal: AnnotationProposal,
    author,
    draft: AnnotationDraft | None = None,
    new_source: SourceDraft | None = None,
) -> ProposalAccepted:
    """Make the proposal an ordinary annotation, as proposed or as the teacher completed it
    in the panel (`draft`, with `new_source` to add its speaker on the spot).

    As proposed, it needs a kind and a sourcing; its speaker is the article's source of that
    name, added when there is none. When an annotation already marks exactly its words, that
    annotation is kept unchanged and linked instead. Refused once the proposal is decided.
    """
    locked = _proposal_locked(proposal)
    accepted = _proposal_accept_locked(locked, author=author, draft=draft, new_source=new_source)
    proposal.status, proposal.annotation = locked.status, locked.annotation
    return accepted


@transaction.atomic
def proposal_reject(*, proposal: AnnotationProposal) -> AnnotationProposal:
    """Turn the proposal down; it is kept, so the same proposal is never offered again."""
    locked = _proposal_locked(proposal)
    locked.status = AnnotationProposal.Status.REJECTED
    locked.save(update_fields=["status"])
    proposal.status = locked.status
    return locked


@transaction.atomic
def proposals_accept_confident(
    *, article: Article, threshold: float, author
) -> list[ProposalAccepted]:
    """Accept every pending proposal of the article that is complete and at least
    `threshold` (0 to 1) confident, in reading order; all of them or, on a refusal, none."""
    if not 0 <= threshold <= 1:
        raise ValidationError(_("The confidence is a number from 0 to 1."))
    proposals = list(
        article.proposals.select_for_update()
        .filter(status=AnnotationProposal.Status.PENDING, confidence__gte=threshold)
        .exclude(kind="")
        .exclude(sourcing="")
        .order_by("start", "end", "pk")
    )
    accepted = []
    for proposal in proposals:
        proposal.article = article
        accepted.append(
            _proposal_accept_locked(proposal, author=author, draft=None, new_source=None)
        )
    return accepted


# Proposals from the attribution proposer

# How the proposer's proposals say where they come from, in the editor's list.
PROPOSER_LABEL = "Sourcewise"


def _choice_or_blank(value: str, choices: type) -> str:
    """The value when it is one of the choices, else blank: the teacher fills it in."""
    return value if value in choices.values else ""


def _proposer_drafts(body: str) -> list[ProposalDraft]:
    """What the attribution proposer finds in the text, as drafts for review."""
    # Looked up when called, so that tests can stand in for the proposer.
    from articles.attribution import statements_find

    cue_length = AnnotationProposal._meta.get_field("cue").max_length
    name_length = AnnotationProposal._meta.get_field("speaker_name").max_length
    drafts = []
    for found in statements_find(body):
        source = found.source[0] if found.source else (None, None)
        drafts.append(
            ProposalDraft(
                start=found.start,
                end=found.end,
                origin=AnnotationProposal.Origin.PROPOSER,
                origin_label=PROPOSER_LABEL,
                kind=_choice_or_blank(found.kind, Annotation.Kind),
                sourcing=_choice_or_blank(found.sourcing, Annotation.Sourcing),
                cue=" ".join(body[start:end] for start, end in found.cue)[:cue_length],
                speaker_name=found.speaker[:name_length],
                speaker_kind=_choice_or_blank(found.speaker_kind, Source.Kind),
                source_start=source[0],
                source_end=source[1],
                confidence=found.confidence,
                kind_confidence=found.kind_confidence or None,
                sourcing_confidence=found.sourcing_confidence or None,
            )
        )
    return drafts


def _proposer_spans_seen(article: Article) -> set[tuple[int, int]]:
    """Where the proposer's earlier proposals on the article stand in its current body.

    proposals_add knows a proposal by its offsets; once an edit has moved the words, the
    proposer finds them at new offsets, and a rejected proposal would come back.
    """
    spans = set()
    for proposal in article.proposals.filter(origin=AnnotationProposal.Origin.PROPOSER).only(
        "start", "end", "exact", "prefix", "suffix"
    ):
        found = _quoted_span_locate(proposal, article.body)
        if found.status in (Annotation.Anchor.EXACT, Annotation.Anchor.MOVED):
            spans.add((found.start, found.end))
    return spans


def _proposer_drafts_add(article: Article, drafts: list[ProposalDraft], body: str) -> int:
    with transaction.atomic():
        # The article's row is locked until the proposals are in, so that two requests for
        # the same article offer each proposal once: the second sees the first's.
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("body", flat=True)
            .first()
        )
        if current != body:
            raise ValidationError(
                _("The text changed while it was being read: ask for proposals again.")
            )
        seen = _proposer_spans_seen(article)
        return proposals_add(
            article=article,
            drafts=[draft for draft in drafts if (draft.start, draft.end) not in seen],
        )


def proposals_suggest(*, article: Article) -> int:
    """Offer what the attribution proposer finds in the article's text; return how many
    proposals are new.

    Only proposals are added: the teacher's annotations are never changed. What was proposed
    before, whatever the teacher did with it (even after an edit moved its words), and what
    is annotated already are passed over. The text is read outside any transaction of ours,
    so the database is not held while the proposer works.
    """
    body = article.body
    return _proposer_drafts_add(article, _proposer_drafts(body), body)


def proposer_warning() -> str:
    """What a teacher should know before asking for proposals: when the language model is
    not installed, the proposer's word on what that costs; else nothing."""
    from articles.attribution import model_available, model_status

    return "" if model_available() else model_status()


@dataclass(frozen=True)
class ProposalsSuggested:
    """What asking the proposer gave: how many statements it found and how many of them are
    new proposals, or the error that stopped it, or what kept it from finding any (the
    language model missing)."""

    found: int = 0
    created: int = 0
    error: str = ""
    warning: str = ""

    @property
    def message(self) -> str:
        """One sentence for the teacher."""
        if self.error:
            return _(
                "No new proposals: the proposer ran into an error (the details are in the "
                "server's log). Try Propose annotations again later, or annotate the text "
                "yourself."
            )
        if self.created:
            created = ngettext(
                "%(count)d new proposal to review.",
                "%(count)d new proposals to review.",
                self.created,
            ) % {"count": self.created}
            return f"{created} {self.warning}" if self.warning else created
        if self.warning:
            return _("No new proposals: %(warning)s") % {"warning": self.warning}
        if not self.found:
            return _("No new proposals: Sourcewise found no attributed statements in the text.")
        return _(
            "No new proposals: what Sourcewise found is annotated already or was proposed before."
        )


def proposals_suggest_safely(*, article: Article) -> ProposalsSuggested:
    """proposals_suggest for an import, a page or a command that goes on whatever happens:
    when the proposer fails, the error is logged and reported, never raised, and nothing is
    added."""
    body = article.body
    try:
        drafts = _proposer_drafts(body)
        created = _proposer_drafts_add(article, drafts, body)
    except Exception as error:
        logger.exception("Proposing annotations for article %s failed.", article.pk)
        return ProposalsSuggested(error=f"{type(error).__name__}: {error}")
    # Without its language model the proposer finds only tagged quotations: the teacher is
    # told why there are so few.
    warning = proposer_warning()
    return ProposalsSuggested(found=len(drafts), created=created, warning=warning)


@dataclass(frozen=True)
class ArticleCopy:
    """An article's copy, and each original annotation's id with the annotation's copy."""

    article: Article
    annotations: dict[int, Annotation]


def article_draft_of(article: Article, *, owner, slug: str, title: str = "") -> Article:
    """Save a new draft for `owner` with the article's text and details, nothing annotated,
    at `slug` and under `title` (the article's own title when empty)."""
    draft = Article(
        title=title or article.title,
        standfirst=article.standfirst,
        slug=slug,
        outlet_id=article.outlet_id,
        byline=article.byline,
        published_on=article.published_on,
        source_url=article.source_url,
        language=article.language,
        body=article.body,
        owner=owner,
        status=Article.Status.DRAFT,
    )
    draft.full_clean()
    draft.save()
    return draft


@transaction.atomic
def article_copy(*, article: Article, owner) -> ArticleCopy:
    """Copy the article, its sources and its annotations, anchored where they are, for `owner`.

    The copy is a draft with a web address of its own, and nothing links it to the original,
    so editing either leaves the other as it is. Annotations keep their author.
    """
    slug_field = Article._meta.get_field("slug")
    # Six random hex digits: a second copy of the same article gets another address.
    suffix = f"-{secrets.token_hex(3)}"
    copy = article_draft_of(
        article,
        owner=owner,
        slug=article.slug[: slug_field.max_length - len(suffix)].rstrip("-") + suffix,
    )
    # The sources and annotations were validated against this same body when they were saved,
    # so they are copied as they are, in one insert each.
    sources = list(article.sources.order_by("pk"))
    source_copies = Source.objects.bulk_create(
        Source(article=copy, name=source.name, description=source.description, kind=source.kind)
        for source in sources
    )
    speakers = {
        source.pk: source_copy for source, source_copy in zip(sources, source_copies, strict=True)
    }
    annotations = list(article.annotations.order_by("pk"))
    # Every stored field as it is (the W3C selectors, the anchor's status and score, the
    # author), but the row's own ids (the copy is another annotation: a new global id), its
    # article, its speaker and its timestamps.
    fields = [
        field.attname
        for field in Annotation._meta.concrete_fields
        if field.name not in {"id", "uid", "article", "speaker", "created_at", "updated_at"}
    ]
    annotation_copies = Annotation.objects.bulk_create(
        Annotation(
            article=copy,
            speaker=speakers.get(annotation.speaker_id),
            **{field: getattr(annotation, field) for field in fields},
        )
        for annotation in annotations
    )
    return ArticleCopy(
        article=copy,
        annotations={
            annotation.pk: annotation_copy
            for annotation, annotation_copy in zip(annotations, annotation_copies, strict=True)
        },
    )
