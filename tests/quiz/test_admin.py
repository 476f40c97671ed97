import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import TEACHER_PERMISSIONS, teachers_group_ensure
from quiz.models import Attempt, Question, Quiz, Response, Skill
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    OutletFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

TOKEN = "Zebracorn"  # in every name of the first teacher's content, and nowhere else


@pytest.fixture
def first_teachers_content(teacher):
    """One of everything a teacher authors, each named with TOKEN."""
    article = ArticleFactory(
        owner=teacher, title=f"{TOKEN} article", outlet=OutletFactory(name=f"{TOKEN} Times")
    )
    source = SourceFactory(article=article, name=f"{TOKEN} Speaker")
    annotation = AnnotationFactory(article=article, speaker=source)
    question = QuestionFactory(article=article, owner=teacher, prompt=f"{TOKEN} prompt?")
    quiz = QuizFactory(owner=teacher, title=f"{TOKEN} quiz", questions=[question])
    classroom = ClassroomFactory(name=f"{TOKEN} class", teachers=[teacher])
    assignment = AssignmentFactory(quiz=quiz, classroom=classroom)
    return {
        "article": article,
        "source": source,
        "annotation": annotation,
        "question": question,
        "quiz": quiz,
        "classroom": classroom,
        "assignment": assignment,
    }


@pytest.fixture
def second_teachers_content(other_teacher):
    article = ArticleFactory(owner=other_teacher, title="Roads article")
    question = QuestionFactory(article=article, owner=other_teacher, prompt="Roads prompt?")
    QuizFactory(owner=other_teacher, title="Roads quiz", questions=[question])
    ClassroomFactory(name="Roads class", teachers=[other_teacher])
    return article


CHANGELISTS = [
    "articles_article",
    "articles_source",
    "articles_annotation",
    "quiz_question",
    "quiz_quiz",
    "quiz_classroom",
    "quiz_assignment",
]

ADD_FORMS = [
    "articles_source",
    "articles_annotation",
    "quiz_question",
    "quiz_quiz",
    "quiz_assignment",
]

# (app_label, model_name, field_name) of every foreign key the admin could autocomplete.
AUTOCOMPLETES = [
    ("quiz", "quizquestion", "question"),
    ("quiz", "question", "article"),
    ("quiz", "assignment", "quiz"),
    ("quiz", "assignment", "classroom"),
    ("articles", "annotation", "article"),
    ("articles", "annotation", "speaker"),
    ("articles", "source", "article"),
]  # Outlets are shared by every teacher (newspapers, not anyone's work), so not in here.


def autocomplete(client, app_label, model_name, field_name) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200, (app_label, model_name, field_name)
    return [result["text"] for result in json.loads(response.content)["results"]]


# Each teacher in their own space


@pytest.mark.parametrize("model", CHANGELISTS)
def test_second_teacher_sees_none_of_the_firsts_content_in_changelists_and_filters(
    client, other_teacher, first_teachers_content, second_teachers_content, model
):
    client.force_login(other_teacher)

    response = client.get(reverse(f"admin:{model}_changelist"))

    assert response.status_code == 200
    assert TOKEN not in response.content.decode()


@pytest.mark.parametrize("model", CHANGELISTS)
def test_the_owner_and_a_superuser_see_the_content_in_changelists(
    client, teacher, superuser, first_teachers_content, model
):
    for user in (teacher, superuser):
        client.force_login(user)

        response = client.get(reverse(f"admin:{model}_changelist"))

        assert TOKEN in response.content.decode(), user


@pytest.mark.parametrize("name", sorted(CHANGELISTS))
def test_change_and_delete_pages_of_the_firsts_content_send_the_second_teacher_away(
    client, other_teacher, first_teachers_content, name
):
    app_label, model = name.split("_", 1)
    obj = first_teachers_content[model]
    client.force_login(other_teacher)

    for view in ("change", "delete", "history"):
        response = client.get(reverse(f"admin:{name}_{view}", args=[obj.pk]))

        if view == "delete" and not other_teacher.has_perm(f"{app_label}.delete_{model}"):
            # Refused before the lookup, as for the teacher's own: nothing to learn here.
            assert response.status_code == 403
            continue
        assert response.status_code == 302, view
        assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("model", ADD_FORMS)
def test_add_forms_offer_only_the_teachers_own_content(
    client, teacher, other_teacher, first_teachers_content, second_teachers_content, model
):
    client.force_login(other_teacher)

    html = client.get(reverse(f"admin:{model}_add")).content.decode()

    assert TOKEN not in html


def test_add_forms_offer_the_owner_their_content(client, teacher, first_teachers_content):
    client.force_login(teacher)

    annotation_form = client.get(reverse("admin:articles_annotation_add")).content.decode()
    assignment_form = client.get(reverse("admin:quiz_assignment_add")).content.decode()

    assert f"{TOKEN} article" in annotation_form and f"{TOKEN} Speaker" in annotation_form
    assert f"{TOKEN} quiz" in assignment_form and f"{TOKEN} class" in assignment_form


@pytest.mark.parametrize("field", AUTOCOMPLETES, ids=lambda f: ".".join(f))
def test_autocomplete_gives_the_second_teacher_none_of_the_firsts_content(
    client, teacher, other_teacher, first_teachers_content, second_teachers_content, field
):
    client.force_login(other_teacher)
    theirs = autocomplete(client, *field)
    client.force_login(teacher)
    mine = autocomplete(client, *field)

    assert not [text for text in theirs if TOKEN in text]
    assert [text for text in mine if TOKEN in text]


def test_admin_actions_on_the_firsts_content_do_nothing_for_the_second_teacher(
    client, other_teacher, first_teachers_content
):
    article, quiz = first_teachers_content["article"], first_teachers_content["quiz"]
    client.force_login(other_teacher)

    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "generate_questions", "_selected_action": [article.pk]},
    )
    client.post(
        reverse("admin:quiz_quiz_changelist"),
        {"action": "delete_selected", "_selected_action": [quiz.pk], "post": "yes"},
    )
    client.post(
        reverse("admin:quiz_quiz_changelist"),
        {"action": "duplicate_quizzes", "_selected_action": [quiz.pk]},
    )

    assert Question.objects.filter(article=article).count() == 1
    assert Quiz.objects.count() == 1


def test_teachers_group_has_exactly_the_teacher_permissions_and_ensuring_it_twice_is_harmless():
    first = set(teachers_group_ensure().permissions.values_list("codename", flat=True))
    second = set(teachers_group_ensure().permissions.values_list("codename", flat=True))

    expected = {
        f"{action}_{model}" for _app, model, actions in TEACHER_PERMISSIONS for action in actions
    }
    assert first == second == expected
    assert not Permission.objects.filter(
        group__name="Teachers", content_type__app_label="auth"
    ).exists()
    assert "view_response" not in first and "change_attempt" not in first


# Questions


def question_post(article, **overrides) -> dict:
    data = {
        "kind": "multiple_choice",
        "skill": "claims",
        "article": article.pk,
        "prompt": "Which is a reported fact?",
        "statement": "",
        "answer_exact": "",
        "explanation": "",
        "points": "1",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-position": "1",
        "choices-0-text": "The bridge closed in 2023.",
        "choices-0-is_correct": "on",
        "choices-0-feedback": "",
        "choices-1-position": "2",
        "choices-1-text": "The bridge would reopen in May.",
        "choices-1-feedback": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_question_list_filters_by_article_kind_and_skill(client, teacher, first_teachers_content):
    client.force_login(teacher)
    article = first_teachers_content["article"]

    html = client.get(reverse("admin:quiz_question_changelist")).content.decode()
    filtered = client.get(
        reverse("admin:quiz_question_changelist"),
        {
            "article__id__exact": article.pk,
            "kind__exact": "multiple_choice",
            "skill__exact": "claims",
        },
    )

    assert "?kind__exact=" in html and "?skill__exact=" in html
    assert "?article__id__exact=" in html
    assert filtered.status_code == 200 and f"{TOKEN} prompt?" in filtered.content.decode()


def test_a_question_with_its_choices_is_created_by_its_author(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(reverse("admin:quiz_question_add"), question_post(article))

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.owner == teacher and question.choices.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices-0-is_correct": None}, "Mark at least one choice as correct."),
        ({"choices-1-text": ""}, "Give at least two choices."),
    ],
)
def test_choices_must_be_two_or_more_with_at_least_one_right(client, teacher, overrides, message):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(reverse("admin:quiz_question_add"), question_post(article, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_an_evidence_question_needs_the_words_that_name_the_source(client, teacher):
    article = ArticleFactory(owner=teacher)
    client.force_login(teacher)

    missing = client.post(
        reverse("admin:quiz_question_add"),
        question_post(article, kind="evidence", skill="sourcing"),
    )
    absent = client.post(
        reverse("admin:quiz_question_add"),
        question_post(article, kind="evidence", skill="sourcing", answer_exact="The governor"),
    )
    found = client.post(
        reverse("admin:quiz_question_add"),
        question_post(
            article,
            kind="evidence",
            skill="sourcing",
            statement="the bridge would reopen in May",
            answer_exact="The mayor",
        ),
    )

    assert "An evidence question needs the words that name the source" in missing.content.decode()
    assert "These words are not in the article" in absent.content.decode()
    assert found.status_code == 302
    question = Question.objects.get()
    assert (question.answer_start, question.answer_end) == (0, 9)
    assert question.focus_start == article.body.index("the bridge would")


def test_the_question_admin_offers_only_the_teachers_articles(
    client, teacher, other_teacher, first_teachers_content
):
    client.force_login(other_teacher)

    response = client.post(
        reverse("admin:quiz_question_add"), question_post(first_teachers_content["article"])
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Question.objects.count() == 1


# Responses and regrading


def answered_question(teacher, rights: int, wrongs: int):
    """A question answered `rights` times with its right choice and `wrongs` with a wrong one."""
    question = QuestionFactory(article=ArticleFactory(owner=teacher), owner=teacher)
    right, wrong, _other = question.choices.order_by("position")
    assignment = AssignmentFactory(quiz=QuizFactory(owner=teacher, questions=[question]))
    for choice, count in ((right, rights), (wrong, wrongs)):
        for _ in range(count):
            attempt = AttemptFactory(assignment=assignment, score=int(choice.is_correct))
            Response.objects.create(
                attempt=attempt,
                question=question,
                choice=choice,
                is_correct=choice.is_correct,
                points=int(choice.is_correct),
            )
    return question, right, wrong


def choices_post(question, right_choice) -> dict:
    data = {
        "kind": question.kind,
        "skill": question.skill,
        "article": question.article_id,
        "prompt": question.prompt,
        "statement": question.statement,
        "answer_exact": "",
        "explanation": question.explanation,
        "points": str(question.points),
        "choices-TOTAL_FORMS": "3",
        "choices-INITIAL_FORMS": "3",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for index, choice in enumerate(question.choices.order_by("position")):
        data.update(
            {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-position": choice.position,
                f"choices-{index}-text": choice.text,
                f"choices-{index}-feedback": choice.feedback,
            }
        )
        if choice == right_choice:
            data[f"choices-{index}-is_correct"] = "on"
    return data


def test_a_question_with_responses_says_how_many_there_are(client, teacher):
    question, _right, _wrong = answered_question(teacher, rights=4, wrongs=8)
    client.force_login(teacher)

    html = client.get(reverse("admin:quiz_question_change", args=[question.pk])).content.decode()

    assert "Students have answered this question 12 times: 4 right as graded then." in html
    assert 'id="regrade-link"' not in html


def test_changing_the_right_answer_offers_a_regrade_with_counts_before_and_after(client, teacher):
    question, _right, wrong = answered_question(teacher, rights=4, wrongs=8)
    client.force_login(teacher)

    saved = client.post(
        reverse("admin:quiz_question_change", args=[question.pk]),
        choices_post(question, wrong),
        follow=True,
    )
    review = client.get(reverse("quiz:regrade", args=[question.pk]))

    assert "12 responses: 4 right → 8 right." in saved.content.decode()
    assert reverse("quiz:regrade", args=[question.pk]) in saved.content.decode()
    assert Response.objects.filter(question=question, is_correct=True).count() == 4  # not yet
    assert "12 responses: 4 right → 8 right." in review.content.decode()
    assert 'id="regrade-confirm"' in review.content.decode()


def test_moving_an_answered_question_to_another_skill_moves_its_right_answers(client, teacher):
    question, right, _wrong = answered_question(teacher, rights=3, wrongs=2)
    assert question.skill != Skill.SOURCING
    Attempt.objects.filter(responses__choice=right).update(
        **{Attempt.right_field(question.skill): 1}
    )
    client.force_login(teacher)

    saved = client.post(
        reverse("admin:quiz_question_change", args=[question.pk]),
        {**choices_post(question, right), "skill": Skill.SOURCING},
        follow=True,
    )

    assert "now count towards Sourcing" in saved.content.decode()
    moved = Attempt.objects.filter(responses__choice=right)
    assert [(a.right_sourcing, getattr(a, Attempt.right_field(question.skill))) for a in moved] == [
        (1, 0)
    ] * 3


# Quizzes: the builder, the preview and the duplicate button are views of their own
# (tests/quiz/test_authoring_views.py), linked from the quiz's page.


def test_quiz_page_links_to_the_builder_the_preview_and_the_duplicate_button(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    builder = reverse("quiz:builder", args=[quiz.pk])
    client.force_login(teacher)

    html = client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()

    assert f'href="{builder}" id="builder-quiz"' in html
    assert f'href="{builder}#quiz-builder" id="open-builder"' in html
    assert "This quiz has 2 questions." in html
    assert f'href="{reverse("quiz:preview", args=[quiz.pk])}" id="preview-quiz"' in html
    assert f'action="{reverse("quiz:quiz_duplicate", args=[quiz.pk])}"' in html
    assert 'name="items-TOTAL_FORMS"' not in html  # no stale inline beside the builder


def test_a_new_quiz_is_created_with_the_questions_picked_on_its_add_form(client, teacher):
    question = QuestionFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_quiz_add"),
        {
            "title": "Bridges",
            "description": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-position": "1",
            "items-0-question": question.pk,
            "_continue": "1",
        },
        follow=True,
    )

    quiz = Quiz.objects.get(title="Bridges")
    assert quiz.owner == teacher and quiz.items.get().question == question
    assert "This quiz has 1 question." in response.content.decode()


def test_duplicate_action_copies_each_selected_quiz(client, teacher):
    quizzes = [QuizFactory(owner=teacher, questions=1) for _ in range(2)]
    client.force_login(teacher)

    response = client.post(
        reverse("admin:quiz_quiz_changelist"),
        {"action": "duplicate_quizzes", "_selected_action": [q.pk for q in quizzes]},
        follow=True,
    )

    assert "2 quizzes duplicated." in response.content.decode()
    assert Quiz.objects.filter(owner=teacher, title__startswith="Copy of").count() == 2
