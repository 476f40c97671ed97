"""Item analysis: facility, discrimination and the wrong choices picked per question."""

import math
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from quiz.models import (
    Assignment,
    Attempt,
    Question,
    Response,
)
from quiz.selectors.classes import handed_in

# Item analysis


@dataclass(frozen=True)
class ChoiceCount:
    choice: object | None
    picked: int


@dataclass(frozen=True)
class ItemStats:
    question: object
    position: int
    attempts: int
    answered: int
    unanswered: int
    right: int
    facility: float | None
    discrimination: float | None
    choices: list[ChoiceCount]
    selections: int
    selections_right: int

    @property
    def needs_checking(self) -> bool:
        """Moodle's warning signs: almost nobody gets it right, or the weaker students do."""
        return (self.facility is not None and self.facility < 0.2) or (
            self.discrimination is not None and self.discrimination < 0
        )


@dataclass(frozen=True)
class ItemAnalysis:
    attempts: int
    items: list[ItemStats]


def analysed_attempts(*, assignment: Assignment, now=None) -> QuerySet[Attempt]:
    """First attempts handed in by students of the class: what item analysis looks at."""
    now = now or timezone.now()
    return Attempt.objects.filter(
        handed_in(now),
        assignment=assignment,
        number=1,
        student__enrollments__classroom=assignment.classroom_id,
    )


def pearson(*, n, sx, sy, sxy, sx2, sy2) -> float | None:
    """Pearson's r from the sums; None when either variable does not vary."""
    n, sx, sy, sxy, sx2, sy2 = (float(v) for v in (n, sx, sy, sxy, sx2, sy2))
    spread = (n * sx2 - sx * sx) * (n * sy2 - sy * sy)
    if n < 2 or spread <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(spread)


def item_analysis(*, assignment: Assignment, now=None) -> ItemAnalysis:
    """Facility, discrimination and choice counts per question, Moodle's way.

    Over first attempts only. x is a student's score on the item (0 when not answered), y
    the rest of their quiz score (their total minus x). An unanswered item adds nothing to
    Σx, Σx² or Σxy, so the sums need only the responses given: one grouped query over them
    returns, per question and choice picked, the count, Σx, Σx² and Σx·total; one aggregate
    over the attempts returns n, Σtotal and Σtotal². From these Σy = Σtotal − Σx,
    Σxy = Σx·total − Σx² and Σy² = Σtotal² − 2·Σx·total + Σx², and Python applies
    Pearson's formula once per question.
    """
    attempts = analysed_attempts(assignment=assignment, now=now)
    totals = attempts.aggregate(
        n=Count("pk"), s=Sum("score"), s2=Sum(F("score") * F("score"), output_field=IntegerField())
    )
    n, total, total2 = totals["n"], int(totals["s"] or 0), int(totals["s2"] or 0)
    sums: dict[int, dict[str, int]] = {}
    picked: dict[tuple[int, int | None], dict[str, int]] = {}
    for row in (
        Response.objects.filter(attempt__in=attempts)
        .values("question_id", "choice_id")
        .annotate(
            picked=Count("pk"),
            right=Count("pk", filter=Q(is_correct=True)),
            sx=Sum("points"),
            sx2=Sum(F("points") * F("points"), output_field=IntegerField()),
            sxt=Sum(F("points") * F("attempt__score"), output_field=IntegerField()),
        )
        .order_by()
    ):
        picked[(row["question_id"], row["choice_id"])] = row
        question_sums = sums.setdefault(
            row["question_id"], {"answered": 0, "right": 0, "sx": 0, "sx2": 0, "sxt": 0}
        )
        question_sums["answered"] += row["picked"]
        for key in ("right", "sx", "sx2", "sxt"):
            question_sums[key] += int(row[key] or 0)
    questions = (
        Question.objects.filter(quiz_items__quiz_id=assignment.quiz_id)
        .annotate(position=F("quiz_items__position"))
        .order_by("quiz_items__position", "quiz_items__pk")
        .prefetch_related("choices")
    )
    items = []
    for number, question in enumerate(questions, start=1):
        row = sums.get(question.pk, {"answered": 0, "right": 0, "sx": 0, "sx2": 0, "sxt": 0})
        sx, sx2, sxt = row["sx"], row["sx2"], row["sxt"]
        selections = picked.get((question.pk, None), {"picked": 0, "right": 0})
        items.append(
            ItemStats(
                question=question,
                position=number,
                attempts=n,
                answered=row["answered"],
                unanswered=n - row["answered"],
                right=row["right"],
                facility=sx / (question.points * n) if n and question.points else None,
                discrimination=pearson(
                    n=n,
                    sx=sx,
                    sy=total - sx,
                    sxy=sxt - sx2,
                    sx2=sx2,
                    sy2=total2 - 2 * sxt + sx2,
                ),
                choices=[
                    ChoiceCount(
                        choice=choice,
                        picked=picked.get((question.pk, choice.pk), {"picked": 0})["picked"],
                    )
                    for choice in question.choices.all()
                ],
                selections=selections["picked"],
                selections_right=selections["right"],
            )
        )
    return ItemAnalysis(attempts=n if items else 0, items=items)
