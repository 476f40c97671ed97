"""Teacher pages ask the database the same number of times for a class of 5 and of 200."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quiz.models import Attempt, Enrollment, Response
from quiz.services.authoring import attempt_totals_recount
from tests.factories import AssignmentFactory, ClassroomFactory, QuizFactory, TeacherFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SIZES = [5, 200]


def build_class(size: int):
    """A class of `size` students: two assignments, first and second attempts, some unfinished."""
    teacher = TeacherFactory()
    classroom = ClassroomFactory(teachers=[teacher])
    assignments = [
        AssignmentFactory(classroom=classroom, quiz=QuizFactory(owner=teacher, questions=4))
        for _ in range(2)
    ]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"pupil-{size}-{n}", first_name="Pupil", last_name=f"{n:03d}")
        for n in range(size)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=u) for u in users)
    now = timezone.now()
    attempts = []
    for n, user in enumerate(users):
        for assignment in assignments:
            attempts.append(
                Attempt(
                    assignment=assignment,
                    student=user,
                    number=1,
                    started_at=now - timedelta(minutes=30),
                    submitted_at=None if n % 5 == 0 else now - timedelta(minutes=5),
                    max_score=4,
                )
            )
        if n % 3 == 0:
            attempts.append(Attempt(assignment=assignments[0], student=user, number=2, max_score=4))
    attempts = Attempt.objects.bulk_create(attempts)
    questions = {
        a.pk: list(a.quiz.questions.prefetch_related("choices").order_by("quiz_items__position"))
        for a in assignments
    }
    responses = []
    for attempt in attempts:
        for position, question in enumerate(questions[attempt.assignment_id]):
            if (attempt.student_id + position) % 4 == 3:
                continue  # left unanswered
            right = (attempt.student_id * 7 + position) % 3 != 0
            choice = next(c for c in question.choices.all() if c.is_correct == right)
            responses.append(
                Response(
                    attempt=attempt,
                    question=question,
                    choice=choice,
                    is_correct=right,
                    points=1 if right else 0,
                )
            )
            attempt.answered += 1
    Response.objects.bulk_create(responses)
    Attempt.objects.bulk_update(attempts, ["answered"])
    # Written in bulk for speed: the scores and right answers per skill from the responses.
    attempt_totals_recount(attempts=Attempt.objects.filter(assignment__classroom=classroom))
    return teacher, classroom, assignments[0]


@pytest.fixture(params=SIZES, ids=[f"{n}-students" for n in SIZES])
def big_class(request, client):
    teacher, classroom, assignment = build_class(request.param)
    client.force_login(teacher)
    # Warm the session and the teacher check so every size starts the same way.
    client.get(reverse("quiz:teach_dashboard"))
    return classroom, assignment, request.param


def get(client, django_assert_num_queries, url, queries, **kwargs):
    with django_assert_num_queries(queries):
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response


def test_gradebook_queries_do_not_grow_with_the_class(client, django_assert_num_queries, big_class):
    classroom, _assignment, size = big_class

    # The assignments, their class averages (one grouped query for all of them), the students
    # counted to cut the class into pages, a page of students and their cells.
    response = get(
        client, django_assert_num_queries, reverse("quiz:teach_gradebook", args=[classroom.pk]), 9
    )

    assert response.content.decode().count('<th scope="row"><a href=') == min(size, 50)


def test_a_later_gradebook_page_queries_the_same(client, django_assert_num_queries, big_class):
    classroom, _assignment, size = big_class

    response = get(
        client,
        django_assert_num_queries,
        reverse("quiz:teach_gradebook", args=[classroom.pk]) + "?sort=-overall&page=4",
        9,
    )

    # 200 students make four full pages; a class of 5 has one, which a page past it gets.
    assert response.content.decode().count('<th scope="row"><a href=') == min(size, 50)


def test_gradebook_sorted_by_score_under_htmx_queries_do_not_grow(
    client, django_assert_num_queries, big_class
):
    classroom, assignment, _size = big_class

    get(
        client,
        django_assert_num_queries,
        reverse("quiz:teach_gradebook", args=[classroom.pk]) + f"?sort=-a{assignment.pk}",
        9,
        headers=HTMX,
    )


def test_gradebook_csv_queries_do_not_grow(client, django_assert_num_queries, big_class):
    classroom, _assignment, size = big_class

    response = get(
        client,
        django_assert_num_queries,
        # The gradebook's class averages, its class size and overall average, and the
        # questions per skill of the class's quizzes are a query each; the class's skill
        # figures add up the students' rows.
        reverse("quiz:teach_gradebook_csv", args=[classroom.pk]),
        12,
    )

    assert response.content.decode().count("\r\n") == size + 1


def test_mastery_queries_do_not_grow(client, django_assert_num_queries, big_class):
    classroom, _assignment, size = big_class

    # The questions per skill of each quiz, the class's totals, the students counted for the
    # pages, a page of them and their totals.
    response = get(
        client, django_assert_num_queries, reverse("quiz:teach_mastery", args=[classroom.pk]), 9
    )

    assert response.content.decode().count('<th scope="row"><a href=') == min(size, 50)


def test_item_analysis_queries_do_not_grow(client, django_assert_num_queries, big_class):
    _classroom, assignment, _size = big_class

    get(client, django_assert_num_queries, reverse("quiz:teach_items", args=[assignment.pk]), 8)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "poll"])
def test_live_progress_queries_do_not_grow(client, django_assert_num_queries, big_class, htmx):
    _classroom, assignment, _size = big_class

    get(
        client,
        django_assert_num_queries,
        reverse("quiz:teach_progress", args=[assignment.pk]),
        8,
        headers=HTMX if htmx else {},
    )


def test_other_class_pages_queries_do_not_grow(client, django_assert_num_queries, big_class):
    classroom, assignment, _size = big_class
    student = classroom.students.first()

    get(client, django_assert_num_queries, reverse("quiz:teach_dashboard"), 6)
    # Seven: one asks whether the class stands for a learning platform's course.
    get(client, django_assert_num_queries, reverse("quiz:teach_classroom", args=[classroom.pk]), 7)
    get(client, django_assert_num_queries, reverse("quiz:teach_roster", args=[classroom.pk]), 5)
    # Six: the unfinished attempts are counted for what "Close now" will hand in.
    get(
        client, django_assert_num_queries, reverse("quiz:teach_assignment", args=[assignment.pk]), 6
    )
    get(
        client,
        django_assert_num_queries,
        # Eleven: the class's assignments and the student's extensions, for their forms.
        reverse("quiz:teach_student", args=[classroom.pk, student.pk]),
        11,
    )
