"""Writes teachers make while authoring: building quizzes, making one from an article, regrading.

Every write validates before it saves and runs in one transaction, so a refusal changes nothing.
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Annotation, Article
from quiz.grading import span_overlap
from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Question,
    Quiz,
    QuizQuestion,
    Response,
    Skill,
)
from quiz.services.assignments import AssignmentTerms, assignment_create
from quiz.services.generation import questions_generate
from quiz.signals import scores_changed

# Quizzes


def _quiz_touch(quiz: Quiz) -> None:
    quiz.updated_at = timezone.now()
    Quiz.objects.filter(pk=quiz.pk).update(updated_at=quiz.updated_at)


def _quiz_items_locked(quiz_id: int) -> list[QuizQuestion]:
    """The quiz's items in order, locked so two edits of one quiz's order queue up."""
    Quiz.objects.select_for_update().filter(pk=quiz_id).values_list("pk").first()
    return list(
        QuizQuestion.objects.select_for_update().filter(quiz_id=quiz_id).order_by("position", "pk")
    )


def _positions_renumber(items: list[QuizQuestion]) -> None:
    changed = []
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            changed.append(item)
    if changed:
        QuizQuestion.objects.bulk_update(changed, ["position"])


@transaction.atomic
def quiz_questions_add(*, quiz: Quiz, questions: Iterable[Question]) -> int:
    """Append the questions not yet in the quiz, in the order given; return how many."""
    items = _quiz_items_locked(quiz.pk)
    present = {item.question_id for item in items}
    position = max((item.position for item in items), default=0)
    new = []
    for question in questions:
        if question.pk in present:
            continue
        present.add(question.pk)
        position += 1
        new.append(QuizQuestion(quiz=quiz, question=question, position=position))
    if new:
        QuizQuestion.objects.bulk_create(new)
        _quiz_touch(quiz)
        # A question put back: the answers students gave it before count again.
        _quiz_attempts_recount(quiz_id=quiz.pk, question_ids=[item.question_id for item in new])
    return len(new)


@transaction.atomic
def quiz_question_move(*, item: QuizQuestion, offset: int) -> bool:
    """Move a question up (negative offset) or down the quiz; return whether it moved."""
    items = _quiz_items_locked(item.quiz_id)
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        raise ValidationError(_("This question is no longer in the quiz."))
    target = min(max(index + offset, 0), len(items) - 1)
    moved = target != index
    items.insert(target, items.pop(index))
    _positions_renumber(items)
    if moved:
        _quiz_touch(item.quiz)
    return moved


@transaction.atomic
def quiz_question_remove(*, item: QuizQuestion) -> None:
    """Take a question out of the quiz (the question itself stays) and close the gap."""
    items = _quiz_items_locked(item.quiz_id)
    if not any(other.pk == item.pk for other in items):
        raise ValidationError(_("This question is no longer in the quiz."))
    QuizQuestion.objects.filter(pk=item.pk).delete()
    _positions_renumber([other for other in items if other.pk != item.pk])
    _quiz_touch(item.quiz)
    # Students who answered it: their scores no longer count it.
    _quiz_attempts_recount(quiz_id=item.quiz_id, question_ids=[item.question_id])


@transaction.atomic
def quiz_duplicate(*, quiz: Quiz, owner) -> Quiz:
    """Copy a quiz with the same questions in the same order, unpublished, for `owner`."""
    title_field = Quiz._meta.get_field("title")
    title = _("Copy of %(title)s") % {"title": quiz.title}
    copy = Quiz(
        title=title[: title_field.max_length],
        description=quiz.description,
        owner=owner,
        published=False,
    )
    copy.full_clean()
    copy.save()
    question_ids = (
        QuizQuestion.objects.filter(quiz=quiz)
        .order_by("position", "pk")
        .values_list("question_id", flat=True)
    )
    QuizQuestion.objects.bulk_create(
        QuizQuestion(quiz=copy, question_id=question_id, position=position)
        for position, question_id in enumerate(question_ids, start=1)
    )
    return copy


# A quiz from an article

# The kinds of question generated from an annotation, in the order a statement's questions
# are asked: who said it, then how it is sourced (whose explanation names the source), then
# what kind of statement it is, whose explanation covers everything.
ARTICLE_QUIZ_KINDS = (
    Question.Kind.ATTRIBUTION,
    Question.Kind.EVIDENCE,
    Question.Kind.SOURCING,
    Question.Kind.CLASSIFICATION,
)
# Either question on who said a statement answers the other, so a statement is asked once:
# when both kinds are wanted, the statements take turns, in this order.
WHO_SAID_TURNS = (Question.Kind.EVIDENCE, Question.Kind.ATTRIBUTION)


def _article_questions_in_order(*, article: Article, kinds: Iterable[str]) -> list[Question]:
    """The article's generated questions of these kinds, statement by statement as it reads.

    No question gives away a later one's answer: on each statement, who said it comes first
    and once (evidence or attribution, in turn), then sourcing, then classification.
    """
    wanted = set(kinds)
    questions = (
        Question.objects.filter(annotation__article=article, kind__in=wanted)
        .exclude(annotation__anchor_status=Annotation.Anchor.ORPHANED)
        .order_by("annotation__start", "annotation__end", "annotation_id")
    )
    statements: dict[int, dict[str, Question]] = {}
    for question in questions:
        statements.setdefault(question.annotation_id, {})[question.kind] = question
    ordered = []
    turn = 0
    for by_kind in statements.values():
        who_said = [kind for kind in WHO_SAID_TURNS if kind in by_kind]
        if len(who_said) == len(WHO_SAID_TURNS):
            who_said = [WHO_SAID_TURNS[turn % len(WHO_SAID_TURNS)]]
            turn += 1
        for kind in ARTICLE_QUIZ_KINDS:
            if kind in by_kind and (kind not in WHO_SAID_TURNS or kind in who_said):
                ordered.append(by_kind[kind])
    return ordered


@transaction.atomic
def quiz_article_questions_add(
    *, quiz: Quiz, article: Article, kinds: Iterable[str] = ARTICLE_QUIZ_KINDS
) -> int:
    """Add the article's questions of these kinds to the quiz, as the article reads.

    The missing questions are generated first (into the article's owner's questions, as the
    article's *Generate questions* button does). Returns how many were added to the quiz.
    """
    questions_generate(article=article, owner=article.owner)
    questions = _article_questions_in_order(article=article, kinds=kinds)
    if not questions:
        if not article.annotations.exclude(anchor_status=Annotation.Anchor.ORPHANED).exists():
            raise ValidationError(
                _(
                    "“%(title)s” has no annotated statements to ask about yet. Annotate its "
                    "statements first."
                )
                % {"title": article.title},
                code="article",
            )
        raise ValidationError(
            _("None of the article's statements has a question of the kinds ticked."),
            code="kinds",
        )
    return quiz_questions_add(quiz=quiz, questions=questions)


@transaction.atomic
def quiz_from_article_assign(
    *,
    article: Article,
    teacher,
    title: str,
    kinds: Iterable[str],
    classroom: Classroom,
    **terms,
) -> Assignment:
    """Make a published quiz of the article's questions and give it to the class, or nothing.

    The questions are generated if needed and put in the article's reading order; the
    assignment is made by the same service as the class page's *Assign a quiz* form, with
    `terms` the rest of its `AssignmentTerms` (opens_at, due_at, attempts_allowed...).
    """
    kinds = [kind for kind in ARTICLE_QUIZ_KINDS if kind in set(kinds)]
    if not kinds:
        raise ValidationError(_("Tick at least one kind of question."), code="kinds")
    quiz = Quiz(title=title.strip(), owner=teacher, published=True)
    quiz.full_clean()
    quiz.save()
    quiz_article_questions_add(quiz=quiz, article=article, kinds=kinds)
    return assignment_create(
        classroom=classroom,
        teacher=teacher,
        terms=AssignmentTerms(quiz=quiz, **terms),
    )


# Regrading


@dataclass(frozen=True)
class RegradeCounts:
    """A question's stored responses, graded as stored and as the question grades them now."""

    responses: int
    right_before: int
    right_after: int
    changed: int  # responses whose grade or points a regrade would change
    attempts: int = 0  # attempts whose score a regrade recomputed

    @property
    def needed(self) -> bool:
        return self.changed > 0


@dataclass(frozen=True)
class SpanGrades:
    """A question's answers given as a selection in the article, graded as they would be now.

    `graded` is False when they cannot be graded again (the question names no source words):
    they then keep the grade they were given.
    """

    right: list[int]  # ids of the responses right now
    wrong: list[int]
    graded: bool = True


def _span_grades(question: Question) -> SpanGrades:
    """Grade the question's selected spans against its source words as they are now.

    Many students select the same words, so each distinct selection is graded once.
    """
    if (
        question.credit_all
        or not question.is_evidence
        or question.answer_start is None
        or not question.article_id
    ):
        # Under credit for everyone no selection needs grading: every answer is right.
        return SpanGrades([], [], graded=False)
    body = Article.objects.values_list("body", flat=True).get(pk=question.article_id)
    answer = (question.answer_start, question.answer_end)
    grades: dict[tuple[int, int], bool] = {}
    right, wrong = [], []
    spans = Response.objects.filter(
        question=question, choice__isnull=True, selected_start__isnull=False
    ).values_list("pk", "selected_start", "selected_end")
    for pk, start, end in spans:
        if (start, end) not in grades:
            grades[start, end] = span_overlap(body, selected=(start, end), answer=answer).is_correct
        (right if grades[start, end] else wrong).append(pk)
    return SpanGrades(right, wrong)


def _right_now(question: Question, spans: SpanGrades) -> tuple[Q, Q]:
    """Conditions for a response being right or wrong under the question's current answer.

    Under credit for everyone every response is right (Question.counts_right). Otherwise a
    choice is graded by the choices as they are now (any number of them may be right), a
    selected span by the source words (`spans`); an answer graded by neither keeps its grade.
    """
    if question.credit_all:
        return Q(pk__isnull=False), Q(pk__isnull=True)
    kept = Q(choice__isnull=True)
    if spans.graded:
        kept &= Q(selected_start__isnull=True)
    right = Q(choice__is_correct=True) | (kept & Q(is_correct=True)) | Q(pk__in=spans.right)
    wrong = Q(choice__is_correct=False) | (kept & Q(is_correct=False)) | Q(pk__in=spans.wrong)
    return right, wrong


def question_regrade_counts(
    *, question: Question, spans: SpanGrades | None = None
) -> RegradeCounts:
    """Count the question's responses, right as stored and right under the current answer."""
    right, wrong = _right_now(question, spans or _span_grades(question))
    counts = Response.objects.filter(question=question).aggregate(
        responses=Count("pk"),
        right_before=Count("pk", filter=Q(is_correct=True)),
        right_after=Count("pk", filter=right),
        changed=Count(
            "pk",
            filter=(right & (Q(is_correct=False) | ~Q(points=question.points)))
            | (wrong & (Q(is_correct=True) | ~Q(points=0))),
        ),
    )
    return RegradeCounts(**counts)


@dataclass(frozen=True)
class ScoreChange:
    """Students whose score a regrade changes by the same number of points."""

    points: int  # gained when positive, lost when negative
    students: int


def _in_attempts_quiz() -> Exists:
    """A response to a question still in its attempt's quiz: one its attempt's totals count."""
    return Exists(
        QuizQuestion.objects.filter(
            quiz=OuterRef("attempt__assignment__quiz_id"), question=OuterRef("question_id")
        )
    )


def question_regrade_changes(
    *, question: Question, spans: SpanGrades | None = None
) -> list[ScoreChange]:
    """How a regrade would change scores: how many students gain or lose how many points.

    A response's points change its attempt's score by as much, when its attempt's quiz still
    has the question; gains come first.
    """
    right, wrong = _right_now(question, spans or _span_grades(question))
    after = Case(
        When(right, then=Value(question.points)),
        When(wrong, then=Value(0)),
        default=F("points"),
        output_field=IntegerField(),
    )
    rows = (
        Response.objects.filter(_in_attempts_quiz(), question=question)
        .annotate(change=after - F("points"))
        .exclude(change=0)
        .values("change")
        .annotate(students=Count("attempt__student", distinct=True))
        .order_by("-change")
    )
    return [ScoreChange(points=row["change"], students=row["students"]) for row in rows]


def attempt_totals_recount(*, attempts) -> int:
    """Set the attempts' totals from their responses, in one UPDATE; return how many.

    Totals are the score, the answers given and the right answers per skill, counting only
    answers to questions still in the attempt's quiz: a question taken out of a quiz stops
    counting (its answers stay stored, and count again if it is put back). Right answers are
    counted under each question's skill now, so a recount also follows a question moved to
    another skill.
    """
    responses = (
        Response.objects.filter(_in_attempts_quiz(), attempt=OuterRef("pk"))
        .order_by()
        .values("attempt")
    )

    def total(aggregate, **filters):
        return Coalesce(
            Subquery(
                responses.filter(**filters).annotate(total=aggregate).values("total"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return attempts.update(
        score=total(Sum("points")),
        answered=total(Count("pk")),
        **{
            Attempt.right_field(skill): total(Count("pk"), is_correct=True, question__skill=skill)
            for skill in Skill
        },
    )


def _quiz_attempts_recount(*, quiz_id: int, question_ids: Iterable[int]) -> int:
    """Recount the attempts at the quiz that answered any of the questions."""
    answered = Response.objects.filter(
        attempt__assignment__quiz_id=quiz_id, question_id__in=list(question_ids)
    )
    return attempt_totals_recount(
        attempts=Attempt.objects.filter(pk__in=answered.values("attempt_id"))
    )


def question_skill_moved(*, question: Question) -> int:
    """Count the question's right answers under its skill now, in every attempt that has them.

    Each attempt keeps its right answers per skill as running totals; when a question moves
    to another skill after students have answered it, the attempts that answered it right are
    recounted. Returns how many attempts were updated.
    """
    answered_right = Response.objects.filter(question=question, is_correct=True)
    return attempt_totals_recount(
        attempts=Attempt.objects.filter(pk__in=answered_right.values("attempt_id"))
    )


@transaction.atomic
def question_regrade(*, question: Question) -> RegradeCounts:
    """Grade every stored response to the question again and fix the scores of their attempts.

    Two UPDATE statements do the work in the database: one for the responses, one for the
    scores (and right answers per skill) of the attempts that answered the question.
    """
    # Lock the question so two regrades (or a regrade and an edit) run one after the other.
    # Ordered by its own key only: the default ordering joins the (nullable) article, and
    # PostgreSQL cannot lock the nullable side of an outer join.
    locked = Question.objects.select_for_update().filter(pk=question.pk).order_by("pk").first()
    if locked is None:
        raise ValidationError(_("This question no longer exists."))
    spans = _span_grades(locked)
    counts = question_regrade_counts(question=locked, spans=spans)
    if not counts.needed:
        return counts
    points = locked.points
    right_choice = Exists(Choice.objects.filter(pk=OuterRef("choice_id"), is_correct=True))
    if locked.credit_all:
        # Question.counts_right: every answer is right and earns the points.
        is_correct, earned = Value(True), Value(points)
    else:
        is_correct = Case(
            When(pk__in=spans.right, then=Value(True)),
            When(pk__in=spans.wrong, then=Value(False)),
            When(choice__isnull=True, then=F("is_correct")),
            When(right_choice, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        earned = Case(
            When(pk__in=spans.right, then=Value(points)),
            When(pk__in=spans.wrong, then=Value(0)),
            When(choice__isnull=True, is_correct=True, then=Value(points)),
            When(choice__isnull=True, then=Value(0)),
            When(right_choice, then=Value(points)),
            default=Value(0),
            output_field=IntegerField(),
        )
    Response.objects.filter(question=locked).update(is_correct=is_correct, points=earned)
    regraded = Attempt.objects.filter(
        pk__in=Response.objects.filter(question=locked).values("attempt_id")
    )
    attempts = attempt_totals_recount(attempts=regraded)
    scores_changed.send(sender=Question, attempts=regraded)
    return dataclasses.replace(counts, attempts=attempts)
