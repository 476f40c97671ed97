"""From an annotated article to an assigned quiz in one go, and the admin's Add quiz page.

*Make a quiz* on an article's admin page: choose the kinds of question (all by default), the
title, the class and the dates; the questions are generated if needed, the quiz made in the
article's order and assigned, or nothing is saved. The admin's *Add quiz* page offers all the
questions of an article, and saving a new quiz opens its builder.
"""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Annotation
from quiz.models import Assignment, Question, Quiz
from quiz.services.authoring import quiz_article_questions_add, quiz_from_article_assign
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
)

pytestmark = pytest.mark.django_db

READING_ORDER = [
    ("the bridge would reopen in May", "evidence"),
    ("the bridge would reopen in May", "sourcing"),
    ("the bridge would reopen in May", "classification"),
    ("the repairs were rushed", "attribution"),
    ("the repairs were rushed", "sourcing"),
    ("the repairs were rushed", "classification"),
    ("The bridge closed in 2023.", "attribution"),
    ("The bridge closed in 2023.", "sourcing"),
    ("The bridge closed in 2023.", "classification"),
]


def annotate(article, quote: str, source_words: str | None = None, **fields) -> Annotation:
    if source_words:
        start = article.body.index(source_words)
        fields |= {
            "source_start": start,
            "source_end": start + len(source_words),
            "source_exact": source_words,
        }
    return AnnotationFactory(article=article, quote=quote, **fields)


@pytest.fixture
def article(teacher):
    """The factory's article with three statements, annotated out of reading order."""
    article = ArticleFactory(owner=teacher, title="Bridge to reopen")
    annotate(article, "the repairs were rushed", "Critics", sourcing="vague", cue="argue")
    annotate(article, "the bridge would reopen in May", "The mayor")
    annotate(
        article, "The bridge closed in 2023.", kind="fact", sourcing="none", speaker=None, cue=""
    )
    return article


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teachers=[teacher], name="7B")


def quiz_plan(quiz) -> list[tuple[str, str]]:
    return list(
        quiz.items.order_by("position").values_list("question__statement", "question__kind")
    )


def schedule(**changes) -> dict:
    opens = timezone.now().replace(second=0, microsecond=0)
    return {
        "opens_at": opens,
        "due_at": opens + timedelta(days=7),
        "attempts_allowed": 1,
        "reveal": Assignment.Reveal.AFTER_EACH,
    } | changes


def nothing_saved() -> bool:
    return not (Quiz.objects.exists() or Question.objects.exists() or Assignment.objects.exists())


# The service


def test_a_quiz_from_an_article_asks_about_each_statement_in_reading_order(
    teacher, article, classroom
):
    assignment = quiz_from_article_assign(
        article=article,
        teacher=teacher,
        title="The bridge",
        kinds=[kind for kind, _label in Question.Kind.choices],
        classroom=classroom,
        **schedule(),
    )

    quiz = assignment.quiz
    assert (quiz.title, quiz.owner, quiz.published) == ("The bridge", teacher, True)
    assert assignment.classroom == classroom
    # Who said it is asked once a statement, by evidence and attribution in turn: one
    # answers the other. Sourcing names the source, so it follows; classification explains
    # everything, so it comes last.
    assert quiz_plan(quiz) == READING_ORDER


def test_only_the_kinds_ticked_are_asked(teacher, article, classroom):
    assignment = quiz_from_article_assign(
        article=article,
        teacher=teacher,
        title="Claims",
        kinds=["classification", "attribution"],
        classroom=classroom,
        **schedule(),
    )

    assert quiz_plan(assignment.quiz) == [
        ("the bridge would reopen in May", "attribution"),
        ("the bridge would reopen in May", "classification"),
        ("the repairs were rushed", "attribution"),
        ("the repairs were rushed", "classification"),
        ("The bridge closed in 2023.", "attribution"),
        ("The bridge closed in 2023.", "classification"),
    ]


def test_questions_already_made_and_edited_are_used_not_made_again(teacher, article, classroom):
    quiz_from_article_assign(
        article=article,
        teacher=teacher,
        title="First",
        kinds=["sourcing"],
        classroom=classroom,
        **schedule(),
    )
    Question.objects.filter(kind="sourcing").update(prompt="Who backs it up, then?")

    second = quiz_from_article_assign(
        article=article,
        teacher=teacher,
        title="Second",
        kinds=["sourcing"],
        classroom=classroom,
        **schedule(),
    )

    assert Question.objects.filter(kind="sourcing").count() == 3
    assert set(second.quiz.questions.values_list("prompt", flat=True)) == {"Who backs it up, then?"}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"kinds": []}, "kinds"),
        ({"kinds": ["evidence"], "article": "bare"}, "article"),
        ({"due_at": "before"}, "due_at"),
        ({"reveal": Assignment.Reveal.AFTER_DUE, "due_at": None}, "due_at"),
    ],
)
def test_a_refused_quiz_leaves_nothing_half_saved(teacher, article, classroom, changes, code):
    terms = schedule()
    if changes.pop("article", None):
        article = ArticleFactory(owner=teacher)
    if changes.get("due_at") == "before":
        changes["due_at"] = terms["opens_at"] - timedelta(hours=1)
    arguments = {
        "article": article,
        "teacher": teacher,
        "title": "The bridge",
        "kinds": ["attribution", "sourcing"],
        "classroom": classroom,
        **terms,
    } | changes

    with pytest.raises(ValidationError) as refusal:
        quiz_from_article_assign(**arguments)

    assert refusal.value.error_list[0].code == code
    assert nothing_saved()


def test_the_article_questions_go_after_the_ones_already_in_the_quiz(teacher, article):
    quiz = QuizFactory(owner=teacher, questions=1)

    added = quiz_article_questions_add(quiz=quiz, article=article)

    assert added == 9
    assert quiz_plan(quiz)[1:] == READING_ORDER


# The Make a quiz page


def make_url(article) -> str:
    return reverse("quiz:article_quiz_create", args=[article.pk])


def form_data(classroom, **changes) -> dict:
    terms = schedule()
    return {
        "title": "The bridge",
        "kinds": ["attribution", "evidence", "sourcing", "classification"],
        "classroom": classroom.pk,
        "opens_at": terms["opens_at"].strftime("%Y-%m-%dT%H:%M"),
        "due_at": terms["due_at"].strftime("%Y-%m-%dT%H:%M"),
        "attempts_allowed": 1,
        "reveal": "after_each",
    } | changes


def test_the_page_offers_every_kind_ticked_the_articles_title_and_the_teachers_classes(
    client, teacher, article, classroom
):
    ClassroomFactory(name="Someone else's class")
    client.force_login(teacher)

    response = client.get(make_url(article))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Bridge to reopen"
    assert form["kinds"].value() == ["attribution", "evidence", "sourcing", "classification"]
    assert list(form.fields["classroom"].queryset) == [classroom]
    html = response.content.decode()
    assert html.count('type="checkbox" name="kinds"') == 4
    # Every kind of question ticked, and booster practice on.
    assert re.findall(r'name="(\w+)"[^>]*checked', html) == ["kinds"] * 4 + ["boosters"]
    assert "Someone else&#x27;s class" not in html
    assert "3 annotated statements" in html
    assert 'class="breadcrumbs"' in html  # the admin's look, as the builder


def test_making_the_quiz_assigns_it_and_lands_on_the_page_of_what_next(
    client, teacher, article, classroom
):
    client.force_login(teacher)

    response = client.post(make_url(article), form_data(classroom, reveal="after_attempt"))

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:assignment_made", args=[assignment.pk])
    assert assignment.classroom == classroom and assignment.reveal == "after_attempt"
    assert quiz_plan(assignment.quiz) == READING_ORDER
    done = client.get(response["Location"])
    html = done.content.decode()
    assert "“The bridge” is made and assigned to 7B." in html
    assert reverse("quiz:teach_assignment", args=[assignment.pk]) in html
    assert reverse("quiz:builder", args=[assignment.quiz_id]) in html
    assert reverse("quiz:preview", args=[assignment.quiz_id]) in html
    assert "9 questions" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kinds": []}, "This field is required."),
        ({"title": ""}, "This field is required."),
        ({"due_at": "2000-01-01T09:00"}, "The due time must be after the opening time."),
        ({"reveal": "after_due", "due_at": ""}, "Answers shown after the due date need a due"),
        ({"kinds": ["evidence"], "bare": True}, "has no annotated statements to ask about yet"),
    ],
)
def test_bad_input_says_what_to_correct_and_saves_nothing(
    client, teacher, article, classroom, changes, message
):
    if changes.pop("bare", False):
        article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(make_url(article), form_data(classroom, **changes))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was made: correct what is shown below." in html
    assert message in html
    assert nothing_saved()


def test_another_teachers_class_cannot_be_chosen(client, teacher, article):
    client.force_login(teacher)

    response = client.post(make_url(article), form_data(ClassroomFactory()))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert nothing_saved()


def test_someone_elses_article_is_not_found_and_students_and_visitors_are_turned_away(
    client, article, other_teacher, student
):
    url = make_url(article)

    anonymous = client.get(url)
    client.force_login(student)
    refused = client.get(url)
    client.force_login(other_teacher)
    hidden = client.get(url)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert refused.status_code == 403
    assert hidden.status_code == 404


def test_the_page_of_what_next_is_the_teachers_alone(client, teacher, other_teacher, article):
    classroom = ClassroomFactory(teachers=[teacher])
    assignment = quiz_from_article_assign(
        article=article,
        teacher=teacher,
        title="The bridge",
        kinds=["sourcing"],
        classroom=classroom,
        **schedule(),
    )
    client.force_login(other_teacher)

    response = client.get(reverse("quiz:assignment_made", args=[assignment.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_makes_as_many_queries_whatever_the_article_and_classes(
    client, teacher, django_assert_num_queries, count
):
    article = ArticleFactory(owner=teacher)
    for _number in range(count):
        annotate(article, "the bridge would reopen in May", "The mayor")
        ClassroomFactory(teachers=[teacher])
    client.force_login(teacher)

    with django_assert_num_queries(10):
        client.get(make_url(article))


def test_the_articles_admin_page_has_the_make_a_quiz_button(client, teacher, article):
    client.force_login(teacher)

    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert f'href="{make_url(article)}" id="make-quiz"' in response.content.decode()


# The admin's Add quiz page


def test_the_add_quiz_page_offers_all_questions_from_one_of_the_teachers_articles(
    client, teacher, article
):
    ArticleFactory(title="Someone else's article")
    client.force_login(teacher)

    response = client.get(reverse("admin:quiz_quiz_add"))

    field = response.context["adminform"].form.fields["from_article"]
    assert list(field.queryset) == [article]
    assert "Add all questions from this article" in response.content.decode()


def test_saving_a_new_quiz_with_an_article_fills_it_and_opens_its_builder(client, teacher, article):
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_quiz_add"),
        {"title": "The bridge", "published": "on", "from_article": article.pk, **no_inline_rows()},
    )

    quiz = Quiz.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:builder", args=[quiz.pk]) + "#quiz-builder"
    assert quiz_plan(quiz) == READING_ORDER
    builder = client.get(response["Location"])
    assert "9 questions from “Bridge to reopen” added." in builder.content.decode()


def test_saving_a_new_quiz_opens_its_builder_not_the_list(client, teacher):
    client.force_login(teacher)

    response = client.post(reverse("admin:quiz_quiz_add"), {"title": "Empty", **no_inline_rows()})

    quiz = Quiz.objects.get()
    assert response["Location"] == reverse("quiz:builder", args=[quiz.pk]) + "#quiz-builder"


def test_save_and_continue_editing_still_stays_on_the_quiz(client, teacher):
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_quiz_add"),
        {"title": "Empty", "_continue": "1", **no_inline_rows()},
    )

    quiz = Quiz.objects.get()
    assert response["Location"] == reverse("admin:quiz_quiz_change", args=[quiz.pk])


def test_an_article_without_annotations_is_refused_on_the_add_quiz_page(client, teacher):
    bare = ArticleFactory(owner=teacher, title="Bare")
    QuestionFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_quiz_add"),
        {"title": "Empty", "from_article": bare.pk, **no_inline_rows()},
    )

    assert response.status_code == 200
    assert "“Bare” has no annotated statements to ask about yet." in response.content.decode()
    assert not Quiz.objects.exists()


def no_inline_rows() -> dict:
    return {
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
