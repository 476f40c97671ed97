import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import TEACHER_PERMISSIONS, teachers_group_ensure
from quiz.models import Attempt, Question, Quiz, QuizQuestion, Response, Skill
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

HTMX = {"HX-Request": "true"}
# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}
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
        ({"choices-1-is_correct": "on"}, "Mark exactly one choice as correct (2 are marked)."),
        ({"choices-0-is_correct": None}, "Mark exactly one choice as correct (0 are marked)."),
        ({"choices-1-text": ""}, "Give at least two choices."),
    ],
)
def test_choices_must_be_two_or_more_with_exactly_one_right(client, teacher, overrides, message):
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
    review = client.get(reverse("admin:quiz_question_regrade", args=[question.pk]))

    assert "12 responses: 4 right → 8 right." in saved.content.decode()
    assert reverse("admin:quiz_question_regrade", args=[question.pk]) in saved.content.decode()
    assert Response.objects.filter(question=question, is_correct=True).count() == 4  # not yet
    assert "12 responses: 4 right → 8 right." in review.content.decode()
    assert 'id="regrade-confirm"' in review.content.decode()


def test_confirming_the_regrade_updates_responses_and_attempt_scores(client, teacher):
    question, right, wrong = answered_question(teacher, rights=4, wrongs=8)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(teacher)

    response = client.post(reverse("admin:quiz_question_regrade", args=[question.pk]), follow=True)

    html = response.content.decode()
    assert "Regraded: 12 responses: 4 right → 8 right." in html
    assert "12 attempt(s) were updated" in html
    assert Response.objects.filter(question=question, is_correct=True, choice=wrong).count() == 8
    assert Attempt.objects.filter(responses__choice=wrong, score=1).count() == 8
    assert Attempt.objects.filter(responses__choice=right, score=0).count() == 4


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


def test_another_teacher_cannot_regrade(client, teacher, other_teacher):
    question, _right, wrong = answered_question(teacher, rights=1, wrongs=1)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(other_teacher)

    response = client.post(reverse("admin:quiz_question_regrade", args=[question.pk]))

    assert response.status_code == 404
    assert Response.objects.filter(question=question, is_correct=True).count() == 1


# The quiz builder


def builder_url(quiz, action="", item=None) -> str:
    if item is not None:
        return reverse(f"admin:quiz_quiz_builder_{action}", args=[quiz.pk, item.pk])
    name = f"admin:quiz_quiz_builder_{action}" if action else "admin:quiz_quiz_builder"
    return reverse(name, args=[quiz.pk])


def quiz_order(quiz) -> list[int]:
    return list(quiz.items.order_by("position").values_list("question_id", flat=True))


def test_quiz_page_shows_the_builder_with_its_questions_and_the_ones_to_add(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    spare = QuestionFactory(owner=teacher, prompt="Spare question?")
    client.force_login(teacher)

    html = client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()

    assert 'id="quiz-builder"' in html
    for item in quiz.items.all():
        assert f'id="item-{item.pk}"' in html
    assert f'id="candidate-{spare.pk}"' in html
    assert 'id="preview-quiz"' in html and 'id="duplicate-quiz"' in html
    assert 'name="items-TOTAL_FORMS"' not in html  # no stale inline next to the builder


def test_builder_filters_narrow_the_questions_offered(client, teacher):
    quiz = QuizFactory(owner=teacher)
    bridges, roads = ArticleFactory(owner=teacher), ArticleFactory(owner=teacher)
    wanted = QuestionFactory(article=bridges, owner=teacher, skill="sourcing", kind="sourcing")
    other_skill = QuestionFactory(article=bridges, owner=teacher, skill="claims")
    other_article = QuestionFactory(article=roads, owner=teacher, skill="sourcing")
    client.force_login(teacher)

    response = client.get(
        builder_url(quiz),
        {"builder-article": bridges.pk, "builder-skill": "sourcing", "builder-kind": "sourcing"},
        headers=HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="quiz-builder"')
    assert f'id="candidate-{wanted.pk}"' in html
    assert f'id="candidate-{other_skill.pk}"' not in html
    assert f'id="candidate-{other_article.pk}"' not in html


def test_adding_ticked_questions_appends_them(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    new = [QuestionFactory(owner=teacher) for _ in range(2)]
    client.force_login(teacher)

    response = client.post(
        builder_url(quiz, "add"), {"question": [new[1].pk, new[0].pk]}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "2 questions added." in html
    assert quiz_order(quiz)[1:] == [new[1].pk, new[0].pk]


def test_adding_without_javascript_redirects_back_to_the_builder(client, teacher):
    quiz = QuizFactory(owner=teacher)
    question = QuestionFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        builder_url(quiz, "add"), {"question": [question.pk], "builder-skill": "claims"}
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("admin:quiz_quiz_change", args=[quiz.pk]) + "?builder-skill=claims#quiz-builder"
    )
    assert quiz_order(quiz) == [question.pk]


def test_another_teachers_question_cannot_be_added(client, teacher, other_teacher):
    quiz = QuizFactory(owner=teacher)
    theirs = QuestionFactory(owner=other_teacher)
    client.force_login(teacher)

    response = client.post(builder_url(quiz, "add"), {"question": [theirs.pk]}, headers=HTMX)

    assert response.status_code == 400
    assert not QuizQuestion.objects.exists()


def test_moving_questions_up_and_down_reorders_the_quiz(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=3)
    first, second, third = quiz_order(quiz)
    client.force_login(teacher)

    up = client.post(
        builder_url(quiz, "move", quiz.items.get(question_id=third)),
        {"direction": "up"},
        headers=HTMX,
    )
    down = client.post(
        builder_url(quiz, "move", quiz.items.get(question_id=first)), {"direction": "down"}
    )

    assert up.status_code == 200 and "Question moved to position 2." in up.content.decode()
    moved = quiz.items.get(question_id=third)
    assert f'id="up-{moved.pk}" autofocus' in up.content.decode()  # focus stays on the button
    assert down.status_code == 302
    assert quiz_order(quiz) == [third, first, second]


def test_a_move_in_no_direction_is_refused(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    client.force_login(teacher)

    response = client.post(
        builder_url(quiz, "move", quiz.items.first()), {"direction": "sideways"}, headers=HTMX
    )

    assert response.status_code == 400
    assert "up or down" in response.content.decode()


def test_removing_a_question_takes_it_out_of_the_quiz_only(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    first, second = quiz_order(quiz)
    client.force_login(teacher)

    response = client.post(
        builder_url(quiz, "remove", quiz.items.get(question_id=first)), headers=HTMX
    )

    assert response.status_code == 200
    assert quiz_order(quiz) == [second]
    assert Question.objects.filter(pk=first).exists()


def test_another_teacher_cannot_use_the_builder(client, teacher, other_teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    theirs = QuestionFactory(owner=other_teacher)
    item = quiz.items.first()
    client.force_login(other_teacher)

    responses = [
        client.get(builder_url(quiz), headers=HTMX),
        client.post(builder_url(quiz, "add"), {"question": [theirs.pk]}, headers=HTMX),
        client.post(builder_url(quiz, "move", item), {"direction": "down"}, headers=HTMX),
        client.post(builder_url(quiz, "remove", item), headers=HTMX),
    ]

    assert [r.status_code for r in responses] == [404] * 4
    assert quiz.items.count() == 2


@pytest.mark.parametrize("count", [2, 20])
def test_the_builder_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    for _ in range(count):
        QuestionFactory(owner=teacher)
    client.force_login(teacher)

    # Session, user, the quiz, permissions (user and group), the quiz's questions, the
    # articles to filter by, the questions to add.
    with django_assert_num_queries(8):
        response = client.get(builder_url(quiz), headers=HTMX)

    assert response.status_code == 200


# Duplicating


def test_duplicate_button_copies_the_quiz_and_opens_the_copy(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2, title="Bridges")
    client.force_login(teacher)

    response = client.post(reverse("admin:quiz_quiz_duplicate", args=[quiz.pk]))

    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:quiz_quiz_change", args=[copy.pk])
    assert copy.title == "Copy of Bridges" and quiz_order(copy) == quiz_order(quiz)


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


# Preview as a student


def preview_question_url(quiz, question) -> str:
    return reverse("admin:quiz_quiz_preview_question", args=[quiz.pk, question.pk])


def preview_answer_url(quiz, question) -> str:
    return reverse("admin:quiz_quiz_preview_answer", args=[quiz.pk, question.pk])


def questions_of(quiz) -> list[Question]:
    return list(quiz.questions.order_by("quiz_items__position"))


def test_preview_starts_at_the_first_question_on_the_students_page(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2, published=False)
    first = questions_of(quiz)[0]
    client.force_login(teacher)

    response = client.get(reverse("admin:quiz_quiz_preview", args=[quiz.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == preview_question_url(quiz, first)
    assert 'id="stage"' in html and 'id="preview-banner"' in html
    assert f'hx-post="{preview_answer_url(quiz, first)}"' in html
    assert first.prompt in html and "js/evidence.js" in html
    assert f"<title>Preview · Question 1 of 2 · {quiz.title} · Sourcewise</title>" in html


def test_preview_answers_get_the_students_feedback_and_record_nothing(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    first, second = questions_of(quiz)
    wrong = first.choices.filter(is_correct=False).first()
    client.force_login(teacher)

    response = client.post(preview_answer_url(quiz, first), {"choice": wrong.pk}, headers=ANSWER)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="question-card"')
    assert 'id="progress"' in html and 'id="announce"' in html
    assert "Not quite" in html and wrong.feedback in html
    assert first.choices.get(is_correct=True).text in html
    assert preview_question_url(quiz, second) in html
    assert not Attempt.objects.exists() and not Response.objects.exists()


def test_a_preview_answer_stands_like_a_students(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    question = questions_of(quiz)[0]
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    client.force_login(teacher)

    client.post(preview_answer_url(quiz, question), {"choice": right.pk}, headers=ANSWER)
    again = client.post(preview_answer_url(quiz, question), {"choice": wrong.pk}, headers=ANSWER)
    shown = client.get(preview_question_url(quiz, question))

    assert again.status_code == 409
    assert "your first answer stands" in again.content.decode()
    assert "Correct" in shown.content.decode()


def test_an_evidence_answer_is_graded_by_the_selection_as_for_a_student(client, teacher):
    annotation = AnnotationFactory(
        article=ArticleFactory(owner=teacher), source_start=0, source_end=9
    )
    question = QuestionFactory(
        kind="evidence",
        skill="sourcing",
        article=annotation.article,
        owner=teacher,
        statement=annotation.exact,
        focus_start=annotation.start,
        focus_end=annotation.end,
        answer_start=0,
        answer_end=9,
        answer_exact="The mayor",
        choices=[("The mayor", True), ("Critics", False)],
    )
    quiz = QuizFactory(owner=teacher, questions=[question])
    client.force_login(teacher)

    response = client.post(
        preview_answer_url(quiz, question), {"start": "0", "end": "9"}, headers=ANSWER
    )

    html = response.content.decode()
    assert "Correct" in html
    assert "hl-source" in html and "hl-selected" in html  # the evidence, as a student sees it
    assert not Response.objects.exists()


def test_finishing_the_preview_shows_the_score_and_forgets_the_answers(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    first, _second = questions_of(quiz)
    client.force_login(teacher)
    client.post(preview_answer_url(quiz, first), {"choice": first.choices.get(is_correct=True).pk})

    finished = client.post(reverse("admin:quiz_quiz_preview_finish", args=[quiz.pk]))
    restarted = client.get(reverse("admin:quiz_quiz_preview", args=[quiz.pk]))

    assert "1 out of 2" in finished.content.decode()
    assert restarted["Location"] == preview_question_url(quiz, first)
    assert not Attempt.objects.exists() and not Response.objects.exists()


def test_without_javascript_a_preview_answer_redirects_to_the_question(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    question = questions_of(quiz)[0]
    client.force_login(teacher)

    response = client.post(
        preview_answer_url(quiz, question),
        {"choice": question.choices.get(is_correct=True).pk},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == preview_question_url(quiz, question)
    assert "Correct" in response.content.decode()


def test_another_teacher_cannot_preview(client, teacher, other_teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    question = questions_of(quiz)[0]
    client.force_login(other_teacher)

    assert client.get(reverse("admin:quiz_quiz_preview", args=[quiz.pk])).status_code == 404
    assert client.get(preview_question_url(quiz, question)).status_code == 404
    assert client.post(preview_answer_url(quiz, question), {"choice": 1}).status_code == 404


def test_a_question_not_in_the_quiz_cannot_be_previewed_through_it(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    outsider = QuestionFactory(owner=teacher)
    client.force_login(teacher)

    assert client.get(preview_question_url(quiz, outsider)).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_a_preview_answer_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    question = questions_of(quiz)[-1]
    right = question.choices.get(is_correct=True)
    client.force_login(teacher)

    # Session, user, the quiz, permissions (user and group), the question with its article,
    # the quiz's question ids, the choices, and saving the session (in a savepoint).
    with django_assert_num_queries(11):
        response = client.post(
            preview_answer_url(quiz, question), {"choice": right.pk}, headers=ANSWER
        )

    assert response.status_code == 200
