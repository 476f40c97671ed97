"""Booster practice pages: the student's practice (start, questions, answers, done), their
home's "Practice due" list, the teacher's practice page and its CSV, and the assignment form's
booster fields."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Booster, Enrollment
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    BoosterFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}


@pytest.fixture
def course():
    """A class whose assignment closed yesterday, and a student with a five-question booster."""
    teacher = TeacherFactory()
    student = StudentFactory()
    classroom = ClassroomFactory(teachers=[teacher], students=[student])
    now = timezone.now()
    assignment = AssignmentFactory(
        classroom=classroom,
        quiz=QuizFactory(owner=teacher, questions=2),
        opens_at=now - timedelta(days=5),
        due_at=now - timedelta(days=2),
    )
    article = ArticleFactory(owner=teacher)
    questions = [QuestionFactory(article=article, owner=teacher) for _ in range(5)]
    booster = BoosterFactory(
        assignment=assignment,
        student=student,
        due_at=now - timedelta(hours=1),
        questions=questions,
    )
    return {
        "teacher": teacher,
        "student": student,
        "classroom": classroom,
        "assignment": assignment,
        "questions": questions,
        "booster": booster,
    }


def start_url(booster):
    return reverse("quiz:practice", args=[booster.pk])


def question_url(booster, question):
    return reverse("quiz:practice_question", args=[booster.pk, question.pk])


def answer_url(booster, question):
    return reverse("quiz:practice_answer", args=[booster.pk, question.pk])


def done_url(booster):
    return reverse("quiz:practice_done", args=[booster.pk])


def right_choice(question):
    return question.choices.get(is_correct=True)


def answer_all(client, booster, questions):
    for question in questions:
        response = client.post(answer_url(booster, question), {"choice": right_choice(question).pk})
        assert response.status_code == 302


# Doing a booster


def test_start_goes_to_the_first_question_then_to_the_first_unanswered(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])

    assert client.get(start_url(booster)).url == question_url(booster, questions[0])
    client.post(answer_url(booster, questions[0]), {"choice": right_choice(questions[0]).pk})

    assert client.get(start_url(booster)).url == question_url(booster, questions[1])


def test_question_page_is_the_quiz_stage_with_a_practice_note(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])

    response = client.get(question_url(booster, questions[0]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="practice-banner"' in html
    assert "Question 1 of 5" in html
    assert "Practice: Claims vs facts" in html
    assert f'action="{answer_url(booster, questions[0])}"' in html
    assert "Check my answer" in html


def test_htmx_answer_swaps_the_card_with_the_feedback(client, course):
    booster, question = course["booster"], course["questions"][0]
    client.force_login(course["student"])

    response = client.post(
        answer_url(booster, question), {"choice": right_choice(question).pk}, headers=ANSWER
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="question-card"' in html
    assert "Correct" in html
    assert 'id="progress"' in html and 'hx-swap-oob="true"' in html
    assert reverse("quiz:practice_question", args=[booster.pk, course["questions"][1].pk]) in html
    item = booster.items.get(question=question)
    assert item.is_correct is True and item.answered_at is not None


def test_htmx_next_question_gets_the_stage_only(client, course):
    booster, question = course["booster"], course["questions"][1]
    client.force_login(course["student"])

    response = client.get(question_url(booster, question), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="stage"' in html and "<title>" in html


def test_answer_without_javascript_redirects_back_to_the_feedback(client, course):
    booster, question = course["booster"], course["questions"][0]
    client.force_login(course["student"])

    response = client.post(answer_url(booster, question), {"choice": right_choice(question).pk})

    assert response.status_code == 302
    assert response.url == question_url(booster, question)
    page = client.get(response.url).content.decode()
    assert 'id="feedback"' in page and "Correct" in page


def test_unreadable_answer_is_a_message_not_an_error(client, course):
    booster, question = course["booster"], course["questions"][0]
    client.force_login(course["student"])

    plain = client.post(answer_url(booster, question), {"choice": "abc"}, follow=True)
    htmx = client.post(answer_url(booster, question), {"choice": "abc"}, headers=ANSWER)
    empty = client.post(answer_url(booster, question), {}, headers=ANSWER)

    assert plain.status_code == 200
    assert list(plain.context["messages"])
    assert htmx.status_code == 400 and 'role="alert"' in htmx.content.decode()
    assert empty.status_code == 400
    assert booster.items.filter(answered_at__isnull=False).count() == 0


def test_a_choice_of_another_question_is_refused(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])

    response = client.post(
        answer_url(booster, questions[0]), {"choice": right_choice(questions[1]).pk}, headers=ANSWER
    )

    assert response.status_code == 400
    assert booster.items.filter(answered_at__isnull=False).count() == 0


def test_second_different_answer_to_a_question_is_rejected(client, course):
    booster, question = course["booster"], course["questions"][0]
    client.force_login(course["student"])
    wrong = question.choices.filter(is_correct=False).first()
    client.post(answer_url(booster, question), {"choice": right_choice(question).pk})

    again = client.post(answer_url(booster, question), {"choice": wrong.pk}, headers=ANSWER)
    same = client.post(
        answer_url(booster, question), {"choice": right_choice(question).pk}, headers=ANSWER
    )

    assert again.status_code == 409
    assert same.status_code == 200
    assert booster.items.get(question=question).is_correct is True


def test_a_question_not_in_the_booster_is_404(client, course):
    booster = course["booster"]
    other = QuestionFactory()
    client.force_login(course["student"])

    assert client.get(question_url(booster, other)).status_code == 404
    assert client.post(answer_url(booster, other), {"choice": 1}).status_code == 404


@pytest.mark.parametrize("who", ["classmate", "teacher"])
def test_someone_elses_booster_is_404(client, course, who):
    booster, question = course["booster"], course["questions"][0]
    if who == "classmate":
        user = StudentFactory()
        Enrollment.objects.create(classroom=course["classroom"], student=user)
    else:
        user = course["teacher"]
    client.force_login(user)

    assert client.get(start_url(booster)).status_code == 404
    assert client.get(question_url(booster, question)).status_code == 404
    assert client.get(question_url(booster, question), headers=HTMX).status_code == 404
    answer = client.post(answer_url(booster, question), {"choice": right_choice(question).pk})
    assert answer.status_code == 404
    assert client.get(done_url(booster)).status_code == 404
    assert client.post(done_url(booster)).status_code == 404
    assert not booster.items.filter(answered_at__isnull=False).exists()


def test_a_student_removed_from_the_class_no_longer_sees_the_booster(client, course):
    booster = course["booster"]
    Enrollment.objects.filter(student=course["student"]).delete()
    client.force_login(course["student"])

    assert client.get(start_url(booster)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, course):
    booster = course["booster"]

    response = client.get(start_url(booster))

    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_done_page_shows_the_score_and_the_trend(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])
    wrong = questions[0].choices.filter(is_correct=False).first()
    client.post(answer_url(booster, questions[0]), {"choice": wrong.pk})
    answer_all(client, booster, questions[1:])

    last = client.get(question_url(booster, questions[-1])).content.decode()
    finish = client.post(done_url(booster))
    response = client.get(done_url(booster))

    assert f'action="{done_url(booster)}"' in last  # the stage's Finish button
    assert finish.status_code == 302 and finish.url == done_url(booster)
    booster.refresh_from_db()
    assert booster.is_finished
    html = response.content.decode()
    assert response.status_code == 200
    assert "4 out of 5 right" in html
    assert "Booster 1" in html and "Assignments" in html
    assert "<svg" in html and "80%" in html


def test_done_page_before_the_end_sends_back_to_the_questions(client, course):
    booster = course["booster"]
    client.force_login(course["student"])

    response = client.get(done_url(booster))

    assert response.status_code == 302 and response.url == start_url(booster)


def test_start_of_a_finished_booster_goes_to_the_done_page(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])
    answer_all(client, booster, questions)

    assert client.get(start_url(booster)).url == done_url(booster)


# The student's home


def test_home_lists_practice_due_with_its_length(client, course):
    client.force_login(course["student"])

    html = client.get(reverse("quiz:my_classes")).content.decode()

    assert "Practice due" in html
    assert "5 questions, about 3 minutes" in html
    assert f'href="{start_url(course["booster"])}"' in html


def test_home_says_how_much_is_left_of_a_practice_begun(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])
    answer_all(client, booster, questions[:2])

    html = client.get(reverse("quiz:my_classes")).content.decode()

    assert "3 of 5 questions left, about 2 minutes" in html
    assert "Carry on" in html


def test_home_leaves_out_practice_not_due_or_finished(client, course):
    booster, questions = course["booster"], course["questions"]
    BoosterFactory(
        assignment=course["assignment"],
        student=course["student"],
        slot=2,
        due_at=timezone.now() + timedelta(days=3),
        questions=questions[:1],
    )
    client.force_login(course["student"])
    answer_all(client, booster, questions)

    html = client.get(reverse("quiz:my_classes")).content.decode()

    assert "Practice due" not in html


@pytest.fixture(params=[1, 6])
def many_boosters(request):
    """A student with 1 or 6 boosters due, over as many assignments."""
    student = StudentFactory()
    classroom = ClassroomFactory(students=[student])
    for _ in range(request.param):
        BoosterFactory(
            assignment=AssignmentFactory(classroom=classroom),
            student=student,
            questions=[QuestionFactory() for _ in range(2)],
        )
    return student, request.param


def test_home_queries_do_not_grow_with_the_practice_due(
    client, django_assert_num_queries, many_boosters
):
    student, size = many_boosters
    client.force_login(student)

    # The session and user, the classes with their open assignments, the boosters due, the
    # study tests open.
    with django_assert_num_queries(5):
        response = client.get(reverse("quiz:my_classes"))

    assert response.content.decode().count(">Start<") == size


# The teacher's practice page


def test_teacher_practice_page_shows_completion_chart_and_table(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])
    answer_all(client, booster, questions)
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_practice", args=[course["classroom"].pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 1 practice set due finished" in html
    assert html.count("<svg") == 3  # one chart per skill
    assert "Booster 1" in html
    assert "100% (5 answers)" in html
    assert 'aria-current="true">Practice<' in html
    assert reverse("quiz:teach_practice_csv", args=[course["classroom"].pk]) in html


def test_teacher_practice_page_lists_students_slipping(client, course):
    booster, questions = course["booster"], course["questions"]
    # Right on both claims questions of the assignment, wrong on every one of the booster.
    AttemptFactory(
        assignment=course["assignment"],
        student=course["student"],
        started_at=timezone.now() - timedelta(days=3),
        submitted_at=timezone.now() - timedelta(days=3),
        answered=2,
        score=2,
        max_score=2,
        right_claims=2,
    )
    client.force_login(course["student"])
    for question in questions:
        wrong = question.choices.filter(is_correct=False).first()
        client.post(answer_url(booster, question), {"choice": wrong.pk})
    client.force_login(course["teacher"])

    html = client.get(reverse("quiz:teach_practice", args=[course["classroom"].pk])).content
    html = html.decode()

    assert "No one is slipping" not in html
    assert (
        reverse("quiz:teach_student", args=[course["classroom"].pk, course["student"].pk]) in html
    )
    assert "0% in the latest practice" in html


def test_a_long_slipping_list_shows_the_furthest_fallen_and_the_rest_on_request(
    client, course, monkeypatch
):
    booster, questions = course["booster"], course["questions"]
    AttemptFactory(
        assignment=course["assignment"],
        student=course["student"],
        started_at=timezone.now() - timedelta(days=3),
        submitted_at=timezone.now() - timedelta(days=3),
        answered=2,
        score=2,
        max_score=2,
        right_claims=2,
    )
    client.force_login(course["student"])
    for question in questions:
        wrong = question.choices.filter(is_correct=False).first()
        client.post(answer_url(booster, question), {"choice": wrong.pk})
    client.force_login(course["teacher"])
    monkeypatch.setattr("quiz.views.teach.SLIPPING_SHOWN", 0)
    url = reverse("quiz:teach_practice", args=[course["classroom"].pk])
    student_url = reverse("quiz:teach_student", args=[course["classroom"].pk, course["student"].pk])

    first = client.get(url).content.decode()
    everyone = client.get(url, {"slipping": "all"}).content.decode()

    listed = f'<li><a href="{student_url}">'
    assert listed not in first and "Show 1 more student<" in first
    assert listed in everyone and "more student" not in everyone


def test_teacher_practice_page_with_nothing_due_says_so(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)

    response = client.get(reverse("quiz:teach_practice", args=[classroom.pk]))

    assert response.status_code == 200
    assert "No practice is due yet" in response.content.decode()


def test_practice_pages_are_the_class_teachers_only(client, course):
    classroom = course["classroom"]
    urls = [
        reverse("quiz:teach_practice", args=[classroom.pk]),
        reverse("quiz:teach_practice_csv", args=[classroom.pk]),
    ]
    client.force_login(TeacherFactory())
    assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(course["student"])
    assert [client.get(url).status_code for url in urls] == [403, 403]


def test_practice_csv_has_a_bom_and_one_row_per_skill_and_stage(client, course):
    booster, questions = course["booster"], course["questions"]
    client.force_login(course["student"])
    answer_all(client, booster, questions)
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_practice_csv", args=[course["classroom"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["Skill", "Stage", "Share right %", "Answers"]
    assert ["Claims vs facts", "Booster 1", "100.0", "5"] in rows
    # Every skill at the assignments and at the assignment's three booster days.
    assert len(rows) == 1 + 3 * 4


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from quiz.views.teach import csv_safe

    assert csv_safe("=1+1") == "'=1+1"
    assert csv_safe("Booster 1") == "Booster 1"


@pytest.fixture(params=[(2, 1), (12, 3)])
def practising_class(request):
    """A class of 2 students and one closed assignment, or 12 and three; each student has a
    finished booster and one due after each assignment."""
    size, assignments = request.param
    teacher = TeacherFactory()
    students = [StudentFactory() for _ in range(size)]
    classroom = ClassroomFactory(teachers=[teacher], students=students)
    now = timezone.now()
    questions = [QuestionFactory() for _ in range(3)]
    for _ in range(assignments):
        assignment = AssignmentFactory(
            classroom=classroom, opens_at=now - timedelta(days=5), due_at=now - timedelta(days=3)
        )
        for student in students:
            booster = BoosterFactory(assignment=assignment, student=student, questions=questions)
            booster.items.update(answered_at=timezone.now(), is_correct=True, choice=None)
            Booster.objects.filter(pk=booster.pk).update(finished_at=timezone.now())
            BoosterFactory(assignment=assignment, student=student, slot=2, questions=questions[:1])
    return teacher, classroom


def test_teacher_practice_page_queries_do_not_grow_with_the_class(
    client, django_assert_num_queries, practising_class
):
    teacher, classroom = practising_class
    client.force_login(teacher)

    with django_assert_num_queries(11):
        response = client.get(reverse("quiz:teach_practice", args=[classroom.pk]))

    assert response.status_code == 200


def test_practice_csv_queries_do_not_grow_with_the_class(
    client, django_assert_num_queries, practising_class
):
    teacher, classroom = practising_class
    client.force_login(teacher)

    with django_assert_num_queries(11):
        response = client.get(reverse("quiz:teach_practice_csv", args=[classroom.pk]))

    assert response.status_code == 200


# The assignment form


def assignment_post(quiz, **fields):
    opens = timezone.localtime() - timedelta(hours=1)
    return {
        "quiz": quiz.pk,
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "attempts_allowed": 1,
        "reveal": "after_each",
        **fields,
    }


def test_assignment_form_offers_booster_practice_on_by_default(client, course):
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]))

    html = response.content.decode()
    assert "Booster practice" in html and "Days after the close" in html
    assert re.search(r'<input type="checkbox" name="boosters"[^>]* checked>', html)
    assert re.search(r'<input type="text" name="booster_days" value="2,7,21"', html)


def test_assignment_is_saved_with_its_booster_spacing(client, course):
    client.force_login(course["teacher"])
    quiz = course["assignment"].quiz

    response = client.post(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]),
        assignment_post(quiz, boosters="on", booster_days="3, 10"),
    )

    assert response.status_code == 302
    assignment = Assignment.objects.latest("pk")
    assert (assignment.boosters, assignment.booster_days) == (True, "3,10")


def test_assignment_without_boosters_keeps_the_usual_spacing(client, course):
    client.force_login(course["teacher"])
    quiz = course["assignment"].quiz

    client.post(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]),
        assignment_post(quiz, booster_days=""),
    )

    assignment = Assignment.objects.latest("pk")
    assert (assignment.boosters, assignment.booster_days) == (False, "2,7,21")


@pytest.mark.parametrize("days", ["7,2", "two", "0,5", "1,2,3,4,5,6"])
def test_unreadable_booster_spacing_is_shown_on_the_form(client, course, days):
    client.force_login(course["teacher"])
    quiz = course["assignment"].quiz
    before = Assignment.objects.count()

    response = client.post(
        reverse("quiz:teach_assignment_create", args=[course["classroom"].pk]),
        assignment_post(quiz, boosters="on", booster_days=days),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["booster_days"]
    assert Assignment.objects.count() == before


def test_assignment_edit_form_shows_its_booster_settings(client, course):
    assignment = course["assignment"]
    Assignment.objects.filter(pk=assignment.pk).update(boosters=False, booster_days="1,4")
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_assignment_update", args=[assignment.pk]))

    form = response.context["form"]
    assert form["boosters"].value() is False
    assert form["booster_days"].value() == "1,4"


def test_the_assignment_page_says_when_practice_comes_or_that_it_is_off(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    practised = AssignmentFactory(classroom=classroom, booster_days="3,10")
    without = AssignmentFactory(classroom=classroom, boosters=False)
    client.force_login(teacher)

    def booster_fact(assignment) -> str:
        html = client.get(reverse("quiz:teach_assignment", args=[assignment.pk])).content.decode()
        return re.search(r"<dt>Booster practice</dt><dd>(.*?)</dd>", html).group(1)

    assert booster_fact(practised).startswith("3, 10 days after it closes")
    assert reverse("quiz:teach_practice", args=[classroom.pk]) in booster_fact(practised)
    assert booster_fact(without) == "off"
