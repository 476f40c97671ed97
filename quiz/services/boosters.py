"""Boosters: making the practice sets that fall due after an assignment closes, and
answering them."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from quiz.models import (
    Assignment,
    Attempt,
    Booster,
    BoosterItem,
    Question,
    Skill,
)
from quiz.selectors import handed_in, item_bank, skill_estimates
from quiz.services.attempts import Answer, Refusal, Submission, answer_grade

BOOSTER_SIZE = 5
WEAKEST_SKILL_ITEMS = 3
LEVEL_MIN, LEVEL_MAX = -2, 2
# The previous booster's share right that moves the level up, or down.
LEVEL_UP_AT = 0.8
LEVEL_DOWN_AT = 0.4
# The facility a booster aims at, on level 0; each level up aims 0.1 lower (harder).
TARGET_FACILITY = 0.7
TARGET_STEP = 0.1


# Choosing a booster's questions


def booster_level(*, student) -> int:
    """The difficulty level of the student's next booster, from their last finished one:
    one up after LEVEL_UP_AT or more right, one down after LEVEL_DOWN_AT or less, in
    [LEVEL_MIN, LEVEL_MAX]; 0 for a first booster."""
    previous = (
        Booster.objects.filter(student=student, finished_at__isnull=False)
        .annotate(
            answered=Count("items", filter=Q(items__answered_at__isnull=False)),
            right=Count("items", filter=Q(items__is_correct=True)),
        )
        .order_by("-finished_at", "-pk")
        .values("level", "answered", "right")
        .first()
    )
    if previous is None or not previous["answered"]:
        return 0
    share = previous["right"] / previous["answered"]
    level = previous["level"]
    if share >= LEVEL_UP_AT:
        level += 1
    elif share <= LEVEL_DOWN_AT:
        level -= 1
    return max(LEVEL_MIN, min(LEVEL_MAX, level))


def weakest_skill(estimates: dict[str, float]) -> str:
    """The skill with the lowest estimate; on a tie, the first in Skill's order."""
    order = list(Skill.values)
    return min(estimates, key=lambda skill: (estimates[skill], order.index(skill)))


def items_interleave(questions: list[Question]) -> list[Question]:
    """Order the questions so that a skill does not follow itself where another can go
    between (so never three in a row while others are left): at each place, of the skills
    other than the last one, the one with the most questions left (on a tie, the first
    chosen), keeping each skill's questions in their order."""
    left: dict[str, list[Question]] = {}
    for question in questions:
        left.setdefault(question.skill, []).append(question)
    ordered: list[Question] = []
    while any(left.values()):
        last = ordered[-1].skill if ordered else None
        waiting = [skill for skill, qs in left.items() if qs]
        candidates = [skill for skill in waiting if skill != last] or waiting
        skill = max(candidates, key=lambda s: len(left[s]))
        ordered.append(left[skill].pop(0))
    return ordered


def booster_questions_choose(
    bank: list[Question],
    *,
    weakest: str,
    level: int,
    reading_grade: float | None = None,
    size: int = BOOSTER_SIZE,
) -> list[Question]:
    """Choose up to `size` questions from the bank (annotated with `facility` and their
    article's `reading_grade`), in order.

    WEAKEST_SKILL_ITEMS on the weakest skill and the rest from the other skills, taken in
    turn; each skill's nearest the level's target facility first and, between those alike,
    the ones whose article reads nearest `reading_grade` (the assignment's articles'). Short of
    questions on one side, the other fills in; a smaller bank gives a shorter booster.
    """
    target = TARGET_FACILITY - TARGET_STEP * level

    def fit(question: Question) -> tuple:
        grade = getattr(question, "reading_grade", None)
        distance = abs(grade - reading_grade) if None not in (grade, reading_grade) else 0.0
        return (round(abs(question.facility - target), 2), round(distance), question.pk)

    by_skill: dict[str, list[Question]] = {}
    for question in sorted(bank, key=fit):
        by_skill.setdefault(question.skill, []).append(question)
    chosen = by_skill.get(weakest, [])[:WEAKEST_SKILL_ITEMS]
    others = [by_skill[skill] for skill in Skill.values if skill != weakest and skill in by_skill]
    taken = [0] * len(others)
    while len(chosen) < size and any(t < len(qs) for t, qs in zip(taken, others, strict=True)):
        for index, questions in enumerate(others):
            if len(chosen) < size and taken[index] < len(questions):
                chosen.append(questions[taken[index]])
                taken[index] += 1
    spare = [q for q in by_skill.get(weakest, []) if q not in chosen]
    chosen.extend(spare[: size - len(chosen)])
    return items_interleave(chosen)


# Scheduling


def booster_slot_due(assignment: Assignment, now) -> tuple[int, object] | None:
    """The latest booster slot of the assignment due at `now` and its due time, if any."""
    closes_at = assignment.closes_at()
    if not assignment.boosters or closes_at is None:
        return None
    due = None
    for slot, days in enumerate(assignment.booster_offsets(), start=1):
        due_at = closes_at + timedelta(days=days)
        if due_at <= now:
            due = (slot, due_at)
    return due


def assignment_reading_grade(assignment: Assignment) -> float | None:
    """The mean reading level of the articles the assignment's quiz asks about."""
    return Article.objects.filter(questions__quiz_items__quiz=assignment.quiz_id).aggregate(
        grade=Avg("reading_grade")
    )["grade"]


def _booster_create(*, student, assignment: Assignment, slot: int, due_at, now) -> Booster | None:
    """Make one booster with its questions, or none when the bank is empty or another run
    made it first."""
    skill = weakest_skill(skill_estimates(student=student, classroom=assignment.classroom))
    level = booster_level(student=student)
    bank = list(item_bank(student=student, classroom=assignment.classroom, now=now))
    questions = booster_questions_choose(
        bank, weakest=skill, level=level, reading_grade=assignment_reading_grade(assignment)
    )
    if not questions:
        return None
    booster = Booster(
        student=student, assignment=assignment, slot=slot, due_at=due_at, skill=skill, level=level
    )
    booster.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint: a concurrent run that made this booster first leaves this one undone,
        # with its items, and the rest of the run goes on.
        with transaction.atomic():
            booster.save()
            BoosterItem.objects.bulk_create(
                BoosterItem(booster=booster, question=question, position=position)
                for position, question in enumerate(questions, start=1)
            )
    except IntegrityError:
        return None
    return booster


def boosters_create_due(*, now=None, assignments=None) -> int:
    """Make every booster due at `now` that is not made yet; return how many were made.

    For each assignment with boosters on that has closed, the latest slot due (older missed
    slots are skipped), for each student in the class who handed it in and has no booster in
    that slot. Idempotent, and safe to run concurrently: the unique (student, assignment,
    slot) makes a second run's booster fail, and each booster is its own transaction.
    `assignments` narrows the run to those (the demo builds its past this way).
    """
    now = now or timezone.now()
    candidates = (
        Assignment.objects.all()
        if assignments is None
        else Assignment.objects.filter(pk__in=[a.pk for a in assignments])
    )
    candidates = (
        candidates.filter(boosters=True)
        .filter(Q(closed_at__lte=now) | Q(closed_at__isnull=True, due_at__lte=now))
        .select_related("classroom")
        .order_by("pk")
    )
    made = 0
    for assignment in candidates:
        slot_due = booster_slot_due(assignment, now)
        if slot_due is None:
            continue
        slot, due_at = slot_due
        students = (
            Attempt.objects.filter(
                handed_in(now),
                assignment=assignment,
                student__enrollments__classroom=assignment.classroom_id,
            )
            .exclude(
                Exists(
                    Booster.objects.filter(
                        student=OuterRef("student"), assignment=assignment, slot=slot
                    )
                )
            )
            .values_list("student", flat=True)
            .distinct()
            .order_by("student")
        )
        for student in get_user_model().objects.filter(pk__in=list(students)).order_by("pk"):
            if _booster_create(
                student=student, assignment=assignment, slot=slot, due_at=due_at, now=now
            ):
                made += 1
    return made


# Answering


@transaction.atomic
def booster_answer(
    *, booster_id: int, student, question_id: int, answer: Answer, now=None
) -> Submission:
    """Record and grade the student's answer to one of their booster's questions, once.

    What came of it is told as for a quiz's answer (`Submission`), the booster's item standing
    as the response (its fields are named alike); there is no attempt.

    The booster row is locked while the answer is stored; the booster is finished when its
    last question is answered. The same answer sent again returns the stored one; a
    different one is refused.
    """
    boosters = Booster.objects.select_related("assignment").filter(
        student=student, assignment__classroom__enrollments__student=student
    )
    booster, item = set_item_locked(boosters, booster_id, question_id)
    if item is None:
        return Submission(refusal=Refusal.NOT_FOUND)
    now = now or timezone.now()
    submission = item_answer_record(item=item, answer=answer, now=now)
    if not submission.created:
        return submission
    if not booster.items.filter(answered_at__isnull=True).exists():
        booster.finished_at = now
        booster.save(update_fields=["finished_at"])
    return submission


def set_item_locked(sets, pk: int, question_id: int):
    """Lock the practice or test set `pk` among `sets` (the student's own: boosters or
    sittings) and return it with its item for the question, fetched with the question and its
    article; the item is None when either is not there. Call it inside a transaction."""
    owner = sets.select_for_update(of=("self",)).filter(pk=pk).first()
    if owner is None:
        return None, None
    item = owner.items.select_related("question__article").filter(question_id=question_id).first()
    return owner, item


def item_answer_record(
    *, item, answer: Answer, now, refused: tuple[Refusal, str] | None = None
) -> Submission:
    """Grade and store the answer to a practice or test item (a `BoosterItem` or a
    `SittingItem`, fetched with its question and article, its set locked by the caller), once.

    The same answer sent again returns the stored one and a different one is refused, whatever
    `refused` says; an unanswered item is refused with `refused` (why no answer may be stored
    now) when it is given. The item stands as the response of the `Submission`.
    """
    question = item.question
    choices = list(question.choices.order_by("position", "pk"))
    shown = {"question": question, "choices": choices, "response": item}
    if refused is not None and not item.is_answered:
        return Submission(*refused, **shown)
    try:
        choice, is_correct = answer_grade(question=question, answer=answer, choices=choices)
    except ValidationError as error:
        return Submission(refusal=Refusal(error.code), message=" ".join(error.messages), **shown)
    if item.is_answered:
        if answer.matches(item):
            return Submission(**shown)
        return Submission(
            refusal=Refusal.ALREADY_ANSWERED,
            message=_("You have already answered this question; your first answer stands."),
            **shown,
        )
    item.choice = choice
    item.selected_start = answer.start if choice is None else None
    item.selected_end = answer.end if choice is None else None
    item.is_correct = is_correct
    item.answered_at = now
    item.save(
        update_fields=["choice", "selected_start", "selected_end", "is_correct", "answered_at"]
    )
    return Submission(created=True, **shown)
