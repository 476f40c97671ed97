"""How demo content is written down: an article's metadata, its sources, its annotations.

Each article is two files side by side: `<slug>.txt`, its text, and `<slug>.toml`, its spec:
`title` (and where known `byline`, `published_on`, `source_url`, `left_out_lines`), then one
`[[sources]]` table per source (`key`, `name`, `description`, `kind`) and one `[[annotations]]`
table per marked statement, with the fields of `AnnotationSpec` but `sourcing`, which follows
from the speaker (`SOURCING_FOR_SPEAKER_KIND`). `article_spec_load` reads them.

Annotations name the words they mark (`quote`), never character offsets: offsets are worked
out from the text when the content is loaded, so a typo in a spec fails loudly instead of
marking the wrong words. The texts are typeset with curly quotes and apostrophes (“ ” ’), and
the quotes in their specs must match them.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from articles.models import Annotation, Source

CONTENT_DIR = Path(__file__).resolve().parent

# The sourcing category that follows from the kind of speaker. A statement in the outlet's
# own voice has no speaker and sourcing "none"; Source.Kind.OUTLET is never a speaker here.
SOURCING_FOR_SPEAKER_KIND = {
    Source.Kind.PERSON.value: Annotation.Sourcing.NAMED_PERSON.value,
    Source.Kind.ORGANISATION.value: Annotation.Sourcing.NAMED_ORGANISATION.value,
    Source.Kind.DOCUMENT.value: Annotation.Sourcing.NAMED_ORGANISATION.value,
    Source.Kind.UNNAMED.value: Annotation.Sourcing.UNNAMED.value,
    Source.Kind.VAGUE.value: Annotation.Sourcing.VAGUE.value,
}


class DemoContentError(ValueError):
    """A demo spec does not fit its text, or names a speaker it does not list."""


@dataclass(frozen=True)
class OutletSpec:
    name: str
    url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class SourceSpec:
    key: str  # how annotations in the same spec refer to it
    name: str
    description: str
    kind: str


@dataclass(frozen=True)
class AnnotationSpec:
    """One marked statement.

    quote: the exact words of the body it marks.
    occurrence: which occurrence of quote (1 = first), only when the words appear more
        than once in the body.
    speaker: a SourceSpec key, or None for the outlet's own voice.
    cue: the attribution words as the text has them ("said", "pointed out", "alleged").
    source_words: the words that name the speaker, searched in the same paragraph and
        taken at the occurrence nearest the quote. The noun phrase that names the source
        ("US intelligence officials", "Moscow"); for a tag after a quotation the whole
        tag ("Putin said", "he stressed"), since a lone "he" is no span to select.
    explanation: feedback for students, written for a 14-year-old.
    """

    quote: str
    kind: str
    sourcing: str
    explanation: str
    speaker: str | None = None
    cue: str = ""
    source_words: str = ""
    occurrence: int | None = None


@dataclass(frozen=True)
class ArticleSpec:
    """An article shipped as a text file: the first line is the standfirst, then one
    paragraph per line."""

    slug: str
    title: str
    text_file: str
    sources: tuple[SourceSpec, ...]
    annotations: tuple[AnnotationSpec, ...]
    outlet: OutletSpec | None = None
    byline: str = ""
    published_on: date | None = None
    source_url: str = ""
    # Whole lines of the text file that are not part of the article (links to other stories).
    left_out_lines: tuple[str, ...] = ()

    @property
    def text_path(self) -> Path:
        return CONTENT_DIR / self.text_file

    def text(self) -> str:
        return self.text_path.read_text(encoding="utf-8")


def article_spec_load(slug: str, *, outlet: OutletSpec | None = None) -> ArticleSpec:
    """Read the spec of the article `<slug>.txt` from `<slug>.toml` beside it."""
    with (CONTENT_DIR / f"{slug}.toml").open("rb") as spec_file:
        fields = tomllib.load(spec_file)
    sources = tuple(SourceSpec(**source) for source in fields.pop("sources"))
    speaker_kinds = {source.key: source.kind for source in sources}

    def sourcing(speaker: str | None) -> str:
        if speaker is None:
            return Annotation.Sourcing.NONE.value
        if speaker not in speaker_kinds:
            raise DemoContentError(f"{slug}.toml: no source has the key {speaker!r}.")
        return SOURCING_FOR_SPEAKER_KIND[speaker_kinds[speaker]]

    annotations = tuple(
        AnnotationSpec(**annotation, sourcing=sourcing(annotation.get("speaker")))
        for annotation in fields.pop("annotations")
    )
    return ArticleSpec(
        slug=slug,
        text_file=f"{slug}.txt",
        sources=sources,
        annotations=annotations,
        outlet=outlet,
        left_out_lines=tuple(fields.pop("left_out_lines", ())),
        **fields,
    )
