"""From a flagged question to its fix: several right answers, credit for everyone, a regrade
that shows what it changes before it changes it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz import services
from quiz.models import Attempt, Question, Response
from quiz.services import authoring
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.quiz.test_admin import question_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered():
    """One question (worth 2 points, after a 1-point one) answered by five students.

    student  picked         points   other question
    S1       Right          2        1
    S2       Wrong          0        1
    S3       Wrong          0        0
    S4       Also wrong     0        1
    S5       Also wrong     0        0
    Handed in, so item analysis counts them: S1, the strongest, alone gets it right, and
    S3 and S5 are weaker than S2 and S4 on the rest, so nothing flags it yet.
    """
    teacher = TeacherFactory()
    article = ArticleFactory(owner=teacher)
    warm_up = QuestionFactory(article=article, owner=teacher)
    question = QuestionFactory(article=article, owner=teacher, points=2)
    right, wrong, also_wrong = question.choices.order_by("position")
    students = [StudentFactory(last_name=f"S{n}") for n in range(1, 6)]
    classroom = ClassroomFactory(teachers=[teacher], students=students)
    assignment = AssignmentFactory(
        classroom=classroom, quiz=QuizFactory(owner=teacher, questions=[warm_up, question])
    )
    warm_right = warm_up.choices.get(is_correct=True)
    warm_wrong = warm_up.choices.filter(is_correct=False).first()
    for student, choice, warm in zip(
        students,
        [right, wrong, wrong, also_wrong, also_wrong],
        [True, True, False, True, False],
        strict=True,
    ):
        attempt = AttemptFactory(assignment=assignment, student=student)
        for q, c in ((warm_up, warm_right if warm else warm_wrong), (question, choice)):
            services.response_submit(
                attempt_id=attempt.pk,
                student=student,
                question_id=q.pk,
                answer=services.Answer(choice_id=c.pk),
            )
        Attempt.objects.filter(pk=attempt.pk).update(
            max_score=3, submitted_at=timezone.now() - timedelta(minutes=1)
        )
    return {
        "teacher": teacher,
        "classroom": classroom,
        "assignment": assignment,
        "question": question,
        "choices": (right, wrong, also_wrong),
        "students": students,
    }


def scores(answered):
    by_student = dict(
        Attempt.objects.filter(assignment=answered["assignment"]).values_list(
            "student__last_name", "score"
        )
    )
    return [by_student[s.last_name] for s in answered["students"]]


# Item analysis links a flagged question to where it is fixed


def key_was_wrong(answered):
    """Grade as if "Wrong" had been the key: the weaker students get it, so it is flagged."""
    question, (right, wrong, _also) = answered["question"], answered["choices"]
    Response.objects.filter(question=question, choice=wrong).update(is_correct=True, points=2)
    Response.objects.filter(question=question, choice=right).update(is_correct=False, points=0)
    authoring.attempt_totals_recount(attempts=Attempt.objects.all())


def test_a_flagged_question_links_to_its_edit_page_and_its_regrade(client, answered):
    question = answered["question"]
    key_was_wrong(answered)
    client.force_login(answered["teacher"])

    html = client.get(
        reverse("quiz:teach_items", args=[answered["assignment"].pk])
    ).content.decode()

    assert "Check this question" in html
    edit = reverse("admin:quiz_question_change", args=[question.pk])
    regrade = reverse("quiz:regrade", args=[question.pk])
    assert f'href="{edit}"' in html and f'href="{regrade}"' in html


def test_a_co_teacher_who_does_not_own_the_question_gets_no_edit_link(client, answered):
    question = answered["question"]
    key_was_wrong(answered)
    co_teacher = TeacherFactory()
    answered["classroom"].teachers.add(co_teacher)
    client.force_login(co_teacher)

    html = client.get(
        reverse("quiz:teach_items", args=[answered["assignment"].pk])
    ).content.decode()

    assert "Check this question" in html
    assert reverse("admin:quiz_question_change", args=[question.pk]) not in html
    assert reverse("quiz:regrade", args=[question.pk]) not in html


# Several right answers


def test_a_question_may_accept_several_right_choices_in_the_admin(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_question_add"), question_post(article, **{"choices-1-is_correct": "on"})
    )

    assert response.status_code == 302
    assert Question.objects.get().choices.filter(is_correct=True).count() == 2


def test_a_second_right_choice_is_graded_right_when_answered(answered):
    question, (_right, wrong, _also) = answered["question"], answered["choices"]
    wrong.is_correct = True
    wrong.save()
    student = StudentFactory()
    answered["classroom"].students.add(student)
    attempt = AttemptFactory(assignment=answered["assignment"], student=student)

    submission = services.response_submit(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        answer=services.Answer(choice_id=wrong.pk),
    )

    assert (submission.response.is_correct, submission.response.points) == (True, 2)


def test_the_regrade_of_a_second_right_choice_shows_who_gains_then_applies_it(client, answered):
    question, (_right, wrong, _also) = answered["question"], answered["choices"]
    wrong.is_correct = True
    wrong.save()
    client.force_login(answered["teacher"])
    url = reverse("quiz:regrade", args=[question.pk])

    html = client.get(url).content.decode()

    assert "5 responses: 1 right → 3 right." in html
    assert "2 students gain 2 points" in html
    assert scores(answered) == [3, 1, 0, 1, 0]  # nothing changed yet

    client.post(url)

    assert scores(answered) == [3, 3, 2, 1, 0]
    assert Response.objects.filter(question=question, is_correct=True).count() == 3


def test_the_regrade_page_shows_losses_too(client, answered):
    question, (right, wrong, _also) = answered["question"], answered["choices"]
    right.is_correct, wrong.is_correct = False, True
    right.save()
    wrong.save()
    client.force_login(answered["teacher"])

    html = client.get(reverse("quiz:regrade", args=[question.pk])).content.decode()

    assert "2 students gain 2 points" in html
    assert "1 student loses 2 points" in html


# Credit for everyone


def test_credit_for_everyone_makes_every_new_answer_right(answered):
    question, (_right, _wrong, also_wrong) = answered["question"], answered["choices"]
    question.credit_all = True
    question.save()
    student = StudentFactory()
    answered["classroom"].students.add(student)
    attempt = AttemptFactory(assignment=answered["assignment"], student=student)

    submission = services.response_submit(
        attempt_id=attempt.pk,
        student=student,
        question_id=question.pk,
        answer=services.Answer(choice_id=also_wrong.pk),
    )

    assert (submission.response.is_correct, submission.response.points) == (True, 2)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.right_claims) == (2, 1)


def test_credit_for_everyone_is_shown_then_applied_by_the_regrade(client, answered):
    question = answered["question"]
    client.force_login(answered["teacher"])
    change = client.post(
        reverse("admin:quiz_question_change", args=[question.pk]),
        question_post(
            question.article,
            prompt=question.prompt,
            points="2",
            credit_all="on",
            **{
                "choices-TOTAL_FORMS": "3",
                "choices-INITIAL_FORMS": "3",
                **{
                    f"choices-{i}-{field}": value
                    for i, choice in enumerate(question.choices.order_by("position"))
                    for field, value in {
                        "id": str(choice.pk),
                        "question": str(question.pk),
                        "position": str(choice.position),
                        "text": choice.text,
                        "is_correct": "on" if choice.is_correct else None,
                        "feedback": "",
                    }.items()
                },
            },
        ),
        follow=True,
    )
    question.refresh_from_db()
    assert question.credit_all
    assert "Review and regrade the stored responses" in change.content.decode()
    url = reverse("quiz:regrade", args=[question.pk])

    html = client.get(url).content.decode()

    assert "5 responses: 1 right → 5 right." in html
    assert "4 students gain 2 points" in html

    client.post(url)

    assert scores(answered) == [3, 3, 2, 3, 2]
    assert authoring.question_regrade_counts(question=question).needed is False
