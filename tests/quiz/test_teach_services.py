"""Teachers' writes: classes, join codes, rosters, passwords and assignments."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from quiz import services
from quiz.models import JOIN_CODE_ALPHABET, Assignment, Classroom, Enrollment
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


# Classes and join codes


def test_a_teacher_creates_a_class_they_teach_with_a_fresh_code(teacher):
    classroom = services.classroom_create(name="  7B   News ", teacher=teacher)

    assert classroom.name == "7B News"
    assert list(classroom.teachers.all()) == [teacher]
    assert classroom.join_open
    assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)


def test_a_student_cannot_create_a_class(student):
    with pytest.raises(ValidationError, match="Only teachers"):
        services.classroom_create(name="Mine", teacher=student)

    assert not Classroom.objects.exists()


@pytest.mark.parametrize("name", ["", "   ", "x" * 121])
def test_a_class_needs_a_sensible_name(teacher, name):
    with pytest.raises(ValidationError):
        services.classroom_create(name=name, teacher=teacher)


def test_an_unknown_score_policy_is_refused(teacher):
    classroom = ClassroomFactory(teachers=[teacher])

    with pytest.raises(ValidationError, match="best or latest"):
        services.classroom_update(classroom=classroom, name="X", score_policy="average")


def test_a_new_join_code_replaces_the_old_one(teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    old = classroom.join_code

    services.join_code_regenerate(classroom=classroom)

    classroom.refresh_from_db()
    assert classroom.join_code != old
    with pytest.raises(ValidationError, match="No class has the code"):
        services.classroom_join(code=old, student=StudentFactory())


def test_closing_and_opening_joining():
    classroom = ClassroomFactory()

    services.join_code_close(classroom=classroom)
    with pytest.raises(ValidationError, match="not taking new students"):
        services.classroom_join(code=classroom.join_code, student=StudentFactory())
    services.join_code_open(classroom=classroom)

    _enrollment, created = services.classroom_join(
        code=classroom.join_code, student=StudentFactory()
    )
    assert created


def test_removing_someone_not_in_the_class_says_so(student):
    with pytest.raises(ValidationError, match="is not in this class"):
        services.enrollment_remove(classroom=ClassroomFactory(), student=student)


# Passwords and usernames


def test_generated_passwords_are_word_word_number_without_look_alike_characters():
    passwords = {services.password_generate() for _ in range(50)}

    assert len(passwords) > 45
    for password in passwords:
        assert re.fullmatch(r"[a-z]+-[a-z]+-[2-9]{3}", password), password
        assert not set(password) & set("ilo01"), password


def test_password_reset_changes_only_a_students_password(student):
    classroom = ClassroomFactory(students=[student])

    password = services.student_password_reset(classroom=classroom, student=student)

    student.refresh_from_db()
    assert student.check_password(password)


def test_password_reset_refuses_students_of_other_classes(student):
    with pytest.raises(ValidationError, match="is not in this class"):
        services.student_password_reset(classroom=ClassroomFactory(), student=student)


@pytest.mark.parametrize(
    ("first", "last", "base"),
    [
        ("Chloé", "Dubois", "chloed"),
        ("Søren", "Ødegård", "soreno"),
        ("Łukasz", "Żak", "lukaszz"),
        ("Zoë", "", "zoe"),
        ("Jean-Luc", "O'Neill", "jeanluco"),
        ("Straße", "Weiß", "strassew"),
        ("李", "明", "student"),
    ],
)
def test_usernames_are_lower_case_ascii_first_name_and_last_initial(first, last, base):
    assert services.username_base(first_name=first, last_name=last) == base


# Reading class lists


def test_a_class_list_with_a_bom_and_first_and_last_columns_is_read():
    rows, empty = services.roster_csv_read(
        data="\ufeffFirst Name,Last_Name,Email\nAmara, Okafor ,a@x.org\n".encode()
    )

    assert [(r.first_name, r.last_name, r.line) for r in rows] == [("Amara", "Okafor", 2)]
    assert empty == []


def test_a_semicolon_list_with_one_name_column_is_read():
    rows, _empty = services.roster_csv_read(data=b"Name;Class\nMary Ann Smith;7B\nCher;7B\n")

    assert [(r.first_name, r.last_name) for r in rows] == [("Mary Ann", "Smith"), ("Cher", "")]


def test_a_class_list_without_a_header_row_is_refused():
    with pytest.raises(ValidationError, match="The first row of this file is: Amara, Okafor"):
        services.roster_csv_read(data=b"Amara,Okafor\nBen,Demo\n")


def test_control_characters_mean_it_is_not_a_csv():
    with pytest.raises(ValidationError, match="not a CSV file"):
        services.roster_csv_read(data=b"Name\nAmara\x07\x1b[2J\n")


def test_a_class_list_over_1_mb_is_refused_even_when_read():
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        services.roster_csv_read(data=b"Name\n" + b"A" * services.ROSTER_MAX_BYTES)


def test_importing_more_than_a_class_at_once_is_refused_and_creates_nobody():
    classroom = ClassroomFactory()
    names = "\n".join(f"Pupil{n},Test" for n in range(services.ROSTER_MAX_STUDENTS + 1))

    with pytest.raises(ValidationError, match="import at most"):
        services.roster_import(classroom=classroom, data=f"First name,Last name\n{names}".encode())

    assert not get_user_model().objects.filter(last_name="Test").exists()


def test_imported_usernames_avoid_ones_already_taken():
    classroom = ClassroomFactory()
    # Every two-digit suffix made of 2–9 is taken, so the import must use three digits.
    for suffix in range(22, 100):
        StudentFactory(username=f"amarao{suffix}")

    result = services.roster_import(classroom=classroom, data=b"Name\nAmara Okafor\n")

    [(user, _password)] = result.created
    assert re.fullmatch(r"amarao\d{3,4}", user.username)
    assert Enrollment.objects.filter(classroom=classroom, student=user).exists()


# Assignments


def assign(teacher, quiz=None, **kwargs):
    now = timezone.now()
    terms = {
        "quiz": quiz or QuizFactory(owner=teacher, questions=1),
        "opens_at": now,
        "due_at": now + timedelta(days=1),
    } | kwargs
    return services.assignment_create(
        classroom=ClassroomFactory(teachers=[teacher]),
        teacher=teacher,
        terms=services.AssignmentTerms(**terms),
    )


def test_assigning_a_published_quiz(teacher):
    assignment = assign(teacher, attempts_allowed=3, reveal="after_due")

    assert assignment.pk and assignment.attempts_allowed == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"quiz_published": False}, "is not published yet"),
        ({"quiz_owner": "someone else"}, "only assign quizzes you wrote"),
        ({"due_at": "before"}, "The due time must be after the opening time"),
        ({"attempts_allowed": 0}, "Allow between 1 and 20 attempts"),
        ({"reveal": "after_due", "due_at": None}, "need a due date"),
    ],
)
def test_a_bad_assignment_is_refused_with_a_message(teacher, kwargs, message):
    quiz = QuizFactory(
        owner=teacher if kwargs.pop("quiz_owner", None) is None else TeacherFactory(),
        published=kwargs.pop("quiz_published", True),
        questions=1,
    )
    if kwargs.get("due_at") == "before":
        kwargs["due_at"] = timezone.now() - timedelta(hours=1)

    with pytest.raises(ValidationError, match=message):
        assign(teacher, quiz=quiz, **kwargs)

    assert not Assignment.objects.exists()


def test_the_quiz_cannot_change_once_students_have_started(teacher):
    assignment = AssignmentFactory(
        classroom=ClassroomFactory(teachers=[teacher]), quiz=QuizFactory(owner=teacher, questions=1)
    )
    AttemptFactory(assignment=assignment)
    other_quiz = QuizFactory(owner=teacher, questions=1)

    with pytest.raises(ValidationError, match="cannot change"):
        services.assignment_update(
            assignment=assignment,
            teacher=teacher,
            terms=services.AssignmentTerms(
                quiz=other_quiz, opens_at=assignment.opens_at, due_at=assignment.due_at
            ),
        )

    assignment.refresh_from_db()
    assert assignment.quiz != other_quiz


def test_a_colleagues_quiz_already_assigned_can_keep_its_settings_edited(teacher):
    colleague = TeacherFactory()
    assignment = AssignmentFactory(
        classroom=ClassroomFactory(teachers=[teacher, colleague]),
        quiz=QuizFactory(owner=colleague, questions=1),
    )

    services.assignment_update(
        assignment=assignment,
        teacher=teacher,
        terms=services.AssignmentTerms(
            quiz=assignment.quiz, opens_at=assignment.opens_at, attempts_allowed=2
        ),
    )

    assignment.refresh_from_db()
    assert assignment.attempts_allowed == 2


def test_closing_twice_is_refused():
    assignment = AssignmentFactory()
    services.assignment_close(assignment=assignment)

    with pytest.raises(ValidationError, match="already closed"):
        services.assignment_close(assignment=assignment)


def test_reopening_after_the_due_time_needs_a_new_due_time():
    assignment = AssignmentFactory(
        opens_at=timezone.now() - timedelta(days=2), due_at=timezone.now() - timedelta(days=1)
    )

    with pytest.raises(ValidationError, match="set a new due time"):
        services.assignment_reopen(assignment=assignment)
    with pytest.raises(ValidationError, match="must be in the future"):
        services.assignment_reopen(
            assignment=assignment, due_at=timezone.now() - timedelta(hours=1)
        )
    services.assignment_reopen(assignment=assignment, due_at=timezone.now() + timedelta(days=1))

    assignment.refresh_from_db()
    assert assignment.is_open()


def test_reopening_an_open_assignment_is_refused():
    with pytest.raises(ValidationError, match="open already"):
        services.assignment_reopen(assignment=AssignmentFactory())
