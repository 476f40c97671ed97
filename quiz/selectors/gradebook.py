"""The gradebook: a page of students by assignment, with the counted attempts."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from config.ids import id_parse
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    QuizQuestion,
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
    class averages stay over the whole class. Five queries whatever the size of the class:
    the assignments, their class averages, the number of students, the page of students
    (with their overall share and the sort key), and one grouped query for its cells.
    """
    now = now or timezone.now()
    counted = counted_attempt(policy=classroom.score_policy, now=now)
    class_attempts = attempts_in_class(classroom)
    assignments = list(
        classroom.assignments.select_related("quiz")
        .annotate(question_count=SubqueryCount(QuizQuestion.objects.filter(quiz=OuterRef("quiz"))))
        .order_by("opens_at", "pk")
    )
    # One pass over the class's attempts for every average, rather than one per assignment.
    averages = dict(
        class_attempts.filter(counted, max_score__gt=0)
        .values("assignment_id")
        .annotate(average=Avg(percent_of(F("score"), F("max_score"))))
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
            .annotate(overall=percent_of(Sum("score"), Sum("max_score")))
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
        .annotate(cell_percent=percent_of(F("cell_score"), F("cell_out_of")))
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
