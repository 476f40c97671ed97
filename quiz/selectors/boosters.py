"""Boosters: what a student knows per skill, the questions a practice set may draw on, the sets
due, and how each skill holds up after the assignment (for the student and the class)."""

from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz.models import (
    AnsweredItem,
    Assignment,
    Attempt,
    Booster,
    BoosterItem,
    Classroom,
    Enrollment,
    Question,
    Response,
    Skill,
    assignment_closed_q,
)
from quiz.selectors.classes import SubqueryCount, handed_in, percent_of
from quiz.selectors.mastery import skill_mastery

BOOSTER_MINUTES_PER_ITEM = 0.6  # "about 3 minutes" for 5
# How many answers the estimate of a skill trusts its prior for: (right + K*prior) / (asked + K).
SHRINKAGE_ANSWERS = 5
SKILL_PRIOR = 0.6  # when the class has no answers on a skill either
# A question the student saw this recently is not drawn again.
SEEN_WITHIN = timedelta(days=28)
# A question's facility is its share right once it has this many answers; before, its kind's.
FACILITY_MIN_ANSWERS = 10
FACILITY_BY_KIND = {
    Question.Kind.ATTRIBUTION: 0.75,
    Question.Kind.CLASSIFICATION: 0.65,
    Question.Kind.MULTIPLE_CHOICE: 0.65,
    Question.Kind.SOURCING: 0.6,
    Question.Kind.EVIDENCE: 0.55,
}
FACILITY_DEFAULT = 0.65
PRACTICE_SLUG_PREFIX = "practice-"
# A student is slipping when their latest booster's share on its skill is this many points
# below their share on the skill in the class's assignments.
SLIPPING_POINTS = 20.0


def _booster_items_in_class(classroom: Classroom) -> QuerySet[BoosterItem]:
    """Answered items of boosters on the class's assignments, by students still in the class."""
    return BoosterItem.objects.filter(
        answered_at__isnull=False,
        booster__assignment__classroom=classroom,
        booster__student_id__in=Enrollment.objects.filter(classroom=classroom).values("student_id"),
    )


def skill_estimates(*, student, classroom: Classroom) -> dict[str, float]:
    """The student's share right per skill (0 to 1), shrunk towards the class's.

    (right + K * prior) / (answered + K) with K = SHRINKAGE_ANSWERS, over the student's counted
    attempts in the class and the booster items they answered; the prior is the class's share
    on the skill in its assignments, or SKILL_PRIOR when the class has no answers on it.
    """
    mastery = skill_mastery(classroom=classroom)
    priors = {
        share.skill: share.right / share.asked if share.asked else SKILL_PRIOR
        for share in mastery.classroom
    }
    counts = {skill.value: [0, 0] for skill in Skill}  # right, asked
    for listed, shares in mastery.students:
        if listed.pk == student.pk:
            for share in shares:
                counts[share.skill] = [share.right, share.asked]
    for row in (
        _booster_items_in_class(classroom)
        .filter(booster__student=student)
        .values(skill=F("question__skill"))
        .annotate(asked=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by()
    ):
        if row["skill"] in counts:
            counts[row["skill"]][0] += row["right"]
            counts[row["skill"]][1] += row["asked"]
    k = SHRINKAGE_ANSWERS
    return {
        skill: (right + k * priors[skill]) / (asked + k) for skill, (right, asked) in counts.items()
    }


def _facility():
    """A question's share right over every answer (responses and booster items) once it has
    FACILITY_MIN_ANSWERS of them, else the prior of its kind; 0 to 1, in SQL."""
    answered_items = BoosterItem.objects.filter(question=OuterRef("pk"), answered_at__isnull=False)
    responses = Response.objects.filter(question=OuterRef("pk"))
    answers = SubqueryCount(responses) + SubqueryCount(answered_items)
    right = SubqueryCount(responses.filter(is_correct=True)) + SubqueryCount(
        answered_items.filter(is_correct=True)
    )
    by_kind = Case(
        *(When(kind=kind, then=Value(prior)) for kind, prior in FACILITY_BY_KIND.items()),
        default=Value(FACILITY_DEFAULT),
        output_field=FloatField(),
    )
    return Case(
        When(Q(answers__gte=FACILITY_MIN_ANSWERS), then=percent_of(right, answers) / 100.0),
        default=by_kind,
        output_field=FloatField(),
    ), answers


def unspoiled_articles_q(*, student, now) -> Q:
    """Questions on no article of a quiz assigned in one of the student's classes that is
    still to come or open for them and that they have not handed in."""
    handed_in_by_student = Attempt.objects.filter(
        handed_in(now), assignment=OuterRef("pk"), student=student
    )
    pending = (
        Assignment.objects.filter(classroom__enrollments__student=student)
        .exclude(assignment_closed_q(now, student=student))
        .exclude(Exists(handed_in_by_student))
    )
    articles = Question.objects.filter(
        quiz_items__quiz__assignments__in=pending, article__isnull=False
    ).values("article")
    return ~Q(article__in=articles)


def item_bank(*, student, classroom: Classroom, now=None) -> QuerySet[Question]:
    """The questions a booster for the student may draw on, each annotated with `facility`
    and its article's `reading_grade`.

    Questions on published articles the class's teachers own or on the practice library's;
    none the student met in the last SEEN_WITHIN (answered in an attempt, or in a booster);
    none that would spoil an assignment they still have to do.
    """
    now = now or timezone.now()
    since = now - SEEN_WITHIN
    seen_in_attempts = Response.objects.filter(
        attempt__student=student, answered_at__gte=since
    ).values("question")
    seen_in_boosters = BoosterItem.objects.filter(
        booster__student=student, booster__created_at__gte=since
    ).values("question")
    facility, answers = _facility()
    return (
        Question.objects.filter(
            Q(article__owner__in=classroom.teachers.values("pk"))
            | Q(article__slug__startswith=PRACTICE_SLUG_PREFIX),
            article__status="published",
        )
        .filter(unspoiled_articles_q(student=student, now=now))
        .exclude(pk__in=seen_in_attempts)
        .exclude(pk__in=seen_in_boosters)
        .annotate(answers=answers, facility=facility, reading_grade=F("article__reading_grade"))
        .order_by("pk")
    )


def booster_items(*, booster: Booster) -> list[BoosterItem]:
    """The booster's items in order, with their question, its article and its choices."""
    return list(
        booster.items.select_related("question__article")
        .prefetch_related("question__choices")
        .order_by("position", "pk")
    )


def boosters_due_for(*, student, now=None) -> list[Booster]:
    """The student's unfinished boosters that are due, in classes they are still in, oldest
    first, each with `item_count` and `answered_count`."""
    now = now or timezone.now()
    return list(
        Booster.objects.filter(
            student=student,
            finished_at__isnull=True,
            due_at__lte=now,
            assignment__classroom__enrollments__student=student,
        )
        .select_related("assignment__quiz", "assignment__classroom")
        .annotate(**AnsweredItem.progress())
        .order_by("due_at", "pk")
    )


def _slot_label(slot: int) -> str:
    return _("Booster %(slot)d") % {"slot": slot}


def _booster_shares(items: QuerySet[BoosterItem], *group) -> QuerySet:
    """Answered items per booster slot and skill (and `group`): answers, right, percent."""
    return (
        items.values(*group, slot=F("booster__slot"), skill=F("question__skill"))
        .annotate(
            answers=Count("pk"),
            right=Count("pk", filter=Q(is_correct=True)),
        )
        .annotate(percent=percent_of(F("right"), F("answers")))
        .order_by()
    )


def student_skill_trend(*, student, classroom: Classroom) -> list[dict]:
    """Per skill, the student's percent right in the class's assignments, then in their
    boosters by slot: {"skill", "label", "points": [(label, percent or None), ...]}."""
    shares = skill_mastery(classroom=classroom, student=student).classroom
    rows = list(
        _booster_shares(_booster_items_in_class(classroom).filter(booster__student=student))
    )
    slots = range(1, max((row["slot"] for row in rows), default=0) + 1)
    by_point = {(row["slot"], row["skill"]): row["percent"] for row in rows}
    return [
        {
            "skill": share.skill,
            "label": share.label,
            "points": [(_("Assignments"), share.percent)]
            + [(_slot_label(slot), by_point.get((slot, share.skill))) for slot in slots],
        }
        for share in shares
    ]


class TrendPoint(NamedTuple):
    label: str
    percent: float | None  # share right, 0 to 100; None with no answers
    answers: int


@dataclass(frozen=True)
class SkillTrend:
    skill: str
    label: str
    points: list[TrendPoint]  # "Assignments", then "Booster 1", "Booster 2", ...


class Slipping(NamedTuple):
    student: object
    skill: str
    before: float  # percent right on the skill in the class's assignments
    after: float  # percent right on it in their latest booster

    @property
    def skill_label(self) -> str:
        return Skill(self.skill).label


@dataclass(frozen=True)
class ClassBoosterTrend:
    due: int  # boosters due so far, for students in the class
    finished: int  # of those, finished
    labels: list[str]  # the points of every trend: "Assignments", "Booster 1", ...
    skills: list[SkillTrend]
    slipping: list[Slipping]  # those who fell furthest first

    @property
    def completion(self) -> tuple[int, int]:
        return self.due, self.finished


def class_booster_trend(*, classroom: Classroom, now=None) -> ClassBoosterTrend:
    """How each skill holds after the class's assignments: the class's percent right in the
    assignments, then in boosters by slot; how many boosters are due and finished; and the
    students slipping (their latest finished booster at least SLIPPING_POINTS below their
    assignments on its skill).

    A constant number of queries whatever the size of the class: skill mastery's, the
    booster counts, the shares per slot, the latest booster's share per student, and the
    booster days of the class's assignments.
    """
    now = now or timezone.now()
    mastery = skill_mastery(classroom=classroom, now=now)
    boosters = Booster.objects.filter(
        assignment__classroom=classroom, student__enrollments__classroom=classroom
    )
    completion = boosters.filter(due_at__lte=now).aggregate(
        due=Count("pk"), finished=Count("pk", filter=Q(finished_at__isnull=False))
    )
    items = _booster_items_in_class(classroom)
    rows = list(_booster_shares(items))
    most_days = max(
        (
            len(Assignment(booster_days=days).booster_offsets())
            for days in classroom.assignments.filter(boosters=True).values_list(
                "booster_days", flat=True
            )
        ),
        default=0,
    )
    slots = range(1, max([most_days, *(row["slot"] for row in rows)]) + 1)
    by_point = {(row["slot"], row["skill"]): row for row in rows}
    labels = [_("Assignments"), *(_slot_label(slot) for slot in slots)]
    skills = []
    for share in mastery.classroom:
        points = [TrendPoint(labels[0], share.percent, share.asked)]
        for slot in slots:
            row = by_point.get((slot, share.skill))
            points.append(
                TrendPoint(
                    _slot_label(slot),
                    row["percent"] if row else None,
                    row["answers"] if row else 0,
                )
            )
        skills.append(SkillTrend(share.skill, share.label, points))
    # Each student's latest finished booster, and their share right on the skill it targets.
    latest_boosters = boosters.filter(finished_at__isnull=False).annotate(
        recency=Window(
            RowNumber(), partition_by=[F("student")], order_by=[F("due_at").desc(), F("pk").desc()]
        )
    )
    latest = {
        row["student_id"]: row
        for row in items.filter(
            booster__in=latest_boosters.filter(recency=1).values("pk"),
            question__skill=F("booster__skill"),
        )
        .values(student_id=F("booster__student"), skill=F("booster__skill"))
        .annotate(answers=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .annotate(percent=percent_of(F("right"), F("answers")))
        .order_by()
    }
    slipping = []
    for student, shares in mastery.students:
        row = latest.get(student.pk)
        if row is None:
            continue
        before = next((s.percent for s in shares if s.skill == row["skill"]), None)
        if before is not None and row["percent"] <= before - SLIPPING_POINTS:
            slipping.append(Slipping(student, row["skill"], before, row["percent"]))
    # Those who fell furthest first (the roster's order among equals: the sort is stable).
    slipping.sort(key=lambda row: row.after - row.before)
    return ClassBoosterTrend(
        due=completion["due"],
        finished=completion["finished"],
        labels=labels,
        skills=skills,
        slipping=slipping,
    )
