"""Gradebook, mastery, item analysis and progress numbers, checked on small examples by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from quiz import selectors, services
from quiz.models import Attempt, Classroom, Enrollment
from tests.factories import (
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def answer(attempt, answers, *, finished=True):
    """Answer right (True), wrong (False) or not (None) in question order, as a student does.

    Through response_submit, so the attempt's score and right answers per skill are kept.
    """
    questions = list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))
    for question, right in zip(questions, answers, strict=True):
        if right is None:
            continue
        choice = question.choices.filter(is_correct=right).order_by("position").first()
        services.response_submit(
            attempt_id=attempt.pk,
            student=attempt.student,
            question_id=question.pk,
            answer=services.Answer(choice_id=choice.pk),
        )
    attempt.refresh_from_db()
    attempt.max_score = sum(q.points for q in questions)
    if finished:
        attempt.submitted_at = attempt.started_at + timedelta(minutes=10)
    attempt.save()
    return attempt


@pytest.fixture
def five_students():
    """Three one-point questions (attribution, claims, sourcing) answered by five students.

    student  Q1 Q2 Q3  total
    S1        1  1  0    2
    S2        1  1  0    2
    S3        1  0  1    2
    S4        0  0  1    1   (and a second attempt, all wrong: 0)
    S5        0  -  -    0   (answered Q1 wrongly, left Q2 and Q3)
    """
    teacher = TeacherFactory()
    quiz = QuizFactory(owner=teacher, questions=0)
    skills = ["attribution", "claims", "sourcing"]
    questions = [QuestionFactory(owner=teacher, skill=skill) for skill in skills]
    for position, question in enumerate(questions, start=1):
        quiz.items.create(question=question, position=position)
    students = [StudentFactory(last_name=f"S{n}", first_name="Pupil") for n in range(1, 6)]
    classroom = ClassroomFactory(teachers=[teacher], students=students)
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz, attempts_allowed=2)
    marks = [
        [True, True, False],
        [True, True, False],
        [True, False, True],
        [False, False, True],
        [False, None, None],
    ]
    for student, row in zip(students, marks, strict=True):
        answer(AttemptFactory(assignment=assignment, student=student), row)
    answer(AttemptFactory(assignment=assignment, student=students[3], number=2), [False] * 3)
    return {
        "teacher": teacher,
        "classroom": classroom,
        "assignment": assignment,
        "students": students,
        "questions": questions,
    }


# Item analysis


def test_facility_and_discrimination_match_the_hand_computed_values(five_students):
    analysis = selectors.item_analysis(assignment=five_students["assignment"])

    q1, q2, q3 = analysis.items
    assert analysis.attempts == 5
    # Q1: x = [1,1,1,0,0]; rest of quiz y = total - x = [1,1,1,1,0].
    # n=5, Σx=3, Σy=4, Σxy=3, Σx²=3, Σy²=4.
    # r = (5·3 − 3·4) / √((5·3 − 3²)(5·4 − 4²)) = 3 / √(6·4) = 3 / 4.89898 = 0.61237
    assert q1.facility == pytest.approx(3 / 5)
    assert q1.discrimination == pytest.approx(0.61237, abs=1e-5)
    # Q2: x = [1,1,0,0,0]; y = [1,1,2,1,0]. Σx=2, Σy=5, Σxy=2, Σx²=2, Σy²=7.
    # r = (5·2 − 2·5) / √(...) = 0
    assert q2.facility == pytest.approx(2 / 5)
    assert q2.discrimination == pytest.approx(0.0)
    # Q3: x = [0,0,1,1,0]; y = [2,2,1,0,0]. Σx=2, Σy=5, Σxy=1, Σx²=2, Σy²=9.
    # r = (5·1 − 2·5) / √((5·2 − 2²)(5·9 − 5²)) = −5 / √(6·20) = −5 / 10.95445 = −0.45644
    assert q3.facility == pytest.approx(2 / 5)
    assert q3.discrimination == pytest.approx(-0.45644, abs=1e-5)
    assert [item.needs_checking for item in analysis.items] == [False, False, True]


def test_item_analysis_counts_answers_and_each_choice_picked(five_students):
    q1, q2, q3 = selectors.item_analysis(assignment=five_students["assignment"]).items

    assert (q1.answered, q1.right) == (5, 3)
    assert (q2.answered, q2.right) == (4, 2)
    assert (q3.answered, q3.right) == (4, 2)
    # Wrong answers always picked the first wrong choice ("Wrong"); nobody picked "Also wrong".
    assert [(c.choice.text, c.picked) for c in q1.choices] == [
        ("Right", 3),
        ("Wrong", 2),
        ("Also wrong", 0),
    ]


def test_item_analysis_ignores_second_attempts_unfinished_ones_and_other_classes(five_students):
    assignment = five_students["assignment"]
    late_starter = StudentFactory()
    Enrollment.objects.create(classroom=assignment.classroom, student=late_starter)
    answer(AttemptFactory(assignment=assignment, student=late_starter), [True] * 3, finished=False)
    outsider = StudentFactory()
    answer(AttemptFactory(assignment=assignment, student=outsider), [True] * 3)
    Enrollment.objects.filter(student=outsider).delete()  # since taken out of the class

    analysis = selectors.item_analysis(assignment=assignment)

    assert analysis.attempts == 5
    assert analysis.items[0].facility == pytest.approx(3 / 5)


def test_unfinished_first_attempts_count_once_the_assignment_is_closed(five_students):
    assignment = five_students["assignment"]
    late_starter = StudentFactory()
    Enrollment.objects.create(classroom=assignment.classroom, student=late_starter)
    answer(AttemptFactory(assignment=assignment, student=late_starter), [True] * 3, finished=False)
    assignment.closed_at = timezone.now()
    assignment.save()

    analysis = selectors.item_analysis(assignment=assignment)

    assert analysis.attempts == 6
    assert analysis.items[0].facility == pytest.approx(4 / 6)


def test_a_question_almost_nobody_gets_right_is_flagged():
    quiz = QuizFactory(questions=2)
    assignment = AssignmentFactory(quiz=quiz)
    for n in range(6):
        student = StudentFactory()
        Enrollment.objects.create(classroom=assignment.classroom, student=student)
        # Q1: everyone right (no spread: no discrimination). Q2: one right out of six.
        answer(AttemptFactory(assignment=assignment, student=student), [True, n == 0])

    q1, q2 = selectors.item_analysis(assignment=assignment).items

    assert q1.facility == 1.0 and q1.discrimination is None
    assert q2.facility == pytest.approx(1 / 6)
    assert not q1.needs_checking
    assert q2.needs_checking


def test_pearson_of_perfectly_related_sums_is_one():
    # x = [0, 1, 2], y = [1, 3, 5]: n=3, Σx=3, Σy=9, Σxy=13, Σx²=5, Σy²=35.
    assert selectors.pearson(n=3, sx=3, sy=9, sxy=13, sx2=5, sy2=35) == pytest.approx(1.0)
    assert selectors.pearson(n=1, sx=1, sy=1, sxy=1, sx2=1, sy2=1) is None


# Gradebook


def cell(book, student, assignment):
    row = next(r for r in book.rows if r.student == student)
    return row.cells[book.assignments.index(assignment)]


def test_gradebook_cells_show_the_best_attempt_by_default(five_students):
    classroom, assignment = five_students["classroom"], five_students["assignment"]
    s1, _s2, _s3, s4, s5 = five_students["students"]

    book = selectors.gradebook(classroom=classroom)

    assert (cell(book, s1, assignment).score, cell(book, s1, assignment).out_of) == (2, 3)
    assert cell(book, s1, assignment).percent == pytest.approx(200 / 3)
    # S4 scored 1, then 0: the best is 1.
    assert cell(book, s4, assignment).score == 1
    assert cell(book, s4, assignment).attempts == 2
    assert cell(book, s5, assignment).score == 0
    assert cell(book, s1, assignment).status == selectors.CellStatus.DONE
    # Class average of the counted scores: (2+2+2+1+0)/3 over five students = 7/15.
    assert book.assignments[0].average == pytest.approx(100 * 7 / 15)


def test_gradebook_shows_the_latest_attempt_when_the_class_says_so(five_students):
    classroom, assignment = five_students["classroom"], five_students["assignment"]
    classroom.score_policy = Classroom.ScorePolicy.LATEST
    classroom.save()
    s4 = five_students["students"][3]

    book = selectors.gradebook(classroom=classroom)

    assert cell(book, s4, assignment).score == 0


def test_gradebook_tells_not_started_in_progress_and_late_apart(five_students):
    classroom, assignment = five_students["classroom"], five_students["assignment"]
    waiting, working, late = StudentFactory(), StudentFactory(), StudentFactory()
    for student in (waiting, working, late):
        Enrollment.objects.create(classroom=classroom, student=student)
    answer(
        AttemptFactory(assignment=assignment, student=working), [True, None, None], finished=False
    )
    handed_in_late = answer(AttemptFactory(assignment=assignment, student=late), [True] * 3)
    handed_in_late.submitted_at = assignment.due_at + timedelta(minutes=5)
    handed_in_late.save()

    book = selectors.gradebook(classroom=classroom)

    assert cell(book, waiting, assignment).status == selectors.CellStatus.NOT_STARTED
    in_progress = cell(book, working, assignment)
    assert in_progress.status == selectors.CellStatus.IN_PROGRESS
    assert in_progress.answered == 1
    assert in_progress.score is None
    assert cell(book, late, assignment).status == selectors.CellStatus.LATE
    assert cell(book, late, assignment).score == 3


def test_gradebook_overall_is_the_share_of_marks_over_counted_attempts(five_students):
    classroom = five_students["classroom"]
    s1 = five_students["students"][0]
    second = AssignmentFactory(classroom=classroom, quiz=QuizFactory(questions=2))
    answer(AttemptFactory(assignment=second, student=s1), [True, True])

    book = selectors.gradebook(classroom=classroom)

    row = next(r for r in book.rows if r.student == s1)
    # (2 + 2) marks out of (3 + 2).
    assert row.overall == pytest.approx(80.0)


def test_gradebook_sorts_by_score_in_the_database(five_students):
    classroom, assignment = five_students["classroom"], five_students["assignment"]
    s1, s2, s3, s4, s5 = five_students["students"]
    newcomer = StudentFactory(last_name="A-newcomer")
    Enrollment.objects.create(classroom=classroom, student=newcomer)

    by_name = selectors.gradebook(classroom=classroom, sort="name")
    by_score = selectors.gradebook(classroom=classroom, sort=f"-a{assignment.pk}")
    by_score_up = selectors.gradebook(classroom=classroom, sort="overall")

    assert [r.student for r in by_name.rows] == [newcomer, s1, s2, s3, s4, s5]
    # Highest first, ties by name, no score last.
    assert [r.student for r in by_score.rows] == [s1, s2, s3, s4, s5, newcomer]
    assert [r.student for r in by_score_up.rows] == [s5, s4, s1, s2, s3, newcomer]


def test_gradebook_falls_back_to_name_order_for_an_unknown_sort(five_students):
    book = selectors.gradebook(classroom=five_students["classroom"], sort="a999999")

    assert book.sort == "name"


def test_gradebook_leaves_out_students_removed_from_the_class(five_students):
    classroom = five_students["classroom"]
    s1 = five_students["students"][0]
    Enrollment.objects.filter(classroom=classroom, student=s1).delete()

    book = selectors.gradebook(classroom=classroom)

    assert s1 not in [r.student for r in book.rows]
    assert Attempt.objects.filter(student=s1).exists()


# Mastery


def shares(rows):
    return {share.skill: (share.right, share.asked) for share in rows}


def test_mastery_per_skill_for_the_class_and_each_student(five_students):
    classroom = five_students["classroom"]
    s1, _s2, s3, _s4, s5 = five_students["students"]

    mastery = selectors.skill_mastery(classroom=classroom)

    # Q1 is attribution, Q2 claims, Q3 sourcing; one counted attempt per student.
    assert shares(mastery.classroom) == {
        "attribution": (3, 5),
        "claims": (2, 5),
        "sourcing": (2, 5),
    }
    assert [s.percent for s in mastery.classroom] == pytest.approx([60.0, 40.0, 40.0])
    per_student = dict(mastery.students)
    assert shares(per_student[s1]) == {"attribution": (1, 1), "claims": (1, 1), "sourcing": (0, 1)}
    assert shares(per_student[s3])["sourcing"] == (1, 1)
    # Questions left unanswered count as asked and not right.
    assert shares(per_student[s5]) == {"attribution": (0, 1), "claims": (0, 1), "sourcing": (0, 1)}


def test_mastery_follows_the_class_score_policy(five_students):
    classroom = five_students["classroom"]
    classroom.score_policy = Classroom.ScorePolicy.LATEST
    classroom.save()

    mastery = selectors.skill_mastery(classroom=classroom)

    # S4's latest attempt got Q3 wrong, so only S3 has sourcing right.
    assert shares(mastery.classroom)["sourcing"] == (1, 5)


def test_mastery_of_a_student_with_no_attempts_is_empty_not_zero(five_students):
    classroom = five_students["classroom"]
    newcomer = StudentFactory()
    Enrollment.objects.create(classroom=classroom, student=newcomer)

    mastery = selectors.skill_mastery(classroom=classroom, student=newcomer)

    [(student, rows)] = mastery.students
    assert student == newcomer
    assert [s.percent for s in rows] == [None, None, None]


# Score distribution and live progress


def test_score_distribution_puts_each_counted_score_in_its_tenth(five_students):
    bands = selectors.score_distribution(assignment=five_students["assignment"])

    counts = {band["low"]: band["students"] for band in bands}
    # 2/3 = 66% three times, 1/3 = 33% once, 0% once.
    assert counts == {0: 1, 10: 0, 20: 0, 30: 1, 40: 0, 50: 0, 60: 3, 70: 0, 80: 0, 90: 0}
    assert bands[-1]["high"] == 100


def test_live_progress_shows_each_students_latest_attempt(five_students):
    classroom, assignment = five_students["classroom"], five_students["assignment"]
    s4 = five_students["students"][3]
    working, waiting = StudentFactory(), StudentFactory()
    for student in (working, waiting):
        Enrollment.objects.create(classroom=classroom, student=student)
    answer(
        AttemptFactory(assignment=assignment, student=working), [True, False, None], finished=False
    )

    progress = selectors.live_progress(assignment=assignment)

    rows = {row.student: row for row in progress.rows}
    assert (rows[working].answered, rows[working].right, rows[working].finished) == (2, 1, False)
    assert (rows[s4].number, rows[s4].answered, rows[s4].right) == (2, 3, 0)
    assert rows[waiting].number is None
    assert (progress.students, progress.finished, progress.working, progress.not_started) == (
        7,
        5,
        1,
        1,
    )
    assert progress.question_count == 3


def test_roster_lists_a_student_in_two_classes_once_with_this_classs_join_date(five_students):
    classroom = five_students["classroom"]
    s1 = five_students["students"][0]
    other = ClassroomFactory(students=[s1])
    Enrollment.objects.filter(classroom=other).update(joined_at=timezone.now() + timedelta(days=9))

    rows = list(selectors.roster(classroom=classroom))

    assert [r.pk for r in rows].count(s1.pk) == 1
    here = Enrollment.objects.get(classroom=classroom, student=s1).joined_at
    assert next(r for r in rows if r.pk == s1.pk).joined_at == here
    assert next(r for r in rows if r.pk == s1.pk).handed_in_count == 1
