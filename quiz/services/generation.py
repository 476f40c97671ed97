"""Turn a teacher's annotations into questions: the product's central write.

No question may give away another's answer, whatever quiz it ends up in:

- An attribution choice is who says it, by name: never a description that hints at what
  kind of source it is ("Scientists (not named)").
- Each question explains its own answer. The teacher's explanation of an annotation usually
  covers everything at once (who, what kind, how it is sourced), so it goes with the
  classification question; the attribution, sourcing and evidence questions get an
  explanation of just their own point. The teacher's explanation is optional: left empty,
  the classification question gets one written from the annotation's kind, speaker, cue
  and sourcing, which also covers everything at once.
- Nothing a question shows names the source of another statement: the texts written here
  name only the question's own source, and the examples of a vague collective leave out
  the sources of the article.

What a question reveals about its own statement (who said it, and the source words
highlighted after answering) still answers another question on that same statement, so a
quiz asks who said a statement once (attribution or evidence, not both) and puts the
classification question, with the explanation of everything, last among that statement's.
"""

import random
import re

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Annotation, Article, Source
from quiz.models import Choice, Question, Skill

ATTRIBUTION_DISTRACTORS = 3

KIND_CHOICES = [
    (
        Annotation.Kind.CLAIM,
        gettext_lazy("A claim someone makes"),
        gettext_lazy(
            "A claim is something a person or group asserts. It could be checked and it could be "
            "false; the reporter only tells you that it was said."
        ),
    ),
    (
        Annotation.Kind.REPORTED_FACT,
        gettext_lazy("A fact the reporter states"),
        gettext_lazy(
            "A reported fact is stated in the outlet's own voice: the reporter vouches for it "
            "without saying anyone else claims it."
        ),
    ),
    (
        Annotation.Kind.OPINION,
        gettext_lazy("An opinion"),
        gettext_lazy(
            "An opinion is a judgement or a stance. It tells you what someone thinks or wants, "
            "not something that can be shown true or false."
        ),
    ),
]

SOURCING_FEEDBACK = {
    Annotation.Sourcing.NAMED_PERSON: gettext_lazy(
        "A named person: you could look up who they are and what else they have said."
    ),
    Annotation.Sourcing.NAMED_ORGANISATION: gettext_lazy(
        "A named organisation or document: a body or a text you could find and check."
    ),
    Annotation.Sourcing.UNNAMED: gettext_lazy(
        "An unnamed source: someone the reporter knows but does not name, so you cannot check."
    ),
    Annotation.Sourcing.VAGUE: gettext_lazy(
        "A vague collective: a group like %(examples)s, with no person named."
    ),
    Annotation.Sourcing.NONE: gettext_lazy(
        "None given: nothing in the article says where this comes from."
    ),
}
# Examples of a vague collective; those that are sources in the article are left out, so
# the feedback does not name the answer to another question.
VAGUE_EXAMPLES = [
    gettext_lazy("Moscow"),
    gettext_lazy("critics"),
    gettext_lazy("they"),
    gettext_lazy("experts"),
    gettext_lazy("officials"),
    gettext_lazy("residents"),
]
OPENING_WORDS = 6


def _mentions(text: str, words: str) -> bool:
    """Say whether text contains words as whole words, whatever the case."""
    return re.search(rf"(?<!\w){re.escape(words.casefold())}(?!\w)", text.casefold()) is not None


def _sourcing_feedback(annotations: list[Annotation], sources: list[Source]) -> dict[str, str]:
    """Return the feedback of each sourcing category, with examples this article does not use."""
    taken = [source.name for source in sources] + [a.source_exact for a in annotations]
    examples = [str(e) for e in VAGUE_EXAMPLES if not any(_mentions(t, str(e)) for t in taken)]
    # An article that uses nearly all of them as sources gets some back: three are needed.
    examples = list(dict.fromkeys(examples + [str(e) for e in VAGUE_EXAMPLES]))[:3]
    listed = _("“%(first)s”, “%(second)s” or “%(third)s”") % dict(
        zip(("first", "second", "third"), examples, strict=True)
    )
    feedback = {value: str(text) for value, text in SOURCING_FEEDBACK.items()}
    feedback[Annotation.Sourcing.VAGUE] = feedback[Annotation.Sourcing.VAGUE] % {"examples": listed}
    return feedback


def _base_fields(annotation: Annotation, owner) -> dict:
    return {
        "article": annotation.article,
        "annotation": annotation,
        "statement": annotation.exact,
        "focus_start": annotation.start,
        "focus_end": annotation.end,
        "answer_start": annotation.source_start,
        "answer_end": annotation.source_end,
        "answer_exact": annotation.source_exact,
        "cue": annotation.cue,
        "owner": owner,
    }


def _shuffled(items: list, seed: str) -> list:
    """Shuffle deterministically, so the right answer is not always first yet reruns agree."""
    ordered = list(items)
    random.Random(seed).shuffle(ordered)  # noqa: S311 - ordering choices, not security
    return ordered


def _outlet_label() -> str:
    return str(Source.Kind.OUTLET.label)


def _attribution_choices(annotation: Annotation, sources: list[Source]) -> list[dict]:
    # A choice is who says it, by name alone: a source's description often says what kind
    # of source it is ("not named"), which is the answer to its sourcing question.
    outlet_label = _outlet_label()
    speaker = annotation.speaker
    # Names are unique in an article, but two may still read alike; offer each reading once.
    seen = {outlet_label.casefold()} | ({speaker.name.casefold()} if speaker else set())
    others = []
    for source in sources:
        if source.name.casefold() not in seen:
            seen.add(source.name.casefold())
            others.append(source)
    # A random few, preferring people and bodies of the same kind as the speaker: the
    # plausible confusions (the sort is stable, so the draw stays random within each kind).
    others = _shuffled(others, f"attribution-{annotation.pk}")
    if speaker is not None:
        others.sort(key=lambda s: s.kind != speaker.kind)
    distractors = others[:ATTRIBUTION_DISTRACTORS]
    speaker_name = speaker.name if speaker else outlet_label
    choices = [
        {
            "text": source.name,
            "is_correct": False,
            "feedback": _(
                "%(name)s is named in the article, but this statement is not theirs: look at "
                "who the words are attributed to."
            )
            % {"name": source.name},
        }
        for source in distractors
    ]
    if speaker is not None:
        choices.append(
            {
                "text": speaker.name,
                "is_correct": True,
                "feedback": _("Yes: the article attributes this to %(name)s.")
                % {"name": speaker_name},
            }
        )
    choices = _shuffled(choices, f"attribution-order-{annotation.pk}")
    choices.append(
        {
            "text": outlet_label,
            "is_correct": speaker is None,
            "feedback": (
                _("Yes: the outlet states this in its own voice; no one else is quoted.")
                if speaker is None
                else _("Not quite: the article attributes this to %(name)s, not to itself.")
                % {"name": speaker_name}
            ),
        }
    )
    return choices


def _opening(annotation: Annotation) -> str:
    """Return the statement's first words, to say which statement an explanation is about."""
    words = annotation.exact.split()
    if len(words) <= OPENING_WORDS:
        return annotation.exact
    return " ".join(words[:OPENING_WORDS]).rstrip(",;:") + "…"


def _source_place(annotation: Annotation) -> str:
    """Say where the words naming the source stand, seen from the statement."""
    start, end = annotation.source_start, annotation.source_end
    if start < annotation.end and end > annotation.start:
        return _("inside the statement")
    before = end <= annotation.start
    body = annotation.article.body
    between = body[end : annotation.start] if before else body[annotation.end : start]
    if not any(character.isalnum() for character in between):
        return _("just before the statement") if before else _("just after the statement")
    if "\n" in between:
        return _("in an earlier paragraph") if before else _("in a later paragraph")
    if re.search(r"[.!?]", between):
        return _("earlier in the paragraph") if before else _("later in the paragraph")
    return _("earlier in the same sentence") if before else _("later in the same sentence")


def _attribution_explanation(annotation: Annotation) -> str:
    """Explain who is speaking and which words say so; nothing about kind or sourcing."""
    speaker = annotation.speaker
    if speaker is None:
        return _(
            "Nobody else is named or quoted for “%(opening)s”: the outlet says it in its own voice."
        ) % {"opening": _opening(annotation)}
    if annotation.has_source_span and annotation.source_exact:
        explanation = _("The words “%(words)s”, %(place)s, tell you who is speaking: %(name)s.") % {
            "words": annotation.source_exact,
            "place": _source_place(annotation),
            "name": speaker.name,
        }
    else:
        explanation = _("The article gives these words to %(name)s.") % {"name": speaker.name}
    if annotation.cue and not _mentions(annotation.source_exact, annotation.cue):
        explanation += " " + _(
            "The cue “%(cue)s” shows that the reporter is passing these words on, not saying them."
        ) % {"cue": annotation.cue}
    return explanation


SOURCING_EXPLANATIONS = {
    Annotation.Sourcing.NAMED_PERSON: gettext_lazy(
        "The article names this person, so you could look them up and check what else they "
        "have said."
    ),
    Annotation.Sourcing.NAMED_ORGANISATION: gettext_lazy(
        "The article names this organisation or document, so you could find it and check what "
        "it says."
    ),
    Annotation.Sourcing.UNNAMED: gettext_lazy(
        "The article gives no name, so you cannot check who they are or how they know."
    ),
    Annotation.Sourcing.VAGUE: gettext_lazy(
        "That is a whole group with no one in it named, so you cannot tell who exactly says this."
    ),
}


def _sourcing_explanation(annotation: Annotation) -> str:
    """Explain how the statement is sourced; nothing about what kind of statement it is."""
    opening = _opening(annotation)
    if annotation.sourcing == Annotation.Sourcing.NONE:
        return _(
            "Nothing in the article says where “%(opening)s” comes from: no one is named, "
            "not even vaguely."
        ) % {"opening": opening}
    speaker = annotation.speaker
    if speaker is not None and annotation.has_source_span and annotation.source_exact:
        source = _("The source is %(name)s: see “%(words)s”, %(place)s.") % {
            "name": speaker.name,
            "words": annotation.source_exact,
            "place": _source_place(annotation),
        }
    elif speaker is not None:
        source = _("“%(opening)s” comes from %(name)s.") % {
            "opening": opening,
            "name": speaker.name,
        }
    else:
        source = _("Look at who “%(opening)s” comes from.") % {"opening": opening}
    return f"{source} {SOURCING_EXPLANATIONS[annotation.sourcing]}"


KIND_EXPLANATIONS = {
    Annotation.Kind.CLAIM: gettext_lazy(
        "“%(opening)s” is a claim by %(who)s: something asserted that could be checked and could "
        "be false."
    ),
    Annotation.Kind.REPORTED_FACT: gettext_lazy(
        "“%(opening)s” is a reported fact: the outlet states it as true in its own voice."
    ),
    Annotation.Kind.OPINION: gettext_lazy(
        "“%(opening)s” is an opinion of %(who)s: a judgement or a stance, not something that can "
        "be shown true or false."
    ),
}
SOURCING_SUMMARIES = {
    Annotation.Sourcing.NAMED_PERSON: gettext_lazy(
        "It is backed by a named person, whom you could look up."
    ),
    Annotation.Sourcing.NAMED_ORGANISATION: gettext_lazy(
        "It is backed by a named organisation or document, which you could find and check."
    ),
    Annotation.Sourcing.UNNAMED: gettext_lazy(
        "It is backed by an unnamed source, so you cannot check who they are."
    ),
    Annotation.Sourcing.VAGUE: gettext_lazy(
        "It is backed by a vague group with no one in it named."
    ),
    Annotation.Sourcing.NONE: gettext_lazy("Nothing in the article says where it comes from."),
}


def _classification_explanation(annotation: Annotation) -> str:
    """Explain the statement whole, from its kind, speaker, cue and sourcing.

    What the classification question shows when the teacher wrote no explanation: it comes
    last among the statement's questions, so it may name who said it and how it is sourced.
    """
    speaker = annotation.speaker
    who = speaker.name if speaker else _("the outlet itself")
    parts = [KIND_EXPLANATIONS[annotation.kind] % {"opening": _opening(annotation), "who": who}]
    if annotation.cue:
        if annotation.kind == Annotation.Kind.REPORTED_FACT:
            parts.append(
                _("The cue “%(cue)s” tells you where the reporter got it: %(who)s.")
                % {"cue": annotation.cue, "who": who}
            )
        else:
            parts.append(
                _(
                    "The cue “%(cue)s” shows that the reporter is passing on the words of "
                    "%(who)s, not vouching for them."
                )
                % {"cue": annotation.cue, "who": who}
            )
    parts.append(str(SOURCING_SUMMARIES[annotation.sourcing]))
    return " ".join(parts)


def _evidence_explanation(annotation: Annotation) -> str:
    """Explain which words name the source and where they stand."""
    return _(
        "The words that name the source are “%(words)s”, %(place)s: they tell you this comes "
        "from %(name)s."
    ) % {
        "words": annotation.source_exact,
        "place": _source_place(annotation),
        "name": annotation.speaker.name if annotation.speaker else _("the outlet itself"),
    }


def _evidence_choices(annotation: Annotation, annotations: list[Annotation]) -> list[dict]:
    """Offer the source words among other words that name sources, for keyboards and no-JS.

    Distractors are the words naming other sources in the article, nearest first, so each is
    a real phrase a careless reader might pick.
    """
    answer = (annotation.source_start, annotation.source_end)
    seen = {annotation.source_exact.casefold()}
    candidates = []
    for other in annotations:
        if not other.has_source_span or not other.source_exact:
            continue
        if other.source_start < answer[1] and other.source_end > answer[0]:
            continue  # overlaps the answer: it would be right too
        key = other.source_exact.casefold()
        if key in seen:
            continue
        seen.add(key)
        same_source = annotation.speaker_id is not None and (
            other.speaker_id == annotation.speaker_id
        )
        candidates.append((abs(other.source_start - answer[0]), other.source_exact, same_source))
    distractors = sorted(candidates)[:ATTRIBUTION_DISTRACTORS]
    speaker = annotation.speaker.name if annotation.speaker else _outlet_label()
    choices = [
        {
            "text": text,
            "is_correct": False,
            "feedback": (
                _(
                    "These words name the same source, but they go with other words in the "
                    "article: look for the ones that go with this statement."
                )
                if same_source
                else _("These words name a source, but not the source of this statement.")
            ),
        }
        for _distance, text, same_source in distractors
    ]
    choices.append(
        {
            "text": annotation.source_exact,
            "is_correct": True,
            "feedback": _("Yes: these words tell you the statement comes from %(speaker)s.")
            % {"speaker": speaker},
        }
    )
    return _shuffled(choices, f"evidence-{annotation.pk}")


def _question_create(fields: dict, choices: list[dict]) -> Question:
    question = Question(**fields)
    question.full_clean()
    question.save()
    Choice.objects.bulk_create(
        Choice(question=question, position=position, **choice)
        for position, choice in enumerate(choices, start=1)
    )
    return question


@transaction.atomic
def questions_generate(*, article: Article, owner) -> int:
    """Generate the missing questions for every usable annotation; return how many were added."""
    annotations = list(
        article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED)
        .select_related("speaker", "article")
        .order_by("start", "end", "pk")
    )
    existing = set(
        Question.objects.filter(annotation__in=annotations).values_list("annotation_id", "kind")
    )
    sources = list(article.sources.order_by("name"))
    sourcing_feedback = _sourcing_feedback(annotations, sources)
    added = 0
    for annotation in annotations:
        base = _base_fields(annotation, owner)
        wanted = []
        if (annotation.pk, Question.Kind.ATTRIBUTION) not in existing:
            wanted.append(
                (
                    {
                        **base,
                        "kind": Question.Kind.ATTRIBUTION,
                        "skill": Skill.ATTRIBUTION,
                        "prompt": _("Who is making this statement?"),
                        "explanation": _attribution_explanation(annotation),
                    },
                    _attribution_choices(annotation, sources),
                )
            )
        if (annotation.pk, Question.Kind.CLASSIFICATION) not in existing:
            wanted.append(
                (
                    {
                        **base,
                        "kind": Question.Kind.CLASSIFICATION,
                        "skill": Skill.CLAIMS,
                        "prompt": _(
                            "Is this a claim someone makes, a fact the reporter states, or an "
                            "opinion?"
                        ),
                        # The teacher's explanation: it says what kind of statement this is,
                        # and often who made it and how it is sourced as well. Without one,
                        # the same written from the annotation.
                        "explanation": annotation.explanation.strip()
                        or _classification_explanation(annotation),
                    },
                    [
                        {
                            "text": str(label),
                            "is_correct": kind == annotation.kind,
                            "feedback": (_("Right. ") if kind == annotation.kind else "")
                            + str(feedback),
                        }
                        for kind, label, feedback in KIND_CHOICES
                    ],
                )
            )
        if (annotation.pk, Question.Kind.SOURCING) not in existing:
            wanted.append(
                (
                    {
                        **base,
                        "kind": Question.Kind.SOURCING,
                        "skill": Skill.SOURCING,
                        "prompt": _("What backs up this statement?"),
                        "explanation": _sourcing_explanation(annotation),
                    },
                    [
                        {
                            "text": str(label),
                            "is_correct": value == annotation.sourcing,
                            "feedback": sourcing_feedback[value],
                        }
                        for value, label in Annotation.Sourcing.choices
                    ],
                )
            )
        if annotation.has_source_span and (annotation.pk, Question.Kind.EVIDENCE) not in existing:
            wanted.append(
                (
                    {
                        **base,
                        "kind": Question.Kind.EVIDENCE,
                        "skill": Skill.SOURCING,
                        "prompt": _(
                            "Select the words in the article that tell you where this comes from."
                        ),
                        "explanation": _evidence_explanation(annotation),
                    },
                    _evidence_choices(annotation, annotations),
                )
            )
        for fields, choices in wanted:
            _question_create(fields, choices)
            added += 1
    return added
