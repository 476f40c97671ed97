"""What a student's question page reads, in four plain statements.

The question page is the other half of every question a class answers, so it reads what it
shows without the ORM's query compilation, which cost more than running its queries: the
attempt (the student's own, with its assignment and quiz) and the question (only if it is in
the quiz, with its article), the quiz's question order, the attempt's answers, and the
question's choices. On PostgreSQL each runs as a prepared statement. Rows become model
instances holding only the fields the page shows; any other field loads on use.
"""

from dataclasses import dataclass

from articles.models import Article
from config.db import attnames, prepared_cursor, row_instance
from quiz.answering import CHOICE_FIELDS, MAX_ID, QUESTION_FIELDS
from quiz.models import Assignment, Attempt, Choice, Question, Quiz, Response

ATTEMPT_FIELDS = attnames(Attempt, {"id", "assignment_id", "student_id", "number", "answered"})
ASSIGNMENT_FIELDS = attnames(Assignment, {"id", "classroom_id", "quiz_id", "reveal"})
QUIZ_FIELDS = attnames(Quiz, {"id", "title"})
ARTICLE_FIELDS = attnames(Article, {"id", "title", "standfirst", "body"})
RESPONSE_FIELDS = attnames(
    Response,
    {"id", "attempt_id", "question_id", "choice_id", "selected_start", "selected_end"}
    | {"is_correct", "points"},
)

# The student's attempt, whether it is handed in, and the question when the quiz holds it.
_STAGE = f"""
    SELECT a.submitted_at IS NOT NULL AS finished,
           {", ".join(f"a.{name}" for name in ATTEMPT_FIELDS)},
           {", ".join(f"s.{name}" for name in ASSIGNMENT_FIELDS)},
           {", ".join(f"z.{name}" for name in QUIZ_FIELDS)},
           {", ".join(f"q.{name}" for name in QUESTION_FIELDS)},
           {", ".join(f"art.{name}" for name in ARTICLE_FIELDS)}
    FROM quiz_attempt a
    JOIN quiz_assignment s ON s.id = a.assignment_id
    JOIN quiz_quiz z ON z.id = s.quiz_id
    LEFT JOIN quiz_quizquestion i ON i.quiz_id = s.quiz_id AND i.question_id = %(question)s
    LEFT JOIN quiz_question q ON q.id = i.question_id
    LEFT JOIN articles_article art ON art.id = q.article_id
    WHERE a.id = %(attempt)s AND a.student_id = %(student)s
"""  # noqa: S608 (field names from the models, values as parameters)

_QUESTION_IDS = """
    SELECT question_id FROM quiz_quizquestion WHERE quiz_id = %(quiz)s ORDER BY position, id
"""

_RESPONSES = f"""
    SELECT {", ".join(RESPONSE_FIELDS)} FROM quiz_response WHERE attempt_id = %(attempt)s
"""  # noqa: S608 (field names from the model)

_CHOICES = f"""
    SELECT {", ".join(CHOICE_FIELDS)} FROM quiz_choice WHERE question_id = %(question)s
    ORDER BY position, id
"""  # noqa: S608 (field names from the model)


@dataclass(frozen=True)
class Stage:
    """An attempt not handed in yet, at one of its quiz's questions."""

    attempt: Attempt  # with its assignment and the assignment's quiz
    question: Question  # with its article, when it has one
    ids: list[int]  # the quiz's questions in order
    responses: dict[int, Response]  # the attempt's answers by question
    choices: list[Choice]  # the question's, in order


@dataclass(frozen=True)
class Finished:
    """The attempt is handed in: its questions are no longer shown."""

    attempt_id: int


def question_stage(
    *, attempt_id: int, student_id: int, question_id: int
) -> Stage | Finished | None:
    """What the page shows of `question_id` in the student's attempt.

    None when the attempt is not the student's, or, for an attempt still going, when its quiz
    does not hold the question; Finished when the attempt is handed in, whatever the question.
    """
    if max(attempt_id, student_id, question_id) > MAX_ID:
        return None
    params = {"attempt": attempt_id, "student": student_id, "question": question_id}
    with prepared_cursor() as cursor:
        cursor.execute(_STAGE, params)
        row = cursor.fetchone()
        if row is None:
            return None
        if row[0]:
            return Finished(attempt_id=attempt_id)
        attempt, question = _attempt_and_question(row[1:])
        if question is None:
            return None
        cursor.execute(_QUESTION_IDS, {"quiz": attempt.assignment.quiz_id})
        ids = [qid for (qid,) in cursor.fetchall()]
        cursor.execute(_RESPONSES, params)
        responses = {}
        for values in cursor.fetchall():
            response = row_instance(Response, RESPONSE_FIELDS, values)
            response.is_correct = bool(response.is_correct)  # SQLite gives 0 or 1
            responses[response.question_id] = response
        cursor.execute(_CHOICES, params)
        choices = []
        for values in cursor.fetchall():
            choice = row_instance(Choice, CHOICE_FIELDS, values)
            choice.is_correct = bool(choice.is_correct)
            choices.append(choice)
    return Stage(attempt=attempt, question=question, ids=ids, responses=responses, choices=choices)


def _attempt_and_question(row) -> tuple[Attempt, Question | None]:
    """Cut a row of `_STAGE` (less its first column) into the instances it holds."""
    values = iter(row)

    def take(model, names):
        return row_instance(model, names, [next(values) for _ in names])

    attempt = take(Attempt, ATTEMPT_FIELDS)
    attempt.submitted_at = None  # `_STAGE` said so
    assignment = take(Assignment, ASSIGNMENT_FIELDS)
    assignment.quiz = take(Quiz, QUIZ_FIELDS)
    attempt.assignment = assignment
    question = take(Question, QUESTION_FIELDS)
    article = take(Article, ARTICLE_FIELDS)
    if question.pk is None:
        return attempt, None
    if question.article_id is not None:
        question.article = article
    return attempt, question
