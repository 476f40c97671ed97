"""Score proposed attributions against an editor's, by the metric of BBC's Citron.

Spans are compared as sets of word tokens. A token is a run of letters or digits (with an
apostrophe inside a word, "don't", kept in one); punctuation is not a token, so whether a span
takes in its quotation marks or a final full stop never changes a score.

- Exact, per part: a predicted cue is right when an actual cue has exactly its tokens. A
  predicted source or content is right when an actual attribution whose cue overlaps its cue
  has exactly its tokens (two empty sources match). Precision, recall and F1 count
  attributions.
- Overlap, per part: the predicted tokens that fall in some actual span of that part, over
  all predicted tokens (precision); the actual tokens that fall in some predicted span, over
  all actual tokens (recall). Citron sums the tokens shared by every pair of spans instead,
  which counts a token twice where attributions nest ("X said Y told him that Z") and can
  give a precision above 1; ours cannot.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PARTS = ("source", "cue", "content")
TOKEN = re.compile(r"\w+(?:['’]\w+)*")


def token_starts(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in TOKEN.finditer(text)]


def span_tokens(tokens: Sequence[tuple[int, int]], spans: Iterable[Sequence[int]]) -> frozenset:
    """The indices of the tokens that the character ranges touch."""
    chosen = set()
    for start, end in spans:
        for index, (token_start, token_end) in enumerate(tokens):
            if token_start < end and start < token_end:
                chosen.add(index)
    return frozenset(chosen)


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, right_predicted: float, predicted: float, right_actual: float, actual: float):
        precision = right_predicted / predicted if predicted else 0.0
        recall = right_actual / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)


@dataclass
class Tally:
    """Counts summed over documents; `scores()` turns them into figures."""

    exact_tp_predicted: dict
    exact_tp_actual: dict
    overlap_predicted: dict
    overlap_actual: dict
    predicted_tokens: dict
    actual_tokens: dict
    predicted: int = 0
    actual: int = 0

    @classmethod
    def empty(cls) -> "Tally":
        return cls(*({part: 0 for part in PARTS} for _ in range(6)))

    def add(self, text: str, predicted: list[dict], actual: list[dict]) -> None:
        tokens = token_starts(text)

        def tokenised(items):
            return [
                {part: span_tokens(tokens, item.get(part, [])) for part in PARTS} for item in items
            ]

        ours, theirs = tokenised(predicted), tokenised(actual)
        self.predicted += len(ours)
        self.actual += len(theirs)
        for part in PARTS:
            self.exact_tp_predicted[part] += sum(
                any(_exact(part, one, other) for other in theirs) for one in ours
            )
            self.exact_tp_actual[part] += sum(
                any(_exact(part, one, other) for one in ours) for other in theirs
            )
            ours_union = frozenset().union(*(one[part] for one in ours))
            theirs_union = frozenset().union(*(other[part] for other in theirs))
            self.overlap_predicted[part] += sum(len(one[part] & theirs_union) for one in ours)
            self.overlap_actual[part] += sum(len(other[part] & ours_union) for other in theirs)
            self.predicted_tokens[part] += sum(len(one[part]) for one in ours)
            self.actual_tokens[part] += sum(len(other[part]) for other in theirs)

    def scores(self) -> dict[str, dict[str, Scores]]:
        return {
            part: {
                "exact": Scores.of(
                    self.exact_tp_predicted[part],
                    self.predicted,
                    self.exact_tp_actual[part],
                    self.actual,
                ),
                "overlap": Scores.of(
                    self.overlap_predicted[part],
                    self.predicted_tokens[part],
                    self.overlap_actual[part],
                    self.actual_tokens[part],
                ),
            }
            for part in PARTS
        }


def _exact(part: str, one: dict, other: dict) -> bool:
    if part == "cue":
        return bool(one["cue"]) and one["cue"] == other["cue"]
    return bool(one["cue"] & other["cue"]) and one[part] == other[part]


def score(documents: Iterable[tuple[str, list[dict], list[dict]]]) -> dict:
    """Score (text, predicted, actual) documents together; attributions as in the
    `suggest_attributions` format."""
    tally = Tally.empty()
    for text, predicted, actual in documents:
        tally.add(text, predicted, actual)
    return tally.scores()


def scores_table(scores: dict) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| span | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for part in PARTS:
        exact, overlap = scores[part]["exact"], scores[part]["overlap"]
        lines.append(
            f"| {part} | {exact.precision:.2f} | {exact.recall:.2f} | {exact.f1:.2f} "
            f"| {overlap.precision:.2f} | {overlap.recall:.2f} | {overlap.f1:.2f} |"
        )
    return "\n".join(lines)
