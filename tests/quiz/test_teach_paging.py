"""The gradebook and skills pages show a class a page of students at a time."""

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from quiz import selectors, services
from quiz.models import Enrollment
from tests.factories import AssignmentFactory, AttemptFactory, ClassroomFactory, QuizFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PER_PAGE = selectors.STUDENTS_PER_PAGE


def hand_in(attempt, right: int):
    """Answer the first `right` questions right and the rest wrong, then hand the attempt in."""
    questions = list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))
    for position, question in enumerate(questions):
        choice = question.choices.filter(is_correct=position < right).first()
        services.response_submit(
            attempt_id=attempt.pk,
            student=attempt.student,
            question_id=question.pk,
            answer=services.Answer(choice_id=choice.pk),
        )
    attempt.refresh_from_db()
    attempt.max_score = len(questions)
    services.attempt_finish(attempt=attempt)
    attempt.save()
    return attempt


@pytest.fixture
def big_class(teacher):
    """120 students named Pupil 001 to 120; the last ten scored 3/3, the first ten 0/3."""
    classroom = ClassroomFactory(teachers=[teacher])
    assignment = AssignmentFactory(
        classroom=classroom, quiz=QuizFactory(owner=teacher, questions=3)
    )
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"pupil-{n:03d}", first_name="Pupil", last_name=f"{n:03d}")
        for n in range(1, 121)
    )
    Enrollment.objects.bulk_create(Enrollment(classroom=classroom, student=u) for u in users)
    for user in users[:10]:
        hand_in(AttemptFactory(assignment=assignment, student=user), right=0)
    for user in users[-10:]:
        hand_in(AttemptFactory(assignment=assignment, student=user), right=3)
    return {"classroom": classroom, "assignment": assignment, "users": users}


def rows(html: str) -> list[str]:
    """The students listed, in order, by their last name."""
    return re.findall(r'<th scope="row"><a href="[^"]+">Pupil (\d{3})</a>', html)


def gradebook(client, classroom, **params):
    return client.get(reverse("quiz:teach_gradebook", args=[classroom.pk]), params)


def test_the_gradebook_shows_the_first_page_of_students_and_links_to_the_others(
    client, teacher, big_class
):
    client.force_login(teacher)

    html = gradebook(client, big_class["classroom"]).content.decode()

    assert rows(html) == [f"{n:03d}" for n in range(1, PER_PAGE + 1)]
    assert 'aria-label="Pages of students"' in html
    assert "Students 1 to 50 of 120" in html
    assert re.search(r'<a id="page-1" href="\?sort=name&amp;page=1"[^>]*aria-current="page"', html)
    assert 'href="?sort=name&amp;page=3"' in html
    assert 'rel="next"' in html and 'rel="prev"' not in html


def test_the_last_page_has_the_rest_of_the_class(client, teacher, big_class):
    client.force_login(teacher)

    html = gradebook(client, big_class["classroom"], page=3).content.decode()

    assert rows(html) == [f"{n:03d}" for n in range(101, 121)]
    assert "Students 101 to 120 of 120" in html
    assert 'rel="prev"' in html and 'rel="next"' not in html


def test_sorting_ranks_the_whole_class_before_cutting_it_into_pages(client, teacher, big_class):
    client.force_login(teacher)

    html = gradebook(client, big_class["classroom"], sort="-overall").content.decode()

    # The ten full marks come first though their names are last; then the ten zeros, then
    # the students with no score yet, by name.
    assert rows(html)[:10] == [f"{n:03d}" for n in range(111, 121)]
    assert rows(html)[10:20] == [f"{n:03d}" for n in range(1, 11)]
    assert rows(html)[20] == "011"


def test_page_links_keep_the_sort_and_sort_links_keep_the_page(client, teacher, big_class):
    client.force_login(teacher)
    column = f"a{big_class['assignment'].pk}"

    html = gradebook(client, big_class["classroom"], sort=f"-{column}", page=2).content.decode()

    assert f'href="?sort=-{column}&amp;page=3"' in html
    assert f'href="?sort=-{column}&amp;page=1"' in html
    # The column sorted now flips its order, on the same page; the others start theirs.
    assert f'id="sort-{column}" href="?sort={column}&amp;page=2"' in html
    assert 'id="sort-name" href="?sort=name&amp;page=2"' in html


def test_a_page_under_htmx_returns_only_the_table_with_its_page_links(client, teacher, big_class):
    client.force_login(teacher)

    response = client.get(
        reverse("quiz:teach_gradebook", args=[big_class["classroom"].pk]),
        {"page": 2},
        headers=HTMX,
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="gradebook"')
    assert "<html" not in html
    assert rows(html)[0] == "051"
    assert 'hx-get="?sort=name&amp;page=3" hx-target="#gradebook"' in html


@pytest.mark.parametrize(
    ("page", "first"),
    [("0", "001"), ("-1", "001"), ("x", "001"), ("", "001"), ("2.5", "001"), ("999", "101")],
)
def test_a_page_that_is_not_there_gets_the_nearest_one(client, teacher, big_class, page, first):
    client.force_login(teacher)

    response = gradebook(client, big_class["classroom"], page=page)

    assert response.status_code == 200
    assert rows(response.content.decode())[0] == first


def test_class_averages_stay_over_the_whole_class_on_every_page(client, teacher, big_class):
    client.force_login(teacher)

    book = selectors.gradebook(classroom=big_class["classroom"], page=2)

    # Twenty handed in: ten at 0%, ten at 100%, none of them on page 2.
    assert book.assignments[0].average == pytest.approx(50.0)
    assert all(row.overall is None for row in book.rows)
    assert (book.page.number, book.page.paginator.num_pages) == (2, 3)


def test_the_csv_download_still_has_every_student(client, teacher, big_class):
    client.force_login(teacher)

    response = client.get(reverse("quiz:teach_gradebook_csv", args=[big_class["classroom"].pk]))

    _header, *lines = csv.reader(io.StringIO(response.content.decode("utf-8")[1:]))
    assert len(lines) == 120
    assert lines[-1][2] == "100.0"


def test_a_small_class_has_no_page_links(client, teacher):
    classroom = ClassroomFactory(teachers=[teacher], students=[])
    client.force_login(teacher)

    html = gradebook(client, classroom).content.decode()

    assert "Pages of students" not in html
    assert "No students in this class yet." in html


def test_the_skills_page_lists_a_page_of_students_with_the_class_over_everyone(
    client, teacher, big_class
):
    client.force_login(teacher)
    url = reverse("quiz:teach_mastery", args=[big_class["classroom"].pk])

    first = client.get(url).content.decode()
    last = client.get(url, {"page": "3"}).content.decode()
    past_the_end = client.get(url, {"page": "40"}).content.decode()

    assert rows(first) == [f"{n:03d}" for n in range(1, PER_PAGE + 1)]
    assert rows(last) == [f"{n:03d}" for n in range(101, 121)] == rows(past_the_end)
    assert 'href="?page=2"' in last and 'aria-current="page"' in last
    # The class: 30 right of 60 asked (the factory's questions are all claims vs facts).
    mastery = selectors.skill_mastery(classroom=big_class["classroom"], page=3, per_page=PER_PAGE)
    claims = next(share for share in mastery.classroom if share.skill == "claims")
    assert (claims.right, claims.asked) == (30, 60)
    assert [share.percent for share in mastery.students[-1][1]] == [None, 100.0, None]
