"""Shuffling per assignment: each student meets the questions and choices in an order of
their own, the same on every visit, while teachers read everything in the quiz's order."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from quiz.models import Assignment, Attempt, Question, Response
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}
# Enough questions and choices that two orders of their own are never the same by chance.
QUESTIONS = 8
CHOICES = 4


def question_url(attempt, question_id: int) -> str:
    return reverse("quiz:question", args=[attempt.pk, question_id])


def answer_url(attempt, question_id: int) -> str:
    return reverse("quiz:answer", args=[attempt.pk, question_id])


def number_shown(html: str) -> int:
    """The question's number on its page ("Question 3 of 8")."""
    return int(re.search(r'<label for="progress-bar">Question (\d+) of \d+', html)[1])


def choice_ids_shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="choice" value="(\d+)"', html)]


def next_id_shown(html: str) -> int | None:
    found = re.search(r'/questions/(\d+)/"[^>]*>Next question<', html)
    return int(found[1]) if found else None


def previous_id_shown(html: str) -> int | None:
    found = re.search(r'/questions/(\d+)/">Previous question<', html)
    return int(found[1]) if found else None


def quiz_order(assignment: Assignment) -> list[Question]:
    return list(assignment.quiz.questions.order_by("quiz_items__position", "quiz_items__pk"))


def choices_in_quiz_order(question: Question) -> list[int]:
    return list(question.choices.order_by("position", "pk").values_list("pk", flat=True))


def order_seen(client: Client, attempt: Attempt) -> list[int]:
    """The question ids in the order the student's pages number them."""
    numbers = {}
    for question in quiz_order(attempt.assignment):
        html = client.get(question_url(attempt, question.pk)).content.decode()
        numbers[number_shown(html)] = question.pk
    return [numbers[n] for n in sorted(numbers)]


def own_order(client: Client, attempt: Attempt) -> list[int]:
    """The order the student's pages number the questions in, which is not the quiz's."""
    order = order_seen(client, attempt)
    assert order != [q.pk for q in quiz_order(attempt.assignment)]
    return order


def signed_in(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


@pytest.fixture
def teacher_quiz(teacher):
    """A quiz of eight questions of four choices each, every text its own."""
    article = ArticleFactory(owner=teacher)
    questions = [
        QuestionFactory(
            article=article,
            owner=teacher,
            prompt=f"Prompt number {n}?",
            choices=[(f"Answer {n}{letter}", letter == "a") for letter in "abcd"[:CHOICES]],
        )
        for n in range(1, QUESTIONS + 1)
    ]
    return QuizFactory(owner=teacher, questions=questions)


def make_assignment(teacher, quiz, *, students: int = 2, **shuffle) -> Assignment:
    classroom = ClassroomFactory(
        teachers=[teacher], students=[StudentFactory() for _ in range(students)]
    )
    return AssignmentFactory(classroom=classroom, quiz=quiz, **shuffle)


@pytest.fixture
def shuffled(teacher, teacher_quiz):
    """An assignment shuffling questions and choices, with an attempt by each of two students."""
    assignment = make_assignment(
        teacher, teacher_quiz, shuffle_questions=True, shuffle_choices=True
    )
    return [
        AttemptFactory(assignment=assignment, student=student, max_score=QUESTIONS)
        for student in assignment.classroom.students.order_by("pk")
    ]


@pytest.fixture
def unshuffled(teacher, teacher_quiz):
    assignment = make_assignment(teacher, teacher_quiz, students=1)
    student = assignment.classroom.students.get()
    return AttemptFactory(assignment=assignment, student=student, max_score=QUESTIONS)


# The student's order


def test_two_students_meet_the_shuffled_questions_in_different_orders(shuffled):
    first, second = (order_seen(signed_in(a.student), a) for a in shuffled)
    quiz_ids = [q.pk for q in quiz_order(shuffled[0].assignment)]

    assert sorted(first) == sorted(second) == sorted(quiz_ids)
    assert first != second
    assert quiz_ids not in (first, second)


def test_a_student_meets_the_same_order_on_every_visit_and_device(shuffled):
    attempt = shuffled[0]
    laptop, phone = signed_in(attempt.student), signed_in(attempt.student)

    order = own_order(laptop, attempt)

    assert order_seen(laptop, attempt) == order
    assert order_seen(phone, attempt) == order


def test_starting_opens_the_first_question_of_the_students_order(shuffled):
    for attempt in shuffled:
        client = signed_in(attempt.student)
        order = own_order(client, attempt)

        response = client.get(reverse("quiz:attempt", args=[attempt.pk]))

        assert response["Location"] == question_url(attempt, order[0])


def test_next_and_previous_follow_the_students_order(shuffled):
    attempt = shuffled[0]
    client = signed_in(attempt.student)
    order = own_order(client, attempt)
    questions = {q.pk: q for q in quiz_order(attempt.assignment)}

    for place, question_id in enumerate(order):
        page = client.get(question_url(attempt, question_id)).content.decode()
        assert number_shown(page) == place + 1
        assert previous_id_shown(page) == (order[place - 1] if place else None)
        right = questions[question_id].choices.get(is_correct=True)
        answered = client.post(
            answer_url(attempt, question_id), {"choice": right.pk}, headers=ANSWER
        ).content.decode()
        assert number_shown(answered) == place + 1
        expected = order[place + 1] if place + 1 < len(order) else None
        assert next_id_shown(answered) == expected


def test_the_questions_still_to_answer_come_in_the_students_order(shuffled):
    attempt = shuffled[0]
    client = signed_in(attempt.student)
    order = own_order(client, attempt)
    questions = {q.pk: q for q in quiz_order(attempt.assignment)}
    for question_id in (order[0], order[2]):
        right = questions[question_id].choices.get(is_correct=True)
        client.post(answer_url(attempt, question_id), {"choice": right.pk}, headers=ANSWER)

    remaining = client.get(reverse("quiz:attempt", args=[attempt.pk]))
    # After the first of the student's questions, the next one still unanswered is theirs.
    after_first = client.get(question_url(attempt, order[0])).content.decode()

    assert remaining["Location"] == question_url(attempt, order[1])
    assert next_id_shown(after_first) == order[1]


def test_the_choices_come_in_an_order_of_each_students_own(shuffled):
    first, second = (signed_in(a.student) for a in shuffled)
    differs_from_quiz = differs_between_students = False
    for question in quiz_order(shuffled[0].assignment):
        quiz_ids = choices_in_quiz_order(question)
        mine = choice_ids_shown(first.get(question_url(shuffled[0], question.pk)).content.decode())
        again = choice_ids_shown(first.get(question_url(shuffled[0], question.pk)).content.decode())
        theirs = choice_ids_shown(
            second.get(question_url(shuffled[1], question.pk)).content.decode()
        )
        assert sorted(mine) == sorted(theirs) == sorted(quiz_ids)
        assert again == mine
        differs_from_quiz |= mine != quiz_ids
        differs_between_students |= mine != theirs

    assert differs_from_quiz
    assert differs_between_students


def test_shuffled_answers_are_graded_by_the_choice_picked(shuffled):
    """The student picks the choice shown first: right where that is the right one."""
    attempt = shuffled[0]
    client = signed_in(attempt.student)
    picked, reordered = {}, False
    for question in quiz_order(attempt.assignment):
        page = client.get(question_url(attempt, question.pk)).content.decode()
        shown = choice_ids_shown(page)
        reordered |= shown != choices_in_quiz_order(question)
        picked[question.pk] = question.choices.get(pk=shown[0])
        html = client.post(
            answer_url(attempt, question.pk), {"choice": shown[0]}, headers=ANSWER
        ).content.decode()
        assert ("Correct" if picked[question.pk].is_correct else "Not quite") in html

    attempt.refresh_from_db()
    responses = Response.objects.filter(attempt=attempt)
    assert reordered
    assert {r.question_id: r.choice_id for r in responses} == {
        pk: choice.pk for pk, choice in picked.items()
    }
    assert {r.question_id for r in responses if r.is_correct} == {
        pk for pk, choice in picked.items() if choice.is_correct
    }
    assert attempt.score == sum(choice.is_correct for choice in picked.values())
    assert attempt.answered == QUESTIONS


def test_a_plain_answer_post_comes_back_to_the_question_in_the_students_order(client, shuffled):
    attempt = shuffled[0]
    client.force_login(attempt.student)
    order = own_order(client, attempt)
    question = Question.objects.get(pk=order[0])

    response = client.post(
        answer_url(attempt, question.pk), {"choice": question.choices.first().pk}
    )
    html = client.get(response["Location"]).content.decode()

    assert response["Location"] == question_url(attempt, order[0])
    assert next_id_shown(html) == order[1]


def test_the_students_review_follows_their_order(shuffled):
    attempt = shuffled[0]
    client = signed_in(attempt.student)
    order = own_order(client, attempt)
    for question in quiz_order(attempt.assignment):
        client.post(
            answer_url(attempt, question.pk),
            {"choice": question.choices.first().pk},
            headers=ANSWER,
        )
    client.post(reverse("quiz:finish", args=[attempt.pk]))

    html = client.get(reverse("quiz:results", args=[attempt.pk])).content.decode()

    prompts = [Question.objects.get(pk=pk).prompt for pk in order]
    review = html[html.index('id="review"') :]
    assert sorted(prompts, key=review.index) == prompts


# The teacher's reports


def hand_in_all(attempt: Attempt) -> None:
    client = signed_in(attempt.student)
    for question in quiz_order(attempt.assignment):
        client.post(
            answer_url(attempt, question.pk),
            {"choice": question.choices.first().pk},
            headers=ANSWER,
        )
    client.post(reverse("quiz:finish", args=[attempt.pk]))


def in_page_order(html: str, texts: list[str]) -> list[str]:
    return sorted(texts, key=html.index)


def test_the_teachers_attempt_page_keeps_the_quizs_order(client, teacher, shuffled):
    attempt = shuffled[0]
    own_order(signed_in(attempt.student), attempt)
    hand_in_all(attempt)
    client.force_login(teacher)

    html = client.get(reverse("quiz:teach_attempt", args=[attempt.pk])).content.decode()

    prompts = [q.prompt for q in quiz_order(attempt.assignment)]
    assert in_page_order(html, prompts) == prompts


def test_item_analysis_keeps_the_quizs_order_of_questions_and_choices(client, teacher, shuffled):
    for attempt in shuffled:
        own_order(signed_in(attempt.student), attempt)
        hand_in_all(attempt)
    client.force_login(teacher)

    html = client.get(
        reverse("quiz:teach_items", args=[shuffled[0].assignment_id])
    ).content.decode()

    questions = quiz_order(shuffled[0].assignment)
    prompts = [q.prompt for q in questions]
    assert in_page_order(html, prompts) == prompts
    for question in questions:
        texts = [c.text for c in question.choices.order_by("position", "pk")]
        section = html[html.index(f"<strong>{question.prompt}</strong>") :]
        assert in_page_order(section, texts) == texts


# Without shuffling


def test_without_shuffling_every_student_meets_the_quizs_order(unshuffled):
    client = signed_in(unshuffled.student)
    questions = quiz_order(unshuffled.assignment)

    assert order_seen(client, unshuffled) == [q.pk for q in questions]
    for question in questions:
        html = client.get(question_url(unshuffled, question.pk)).content.decode()
        assert choice_ids_shown(html) == choices_in_quiz_order(question)


# The teacher sets it


def test_teacher_shuffles_an_assignment_from_the_assignment_form(client, teacher, teacher_quiz):
    classroom = ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)
    opens = timezone.localtime().replace(second=0, microsecond=0)
    form = client.get(reverse("quiz:teach_assignment_create", args=[classroom.pk]))

    response = client.post(
        reverse("quiz:teach_assignment_create", args=[classroom.pk]),
        {
            "quiz": teacher_quiz.pk,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (opens + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "attempts_allowed": 1,
            "reveal": "after_each",
            "shuffle_questions": "on",
        },
    )

    assert 'name="shuffle_questions"' in form.content.decode()
    assert 'name="shuffle_choices"' in form.content.decode()
    assert "Shuffle the questions</label>" in form.content.decode()
    assignment = Assignment.objects.get(quiz=teacher_quiz)
    assert response["Location"] == reverse("quiz:teach_assignment", args=[assignment.pk])
    assert (assignment.shuffle_questions, assignment.shuffle_choices) == (True, False)


def test_editing_an_assignment_shows_and_changes_its_shuffling(client, teacher, teacher_quiz):
    assignment = make_assignment(teacher, teacher_quiz, shuffle_questions=True)
    client.force_login(teacher)
    url = reverse("quiz:teach_assignment_update", args=[assignment.pk])

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "quiz": teacher_quiz.pk,
            "opens_at": timezone.localtime(assignment.opens_at).strftime("%Y-%m-%dT%H:%M"),
            "due_at": "",
            "attempts_allowed": 1,
            "reveal": "after_each",
            "shuffle_choices": "on",
        },
    )

    assert re.search(r'<input type="checkbox" name="shuffle_questions"[^>]* checked', form)
    assert not re.search(r'<input type="checkbox" name="shuffle_choices"[^>]* checked', form)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.shuffle_questions, assignment.shuffle_choices) == (False, True)


def test_a_quiz_made_from_an_article_can_be_shuffled_as_it_is_assigned(client, teacher):
    article = ArticleFactory(owner=teacher)
    AnnotationFactory(article=article)
    classroom = ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)
    opens = timezone.localtime().replace(second=0, microsecond=0)

    response = client.post(
        reverse("quiz:article_quiz_create", args=[article.pk]),
        {
            "title": "The bridge",
            "kinds": ["attribution", "sourcing"],
            "classroom": classroom.pk,
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "attempts_allowed": 1,
            "reveal": "after_each",
            "shuffle_choices": "on",
        },
    )

    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom)
    assert (assignment.shuffle_questions, assignment.shuffle_choices) == (False, True)


# Query budget


@pytest.mark.parametrize("count", [5, 50])
def test_a_shuffled_question_page_uses_the_same_queries_for_5_and_50_questions(
    client, django_assert_num_queries, count
):
    """As the unshuffled page: the order is worked out from what the page reads already."""
    student = StudentFactory()
    assignment = AssignmentFactory(
        quiz=QuizFactory(questions=count),
        classroom=ClassroomFactory(students=[student]),
        shuffle_questions=True,
        shuffle_choices=True,
    )
    attempt = AttemptFactory(assignment=assignment, student=student)
    question = quiz_order(assignment)[-1]
    client.force_login(student)

    with django_assert_num_queries(7):
        response = client.get(question_url(attempt, question.pk), headers={"HX-Request": "true"})

    assert response.status_code == 200
