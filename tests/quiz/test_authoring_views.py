"""A teacher's authoring screens: a quiz's builder, its preview as a student, a regrade.

Each is a view of its own (quiz/views/authoring.py) that the admin links to; each is
requested as the owner, another teacher, a student and anonymously, and each htmx endpoint
once as htmx (a fragment) and once as a plain request (a page or a redirect).
"""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.roles import teachers_group_ensure
from quiz.models import Attempt, Question, Quiz, QuizQuestion, Response
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    QuestionFactory,
    QuizFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}


def builder_url(quiz, action="", item=None) -> str:
    if item is not None:
        return reverse(f"quiz:builder_{action}", args=[quiz.pk, item.pk])
    return reverse(f"quiz:builder_{action}" if action else "quiz:builder", args=[quiz.pk])


def quiz_order(quiz) -> list[int]:
    return list(quiz.items.order_by("position").values_list("question_id", flat=True))


def teachers_may_not(codename: str) -> None:
    """Take one permission away from the Teachers group (inside the test's transaction)."""
    teachers_group_ensure().permissions.remove(Permission.objects.get(codename=codename))


# Who may come in


@pytest.mark.parametrize(
    "name",
    ["builder", "preview", "preview_question", "regrade"],
)
def test_authoring_pages_send_anonymous_visitors_to_log_in_and_refuse_students(
    client, teacher, student, name
):
    quiz = QuizFactory(owner=teacher, questions=1)
    question = quiz.questions.get()
    args = {
        "builder": [quiz.pk],
        "preview": [quiz.pk],
        "preview_question": [quiz.pk, question.pk],
        "regrade": [question.pk],
    }[name]
    url = reverse(f"quiz:{name}", args=args)

    anonymous = client.get(url)
    client.force_login(student)
    refused = client.get(url)

    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert refused.status_code == 403


# The quiz builder


def test_builder_page_shows_the_quiz_questions_and_the_ones_to_add_in_the_admin_look(
    client, teacher
):
    quiz = QuizFactory(owner=teacher, questions=2, title="Bridges")
    spare = QuestionFactory(owner=teacher, prompt="Spare question?")
    client.force_login(teacher)

    response = client.get(builder_url(quiz))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="quiz-builder"' in html
    assert 'class="breadcrumbs"' in html and "Bridges" in html
    for item in quiz.items.all():
        assert f'id="item-{item.pk}"' in html and f'id="remove-{item.pk}"' in html
    assert f'id="candidate-{spare.pk}"' in html
    assert f'href="{reverse("quiz:preview", args=[quiz.pk])}" id="preview-quiz"' in html
    assert f'href="{reverse("admin:quiz_quiz_change", args=[quiz.pk])}"' in html


def test_builder_filters_narrow_the_questions_offered(client, teacher):
    quiz = QuizFactory(owner=teacher)
    bridges, roads = ArticleFactory(owner=teacher), ArticleFactory(owner=teacher)
    wanted = QuestionFactory(article=bridges, owner=teacher, skill="sourcing", kind="sourcing")
    other_skill = QuestionFactory(article=bridges, owner=teacher, skill="claims")
    other_article = QuestionFactory(article=roads, owner=teacher, skill="sourcing")
    client.force_login(teacher)
    filters = {
        "builder-article": bridges.pk,
        "builder-skill": "sourcing",
        "builder-kind": "sourcing",
    }

    fragment = client.get(builder_url(quiz), filters, headers=HTMX)
    page = client.get(builder_url(quiz), filters)

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<section id="quiz-builder"')
    assert f'id="candidate-{wanted.pk}"' in html
    assert f'id="candidate-{other_skill.pk}"' not in html
    assert f'id="candidate-{other_article.pk}"' not in html
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert f'id="candidate-{other_skill.pk}"' not in page.content.decode()


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


def test_adding_without_javascript_redirects_back_to_the_builder_with_its_filters(client, teacher):
    quiz = QuizFactory(owner=teacher)
    question = QuestionFactory(owner=teacher)
    client.force_login(teacher)

    response = client.post(
        builder_url(quiz, "add"), {"question": [question.pk], "builder-skill": "claims"}
    )
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == builder_url(quiz) + "?builder-skill=claims#quiz-builder"
    assert quiz_order(quiz) == [question.pk]
    assert "1 question added." in page.content.decode()  # the message, on the page


def test_adding_nothing_says_so(client, teacher):
    quiz = QuizFactory(owner=teacher)
    client.force_login(teacher)

    fragment = client.post(builder_url(quiz, "add"), {}, headers=HTMX)
    plain = client.post(builder_url(quiz, "add"), {}, follow=True)

    assert fragment.status_code == 400
    assert "Tick the questions to add first." in fragment.content.decode()
    assert plain.redirect_chain[-1][0] == builder_url(quiz) + "#quiz-builder"
    assert "Tick the questions to add first." in plain.content.decode()


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
    assert down["Location"] == builder_url(quiz) + "#quiz-builder"
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


def test_the_builders_changes_are_posts_only(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    item = quiz.items.first()
    client.force_login(teacher)

    responses = [
        client.get(builder_url(quiz, "add")),
        client.get(builder_url(quiz, "move", item)),
        client.get(builder_url(quiz, "remove", item)),
    ]

    assert [r.status_code for r in responses] == [405] * 3
    assert quiz.items.count() == 2


def test_another_teacher_cannot_use_the_builder(client, teacher, other_teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    theirs = QuestionFactory(owner=other_teacher)
    item = quiz.items.first()
    client.force_login(other_teacher)

    responses = [
        client.get(builder_url(quiz)),
        client.get(builder_url(quiz), headers=HTMX),
        client.post(builder_url(quiz, "add"), {"question": [theirs.pk]}, headers=HTMX),
        client.post(builder_url(quiz, "move", item), {"direction": "down"}, headers=HTMX),
        client.post(builder_url(quiz, "remove", item), headers=HTMX),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert quiz.items.count() == 2


def test_an_item_of_another_quiz_is_not_found_through_this_one(client, teacher):
    quiz, other = QuizFactory(owner=teacher, questions=1), QuizFactory(owner=teacher, questions=1)
    client.force_login(teacher)

    response = client.post(builder_url(quiz, "remove", other.items.get()), headers=HTMX)

    assert response.status_code == 404
    assert other.items.count() == 1


def test_a_teacher_who_may_not_change_quizzes_sees_the_builder_without_its_buttons(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    spare = QuestionFactory(owner=teacher)
    item = quiz.items.first()
    teachers_may_not("change_quiz")
    client.force_login(teacher)

    page = client.get(builder_url(quiz))
    refused = [
        client.post(builder_url(quiz, "add"), {"question": [spare.pk]}, headers=HTMX),
        client.post(builder_url(quiz, "move", item), {"direction": "down"}, headers=HTMX),
        client.post(builder_url(quiz, "remove", item), headers=HTMX),
    ]

    html = page.content.decode()
    assert page.status_code == 200 and f'id="item-{item.pk}"' in html
    assert f'id="remove-{item.pk}"' not in html and 'id="builder-add"' not in html
    assert [r.status_code for r in refused] == [403] * 3
    assert quiz.items.count() == 2


def test_a_superuser_may_build_any_teachers_quiz(client, teacher, superuser):
    quiz = QuizFactory(owner=teacher)
    question = QuestionFactory(owner=teacher)
    client.force_login(superuser)

    page = client.get(builder_url(quiz))
    added = client.post(builder_url(quiz, "add"), {"question": [question.pk]}, headers=HTMX)

    assert page.status_code == 200 and f'id="candidate-{question.pk}"' in page.content.decode()
    assert added.status_code == 200
    assert quiz_order(quiz) == [question.pk]


@pytest.mark.parametrize("count", [2, 20])
def test_the_builder_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    for _ in range(count):
        QuestionFactory(owner=teacher)
    client.force_login(teacher)

    # Session, user, the Teachers group, permissions (user and group), the quiz, its
    # questions, the articles to filter by, the questions to add.
    with django_assert_num_queries(9):
        fragment = client.get(builder_url(quiz), headers=HTMX)
    # The same on its page.
    with django_assert_num_queries(9):
        page = client.get(builder_url(quiz))

    assert fragment.status_code == page.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_a_builder_change_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    item = quiz.items.order_by("position").last()
    client.force_login(teacher)

    # Session, user, the Teachers group, permissions (user and group), the quiz, the item,
    # the move (savepoint, lock, update, timestamp, release), its new position, then the
    # builder: its questions, the articles to filter by, the questions to add.
    with django_assert_num_queries(17):
        response = client.post(builder_url(quiz, "move", item), {"direction": "up"}, headers=HTMX)

    assert response.status_code == 200


# Duplicating


def test_duplicate_button_copies_the_quiz_and_opens_the_copy(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2, title="Bridges")
    client.force_login(teacher)

    response = client.post(reverse("quiz:quiz_duplicate", args=[quiz.pk]))

    copy = Quiz.objects.exclude(pk=quiz.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:quiz_quiz_change", args=[copy.pk])
    assert copy.title == "Copy of Bridges" and quiz_order(copy) == quiz_order(quiz)


def test_another_teachers_quiz_cannot_be_duplicated(client, teacher, other_teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    client.force_login(other_teacher)

    response = client.post(reverse("quiz:quiz_duplicate", args=[quiz.pk]))

    assert response.status_code == 404
    assert Quiz.objects.count() == 1


def test_a_teacher_who_may_not_add_quizzes_cannot_duplicate_one(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    teachers_may_not("add_quiz")
    client.force_login(teacher)

    page = client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    response = client.post(reverse("quiz:quiz_duplicate", args=[quiz.pk]))

    assert 'id="duplicate-quiz"' not in page
    assert response.status_code == 403
    assert Quiz.objects.count() == 1


# Preview as a student


def preview_question_url(quiz, question) -> str:
    return reverse("quiz:preview_question", args=[quiz.pk, question.pk])


def preview_answer_url(quiz, question) -> str:
    return reverse("quiz:preview_answer", args=[quiz.pk, question.pk])


def questions_of(quiz) -> list[Question]:
    return list(quiz.questions.order_by("quiz_items__position"))


def test_preview_starts_at_the_first_question_on_the_students_page(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2, published=False)
    first = questions_of(quiz)[0]
    client.force_login(teacher)

    response = client.get(reverse("quiz:preview", args=[quiz.pk]), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == preview_question_url(quiz, first)
    assert 'id="stage"' in html and 'id="preview-banner"' in html
    assert f'hx-post="{preview_answer_url(quiz, first)}"' in html
    assert first.prompt in html and "js/evidence.js" in html
    assert f"<title>Preview · Question 1 of 2 · {quiz.title} · Sourcewise</title>" in html
    assert reverse("admin:quiz_quiz_change", args=[quiz.pk]) in html  # back to editing


def test_a_quiz_without_questions_sends_its_preview_to_the_builder(client, teacher):
    quiz = QuizFactory(owner=teacher)
    client.force_login(teacher)

    response = client.get(reverse("quiz:preview", args=[quiz.pk]), follow=True)

    assert response.redirect_chain[-1][0] == builder_url(quiz)
    assert "Add questions to the quiz to preview it." in response.content.decode()


def test_moving_to_another_preview_question_with_htmx_swaps_the_stage(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    second = questions_of(quiz)[1]
    client.force_login(teacher)

    response = client.get(preview_question_url(quiz, second), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "<title>Preview · Question 2 of 2" in html and 'id="stage"' in html


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
    same = client.post(preview_answer_url(quiz, question), {"choice": right.pk}, headers=ANSWER)
    again = client.post(preview_answer_url(quiz, question), {"choice": wrong.pk}, headers=ANSWER)
    shown = client.get(preview_question_url(quiz, question))

    assert same.status_code == 200
    assert again.status_code == 409
    assert "your first answer stands" in again.content.decode()
    assert "Correct" in shown.content.decode()


def test_an_unreadable_or_missing_preview_answer_is_refused_with_a_message(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    question = questions_of(quiz)[0]
    client.force_login(teacher)

    unreadable = client.post(preview_answer_url(quiz, question), {"choice": "x"}, headers=ANSWER)
    missing = client.post(preview_answer_url(quiz, question), {}, headers=ANSWER)
    foreign = client.post(
        preview_answer_url(quiz, question), {"choice": "2000000000"}, headers=ANSWER
    )

    assert unreadable.status_code == missing.status_code == foreign.status_code == 400
    assert "could not be read" in unreadable.content.decode()
    assert "Pick one of the answers first." in missing.content.decode()
    assert "not one of this question&#x27;s answers" in foreign.content.decode()
    assert client.session.get("quiz_previews", {}).get(str(quiz.pk), {}) == {}


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


def test_finishing_the_preview_shows_the_score_and_review_and_forgets_the_answers(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    first, second = questions_of(quiz)
    client.force_login(teacher)
    client.post(preview_answer_url(quiz, first), {"choice": first.choices.get(is_correct=True).pk})

    finished = client.post(reverse("quiz:preview_finish", args=[quiz.pk]))
    restarted = client.get(reverse("quiz:preview", args=[quiz.pk]))

    html = finished.content.decode()
    assert "1 out of 2" in html
    assert first.prompt in html and second.prompt in html and "Not answered." in html
    assert restarted["Location"] == preview_question_url(quiz, first)
    assert not Attempt.objects.exists() and not Response.objects.exists()


def test_starting_the_preview_again_forgets_its_answers(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    first, second = questions_of(quiz)
    client.force_login(teacher)
    client.post(preview_answer_url(quiz, first), {"choice": first.choices.first().pk})

    carried_on = client.get(reverse("quiz:preview", args=[quiz.pk]))
    restarted = client.post(reverse("quiz:preview_restart", args=[quiz.pk]))
    again = client.get(reverse("quiz:preview", args=[quiz.pk]))

    assert carried_on["Location"] == preview_question_url(quiz, second)
    assert restarted["Location"] == reverse("quiz:preview", args=[quiz.pk])
    assert again["Location"] == preview_question_url(quiz, first)


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

    assert client.get(reverse("quiz:preview", args=[quiz.pk])).status_code == 404
    assert client.get(preview_question_url(quiz, question)).status_code == 404
    assert client.post(preview_answer_url(quiz, question), {"choice": 1}).status_code == 404
    assert client.post(reverse("quiz:preview_finish", args=[quiz.pk])).status_code == 404
    assert client.post(reverse("quiz:preview_restart", args=[quiz.pk])).status_code == 404


def test_a_question_not_in_the_quiz_cannot_be_previewed_through_it(client, teacher):
    quiz = QuizFactory(owner=teacher, questions=1)
    outsider = QuestionFactory(owner=teacher)
    client.force_login(teacher)

    assert client.get(preview_question_url(quiz, outsider)).status_code == 404
    assert client.post(preview_answer_url(quiz, outsider), {"choice": 1}).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_a_preview_question_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    question = questions_of(quiz)[-1]
    client.force_login(teacher)

    # Session, user, the Teachers group, permissions (user and group), the quiz, the
    # question with its article, the quiz's question ids, the choices.
    with django_assert_num_queries(9):
        response = client.get(preview_question_url(quiz, question))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_a_preview_answer_uses_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    question = questions_of(quiz)[-1]
    right = question.choices.get(is_correct=True)
    client.force_login(teacher)

    # Session, user, the Teachers group, permissions (user and group), the quiz, the
    # question with its article, the quiz's question ids, the choices, and saving the
    # session (in a savepoint).
    with django_assert_num_queries(12):
        response = client.post(
            preview_answer_url(quiz, question), {"choice": right.pk}, headers=ANSWER
        )

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_preview_results_use_the_same_queries_for_2_and_20_questions(
    client, teacher, django_assert_num_queries, count
):
    quiz = QuizFactory(owner=teacher, questions=count)
    client.force_login(teacher)
    for question in questions_of(quiz):
        client.post(preview_answer_url(quiz, question), {"choice": question.choices.first().pk})

    # Session, user, the Teachers group, permissions (user and group), the quiz, its
    # questions and their choices, and saving the session (in a savepoint).
    with django_assert_num_queries(11):
        response = client.post(reverse("quiz:preview_finish", args=[quiz.pk]))

    assert response.status_code == 200


# Regrading


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


def regrade_url(question) -> str:
    return reverse("quiz:regrade", args=[question.pk])


def test_the_regrade_page_shows_the_counts_before_and_after_in_the_admin_look(client, teacher):
    question, _right, wrong = answered_question(teacher, rights=4, wrongs=8)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(teacher)

    response = client.get(regrade_url(question))

    html = response.content.decode()
    assert response.status_code == 200
    assert "12 responses: 4 right → 8 right." in html
    assert 'id="regrade-confirm"' in html and f'action="{regrade_url(question)}"' in html
    assert 'class="breadcrumbs"' in html
    assert reverse("admin:quiz_question_change", args=[question.pk]) in html
    assert Response.objects.filter(question=question, is_correct=True).count() == 4  # not yet


def test_confirming_the_regrade_updates_responses_and_attempt_scores(client, teacher):
    question, right, wrong = answered_question(teacher, rights=4, wrongs=8)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(teacher)

    response = client.post(regrade_url(question), follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:quiz_question_change", args=[question.pk]
    )
    assert "Regraded: 12 responses: 4 right → 8 right." in html
    assert "12 attempt(s) were updated" in html
    assert Response.objects.filter(question=question, is_correct=True, choice=wrong).count() == 8
    assert Attempt.objects.filter(responses__choice=wrong, score=1).count() == 8
    assert Attempt.objects.filter(responses__choice=right, score=0).count() == 4


def test_a_regrade_with_nothing_to_change_says_so(client, teacher):
    question, _right, _wrong = answered_question(teacher, rights=1, wrongs=1)
    client.force_login(teacher)

    page = client.get(regrade_url(question))
    response = client.post(regrade_url(question), follow=True)

    assert 'id="regrade-confirm"' not in page.content.decode()
    assert "Nothing to regrade" in response.content.decode()


def test_another_teacher_cannot_regrade(client, teacher, other_teacher):
    question, _right, wrong = answered_question(teacher, rights=1, wrongs=1)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(other_teacher)

    page = client.get(regrade_url(question))
    response = client.post(regrade_url(question))

    assert page.status_code == response.status_code == 404
    assert Response.objects.filter(question=question, is_correct=True).count() == 1


def test_a_teacher_who_may_not_change_questions_sees_the_regrade_but_cannot_do_it(client, teacher):
    question, _right, wrong = answered_question(teacher, rights=1, wrongs=1)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    teachers_may_not("change_question")
    client.force_login(teacher)

    page = client.get(regrade_url(question))
    response = client.post(regrade_url(question))

    assert page.status_code == 200 and 'id="regrade-confirm"' not in page.content.decode()
    assert response.status_code == 403
    assert Response.objects.filter(question=question, is_correct=True).count() == 1


@pytest.mark.parametrize("answers", [2, 20])
def test_the_regrade_page_uses_the_same_queries_for_2_and_20_responses(
    client, teacher, django_assert_num_queries, answers
):
    question, _right, wrong = answered_question(teacher, rights=answers // 2, wrongs=answers // 2)
    question.choices.update(is_correct=False)
    question.choices.filter(pk=wrong.pk).update(is_correct=True)
    client.force_login(teacher)

    # Session, user, the Teachers group, permissions (user and group), the question with its
    # article, the counts of its responses before and after (one aggregate), and the score
    # changes (one grouped query).
    with django_assert_num_queries(8):
        response = client.get(regrade_url(question))

    assert response.status_code == 200
