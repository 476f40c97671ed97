"""Extensions: one student's own due time and extra attempts, on every path that asks whether
an assignment is open, how many attempts are left, and whether work was late."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from quiz import selectors, services
from quiz.models import Assignment, Attempt, Extension, Response
from quiz.selectors.gradebook import CellStatus
from quiz.services import Refusal
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def past_due_attempt(*, extended_by=None, **assignment):
    """An attempt whose assignment fell due an hour ago; extended by `extended_by` past that."""
    now = timezone.now()
    attempt = AttemptFactory(
        assignment=AssignmentFactory(opens_at=now - 5 * HOUR, due_at=now - HOUR, **assignment)
    )
    if extended_by is not None:
        Extension.objects.create(
            assignment=attempt.assignment,
            student=attempt.student,
            due_at=attempt.assignment.due_at + extended_by,
        )
    return attempt


def pick(attempt, *, now=None):
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()
    return services.response_submit(
        attempt_id=attempt.pk,
        student=attempt.student,
        question_id=question.pk,
        answer=services.Answer(choice_id=question.choices.first().pk),
        now=now,
    )


# The rule itself


def test_an_extension_moves_the_due_time_for_its_student_only():
    attempt = past_due_attempt(extended_by=2 * HOUR)
    assignment, extension = attempt.assignment, Extension.objects.get()
    now = timezone.now()

    assert assignment.is_closed(now) and not assignment.is_open(now)
    assert assignment.is_open(now, extension) and not assignment.is_closed(now, extension)
    assert assignment.due_for(extension) == extension.due_at
    assert assignment.due_for(None) == assignment.due_at


def test_an_extension_may_end_earlier_than_the_class():
    now = timezone.now()
    assignment = AssignmentFactory(opens_at=now - 5 * HOUR, due_at=now + 5 * HOUR)
    early = Extension(assignment=assignment, due_at=now - HOUR)

    assert assignment.is_open(now) and assignment.is_closed(now, early)


def test_closing_early_closes_it_for_a_student_with_an_extension_too():
    now = timezone.now()
    assignment = AssignmentFactory(closed_at=now - HOUR)
    extension = Extension(assignment=assignment, due_at=now + 5 * HOUR)

    assert assignment.is_closed(now, extension)


def test_open_now_in_sql_counts_only_that_students_extension():
    attempt = past_due_attempt(extended_by=2 * HOUR)
    other = StudentFactory()

    assert not Assignment.objects.open_now().exists()
    assert list(Assignment.objects.open_now(student=attempt.student)) == [attempt.assignment]
    assert not Assignment.objects.open_now(student=other).exists()


def test_open_now_in_sql_keeps_an_assignment_with_no_due_time_open_for_a_student():
    assignment = AssignmentFactory(due_at=None)
    student = StudentFactory()
    Extension.objects.create(assignment=assignment, student=student, extra_attempts=1)

    assert list(Assignment.objects.open_now(student=student)) == [assignment]


# Answering (the ORM path; on PostgreSQL a first pick takes first_pick's statement)


def test_an_answer_after_the_class_due_time_is_accepted_with_an_extension():
    attempt = past_due_attempt(extended_by=2 * HOUR)

    submission = pick(attempt)

    assert submission.refusal is None and submission.created
    assert Response.objects.filter(attempt=attempt).count() == 1


def test_an_answer_after_the_extended_due_time_is_refused():
    attempt = past_due_attempt(extended_by=2 * HOUR)

    submission = pick(attempt, now=timezone.now() + 3 * HOUR)

    assert submission.refusal == Refusal.CLOSED
    assert not Response.objects.exists()


def test_an_answer_after_the_class_due_time_is_still_refused_without_an_extension():
    attempt = past_due_attempt()
    Extension.objects.create(
        assignment=attempt.assignment, student=StudentFactory(), due_at=timezone.now() + HOUR
    )

    assert pick(attempt).refusal == Refusal.CLOSED


def test_the_same_answer_sent_again_within_the_extension_is_not_refused():
    """The replay takes the ORM path on both databases: it reads the extension too."""
    attempt = past_due_attempt(extended_by=2 * HOUR)
    first = pick(attempt)

    again = pick(attempt)

    assert again.refusal is None and not again.created and again.response == first.response


def test_answers_are_revealed_after_the_students_own_due_time():
    attempt = past_due_attempt(extended_by=2 * HOUR, reveal=Assignment.Reveal.AFTER_DUE)
    assignment, extension = attempt.assignment, Extension.objects.get()
    now = timezone.now()

    assert assignment.reveals_for(attempt, now) and not assignment.reveals_for(
        attempt, now, extension
    )
    assert assignment.reveals_for(attempt, now + 3 * HOUR, extension)


@pytest.mark.postgres
def test_first_pick_statement_accepts_an_answer_within_the_extension():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement first pick runs on PostgreSQL only")
    from quiz.services.first_pick import first_pick_record

    attempt = past_due_attempt(extended_by=2 * HOUR)
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()

    recorded = first_pick_record(
        attempt_id=attempt.pk,
        student_id=attempt.student_id,
        question_id=question.pk,
        choice_id=question.choices.first().pk,
        now=timezone.now(),
    )

    assert recorded is not None
    assert Response.objects.filter(attempt=attempt).count() == 1


@pytest.mark.postgres
def test_first_pick_statement_refuses_an_answer_after_the_extension():
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement first pick runs on PostgreSQL only")
    from quiz.services.first_pick import first_pick_record

    attempt = past_due_attempt(extended_by=2 * HOUR)
    question = attempt.assignment.quiz.questions.order_by("quiz_items__position").first()

    recorded = first_pick_record(
        attempt_id=attempt.pk,
        student_id=attempt.student_id,
        question_id=question.pk,
        choice_id=question.choices.first().pk,
        now=timezone.now() + 3 * HOUR,
    )

    assert recorded is None
    assert not Response.objects.exists()
    # And the service, falling back to its ORM path, says why.
    assert pick(attempt, now=timezone.now() + 3 * HOUR).refusal == Refusal.CLOSED


# Attempts


def test_an_extra_attempt_lets_start_begin_attempt_two():
    attempt = AttemptFactory(submitted_at=timezone.now())
    assignment, student = attempt.assignment, attempt.student
    with pytest.raises(ValidationError, match="all 1 of your attempts"):
        services.attempt_start(assignment=assignment, student=student)

    Extension.objects.create(assignment=assignment, student=student, extra_attempts=1)
    second = services.attempt_start(assignment=assignment, student=student)

    assert second.number == 2
    standing = selectors.assignment_attempts(assignment=assignment, student=student)
    assert (standing.allowed, standing.left, standing.unfinished) == (2, 0, second)


def test_start_after_the_class_due_time_begins_an_attempt_with_an_extension():
    now = timezone.now()
    assignment = AssignmentFactory(opens_at=now - 5 * HOUR, due_at=now - HOUR)
    student = StudentFactory()
    assignment.classroom.students.add(student)
    with pytest.raises(ValidationError, match="not open"):
        services.attempt_start(assignment=assignment, student=student)

    Extension.objects.create(assignment=assignment, student=student, due_at=now + HOUR)

    assert services.attempt_start(assignment=assignment, student=student).number == 1


# Where the student sees it


def test_the_class_page_shows_the_students_own_due_time(client):
    attempt = past_due_attempt(extended_by=2 * HOUR)
    client.force_login(attempt.student)

    html = client.get(reverse("quiz:classroom", args=[attempt.assignment.classroom_id])).content
    html = html.decode()

    due = timezone.localtime(Extension.objects.get().due_at)
    assert f'datetime="{due.isoformat()}"' in html
    assert "extended for you" in html


def test_the_class_page_shows_the_class_due_time_to_a_classmate(client):
    attempt = past_due_attempt(extended_by=2 * HOUR)
    classmate = StudentFactory()
    attempt.assignment.classroom.students.add(classmate)
    client.force_login(classmate)

    html = client.get(reverse("quiz:classroom", args=[attempt.assignment.classroom_id]))

    assert "extended for you" not in html.content.decode()


# The gradebook


def test_the_gradebook_does_not_mark_late_work_handed_in_before_the_extended_due_time():
    now = timezone.now()
    attempt = past_due_attempt(extended_by=2 * HOUR)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=now)
    late = AttemptFactory(assignment=attempt.assignment, submitted_at=now)

    book = selectors.gradebook(classroom=attempt.assignment.classroom, now=now)

    status = {row.student.pk: row.cells[0].status for row in book.rows}
    assert status[attempt.student_id] == CellStatus.DONE
    assert status[late.student_id] == CellStatus.LATE


def test_an_unfinished_attempt_within_the_extension_is_still_in_progress():
    now = timezone.now()
    working = past_due_attempt(extended_by=2 * HOUR)
    stopped = AttemptFactory(assignment=working.assignment)  # the class's due time has passed

    book = selectors.gradebook(classroom=working.assignment.classroom, now=now)

    status = {row.student.pk: row.cells[0].status for row in book.rows}
    assert status[working.student_id] == CellStatus.IN_PROGRESS
    assert status[stopped.student_id] != CellStatus.IN_PROGRESS


def test_the_teachers_student_page_does_not_mark_work_within_the_extension_late(client):
    attempt = past_due_attempt(extended_by=2 * HOUR)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now())
    teacher = attempt.assignment.classroom.teachers.first()
    client.force_login(teacher)
    url = reverse("quiz:teach_student", args=[attempt.assignment.classroom_id, attempt.student_id])

    assert "status-late" not in client.get(url).content.decode()
    Extension.objects.all().delete()
    assert "status-late" in client.get(url).content.decode()


# The service


def granting(**overrides):
    now = timezone.now()
    classroom = ClassroomFactory()
    student = StudentFactory()
    classroom.students.add(student)
    assignment = AssignmentFactory(classroom=classroom, opens_at=now - HOUR, due_at=now + HOUR)
    return {
        "assignment": assignment,
        "student": student,
        "due_at": now + 5 * HOUR,
        "extra_attempts": 1,
    } | overrides


def test_extension_grant_saves_and_replaces_one_extension():
    terms = granting()
    services.extension_grant(**terms)
    services.extension_grant(**terms | {"due_at": None, "extra_attempts": 2})

    extension = Extension.objects.get()
    assert (extension.due_at, extension.extra_attempts) == (None, 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_at": None, "extra_attempts": 0}, "Set a new due time, extra attempts, or both."),
        ({"extra_attempts": 11}, "Extra attempts must be between 0 and 10."),
        ({"extra_attempts": -1}, "Extra attempts must be between 0 and 10."),
        ({"due_at": timezone.now() - 2 * HOUR}, "must be after the assignment opens"),
        ({"student": "outsider"}, "is not in this class"),
    ],
    ids=["nothing", "too-many", "negative", "before-opening", "not-in-class"],
)
def test_extension_grant_refuses_bad_input_and_saves_nothing(change, message):
    if change.get("student") == "outsider":
        change = {"student": StudentFactory()}
    terms = granting(**change)

    with pytest.raises(ValidationError, match=message):
        services.extension_grant(**terms)

    assert not Extension.objects.exists()


def test_extension_grant_keeps_the_earlier_extension_when_the_new_one_is_refused():
    terms = granting()
    services.extension_grant(**terms)

    with pytest.raises(ValidationError):
        services.extension_grant(**terms | {"extra_attempts": 11})

    assert Extension.objects.get().extra_attempts == 1


# The teacher's page and its forms


def extension_urls(assignment, student):
    return (
        reverse("quiz:teach_extension", args=[assignment.pk, student.pk]),
        reverse("quiz:teach_extension_remove", args=[assignment.pk, student.pk]),
        reverse("quiz:teach_student", args=[assignment.classroom_id, student.pk]),
    )


def test_the_teacher_grants_and_removes_an_extension_from_the_students_page(client):
    terms = granting()
    assignment, student = terms["assignment"], terms["student"]
    teacher = assignment.classroom.teachers.first()
    grant, remove, page = extension_urls(assignment, student)
    client.force_login(teacher)

    html = client.get(page).content.decode()
    assert f'action="{grant}"' in html and f'action="{remove}"' not in html

    due = timezone.localtime(timezone.now() + 5 * HOUR).replace(second=0, microsecond=0)
    response = client.post(
        grant, {"due_at": due.strftime("%Y-%m-%dT%H:%M"), "extra_attempts": "2"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{page}#extension-{assignment.pk}"
    extension = Extension.objects.get(assignment=assignment, student=student)
    assert (extension.due_at, extension.extra_attempts) == (due, 2)
    html = response.content.decode()
    assert "Extension saved" in html and f'action="{remove}"' in html
    assert f'value="{due.strftime("%Y-%m-%dT%H:%M")}"' in html

    response = client.post(remove, follow=True)
    assert not Extension.objects.exists()
    assert "Extension removed" in response.content.decode()


def test_the_teacher_sees_the_refusal_and_nothing_is_saved(client):
    terms = granting()
    assignment, student = terms["assignment"], terms["student"]
    grant, _remove, _page = extension_urls(assignment, student)
    client.force_login(assignment.classroom.teachers.first())

    too_many = client.post(grant, {"due_at": "", "extra_attempts": "11"}, follow=True)
    nothing = client.post(grant, {"due_at": "", "extra_attempts": "0"}, follow=True)
    unreadable = client.post(grant, {"due_at": "next week", "extra_attempts": "1"}, follow=True)

    assert "Extra attempts" in too_many.content.decode()
    assert "Set a new due time, extra attempts, or both." in nothing.content.decode()
    assert "New due time" in unreadable.content.decode()
    assert not Extension.objects.exists()


def test_another_teacher_cannot_grant_an_extension(client):
    terms = granting()
    grant, remove, _page = extension_urls(terms["assignment"], terms["student"])
    client.force_login(TeacherFactory())

    assert client.post(grant, {"extra_attempts": "1"}).status_code == 404
    assert client.post(remove).status_code == 404
    assert not Extension.objects.exists()


def test_a_student_not_in_the_class_cannot_be_given_an_extension_through_the_view(client):
    terms = granting()
    outsider = StudentFactory()
    grant, _remove, _page = extension_urls(terms["assignment"], outsider)
    client.force_login(terms["assignment"].classroom.teachers.first())

    assert client.post(grant, {"extra_attempts": "1"}).status_code == 404
    assert not Extension.objects.exists()


# Answers shown after the due date: the student's own


def test_answers_shown_after_the_due_date_wait_for_the_students_own(client):
    attempt = past_due_attempt(extended_by=2 * HOUR, reveal=Assignment.Reveal.AFTER_DUE)
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=timezone.now() - 2 * HOUR)
    classroom = attempt.assignment.classroom
    classroom.students.add(attempt.student)
    client.force_login(attempt.student)

    results = client.get(reverse("quiz:results", args=[attempt.pk])).content.decode()
    class_page = client.get(classroom.get_absolute_url()).content.decode()

    # The class's due time has passed, the student's has not: nothing of the answers yet.
    assert 'id="review"' not in results
    assert "Your score and the answers appear after the due date" in results
    assert "Shown after the due date" in class_page


def test_the_assignment_page_gives_the_students_own_due_time_and_attempts(client):
    attempt = past_due_attempt(extended_by=2 * HOUR)
    Extension.objects.filter(assignment=attempt.assignment).update(extra_attempts=2)
    attempt.assignment.classroom.students.add(attempt.student)
    client.force_login(attempt.student)

    page = client.get(attempt.assignment.get_absolute_url()).content.decode()

    assert "extended for you" in page
    assert "2 of 3 left" in page
