"""Privacy: a student's data to download (their own, their teacher's copy, an administrator's)
and to delete (by their teacher or an administrator); no email address needed."""

import io
import json

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quiz import services
from quiz.models import Attempt, Classroom, Enrollment, Question, Response
from tests.factories import (
    TEST_PASSWORD,
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


def answer(attempt, question, *, right: bool) -> Response:
    choice = question.choices.filter(is_correct=right).first()
    return Response.objects.create(
        attempt=attempt,
        question=question,
        choice=choice,
        is_correct=right,
        points=question.points if right else 0,
    )


def evidence_question(article, owner) -> Question:
    quote = "a report seen by the Gazette"
    start = article.body.index(quote)
    return Question.objects.create(
        kind=Question.Kind.EVIDENCE,
        skill="sourcing",
        prompt="Select the words that say where this comes from.",
        article=article,
        answer_start=start,
        answer_end=start + len(quote),
        answer_exact=quote,
        owner=owner,
    )


@pytest.fixture
def course(teacher, student):
    """The teacher's class with the student, who answered two questions and handed in."""
    classroom = ClassroomFactory(name="7B News", teachers=[teacher], students=[student])
    article = ArticleFactory(owner=teacher)
    choice_question = QuestionFactory(article=article, owner=teacher, prompt="Who says it?")
    evidence = evidence_question(article, teacher)
    quiz = QuizFactory(owner=teacher, title="Bridge quiz", questions=[choice_question, evidence])
    assignment = AssignmentFactory(classroom=classroom, quiz=quiz)
    attempt = AttemptFactory(assignment=assignment, student=student, max_score=2)
    answer(attempt, choice_question, right=True)
    body = article.body
    selected = body.index("according to")
    Response.objects.create(
        attempt=attempt,
        question=evidence,
        selected_start=selected,
        selected_end=selected + len("according to"),
        is_correct=False,
        points=0,
    )
    Attempt.objects.filter(pk=attempt.pk).update(score=1, answered=2, submitted_at=timezone.now())
    return {
        "classroom": classroom,
        "assignment": assignment,
        "attempt": attempt,
        "question": choice_question,
    }


def other_class_work(student, *, enrolled: bool = True):
    """Work of the student's in another teacher's class."""
    other_teacher = TeacherFactory()
    classroom = ClassroomFactory(
        name="History", teachers=[other_teacher], students=[student] if enrolled else []
    )
    assignment = AssignmentFactory(
        classroom=classroom, quiz=QuizFactory(owner=other_teacher, title="Other quiz", questions=1)
    )
    attempt = AttemptFactory(assignment=assignment, student=student)
    answer(attempt, assignment.quiz.questions.first(), right=True)
    return classroom, other_teacher


# Downloading


def test_a_student_downloads_every_attempt_and_answer_of_theirs_as_json(client, student, course):
    client.force_login(student)

    response = client.get(reverse("quiz:my_data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == student.username
    assert data["account"]["email"] == ""
    assert [c["name"] for c in data["classes"]] == ["7B News"]
    [attempt] = data["attempts"]
    assert attempt["quiz"] == "Bridge quiz"
    assert attempt["class"] == "7B News"
    assert attempt["score"] == 1 and attempt["max_score"] == 2
    assert attempt["started_at"] and attempt["submitted_at"]
    chosen, selected = attempt["responses"]
    assert chosen["question"] == "Who says it?"
    assert chosen["answer"] == "Right"
    assert chosen["correct"] is True and chosen["answered_at"]
    assert selected["answer"] == "according to"  # the words the student selected
    assert selected["selected"]["end"] - selected["selected"]["start"] == len("according to")
    assert selected["correct"] is False


def test_the_export_holds_nothing_of_anyone_else(client, student, other_student, course):
    course["classroom"].students.add(other_student)
    other = AttemptFactory(assignment=course["assignment"], student=other_student)
    answer(other, course["question"], right=False)
    client.force_login(other_student)

    data = json.loads(client.get(reverse("quiz:my_data_export")).content)

    assert data["account"]["username"] == other_student.username
    assert len(data["attempts"]) == 1
    assert [r["answer"] for r in data["attempts"][0]["responses"]] == ["Wrong"]
    assert student.username not in json.dumps(data)


def test_the_export_takes_the_same_queries_for_one_attempt_or_many_and_their_practice(
    client, student, course, django_assert_num_queries
):
    client.force_login(student)
    url = reverse("quiz:my_data_export")
    BoosterFactory(assignment=course["assignment"], student=student, questions=[course["question"]])
    client.get(url)
    with django_assert_num_queries(7) as few:
        client.get(url)
    for _ in range(3):
        attempt = AttemptFactory(
            assignment=AssignmentFactory(classroom=course["classroom"]), student=student
        )
        question = attempt.assignment.quiz.questions.first()
        answer(attempt, question, right=True)
        BoosterFactory(assignment=attempt.assignment, student=student, questions=[question])

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)

    data = json.loads(response.content)
    assert (len(data["attempts"]), len(data["practice"])) == (4, 4)


def test_my_data_page_is_in_the_navigation_and_says_what_is_kept(client, student, course):
    client.force_login(student)

    html = client.get(reverse("quiz:my_classes")).content.decode()
    assert f'href="{reverse("quiz:my_data")}"' in html

    html = client.get(reverse("quiz:my_data")).content.decode()
    assert "7B News" in html
    assert "1 attempt at a quiz" in html and "with 2 answers." in html
    assert f'href="{reverse("quiz:my_data_export")}"' in html
    assert "Sourcewise does not need one" in html


def test_a_teacher_downloads_a_student_of_theirs_from_the_roster(client, teacher, student, course):
    client.force_login(teacher)
    url = reverse("quiz:teach_student_data", args=[student.pk])

    roster = client.get(reverse("quiz:teach_roster", args=[course["classroom"].pk]))
    response = client.get(url)

    assert f'href="{url}"' in roster.content.decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert [a["quiz"] for a in data["attempts"]] == ["Bridge quiz"]


def test_a_teachers_copy_holds_only_what_happened_in_their_classes(
    client, teacher, student, course
):
    other_class_work(student)
    client.force_login(teacher)

    data = json.loads(client.get(reverse("quiz:teach_student_data", args=[student.pk])).content)

    assert [c["name"] for c in data["classes"]] == ["7B News"]
    assert [a["quiz"] for a in data["attempts"]] == ["Bridge quiz"]


def test_an_administrator_downloads_anyones_data_even_outside_any_class(
    client, superuser, student, course
):
    other_class_work(student)
    loner = StudentFactory()
    client.force_login(superuser)

    everything = json.loads(
        client.get(reverse("quiz:teach_student_data", args=[student.pk])).content
    )
    response = client.get(reverse("quiz:teach_student_data", args=[loner.pk]))

    assert {a["quiz"] for a in everything["attempts"]} == {"Bridge quiz", "Other quiz"}
    assert response.status_code == 200
    assert json.loads(response.content)["attempts"] == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_teacher", 404), ("other_student", 403), ("anonymous", 302)],
)
def test_no_one_else_downloads_a_students_data(
    client, student, other_student, other_teacher, course, who, status
):
    if who != "anonymous":
        client.force_login({"other_teacher": other_teacher, "other_student": other_student}[who])

    response = client.get(reverse("quiz:teach_student_data", args=[student.pk]))

    assert response.status_code == status


def test_a_teacher_cannot_download_a_former_student(client, teacher, student, course):
    Enrollment.objects.filter(student=student).delete()
    client.force_login(teacher)

    response = client.get(reverse("quiz:teach_student_data", args=[student.pk]))

    assert response.status_code == 404


# Deleting


def test_the_confirmation_page_says_what_will_be_deleted(client, teacher, student, course):
    client.force_login(teacher)
    url = reverse("quiz:teach_student_delete", args=[course["classroom"].pk, student.pk])

    roster = client.get(reverse("quiz:teach_roster", args=[course["classroom"].pk]))
    response = client.get(url)

    assert f'href="{url}"' in roster.content.decode()
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 class membership" in html and "1 attempt" in html and "2 answers" in html
    assert f'action="{url}"' in html and 'method="post"' in html
    assert get_user_model().objects.filter(pk=student.pk).exists()


def test_a_teacher_deletes_a_student_with_all_their_attempts_and_answers(
    client, teacher, student, other_student, course
):
    course["classroom"].students.add(other_student)
    kept = AttemptFactory(assignment=course["assignment"], student=other_student)
    answer(kept, course["question"], right=True)
    AccessAttempt.objects.create(
        username=student.username, ip_address="192.0.2.1", user_agent="x", failures_since_start=1
    )
    AccessLog.objects.create(username=student.username, ip_address="192.0.2.1", user_agent="x")
    client.force_login(teacher)

    response = client.post(
        reverse("quiz:teach_student_delete", args=[course["classroom"].pk, student.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:teach_roster", args=[course["classroom"].pk])
    assert not get_user_model().objects.filter(pk=student.pk).exists()
    assert not Enrollment.objects.filter(student_id=student.pk).exists()
    assert not Attempt.objects.filter(student_id=student.pk).exists()
    assert not Response.objects.filter(attempt__student_id=student.pk).exists()
    assert not AccessAttempt.objects.filter(username=student.username).exists()
    assert not AccessLog.objects.filter(username=student.username).exists()
    # The classmate's work is untouched.
    assert Response.objects.filter(attempt=kept).count() == 1
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("account is deleted, with 1 attempt(s) and 2 answer(s)" in m for m in messages)


def test_a_teacher_may_not_delete_a_student_who_also_has_another_teachers_class(
    client, teacher, student, course
):
    other_class_work(student)
    client.force_login(teacher)
    url = reverse("quiz:teach_student_delete", args=[course["classroom"].pk, student.pk])

    page = client.get(url)
    response = client.post(url)

    assert "another teacher" in page.content.decode()
    assert 'method="post"' not in page.content.decode().split('<main id="main">')[1]
    assert response.status_code == 403
    assert "ask an administrator" in response.content.decode()
    assert get_user_model().objects.filter(pk=student.pk).exists()
    assert Attempt.objects.filter(student=student).count() == 2


def test_work_left_behind_in_another_teachers_class_also_protects_the_student(
    teacher, student, course
):
    other_class_work(student, enrolled=False)

    with pytest.raises(ValidationError, match="another teacher"):
        services.student_data_delete(classroom=course["classroom"], student=student, by=teacher)

    assert Attempt.objects.filter(student=student).count() == 2


def test_a_co_teacher_of_every_class_may_delete(teacher, other_teacher, student, course):
    course["classroom"].teachers.add(other_teacher)

    counts = services.student_data_delete(
        classroom=course["classroom"], student=student, by=other_teacher
    )

    assert counts == services.StudentDataCounts(classes=1, attempts=1, responses=2)
    assert not get_user_model().objects.filter(pk=student.pk).exists()


def test_an_administrator_may_delete_a_student_of_several_teachers(
    client, superuser, student, course
):
    other_class_work(student)
    client.force_login(superuser)

    response = client.post(
        reverse("quiz:teach_student_delete", args=[course["classroom"].pk, student.pk])
    )

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=student.pk).exists()
    assert not Attempt.objects.filter(student_id=student.pk).exists()


def test_a_staff_account_is_never_deleted_here(client, superuser, teacher, course):
    colleague = TeacherFactory()
    course["classroom"].students.add(colleague)
    client.force_login(superuser)

    response = client.post(
        reverse("quiz:teach_student_delete", args=[course["classroom"].pk, colleague.pk])
    )

    assert response.status_code == 403
    assert "staff account" in response.content.decode()
    assert get_user_model().objects.filter(pk=colleague.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("other_teacher", 404), ("student", 403), ("anonymous", 302)]
)
def test_no_one_else_may_delete_a_student(
    client, student, other_student, other_teacher, course, who, status
):
    course["classroom"].students.add(other_student)
    if who != "anonymous":
        client.force_login({"other_teacher": other_teacher, "student": other_student}[who])

    response = client.post(
        reverse("quiz:teach_student_delete", args=[course["classroom"].pk, student.pk])
    )

    assert response.status_code == status
    assert get_user_model().objects.filter(pk=student.pk).exists()


def test_a_student_of_another_class_is_not_found_through_this_one(
    client, teacher, other_student, course
):
    ClassroomFactory(teachers=[teacher], students=[other_student])
    client.force_login(teacher)

    response = client.get(
        reverse("quiz:teach_student_delete", args=[course["classroom"].pk, other_student.pk])
    )

    assert response.status_code == 404


def test_deletion_is_all_or_nothing(teacher, student, course, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(AccessLog.objects, "filter", fail)

    with pytest.raises(RuntimeError):
        services.student_data_delete(classroom=course["classroom"], student=student, by=teacher)

    assert get_user_model().objects.filter(pk=student.pk).exists()
    assert Response.objects.filter(attempt__student=student).count() == 2


def test_deleting_twice_says_the_account_is_gone(teacher, student, course):
    services.student_data_delete(classroom=course["classroom"], student=student, by=teacher)

    with pytest.raises(ValidationError, match="already been deleted"):
        services.student_data_delete(classroom=course["classroom"], student=student, by=teacher)


def test_a_deleted_students_answers_leave_the_class_statistics_consistent(
    client, teacher, student, other_student, course
):
    course["classroom"].students.add(other_student)
    services.student_data_delete(classroom=course["classroom"], student=student, by=teacher)
    client.force_login(teacher)

    for name in ("quiz:teach_gradebook", "quiz:teach_mastery", "quiz:teach_roster"):
        response = client.get(reverse(name, args=[course["classroom"].pk]))
        assert response.status_code == 200
        assert student.username not in response.content.decode()
    response = client.get(reverse("quiz:teach_items", args=[course["assignment"].pk]))
    assert response.status_code == 200


# No email address


def test_sign_up_needs_no_email_address(client):
    classroom = ClassroomFactory()

    response = client.post(
        reverse("quiz:join"),
        {
            "code": classroom.join_code,
            "first_name": "Ada",
            "username": "ada",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = get_user_model().objects.get(username="ada")
    assert user.email == ""


def test_the_sign_up_form_does_not_ask_for_an_email_address(client):
    html = client.get(reverse("quiz:join")).content.decode()

    assert 'type="email"' not in html
    assert 'name="email"' not in html


def test_accounts_from_a_class_list_have_no_email_address(client, teacher):
    classroom = ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)
    data = io.BytesIO(b"First name,Last name\nAda,Lovelace\nBo,Zhang\n")

    client.post(
        reverse("quiz:teach_roster_import", args=[classroom.pk]),
        {"file": SimpleUploadedFile("class.csv", data.getvalue(), "text/csv")},
    )

    emails = list(
        get_user_model()
        .objects.filter(enrollments__classroom=classroom)
        .values_list("email", flat=True)
    )
    assert emails == ["", ""]


def test_the_download_holds_the_students_practice_sets_too(client, teacher, student, course):
    booster = BoosterFactory(
        assignment=course["assignment"], student=student, questions=[course["question"]]
    )
    right = course["question"].choices.get(is_correct=True)
    services.booster_answer(
        booster_id=booster.pk,
        student=student,
        question_id=course["question"].pk,
        answer=services.Answer(choice_id=right.pk),
    )
    elsewhere = other_class_work(student)[0].assignments.get()
    BoosterFactory(
        assignment=elsewhere, student=student, questions=[elsewhere.quiz.questions.first()]
    )
    client.force_login(student)

    data = json.loads(client.get(reverse("quiz:my_data_export")).content)

    first, second = data["practice"]
    assert (first["after_quiz"], first["class"], first["set"]) == ("Bridge quiz", "7B News", 1)
    assert first["finished_at"]
    [answered] = first["responses"]
    assert (answered["question"], answered["answer"], answered["correct"]) == (
        "Who says it?",
        right.text,
        True,
    )
    assert second["class"] == "History" and second["responses"] == []
    # The teacher's copy holds only what was done in their class.
    teachers_copy = services.student_data_export(
        student=student, classrooms=Classroom.objects.filter(teachers=teacher)
    )
    assert [p["class"] for p in teachers_copy["practice"]] == ["7B News"]
