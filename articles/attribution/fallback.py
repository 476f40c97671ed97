"""Proposals without the language model: quotations with a tag beside them, found by pattern.

“…,” Putin said. / “…,” said Mr Smith, the chairman. / She said: “…” — the tag's words name
the source and the cue; "he" and "she" stand for the person named before. Reported speech
without quotation marks needs the parse, so it is not found here.
"""

import re

from articles.attribution.lexicon import UNNAMED_NOUNS, VAGUE_NOUNS
from articles.attribution.spans import Attribution
from articles.attribution.text import quotations, statement_kind, without_titles

CUE = (
    r"(?:said|says|say|added|adds|told|tells|explained|explains|insisted|insists|stressed|"
    r"argued|argues|claimed|claims|noted|notes|wrote|writes|asked|asks|replied|warned|warns|"
    r"continued|recalled|admitted|declared|pointed out|went on)"
)
PRONOUN = r"(?:he|she|they|we|I|it)"
NAME = r"(?:[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|de|van|von|bin|al))*)"
ARTICLE = r"(?:[Tt]he|[Aa]n?|[Oo]ne)"
PHRASE = rf"(?:{ARTICLE}\s+[^,.;:!?“”\"\n]{{1,60}}?)"
SOURCE = rf"(?:{NAME}|{PRONOUN}|{PHRASE})"
# After the cue the source runs to the next punctuation: "said the council's spokesman."
SOURCE_AFTER = rf"(?:{ARTICLE}\s+[^,.;:!?“”\"\n]{{1,60}}|{NAME}|{PRONOUN})"
# After a quotation: its closing mark, then "she said" or "said the mayor".
TAG_AFTER = re.compile(
    rf"[,.!?…—–-]*[”\"’]?,?\s+(?:(?P<cue1>{CUE})\s+(?P<source1>{SOURCE_AFTER})"
    rf"|(?P<source2>{SOURCE})\s+(?P<cue2>{CUE}))(?=[\s,.;:!?—–-]|$)"
)
# Before a quotation: "She said: “" or "The mayor told reporters, “".
TAG_BEFORE = re.compile(rf"(?P<source>{SOURCE})\s+(?P<cue>{CUE})(?:\s+\w+)?\s*[,:]\s*[“\"‘]$")
PERSON_PRONOUNS = {"he", "she", "i"}
CONFIDENCE = 0.5


def attributions(text: str) -> list[Attribution]:
    """The tagged quotations of the text, in reading order."""
    found = []
    people: list[str] = []
    for start, end in quotations(text):
        after = TAG_AFTER.match(text, end)
        before = TAG_BEFORE.search(text, max(0, start - 120), start)
        if after is not None:
            source = after.span("source1") if after.group("source1") else after.span("source2")
            cue = after.span("cue1") if after.group("cue1") else after.span("cue2")
        elif before is not None and before.end() == start:
            source, cue = before.span("source"), before.span("cue")
        else:
            continue
        words = text[source[0] : source[1]]
        speaker, kind_of_speaker = _speaker(words, people)
        kind, kind_confidence = statement_kind(text[start:end], "")
        found.append(
            Attribution(
                cue=(cue,),
                content=((start, end),),
                source=(source,),
                speaker=speaker,
                speaker_kind=kind_of_speaker,
                kind=kind,
                sourcing={
                    "person": "named_person",
                    "organisation": "named_org",
                    "unnamed": "unnamed",
                    "vague": "vague",
                }.get(kind_of_speaker, "none"),
                confidence=CONFIDENCE,
                kind_confidence=kind_confidence,
                sourcing_confidence=CONFIDENCE,
            )
        )
    return found


def _speaker(words: str, people: list[str]) -> tuple[str, str]:
    """The name the tag's words stand for, and its kind, remembering people named."""
    lower = words.lower()
    if lower in PERSON_PRONOUNS:
        return (people[-1], "person") if people else ("", "")
    last = lower.split()[-1]
    if re.match(rf"{ARTICLE}\s", words) or lower in ("they", "we", "it"):
        phrase = re.sub(r"^(?:the|a|an)\s+", "", words, flags=re.IGNORECASE)
        if last in UNNAMED_NOUNS or lower.startswith(("a ", "an ", "one ")):
            return phrase[:1].upper() + phrase[1:], "unnamed"
        if last in VAGUE_NOUNS:
            return phrase[:1].upper() + phrase[1:], "vague"
        return phrase[:1].upper() + phrase[1:], "organisation"
    name = " ".join(without_titles(words.split()))
    surname = name.split()[-1]
    name = next((known for known in reversed(people) if known.split()[-1] == surname), name)
    if name in people:
        people.remove(name)
    people.append(name)
    return name, "person"
