"""The common answer on PostgreSQL in one statement: a first pick of a choice.

`response_submit` is the only way an answer is stored. A whole class answers at once, and
through the ORM an answer takes seven statements whose compilation costs more than running
them: `make bench` gave 281 answers/s against 3,943 baseline requests/s (answer_ratio 0.07,
bench/RESULTS.md), under the 0.15 the budget asks. So on PostgreSQL, for a choice picked for
the first time in an open attempt, the service runs this one statement instead. It locks the
attempt (as the ORM path does, so a hand-in waits for it), checks that the attempt is the
student's and open (by the student's own due time when an extension sets one), that the
student is still in the class, that the question is in its quiz and the choice is the
question's, inserts the response, adds to the attempt's totals, and reads back what the
feedback shows.

When it stores nothing (a replay, a refusal, a bad choice) it returns None having changed
nothing, and the service takes its ORM path, which says why. Rows become model instances
through `Model.from_db`, as the ORM builds them.
"""

from django.db import connection

from articles.models import Article
from quiz.models import Assignment, Attempt, Choice, Question, Response, Skill

# The largest value a bigint column holds: anything larger cannot name a row.
MAX_ID = 2**63 - 1


def _names(model) -> list[str]:
    """The model's columns, in the order Model.from_db takes them."""
    return [field.attname for field in model._meta.concrete_fields]


def _select(names: list[str], source: str, prefix: str) -> str:
    """`names` selected from `source` as prefix_name."""
    return ", ".join(f"{source}.{name} AS {prefix}_{name}" for name in names)


ATTEMPT, ASSIGNMENT, QUESTION, CHOICE = map(_names, (Attempt, Assignment, Question, Choice))

# What one right answer adds to each per-skill total (Attempt.totals_added, in SQL).
_RIGHT_PER_SKILL = ", ".join(
    f"right_{skill} = right_{skill} + "
    f"CASE WHEN checked.is_correct AND checked.skill = '{skill}' THEN 1 ELSE 0 END"
    for skill in Skill.values
)

# Built from the models' own field names and constants only: every value is a parameter.
STATEMENT = f"""
    WITH checked AS (
        SELECT a.id AS attempt_id, a.assignment_id, c.id AS choice_id, q.skill,
               -- Question.counts_right and points_for: credit for everyone makes any pick right.
               (c.is_correct OR q.credit_all) AS is_correct,
               CASE WHEN c.is_correct OR q.credit_all THEN q.points ELSE 0 END AS points,
               {_select(ASSIGNMENT, "s", "s")}
        FROM quiz_attempt a
        JOIN quiz_assignment s ON s.id = a.assignment_id
        JOIN quiz_enrollment e ON e.classroom_id = s.classroom_id AND e.student_id = a.student_id
        JOIN quiz_choice c ON c.id = %(choice)s AND c.question_id = %(question)s
        JOIN quiz_question q ON q.id = c.question_id
        -- The student's extension, if any (one at most): Assignment.due_for's due time.
        LEFT JOIN quiz_extension x ON x.assignment_id = s.id AND x.student_id = a.student_id
        WHERE a.id = %(attempt)s AND a.student_id = %(student)s AND a.submitted_at IS NULL
          AND s.closed_at IS NULL AND s.opens_at <= %(now)s
          AND (COALESCE(x.due_at, s.due_at) IS NULL OR COALESCE(x.due_at, s.due_at) > %(now)s)
          AND EXISTS (
              SELECT 1 FROM quiz_quizquestion i
              WHERE i.quiz_id = s.quiz_id AND i.question_id = %(question)s
          )
        FOR UPDATE OF a
    ),
    inserted AS (
        INSERT INTO quiz_response (attempt_id, question_id, choice_id, is_correct, points,
                                   answered_at)
        SELECT attempt_id, %(question)s, choice_id, is_correct, points, %(now)s FROM checked
        ON CONFLICT (attempt_id, question_id) DO NOTHING
        RETURNING id
    ),
    counted AS (
        UPDATE quiz_attempt
        SET score = score + checked.points, answered = answered + 1, {_RIGHT_PER_SKILL}
        FROM checked, inserted
        WHERE quiz_attempt.id = checked.attempt_id
        RETURNING quiz_attempt.*
    )
    SELECT inserted.id, checked.choice_id, checked.is_correct, checked.points,
           ARRAY(
               SELECT i.question_id FROM quiz_quizquestion i
               WHERE i.quiz_id = checked.s_quiz_id ORDER BY i.position, i.id
           ),
           art.body, {_select(ATTEMPT, "counted", "a")},
           {", ".join(f"checked.s_{name}" for name in ASSIGNMENT)},
           {_select(QUESTION, "q", "q")}, {_select(CHOICE, "c", "c")}
    FROM checked
    JOIN inserted ON TRUE
    JOIN counted ON TRUE
    JOIN quiz_question q ON q.id = %(question)s
    LEFT JOIN articles_article art ON art.id = q.article_id
    JOIN quiz_choice c ON c.question_id = q.id
    ORDER BY c.position, c.id
"""  # noqa: S608 (model field names only; values are parameters)


def first_pick_record(*, attempt_id: int, student_id: int, question_id: int, choice_id: int, now):
    """Store a first pick in one statement, with what the feedback shows; None if it stored
    nothing. Returns (attempt, question, choices, question_ids, response)."""
    if max(attempt_id, student_id, question_id, choice_id) > MAX_ID:
        return None
    params = {
        "attempt": attempt_id,
        "student": student_id,
        "question": question_id,
        "choice": choice_id,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    response_id, choice_id, is_correct, points, question_ids, body = rows[0][:6]
    values = iter(rows[0][6:])

    def build(model, names, values):
        return model.from_db(connection.alias, names, [next(values) for _ in names])

    attempt = build(Attempt, ATTEMPT, values)
    attempt.assignment = build(Assignment, ASSIGNMENT, values)
    question = build(Question, QUESTION, values)
    if question.article_id is not None:
        question.article = Article.from_db(
            connection.alias, ["id", "body"], [question.article_id, body]
        )
    offset = 6 + len(ATTEMPT) + len(ASSIGNMENT) + len(QUESTION)
    choices = [Choice.from_db(connection.alias, CHOICE, row[offset:]) for row in rows]
    response = Response(
        pk=response_id,
        attempt=attempt,
        question=question,
        choice_id=choice_id,
        is_correct=is_correct,
        points=points,
        answered_at=now,
    )
    response._state.adding = False
    return attempt, question, choices, list(question_ids), response
