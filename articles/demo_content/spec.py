"""How demo content is written down: an article's metadata, its sources, its annotations.

Annotations name the words they mark (`quote`), never character offsets: offsets are worked
out from the text when the content is loaded, so a typo in a spec fails loudly instead of
marking the wrong words.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from articles.models import Annotation, Source

CONTENT_DIR = Path(__file__).resolve().parent

# Short names for the choices, so a spec reads like the teacher's markup.
CLAIM = Annotation.Kind.CLAIM.value
FACT = Annotation.Kind.REPORTED_FACT.value
OPINION = Annotation.Kind.OPINION.value

NAMED_PERSON = Annotation.Sourcing.NAMED_PERSON.value
NAMED_ORG = Annotation.Sourcing.NAMED_ORGANISATION.value
UNNAMED = Annotation.Sourcing.UNNAMED.value
VAGUE = Annotation.Sourcing.VAGUE.value
NO_SOURCE = Annotation.Sourcing.NONE.value

PERSON = Source.Kind.PERSON.value
ORGANISATION = Source.Kind.ORGANISATION.value
DOCUMENT = Source.Kind.DOCUMENT.value
UNNAMED_SOURCE = Source.Kind.UNNAMED.value
VAGUE_SOURCE = Source.Kind.VAGUE.value

# The sourcing category that follows from the kind of speaker. A statement in the outlet's
# own voice has no speaker and sourcing "none"; Source.Kind.OUTLET is never a speaker here.
SOURCING_FOR_SPEAKER_KIND = {
    PERSON: NAMED_PERSON,
    ORGANISATION: NAMED_ORG,
    DOCUMENT: NAMED_ORG,
    UNNAMED_SOURCE: UNNAMED,
    VAGUE_SOURCE: VAGUE,
}


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
