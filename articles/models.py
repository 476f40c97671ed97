import hashlib
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

QUOTE_CONTEXT = 32  # characters of prefix and suffix kept with each quote (W3C TextQuote)


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


class Outlet(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("website"), blank=True)
    notes = models.TextField(
        _("notes for teachers"),
        blank=True,
        help_text=_("Ownership, editorial line, anything a teacher should know about it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name

    @property
    def website(self) -> str:
        """The site as a reader would write it: "rt.com" for https://www.rt.com/news/."""
        host = urlsplit(self.url).hostname or ""
        return host.removeprefix("www.")


class OwnedQuerySet(models.QuerySet):
    """Rows with an `owner`: a teacher sees their own, a superuser sees all."""

    def owned_by(self, user):
        if user.is_superuser:
            return self
        return self.filter(owner=user)


class ArticleQuerySet(OwnedQuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=300)
    standfirst = models.TextField(
        _("standfirst"), blank=True, help_text=_("The summary line under the headline, if any.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    outlet = models.ForeignKey(
        Outlet,
        verbose_name=_("outlet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    source_url = models.URLField(_("source URL"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=16, default="en")
    body = models.TextField(
        _("body"),
        help_text=_("Plain text; paragraphs separated by a blank line. Never HTML."),
    )
    body_sha256 = models.CharField(_("body hash"), max_length=64, editable=False)
    reading_grade = models.FloatField(
        _("reading level"),
        null=True,
        editable=False,
        help_text=_("Flesch-Kincaid grade of the body, worked out when it is saved."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        from articles.text import reading_grade  # articles.text reads this module's constants

        self.body_sha256 = body_hash(self.body)
        fields = kwargs.get("update_fields")
        if fields is None or "body" in fields:
            self.reading_grade = reading_grade(self.body, self.language)
            if fields is not None:
                kwargs["update_fields"] = {*fields, "reading_grade"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p.strip()]


class Source(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")
        DOCUMENT = "document", _("Document")
        UNNAMED = "unnamed", _("Unnamed source")
        VAGUE = "vague", _("Vague collective")
        OUTLET = "outlet", _("The outlet itself")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_('As the article names them: "Vladimir Putin".')
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_('Who they are, as a student needs to know: "Russian President".'),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSON)

    class Meta:
        ordering = ["article_id", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["article", "name"], name="source_unique_name"),
        ]

    def __str__(self) -> str:
        if self.description:
            return f"{self.name} ({self.description})"
        return self.name


class QuotedSpan(models.Model):
    """A span of an article's body, kept the W3C Web Annotation way.

    A TextPositionSelector (start/end) and a TextQuoteSelector (exact with prefix/suffix), so
    it can be found again after an edit; the span may name its source words too.
    """

    start = models.PositiveIntegerField(_("start"), help_text=_("Offset of the first character."))
    end = models.PositiveIntegerField(
        _("end"), help_text=_("Offset just after the last character.")
    )
    exact = models.TextField(_("quoted text"))
    prefix = models.CharField(_("text before"), max_length=QUOTE_CONTEXT, blank=True)
    suffix = models.CharField(_("text after"), max_length=QUOTE_CONTEXT, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        text = self.exact if len(self.exact) <= 60 else self.exact[:57] + "…"
        return f"“{text}”"


def quoted_span_constraints(name: str) -> list[models.BaseConstraint]:
    """The rules every quoted span keeps: start before end, the quote as long as the span,
    and source words given whole or not at all."""
    return [
        models.CheckConstraint(condition=Q(start__lt=F("end")), name=f"{name}_start_before_end"),
        models.CheckConstraint(
            condition=Q(end=F("start") + Length("exact")), name=f"{name}_exact_matches_length"
        ),
        models.CheckConstraint(
            condition=(
                Q(source_start__isnull=True, source_end__isnull=True)
                | Q(
                    source_start__isnull=False,
                    source_end__isnull=False,
                    source_start__lt=F("source_end"),
                )
            ),
            name=f"{name}_source_span_complete",
        ),
    ]


class Annotation(QuotedSpan):
    """A span of an article's body and what a careful reader should know about it.

    Anchored the W3C Web Annotation way: a TextPositionSelector (start/end) and a
    TextQuoteSelector (exact with prefix/suffix), so it can be found again after an edit.
    """

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Claim")
        REPORTED_FACT = "fact", _("Reported fact")
        OPINION = "opinion", _("Opinion")

    class Sourcing(models.TextChoices):
        NAMED_PERSON = "named_person", _("Named person")
        NAMED_ORGANISATION = "named_org", _("Named organisation or document")
        UNNAMED = "unnamed", _("Unnamed source")
        VAGUE = "vague", _("Vague collective")
        NONE = "none", _("None given")

    class Anchor(models.TextChoices):
        EXACT = "exact", _("Exact")
        MOVED = "moved", _("Moved")
        FUZZY = "fuzzy", _("Fuzzy match — check it")
        ORPHANED = "orphaned", _("Orphaned — text not found")

    outlet_voice = _("The outlet itself (no one else is quoted)")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="annotations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    speaker = models.ForeignKey(
        Source,
        verbose_name=_("speaker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="annotations",
        help_text=_("Who makes this statement. Leave empty for the outlet's own voice."),
    )
    cue = models.CharField(
        _("cue words"),
        max_length=100,
        blank=True,
        help_text=_('The attribution verb or phrase: "said", "pointed out", "alleged".'),
    )
    sourcing = models.CharField(_("sourcing"), max_length=16, choices=Sourcing.choices)
    source_start = models.PositiveIntegerField(_("source words start"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("source words end"), null=True, blank=True)
    source_exact = models.CharField(_("source words"), max_length=300, blank=True)
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_("Shown to students as feedback. Write it for a 14-year-old."),
    )
    anchor_status = models.CharField(
        _("anchor"), max_length=16, choices=Anchor.choices, default=Anchor.EXACT
    )
    anchor_score = models.FloatField(
        _("anchor score"),
        default=1.0,
        help_text=_("1.0 for an exact match; lower for a fuzzy one; 0 when orphaned."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
    )
    uid = models.UUIDField(
        _("global id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Names the annotation wherever it travels (urn:uuid:…)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["article_id", "start", "end"]
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        constraints = [
            *quoted_span_constraints("annotation"),
            models.CheckConstraint(
                condition=Q(anchor_score__gte=0) & Q(anchor_score__lte=1),
                name="annotation_anchor_score_range",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.source_start is not None and self.source_end is not None and not self.source_exact:
            self.source_exact = self.article.body[self.source_start : self.source_end]
        super().save(*args, **kwargs)

    @property
    def speaker_label(self) -> str:
        return self.speaker.name if self.speaker_id else str(self.outlet_voice)

    @property
    def is_usable(self) -> bool:
        """Whether questions may be generated from it (not orphaned)."""
        return self.anchor_status != self.Anchor.ORPHANED

    @property
    def has_source_span(self) -> bool:
        return self.source_start is not None and self.source_end is not None

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        body = self.article.body if self.article_id else None
        orphaned = self.anchor_status == self.Anchor.ORPHANED
        if self.start is not None and self.end is not None:
            if self.start >= self.end:
                errors.setdefault("end", []).append(
                    _("The end must come after the start (the span cannot be empty).")
                )
            elif body is not None and not orphaned and self.end > len(body):
                errors.setdefault("end", []).append(
                    _(
                        "The span ends at %(end)s but the article is only %(length)s "
                        "characters long."
                    )
                    % {"end": self.end, "length": len(body)}
                )
            elif body is not None and not orphaned and self.exact != body[self.start : self.end]:
                errors.setdefault("exact", []).append(
                    _("The quoted text is not what the article says at that position.")
                )
        if (self.source_start is None) != (self.source_end is None):
            errors.setdefault("source_end", []).append(
                _("Give both ends of the source words, or neither.")
            )
        elif self.source_start is not None and body is not None and not orphaned:
            if not (0 <= self.source_start < self.source_end <= len(body)):
                errors.setdefault("source_end", []).append(
                    _("The source words must be a non-empty span inside the article.")
                )
            elif (
                self.source_exact and self.source_exact != body[self.source_start : self.source_end]
            ):
                errors.setdefault("source_exact", []).append(
                    _("The source words are not what the article says at that position.")
                )
        if self.speaker_id and self.article_id and self.speaker.article_id != self.article_id:
            errors.setdefault("speaker", []).append(
                _("The speaker must be a source of this same article.")
            )
        if errors:
            raise ValidationError(errors)


class AnnotationProposal(QuotedSpan):
    """A statement the teacher has not annotated yet, offered for review.

    Proposals come from another tool's annotations brought in by an import, or from the app's
    own proposer. Accepting one makes an ordinary annotation; a rejected one is kept, so the
    same proposal never comes back; a teacher's own annotations are never changed by one.
    """

    class Origin(models.TextChoices):
        IMPORT = "import", _("Imported annotation")
        PROPOSER = "proposer", _("Proposed by Sourcewise")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="proposals"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Annotation.Kind.choices, blank=True)
    sourcing = models.CharField(
        _("sourcing"), max_length=16, choices=Annotation.Sourcing.choices, blank=True
    )
    cue = models.CharField(_("cue words"), max_length=100, blank=True)
    speaker_name = models.CharField(
        _("speaker"),
        max_length=200,
        blank=True,
        help_text=_("Who makes the statement, as the article names them; empty for the outlet."),
    )
    speaker_kind = models.CharField(
        _("speaker kind"), max_length=16, choices=Source.Kind.choices, blank=True
    )
    source_start = models.PositiveIntegerField(_("source words start"), null=True, blank=True)
    source_end = models.PositiveIntegerField(_("source words end"), null=True, blank=True)
    explanation = models.TextField(_("draft explanation"), blank=True)
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    origin_label = models.CharField(
        _("from"),
        max_length=200,
        blank=True,
        help_text=_('Where it came from, for the teacher: "hypothes.is, acct:alice".'),
    )
    external_id = models.CharField(
        _("imported id"),
        max_length=500,
        blank=True,
        help_text=_("The id the annotation had in the tool it came from."),
    )
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    kind_confidence = models.FloatField(_("confidence in the kind"), null=True, blank=True)
    sourcing_confidence = models.FloatField(_("confidence in the sourcing"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    annotation = models.ForeignKey(
        Annotation,
        verbose_name=_("annotation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The annotation an accepted proposal became."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["article_id", "start", "end", "pk"]
        verbose_name = _("proposed annotation")
        verbose_name_plural = _("proposed annotations")
        constraints = [
            *quoted_span_constraints("proposal"),
            models.UniqueConstraint(
                fields=["article", "origin", "external_id"],
                condition=~Q(external_id=""),
                name="proposal_imported_once",
            ),
        ]
