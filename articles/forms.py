from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Annotation, Article
from articles.services import quote_selector


def quote_occurrences(body: str, quote: str) -> list[int]:
    """Return the start offset of every occurrence of the quote in the body."""
    starts = []
    position = body.find(quote)
    while position != -1 and quote:
        starts.append(position)
        position = body.find(quote, position + 1)
    return starts


def quote_find(body: str, quote: str, *, occurrence: int | None = None) -> tuple[int, int]:
    """Locate a typed or pasted quote in the body, asking which one when it is not unique."""
    starts = quote_occurrences(body, quote)
    if not starts:
        raise ValidationError(
            _("This text is not in the article. Copy it exactly, including punctuation."),
            code="not_found",
        )
    if occurrence is None:
        if len(starts) > 1:
            raise ValidationError(
                ngettext(
                    "This text appears %(count)d time in the article.",
                    "This text appears %(count)d times in the article: say which occurrence "
                    "(1 is the first), or quote a few more words.",
                    len(starts),
                )
                % {"count": len(starts)},
                code="ambiguous",
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise ValidationError(
            _("There are only %(count)d occurrences of this text.") % {"count": len(starts)},
            code="bad_occurrence",
        )
    start = starts[occurrence - 1]
    return start, start + len(quote)


def nearest_occurrence(body: str, words: str, *, start: int, end: int) -> tuple[int, int] | None:
    """Return the occurrence of `words` closest to the span start:end, or None."""
    starts = quote_occurrences(body, words)
    if not starts:
        return None

    def distance(position: int) -> int:
        if position + len(words) <= start:
            return start - (position + len(words))
        if position >= end:
            return position - end
        return 0

    best = min(starts, key=lambda position: (distance(position), position))
    return best, best + len(words)


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

    # Offsets and quotes are worked out from the pasted text, so their errors belong there.
    DERIVED_FIELDS = {
        "start": "quote",
        "end": "quote",
        "exact": "quote",
        "source_start": "source_words",
        "source_end": "source_words",
        "source_exact": "source_words",
    }

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


class ArticleImportForm(forms.Form):
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
