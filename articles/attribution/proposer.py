"""Find the attributions of a text with rules over spaCy's parse.

A cue is a verb of saying ("said", "pointed out") or, with a clause, of finding or believing
("found that …"), or the phrase "according to". Its source is the verb's subject; its content
is the quotation set against it (“…,” she said) or the clause it governs (said that …), or,
for a cue set inside the statement ("The plan, he said, will fail"), the rest of the sentence.
"""

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from articles.attribution.lexicon import CLAUSE_CUES, PHRASAL_CUES, SPEECH_CUES, words
from articles.attribution.spans import Span as Range
from articles.attribution.text import QUOTE_JOIN_AFTER, quotations, trim

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Passive cues whose subject is what is said of it: "is expected to", "was seen as".
PASSIVE_CUES = words(
    "expect think believe suspect accuse understand rumor rumour say report see consider "
    "describe hail herald regard view brand dub label predict estimate"
)
# Cues that say something of their object: "described X as", "accused X of".
# Each with the words that introduce what is said of the object ("" for "called it absurd").
OBJECT_CUES = {
    **dict.fromkeys(words("describe regard see view hail herald portray depict revile"), ("as",)),
    **dict.fromkeys(words("brand dub label"), ("as", "")),
    "call": ("",),
    **dict.fromkeys(words("accuse suspect"), ("of",)),
    **dict.fromkeys(words("criticise criticize praise condemn"), ("for",)),
    "blame": ("for", "on"),
}
SOURCE_CUT = ("relcl", "acl")
# Nouns that name no one until a relative clause says who: "a person who works at …".
GENERIC_SPEAKERS = words("person people one someone anyone those man woman men women official")


@dataclass(frozen=True)
class Found:
    """An attribution before its speaker is resolved: token positions of the cue and source,
    character ranges of the content."""

    cue: tuple[Token, ...]
    source: Span | None
    content: tuple[Range, ...]
    direct: bool  # the content is a quotation


def _is_cue(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in ALL_CUES:
        return False
    particle = PHRASAL_CUES.get(token.lemma_.lower())
    if particle:
        return any(
            child.dep_ in ("prt", "acomp", "advmod", "oprd") and child.lower_ == particle
            for child in token.children
        )
    return True


def _cue_tokens(token: Token) -> tuple[Token, ...]:
    particle = PHRASAL_CUES.get(token.lemma_.lower())
    if particle:
        for child in token.children:
            if child.lower_ == particle:
                return tuple(sorted((token, child), key=lambda t: t.i))
    return (token,)


def _subjects(token: Token) -> tuple[Token, ...]:
    """The subject of the cue verb, borrowed from the verb it is joined to ("said … and
    added") or that it hangs from ("…, saying that …"); a misparsed name may come in pieces."""
    seen = token
    for _ in range(3):
        found = tuple(child for child in seen.children if child.dep_ in ("nsubj", "csubj"))
        if found:
            return found
        if seen.dep_ in ("conj", "advcl", "xcomp") and seen.head.i != seen.i:
            seen = seen.head
            continue
        if seen.dep_ == "pcomp" and seen.head.dep_ == "prep":
            seen = seen.head.head  # "… by saying that …"
            continue
        if seen.dep_ in ("relcl", "acl") and seen.head.pos_ in ("NOUN", "PROPN"):
            # "officials, who said …", "media reports claiming that …"
            return (seen.head,)
        break
    return ()


def _source_span(
    doc: Doc, subject: Token, *, also: tuple[Token, ...] = (), cue: Token | None = None
) -> Span | None:
    """The noun phrase of the subject, without a relative clause, a participle phrase or the
    commas around them."""
    if subject.lower_ in ("who", "that", "which") and subject.head.dep_ == "relcl":
        subject = subject.head.head
    tokens = []
    for root in (subject, *also):
        stack = [root]
        while stack:
            token = stack.pop()
            if token.i != root.i and token.dep_ in SOURCE_CUT and _describes(token):
                continue
            if cue is not None and token.i != root.i and cue in token.subtree:
                continue
            if not (token.is_punct or token.is_space):
                tokens.append(token)
            stack.extend(token.children)
    if not tokens:
        return None
    start = min(token.i for token in tokens)
    end = max(token.i for token in tokens) + 1
    return doc[start:end]


def _describes(clause: Token) -> bool:
    """Whether a clause on the source describes the speaker rather than names them: one set
    off by a comma ("X, who chairs the committee,"), or a relative clause on a noun that names
    the speaker without it ("a programmer who has released code"). "A person who works at
    the town hall" and "a report published last week" keep theirs."""
    if clause.dep_ == "relcl" and clause.head.lemma_.lower() not in GENERIC_SPEAKERS:
        return True
    left = clause.left_edge
    return left.i > 0 and left.nbor(-1).text in (",", "—", "–", "(")


def _clause_range(text: str, clause: Token, *, skip: set[int] = frozenset()) -> Range | None:
    """The characters of a clause's subtree, without its "that" and edge punctuation."""
    tokens = [token for token in clause.subtree if token.i not in skip]
    while tokens and (tokens[0].dep_ == "mark" and tokens[0].lower_ in ("that", "if", "whether")):
        tokens = tokens[1:]
    if not tokens:
        return None
    start, end = trim(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1]))
    return (start, end) if start < end else None


def _sentence_without(text: str, sentence: Span, cut: set[int]) -> tuple[Range, ...]:
    """The sentence's characters outside the cut tokens, as fragments."""
    fragments: list[Range] = []
    run: list[Token] = []
    for token in [*sentence, None]:
        if token is not None and token.i not in cut and not token.is_space:
            run.append(token)
            continue
        if run:
            start, end = trim(text, run[0].idx, run[-1].idx + len(run[-1]))
            if start < end and re.search(r"\w", text[start:end]):
                fragments.append((start, end))
        run = []
    return tuple(fragments)


# Nouns that report what someone says or believes when a "that" clause follows.
NOUN_CUES = words(
    "fear concern worry speculation consensus vow declaration claim finding impression belief "
    "hope warning suggestion allegation assertion insistence promise assurance argument view "
    "expectation prediction suspicion conviction"
)
# Adjectives that report a stance when a clause follows: "is confident (that) …".
ADJECTIVE_CUES = words("confident concerned adamant worried sure certain convinced hopeful")
# Verbs whose object is itself the statement: "denied the allegations".
OBJECT_CONTENT_CUES = words(
    "deny defend declare reaffirm hail cite recommend announce confirm propose demand reject "
    "dispute object warn boast"
)

ALL_CUES = (
    SPEECH_CUES
    | CLAUSE_CUES
    | set(PHRASAL_CUES)
    | PASSIVE_CUES
    | set(OBJECT_CUES)
    | OBJECT_CONTENT_CUES
)


class Finder:
    """The attributions of one parsed text."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = doc.text
        self.quotes = quotations(self.text)

    def quote_ending_at(self, position: int) -> Range | None:
        """The quotation that closes just before `position`, with only a closing mark and
        commas or dashes between; the outermost when quotations nest."""
        for start, end in self.quotes:
            gap = self.text[end:position]
            if end <= position and QUOTE_JOIN_AFTER.fullmatch(gap) and "\n" not in gap:
                return start, end
        return None

    def quote_starting_at(self, position: int) -> Range | None:
        for start, end in self.quotes:
            gap = self.text[position:start]
            if start >= position and re.fullmatch(r"[\s,:—–-]*[“\"‘]", gap) and "\n" not in gap:
                return start, end
        return None

    def nested(self, quote: Range) -> bool:
        """Whether the quotation is inside another (what a quoted speaker quotes)."""
        return any(s < quote[0] and quote[1] < e for s, e in self.quotes)

    def closes_sentence(self, quote: Range, sentence: Span) -> bool:
        """Whether nothing but punctuation follows the quotation in its sentence."""
        end = max(sentence.end_char, quote[1])
        paragraph_end = self.text.find("\n", quote[1])
        if paragraph_end != -1:
            end = min(end, paragraph_end)
        return not re.search(r"\w", self.text[quote[1] : end])

    def quote_after_sentence(self, position: int) -> Range | None:
        """The quotation that opens the next sentence when the cue ends its own: “…,” she
        said. “…”"""
        match = re.compile(r"[^\S\n]*\.[^\S\n]*[“\"]").match(self.text, position)
        if match is None:
            return None
        return next(((s, e) for s, e in self.quotes if s >= match.end() - 1), None)

    def inside_quote(self, position: int) -> bool:
        return any(start <= position < end for start, end in self.quotes)

    def clause_after(self, token: Token) -> Range | None:
        """A "that" clause the parser hung further down: "saying in a statement that …"."""
        for descendant in token.subtree:
            if descendant.i <= token.i or descendant.i > token.i + 8:
                continue
            if descendant.dep_ in ("ccomp", "acl") and any(
                c.dep_ == "mark" and c.lower_ == "that" and c.i > token.i
                for c in descendant.children
            ):
                return _clause_range(self.text, descendant)
        return None

    def own_hedge(self, token: Token) -> bool:
        """ "I think", "I mean" inside a quotation: the speaker's hedge, not a report of
        someone else's words (which a quotation may well contain: "they said, ‘Ah, …’")."""
        if not self.inside_quote(token.idx):
            return False
        return any(c.dep_ == "nsubj" and c.lower_ in ("i", "you") for c in token.children)

    def noun_cue(self, token: Token) -> Found | None:
        """ "fears that militants were expanding", "Netanyahu's declaration that …"."""
        clause = next((c for c in token.children if c.dep_ in ("acl", "ccomp")), None)
        if clause is None or not any(
            c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
        ):
            return None
        content = _clause_range(self.text, clause)
        if content is None:
            return None
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        source = _source_span(self.doc, owner) if owner is not None else None
        return Found(cue=(token,), source=source, content=(content,), direct=False)

    def adjective_cue(self, token: Token) -> Found | None:
        """ "He is confident the deal will pass", "The union is adamant that …"."""
        clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if clause is None and token.dep_ == "acomp":
            clause = next(
                (c for c in token.head.children if c.dep_ == "ccomp" and c.i > token.i), None
            )
        if clause is None or token.dep_ != "acomp":
            return None
        subjects = _subjects(token.head)
        if not subjects:
            return None
        content = _clause_range(self.text, clause)
        if content is None:
            return None
        source = _source_span(self.doc, subjects[-1], also=subjects[:-1], cue=token)
        return Found(cue=(token,), source=source, content=(content,), direct=False)

    def object_content(self, token: Token, source: Span | None) -> Found | None:
        """ "denied the allegations", "defended his decision to …": the object is what is
        said, for the verbs whose object is a statement."""
        if token.lemma_.lower() not in OBJECT_CONTENT_CUES:
            return None
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        if obj is None:
            obj = next(
                (
                    grand
                    for c in token.children
                    if c.dep_ == "prep" and c.lower_ in ("to", "against", "of")
                    for grand in c.children
                    if grand.dep_ in ("pobj", "pcomp")
                ),
                None,
            )
        if obj is None or obj.i < token.i:
            return None
        content = _clause_range(self.text, obj)
        if content is None:
            return None
        return Found(cue=(token,), source=source, content=(content,), direct=False)

    def find(self) -> list[Found]:
        found = []
        for token in self.doc:
            if token.lower_ == "according" and token.i + 1 < len(self.doc):
                item = self.according(token)
            elif _is_cue(token) and not self.own_hedge(token):
                item = self.cued(token)
            elif token.pos_ == "NOUN" and token.lemma_.lower() in NOUN_CUES:
                item = self.noun_cue(token)
            elif token.pos_ == "ADJ" and token.lower_ in ADJECTIVE_CUES:
                item = self.adjective_cue(token)
            else:
                item = None
            if item is not None:
                found.append(item)
        return found

    def according(self, token: Token) -> Found | None:
        to = self.doc[token.i + 1]
        if to.lower_ != "to":
            return None
        objects = [child for child in to.children if child.dep_ == "pobj"]
        source = _source_span(self.doc, objects[0]) if objects else None
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
        content = _sentence_without(self.text, token.sent, phrase)
        if not content:
            return None
        return Found(cue=(token, to), source=source, content=content, direct=False)

    def passive(self, token: Token) -> Found | None:
        """ "The deal is expected to pass", "a move seen as clearing the way": what is said is
        the subject and the rest; the source is whoever the "by" names, if anyone."""
        lemma = token.lemma_.lower()
        if lemma not in PASSIVE_CUES:
            return None
        subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
        rest = next(
            (
                c
                for c in token.children
                if c.dep_ == "xcomp"
                or (c.dep_ == "prep" and c.lower_ in ("as", *OBJECT_CUES.get(lemma, ())))
            ),
            None,
        )
        if subject is None or rest is None or subject.lower_ in ("which", "that", "who", "it"):
            return None
        fragments = [_clause_range(self.text, subject), _clause_range(self.text, rest)]
        if None in fragments:
            return None
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        objects = [c for c in agent.children if c.dep_ == "pobj"] if agent else []
        source = _source_span(self.doc, objects[0]) if objects else None
        return Found(cue=(token,), source=source, content=tuple(fragments), direct=False)

    def noun_object(self, token: Token, source: Span | None) -> Found | None:
        """ "described the plan as a disaster", "accused Moscow of interfering": the object
        and what is said of it."""
        if token.lemma_.lower() not in OBJECT_CUES:
            return None
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        allowed = OBJECT_CUES[token.lemma_.lower()]
        said = next(
            (
                c
                for c in token.children
                if (c.dep_ == "prep" and c.lower_ in allowed)
                or (c.dep_ == "oprd" and "" in allowed)
            ),
            None,
        )
        if obj is None or said is None or said.i < obj.i:
            return None
        start = _clause_range(self.text, obj)
        end = _clause_range(self.text, said)
        if start is None or end is None:
            return None
        return Found(cue=(token,), source=source, content=((start[0], end[1]),), direct=False)

    def cued(self, token: Token) -> Found | None:
        if any(child.dep_ == "auxpass" for child in token.children):
            return self.passive(token)
        subjects = _subjects(token)
        if not subjects:
            return self.noun_object(token, None)
        source = _source_span(self.doc, subjects[-1], also=subjects[:-1], cue=token)
        lemma = token.lemma_.lower()
        if lemma not in SPEECH_CUES | CLAUSE_CUES | set(PHRASAL_CUES):
            return self.noun_object(token, source) or self.object_content(token, source)
        cue = _cue_tokens(token)
        clause_tokens = [*cue, *(source or [])]
        clause_start = min(t.idx for t in clause_tokens)
        clause_end = max(t.idx + len(t) for t in clause_tokens)

        sentence = token.sent
        before = self.quote_ending_at(clause_start)
        after = self.quote_starting_at(clause_end)
        if after and not (self.nested(after) or self.closes_sentence(after, sentence)):
            after = None  # a phrase quoted inside reported speech: the clause is the content
        if before and not after:
            after = self.quote_after_sentence(clause_end)
        if before and before[0] > sentence.start_char:
            # The quotation closes a sentence that began in the reporter's words.
            first = next((t for t in sentence if not (t.is_punct or t.is_space)), None)
            if first is not None and first.idx < before[0]:
                before = (first.idx, before[1])
        if before and after:
            return Found(cue=cue, source=source, content=(before, after), direct=True)
        if before or after:
            return Found(cue=cue, source=source, content=(before or after,), direct=True)

        lemma = token.lemma_.lower()
        clauses = [child for child in token.children if child.dep_ in ("ccomp", "xcomp")]
        clauses = [c for c in clauses if c.dep_ == "ccomp" or lemma in ("vow", "promise")]
        if lemma in CLAUSE_CUES:
            clauses = [c for c in clauses if min(t.i for t in c.subtree) <= token.i + 3]
        if clauses:
            content = _clause_range(self.text, clauses[0])
            if content:
                return Found(cue=cue, source=source, content=(content,), direct=False)
        described = self.noun_object(token, source) or self.object_content(token, source)
        if described is not None:
            return described
        later = self.clause_after(token)
        if later is not None:
            return Found(cue=cue, source=source, content=(later,), direct=False)
        inside = token.dep_ == "parataxis" or (
            token.dep_ == "advcl"
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children)
        )
        if inside and lemma in SPEECH_CUES | set(PHRASAL_CUES) and source is not None:
            cut = {t.i for t in token.subtree}
            content = _sentence_without(self.text, token.sent, cut)
            if content:
                return Found(cue=cue, source=source, content=content, direct=False)
        return None
