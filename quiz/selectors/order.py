"""The order a student meets a quiz in: the quiz's own, or one of their own when shuffled.

An assignment may shuffle its questions, its choices, or both. Each attempt then gets an
order of its own that never changes: every item is ranked by a hash of the attempt's id and
the item's id, so the order is the same on every visit and every device, needs nothing
stored, and a question added to the quiz later takes a place without moving the others.
Everything the teacher reads (item analysis, the gradebook, an attempt's answers) stays in
the quiz's order; answers are stored by id, so the order never touches grading.
"""

import hashlib
from collections.abc import Sequence

from quiz.models import Attempt, Choice


def _rank(attempt: Attempt, kind: str, item_id: int) -> tuple[bytes, int]:
    """Where the item falls in this attempt's order of `kind`: a hash, then the id."""
    key = f"{attempt.pk}-{kind}-{item_id}".encode()
    return hashlib.blake2b(key, digest_size=8).digest(), item_id


def attempt_question_order(attempt: Attempt, ids: Sequence[int]) -> list[int]:
    """The quiz's question ids (in the quiz's order) as this attempt meets them."""
    if not attempt.assignment.shuffle_questions:
        return list(ids)
    return sorted(ids, key=lambda question_id: _rank(attempt, "question", question_id))


def attempt_choice_order(
    attempt: Attempt, question_id: int, choices: Sequence[Choice]
) -> list[Choice]:
    """A question's choices (in the question's order) as this attempt shows them."""
    if not attempt.assignment.shuffle_choices:
        return list(choices)
    # Choice ids are unique across questions; the question's id keeps each question's own.
    return sorted(choices, key=lambda choice: _rank(attempt, f"choice-{question_id}", choice.pk))
