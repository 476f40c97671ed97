"""The gradebook: a page of students by assignment, with the counted attempts."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull, LessThanOrEqual
from django.utils import timezone

from config.ids import id_parse
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    QuizQuestion,
    assignment_due_for,
)
from quiz.selectors.classes import (
    SubqueryCount,
    attempts_in_class,
    counted_attempt,
    enrolled_students,
    handed_in,
    percent_of,
)

# Gradebook


def handed_in_on_time() -> Q:
    """An attempt not handed in after its student's own due time (`assignment_due_for`: their
    extension's, else the assignment's); one not handed in, or with no due time, is on time."""
    due = assignment_due_for(OuterRef("student"), prefix="assignment__")
    return (
        Q(submitted_at__isnull=True)
        | Q(IsNull(due, True))
        | Q(LessThanOrEqual(F("submitted_at"), due))
    )


def attempts_with_lateness(attempts: QuerySet[Attempt]) -> QuerySet[Attempt]:
    """`attempts` with `late`: handed in after the student's own due time."""
    return attempts.annotate(late=ExpressionWrapper(~handed_in_on_time(), BooleanField()))


# Students a gradebook or mastery page shows at a time: a page of cells stays small to build
# and to read, whatever the size of the class.
STUDENTS_PER_PAGE = 50


def students_page(
    students: QuerySet | list, *, number: int, per_page: int, count: int | None = None
) -> Page:
    """One page of an ordered list of students; a number out of range gets the nearest page.

    Counts the students in one query (unless the caller has counted them: `count`) and
    fetches the page with LIMIT/OFFSET in another.
    """
    paginator = Paginator(students, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the paginator asks no more
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
    # The share of marks over the assignments the overall counts (see Gradebook.counts_zero).
    overall: float | None
    cells: list[GradebookCell]
    handed_in: int = 0  # open assignments the student has handed in
    counted_as_zero: int = 0  # open assignments not handed in that the overall counts as 0


@dataclass(frozen=True)
class Gradebook:
    """The page of the gradebook, with what every average is over.

    Each assignment carries `average` (None when there is nothing to average), `averaged` (the
    students it is over), `handed_in` (the students who handed it in), `counted_as_zero` (the
    students it counts as 0) and `opened`.
    """

    assignments: list[Assignment]
    rows: list[GradebookRow]
    sort: str
    # The page of students the rows are; None when the rows are the whole class.
    page: Page | None = None
    students: int = 0  # in the class
    assignments_open: int = 0  # assignments opened by now: the ones an average may count
    # True when work not handed in counts as 0 (Classroom.NotHandedIn.ZERO), else left out.
    counts_zero: bool = False
    overall_average: float | None = None  # the mean of the students' overall shares
    overall_averaged: int = 0  # the students that mean is over


GRADEBOOK_SORTS = ("name", "-name", "overall", "-overall")


def gradebook_sort_normalise(sort: str, assignment_ids) -> str:
    """Return a known sort key: a name/overall key or "[-]a<assignment id>"; else "name"."""
    if sort in GRADEBOOK_SORTS:
        return sort
    key = sort.removeprefix("-")
    if key.startswith("a") and id_parse(key[1:]) in set(assignment_ids):
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
    averages stay over the whole class. Averages follow the class's `not_handed_in` setting:
    an assignment a student has not handed in is left out, or counts as 0 once the assignment
    has opened (one not open yet counts for nobody). Five queries whatever the size of the
    class: the assignments; every student's id and overall share in the class's order (one
    short row a student, from which the class's size and overall average are summed); the
    page's students; the assignments' averages; and one grouped query for the page's cells.
    """
    now = now or timezone.now()
    counts_zero = classroom.not_handed_in == Classroom.NotHandedIn.ZERO
    counted = counted_attempt(policy=classroom.score_policy, now=now)
    class_attempts = attempts_in_class(classroom)
    # Assignments count once they have opened: before, nobody could have handed them in.
    opened = Q(opens_at__lte=now)
    assignments = list(
        classroom.assignments.select_related("quiz")
        .annotate(
            question_count=SubqueryCount(QuizQuestion.objects.filter(quiz=OuterRef("quiz"))),
            opened=ExpressionWrapper(opened, output_field=BooleanField()),
        )
        .order_by("opens_at", "pk")
    )
    students = enrolled_students(classroom=classroom)
    mine = Attempt.objects.filter(counted, student=OuterRef("pk"), assignment__classroom=classroom)
    marks = mine.values("student").annotate(marks_score=Sum("score"), marks_out_of=Sum("max_score"))
    if counts_zero:
        # What the open assignments the student has not handed in are out of: their quizzes'
        # points now. Summed over assignments, so two assignments of one quiz count twice.
        missed = (
            classroom.assignments.filter(opened)
            .exclude(
                Exists(
                    Attempt.objects.filter(
                        counted, student=OuterRef(OuterRef("pk")), assignment=OuterRef("pk")
                    )
                )
            )
            .values("classroom")
            .annotate(missed_out_of=Sum("quiz__items__question__points"))
            .values("missed_out_of")
        )
        overall = percent_of(
            Coalesce(Subquery(marks.values("marks_score")), 0),
            Coalesce(Subquery(marks.values("marks_out_of")), 0) + Coalesce(Subquery(missed), 0),
        )
    else:
        overall = Subquery(
            marks.annotate(overall=percent_of(F("marks_score"), F("marks_out_of"))).values(
                "overall"
            ),
            output_field=FloatField(),
        )
    students = students.annotate(overall=overall)
    assignments_open = sum(1 for assignment in assignments if assignment.opened)
    sort = gradebook_sort_normalise(sort, [a.pk for a in assignments])
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key == "name":
        names = ["last_name", "first_name", "username"]
        order = [F(n).desc() if descending else F(n).asc() for n in names]
    else:
        if key.startswith("a"):
            students = students.annotate(
                sort_score=Subquery(
                    Attempt.objects.filter(counted, student=OuterRef("pk"), assignment_id=key[1:])
                    .annotate(percent=percent_of(F("score"), F("max_score")))
                    .values("percent")[:1],
                    output_field=FloatField(),
                )
            )
            field = "sort_score"
        else:
            field = "overall"
        column = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
        order = [column, "last_name", "first_name", "username"]
    # The whole class ranked in one query, so each student's overall is worked out once, for
    # the order and for the class's average alike. Usernames are unique, so the order is total
    # and pages never overlap.
    ranked = list(students.order_by(*order).values_list("pk", "overall"))
    shares = [share for _, share in ranked if share is not None]
    class_size = len(ranked)
    if per_page is None:
        page_of, shown_ranked = None, ranked
    else:
        page_of = students_page(ranked, number=page, per_page=per_page)
        shown_ranked = page_of.object_list
    page_ids = [pk for pk, _ in shown_ranked]
    by_pk = (
        enrolled_students(classroom=classroom)
        .filter(pk__in=page_ids)
        .annotate(handed_in=SubqueryCount(mine.filter(assignment__opens_at__lte=now)))
        .in_bulk()
    )
    shown = [by_pk[pk] for pk in page_ids]
    overall_of = dict(shown_ranked)
    # One pass over the class's attempts for every average, rather than one per assignment.
    averages = {
        row["assignment_id"]: row
        for row in class_attempts.filter(counted, max_score__gt=0)
        .values("assignment_id")
        .annotate(total=Sum(percent_of(F("score"), F("max_score"))), handed_in=Count("pk"))
        .order_by()
    }
    for assignment in assignments:
        numbers = averages.get(assignment.pk, {"total": 0.0, "handed_in": 0})
        assignment.handed_in = numbers["handed_in"]
        # Over every student when the rest count as 0, else over those who handed it in.
        assignment.averaged = (
            class_size if counts_zero and assignment.opened else numbers["handed_in"]
        )
        assignment.counted_as_zero = assignment.averaged - assignment.handed_in
        assignment.average = numbers["total"] / assignment.averaged if assignment.averaged else None
    done = handed_in(now)
    on_time = handed_in_on_time()
    cells = {
        (row["student_id"], row["assignment_id"]): row
        for row in class_attempts.filter(student__in=page_ids)
        .values("student_id", "assignment_id")
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
        .annotate(cell_percent=percent_of(F("cell_score"), F("cell_out_of")))
        .order_by()
    }
    rows = []
    for student in shown:
        row_cells = []
        for assignment in assignments:
            cell = cells.get((student.pk, assignment.pk))
            row_cells.append(_gradebook_cell(cell))
        rows.append(
            GradebookRow(
                student=student,
                overall=overall_of[student.pk],
                cells=row_cells,
                handed_in=student.handed_in,
                counted_as_zero=assignments_open - student.handed_in if counts_zero else 0,
            )
        )
    return Gradebook(
        assignments=assignments,
        rows=rows,
        sort=sort,
        page=page_of,
        students=class_size,
        assignments_open=assignments_open,
        counts_zero=counts_zero,
        overall_average=sum(shares) / len(shares) if shares else None,
        overall_averaged=len(shares),
    )


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
