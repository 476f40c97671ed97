"""A student's pick of a choice, recorded in as few round trips as the database allows.

Answering is the request a whole class makes at once, so its common case — a choice picked
in an open attempt, answered for the first time — takes its own path: on PostgreSQL one
statement checks that the attempt is the student's and still open, that the question is in the
attempt's quiz and the choice is one of the question's, inserts the response unless one exists,
and adds to the attempt's running totals; SQLite, which has no writes inside WITH, does the
same in one transaction of three statements. Anything else (a replay, a refusal, a bad choice)
records nothing here and is left to `quiz.services.response_submit`, which explains itself.

The feedback then needs the question and its choices: two plain reads, built into model
instances without the ORM's query compilation.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from articles.models import Article
from config.db import attnames, prepared_cursor, row_instance
from quiz.models import Choice, Question, Skill

# The largest id a bigint column holds: anything larger cannot name a row.
MAX_ID = 2**63 - 1

# An attempt the student may answer in now, whose quiz holds the question; and the choice,
# which must be one of the question's. Shared by both databases' statements.
_OPEN_ATTEMPT_AND_CHOICE = """
    SELECT a.id AS attempt_id, s.id AS assignment_id, s.quiz_id, s.reveal,
           c.id AS choice_id, c.is_correct,
           CASE WHEN c.is_correct THEN q.points ELSE 0 END AS points, q.skill
    FROM quiz_attempt a
    JOIN quiz_assignment s ON s.id = a.assignment_id
    JOIN quiz_choice c ON c.id = %(choice)s AND c.question_id = %(question)s
    JOIN quiz_question q ON q.id = c.question_id
    WHERE a.id = %(attempt)s AND a.student_id = %(student)s AND a.submitted_at IS NULL
      AND s.closed_at IS NULL AND s.opens_at <= %(now)s
      AND (s.due_at IS NULL OR s.due_at > %(now)s)
      AND EXISTS (
          SELECT 1 FROM quiz_quizquestion i
          WHERE i.quiz_id = s.quiz_id AND i.question_id = %(question)s
      )
"""


# The attempt's running totals: score, answers given, and answers right per skill. Every
# piece of SQL in this module is built from these constants, never from input: the values
# travel as parameters.
def _totals(points: str, is_correct: str, skill: str) -> str:
    return ", ".join(
        ["score = score + " + points, "answered = answered + 1"]
        + [
            f"right_{value} = right_{value} + "
            f"CASE WHEN {is_correct} AND {skill} = '{value}' THEN 1 ELSE 0 END"
            for value in Skill.values
        ]
    )


# What the feedback shows of the question and its choices; other fields load on access, as
# with .only().
QUESTION_FIELDS = attnames(
    Question,
    {
        "id", "kind", "skill", "prompt", "statement", "explanation", "points", "article_id",
        "focus_start", "focus_end", "answer_start", "answer_end", "answer_exact", "cue",
    },
)  # fmt: skip
CHOICE_FIELDS = attnames(
    Choice, {"id", "question_id", "text", "is_correct", "feedback", "position"}
)

# The question, its article's body and its choices: one row per choice.
_SHOWN_COLUMNS = ", ".join(
    [f"q.{name} AS q_{name}" for name in QUESTION_FIELDS]
    + ["art.body AS article_body"]
    + [f"c.{name} AS c_{name}" for name in CHOICE_FIELDS]
)
_SHOWN = f"""
    SELECT {_SHOWN_COLUMNS}
    FROM quiz_question q
    LEFT JOIN articles_article art ON art.id = q.article_id
    JOIN quiz_choice c ON c.question_id = q.id
    WHERE q.id = %(question)s
"""  # noqa: S608 (constants only)
_SHOWN_ORDER = "ORDER BY c_position, c_id"

_POSTGRESQL = f"""
    WITH checked AS ({_OPEN_ATTEMPT_AND_CHOICE}),
    inserted AS (
        INSERT INTO quiz_response (attempt_id, question_id, choice_id, is_correct, points,
                                   answered_at)
        SELECT attempt_id, %(question)s, choice_id, is_correct, points, %(now)s FROM checked
        ON CONFLICT (attempt_id, question_id) DO NOTHING
        RETURNING id
    ),
    counted AS (
        UPDATE quiz_attempt
        SET {_totals("checked.points", "checked.is_correct", "checked.skill")}
        FROM checked, inserted
        WHERE quiz_attempt.id = checked.attempt_id
        RETURNING quiz_attempt.answered
    ),
    ordered AS (
        SELECT ARRAY(
            SELECT i.question_id FROM quiz_quizquestion i, checked
            WHERE i.quiz_id = checked.quiz_id ORDER BY i.position, i.id
        ) AS question_ids
    ),
    shown AS ({_SHOWN})
    SELECT inserted.id, checked.is_correct, checked.points, counted.answered,
           checked.assignment_id, checked.quiz_id, checked.reveal, ordered.question_ids,
           shown.*
    FROM checked, inserted, counted, ordered, shown
    {_SHOWN_ORDER}
"""  # noqa: S608 (constants only)

_SQLITE_INSERT = """
    INSERT INTO quiz_response (attempt_id, question_id, choice_id, is_correct, points,
                               answered_at)
    VALUES (%(attempt)s, %(question)s, %(choice)s, %(is_correct)s, %(points)s, %(now)s)
    ON CONFLICT (attempt_id, question_id) DO NOTHING
    RETURNING id
"""

_SQLITE_UPDATE = f"""
    UPDATE quiz_attempt
    SET {_totals("%(points)s", "%(is_correct)s", "%(skill)s")}
    WHERE id = %(attempt)s
    RETURNING answered
"""  # noqa: S608 (constants only)

_QUESTION_IDS = """
    SELECT question_id FROM quiz_quizquestion WHERE quiz_id = %s ORDER BY position, id
"""


@dataclass(frozen=True)
class Recorded:
    """A response just stored, with what the feedback shows."""

    response_id: int
    is_correct: bool
    points: int
    answered: int  # the attempt's answers, this one included
    assignment_id: int
    quiz_id: int
    reveal: str
    question_ids: list[int]  # the quiz's questions in order
    question: Question  # with its article's body
    choices: list[Choice]  # in order


def choice_record(
    *, attempt_id: int, student_id: int, question_id: int, choice_id: int, now
) -> Recorded | None:
    """Store the student's pick as the answer, if it is their first to an open question.

    Returns None, having changed nothing, when the attempt is not the student's or not open,
    the question is not in its quiz, the choice is not the question's, or the question has an
    answer already.
    """
    if max(attempt_id, student_id, question_id, choice_id) > MAX_ID:
        return None
    db = connections[DEFAULT_DB_ALIAS]  # not the `connection` proxy, which looks it up each time
    params = {
        "attempt": attempt_id,
        "student": student_id,
        "question": question_id,
        "choice": choice_id,
        "now": db.ops.adapt_datetimefield_value(now),
    }
    if db.vendor != "postgresql":
        return _choice_record_in_steps(params)
    with prepared_cursor() as cursor:
        cursor.execute(_POSTGRESQL, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    question, choices = _shown([row[8:] for row in rows])
    return Recorded(*rows[0][:7], question_ids=list(rows[0][7]), question=question, choices=choices)


@transaction.atomic
def _choice_record_in_steps(params: dict) -> Recorded | None:
    """The same as the PostgreSQL statement, one step at a time in a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_ATTEMPT_AND_CHOICE, params)
        checked = cursor.fetchone()
        if checked is None:
            return None
        _attempt, assignment_id, quiz_id, reveal, _choice, is_correct, points, skill = checked
        params = {**params, "is_correct": bool(is_correct), "points": points, "skill": skill}
        cursor.execute(_SQLITE_INSERT, params)
        inserted = cursor.fetchone()
        if inserted is None:
            return None
        cursor.execute(_SQLITE_UPDATE, params)
        (answered,) = cursor.fetchone()
        cursor.execute(_QUESTION_IDS, [quiz_id])
        ids = [question_id for (question_id,) in cursor.fetchall()]
        cursor.execute(f"{_SHOWN} {_SHOWN_ORDER}", params)
        question, choices = _shown(cursor.fetchall())
    return Recorded(
        response_id=inserted[0],
        is_correct=bool(is_correct),
        points=points,
        answered=answered,
        assignment_id=assignment_id,
        quiz_id=quiz_id,
        reveal=reveal,
        question_ids=ids,
        question=question,
        choices=choices,
    )


def loaded(model, **values):
    """An instance of `model` holding only `values`, as a query with .only() would load it.

    For rows the statement above has just read or written, rebuilt without a query: cheaper
    than `model(**values)`, which works out a default for every other field. A field left out
    loads from the database if it is ever read, so the instance never shows a made-up value.
    """
    names = attnames(model, values.keys())
    return row_instance(model, names, [values[name] for name in names])


def _shown(rows) -> tuple[Question, list[Choice]]:
    """The question (with its article's body) and its choices, from rows of `_SHOWN`."""
    size = len(QUESTION_FIELDS)
    question = row_instance(Question, QUESTION_FIELDS, rows[0][:size])
    if question.article_id is not None:
        body = rows[0][size]
        question.article = row_instance(Article, ["id", "body"], [question.article_id, body])
    choices = []
    for row in rows:
        choice = row_instance(Choice, CHOICE_FIELDS, row[size + 1 :])
        choice.is_correct = bool(choice.is_correct)  # SQLite gives 0 or 1
        choices.append(choice)
    return question, choices
