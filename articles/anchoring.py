"""Find an annotation's quote again after the article's body has been edited.

The W3C Web Annotation way: try the stored position (TextPositionSelector) first, then the
quote anywhere in the body (TextQuoteSelector), then an approximate match within a bounded
number of edits, using the stored prefix and suffix to choose between candidates.

Pure functions, no database. Offsets are Python str indices (code points). Nothing here
normalises the text: a quote is compared exactly as it is stored.
"""

import unicodedata
from dataclasses import dataclass

from articles.models import Annotation
from articles.text import quote_occurrences

# Edits allowed in a fuzzy match, as a share of the quote's length. A quarter keeps a
# changed word or a fixed typo findable without matching unrelated sentences.
MAX_ERROR_RATE = 0.25
# Past this many edits a long quote has been rewritten rather than touched up.
MAX_ERRORS = 64
# Every fuzzy match scores at least this (1 - MAX_ERROR_RATE); below it the quote is orphaned.
MIN_FUZZY_SCORE = 1 - MAX_ERROR_RATE
# Approximate matches examined in full; short quotes in long bodies can have hundreds.
MAX_FUZZY_CANDIDATES = 50
# How far (in characters) from where it is expected the source words may have moved and
# still count as the same mention rather than another one elsewhere in the article.
SOURCE_SPAN_REACH = 300

# How a fuzzy candidate's place is weighed: the quote itself matters most, its context
# next, and the old position only settles near ties.
_QUOTE_WEIGHT = 50
_CONTEXT_WEIGHT = 20
_POSITION_WEIGHT = 2

_ZWJ = "\u200d"


@dataclass(frozen=True)
class AnchorResult:
    """Where a quote was found in a body, and how sure the match is."""

    status: str
    start: int | None
    end: int | None
    score: float

    @property
    def found(self) -> bool:
        return self.status != Annotation.Anchor.ORPHANED


@dataclass(frozen=True)
class SourceSpanResult:
    """Where the words naming the source are now; both ends None when they were dropped."""

    start: int | None
    end: int | None

    @property
    def found(self) -> bool:
        return self.start is not None


_NOT_FOUND = AnchorResult(Annotation.Anchor.ORPHANED, None, None, 0.0)


def anchor_locate(
    *, body: str, exact: str, prefix: str, suffix: str, start: int, end: int
) -> AnchorResult:
    """Find the quote `exact` (last seen at body[start:end]) in `body`."""
    if not exact:
        return _NOT_FOUND
    # An occurrence that cuts a character in two (the letter of "é" written as e and an
    # accent, part of a joined emoji) or a word in two ("May" inside "Mayo", when the quote
    # was whole words) is not the quote as it was; the fuzzy search places it properly.
    edges = _Edges.of(exact, prefix, suffix)
    if (
        0 <= start < end <= len(body)
        and body[start:end] == exact
        and not edges.misplaced(body, start, end)
    ):
        return AnchorResult(Annotation.Anchor.EXACT, start, end, 1.0)

    occurrences = [
        position
        for position in quote_occurrences(body, exact)
        if not edges.misplaced(body, position, position + len(exact))
    ]
    if occurrences:
        best = max(
            occurrences,
            key=lambda pos: (
                _context_match(body, pos, pos + len(exact), prefix, suffix),
                -abs(pos - start),
                -pos,
            ),
        )
        return AnchorResult(Annotation.Anchor.MOVED, best, best + len(exact), 1.0)

    return _fuzzy_locate(
        body=body, exact=exact, prefix=prefix, suffix=suffix, start=start, edges=edges
    )


def anchor_source_span(
    *,
    body: str,
    source_exact: str,
    source_start: int,
    old_start: int,
    anchor: AnchorResult,
) -> SourceSpanResult:
    """Find the source words again, preferring the mention nearest the re-anchored quote.

    `old_start` is where the annotation's quote began before the edit: the source words are
    expected at the same distance from where it begins now.
    """
    if not source_exact:
        return SourceSpanResult(None, None)
    if anchor.start is not None:
        expected = anchor.start + (source_start - old_start)
    else:
        expected = source_start
    occurrences = quote_occurrences(body, source_exact)
    if not occurrences:
        return SourceSpanResult(None, None)
    best = min(occurrences, key=lambda pos: (abs(pos - expected), pos))
    if abs(best - expected) > SOURCE_SPAN_REACH:
        return SourceSpanResult(None, None)
    return SourceSpanResult(best, best + len(source_exact))


def max_errors(quote_length: int) -> int:
    """Return how many edits a fuzzy match of a quote this long may have."""
    return min(int(quote_length * MAX_ERROR_RATE), MAX_ERRORS)


def edit_distance(a: str, b: str) -> int:
    """Return the Levenshtein distance between a and b (code point by code point)."""
    if not a:
        return len(b)
    return _edit_distances(a, b, anchored=True)[-1]


def approximate_ends(text: str, pattern: str) -> list[int]:
    """Return, for each j in 0..len(text), the fewest edits turning pattern into a span of
    text that ends at j (Sellers' semi-global edit distance)."""
    if not pattern:
        return [0] * (len(text) + 1)
    return _edit_distances(pattern, text, anchored=False)


# Approximate matching --------------------------------------------------------------------


def _edit_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Return the edit distance of pattern against the best span of text ending at each j.

    Myers' bit-parallel algorithm (in Hyyrö's formulation), one column of the dynamic
    programming table per text character, the column held as two bit vectors. With
    `anchored` the span must start at 0 (global distance to text[:j]); without it the span
    may start anywhere (approximate substring search).
    """
    m = len(pattern)
    masks: dict[str, int] = {}
    for i, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | (1 << i)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    carry = 1 if anchored else 0
    positive, negative = full, 0
    score = m
    scores = [m]
    append = scores.append
    for char in text:
        eq = masks.get(char, 0)
        xv = eq | negative
        xh = (((eq & positive) + positive) ^ positive) | eq
        h_positive = negative | (~(xh | positive) & full)
        h_negative = positive & xh
        if h_positive & high:
            score += 1
        elif h_negative & high:
            score -= 1
        h_positive = ((h_positive << 1) | carry) & full
        h_negative = (h_negative << 1) & full
        positive = h_negative | (~(xv | h_positive) & full)
        negative = h_positive & xv
        append(score)
    return scores


def _fuzzy_locate(
    *, body: str, exact: str, prefix: str, suffix: str, start: int, edges: "_Edges"
) -> AnchorResult:
    m = len(exact)
    allowed = max_errors(m)
    if allowed == 0 or not body:
        return _NOT_FOUND
    scores = approximate_ends(body, exact)
    ends = _best_ends(scores, allowed)
    if not ends:
        return _NOT_FOUND
    if len(ends) > MAX_FUZZY_CANDIDATES:
        ends.sort(key=lambda j: (scores[j], abs(j - m - start)))
        ends = ends[:MAX_FUZZY_CANDIDATES]

    reversed_exact = exact[::-1]
    candidates = []
    for end in ends:
        begin = _best_start(body, reversed_exact, end, allowed)
        distance = scores[end]
        rank = (
            _QUOTE_WEIGHT * (1 - distance / m)
            + _CONTEXT_WEIGHT * _context_similarity(body, begin, end, prefix, suffix)
            + _POSITION_WEIGHT * (1 - abs(begin - start) / len(body))
        )
        candidates.append((rank, -begin, begin, end))
    candidates.sort(reverse=True)

    for _rank, _order, begin, end in candidates:
        snapped = _snap(body, exact, edges, begin, end, allowed)
        if snapped is not None:
            snapped_start, snapped_end, distance = snapped
            return AnchorResult(
                Annotation.Anchor.FUZZY, snapped_start, snapped_end, 1 - distance / m
            )
    return _NOT_FOUND


def _best_ends(scores: list[int], allowed: int) -> list[int]:
    """Return the ends of the best match in each stretch of matches (local minima)."""
    ends = []
    last = len(scores) - 1
    for j in range(1, last + 1):
        score = scores[j]
        if score <= allowed and score < scores[j - 1] and (j == last or score <= scores[j + 1]):
            ends.append(j)
    return ends


def _best_start(body: str, reversed_exact: str, end: int, allowed: int) -> int:
    """Return where the closest match of the quote that ends at `end` begins."""
    window_start = max(0, end - len(reversed_exact) - allowed)
    scores = _edit_distances(reversed_exact, body[window_start:end][::-1], anchored=True)
    fewest = min(scores)
    m = len(reversed_exact)
    length = min(
        (j for j, score in enumerate(scores) if score == fewest and j > 0),
        key=lambda j: (abs(j - m), j),
        default=1,
    )
    return end - length


def _snap(
    body: str, exact: str, edges: "_Edges", begin: int, end: int, allowed: int
) -> tuple[int, int, int] | None:
    """Move a fuzzy match's ends to word and character boundaries where the quote had them.

    Returns (start, end, errors) of the best placement, where errors counts the edits plus
    each end left where the quote's end was not (mid-word, on a space); None when every
    placement has more errors than allowed.
    """
    m = len(exact)
    if not edges.starts_inside:
        begin = _cluster_start(body, begin)
    if not edges.ends_inside:
        end = _cluster_end(body, end)
    start_options = {begin}
    end_options = {end}
    if edges.starts_at_word and not _is_word_start(body, begin):
        start_options |= _nearby(body, begin, allowed + 1, _is_word_start)
    if edges.ends_at_word and not _is_word_end(body, end):
        end_options |= _nearby(body, end, allowed + 1, _is_word_end)
    if not edges.starts_with_space:
        start_options |= {_skip_space_forward(body, s) for s in list(start_options)}
    if not edges.ends_with_space:
        end_options |= {_skip_space_backward(body, e) for e in list(end_options)}

    best_key = None
    best = None
    furthest_end = max(end_options)
    for option_start in start_options:
        # One pass gives the distance to every end option from this start.
        distances = _edit_distances(exact, body[option_start:furthest_end], anchored=True)
        for option_end in end_options:
            if option_end <= option_start:
                continue
            distance = distances[option_end - option_start]
            misplaced = edges.misplaced(body, option_start, option_end)
            if distance + misplaced > allowed:
                continue
            key = (
                misplaced,
                distance,
                abs((option_end - option_start) - m),
                abs(option_start - begin) + abs(option_end - end),
                option_start,
            )
            if best_key is None or key < best_key:
                best_key = key
                best = (option_start, option_end, distance + misplaced)
    return best


def _nearby(body: str, position: int, reach: int, is_boundary) -> set[int]:
    """Return the nearest boundaries before and after position, within reach."""
    found = set()
    for step in (-1, 1):
        candidate = position
        for _ in range(reach):
            candidate += step
            if candidate < 0 or candidate > len(body):
                break
            if is_boundary(body, candidate):
                found.add(candidate)
                break
    return found


def _skip_space_forward(body: str, position: int) -> int:
    while position < len(body) and body[position].isspace():
        position += 1
    return position


def _skip_space_backward(body: str, position: int) -> int:
    while position > 0 and body[position - 1].isspace():
        position -= 1
    return position


# Context -----------------------------------------------------------------------------------


def _context_match(body: str, begin: int, end: int, prefix: str, suffix: str) -> int:
    """Return how many characters of the stored prefix and suffix the body still has.

    Counts the characters of each that survive the fewest edits against the text just
    before `begin` and just after `end`; equals the longest common suffix of the prefix
    plus the longest common prefix of the suffix when the context is untouched.
    """
    matched = 0
    if prefix:
        before = body[max(0, begin - 2 * len(prefix)) : begin][::-1]
        matched += len(prefix) - min(_edit_distances(prefix[::-1], before, anchored=True))
    if suffix:
        after = body[end : end + 2 * len(suffix)]
        matched += len(suffix) - min(_edit_distances(suffix, after, anchored=True))
    return matched


def _context_similarity(body: str, begin: int, end: int, prefix: str, suffix: str) -> float:
    """Return the share (0 to 1 each side, summed) of the context that still surrounds it."""
    similarity = 0.0
    if prefix:
        similarity += _context_match(body, begin, end, prefix, "") / len(prefix)
    if suffix:
        similarity += _context_match(body, begin, end, "", suffix) / len(suffix)
    return similarity


# Boundaries ------------------------------------------------------------------------------


def _is_word_char(char: str) -> bool:
    # Combining marks belong to the letter before them.
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _is_word_start(body: str, position: int) -> bool:
    return (
        position < len(body)
        and _is_word_char(body[position])
        and (position == 0 or not _is_word_char(body[position - 1]))
        and _is_cluster_boundary(body, position)
    )


def _is_word_end(body: str, position: int) -> bool:
    return (
        position > 0
        and _is_word_char(body[position - 1])
        and (position == len(body) or not _is_word_char(body[position]))
        and _is_cluster_boundary(body, position)
    )


@dataclass(frozen=True)
class _Edges:
    """How the quote's ends sat in the text it was taken from."""

    starts_at_word: bool
    ends_at_word: bool
    starts_with_space: bool
    ends_with_space: bool
    # Whether the quote itself began or ended inside a character; then it may again.
    starts_inside: bool
    ends_inside: bool

    @classmethod
    def of(cls, exact: str, prefix: str, suffix: str) -> "_Edges":
        return cls(
            starts_at_word=_is_word_char(exact[0]) and not (prefix and _is_word_char(prefix[-1])),
            ends_at_word=_is_word_char(exact[-1]) and not (suffix and _is_word_char(suffix[0])),
            starts_with_space=exact[0].isspace(),
            ends_with_space=exact[-1].isspace(),
            starts_inside=not _is_cluster_boundary(prefix + exact, len(prefix)),
            ends_inside=not _is_cluster_boundary(exact + suffix, len(exact)),
        )

    def splits(self, body: str, start: int, end: int) -> bool:
        """Whether body[start:end] cuts a character in two where the quote did not."""
        return (not self.starts_inside and not _is_cluster_boundary(body, start)) or (
            not self.ends_inside and not _is_cluster_boundary(body, end)
        )

    def misplaced(self, body: str, start: int, end: int) -> int:
        """Count the ends of body[start:end] that sit where the quote's ends did not."""
        if self.splits(body, start, end):
            # Never split a character: worse than any number of edits.
            return len(body) + 1
        return (
            (self.starts_at_word and not _is_word_start(body, start))
            + (self.ends_at_word and not _is_word_end(body, end))
            + (not self.starts_with_space and body[start].isspace())
            + (not self.ends_with_space and body[end - 1].isspace())
        )


def _extends_cluster(char: str) -> bool:
    """Whether char belongs with the character before it (mark, joiner, selector, modifier)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin tones
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _is_cluster_boundary(body: str, position: int) -> bool:
    """Whether a span may start or end at position without splitting a user-perceived
    character (an accent from its letter, a joined emoji, a flag's two halves)."""
    if position <= 0 or position >= len(body):
        return True
    char, previous = body[position], body[position - 1]
    if _extends_cluster(char) or previous == _ZWJ:
        return False
    if _is_regional_indicator(char) and _is_regional_indicator(previous):
        run = 0
        index = position - 1
        while index >= 0 and _is_regional_indicator(body[index]):
            run += 1
            index -= 1
        return run % 2 == 0
    return True


def _cluster_start(body: str, position: int) -> int:
    while not _is_cluster_boundary(body, position):
        position -= 1
    return position


def _cluster_end(body: str, position: int) -> int:
    while not _is_cluster_boundary(body, position):
        position += 1
    return position
