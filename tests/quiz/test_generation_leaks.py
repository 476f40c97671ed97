"""No question gives away another's answer: the demo quiz and every question generated for
the demo articles.

The rule. A student sees a question's prompt, statement and choices, then, once they have
answered, the feedback of the choice they picked, the right choice, the explanation and the
source words highlighted in the article. None of that may tell them the answer to a question
they meet later in the quiz:

- Who a statement comes from is the answer to its attribution and evidence questions: the
  speaker's name and the words naming them ("a book by American journalist Bob Woodward").
  They may not appear in what an earlier question reveals, unless the later question shows
  them itself, or the earlier question is about a statement of the same source (telling the
  student that Putin said one thing does not say who said another).
- On one statement, what kind of statement it is and how it is sourced are answers too: an
  earlier question on the same statement may not name them ("claim", "vague").

The statements themselves are the article's own words, which the student reads anyway, and
a wrong choice offered in a list asserts nothing, so neither counts as giving anything away.
What a computer cannot check (an explanation saying "quoted further down") is left to
reading the demo texts.

Every question generated for a demo article is checked too, against every question on
another statement in either order: whatever quiz a teacher builds from them, one statement's
questions never name who said another, no two share an explanation, and no attribution
choice says what kind of source it is.
"""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from articles.demo_content import DEMO_ARTICLES, demo_articles_ensure
from articles.models import Annotation, Source
from quiz.management.commands.demo import DEMO_QUIZ
from quiz.models import Question, Quiz
from quiz.services.generation import questions_generate

pytestmark = pytest.mark.django_db

KIND_WORDS = {
    Annotation.Kind.CLAIM: ("claim",),
    Annotation.Kind.REPORTED_FACT: ("fact",),
    Annotation.Kind.OPINION: ("opinion",),
}
SOURCING_WORDS = {
    Annotation.Sourcing.NAMED_PERSON: ("named person",),
    Annotation.Sourcing.NAMED_ORGANISATION: ("named organisation", "named document"),
    Annotation.Sourcing.UNNAMED: ("unnamed", "not named", "does not name"),
    Annotation.Sourcing.VAGUE: ("vague",),
    Annotation.Sourcing.NONE: ("no source", "none given"),
}
# Words that say what kind of source someone is: no attribution choice may carry them.
CATEGORY_WORDS = (
    *(str(label) for label in Source.Kind.labels),
    *(str(label) for label in Annotation.Sourcing.labels),
    "not named",
    "unnamed",
    "anonymous",
    "vague",
    "no one else is quoted",
)


def mentions(text: str, words: str) -> bool:
    """Say whether text contains words as whole words (plural allowed), whatever the case."""
    pattern = rf"(?<!\w){re.escape(words.casefold())}s?(?!\w)"
    return re.search(pattern, text.casefold()) is not None


def questions_loaded(queryset) -> list[Question]:
    return list(queryset.select_related("annotation__speaker").prefetch_related("choices"))


def speaker_words(question: Question) -> set[str]:
    """Return the words that tell who the question's statement comes from."""
    annotation = question.annotation
    if annotation is None or annotation.speaker is None:
        return set()
    return {annotation.speaker.name} | ({annotation.source_exact} - {""})


def answer_words(question: Question, *, same_statement: bool) -> set[str]:
    """Return the words that would give the question's answer away to the student."""
    annotation = question.annotation
    words = set()
    if question.kind in (Question.Kind.ATTRIBUTION, Question.Kind.EVIDENCE):
        words = speaker_words(question)
    elif same_statement and question.kind == Question.Kind.CLASSIFICATION:
        words = set(KIND_WORDS[annotation.kind])
    elif same_statement and question.kind == Question.Kind.SOURCING:
        words = set(SOURCING_WORDS[annotation.sourcing])
    shown = f"{question.prompt}\n{question.statement}"
    return {w for w in words if not mentions(shown, w)}


def revealed_texts(question: Question) -> dict[str, str]:
    """Return what the question shows that asserts something, by where it is shown."""
    texts = {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "highlighted source words": question.answer_exact,
    }
    for choice in question.choices.all():
        if choice.is_correct:
            texts[f"right choice {choice.text!r}"] = choice.text
            texts[f"feedback of {choice.text!r}"] = choice.feedback
        else:
            # A wrong choice's feedback naming that choice only says "not this one".
            texts[f"feedback of {choice.text!r}"] = choice.feedback.replace(choice.text, "")
    return texts


def leaks(earlier: Question, later: Question) -> list[str]:
    """Return how the earlier question gives away the later one's answer, if it does."""
    same_statement = earlier.annotation_id is not None and (
        earlier.annotation_id == later.annotation_id
    )
    own = [earlier.statement, *speaker_words(earlier)]
    found = []
    for words in sorted(answer_words(later, same_statement=same_statement)):
        if not same_statement and any(mentions(text, words) for text in own):
            continue
        for where, text in revealed_texts(earlier).items():
            if mentions(text, words):
                found.append(
                    f"{earlier.kind} on {earlier.statement[:40]!r} shows {words!r} in its {where}, "
                    f"the answer to {later.kind} on {later.statement[:40]!r}"
                )
    return found


def choices_naming_a_category(question: Question) -> list[str]:
    if question.kind != Question.Kind.ATTRIBUTION:
        return []
    names = {source.name: source for source in question.article.sources.all()}
    found = []
    for choice in question.choices.all():
        source = names.get(choice.text)
        if choice.text == str(Source.Kind.OUTLET.label):
            continue
        if source is None:
            found.append(f"{choice.text!r} is not just the name of a source in the article")
            continue
        found.extend(
            f"{choice.text!r} names a kind of source, {words!r}"
            for words in CATEGORY_WORDS
            if mentions(choice.text, words) and not mentions(source.name, words)
        )
    return found


def shared_explanations(questions: list[Question]) -> list[str]:
    counts = Counter(q.explanation for q in questions if q.explanation)
    return [explanation for explanation, count in counts.items() if count > 1]


@pytest.fixture
def demo_quizzes() -> dict[str, list[Question]]:
    """Run the demo and return every quiz it made, as its questions in order."""
    call_command("demo", "--force", stdout=StringIO())
    return {
        quiz.title: questions_loaded(
            Question.objects.filter(quiz_items__quiz=quiz).order_by("quiz_items__position")
        )
        for quiz in Quiz.objects.all()
    }


@pytest.fixture
def generated_by_article(teacher) -> dict[str, list[Question]]:
    generated = {}
    for article in demo_articles_ensure(owner=teacher):
        questions_generate(article=article, owner=teacher)
        generated[article.slug] = questions_loaded(article.questions.order_by("pk"))
    return generated


def test_no_demo_quiz_question_gives_away_the_answer_to_a_later_one(demo_quizzes):
    found = [
        leak
        for questions in demo_quizzes.values()
        for position, earlier in enumerate(questions)
        for later in questions[position + 1 :]
        for leak in leaks(earlier, later)
    ]

    assert DEMO_QUIZ in demo_quizzes
    assert not found, "\n".join(found)


def test_no_two_questions_in_a_demo_quiz_share_an_explanation(demo_quizzes):
    shared = [
        text for questions in demo_quizzes.values() for text in shared_explanations(questions)
    ]

    assert not shared, "\n".join(shared)


def test_no_demo_quiz_choice_says_what_kind_of_source_it_is(demo_quizzes):
    found = [
        found
        for questions in demo_quizzes.values()
        for question in questions
        for found in choices_naming_a_category(question)
    ]

    assert not found, "\n".join(found)


@pytest.mark.parametrize("slug", [spec.slug for spec in DEMO_ARTICLES])
def test_no_generated_question_names_who_said_another_statement(generated_by_article, slug):
    """Whatever order a teacher puts them in, a question on one statement never gives away
    the source of another."""
    questions = generated_by_article[slug]

    found = [
        leak
        for earlier in questions
        for later in questions
        if earlier.annotation_id != later.annotation_id
        for leak in leaks(earlier, later)
    ]

    assert not found, "\n".join(found)


@pytest.mark.parametrize("slug", [spec.slug for spec in DEMO_ARTICLES])
def test_every_generated_question_has_an_explanation_of_its_own(generated_by_article, slug):
    questions = generated_by_article[slug]

    shared = shared_explanations(questions)

    assert all(q.explanation for q in questions)
    assert not shared, "\n".join(shared)


@pytest.mark.parametrize("slug", [spec.slug for spec in DEMO_ARTICLES])
def test_no_generated_attribution_choice_says_what_kind_of_source_it_is(generated_by_article, slug):
    questions = generated_by_article[slug]

    found = [found for q in questions for found in choices_naming_a_category(q)]

    assert not found, "\n".join(found)
