"""Who each attribution's source words stand for, what kind of speaker that is, and the kind
and sourcing to propose for the statement."""

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from articles.attribution.lexicon import (
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    TITLES,
    UNNAMED_NOUNS,
    VAGUE_NOUNS,
)
from articles.attribution.text import without_titles

PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
GROUP_PRONOUNS = {"they", "it", "we"}
POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")

# Speaker kinds, as `articles.models.Source.Kind` spells them.
PERSON, ORGANISATION, DOCUMENT, UNNAMED, VAGUE = (
    "person",
    "organisation",
    "document",
    "unnamed",
    "vague",
)
SOURCING = {
    PERSON: "named_person",
    ORGANISATION: "named_org",
    DOCUMENT: "named_org",
    UNNAMED: "unnamed",
    VAGUE: "vague",
}


@dataclass(frozen=True)
class Speaker:
    name: str
    kind: str
    confidence: float


def person_name(entity: Span) -> str:
    words = without_titles(entity.text.split())
    words[-1] = POSSESSIVE.sub("", words[-1])
    return " ".join(word for word in words if word)


class Resolver:
    """Resolves source words in reading order, remembering the people and groups named so far."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.people: list[str] = []  # full names, most recent last
        self.groups: list[str] = []
        self.roles: dict[str, str] = {}  # "president" -> "Vladimir Putin"
        self.last_person: str = ""
        self.last_group: str = ""
        self.organisations: list[str] = []
        self._entities = sorted(doc.ents, key=lambda entity: entity.start)
        self._seen_upto = 0

    def _learn_until(self, position: int) -> None:
        """Take in the names the text gives before the token `position`."""
        for entity in self._entities:
            if entity.start < self._seen_upto or entity.start >= position:
                continue
            if entity.label_ == "PERSON":
                name = self._canonical(person_name(entity))
                self._remember_person(name)
                for token in self.doc[max(entity.start - 3, 0) : entity.start]:
                    if token.lower_ in TITLES or token.pos_ == "NOUN":
                        self.roles[token.lower_] = name
            elif entity.label_ == "ORG":
                self.organisations.append(POSSESSIVE.sub("", entity.text).removeprefix("the "))
        self._seen_upto = position

    def _canonical(self, name: str) -> str:
        """The fullest earlier name that ends with this one ("Obama" -> "Barack Obama")."""
        words = name.split()
        if not words:
            return name
        for known in reversed(self.people):
            if known.split()[-1] == words[-1] and len(known) >= len(name):
                return known
        return name

    def _organisation_ending(self, noun: str) -> str:
        """The organisation named before whose name ends with this noun ("the club")."""
        for name in reversed(self.organisations):
            if name.split()[-1].lower() == noun:
                return name
        return ""

    def _titled_ahead(self, title: str, position: int) -> str:
        """The first person the text names later with this title ("the Russian president"
        in a standfirst, before "Russian President Vladimir Putin")."""
        for entity in self._entities:
            if entity.start < position or entity.label_ != "PERSON":
                continue
            before = {token.lower_ for token in self.doc[max(entity.start - 3, 0) : entity.start]}
            if title in before:
                return person_name(entity)
        return ""

    def _known_person(self, text: str) -> bool:
        """Whether the words are the surname (or the whole name) of someone named before:
        the tagger may take "Trump" for an organisation."""
        words = POSSESSIVE.sub("", text).split()
        return bool(words) and any(known.split()[-1] == words[-1] for known in self.people)

    def _remember_person(self, name: str) -> None:
        if name in self.people:
            self.people.remove(name)
        self.people.append(name)
        self.last_person = name

    def resolve(self, source: Span | None) -> Speaker | None:
        if source is None:
            return None
        self._learn_until(source.start)
        head = source.root
        lower = head.lower_
        persons = [entity for entity in source.ents if entity.label_ == "PERSON"]
        organisations = [e for e in source.ents if e.label_ in ("ORG", "NORP", "GPE", "FAC")]
        head_entity = next((e for e in source.ents if e.start <= head.i < e.end), None)
        self._learn_until(source.end)

        plural = head.tag_ in ("NNS", "NNPS")
        if (head.lemma_.lower() in DOCUMENT_NOUNS or lower in DOCUMENT_NOUNS) and (
            not plural or persons or organisations
        ):
            if persons and not plural:
                # "a book by American journalist Bob Woodward" is "Bob Woodward’s book", as a
                # teacher names it.
                return Speaker(f"{person_name(persons[-1])}’s {head.lower_}", DOCUMENT, 0.7)
            return Speaker(_phrase(source), DOCUMENT, 0.7 if (persons or organisations) else 0.55)
        if head_entity is not None and head_entity.label_ == "PERSON":
            name = self._canonical(person_name(head_entity))
            self._remember_person(name)
            return Speaker(name, PERSON, 0.9)
        titled = head_entity is not None and (
            head_entity[0].lower_.rstrip(".") in TITLES - {"general", "chief", "officer", "justice"}
        )
        if head_entity is not None and (titled or self._known_person(head_entity.text)):
            name = self._canonical(
                " ".join(without_titles(POSSESSIVE.sub("", head_entity.text).split()))
            )
            self._remember_person(name)
            return Speaker(name, PERSON, 0.8)
        if head_entity is not None and head_entity.label_ in ("ORG", "NORP", "GPE", "FAC"):
            name = POSSESSIVE.sub("", head_entity.text)
            self.last_group = name
            self.organisations.append(name)
            kind = VAGUE if head_entity.label_ in ("GPE", "NORP") else ORGANISATION
            return Speaker(name, kind, 0.75)
        if persons and lower in TITLES | UNNAMED_NOUNS:
            # "Mr Smith's spokesman": speaks for someone named; the person is named here.
            name = self._canonical(person_name(persons[0]))
            if lower in TITLES:
                self._remember_person(name)
                return Speaker(name, PERSON, 0.85)
            return Speaker(_phrase(source), UNNAMED, 0.6)
        if lower in PERSON_PRONOUNS and self.last_person:
            return Speaker(self.last_person, PERSON, 0.75)
        if lower in GROUP_PRONOUNS and self.last_group:
            return Speaker(self.last_group, ORGANISATION, 0.5)
        if source[0].lower_ == "the" and lower in self.roles:
            return Speaker(self.roles[lower], PERSON, 0.7)
        if source[0].lower_ == "the" and lower in TITLES:
            named = self.last_person or self._titled_ahead(lower, source.end)
            if named:
                return Speaker(named, PERSON, 0.6)
        if source[0].lower_ == "the" and head.pos_ == "NOUN":
            named = self._organisation_ending(head.lower_)
            if named:
                return Speaker(
                    named, ORGANISATION, 0.65
                )  # "the club" after "Millbrook Swimming Club"
        if lower in UNNAMED_NOUNS or head.lemma_.lower() in UNNAMED_NOUNS:
            return Speaker(_phrase(source), UNNAMED, 0.6)
        if head.pos_ == "NOUN" and head.tag_ == "NN" and source[0].lower_ in ("a", "an", "one"):
            return Speaker(_phrase(source), UNNAMED, 0.55)  # "a lifeguard at the centre"
        if lower in VAGUE_NOUNS or head.lemma_.lower() in VAGUE_NOUNS:
            return Speaker(_phrase(source), VAGUE, 0.6)
        if organisations:
            name = POSSESSIVE.sub("", organisations[0].text)
            self.last_group = name
            return Speaker(_phrase(source), ORGANISATION, 0.6)
        if lower in ORGANISATION_NOUNS or head.lemma_.lower() in ORGANISATION_NOUNS:
            name = _phrase(source)
            self.last_group = name
            return Speaker(name, ORGANISATION, 0.55)
        if head.pos_ == "PROPN":
            name = self._canonical(
                " ".join(without_titles(POSSESSIVE.sub("", source.text).split()))
            )
            self._remember_person(name)
            return Speaker(name, PERSON, 0.6)
        return Speaker(_phrase(source), VAGUE, 0.4)


def _phrase(source: Span) -> str:
    """The source words as a name: without a leading "a", "an" or "the"."""
    words = source.text.split()
    if len(words) > 2 and words[0].lower() in ("a", "an", "the") and words[1].lower() != "lot":
        words = words[1:]
    phrase = " ".join(words)
    return phrase[:1].upper() + phrase[1:]
