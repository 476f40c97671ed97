import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.services import annotation_create
from quiz.models import Attempt, Enrollment, Question, Response
from quiz.services.generation import questions_generate
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    QuestionFactory,
    QuizFactory,
    SourceFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}


def question_url(attempt, question):
    return reverse("quiz:question", args=[attempt.pk, question.pk])


def answer_url(attempt, question):
    return reverse("quiz:answer", args=[attempt.pk, question.pk])


def quiz_questions(attempt):
    return list(attempt.assignment.quiz.questions.order_by("quiz_items__position"))


def answer_first_choice(client, attempt, question, headers=ANSWER):
    """Answer `question` with its first choice, as htmx posts it."""
    return client.post(
        answer_url(attempt, question), {"choice": question.choices.first().pk}, headers=headers
    )


@pytest.fixture
def enrolled_attempt():
    """A student enrolled in a class with a three-question assignment, attempt started."""
    student = StudentFactory()
    classroom = ClassroomFactory(students=[student])
    assignment = AssignmentFactory(classroom=classroom)
    attempt = AttemptFactory(assignment=assignment, student=student, max_score=3)
    return attempt


# Joining


def test_new_student_signs_up_with_the_class_code_and_lands_in_the_class(client):
    classroom = ClassroomFactory(name="7B News")

    response = client.post(
        reverse("quiz:join"),
        {
            "code": classroom.join_code.lower(),
            "first_name": "Mia",
            "username": "mia7b",
            "password1": "reading-the-news-42",
            "password2": "reading-the-news-42",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == classroom.get_absolute_url()
    user = get_user_model().objects.get(username="mia7b")
    assert not user.email
    assert Enrollment.objects.filter(classroom=classroom, student=user).exists()
    assert client.get(classroom.get_absolute_url()).status_code == 200


def test_signup_with_a_wrong_code_says_so_and_creates_nothing(client):
    response = client.post(
        reverse("quiz:join"),
        {
            "code": "KKKKKKK",
            "first_name": "Mia",
            "username": "mia7b",
            "password1": "reading-the-news-42",
            "password2": "reading-the-news-42",
        },
    )

    assert response.status_code == 200
    assert "No class has the code KKKKKKK" in response.content.decode()
    assert not get_user_model().objects.filter(username="mia7b").exists()


def test_signed_in_student_joins_with_just_the_code(client, student):
    classroom = ClassroomFactory()
    client.force_login(student)

    response = client.post(reverse("quiz:join"), {"code": classroom.join_code})

    assert response.status_code == 302
    assert classroom.students.filter(pk=student.pk).exists()


def test_join_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("quiz:join"))

    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


# Classes and assignments


def test_my_classes_lists_only_my_classes(client, student):
    mine = ClassroomFactory(name="Mine", students=[student])
    ClassroomFactory(name="Not mine")
    client.force_login(student)

    html = client.get(reverse("quiz:my_classes")).content.decode()

    assert mine.get_absolute_url() in html
    assert "Not mine" not in html


def test_class_of_someone_else_is_404(client, student):
    classroom = ClassroomFactory()
    client.force_login(student)

    assert client.get(classroom.get_absolute_url()).status_code == 404


def test_starting_an_assignment_creates_one_attempt_and_opens_the_first_question(client, student):
    assignment = AssignmentFactory(classroom=ClassroomFactory(students=[student]))
    client.force_login(student)

    response = client.post(reverse("quiz:attempt_start", args=[assignment.pk]), follow=True)

    attempt = Attempt.objects.get()
    first = quiz_questions(attempt)[0]
    assert response.redirect_chain[-1][0] == question_url(attempt, first)
    client.post(reverse("quiz:attempt_start", args=[assignment.pk]))
    assert Attempt.objects.count() == 1


def test_assignment_of_a_class_i_am_not_in_is_404(client, student):
    assignment = AssignmentFactory()
    client.force_login(student)

    assert client.get(assignment.get_absolute_url()).status_code == 404
    assert client.post(reverse("quiz:attempt_start", args=[assignment.pk])).status_code == 404


# One question at a time


def test_question_page_does_not_give_away_the_answer(client, enrolled_attempt):
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(enrolled_attempt.student)

    html = client.get(question_url(enrolled_attempt, question)).content.decode()

    assert question.prompt in html
    for choice in question.choices.all():
        assert choice.text in html
        assert choice.feedback not in html
    assert "is_correct" not in html and "correct" not in html.lower().replace("correctly", "")
    assert question.explanation not in html


def test_htmx_answer_returns_the_question_card_with_feedback_and_the_progress(
    client, enrolled_attempt
):
    question = quiz_questions(enrolled_attempt)[0]
    right = question.choices.get(is_correct=True)
    client.force_login(enrolled_attempt.student)

    response = client.post(
        answer_url(enrolled_attempt, question), {"choice": right.pk}, headers=ANSWER
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith('<section id="question-card"')
    assert 'id="feedback"' in html and "Correct" in html
    assert question.explanation in html
    assert '<div id="announce"' in html and 'hx-swap-oob="innerHTML"' in html
    assert re.search(r'<div id="progress" class="progress" hx-swap-oob="true">', html)
    assert 'value="1"' in html  # progress moved
    next_question = quiz_questions(enrolled_attempt)[1]
    assert question_url(enrolled_attempt, next_question) in html
    stored = Response.objects.get()
    assert (stored.choice, stored.is_correct, stored.points) == (right, True, 1)
    enrolled_attempt.refresh_from_db()
    assert (enrolled_attempt.score, enrolled_attempt.answered) == (1, 1)


def test_wrong_htmx_answer_shows_the_choice_feedback_and_the_right_answer(client, enrolled_attempt):
    question = quiz_questions(enrolled_attempt)[0]
    wrong = question.choices.filter(is_correct=False).first()
    client.force_login(enrolled_attempt.student)

    html = client.post(
        answer_url(enrolled_attempt, question), {"choice": wrong.pk}, headers=ANSWER
    ).content.decode()

    assert "Not quite" in html
    assert wrong.feedback in html
    assert question.choices.get(is_correct=True).text in html
    enrolled_attempt.refresh_from_db()
    assert (enrolled_attempt.score, enrolled_attempt.answered) == (0, 1)
    assert Response.objects.get().points == 0


def test_answer_on_the_last_question_offers_to_finish_or_go_back_to_the_rest(
    client, enrolled_attempt
):
    *_others, last = quiz_questions(enrolled_attempt)
    client.force_login(enrolled_attempt.student)

    html = client.post(
        answer_url(enrolled_attempt, last),
        {"choice": last.choices.first().pk},
        headers=ANSWER,
    ).content.decode()
    assert "Go to the questions still to answer" in html
    assert reverse("quiz:attempt", args=[enrolled_attempt.pk]) in html

    for question in quiz_questions(enrolled_attempt)[:-1]:
        answer_first_choice(client, enrolled_attempt, question)
    again = answer_first_choice(client, enrolled_attempt, last)
    assert "Finish and see my results" in again.content.decode()


def test_the_finish_form_after_the_last_answer_carries_a_working_csrf_token(enrolled_attempt):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(enrolled_attempt.student)
    token = browser.get(reverse("quiz:attempt", args=[enrolled_attempt.pk]), follow=True)
    header = {**ANSWER, "X-CSRFToken": token.cookies["csrftoken"].value}
    *others, last = quiz_questions(enrolled_attempt)
    for question in others:
        answer_first_choice(browser, enrolled_attempt, question, headers=header)

    html = answer_first_choice(browser, enrolled_attempt, last, headers=header).content.decode()
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    finished = browser.post(
        reverse("quiz:finish", args=[enrolled_attempt.pk]), {"csrfmiddlewaretoken": form_token}
    )

    assert finished.status_code == 302
    assert finished["Location"] == reverse("quiz:results", args=[enrolled_attempt.pk])


def test_htmx_request_for_the_whole_stage_still_gets_it(client, enrolled_attempt):
    """A page from before answers targeted the card posts with the stage as its target."""
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(enrolled_attempt.student)

    html = client.post(
        answer_url(enrolled_attempt, question),
        {"choice": question.choices.first().pk},
        headers={"HX-Request": "true", "HX-Target": "stage"},
    ).content.decode()

    assert html.lstrip().startswith("<title>")
    assert '</title><div id="stage"' in html.replace("\n", "")
    assert 'id="feedback"' in html
    assert Response.objects.count() == 1


def test_the_next_question_through_htmx_brings_the_pages_new_title(client, enrolled_attempt):
    """htmx replaces the stage, not the page: the <title> in the response renames the tab."""
    questions = quiz_questions(enrolled_attempt)
    client.force_login(enrolled_attempt.student)

    html = client.get(
        question_url(enrolled_attempt, questions[1]),
        headers={"HX-Request": "true", "HX-Target": "stage"},
    ).content.decode()

    quiz_title = enrolled_attempt.assignment.quiz.title
    title = f"<title>Question 2 of {len(questions)} · {quiz_title} · Sourcewise</title>"
    assert html.startswith(title)
    assert html.count("<title>") == 1


def test_answers_keep_the_attempts_totals_per_skill(client, enrolled_attempt):
    client.force_login(enrolled_attempt.student)
    questions = quiz_questions(enrolled_attempt)
    picks = {}
    for n, question in enumerate(questions):
        choice = question.choices.filter(is_correct=n % 2 == 0).first()
        picks[question.pk] = choice
        client.post(answer_url(enrolled_attempt, question), {"choice": choice.pk}, headers=ANSWER)

    enrolled_attempt.refresh_from_db()
    right = [q for q in questions if picks[q.pk].is_correct]
    assert enrolled_attempt.answered == len(questions)
    assert enrolled_attempt.score == sum(q.points for q in right)
    for skill in ("attribution", "claims", "sourcing"):
        expected = sum(1 for q in right if q.skill == skill)
        assert getattr(enrolled_attempt, f"right_{skill}") == expected


def test_plain_answer_post_redirects_to_the_question_showing_feedback(client, enrolled_attempt):
    question = quiz_questions(enrolled_attempt)[0]
    wrong = question.choices.filter(is_correct=False).first()
    client.force_login(enrolled_attempt.student)

    response = client.post(answer_url(enrolled_attempt, question), {"choice": wrong.pk})

    assert response.status_code == 302
    assert response["Location"] == question_url(enrolled_attempt, question)
    html = client.get(response["Location"]).content.decode()
    assert "Not quite" in html
    assert wrong.feedback in html
    assert question.choices.get(is_correct=True).text in html


def test_replayed_answer_returns_the_stored_result(client, enrolled_attempt):
    question = quiz_questions(enrolled_attempt)[0]
    right = question.choices.get(is_correct=True)
    client.force_login(enrolled_attempt.student)
    client.post(answer_url(enrolled_attempt, question), {"choice": right.pk}, headers=ANSWER)

    again = client.post(
        answer_url(enrolled_attempt, question), {"choice": right.pk}, headers=ANSWER
    )

    assert again.status_code == 200
    assert "Correct" in again.content.decode()
    assert Response.objects.count() == 1
    enrolled_attempt.refresh_from_db()
    assert enrolled_attempt.score == 1


def test_different_answer_to_an_answered_question_is_refused_with_a_message(
    client, enrolled_attempt
):
    question = quiz_questions(enrolled_attempt)[0]
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    client.force_login(enrolled_attempt.student)
    client.post(answer_url(enrolled_attempt, question), {"choice": wrong.pk}, headers=ANSWER)

    response = client.post(
        answer_url(enrolled_attempt, question), {"choice": right.pk}, headers=ANSWER
    )

    assert response.status_code == 409
    assert "your first answer stands" in response.content.decode()
    assert Response.objects.get().choice == wrong


def test_another_students_attempt_is_404(client, enrolled_attempt, other_student):
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(other_student)

    assert client.get(question_url(enrolled_attempt, question)).status_code == 404
    assert (
        client.post(
            answer_url(enrolled_attempt, question), {"choice": question.choices.first().pk}
        ).status_code
        == 404
    )
    assert client.get(reverse("quiz:results", args=[enrolled_attempt.pk])).status_code == 404
    assert not Response.objects.exists()


def test_question_outside_the_quiz_is_404(client, enrolled_attempt):
    stranger = QuestionFactory()
    client.force_login(enrolled_attempt.student)

    assert client.get(question_url(enrolled_attempt, stranger)).status_code == 404
    assert (
        client.post(
            answer_url(enrolled_attempt, stranger), {"choice": stranger.choices.first().pk}
        ).status_code
        == 404
    )


def test_a_question_of_a_handed_in_attempt_leads_to_the_results(client, enrolled_attempt):
    question = quiz_questions(enrolled_attempt)[0]
    enrolled_attempt.submitted_at = timezone.now()
    enrolled_attempt.save()
    client.force_login(enrolled_attempt.student)

    for url in (
        question_url(enrolled_attempt, question),
        question_url(enrolled_attempt, question).replace(
            f"/questions/{question.pk}/", "/questions/999999/"
        ),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("quiz:results", args=[enrolled_attempt.pk])


def test_a_question_without_an_article_shows_its_prompt_and_choices_in_order(client, student):
    question = QuestionFactory(
        article=None, owner=StudentFactory(), choices=[("Zed", True), ("Alpha", False)]
    )
    quiz = QuizFactory(questions=0)
    quiz.items.create(question=question, position=1)
    assignment = AssignmentFactory(quiz=quiz, classroom=ClassroomFactory(students=[student]))
    attempt = AttemptFactory(assignment=assignment, student=student)
    client.force_login(student)

    html = client.get(question_url(attempt, question), headers=HTMX).content.decode()

    assert question.prompt in html
    assert html.index("Zed") < html.index("Alpha")
    assert "No article for this question" in html


@pytest.mark.parametrize(
    "data",
    [
        {"choice": "abc"},
        {"choice": "99999999999999999999999999"},
        {"start": "1", "end": "x"},
        {},
        {"choice": "-5"},
    ],
)
def test_malformed_answers_get_400_with_a_message_and_change_nothing(
    client, enrolled_attempt, data
):
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(enrolled_attempt.student)

    response = client.post(answer_url(enrolled_attempt, question), data, headers=ANSWER)

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Response.objects.exists()


def test_answer_after_the_due_date_is_refused(client, enrolled_attempt):
    assignment = enrolled_attempt.assignment
    assignment.opens_at = timezone.now() - timezone.timedelta(days=3)
    assignment.due_at = timezone.now() - timezone.timedelta(days=1)
    assignment.save()
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(enrolled_attempt.student)

    response = client.post(
        answer_url(enrolled_attempt, question),
        {"choice": question.choices.first().pk},
        headers=ANSWER,
    )

    assert response.status_code == 403
    assert "no longer accepted" in response.content.decode()
    assert not Response.objects.exists()


def test_after_attempt_reveal_hides_right_and_wrong_until_the_end(client, enrolled_attempt):
    assignment = enrolled_attempt.assignment
    assignment.reveal = "after_attempt"
    assignment.save()
    question = quiz_questions(enrolled_attempt)[0]
    right = question.choices.get(is_correct=True)
    client.force_login(enrolled_attempt.student)

    html = client.post(
        answer_url(enrolled_attempt, question), {"choice": right.pk}, headers=ANSWER
    ).content.decode()

    assert "Answer saved" in html
    assert "Correct" not in html and question.explanation not in html


def test_finishing_shows_the_score_by_skill(client, enrolled_attempt):
    client.force_login(enrolled_attempt.student)
    for question in quiz_questions(enrolled_attempt)[:2]:
        client.post(
            answer_url(enrolled_attempt, question),
            {"choice": question.choices.get(is_correct=True).pk},
        )

    response = client.post(reverse("quiz:finish", args=[enrolled_attempt.pk]), follow=True)

    html = response.content.decode()
    assert "2 out of 3" in html
    assert "Claims vs facts" in html
    assert "2 of 3" in html
    assert "Not answered." in html
    enrolled_attempt.refresh_from_db()
    assert enrolled_attempt.submitted_at is not None


# Evidence questions


@pytest.fixture
def evidence_attempt():
    body = (
        "Last week, a book by American journalist Bob Woodward hit the stands which alleged that "
        "Trump had spoken to Putin.\n\nMoscow has previously stressed that it will work with "
        "whichever leader is chosen."
    )
    student = StudentFactory()
    article = ArticleFactory(body=body)
    woodward = SourceFactory(article=article, name="Bob Woodward", kind="person")
    moscow = SourceFactory(article=article, name="Moscow", kind="vague")

    def add(quote, words, speaker, sourcing):
        start, source_start = body.index(quote), body.index(words)
        annotation_create(
            article=article,
            start=start,
            end=start + len(quote),
            kind="claim",
            sourcing=sourcing,
            speaker=speaker,
            source_start=source_start,
            source_end=source_start + len(words),
        )

    add(
        "Trump had spoken to Putin",
        "a book by American journalist Bob Woodward",
        woodward,
        "named_person",
    )
    add("it will work with whichever leader is chosen", "Moscow", moscow, "vague")
    questions_generate(article=article, owner=article.owner)
    quiz = QuizFactory(
        owner=article.owner, questions=list(Question.objects.filter(kind="evidence"))
    )
    assignment = AssignmentFactory(quiz=quiz, classroom=ClassroomFactory(students=[student]))
    return AttemptFactory(assignment=assignment, student=student), body


def test_evidence_selection_of_the_name_is_right(client, evidence_attempt):
    attempt, body = evidence_attempt
    question = quiz_questions(attempt)[0]
    start = body.index("Bob Woodward")
    client.force_login(attempt.student)

    response = client.post(
        answer_url(attempt, question), {"start": start, "end": start + 12}, headers=ANSWER
    )

    assert "Correct" in response.content.decode()
    assert Response.objects.get().is_correct


def test_evidence_selection_of_the_whole_paragraph_is_wrong(client, evidence_attempt):
    attempt, body = evidence_attempt
    question = quiz_questions(attempt)[0]
    end = body.index("\n\n")
    client.force_login(attempt.student)

    html = client.post(
        answer_url(attempt, question), {"start": 0, "end": end}, headers=ANSWER
    ).content.decode()

    assert "Not quite" in html
    assert "a book by American journalist Bob Woodward" in html
    assert not Response.objects.get().is_correct


def test_evidence_without_javascript_offers_phrases(client, evidence_attempt):
    attempt, _body = evidence_attempt
    question = quiz_questions(attempt)[0]
    right = question.choices.get(is_correct=True)
    client.force_login(attempt.student)

    html = client.get(question_url(attempt, question)).content.decode()
    client.post(answer_url(attempt, question), {"choice": right.pk})

    assert "a book by American journalist Bob Woodward" in html
    assert "Moscow" in html
    assert Response.objects.get().is_correct


def test_evidence_selection_outside_the_article_is_400(client, evidence_attempt):
    attempt, body = evidence_attempt
    question = quiz_questions(attempt)[0]
    client.force_login(attempt.student)

    response = client.post(
        answer_url(attempt, question), {"start": 5, "end": len(body) + 50}, headers=ANSWER
    )

    assert response.status_code == 400
    assert not Response.objects.exists()


def test_statement_is_highlighted_before_answering_and_the_source_only_after(
    client, evidence_attempt
):
    attempt, _body = evidence_attempt
    question = quiz_questions(attempt)[0]
    client.force_login(attempt.student)

    before = client.get(question_url(attempt, question)).content.decode()
    right = question.choices.get(is_correct=True)
    after = client.post(
        answer_url(attempt, question), {"choice": right.pk}, headers=ANSWER
    ).content.decode()

    assert "hl-statement" in before and "hl-source" not in before
    assert re.search(
        r'<mark class="hl hl-source"[^>]*>a book by American journalist Bob Woodward', after
    )
    # Only the paragraph that gained highlights is sent, to replace its twin on the page.
    assert re.findall(r'<p id="(para-\d+)"[^>]*hx-swap-oob="true"', after) == ["para-0"]
    assert '<p id="para-0" data-start="0">' in before
    assert "Moscow has previously stressed" not in after


# Query budgets


def make_attempt_with_questions(count: int) -> Attempt:
    student = StudentFactory()
    quiz = QuizFactory(questions=count)
    assignment = AssignmentFactory(quiz=quiz, classroom=ClassroomFactory(students=[student]))
    attempt = AttemptFactory(assignment=assignment, student=student)
    for question in quiz_questions(attempt)[: count // 2]:
        Response.objects.create(
            attempt=attempt,
            question=question,
            choice=question.choices.first(),
            is_correct=True,
            points=1,
        )
    return attempt


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


def data_queries(captured) -> list[str]:
    """Statements that read or write data, leaving out transaction control."""
    return [q["sql"] for q in captured if not q["sql"].upper().startswith(TRANSACTION_CONTROL)]


@pytest.mark.parametrize("count", [5, 50])
def test_question_page_uses_the_same_queries_for_5_and_50_questions(
    client, django_assert_num_queries, count
):
    """The session, the user, the attempt with its assignment and quiz, the question with its
    article, its choices, the quiz's order and the attempt's answers."""
    attempt = make_attempt_with_questions(count)
    question = quiz_questions(attempt)[-1]
    client.force_login(attempt.student)

    with django_assert_num_queries(7):
        response = client.get(question_url(attempt, question), headers=HTMX)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_answer_post_uses_the_same_queries_for_5_and_50_questions(client, count):
    """The session and the user; then on PostgreSQL one statement (quiz.services.first_pick),
    elsewhere, in one transaction, the attempt (locked), the question with its article, its
    choices, the quiz's order, any earlier answer, the new answer and the attempt's totals."""
    attempt = make_attempt_with_questions(count)
    question = quiz_questions(attempt)[-1]
    right = question.choices.get(is_correct=True)
    client.force_login(attempt.student)

    with CaptureQueriesContext(connection) as captured:
        response = client.post(answer_url(attempt, question), {"choice": right.pk}, headers=ANSWER)

    assert response.status_code == 200
    statements = data_queries(captured.captured_queries)
    writes = [q for q in statements if q.split()[0] in {"INSERT", "UPDATE", "WITH"}]
    if connection.vendor == "postgresql":
        assert len(statements) == 3 and len(writes) == 1
    else:
        assert len(statements) == 9 and [q.split()[0] for q in writes] == ["INSERT", "UPDATE"]
    assert Response.objects.filter(attempt=attempt).count() == count // 2 + 1


def test_the_progress_label_counts_the_answer_just_given(client, enrolled_attempt):
    questions = quiz_questions(enrolled_attempt)
    client.force_login(enrolled_attempt.student)
    page = client.get(question_url(enrolled_attempt, questions[0])).content.decode()
    assert f'<label for="progress-bar">Question 1 of {len(questions)} · 0 answered</label>' in page

    html = client.post(
        answer_url(enrolled_attempt, questions[0]),
        {"choice": questions[0].choices.first().pk},
        headers=ANSWER,
    ).content.decode()

    assert f'<label for="progress-bar">Question 1 of {len(questions)} · 1 answered</label>' in html
    assert f'<progress id="progress-bar" max="{len(questions)}" value="1">' in html


def test_a_student_taken_out_of_the_class_can_no_longer_answer_or_continue(
    client, enrolled_attempt
):
    question = quiz_questions(enrolled_attempt)[0]
    client.force_login(enrolled_attempt.student)
    Enrollment.objects.filter(student=enrolled_attempt.student).delete()

    answered = client.post(
        answer_url(enrolled_attempt, question),
        {"choice": question.choices.first().pk},
        headers=ANSWER,
    )

    assert answered.status_code == 404
    assert not Response.objects.exists()
    assert client.get(question_url(enrolled_attempt, question)).status_code == 404
    assert client.get(reverse("quiz:attempt", args=[enrolled_attempt.pk])).status_code == 404
    enrolled_attempt.refresh_from_db()
    assert enrolled_attempt.answered == 0
