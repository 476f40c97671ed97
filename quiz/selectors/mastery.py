"""Skill mastery: each student's share of right answers per skill."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import (
    Count,
    F,
    QuerySet,
    Sum,
)
from django.utils import timezone

from quiz.models import (
    Attempt,
    Classroom,
    QuizQuestion,
    Skill,
)
from quiz.selectors.classes import attempts_in_class, counted_attempt, enrolled_students
from quiz.selectors.gradebook import students_page

# Skill mastery


@dataclass(frozen=True)
class SkillShare:
    skill: str
    label: str
    asked: int
    right: int
    percent: float | None


def _share(skill: Skill, asked: int, right: int) -> SkillShare:
    return SkillShare(
        skill=skill.value,
        label=skill.label,
        asked=asked,
        right=right,
        percent=100.0 * right / asked if asked else None,
    )


def _shares(rows, asked_per_quiz: dict[int, dict[str, int]]) -> list[SkillShare]:
    """Add up rows of (quiz, attempts, right answers per skill) into one share per skill.

    Every counted attempt at a quiz asks each of the quiz's questions once, so a skill's
    questions asked are the attempts times the quiz's questions of that skill.
    """
    asked = dict.fromkeys(Skill, 0)
    right = dict.fromkeys(Skill, 0)
    for row in rows:
        in_quiz = asked_per_quiz.get(row["quiz_id"], {})
        for skill in Skill:
            asked[skill] += row["attempts"] * in_quiz.get(skill.value, 0)
            right[skill] += row[Attempt.right_field(skill)]
    return [_share(skill, asked[skill], right[skill]) for skill in Skill]


def _skill_totals(attempts: QuerySet[Attempt], *group) -> QuerySet:
    """Per quiz (and per any `group` fields): counted attempts and their right answers summed."""
    return (
        attempts.values(*group, quiz_id=F("assignment__quiz"))
        .annotate(
            attempts=Count("pk"),
            **{Attempt.right_field(skill): Sum(Attempt.right_field(skill)) for skill in Skill},
        )
        .order_by()
    )


@dataclass(frozen=True)
class Mastery:
    classroom: list[SkillShare]
    students: list[tuple[object, list[SkillShare]]]
    # The page of students listed; None when every student (or the one asked for) is.
    page: Page | None = None


def skill_mastery(
    *,
    classroom: Classroom,
    student=None,
    page: int = 1,
    per_page: int | None = None,
    now=None,
) -> Mastery:
    """Share right per skill over every counted attempt, for the class and each student.

    Questions left unanswered in a handed-in attempt count as asked and not right. Right
    answers come from the counters each attempt keeps per skill; questions asked from the
    number of each quiz's questions per skill. Lists every student (or only `student`), or
    pages of `per_page` of them. A constant number of queries whatever the size of the
    class: the questions per skill of the class's quizzes, the students (two queries when
    paged), the listed students' totals per quiz and, when they are a page of the class, the
    class's totals per quiz.
    """
    now = now or timezone.now()
    attempts = attempts_in_class(classroom).filter(
        counted_attempt(policy=classroom.score_policy, now=now)
    )
    students = enrolled_students(classroom=classroom)
    if student is not None:
        attempts = attempts.filter(student=student)
        students = students.filter(pk=student.pk)
    asked_per_quiz: dict[int, dict[str, int]] = {}
    for row in (
        QuizQuestion.objects.filter(quiz__in=classroom.assignments.values("quiz"))
        .values("quiz_id", skill=F("question__skill"))
        .annotate(questions=Count("pk"))
        .order_by()
    ):
        asked_per_quiz.setdefault(row["quiz_id"], {})[row["skill"]] = row["questions"]
    if per_page is None:
        listed, page_of = list(students), None
        # Everyone asked about is listed, so the class's figures add up their rows.
        rows = class_rows = list(_skill_totals(attempts, "student_id"))
    else:
        page_of = students_page(students, number=page, per_page=per_page)
        listed = page_of.object_list
        # The class's figures are over every student, not only the page's.
        class_rows = list(_skill_totals(attempts))
        page_attempts = attempts.filter(student__in=[s.pk for s in listed])
        rows = list(_skill_totals(page_attempts, "student_id"))
    per_student: dict[int, list] = {}
    for row in rows:
        per_student.setdefault(row["student_id"], []).append(row)
    return Mastery(
        classroom=_shares(class_rows, asked_per_quiz),
        students=[(s, _shares(per_student.get(s.pk, []), asked_per_quiz)) for s in listed],
        page=page_of,
    )
