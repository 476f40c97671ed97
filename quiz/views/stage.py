"""The question stage: one question of a quiz beside its article, as a student answers it.

Used by the student's attempt and by the teacher's preview, which differ only in where the
stage links and posts to (`StageLinks`) and where answers are kept. The question ids and
choices come in the order the stage shows them: an attempt's own when its assignment shuffles
(`quiz.selectors.order`), the quiz's in a preview. Numbering, *Next* and *Previous* follow it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from articles.rendering import Highlight, body_paragraphs, paragraph_spans
from articles.text import nearest_occurrence, text_locate
from config.ids import id_parse, number_parse
from quiz.grading import selection_miss
from quiz.models import AnsweredItem, Assignment, Attempt, Question, Quiz
from quiz.services import Answer, Refusal, Submission

# The element an answer form's htmx post replaces: the question card, not the whole stage.
ANSWER_TARGET = "question-card"
# The article's paragraphs have ids of this prefix and their start offset, to swap and link to.
PARAGRAPH_ID_PREFIX = "para-"


@dataclass(frozen=True)
class StageLinks:
    """Where the stage links and posts to: a student's attempt, or a preview of it."""

    quiz: str  # the page the quiz title goes back to
    question: Callable[[int], str]  # a question of the quiz, by id
    answer: Callable[[int], str]  # where an answer to a question is posted
    remaining: str  # the first question still to answer
    finish: str  # where "finish" posts


def routed_links(route: str, pk: int, *, quiz: str, finish: str = "") -> StageLinks:
    """Links of a set of questions whose pages are routed by the set's id under one name:
    `route` is its first unanswered question, `route_question` and `route_answer` take a
    question's id too, and `finish` (by default `route_done`) ends it."""
    return StageLinks(
        quiz=quiz,
        question=lambda question_id: reverse(f"{route}_question", args=[pk, question_id]),
        answer=lambda question_id: reverse(f"{route}_answer", args=[pk, question_id]),
        remaining=reverse(route, args=[pk]),
        finish=reverse(finish or f"{route}_done", args=[pk]),
    )


def attempt_links(attempt: Attempt) -> StageLinks:
    """Links of a student's own attempt."""
    return StageLinks(
        quiz=reverse("quiz:assignment", args=[attempt.assignment_id]),
        question=lambda question_id: reverse("quiz:question", args=[attempt.pk, question_id]),
        answer=lambda question_id: reverse("quiz:answer", args=[attempt.pk, question_id]),
        remaining=reverse("quiz:attempt", args=[attempt.pk]),
        finish=reverse("quiz:finish", args=[attempt.pk]),
    )


# The HTTP status of each refusal of an answer service; any other refusal is a 400.
REFUSAL_STATUS = {
    Refusal.FINISHED: 409,
    Refusal.ALREADY_ANSWERED: 409,
    Refusal.CLOSED: 403,
    Refusal.NOT_OPEN: 403,
}


def refusal_status(refusal: Refusal | None) -> int:
    """The status of the stage's response to an answer: 200 when it stands."""
    return REFUSAL_STATUS.get(refusal, 400) if refusal else 200


def answer_parse(request: HttpRequest) -> Answer:
    """Read a choice or a selected span from the post (an unreadable one says so)."""
    # Read strictly, spaces and all: a browser sends the choice's id or the offsets as digits.
    choice = request.POST.get("choice", "")
    start, end = request.POST.get("start", ""), request.POST.get("end", "")
    if choice:
        choice_id = id_parse(choice)
        return Answer(unreadable=True) if choice_id is None else Answer(choice_id=choice_id)
    if start or end:
        span = number_parse(start), number_parse(end)
        return Answer(unreadable=True) if None in span else Answer(start=span[0], end=span[1])
    return Answer()


def next_unanswered(ids: list[int], question_id: int, answered) -> int | None:
    """The first question after this one (going round) that has no answer yet."""
    index = ids.index(question_id)
    return next((qid for qid in ids[index + 1 :] + ids[:index] if qid not in answered), None)


def next_in_order(ids: list[int], question_id: int) -> int | None:
    """The question after this one, if any: where the student goes after answering."""
    index = ids.index(question_id)
    return ids[index + 1] if index + 1 < len(ids) else None


def question_highlights(question: Question, response, revealed: bool) -> list[Highlight]:
    """The statement, and once the answer is revealed the source words and the cue."""
    body = question.article.body if question.article_id else ""
    highlights = []
    focus = text_locate(body, question.focus_start, question.focus_end, question.statement)
    if focus:
        highlights.append(Highlight(*focus, key="statement", css="hl-statement"))
    if response is not None and revealed:
        source = text_locate(
            body, question.answer_start, question.answer_end, question.answer_exact
        )
        if source:
            highlights.append(Highlight(*source, key="source", css="hl-source"))
        cue = (
            nearest_occurrence(body, question.cue, start=focus[0], end=focus[1])
            if (focus and question.cue)
            else None
        )
        if cue:
            highlights.append(Highlight(*cue, key="cue", css="hl-cue"))
    if response is not None and response.selected_start is not None:
        highlights.append(
            Highlight(
                response.selected_start, response.selected_end, key="selected", css="hl-selected"
            )
        )
    return highlights


def evidence_anchor(body: str, highlights: list[Highlight]) -> str:
    """The id of the paragraph that holds the source words, for a link down to them."""
    source = next((h for h in highlights if h.key == "source"), None)
    if source is None:
        return ""
    start = next((s for s, e in paragraph_spans(body) if s <= source.start < e), None)
    return "" if start is None else f"{PARAGRAPH_ID_PREFIX}{start}"


def stage_context(
    *,
    attempt: Attempt,
    question: Question,
    ids: list[int],
    choices: list,
    response,
    answered_count: int,
    next_id: int | None,
    links: StageLinks,
    error: str = "",
) -> dict:
    """What the stage template shows of one question of an attempt (or of a preview)."""
    revealed = response is not None and attempt.assignment.reveals_after_each()
    highlights = question_highlights(question, response, revealed)
    index = ids.index(question.pk)
    previous_id = ids[index - 1] if index > 0 else None
    chosen = None
    if response is not None and response.choice_id:
        chosen = next((c for c in choices if c.pk == response.choice_id), None)
    body = question.article.body if question.article_id else ""
    selection = None
    if response is not None and response.selected_start is not None:
        span = (response.selected_start, response.selected_end)
        selection = {"text": body[slice(*span)].strip(), "miss": ""}
        if revealed and not response.is_correct:
            answer = (question.answer_start, question.answer_end)
            selection["miss"] = selection_miss(body, selected=span, answer=answer)
    return {
        "attempt": attempt,
        "assignment": attempt.assignment,
        "question": question,
        "choices": choices,
        "response": response,
        "chosen": chosen,
        "selection": selection,  # the words the student selected, and why they are not it
        "revealed": revealed,
        "correct_choices": [c for c in choices if c.is_correct] if revealed else [],
        "number": index + 1,
        "total": len(ids),
        "answered_count": answered_count,
        "all_answered": answered_count >= len(ids),
        "next_id": next_id,
        "previous_id": previous_id,
        "body": body,
        "highlights": highlights,
        "evidence_anchor": evidence_anchor(body, highlights),
        "paragraph_ids": PARAGRAPH_ID_PREFIX,
        "error": error,
        "urls": {
            "quiz": links.quiz,
            "answer": links.answer(question.pk),
            "next": links.question(next_id) if next_id else "",
            "previous": links.question(previous_id) if previous_id else "",
            "remaining": links.remaining,
            "finish": links.finish,
        },
    }


def targets_the_card(request: HttpRequest) -> bool:
    """An htmx answer post, which swaps only the question card."""
    return bool(request.htmx) and request.htmx.target == ANSWER_TARGET


def stage_render(
    request: HttpRequest, context: dict, status: int = 200, *, page: str = "quiz/take.html"
) -> HttpResponse:
    """What htmx asked for, or the whole `page` around the stage.

    An answer (htmx targets the question card) gets the card with its feedback, and, swapped
    out of band, the progress bar, the announcement and only the article's paragraphs whose
    highlights changed. Any other htmx request gets the stage, the announcement and the page's
    new title.
    """
    body, highlights = context["body"], context["highlights"]
    if targets_the_card(request):
        # The page shows the statement already: send the paragraphs that gain anything else.
        added = [h for h in highlights if h.key != "statement"]
        context["paragraphs"] = body_paragraphs(body, highlights, only_with=added)
        return render(request, "quiz/take.html#answered", context, status=status)
    context["paragraphs"] = body_paragraphs(body, highlights)
    if not request.htmx:
        return render(request, page, context, status=status)
    # A new question: htmx takes the page's new title from the response's <title>.
    html = render_to_string("quiz/take.html#htmx_title", context, request=request)
    html += render_to_string("quiz/take.html#stage", context, request=request)
    html += render_to_string("quiz/take.html#announce", {**context, "oob": True}, request)
    return HttpResponse(html, status=status)


# Items: a practice set's or a study test's questions, each with its answer once given


def item_of(items: list[AnsweredItem], question_id: int) -> AnsweredItem:
    """The item asking `question_id`; a question not among them is a 404."""
    item = next((item for item in items if item.question_id == question_id), None)
    if item is None:
        raise Http404
    return item


def answered_ids(items: list[AnsweredItem]) -> set[int]:
    return {item.question_id for item in items if item.is_answered}


def item_stage_context(
    request: HttpRequest,
    *,
    title: str,
    reveal: str,
    items: list[AnsweredItem],
    item: AnsweredItem,
    next_id: int | None,
    links: StageLinks,
    error: str = "",
) -> dict:
    """The stage for one item: a stand-in for an attempt, never saved, names the set (`title`)
    and says when answers show (`reveal`); an answered item stands as the response."""
    answered = answered_ids(items)
    attempt = Attempt(
        assignment=Assignment(quiz=Quiz(title=title), reveal=reveal),
        student=request.user,
        answered=len(answered),
    )
    question = item.question
    return stage_context(
        attempt=attempt,
        question=question,
        ids=[each.question_id for each in items],
        choices=sorted(question.choices.all(), key=lambda choice: (choice.position, choice.pk)),
        response=item if item.is_answered else None,
        answered_count=len(answered),
        next_id=next_id,
        links=links,
        error=error,
    )


@dataclass(frozen=True)
class ItemSet:
    """A set of questions a student answers on the stage outside a quiz attempt (a booster, a
    study's test): what differs between them. The set's owner routes its pages under `route`
    (see `routed_links`) and keeps one `AnsweredItem` per question, standing as a response."""

    route: str  # the URL name of the set's first unanswered question
    page: str  # the template around the stage
    reveal: str  # when answers show, as an assignment's reveal
    title: Callable[[Any], str]
    items: Callable[[Any], list[AnsweredItem]]  # the owner's items, in order, with questions
    page_context: Callable[[Any, list[AnsweredItem]], dict]  # beside the stage
    # The answer service: (owner, student=, question_id=, answer=) -> Submission
    submit: Callable[..., Submission]

    def render(
        self,
        request: HttpRequest,
        owner,
        items: list[AnsweredItem],
        item: AnsweredItem,
        *,
        next_id: int | None,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        context = item_stage_context(
            request,
            title=self.title(owner),
            reveal=self.reveal,
            items=items,
            item=item,
            next_id=next_id,
            links=routed_links(self.route, owner.pk, quiz=reverse("quiz:my_classes")),
            error=error,
        )
        context.update(self.page_context(owner, items))
        return stage_render(request, context, status, page=self.page)

    def first_unanswered(self, owner, items: list[AnsweredItem]) -> HttpResponse:
        """Go to the first question not yet answered, or to the end when none is left."""
        answered = answered_ids(items)
        pending = [item.question_id for item in items if item.question_id not in answered]
        if not pending:
            return redirect(f"{self.route}_done", pk=owner.pk)
        return redirect(f"{self.route}_question", pk=owner.pk, question_id=pending[0])

    def question(
        self, request: HttpRequest, owner, question_id: int, items: list | None = None
    ) -> HttpResponse:
        """One question of the set, answered or not (`items`: the owner's, when loaded)."""
        items = self.items(owner) if items is None else items
        item = item_of(items, question_id)
        ids = [each.question_id for each in items]
        next_id = next_unanswered(ids, question_id, answered_ids(items))
        return self.render(request, owner, items, item, next_id=next_id)

    def answer(self, request: HttpRequest, owner, question_id: int) -> HttpResponse:
        """Record an answer. htmx gets the card in place; a plain form post is redirected to
        the question, with the refusal's message when there is one."""
        submission = self.submit(
            owner, student=request.user, question_id=question_id, answer=answer_parse(request)
        )
        if submission.refusal == Refusal.NOT_FOUND:
            raise Http404
        if not request.htmx:
            if submission.message:
                messages.error(request, submission.message)
            return redirect(f"{self.route}_question", pk=owner.pk, question_id=question_id)
        items = self.items(owner)
        item = item_of(items, question_id)
        ids = [each.question_id for each in items]
        return self.render(
            request,
            owner,
            items,
            item,
            next_id=next_in_order(ids, question_id),
            error=submission.message,
            status=refusal_status(submission.refusal),
        )
