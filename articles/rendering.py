"""Split an article body into paragraphs and highlighted segments, for a template to draw.

Highlights may overlap or nest: the body is cut at every highlight boundary, so each segment
carries the set of highlights that cover it, and each segment becomes one <mark>. The HTML is
templates/articles/_body.html, with a `paragraph` partial that the quiz also swaps on its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    key: str  # unique on the page, e.g. "a12"
    css: str = ""  # extra class names, e.g. "kind-claim"
    label: str = ""  # a short visible label, e.g. "3"
    data: tuple[tuple[str, str], ...] = ()  # extra data-* attributes as (name, value)


@dataclass
class Segment:
    text: str
    highlights: tuple[Highlight, ...] = ()
    starts: tuple[Highlight, ...] = ()  # highlights that begin in this segment
    ends: tuple[Highlight, ...] = ()  # highlights that end with this segment

    @property
    def keys(self) -> str:
        return " ".join(h.key for h in self.highlights)

    @property
    def css(self) -> str:
        classes = sorted({c for h in self.highlights for c in h.css.split() if c})
        if len(self.highlights) > 1:
            classes.append("overlap")
        return " ".join(classes)

    @property
    def depth(self) -> int:
        return len(self.highlights)


@dataclass
class Paragraph:
    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of each paragraph (text between blank lines), trimmed."""
    spans = []
    position = 0
    for chunk in body.split("\n\n"):
        chunk_start, chunk_end = position, position + len(chunk)
        position = chunk_end + 2
        stripped_start = chunk_start + (len(chunk) - len(chunk.lstrip()))
        stripped_end = chunk_end - (len(chunk) - len(chunk.rstrip()))
        if stripped_start < stripped_end:
            spans.append((stripped_start, stripped_end))
    return spans


def body_paragraphs(
    body: str, highlights: Iterable[Highlight] = (), *, only_with: Iterable[Highlight] | None = None
) -> list[Paragraph]:
    """Cut the body into paragraphs of segments, each segment knowing what covers it.

    With `only_with`, just the paragraphs that some of those highlights reach.
    """
    valid = [h for h in highlights if 0 <= h.start < h.end <= len(body)]
    wanted = None if only_with is None else list(only_with)
    paragraphs = []
    for para_start, para_end in paragraph_spans(body):
        if wanted is not None and not any(
            h.start < para_end and h.end > para_start for h in wanted
        ):
            continue
        inside = [h for h in valid if h.start < para_end and h.end > para_start]
        cuts = {para_start, para_end}
        for h in inside:
            cuts.add(max(h.start, para_start))
            cuts.add(min(h.end, para_end))
        ordered = sorted(cuts)
        paragraph = Paragraph(start=para_start, end=para_end)
        for seg_start, seg_end in pairwise(ordered):
            covering = tuple(
                sorted(
                    (h for h in inside if h.start <= seg_start and h.end >= seg_end),
                    key=lambda h: (h.start, -h.end, h.key),
                )
            )
            paragraph.segments.append(
                Segment(
                    text=body[seg_start:seg_end],
                    highlights=covering,
                    starts=tuple(h for h in covering if h.start == seg_start),
                    ends=tuple(h for h in covering if h.end == seg_end),
                )
            )
        paragraphs.append(paragraph)
    return paragraphs
