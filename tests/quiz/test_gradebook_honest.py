"""Gradebook averages say what they average, under either way of counting work not handed in.

The class, computed by hand (every question is worth one point):

    assignment    points  Ann          Ben            Cal
    A (open)      2       2/2 = 100%   1/2 = 50%      in progress, 1 answered
    B (open)      4       3/4 = 75%    not started    not started
    C (not open)  5       -            -              -

Leaving out students who have not handed in:
    A: (100 + 50) / 2 = 75%       B: 75 / 1 = 75%
    overall  Ann (2 + 3) / (2 + 4) = 83.3% (2 of 2)   Ben 1 / 2 = 50% (1 of 2)   Cal none
    class overall: (83.3 + 50) / 2 = 66.7%, of the 2 students who handed in anything

Counting work not handed in as 0 (C is not open yet, so it counts for nobody):
    A: (100 + 50 + 0) / 3 = 50%   B: (75 + 0 + 0) / 3 = 25%
    overall  Ann 5 / 6 = 83.3%   Ben 1 / (2 + 4) = 16.7%   Cal 0 / 6 = 0%
    class overall: (83.3 + 16.7 + 0) / 3 = 33.3%
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz import selectors
from quiz.models import Classroom
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

ZERO = Classroom.NotHandedIn.ZERO


@pytest.fixture
def small_class():
    teacher = TeacherFactory()
    ann, ben, cal = (
        StudentFactory(first_name=first, last_name=last)
        for first, last in [("Ann", "Abel"), ("Ben", "Baker"), ("Cal", "Cole")]
    )
    classroom = ClassroomFactory(teachers=[teacher], students=[ann, ben, cal])
    now = timezone.now()
    a, b = (
        AssignmentFactory(
            classroom=classroom,
            quiz=QuizFactory(owner=teacher, questions=n),
            opens_at=now - timedelta(days=3 - i),
        )
        for i, n in enumerate([2, 4])
    )
    c = AssignmentFactory(
        classroom=classroom,
        quiz=QuizFactory(owner=teacher, questions=5),
        opens_at=now + timedelta(days=1),
        due_at=now + timedelta(days=8),
    )
    done = now - timedelta(minutes=5)
    AttemptFactory(assignment=a, student=ann, score=2, max_score=2, answered=2, submitted_at=done)
    AttemptFactory(assignment=b, student=ann, score=3, max_score=4, answered=4, submitted_at=done)
    AttemptFactory(assignment=a, student=ben, score=1, max_score=2, answered=2, submitted_at=done)
    AttemptFactory(assignment=a, student=cal, score=1, max_score=2, answered=1)
    return {
        "teacher": teacher,
        "classroom": classroom,
        "assignments": [a, b, c],
        "students": [ann, ben, cal],
    }


def row_of(book, student):
    return next(row for row in book.rows if row.student == student)


def test_leaving_out_averages_only_the_students_who_handed_in(small_class):
    classroom = small_class["classroom"]
    ann, ben, cal = small_class["students"]
    assert classroom.not_handed_in == Classroom.NotHandedIn.LEAVE_OUT  # the default

    book = selectors.gradebook(classroom=classroom)

    a, b, c = book.assignments
    assert (a.average, a.averaged, a.handed_in) == (pytest.approx(75.0), 2, 2)
    assert (b.average, b.averaged, b.handed_in) == (pytest.approx(75.0), 1, 1)
    assert (c.average, c.averaged, c.handed_in) == (None, 0, 0)
    assert (book.students, book.assignments_open) == (3, 2)
    assert row_of(book, ann).overall == pytest.approx(500 / 6)
    assert row_of(book, ben).overall == pytest.approx(50.0)
    assert row_of(book, cal).overall is None
    assert [row_of(book, s).handed_in for s in (ann, ben, cal)] == [2, 1, 0]
    assert book.overall_average == pytest.approx((500 / 6 + 50) / 2)
    assert book.overall_averaged == 2


def test_counting_as_zero_averages_every_student_over_the_open_assignments(small_class):
    classroom = small_class["classroom"]
    classroom.not_handed_in = ZERO
    classroom.save()
    ann, ben, cal = small_class["students"]

    book = selectors.gradebook(classroom=classroom)

    a, b, c = book.assignments
    assert (a.average, a.averaged, a.handed_in) == (pytest.approx(50.0), 3, 2)
    assert (b.average, b.averaged, b.handed_in) == (pytest.approx(25.0), 3, 1)
    # Not open yet: nobody could have handed it in.
    assert (c.average, c.averaged) == (None, 0)
    assert row_of(book, ann).overall == pytest.approx(500 / 6)
    assert row_of(book, ben).overall == pytest.approx(100 / 6)
    assert row_of(book, cal).overall == pytest.approx(0.0)
    assert [row_of(book, s).handed_in for s in (ann, ben, cal)] == [2, 1, 0]
    assert book.overall_average == pytest.approx((500 / 6 + 100 / 6 + 0) / 3)
    assert book.overall_averaged == 3


def test_sorting_by_overall_follows_the_setting(small_class):
    classroom = small_class["classroom"]
    classroom.not_handed_in = ZERO
    classroom.save()
    ann, ben, cal = small_class["students"]

    book = selectors.gradebook(classroom=classroom, sort="overall")

    assert [row.student for row in book.rows] == [cal, ben, ann]


def test_the_page_says_what_each_average_is_over_when_leaving_out(client, small_class):
    client.force_login(small_class["teacher"])

    html = client.get(
        reverse("quiz:teach_gradebook", args=[small_class["classroom"].pk])
    ).content.decode()

    assert "the class average is over every student" not in html
    assert "Students who have not handed in are left out of the averages." in html
    assert "Average of 2 students who handed in (of 3)" in html
    assert "Average of 1 student who handed in (of 3)" in html
    assert "Not open yet" in html
    assert "2 of 2 assignments handed in" in html
    assert "1 of 2 assignments handed in" in html
    assert "0 of 2 assignments handed in" in html
    assert "Average of 2 students who handed in anything (of 3)" in html


def test_the_page_says_what_each_average_is_over_when_counting_zero(client, small_class):
    classroom = small_class["classroom"]
    classroom.not_handed_in = ZERO
    classroom.save()
    client.force_login(small_class["teacher"])

    html = client.get(reverse("quiz:teach_gradebook", args=[classroom.pk])).content.decode()

    assert "Work not handed in counts as 0 in the averages." in html
    assert "Average of 3 students, 1 not handed in counted as 0" in html
    assert "Average of 3 students, 2 not handed in counted as 0" in html
    assert "1 of 2 assignments handed in, 1 counted as 0" in html
    assert "Average of 3 students" in html


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            Classroom.NotHandedIn.LEAVE_OUT,
            [["100.0", "75.0", "", "83.3"], ["50.0", "", "", "50.0"], ["", "", "", ""]],
        ),
        (
            ZERO,
            [["100.0", "75.0", "", "83.3"], ["50.0", "0.0", "", "16.7"], ["0.0", "0.0", "", "0.0"]],
        ),
    ],
)
def test_the_csv_gives_the_numbers_the_page_averages(client, small_class, setting, expected):
    """A spreadsheet's AVERAGE of a column (blanks skipped) is the gradebook's average."""
    classroom = small_class["classroom"]
    classroom.not_handed_in = setting
    classroom.save()
    client.force_login(small_class["teacher"])

    header, *rows = read_csv(client.get(reverse("quiz:teach_gradebook_csv", args=[classroom.pk])))

    assert header[5] == "Overall %"
    assert [row[2:6] for row in rows] == expected


def test_a_teacher_sets_how_work_not_handed_in_counts_in_the_class_settings(client, small_class):
    classroom = small_class["classroom"]
    client.force_login(small_class["teacher"])

    response = client.post(
        reverse("quiz:teach_classroom_update", args=[classroom.pk]),
        {"name": classroom.name, "score_policy": "best", "not_handed_in": "zero"},
    )

    assert response.status_code == 302
    classroom.refresh_from_db()
    assert classroom.not_handed_in == ZERO
