"""Study pages: the teacher's list, new study, tests opened and refused, practice linked, the
report and its downloads; the student's tests on the home page, taken on the question stage
with no answer shown, resumed, handed in, and nobody else's."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from quiz import selectors, services
from quiz.models import Question, Study, StudySitting
from quiz.services import Answer
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}


def parallel_forms(teacher, questions: int = 3):
    """Two published quizzes of the teacher on two articles, the same kinds and skills."""
    return [
        QuizFactory(
            owner=teacher,
            published=True,
            questions=[QuestionFactory(article=article, owner=teacher) for _ in range(questions)],
        )
        for article in (ArticleFactory(owner=teacher), ArticleFactory(owner=teacher))
    ]


def study_class(students: int = 4, questions: int = 3):
    teacher = TeacherFactory()
    pupils = [StudentFactory() for _ in range(students)]
    classroom = ClassroomFactory(teachers=[teacher], students=pupils)
    form_a, form_b = parallel_forms(teacher, questions)
    study = services.study_create(
        classroom=classroom, teacher=teacher, title="Autumn", form_a=form_a, form_b=form_b
    )
    return {"teacher": teacher, "students": pupils, "classroom": classroom, "study": study}


@pytest.fixture
def course():
    return study_class()


def pre_open(study) -> None:
    services.phase_open(
        study=study, phase=Study.Phase.PRE, opens_at=timezone.now() - timedelta(minutes=1)
    )


def sitting_of(study, student, phase=Study.Phase.PRE) -> StudySitting:
    return StudySitting.objects.get(
        phase__study=study, phase__phase=phase, participant__student=student
    )


def right_choice(question):
    return question.choices.get(is_correct=True)


def wrong_choice(question):
    return question.choices.filter(is_correct=False).first()


def sit(sitting, student, right: int) -> None:
    """Answer the sitting: the first `right` questions right, the others wrong."""
    for number, item in enumerate(sitting.items.order_by("position")):
        choice = right_choice(item.question) if number < right else wrong_choice(item.question)
        services.sitting_answer(
            sitting_id=sitting.pk,
            student=student,
            question_id=item.question_id,
            answer=Answer(choice_id=choice.pk),
        )


# Teachers: studies list and new study


def test_the_class_nav_has_a_studies_tab(client, course):
    client.force_login(course["teacher"])
    response = client.get(reverse("quiz:teach_classroom", args=[course["classroom"].pk]))
    assert reverse("quiz:teach_studies", args=[course["classroom"].pk]) in response.text


def test_a_teacher_creates_a_study_from_two_published_quizzes(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    form_a, form_b = parallel_forms(teacher)
    client.force_login(teacher)
    url = reverse("quiz:teach_studies", args=[classroom.pk])

    page = client.get(url)
    response = client.post(url, {"title": "Spring", "form_a": form_a.pk, "form_b": form_b.pk})

    assert page.status_code == 200 and "New study" in page.text
    study = Study.objects.get(classroom=classroom)
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:teach_study", args=[study.pk])
    assert (study.title, study.form_a, study.form_b) == ("Spring", form_a, form_b)


def test_the_same_quiz_twice_is_refused_in_words(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    form_a, _form_b = parallel_forms(teacher)
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_studies", args=[classroom.pk]),
        {"title": "Spring", "form_a": form_a.pk, "form_b": form_a.pk},
    )

    assert response.status_code == 400
    assert "Form B must be a different quiz" in response.text
    assert not Study.objects.exists()


def test_forms_of_different_kinds_are_refused_saying_how(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    form_a = QuizFactory(owner=teacher, questions=[QuestionFactory(owner=teacher)])
    form_b = QuizFactory(
        owner=teacher, questions=[QuestionFactory(owner=teacher) for _ in range(2)]
    )
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_studies", args=[classroom.pk]),
        {"title": "Spring", "form_a": form_a.pk, "form_b": form_b.pk},
    )

    assert response.status_code == 400
    assert "same kinds of question" in response.text


def test_another_teachers_quiz_is_not_offered_and_is_refused(client):
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    form_a, _ = parallel_forms(teacher)
    theirs, _ = parallel_forms(TeacherFactory())
    client.force_login(teacher)
    url = reverse("quiz:teach_studies", args=[classroom.pk])

    page = client.get(url)
    response = client.post(url, {"title": "x", "form_a": form_a.pk, "form_b": theirs.pk})

    assert theirs.title not in page.text
    assert response.status_code == 400
    assert not Study.objects.exists()


def test_other_teachers_do_not_see_the_study(client, course):
    client.force_login(TeacherFactory())
    study = course["study"]
    for url in (
        reverse("quiz:teach_studies", args=[course["classroom"].pk]),
        reverse("quiz:teach_study", args=[study.pk]),
        reverse("quiz:teach_study_csv", args=[study.pk]),
        reverse("quiz:teach_study_data", args=[study.pk]),
        reverse("quiz:teach_study_codebook", args=[study.pk]),
    ):
        assert client.get(url).status_code == 404, url


# Teachers: opening tests, linking practice


def test_opening_the_pre_test_seats_every_student_and_lists_them(client, course):
    client.force_login(course["teacher"])
    study = course["study"]

    response = client.post(reverse("quiz:teach_study_phase", args=[study.pk]), {"phase": "pre"})
    page = client.get(reverse("quiz:teach_study", args=[study.pk]))

    assert response.status_code == 302
    assert StudySitting.objects.filter(phase__study=study).count() == len(course["students"])
    for participant in study.participants.select_related("student"):
        assert participant.pseudonym in page.text
        assert participant.student.get_full_name() in page.text
    assert "Open the post-test" in page.text


def test_the_post_test_before_the_pre_test_is_refused_in_words(client, course):
    client.force_login(course["teacher"])
    study = course["study"]

    response = client.post(reverse("quiz:teach_study_phase", args=[study.pk]), {"phase": "post"})

    assert response.status_code == 400
    assert "Open the pre-test before the post-test." in response.text
    assert not study.phases.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phase": "pre", "opens_at": "tomorrow"}, "Enter a valid date/time."),
        (
            {"phase": "pre", "opens_at": "2030-01-02T10:00", "due_at": "2030-01-01T10:00"},
            "The due time must come after the test opens.",
        ),
        ({"phase": "later"}, "Select a valid choice."),
    ],
)
def test_bad_times_or_tests_are_refused_in_words(client, course, data, message):
    client.force_login(course["teacher"])

    response = client.post(reverse("quiz:teach_study_phase", args=[course["study"].pk]), data)

    assert response.status_code == 400
    assert message in response.text


def test_an_assignment_of_the_class_is_linked_as_practice(client, course):
    client.force_login(course["teacher"])
    study = course["study"]
    assignment = AssignmentFactory(
        classroom=course["classroom"], quiz=QuizFactory(owner=course["teacher"], questions=1)
    )

    response = client.post(
        reverse("quiz:teach_study_practice", args=[study.pk]), {"assignment": assignment.pk}
    )
    page = client.get(reverse("quiz:teach_study", args=[study.pk]))

    assert response.status_code == 302
    assert study.practice_links.get().assignment == assignment
    assert reverse("quiz:teach_assignment", args=[assignment.pk]) in page.text


def test_another_class_assignment_cannot_be_linked(client, course):
    client.force_login(course["teacher"])
    other = AssignmentFactory(classroom=ClassroomFactory(teachers=[course["teacher"]]))

    response = client.post(
        reverse("quiz:teach_study_practice", args=[course["study"].pk]), {"assignment": other.pk}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert not course["study"].practice_links.exists()


# Students: the home page and taking a test


def test_the_home_page_lists_an_open_test_with_its_length(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    client.force_login(student)

    response = client.get(reverse("quiz:my_classes"))

    assert "Tests to take" in response.text
    assert "Test: 3 questions" in response.text
    assert reverse("quiz:test", args=[sitting_of(study, student).pk]) in response.text


def test_a_test_starts_at_its_first_question_and_shows_no_answer(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    first = sitting.items.order_by("position").first().question
    client.force_login(student)

    start = client.get(reverse("quiz:test", args=[sitting.pk]))
    answered = client.post(
        reverse("quiz:test_answer", args=[sitting.pk, first.pk]),
        {"choice": wrong_choice(first).pk},
        headers=ANSWER,
    )

    assert start["Location"] == reverse("quiz:test_question", args=[sitting.pk, first.pk])
    assert answered.status_code == 200
    assert 'id="question-card"' in answered.text and "<html" not in answered.text
    assert "Answer saved" in answered.text
    assert "Not quite" not in answered.text and "Correct" not in answered.text
    assert right_choice(first).text not in answered.text.split("Your answer:")[1]


def test_a_test_question_page_says_it_is_a_test_and_records_the_start(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    first = sitting.items.order_by("position").first().question
    client.force_login(student)

    page = client.get(reverse("quiz:test_question", args=[sitting.pk, first.pk]))
    fragment = client.get(reverse("quiz:test_question", args=[sitting.pk, first.pk]), headers=HTMX)

    assert page.status_code == 200 and 'id="test-banner"' in page.text
    assert "Save my answer" in page.text
    assert "<html" not in fragment.text and 'id="stage"' in fragment.text
    sitting.refresh_from_db()
    assert sitting.started_at is not None


def test_without_javascript_an_answer_redirects_to_the_question(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    first = sitting.items.order_by("position").first().question
    client.force_login(student)
    url = reverse("quiz:test_question", args=[sitting.pk, first.pk])

    response = client.post(
        reverse("quiz:test_answer", args=[sitting.pk, first.pk]), {"choice": "not a number"}
    )

    assert response.status_code == 302 and response["Location"] == url
    assert not sitting.items.filter(answered_at__isnull=False).exists()


def test_a_test_resumes_at_the_first_question_left(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    items = list(sitting.items.order_by("position"))
    services.sitting_answer(
        sitting_id=sitting.pk,
        student=student,
        question_id=items[0].question_id,
        answer=Answer(choice_id=right_choice(items[0].question).pk),
    )
    client.force_login(student)

    response = client.get(reverse("quiz:test", args=[sitting.pk]))
    home = client.get(reverse("quiz:my_classes"))

    assert response["Location"] == reverse(
        "quiz:test_question", args=[sitting.pk, items[1].question_id]
    )
    assert "2 of 3 questions left" in home.text


def test_the_done_page_gives_the_score_only_and_thanks(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    sit(sitting, student, right=2)
    client.force_login(student)

    response = client.get(reverse("quiz:test_done", args=[sitting.pk]))
    home = client.get(reverse("quiz:my_classes"))

    assert "2 out of 3 right" in response.text
    assert "Thank you" in response.text
    for item in sitting.items.select_related("question"):
        assert item.question.prompt not in response.text
    assert "Tests to take" not in home.text


def test_handing_in_early_counts_what_is_left_and_ends_the_test(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    client.force_login(student)

    early = client.get(reverse("quiz:test_done", args=[sitting.pk]))
    handed = client.post(reverse("quiz:test_done", args=[sitting.pk]))
    after = client.get(reverse("quiz:test", args=[sitting.pk]))

    assert early["Location"] == reverse("quiz:test", args=[sitting.pk])
    assert handed["Location"] == reverse("quiz:test_done", args=[sitting.pk])
    assert after["Location"] == reverse("quiz:test_done", args=[sitting.pk])
    assert "0 out of 3 right" in client.get(handed["Location"]).text


def test_a_closed_test_takes_no_answer_and_goes_to_the_end(client, course):
    study = course["study"]
    services.phase_open(
        study=study,
        phase=Study.Phase.PRE,
        opens_at=timezone.now() - timedelta(days=2),
        due_at=timezone.now() - timedelta(days=1),
    )
    student = course["students"][0]
    sitting = sitting_of(study, student)
    first = sitting.items.order_by("position").first().question
    client.force_login(student)

    question = client.get(reverse("quiz:test_question", args=[sitting.pk, first.pk]))
    answer = client.post(
        reverse("quiz:test_answer", args=[sitting.pk, first.pk]),
        {"choice": right_choice(first).pk},
        headers=ANSWER,
    )

    assert question["Location"] == reverse("quiz:test_done", args=[sitting.pk])
    assert answer.status_code == 403 and "closed" in answer.text


def test_other_students_sittings_are_not_found(client, course):
    study = course["study"]
    pre_open(study)
    sitting = sitting_of(study, course["students"][0])
    first = sitting.items.order_by("position").first().question
    client.force_login(course["students"][1])

    for response in (
        client.get(reverse("quiz:test", args=[sitting.pk])),
        client.get(reverse("quiz:test_question", args=[sitting.pk, first.pk])),
        client.post(
            reverse("quiz:test_answer", args=[sitting.pk, first.pk]),
            {"choice": right_choice(first).pk},
        ),
        client.get(reverse("quiz:test_done", args=[sitting.pk])),
        client.post(reverse("quiz:test_done", args=[sitting.pk])),
    ):
        assert response.status_code == 404
    assert not sitting.items.filter(answered_at__isnull=False).exists()


def test_a_student_who_left_the_class_cannot_go_on(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    course["classroom"].enrollments.filter(student=student).delete()
    client.force_login(student)

    assert client.get(reverse("quiz:test", args=[sitting.pk])).status_code == 404


def test_a_question_of_another_form_is_not_found(client, course):
    study = course["study"]
    pre_open(study)
    student = course["students"][0]
    sitting = sitting_of(study, student)
    other_form = study.form_b if sitting.form == "A" else study.form_a
    client.force_login(student)

    response = client.get(
        reverse("quiz:test_question", args=[sitting.pk, other_form.questions.first().pk])
    )

    assert response.status_code == 404


# Query counts


HOME_QUERIES = 5


@pytest.mark.parametrize("tests", [1, 3])
def test_the_home_page_makes_as_many_queries_for_one_test_as_for_three(
    client, django_assert_num_queries, tests
):
    student = StudentFactory()
    for _ in range(tests):
        course = study_class(students=1)
        course["classroom"].enrollments.create(student=student)
        pre_open(course["study"])
    client.force_login(student)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("quiz:my_classes"))

    assert response.text.count("Test: 3 questions") == tests


# The report and its downloads


def studied(students: int) -> dict:
    """A study whose pre-test and post-test every student took: one right at pre, all at post."""
    course = study_class(students=students)
    study = course["study"]
    pre_open(study)
    for student in course["students"]:
        sit(sitting_of(study, student), student, right=1)
    services.phase_open(
        study=study, phase=Study.Phase.POST, opens_at=timezone.now() - timedelta(minutes=1)
    )
    for student in course["students"]:
        sit(sitting_of(study, student, Study.Phase.POST), student, right=3)
    return course


def test_the_report_shows_the_gain_with_its_formula_and_the_downloads(client):
    course = studied(students=4)
    study = course["study"]
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_study", args=[study.pk]))

    assert response.status_code == 200
    text = response.text
    assert "Mean score at each test, per skill, with 95% intervals" in text
    assert "J = 1 − 3 ÷ (4(n − 1) − 1)" in text
    assert 'id="gain-overall"' in text
    gain = text.split('id="gain-overall"')[1].split("</tr>")[0]
    assert "+66.67 points" in gain  # 33% to 100%
    assert "4 / 0 / 0" in gain
    assert 'id="discernment-sentence"' in text
    for name in ("teach_study_csv", "teach_study_data", "teach_study_codebook"):
        assert reverse(f"quiz:{name}", args=[study.pk]) in text


def test_the_report_csv_has_a_bom_and_the_gains(client):
    course = studied(students=3)
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_study_csv", args=[course["study"].pk]))

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["skill", "measure", "value", "ci_low", "ci_high", "n"]
    gain = next(row for row in rows if row[0] == "Overall" and row[1] == "gain")
    assert float(gain[2]) == pytest.approx(66.67, abs=0.01) and gain[5] == "3"


def test_the_research_export_has_the_designs_columns_and_no_names(client):
    course = studied(students=2)
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_study_data", args=[course["study"].pk]))
    codebook = client.get(reverse("quiz:teach_study_codebook", args=[course["study"].pk]))

    body = response.content.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert list(rows[0]) == [
        "participant",
        "order",
        "time_point",
        "form",
        "item",
        "skill",
        "item_kind",
        "correct",
        "answer",
        "seconds",
    ]
    assert len(rows) == 2 * 2 * 3  # students x tests x items
    for student in course["students"]:
        assert student.username not in body and student.last_name not in body
    assert set(json.loads(codebook.content)["columns"]) == set(rows[0])


def test_a_study_with_no_test_yet_shows_an_empty_report(client, course):
    client.force_login(course["teacher"])

    response = client.get(reverse("quiz:teach_study", args=[course["study"].pk]))
    csv_response = client.get(reverse("quiz:teach_study_csv", args=[course["study"].pk]))

    assert response.status_code == 200 and "Open the pre-test" in response.text
    assert csv_response.status_code == 200


REPORT_QUERIES = 18


@pytest.mark.parametrize("students", [2, 6])
def test_the_report_page_makes_as_many_queries_for_two_students_as_for_six(
    client, django_assert_num_queries, students
):
    course = studied(students=students)
    client.force_login(course["teacher"])

    with django_assert_num_queries(REPORT_QUERIES):
        response = client.get(reverse("quiz:teach_study", args=[course["study"].pk]))

    assert response.status_code == 200


def test_a_large_class_is_listed_a_page_of_students_at_a_time(client, monkeypatch):
    course = studied(students=3)
    monkeypatch.setattr("quiz.selectors.STUDENTS_PER_PAGE", 2)
    client.force_login(course["teacher"])
    url = reverse("quiz:teach_study", args=[course["study"].pk])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    def listed(html: str) -> int:
        section = html.split('id="participants-heading"')[1].split("</section>")[0]
        return len(re.findall(r'<tr>\s*<th scope="row">', section))

    assert (listed(first), listed(second)) == (2, 1)
    assert "Students 1 to 2 of 3" in first and 'aria-current="page">2<' in second


def claims_form(teacher, title: str):
    """A form of two "claim or reported fact?" questions: a claim, then a reported fact."""
    article = ArticleFactory(owner=teacher)
    return QuizFactory(
        owner=teacher,
        title=title,
        published=True,
        questions=[
            QuestionFactory(
                article=article,
                owner=teacher,
                kind=Question.Kind.CLASSIFICATION,
                skill="claims",
                choices=[("Claim", truth == "claim"), ("Reported fact", truth == "fact")],
            )
            for truth in ("claim", "fact")
        ],
    )


def test_each_students_discernment_stands_beside_their_tests(client):
    teacher = TeacherFactory()
    pupils = [StudentFactory(), StudentFactory()]
    classroom = ClassroomFactory(teachers=[teacher], students=pupils)
    study = services.study_create(
        classroom=classroom,
        teacher=teacher,
        title="Claims",
        form_a=claims_form(teacher, "A"),
        form_b=claims_form(teacher, "B"),
    )
    pre_open(study)
    for student in pupils:  # every statement called a claim
        sitting = sitting_of(study, student)
        for item in sitting.items.all():
            claim = item.question.choices.get(text="Claim")
            services.sitting_answer(
                sitting_id=sitting.pk,
                student=student,
                question_id=item.question_id,
                answer=Answer(choice_id=claim.pk),
            )
    services.phase_open(
        study=study, phase=Study.Phase.POST, opens_at=timezone.now() - timedelta(minutes=1)
    )
    for student in pupils:  # all right
        sit(sitting_of(study, student, Study.Phase.POST), student, right=2)
    report = selectors.study_report(study=study)
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_study", args=[study.pk])).content.decode()

    section = html.split('id="participants-heading"')[1].split("</section>")[0]
    measured = [row.detection for row in report.discernment.students if row.detection]
    assert len(measured) == 4  # two students, pre and post
    for detection in measured:
        pair = (floatformat(detection.d_prime, 2), floatformat(detection.criterion, 2))
        assert " / ".join(pair) in section
