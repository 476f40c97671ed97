from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Annotation, AnnotationProposal, Article, Source
from articles.services import AnnotationDraft, SourceDraft
from articles.text import (
    nearest_occurrence,
    quote_contexts,
    quote_find,
    quote_occurrences,
    quote_selector,
    same_text,
)
from config.ids import IdModelChoiceField

# Offsets and quotes are worked out from the quoted text: an error about one of these model
# fields belongs to the form field the text was typed or selected in.
QUOTED_FIELDS = {
    "start": "quote",
    "end": "quote",
    "exact": "quote",
    "prefix": "quote",
    "suffix": "quote",
    "source_start": "source_words",
    "source_end": "source_words",
    "source_exact": "source_words",
}
# The teacher's explanation may be left out: the quiz then explains the statement from its
# kind, speaker, cue and sourcing (quiz.services.generation).
EXPLANATION_HELP = _(
    "Optional. Shown to students after the claim, fact or opinion question; write it for a "
    "14-year-old. Left empty, they see one made from the kind, speaker, cue words and sourcing."
)


class AnnotationForm(forms.ModelForm):
    """Annotate by quoting: the teacher pastes the statement, the form finds it in the body."""

    quote = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Paste the words from the article exactly; the offsets are found for you."),
    )
    occurrence = forms.IntegerField(
        label=_("Occurrence"),
        required=False,
        min_value=1,
        help_text=_("Only when the statement appears more than once: 1 for the first."),
    )
    source_words = forms.CharField(
        label=_("Words that name the source"),
        required=False,
        max_length=300,
        help_text=_('E.g. "Putin said" or "US intelligence officials"; the nearest match is used.'),
    )

    class Meta:
        model = Annotation
        fields = [
            "article",
            "quote",
            "occurrence",
            "kind",
            "speaker",
            "cue",
            "sourcing",
            "source_words",
            "explanation",
        ]
        help_texts = {"explanation": EXPLANATION_HELP}

    DERIVED_FIELDS = QUOTED_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["quote"].initial = self.instance.exact
            self.fields["source_words"].initial = self.instance.source_exact

    def clean(self):
        cleaned = super().clean()
        article: Article | None = cleaned.get("article")
        quote = cleaned.get("quote")
        if not article or not quote:
            return cleaned
        body = article.body
        instance = self.instance
        unchanged = (
            instance.pk
            and instance.article_id == article.pk
            and instance.exact == quote
            and body[instance.start : instance.end] == quote
            and not cleaned.get("occurrence")
        )
        if unchanged:
            start, end = instance.start, instance.end
        else:
            try:
                start, end = quote_find(body, quote, occurrence=cleaned.get("occurrence"))
            except ValidationError as error:
                self.add_error("quote" if error.code != "ambiguous" else "occurrence", error)
                return cleaned
        for field, value in quote_selector(body, start, end).items():
            setattr(instance, field, value)
        instance.start, instance.end = start, end
        instance.anchor_status = Annotation.Anchor.EXACT
        instance.anchor_score = 1.0
        words = cleaned.get("source_words", "").strip()
        instance.source_start = instance.source_end = None
        instance.source_exact = ""
        if words:
            found = nearest_occurrence(body, words, start=start, end=end)
            if found is None:
                self.add_error(
                    "source_words", _("These words are not in the article. Copy them exactly.")
                )
            else:
                instance.source_start, instance.source_end = found
                instance.source_exact = words
        return cleaned

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            remapped: dict[str, list] = {}
            for field, messages in errors.error_dict.items():
                remapped.setdefault(self.DERIVED_FIELDS.get(field, field), []).extend(messages)
            errors = ValidationError(remapped)
        super()._update_errors(errors)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class QuoteLocatingForm(forms.Form):
    """A form that finds a typed statement in the article, asking which one when it repeats."""

    def __init__(self, *args, article: Article, **kwargs):
        self.article = article
        self.occurrences: list[dict] = []
        super().__init__(*args, **kwargs)

    def locate_typed_quote(self, quote: str, occurrence: int | None) -> tuple[int, int] | None:
        """Find the quote; on failure add a clear error to the form and return None."""
        body = self.article.body
        starts = quote_occurrences(body, quote)
        if not starts:
            self.add_error(
                "quote",
                _(
                    "This text is not in the article. Copy it exactly, including punctuation, "
                    "or select it in the text."
                ),
            )
            return None
        if occurrence is not None:
            if occurrence > len(starts):
                self.occurrences = quote_contexts(body, quote)
                self.add_error(
                    "occurrence",
                    ngettext(
                        "This text appears only %(count)d time in the article.",
                        "This text appears only %(count)d times in the article.",
                        len(starts),
                    )
                    % {"count": len(starts)},
                )
                return None
            start = starts[occurrence - 1]
            return start, start + len(quote)
        if len(starts) > 1:
            self.occurrences = quote_contexts(body, quote)
            self.add_error(
                "occurrence",
                _(
                    "This text appears %(count)d times in the article: pick the one you mean, "
                    "or quote a few more words."
                )
                % {"count": len(starts)},
            )
            return None
        return starts[0], starts[0] + len(quote)


class AnnotationPanelForm(QuoteLocatingForm):
    """Annotate from the panel on the article's page: a selection in the text or a typed quote.

    A selection arrives as offsets with the quote it covered; both must agree with the body.
    A typed quote arrives without offsets and is looked up.
    """

    prefix = "annotation"

    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(
        label=_("Statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Select it in the text, or type or paste it exactly as the article has it."),
    )
    occurrence = forms.IntegerField(label=_("Which one"), required=False, min_value=1)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Annotation.Kind.choices, widget=forms.RadioSelect
    )
    speaker = IdModelChoiceField(
        label=_("Speaker"),
        queryset=Source.objects.none(),
        required=False,
        empty_label=Annotation.outlet_voice,
    )
    new_source_name = forms.CharField(
        label=_("Or add a new source"),
        required=False,
        max_length=200,
        help_text=_('As the article names them: "Vladimir Putin", "US officials".'),
    )
    new_source_description = forms.CharField(
        label=_("Who they are"), required=False, max_length=300
    )
    new_source_kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=Source.Kind.choices,
        initial=Source.Kind.PERSON,
        required=False,
    )
    cue = forms.CharField(
        label=_("Cue words"),
        required=False,
        max_length=100,
        help_text=_('The attribution verb or phrase: "said", "pointed out", "alleged".'),
    )
    sourcing = forms.ChoiceField(
        label=_("Sourcing"), choices=Annotation.Sourcing.choices, widget=forms.RadioSelect
    )
    source_start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    source_end = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    source_words = forms.CharField(
        label=_("Words that name the source"),
        required=False,
        max_length=300,
        help_text=_("Select them in the text after pressing the button, or type them."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=EXPLANATION_HELP,
    )

    # Model fields whose errors belong to a field of this form.
    ERROR_FIELDS = {
        **QUOTED_FIELDS,
        **{
            name: name
            for name in (
                "speaker",
                "kind",
                "sourcing",
                "cue",
                "explanation",
                "new_source_name",
                "new_source_description",
                "new_source_kind",
            )
        },
    }

    def __init__(
        self,
        *args,
        article: Article,
        annotation: Annotation | None = None,
        proposal: AnnotationProposal | None = None,
        **kwargs,
    ):
        self.annotation = annotation
        if proposal is not None and "initial" not in kwargs:
            kwargs["initial"] = _proposal_initial(article, proposal)
        if annotation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "quote": annotation.exact,
                "kind": annotation.kind,
                "speaker": annotation.speaker_id,
                "cue": annotation.cue,
                "sourcing": annotation.sourcing,
                "source_words": annotation.source_exact,
                "explanation": annotation.explanation,
            }
        super().__init__(*args, article=article, **kwargs)
        self.fields["speaker"].queryset = article.sources.order_by("name")

    @property
    def draft(self) -> AnnotationDraft:
        """What the valid form marks and says, for the services."""
        data = self.cleaned_data
        return AnnotationDraft(
            start=data["start"],
            end=data["end"],
            kind=data["kind"],
            sourcing=data["sourcing"],
            speaker=data["speaker"],
            cue=data["cue"].strip(),
            source_start=data.get("source_start"),
            source_end=data.get("source_end"),
            explanation=data["explanation"].strip(),
        )

    @property
    def new_source(self) -> SourceDraft | None:
        """The source to add on the spot, or None."""
        name = (self.cleaned_data.get("new_source_name") or "").strip()
        if not name:
            return None
        return SourceDraft(
            name=name,
            description=self.cleaned_data.get("new_source_description") or "",
            kind=self.cleaned_data.get("new_source_kind") or Source.Kind.PERSON,
        )

    def clean(self):
        cleaned = super().clean()
        span = self._statement_span(cleaned)
        if span is not None:
            cleaned["start"], cleaned["end"] = span
            source = self._source_span(cleaned, span)
            if source is not None:
                cleaned["source_start"], cleaned["source_end"] = source
        if cleaned.get("speaker") and (cleaned.get("new_source_name") or "").strip():
            self.add_error(
                "new_source_name",
                _("Pick the speaker from the list or add a new one, not both."),
            )
        return cleaned

    def _statement_span(self, cleaned) -> tuple[int, int] | None:
        quote = cleaned.get("quote")
        if not quote:
            return None
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None or end is not None:
            return self._selection(
                "quote",
                start,
                end,
                quote,
                outside=_(
                    "The selection (characters %(start)s to %(end)s) is not inside the "
                    "article, which has %(length)s characters. Select the words again."
                ),
                mismatch=_(
                    "The selected text does not match the article at characters %(start)s "
                    "to %(end)s, which say “%(found)s”. Select the words again, or clear "
                    "the statement and type it."
                ),
            )
        body = self.article.body
        annotation = self.annotation
        occurrence = cleaned.get("occurrence")
        if (
            annotation is not None
            and occurrence is None
            and quote == annotation.exact
            and annotation.anchor_status != Annotation.Anchor.ORPHANED
            and body[annotation.start : annotation.end] == quote
        ):
            return annotation.start, annotation.end
        return self.locate_typed_quote(quote, occurrence)

    def _source_span(self, cleaned, span: tuple[int, int]) -> tuple[int | None, int | None] | None:
        words = (cleaned.get("source_words") or "").strip()
        start, end = cleaned.get("source_start"), cleaned.get("source_end")
        if start is not None or end is not None:
            return self._selection(
                "source_words",
                start,
                end,
                words,
                outside=_(
                    "The selected source words are not inside the article. Select them again."
                ),
                mismatch=_(
                    "The selected source words do not match the article at characters "
                    "%(start)s to %(end)s. Select them again, or type them."
                ),
            )
        if not words:
            return None, None
        body = self.article.body
        annotation = self.annotation
        if (
            annotation is not None
            and annotation.has_source_span
            and words == annotation.source_exact
            and body[annotation.source_start : annotation.source_end] == words
        ):
            return annotation.source_start, annotation.source_end
        found = nearest_occurrence(body, words, start=span[0], end=span[1])
        if found is None:
            self.add_error(
                "source_words",
                _("These words are not in the article. Copy them exactly, or select them."),
            )
            return None
        return found

    def _selection(
        self, field: str, start: int | None, end: int | None, words: str, *, outside, mismatch
    ) -> tuple[int, int] | None:
        """Check words selected in the text: both ends, inside the body, and (when given) the
        words they cover. On failure add the error to `field` and return None.

        `outside` and `mismatch` are the messages, with %(start)s, %(end)s, %(length)s (the
        body's) and %(found)s (the text selected) to fill in.
        """
        if start is None or end is None:
            self.add_error(field, _("The selection lost one of its ends. Select the words again."))
            return None
        body = self.article.body
        details = {
            "start": start,
            "end": end,
            "length": len(body),
            "found": _shorten(body[start:end]),
        }
        if not start < end <= len(body):
            self.add_error(field, outside % details)
            return None
        if words and not same_text(body[start:end], words):
            self.add_error(field, mismatch % details)
            return None
        return start, end

    def add_model_errors(self, error: ValidationError) -> None:
        """Show a refusal from the services on the fields the teacher can change."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for field, errors in error.error_dict.items():
            target = self.ERROR_FIELDS.get(field)
            for message in ValidationError(errors).messages:
                self.add_error(target, message)


def _proposal_initial(article: Article, proposal: AnnotationProposal) -> dict:
    """The panel's fields filled in from a proposal, for the teacher to complete: its words
    where they were proposed, and its speaker picked from the article's sources, or offered
    as a new source when the article has none of that name."""
    name = proposal.speaker_name.strip()
    speaker = article.sources.filter(name__iexact=name).first() if name else None
    has_source_words = proposal.source_start is not None and proposal.source_end is not None
    return {
        "start": proposal.start,
        "end": proposal.end,
        "quote": proposal.exact,
        "kind": proposal.kind,
        "speaker": speaker.pk if speaker else None,
        "new_source_name": "" if speaker else name,
        "new_source_kind": proposal.speaker_kind or Source.Kind.PERSON,
        "cue": proposal.cue,
        "sourcing": proposal.sourcing,
        "source_start": proposal.source_start if has_source_words else None,
        "source_end": proposal.source_end if has_source_words else None,
        "source_words": (
            article.body[proposal.source_start : proposal.source_end] if has_source_words else ""
        ),
        "explanation": proposal.explanation,
    }


class ProposalsAcceptForm(forms.Form):
    """Accept at once every proposal the proposer is sure enough of."""

    prefix = "proposals"

    threshold = forms.IntegerField(
        label=_("Accept every complete proposal with a confidence of at least (%)"),
        min_value=0,
        max_value=100,
        initial=90,
    )


class AnnotationRelocateForm(QuoteLocatingForm):
    """Find a lost annotation again by its quote, typed or corrected by the teacher."""

    quote = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}))
    occurrence = forms.IntegerField(label=_("Which one"), required=False, min_value=1)

    def clean(self):
        cleaned = super().clean()
        quote = cleaned.get("quote")
        if quote:
            span = self.locate_typed_quote(quote, cleaned.get("occurrence"))
            if span is not None:
                cleaned["start"], cleaned["end"] = span
        return cleaned


class LabelledInlineFormSet(BaseInlineFormSet):
    """An admin table of related rows whose every input says what it is to a screen reader.

    The admin's tabular inlines label their columns only visually, in the table's header.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = _("row %(number)s") % {"number": index + 1} if index is not None else _("new row")
        for name, field in form.fields.items():
            label = field.label or name.replace("_", " ")
            field.widget.attrs.setdefault("aria-label", f"{str(label).capitalize()} ({row})")


class AnnotationRowForm(forms.ModelForm):
    """An annotation listed on its article's page: read-only there, so nothing to validate.

    Validating it against a body being edited in the same form would refuse every edit;
    after the body is saved the annotations are re-anchored instead.
    """

    class Meta:
        model = Annotation
        fields: list[str] = []

    def _post_clean(self):
        pass


class UploadForm(forms.Form):
    """A form with a file, told by the upload handler (config.uploads) when the file was too
    large to read, so it says why rather than "no file"."""

    too_large = _("The file is larger than 5 MB, so it was not read.")

    def __init__(self, *args, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large

    def clean(self):
        cleaned = super().clean()
        if self.upload_too_large:
            raise ValidationError(self.too_large)
        return cleaned


class AnnotationsImportForm(UploadForm):
    too_large = _(
        "The file is larger than 5 MB, so it was not read. Export one article's annotations."
    )
    file = forms.FileField(
        label=_("Annotation file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,application/ld+json"}),
        help_text=_("A .jsonld or .json file of W3C Web Annotations of this article."),
    )


class ArticleImportForm(UploadForm):
    too_large = _("The file is larger than 5 MB, so it was not read. Save just the article page.")
    file = forms.FileField(
        label=_("Saved page or text file"),
        required=False,
        help_text=_(
            "An .html page saved from a browser, or a .txt file whose first line is the title."
        ),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    text = forms.CharField(
        label=_("Or paste the article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One paragraph per line or separated by blank lines."),
    )
    url = forms.URLField(label=_("Original address"), required=False, assume_scheme="https")

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file"))
        has_text = bool((cleaned.get("text") or "").strip())
        if has_file == has_text:
            raise ValidationError(_("Upload a file or paste the text (one of the two)."))
        if has_text and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Give the pasted article a title."))
        return cleaned
