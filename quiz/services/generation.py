"""Turn a teacher's annotations into questions: the product's central write."""

import random

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
        "A vague collective: a group like “Moscow”, “critics” or “they”, with no person named."
    ),
    Annotation.Sourcing.NONE: gettext_lazy(
        "None given: nothing in the article says where this comes from."
    ),
}


def _base_fields(annotation: Annotation, owner) -> dict:
    return {
        "article": annotation.article,
        "annotation": annotation,
        "statement": annotation.exact,
        "explanation": annotation.explanation,
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


def _source_label(source: Source) -> str:
    if source.description:
        return f"{source.name} ({source.description})"
    return source.name


def _attribution_choices(annotation: Annotation, sources: list[Source]) -> list[dict]:
    outlet_label = str(Annotation.outlet_voice)
    speaker = annotation.speaker
    others = [s for s in sources if speaker is None or s.pk != speaker.pk]
    # Prefer people and bodies of the same kind as the speaker: the plausible confusions.
    if speaker is not None:
        others.sort(key=lambda s: (s.kind != speaker.kind, s.name))
    distractors = _shuffled(others, f"attribution-{annotation.pk}")[:ATTRIBUTION_DISTRACTORS]
    speaker_name = speaker.name if speaker else outlet_label
    choices = [
        {
            "text": _source_label(source),
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
                "text": _source_label(speaker),
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
        candidates.append((abs(other.source_start - answer[0]), other.source_exact))
    distractors = [text for _distance, text in sorted(candidates)[:ATTRIBUTION_DISTRACTORS]]
    speaker = annotation.speaker.name if annotation.speaker else str(Annotation.outlet_voice)
    choices = [
        {
            "text": text,
            "is_correct": False,
            "feedback": _("These words name a source, but not the source of this statement."),
        }
        for text in distractors
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
                    },
                    [
                        {
                            "text": str(label),
                            "is_correct": value == annotation.sourcing,
                            "feedback": str(SOURCING_FEEDBACK[value]),
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
                    },
                    _evidence_choices(annotation, annotations),
                )
            )
        for fields, choices in wanted:
            _question_create(fields, choices)
            added += 1
    return added
