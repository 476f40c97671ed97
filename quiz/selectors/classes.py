"""Classes, students and assignments a person may see; what counts as handed in."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from accounts.models import Preferences
from quiz.models import (
    Assignment,
    Attempt,
    Classroom,
    Enrollment,
    Extension,
    QuizQuestion,
    assignment_closed_q,
    assignment_due_for,
)


def student_classrooms(*, student) -> QuerySet[Classroom]:
    """The student's classes, each with how many assignments are open now (for them)."""
    open_now = Assignment.objects.open_now(student=student)
    return (
        Classroom.objects.filter(enrollments__student=student)
        .annotate(
            open_assignments=Count(
                "assignments", filter=Q(assignments__in=open_now.values("pk")), distinct=True
            )
        )
        .order_by("name")
    )


def student_assignments(*, classroom: Classroom, student, now=None) -> QuerySet[Assignment]:
    """A class's assignments with the student's attempts summarised on each, and their own
    due time (`my_due_at`, `due_extended` when an extension moved it) and `open_for_me`."""
    now = now or timezone.now()
    mine = Attempt.objects.filter(assignment=OuterRef("pk"), student=student)
    extended = Extension.objects.filter(
        assignment=OuterRef("pk"), student=student, due_at__isnull=False
    )
    return (
        classroom.assignments.select_related("quiz")
        .annotate(
            my_attempts=Count("attempts", filter=Q(attempts__student=student), distinct=True),
            in_progress=Exists(mine.filter(submitted_at__isnull=True)),
            question_count=Count("quiz__items", distinct=True),
            my_due_at=assignment_due_for(student),
            due_extended=Exists(extended),
            open_for_me=ExpressionWrapper(
                Q(opens_at__lte=now) & ~assignment_closed_q(now, student=student),
                output_field=BooleanField(),
            ),
        )
        .order_by("-opens_at", "pk")
    )


# Teachers: what a teacher may see, and the class's numbers, all counted in SQL.


class SubqueryCount(Subquery):
    """COUNT(*) of a subquery, so a list can carry counts without joining everything."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def user_time_zone(*, user) -> str:
    """The time zone a person's dates and times are shown in.

    Their own choice; else, for a student, that of a teacher of the class they joined last,
    so due times read as the teacher set them; else the site's.
    """
    own = Preferences.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if own:
        return own
    teachers = (
        Enrollment.objects.filter(student=user, classroom__teachers__preferences__isnull=False)
        .order_by("-joined_at", "-pk")
        .values_list("classroom__teachers__preferences__time_zone", flat=True)
    )
    return teachers.first() or settings.TIME_ZONE


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


def percent_of(part, whole):
    """part as a percentage of whole, computed by the database; NULL when whole is 0."""
    return ExpressionWrapper(
        Cast(part, FloatField()) * 100.0 / NullIf(Cast(whole, FloatField()), 0.0),
        output_field=FloatField(),
    )


def handed_in(now) -> Q:
    """An attempt counts once the student finished it, or once its assignment has closed for
    the student (by their own due time, when they have more time)."""
    return Q(submitted_at__isnull=False) | assignment_closed_q(
        now, prefix="assignment__", student=OuterRef("student")
    )


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


def attempts_in_class(classroom: Classroom) -> QuerySet[Attempt]:
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
