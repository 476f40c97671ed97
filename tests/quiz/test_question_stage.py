"""The question stage as a student meets it: feedback that says why a selection is not the
evidence, the selection told apart from the statement, and where the article comes from."""

import re
from datetime import date

import pytest
from django.urls import reverse

from articles.services import annotation_create
from quiz.models import Question
from quiz.services.generation import questions_generate
from tests.factories import (
    ArticleFactory,
    AssignmentFactory,
    AttemptFactory,
    ClassroomFactory,
    OutletFactory,
    QuizFactory,
    SourceFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db

# What htmx sends with an answer: the answer form targets the question card.
ANSWER = {"HX-Request": "true", "HX-Target": "question-card"}

BODY = (
    "Education Minister Hekia Parata visited the school on Monday.\n\n"
    "“Every child deserves a teacher who knows their subject,” says Parata, who announced "
    "new funding for training.\n\n"
    "Teachers at the school said the money would help."
)
QUOTE = "Every child deserves a teacher who knows their subject"


@pytest.fixture
def parata():
    """An attempt at the evidence question of the statement "says Parata" attributes."""
    student = StudentFactory()
    article = ArticleFactory(
        body=BODY,
        outlet=OutletFactory(name="Radio New Zealand", url="https://www.rnz.co.nz/news/"),
        byline="Jane Patterson",
        published_on=date(2016, 3, 14),
    )
    speaker = SourceFactory(article=article, name="Hekia Parata", kind="person")
    start, source_start = BODY.index(QUOTE), BODY.index("says Parata")
    annotation_create(
        article=article,
        start=start,
        end=start + len(QUOTE),
        kind="opinion",
        sourcing="named_person",
        speaker=speaker,
        cue="says",
        source_start=source_start,
        source_end=source_start + len("says Parata"),
    )
    questions_generate(article=article, owner=article.owner)
    question = Question.objects.get(kind="evidence")
    quiz = QuizFactory(owner=article.owner, questions=[question])
    assignment = AssignmentFactory(quiz=quiz, classroom=ClassroomFactory(students=[student]))
    return AttemptFactory(assignment=assignment, student=student), question


def select(client, attempt, question, words: str, *, occurrence: int = 0) -> str:
    """Answer by selecting the `occurrence`-th appearance of `words` in the article."""
    start = [m.start() for m in re.finditer(re.escape(words), BODY)][occurrence]
    client.force_login(attempt.student)
    url = reverse("quiz:answer", args=[attempt.pk, question.pk])
    response = client.post(url, {"start": start, "end": start + len(words)}, headers=ANSWER)
    assert response.status_code == 200
    return response.content.decode()


def feedback_text(html: str) -> str:
    feedback = re.search(r'<div id="feedback".*?</div>', html, re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", feedback))


def test_the_right_name_in_the_wrong_place_is_explained(client, parata):
    attempt, question = parata

    text = feedback_text(select(client, attempt, question, "Parata", occurrence=0))

    assert "Not quite" in text
    assert "You selected: “Parata”" in text
    assert "name the same source, but not where this statement comes from" in text
    assert "The words that name the source: “says Parata”" in text


def test_a_wrong_answer_points_at_the_paragraph_that_holds_the_right_words(client, parata):
    attempt, question = parata

    html = select(client, attempt, question, "Parata", occurrence=0)

    source_paragraph = BODY.index("“Every")
    assert f'<a href="#para-{source_paragraph}">Show them in the article</a>' in html
    assert f'<p id="para-{source_paragraph}"' in html  # swapped in with the highlight


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("Teachers at the school", "do not say who this statement comes from"),
        ("says", "only part of the words that name the source"),
        (
            "says Parata, who announced new funding for training",
            "take in more than the words that name the source",
        ),
    ],
)
def test_each_kind_of_wrong_selection_says_why(client, parata, words, why):
    attempt, question = parata

    text = feedback_text(select(client, attempt, question, words))

    assert "Not quite" in text and why in text


def test_a_right_selection_gives_no_reason_for_being_wrong(client, parata):
    attempt, question = parata

    text = feedback_text(select(client, attempt, question, "says Parata"))

    assert "Correct" in text
    assert "You selected: “says Parata”" in text
    assert "The words that name the source:" not in text
    assert "Those words" not in text and "Show them in the article" not in text


def test_the_selection_has_its_own_highlight_named_in_the_legend(client, parata):
    attempt, question = parata

    html = select(client, attempt, question, "Parata", occurrence=0)

    legend = re.search(r'<ul class="evidence-key".*?</ul>', html, re.S).group(0)
    assert '<mark class="hl hl-selected">your selection</mark>' in legend
    assert '<mark class="hl hl-statement">the statement</mark>' in legend
    # In the article the selection is its own mark, not the statement's.
    assert re.search(r'<mark class="hl hl-selected"[^>]*>Parata</mark>', html)


def test_the_article_says_where_it_comes_from_beside_the_question(client, parata):
    attempt, question = parata
    client.force_login(attempt.student)

    html = client.get(reverse("quiz:question", args=[attempt.pk, question.pk])).content.decode()

    source = re.search(r'<p class="article-source.*?</p>', html, re.S).group(0)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", source)).strip()
    assert text == "From Radio New Zealand (rnz.co.nz) by Jane Patterson 14 March 2016"
    assert '<time datetime="2016-03-14">' in source


def test_an_article_of_unknown_origin_says_so(client, parata):
    attempt, question = parata
    question.article.outlet, question.article.byline, question.article.published_on = None, "", None
    question.article.save()
    client.force_login(attempt.student)

    html = client.get(reverse("quiz:question", args=[attempt.pk, question.pk])).content.decode()

    assert "Outlet, author and date unknown" in html
