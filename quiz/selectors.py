"""Reads for the student's and the teacher's pages, with the arithmetic in SQL."""

import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Least, NullIf
from django.utils import timezone

from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Enrollment,
    Question,
    QuizQuestion,
    Response,
    Skill,
    assignment_closed_q,
)


def student_classrooms(*, student) -> QuerySet[Classroom]:
    """The student's classes, each with how many assignments are open now."""
    open_now = Assignment.objects.open_now()
    return (
        Classroom.objects.filter(enrollments__student=student)
        .annotate(
            open_assignments=Count(
                "assignments", filter=Q(assignments__in=open_now.values("pk")), distinct=True
            )
        )
        .order_by("name")
    )


def student_assignments(*, classroom: Classroom, student) -> QuerySet[Assignment]:
    """A class's assignments with the student's attempts summarised on each."""
    mine = Attempt.objects.filter(assignment=OuterRef("pk"), student=student)
    return (
        classroom.assignments.select_related("quiz")
        .annotate(
            my_attempts=Count("attempts", filter=Q(attempts__student=student), distinct=True),
            my_best=Max("attempts__score", filter=Q(attempts__student=student)),
            in_progress=Exists(mine.filter(submitted_at__isnull=True)),
            question_count=Count("quiz__items", distinct=True),
        )
        .order_by("-opens_at", "pk")
    )


def quiz_question_ids(*, quiz_id: int) -> list[int]:
    return list(
        QuizQuestion.objects.filter(quiz_id=quiz_id)
        .order_by("position", "pk")
        .values_list("question_id", flat=True)
    )


def attempt_responses(*, attempt: Attempt) -> dict[int, Response]:
    return {r.question_id: r for r in Response.objects.filter(attempt=attempt)}


def attempt_skill_breakdown(*, attempt: Attempt) -> list[dict]:
    """Per skill: questions in the quiz, how many the attempt answered, and how many right."""
    totals = {
        row["question__skill"]: row["questions"]
        for row in QuizQuestion.objects.filter(quiz_id=attempt.assignment.quiz_id)
        .values("question__skill")
        .annotate(questions=Count("pk"))
    }
    answered = {
        row["question__skill"]: row
        for row in Response.objects.filter(attempt=attempt)
        .values("question__skill")
        .annotate(answered=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
    }
    breakdown = []
    for skill in Skill:
        questions = totals.get(skill.value, 0)
        if not questions:
            continue
        row = answered.get(skill.value, {"answered": 0, "right": 0})
        breakdown.append(
            {
                "skill": skill.value,
                "label": skill.label,
                "questions": questions,
                "answered": row["answered"],
                "right": row["right"],
                "percent": round(100 * row["right"] / questions),
            }
        )
    return breakdown


# Teachers: what a teacher may see, and the class's numbers, all counted in SQL.


class SubqueryCount(Subquery):
    """COUNT(*) of a subquery, so a list can carry counts without joining everything."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def classrooms_taught(*, teacher) -> QuerySet[Classroom]:
    """The classes a teacher may see: the ones they teach (superusers see every class)."""
    if teacher.is_superuser:
        return Classroom.objects.all()
    return Classroom.objects.filter(teachers=teacher)


def enrolled_students(*, classroom: Classroom) -> QuerySet:
    """The class's students, in roster order."""
    return (
        get_user_model()
        .objects.filter(enrollments__classroom=classroom)
        .order_by("last_name", "first_name", "username")
    )


def _percent(part, whole):
    """part as a percentage of whole, computed by the database; NULL when whole is 0."""
    return ExpressionWrapper(
        Cast(part, FloatField()) * 100.0 / NullIf(Cast(whole, FloatField()), 0.0),
        output_field=FloatField(),
    )


def handed_in(now) -> Q:
    """An attempt counts once the student finished it, or once its assignment has closed."""
    return Q(submitted_at__isnull=False) | assignment_closed_q(now, prefix="assignment__")


def counted_attempt(*, policy: str, now) -> Q:
    """The one attempt per student and assignment that the gradebook shows.

    Under the "best" policy it is the handed-in attempt with the highest score (the later one
    on a tie); under "latest" it is the last one handed in. Written as "no rival beats it" so
    that it is a filter, usable in WHERE and inside aggregates alike.
    """
    rivals = Attempt.objects.filter(
        handed_in(now), student=OuterRef("student"), assignment=OuterRef("assignment")
    )
    if policy == Classroom.ScorePolicy.LATEST:
        rivals = rivals.filter(number__gt=OuterRef("number"))
    else:
        rivals = rivals.filter(
            Q(score__gt=OuterRef("score"))
            | Q(score=OuterRef("score"), number__gt=OuterRef("number"))
        )
    return handed_in(now) & Q(~Exists(rivals))


def _class_attempts(classroom: Classroom) -> QuerySet[Attempt]:
    """Attempts at the class's assignments by students still in the class."""
    return Attempt.objects.filter(
        assignment__classroom=classroom, student__enrollments__classroom=classroom
    )


def teacher_classrooms(*, teacher) -> QuerySet[Classroom]:
    """The teacher's classes with their student, assignment and open-assignment counts."""
    open_now = Assignment.objects.open_now()
    return (
        classrooms_taught(teacher=teacher)
        .annotate(
            student_count=SubqueryCount(Enrollment.objects.filter(classroom=OuterRef("pk"))),
            assignment_count=SubqueryCount(Assignment.objects.filter(classroom=OuterRef("pk"))),
            open_count=SubqueryCount(open_now.filter(classroom=OuterRef("pk"))),
        )
        .order_by("name", "pk")
    )


def teacher_open_assignments(*, teacher, now=None) -> QuerySet[Assignment]:
    """Assignments open now in the teacher's classes, with who has started and finished."""
    now = now or timezone.now()
    attempts = Attempt.objects.filter(
        assignment=OuterRef("pk"), student__enrollments__classroom=OuterRef("classroom")
    )
    return (
        Assignment.objects.open_now(now)
        .filter(classroom__in=classrooms_taught(teacher=teacher))
        .select_related("quiz", "classroom")
        .annotate(
            student_count=SubqueryCount(Enrollment.objects.filter(classroom=OuterRef("classroom"))),
            finished_count=SubqueryCount(
                attempts.filter(handed_in(now)).values("student").distinct()
            ),
            working_count=SubqueryCount(
                attempts.exclude(handed_in(now)).values("student").distinct()
            ),
        )
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def teacher_recent_activity(*, teacher, limit: int = 8) -> QuerySet[Attempt]:
    """The latest attempts handed in across the teacher's classes."""
    return (
        Attempt.objects.filter(
            submitted_at__isnull=False,
            assignment__classroom__in=classrooms_taught(teacher=teacher),
            student__enrollments__classroom=F("assignment__classroom"),
        )
        .select_related("student", "assignment__quiz", "assignment__classroom")
        .order_by("-submitted_at", "-pk")[:limit]
    )


def roster(*, classroom: Classroom) -> QuerySet:
    """The class's students with how many of its assignments each has handed in."""
    now = timezone.now()
    return enrolled_students(classroom=classroom).annotate(
        handed_in_count=SubqueryCount(
            Attempt.objects.filter(
                handed_in(now), student=OuterRef("pk"), assignment__classroom=classroom
            )
            .values("assignment")
            .distinct()
        ),
        joined_at=F("enrollments__joined_at"),
    )


# Gradebook

# Students a gradebook or mastery page shows at a time: a page of cells stays small to build
# and to read, whatever the size of the class.
STUDENTS_PER_PAGE = 50


def students_page(students: QuerySet, *, number: int, per_page: int) -> Page:
    """One page of an ordered list of students; a number out of range gets the nearest page.

    Counts the students in one query and fetches the page with LIMIT/OFFSET in another.
    """
    paginator = Paginator(students, per_page)
    page = paginator.page(min(max(number, 1), paginator.num_pages))
    page.object_list = list(page.object_list)
    return page


class CellStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    LATE = "late"
    DONE = "done"


@dataclass(frozen=True)
class GradebookCell:
    status: str
    score: int | None = None
    out_of: int | None = None
    percent: float | None = None
    answered: int | None = None
    attempts: int = 0


@dataclass(frozen=True)
class GradebookRow:
    student: object
    overall: float | None
    cells: list[GradebookCell]


@dataclass(frozen=True)
class Gradebook:
    assignments: list[Assignment]
    rows: list[GradebookRow]
    sort: str
    # The page of students the rows are; None when the rows are the whole class.
    page: Page | None = None


GRADEBOOK_SORTS = ("name", "-name", "overall", "-overall")


def gradebook_sort_normalise(sort: str, assignment_ids) -> str:
    """Return a known sort key: a name/overall key or "[-]a<assignment id>"; else "name"."""
    if sort in GRADEBOOK_SORTS:
        return sort
    key = sort.removeprefix("-")
    if key.startswith("a") and key[1:].isdigit() and int(key[1:]) in set(assignment_ids):
        return sort
    return "name"


def gradebook(
    *,
    classroom: Classroom,
    sort: str = "name",
    page: int = 1,
    per_page: int | None = STUDENTS_PER_PAGE,
    now=None,
) -> Gradebook:
    """Students × assignments, each cell the counted score and its status, sorted in SQL.

    The class is sorted as a whole in the database and cut into pages of `per_page` students
    (all of them when it is None); cells are fetched for the page's students only, while the
    class averages stay over the whole class. Five queries whatever the size of the class:
    the assignments, their class averages, the number of students, the page of students
    (with their overall share and the sort key), and one grouped query for its cells.
    """
    now = now or timezone.now()
    counted = counted_attempt(policy=classroom.score_policy, now=now)
    class_attempts = _class_attempts(classroom)
    assignments = list(
        classroom.assignments.select_related("quiz")
        .annotate(question_count=SubqueryCount(QuizQuestion.objects.filter(quiz=OuterRef("quiz"))))
        .order_by("opens_at", "pk")
    )
    # One pass over the class's attempts for every average, rather than one per assignment.
    averages = dict(
        class_attempts.filter(counted, max_score__gt=0)
        .values("assignment_id")
        .annotate(average=Avg(_percent(F("score"), F("max_score"))))
        .values_list("assignment_id", "average")
        .order_by()
    )
    for assignment in assignments:
        assignment.average = averages.get(assignment.pk)
    sort = gradebook_sort_normalise(sort, [a.pk for a in assignments])
    students = enrolled_students(classroom=classroom).annotate(
        overall=Subquery(
            Attempt.objects.filter(counted, student=OuterRef("pk"), assignment__classroom=classroom)
            .values("student")
            .annotate(overall=_percent(Sum("score"), Sum("max_score")))
            .values("overall"),
            output_field=FloatField(),
        )
    )
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key == "name":
        names = ["last_name", "first_name", "username"]
        order = [F(n).desc() if descending else F(n).asc() for n in names]
    else:
        if key.startswith("a"):
            students = students.annotate(
                sort_score=Subquery(
                    Attempt.objects.filter(counted, student=OuterRef("pk"), assignment_id=key[1:])
                    .annotate(percent=_percent(F("score"), F("max_score")))
                    .values("percent")[:1],
                    output_field=FloatField(),
                )
            )
            field = "sort_score"
        else:
            field = "overall"
        column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        order = [column, "last_name", "first_name", "username"]
    # Usernames are unique, so the order is total and pages never overlap.
    students = students.order_by(*order)
    if per_page is None:
        shown, page_of = list(students), None
    else:
        page_of = students_page(students, number=page, per_page=per_page)
        shown = page_of.object_list
        class_attempts = class_attempts.filter(student__in=[student.pk for student in shown])
    done = handed_in(now)
    on_time = (
        Q(submitted_at__isnull=True)
        | Q(assignment__due_at__isnull=True)
        | Q(submitted_at__lte=F("assignment__due_at"))
    )
    cells = {
        (row["student_id"], row["assignment_id"]): row
        for row in class_attempts.values("student_id", "assignment_id")
        .annotate(
            # Named apart from Attempt's fields: `counted` refers to the row's own score.
            cell_attempts=Count("pk"),
            cell_handed_in=Count("pk", filter=done),
            cell_working=Count("pk", filter=~done),
            cell_on_time=Count("pk", filter=done & on_time),
            cell_score=Max("score", filter=counted),
            cell_out_of=Max("max_score", filter=counted),
            cell_answered=Max("answered", filter=~done),
        )
        .annotate(cell_percent=_percent(F("cell_score"), F("cell_out_of")))
        .order_by()
    }
    rows = []
    for student in shown:
        row_cells = []
        for assignment in assignments:
            cell = cells.get((student.pk, assignment.pk))
            row_cells.append(_gradebook_cell(cell))
        rows.append(GradebookRow(student=student, overall=student.overall, cells=row_cells))
    return Gradebook(assignments=assignments, rows=rows, sort=sort, page=page_of)


def _gradebook_cell(row: dict | None) -> GradebookCell:
    if row is None:
        return GradebookCell(status=CellStatus.NOT_STARTED)
    if row["cell_working"]:
        status = CellStatus.IN_PROGRESS
    elif not row["cell_handed_in"]:
        status = CellStatus.NOT_STARTED
    elif not row["cell_on_time"]:
        status = CellStatus.LATE
    else:
        status = CellStatus.DONE
    return GradebookCell(
        status=status,
        score=row["cell_score"],
        out_of=row["cell_out_of"],
        percent=row["cell_percent"],
        answered=row["cell_answered"],
        attempts=row["cell_attempts"],
    )


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
    attempts = _class_attempts(classroom).filter(
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


# Score distribution and live progress

SCORE_BANDS = 10


def score_distribution(*, assignment: Assignment, now=None) -> list[dict]:
    """How many students' counted scores fall in each tenth of the marks (90–100% is one)."""
    now = now or timezone.now()
    band = Least(
        ExpressionWrapper(F("score") * SCORE_BANDS / F("max_score"), output_field=IntegerField()),
        Value(SCORE_BANDS - 1),
    )
    counts = {
        row["band"]: row["students"]
        for row in Attempt.objects.filter(
            counted_attempt(policy=assignment.classroom.score_policy, now=now),
            assignment=assignment,
            student__enrollments__classroom=assignment.classroom_id,
            max_score__gt=0,
        )
        .annotate(band=band)
        .values("band")
        .annotate(students=Count("pk"))
        .order_by()
    }
    step = 100 // SCORE_BANDS
    return [
        {
            "low": band * step,
            "high": 100 if band == SCORE_BANDS - 1 else band * step + step - 1,
            "students": counts.get(band, 0),
        }
        for band in range(SCORE_BANDS)
    ]


@dataclass(frozen=True)
class ProgressRow:
    student: object
    number: int | None
    answered: int
    right: int
    finished: bool


@dataclass(frozen=True)
class LiveProgress:
    question_count: int
    students: int
    finished: int
    working: int
    not_started: int
    rows: list[ProgressRow]


def live_progress(*, assignment: Assignment, now=None) -> LiveProgress:
    """Each student's latest attempt: answered so far and how many right."""
    now = now or timezone.now()
    later = Attempt.objects.filter(
        assignment=OuterRef("assignment"),
        student=OuterRef("student"),
        number__gt=OuterRef("number"),
    )
    latest = {
        row["student_id"]: row
        for row in Attempt.objects.filter(
            ~Exists(later),
            assignment=assignment,
            student__enrollments__classroom=assignment.classroom_id,
        )
        .annotate(
            right=Count("responses", filter=Q(responses__is_correct=True)),
            finished=ExpressionWrapper(handed_in(now), output_field=BooleanField()),
        )
        .values("student_id", "number", "answered", "right", "finished")
    }
    attempts = Attempt.objects.filter(assignment=assignment, student=OuterRef("student"))
    summary = Enrollment.objects.filter(classroom=assignment.classroom_id).aggregate(
        students=Count("pk"),
        finished=Count("pk", filter=Q(Exists(attempts.filter(handed_in(now))))),
        working=Count("pk", filter=Q(Exists(attempts.exclude(handed_in(now))))),
        not_started=Count("pk", filter=~Q(Exists(attempts))),
    )
    rows = []
    for student in enrolled_students(classroom=assignment.classroom):
        row = latest.get(student.pk)
        rows.append(
            ProgressRow(
                student=student,
                number=row["number"] if row else None,
                answered=row["answered"] if row else 0,
                right=row["right"] if row else 0,
                finished=bool(row["finished"]) if row else False,
            )
        )
    return LiveProgress(
        question_count=QuizQuestion.objects.filter(quiz=assignment.quiz_id).count(),
        students=summary["students"],
        finished=summary["finished"],
        working=summary["working"],
        not_started=summary["not_started"],
        rows=rows,
    )


# One student, one attempt


def student_attempts(*, classroom: Classroom, student) -> QuerySet[Attempt]:
    """Every attempt the student made at the class's assignments, with right answers counted."""
    return (
        Attempt.objects.filter(student=student, assignment__classroom=classroom)
        .select_related("assignment__quiz")
        .annotate(right=Count("responses", filter=Q(responses__is_correct=True)))
        .order_by("assignment__opens_at", "assignment_id", "number")
    )


def quiz_review(*, quiz_id: int, responses: dict[int, Response]) -> list[dict]:
    """Every question of the quiz with the response given (if any), the choice and the answer.

    `responses` maps question ids to responses: an attempt's stored ones, or a preview's.
    """
    questions = (
        Question.objects.filter(quiz_items__quiz_id=quiz_id)
        .order_by("quiz_items__position", "quiz_items__pk")
        .prefetch_related("choices")
    )
    review = []
    for question in questions:
        response = responses.get(question.pk)
        choices = list(question.choices.all())
        review.append(
            {
                "question": question,
                "response": response,
                "chosen": next(
                    (c for c in choices if response and c.pk == response.choice_id), None
                ),
                "correct": [c for c in choices if c.is_correct],
            }
        )
    return review


def attempt_review(*, attempt: Attempt) -> list[dict]:
    """The attempt's quiz, question by question, with the attempt's answers."""
    return quiz_review(
        quiz_id=attempt.assignment.quiz_id, responses=attempt_responses(attempt=attempt)
    )


@dataclass(frozen=True)
class AttemptQuestion:
    """One question of an attempt's quiz, with what its stage shows."""

    question: Question  # with its article
    choices: list[Choice]  # in order
    question_ids: list[int]  # the quiz's, in order
    responses: dict[int, Response]  # the attempt's answers by question


def attempt_question(*, attempt: Attempt, question_id: int) -> AttemptQuestion | None:
    """The question as the attempt's stage shows it; None when the quiz does not hold it."""
    question = (
        Question.objects.select_related("article")
        .filter(pk=question_id, quiz_items__quiz_id=attempt.assignment.quiz_id)
        .first()
    )
    if question is None:
        return None
    return AttemptQuestion(
        question=question,
        # Ordered explicitly: Choice's default ordering joins its question for nothing.
        choices=list(question.choices.order_by("position", "pk")),
        question_ids=quiz_question_ids(quiz_id=attempt.assignment.quiz_id),
        responses=attempt_responses(attempt=attempt),
    )


def class_assignments(*, classroom: Classroom, now=None) -> QuerySet[Assignment]:
    """The class's assignments, newest first, with questions and students handed in."""
    now = now or timezone.now()
    return (
        classroom.assignments.select_related("quiz")
        .annotate(
            question_count=SubqueryCount(QuizQuestion.objects.filter(quiz=OuterRef("quiz"))),
            finished_count=SubqueryCount(
                Attempt.objects.filter(
                    handed_in(now),
                    assignment=OuterRef("pk"),
                    student__enrollments__classroom=OuterRef("classroom"),
                )
                .values("student")
                .distinct()
            ),
        )
        .order_by("-opens_at", "-pk")
    )
