"""Split an article body into paragraphs and highlighted segments, and render them as HTML.

Highlights may overlap or nest: the body is cut at every highlight boundary, so each segment
carries the set of highlights that cover it, and each segment becomes one <mark>.

The HTML is built in Python rather than in a template loop because a question page draws the
whole article, and a loop's cost per segment adds up. Every value is escaped as an autoescaped
`{{ value }}` would be.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString


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


def _escaped(value) -> str:
    """Return `value` as an autoescaped `{{ value }}` shows it."""
    if type(value) is str:
        # What django.utils.html.escape does, without its checks for lazy and safe strings.
        return escape(value)
    return conditional_escape(str(localize(value)))


def paragraph_html(paragraph: Paragraph, *, id_prefix: str = "", oob: bool = False) -> SafeString:
    """Render a paragraph as a <p> of text and <mark> segments.

    `id_prefix` gives the paragraph an id (the prefix and its start offset); `oob` marks it to
    be swapped out of band by htmx. A mark carries its highlight's data-* attributes only where
    a single highlight covers it; a highlight's label follows the segment it ends with.
    """
    start = str(paragraph.start)
    parts = ["<p"]
    if id_prefix:
        parts += [' id="', _escaped(id_prefix), start, '"']
    parts += [' data-start="', start, '"']
    if oob:
        parts.append(' hx-swap-oob="true"')
    parts.append(">")
    for segment in paragraph.segments:
        covering = segment.highlights
        if covering:
            parts += [
                '<mark class="hl ',
                _escaped(segment.css),
                '" data-annotations="',
                _escaped(segment.keys),
                '"',
            ]
            if len(covering) == 1:
                for name, value in covering[0].data:
                    parts += [" data-", _escaped(name), '="', _escaped(value), '"']
            parts += [">", _escaped(segment.text), "</mark>"]
        else:
            parts.append(_escaped(segment.text))
        for highlight in segment.ends:
            if highlight.label:
                key = _escaped(highlight.key)
                parts += [
                    '<sup class="hl-label"><a href="#note-',
                    key,
                    '" id="ref-',
                    key,
                    '">',
                    _escaped(highlight.label),
                    "</a></sup>",
                ]
    parts.append("</p>")
    return SafeString("".join(parts))


def body_html(paragraphs: Iterable[Paragraph], *, id_prefix: str = "") -> SafeString:
    """Render the paragraphs inside the article body's <div>, each on a line of its own."""
    parts = ['<div class="article-body">']
    for paragraph in paragraphs:
        parts += ["\n", paragraph_html(paragraph, id_prefix=id_prefix)]
    parts.append("\n</div>")
    return SafeString("".join(parts))
