"""What the proposer finds: attributions as character ranges into the text it read."""

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One attributed statement: who (source), the signal (cue) and what is said (content).

    Each part is a list of character ranges, end exclusive, in reading order; the content may
    be broken around the cue (“…,” she said, “…”). The source is empty when nobody is named.
    The rest is what the app proposes to the teacher: the speaker the source words resolve to
    (an earlier name for "he" or "the minister"), the kind of speaker, the statement's kind
    and sourcing, each with how sure the proposer is of it (0 to 1), and how sure it is of
    the whole (the least of those and of the spans).
    """

    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    source: tuple[Span, ...] = ()
    speaker: str = ""
    speaker_kind: str = ""
    kind: str = ""
    sourcing: str = ""
    confidence: float = 0.0
    kind_confidence: float = 0.0
    sourcing_confidence: float = 0.0
    reasons: tuple[str, ...] = field(default=(), compare=False)

    @property
    def start(self) -> int:
        return self.content[0][0]

    @property
    def end(self) -> int:
        return self.content[-1][1]

    def as_json(self) -> dict[str, list[list[int]]]:
        """The spans in the `suggest_attributions` output format."""
        return {
            "source": [list(span) for span in self.source],
            "cue": [list(span) for span in self.cue],
            "content": [list(span) for span in self.content],
        }
