"""What students see: joining, their classes and assignments, one question at a time."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.rendering import Highlight, body_paragraphs
from config import auth as auth_backend
from config.reversing import reverse_ids
from quiz import answering, selectors, services, taking
from quiz.forms import JoinForm, SignupJoinForm
from quiz.models import Assignment, Attempt, Classroom, Question, Response
from quiz.roles import is_teacher

# Refusals from the answer service, and the status each one gets.
REFUSAL_STATUS = {
    "already_answered": 409,
    "finished": 409,
    "closed": 403,
    "not_open": 403,
}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person where they work: teachers to their classes, students to theirs."""
    if is_teacher(request.user):
        return redirect("quiz:teach_dashboard")
    return redirect("quiz:my_classes")


# Students: classes and assignments


def _get_classroom_for_student(request: HttpRequest, pk: int) -> Classroom:
    return get_object_or_404(Classroom, pk=pk, enrollments__student=request.user)


def _get_assignment_for_student(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("quiz", "classroom"),
        pk=pk,
        classroom__enrollments__student=request.user,
    )


def _get_attempt_for_student(request: HttpRequest, pk: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("assignment__quiz", "assignment__classroom"),
        pk=pk,
        student=request.user,
    )


def _get_question_in_quiz(quiz_id: int, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("article"), pk=question_id, quiz_items__quiz_id=quiz_id
    )


@require_GET
def my_classes(request: HttpRequest) -> HttpResponse:
    classrooms = selectors.student_classrooms(student=request.user)
    return render(
        request, "quiz/my_classes.html", {"classrooms": classrooms, "join_form": JoinForm()}
    )


@require_http_methods(["GET", "POST"])
@login_not_required
def join(request: HttpRequest) -> HttpResponse:
    """Join a class with its code; people without an account create one here, no email."""
    signed_in = request.user.is_authenticated
    form_class = JoinForm if signed_in else SignupJoinForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={"code": request.GET.get("code", "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if signed_in:
                enrollment, created = services.classroom_join(
                    code=form.cleaned_data["code"], student=request.user
                )
                classroom = enrollment.classroom
                if created:
                    messages.success(request, _("You joined %(name)s.") % {"name": classroom})
                else:
                    messages.info(request, _("You are already in %(name)s.") % {"name": classroom})
            else:
                user, classroom = services.student_signup_and_join(
                    code=form.cleaned_data["code"],
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data.get("last_name", ""),
                )
                login(request, user, backend=auth_backend.BACKEND)
                messages.success(
                    request,
                    _("Welcome! You joined %(name)s. Remember your username: %(username)s.")
                    % {"name": classroom, "username": user.get_username()},
                )
        except ValidationError as error:
            field = (
                "code" if getattr(error, "code", None) in {"invalid", "unknown", "closed"} else None
            )
            for message in error.messages:
                form.add_error(field, message)
        else:
            return redirect(classroom.get_absolute_url())
    return render(request, "quiz/join.html", {"form": form, "signed_in": signed_in})


@require_GET
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _get_classroom_for_student(request, pk)
    assignments = list(selectors.student_assignments(classroom=classroom, student=request.user))
    now = timezone.now()
    for assignment in assignments:
        assignment.open_now = assignment.is_open(now)
    return render(
        request, "quiz/classroom.html", {"classroom": classroom, "assignments": assignments}
    )


@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_student(request, pk)
    attempts = list(assignment.attempts.filter(student=request.user).order_by("number"))
    unfinished = next((a for a in attempts if a.submitted_at is None), None)
    return render(
        request,
        "quiz/assignment.html",
        {
            "assignment": assignment,
            "attempts": attempts,
            "unfinished": unfinished,
            "can_start": assignment.is_open()
            and (unfinished is not None or len(attempts) < assignment.attempts_allowed),
            "attempts_left": max(0, assignment.attempts_allowed - len(attempts)),
            "question_count": len(selectors.quiz_question_ids(quiz_id=assignment.quiz_id)),
        },
    )


@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_student(request, pk)
    try:
        attempt = services.attempt_start(assignment=assignment, student=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(assignment.get_absolute_url())
    return redirect("quiz:attempt", pk=attempt.pk)


@require_GET
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Continue an attempt: its first unanswered question, or its results when done."""
    attempt = _get_attempt_for_student(request, pk)
    if attempt.is_finished:
        return redirect("quiz:results", pk=attempt.pk)
    ids = selectors.quiz_question_ids(quiz_id=attempt.assignment.quiz_id)
    answered = set(selectors.attempt_responses(attempt=attempt))
    pending = [qid for qid in ids if qid not in answered]
    if not pending:
        if ids:
            return redirect("quiz:question", pk=attempt.pk, question_id=ids[-1])
        messages.info(request, _("This quiz has no questions yet."))
        return redirect(attempt.assignment.get_absolute_url())
    return redirect("quiz:question", pk=attempt.pk, question_id=pending[0])


# Students: one question at a time


def _locate(body: str, start: int | None, end: int | None, text: str) -> tuple[int, int] | None:
    """Find stored text in the body: at its stored place, else its first occurrence."""
    if not text:
        return None
    if start is not None and end is not None and body[start:end] == text:
        return start, end
    found = body.find(text)
    return (found, found + len(text)) if found != -1 else None


def _cue_span(body: str, cue: str, near: tuple[int, int]) -> tuple[int, int] | None:
    """Find the cue words closest to the statement."""
    if not cue:
        return None
    best = None
    position = body.find(cue)
    while position != -1:
        distance = abs(position - near[0]) if position < near[0] else max(0, position - near[1])
        if best is None or distance < best[0]:
            best = (distance, position)
        position = body.find(cue, position + 1)
    return (best[1], best[1] + len(cue)) if best else None


def _question_highlights(question: Question, response, revealed: bool) -> list[Highlight]:
    body = question.article.body if question.article_id else ""
    highlights = []
    focus = _locate(body, question.focus_start, question.focus_end, question.statement)
    if focus:
        highlights.append(Highlight(*focus, key="statement", css="hl-statement"))
    if response is not None and revealed:
        source = _locate(body, question.answer_start, question.answer_end, question.answer_exact)
        if source:
            highlights.append(Highlight(*source, key="source", css="hl-source"))
        cue = _cue_span(body, question.cue, focus) if focus else None
        if cue:
            highlights.append(Highlight(*cue, key="cue", css="hl-cue"))
    if response is not None and response.selected_start is not None:
        highlights.append(
            Highlight(
                response.selected_start, response.selected_end, key="selected", css="hl-selected"
            )
        )
    return highlights


@dataclass(frozen=True)
class StageLinks:
    """Where the question stage links and posts to: a student's attempt, or a preview of it.

    The fixed links may be lazy (reverse_lazy): a stage shows only some of them.
    """

    quiz: str  # the page the quiz title goes back to
    question: Callable[[int], str]  # a question of the quiz, by id
    answer: Callable[[int], str]  # where an answer to a question is posted
    remaining: str  # the first question still to answer
    finish: str  # where "finish" posts


def attempt_stage_links(attempt: Attempt) -> StageLinks:
    """Links of a student's own attempt."""
    return StageLinks(
        quiz=reverse_lazy("quiz:assignment", args=[attempt.assignment_id]),
        question=lambda question_id: reverse_ids("quiz:question", attempt.pk, question_id),
        answer=lambda question_id: reverse_ids("quiz:answer", attempt.pk, question_id),
        remaining=reverse_lazy("quiz:attempt", args=[attempt.pk]),
        finish=reverse_lazy("quiz:finish", args=[attempt.pk]),
    )


class OnDemand(dict):
    """A mapping whose values, given as functions, are worked out on first use and kept.

    The stage's links: working out a URL costs more than most of the card, and a card shows
    two or three of the six, some of them twice.
    """

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if callable(value):
            value = value()
            self[key] = value
        return value


def _stage_context(
    *,
    attempt: Attempt,
    question: Question,
    ids: list[int],
    choices: list,
    response,
    answered_count: int,
    pending_after: int | None,
    error: str = "",
    links: StageLinks | None = None,
) -> dict:
    revealed = response is not None and attempt.assignment.reveals_after_each()
    index = ids.index(question.pk)
    previous_id = ids[index - 1] if index > 0 else None
    chosen = None
    if response is not None and response.choice_id:
        chosen = next((c for c in choices if c.pk == response.choice_id), None)
    body = question.article.body if question.article_id else ""
    links = links or attempt_stage_links(attempt)
    return {
        "attempt": attempt,
        "assignment": attempt.assignment,
        "question": question,
        "choices": choices,
        "response": response,
        "chosen": chosen,
        "revealed": revealed,
        "correct_choices": [c for c in choices if c.is_correct] if revealed else [],
        "number": index + 1,
        "total": len(ids),
        "answered_count": answered_count,
        # Formatted here, not with {% blocktranslate %}: the label is redrawn with every
        # answer, and the template tag costs ten times as much.
        "progress_label": _("Question %(n)s of %(total)s · %(answered)s answered")
        % {"n": index + 1, "total": len(ids), "answered": answered_count},
        "all_answered": answered_count >= len(ids),
        "next_id": pending_after,
        "previous_id": previous_id,
        "body": body,
        "highlights": _question_highlights(question, response, revealed),
        "error": error,
        "urls": OnDemand(
            quiz=lambda: str(links.quiz),
            answer=lambda: links.answer(question.pk),
            next=lambda: links.question(pending_after) if pending_after else "",
            previous=lambda: links.question(previous_id) if previous_id else "",
            remaining=lambda: str(links.remaining),
            finish=lambda: str(links.finish),
        ),
    }


# The element an answer form's htmx post replaces: the question card, not the whole stage.
ANSWER_TARGET = "question-card"


def _targets_the_card(request: HttpRequest) -> bool:
    return bool(request.htmx) and request.htmx.target == ANSWER_TARGET


def _render_stage(
    request: HttpRequest, context: dict, status: int = 200, *, page: str = "quiz/take.html"
) -> HttpResponse:
    """What htmx asked for, or the whole `page` around the stage.

    An answer (htmx targets the question card) gets the card with its feedback, and, swapped
    out of band, the progress bar, the announcement and only the article's paragraphs whose
    highlights changed. Any other htmx request gets the stage, the announcement and the page's
    new title.
    """
    body, highlights = context["body"], context["highlights"]
    if _targets_the_card(request):
        # The page shows the statement already: send the paragraphs that gain anything else.
        added = [h for h in highlights if h.key != "statement"]
        context["paragraphs"] = body_paragraphs(body, highlights, only_with=added)
        # The fragment uses nothing the context processors add but the CSRF token (the
        # finish form): it is rendered without running them for every answer.
        context.update(csrf(request))
        html = render_to_string("quiz/take.html#answered", context)
        return HttpResponse(html, status=status)
    context["paragraphs"] = body_paragraphs(body, highlights)
    if not request.htmx:
        return render(request, page, context, status=status)
    # A new question: htmx takes the page's new title from the response's <title>.
    html = render_to_string("quiz/take.html#htmx_title", context, request=request)
    html += render_to_string("quiz/take.html#stage", context, request=request)
    html += render_to_string("quiz/take.html#announce", {**context, "oob": True}, request)
    return HttpResponse(html, status=status)


@require_GET
def question_detail(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    stage = taking.question_stage(
        attempt_id=pk, student_id=request.user.pk, question_id=question_id
    )
    if stage is None:
        raise Http404
    if isinstance(stage, taking.Finished):
        return redirect("quiz:results", pk=stage.attempt_id)
    attempt, question, ids, responses = stage.attempt, stage.question, stage.ids, stage.responses
    attempt.student = request.user
    index = ids.index(question.pk)
    later = ids[index + 1 :] + ids[:index]
    context = _stage_context(
        attempt=attempt,
        question=question,
        ids=ids,
        choices=stage.choices,
        response=responses.get(question.pk),
        answered_count=len(responses),
        pending_after=next((qid for qid in later if qid not in responses), None),
    )
    return _render_stage(request, context)


def _parse_answer(request: HttpRequest) -> services.Answer:
    """Read a choice or a selected span from the post; raise ValueError when malformed."""
    choice = request.POST.get("choice", "").strip()
    if choice:
        return services.Answer(choice_id=int(choice))
    start, end = request.POST.get("start", "").strip(), request.POST.get("end", "").strip()
    if start or end:
        return services.Answer(start=int(start), end=int(end))
    return services.Answer()


def _answer_recorded_at_once(request: HttpRequest, pk: int, question_id: int):
    """The common answer, a first pick of a choice, stored and shown with the fewest queries.

    Returns None, having changed nothing, for anything else: the full path below handles it.
    """
    choice = request.POST.get("choice", "").strip()
    if not choice.isdigit() or request.POST.get("start") or request.POST.get("end"):
        return None
    recorded = answering.choice_record(
        attempt_id=pk,
        student_id=request.user.pk,
        question_id=question_id,
        choice_id=int(choice),
        now=timezone.now(),
    )
    if recorded is None:
        return None
    question, choices = recorded.question, recorded.choices
    # The attempt, its assignment and the response as the statement saw them: the stage
    # reads only these fields.
    assignment = answering.loaded(
        Assignment, id=recorded.assignment_id, quiz_id=recorded.quiz_id, reveal=recorded.reveal
    )
    attempt = answering.loaded(
        Attempt,
        id=pk,
        assignment_id=assignment.pk,
        student_id=request.user.pk,
        answered=recorded.answered,
    )
    attempt.assignment, attempt.student = assignment, request.user
    response = answering.loaded(
        Response,
        id=recorded.response_id,
        attempt_id=pk,
        question_id=question.pk,
        choice_id=int(choice),
        selected_start=None,
        selected_end=None,
        is_correct=recorded.is_correct,
        points=recorded.points,
    )
    response.attempt, response.question = attempt, question
    return _answer_stage(request, attempt, question, recorded.question_ids, choices, response)


def _answer_stage(
    request, attempt, question, ids, choices, response, *, answered_count=None, error="", status=200
) -> HttpResponse:
    """The stage after an answer (or a refused one), pointing on to the next question."""
    answered_count = attempt.answered if answered_count is None else answered_count
    index = ids.index(question.pk)
    context = _stage_context(
        attempt=attempt,
        question=question,
        ids=ids,
        choices=choices,
        response=response,
        answered_count=answered_count,
        pending_after=ids[index + 1] if index + 1 < len(ids) else None,
        error=error,
    )
    if answered_count < len(ids) and context["next_id"] is None:
        context["continue_url"] = True
    return _render_stage(request, context, status=status)


@require_POST
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Record an answer. htmx gets the feedback in place; a plain form post is redirected."""
    if _targets_the_card(request):
        recorded = _answer_recorded_at_once(request, pk, question_id)
        if recorded is not None:
            return recorded
    attempt = _get_attempt_for_student(request, pk)
    question = _get_question_in_quiz(attempt.assignment.quiz_id, question_id)
    ids = selectors.quiz_question_ids(quiz_id=attempt.assignment.quiz_id)
    # Ordered explicitly: Choice's default ordering starts with its question, which would join
    # and sort by the question's and the article's ordering fields for nothing.
    choices = list(question.choices.order_by("position", "pk"))
    error, status, response, created = "", 200, None, False
    try:
        parsed = _parse_answer(request)
    except (ValueError, OverflowError):
        error, status = _("That answer could not be read. Pick an answer and try again."), 400
    else:
        try:
            response, created = services.response_submit(
                attempt=attempt,
                question=question,
                answer=parsed,
                body=question.article.body if question.article_id else "",
                choices=choices,
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
            status = REFUSAL_STATUS.get(getattr(refusal, "code", None) or "", 400)
    if not request.htmx:
        if error:
            messages.error(request, error)
            if status in {403, 409} and attempt.is_finished:
                return redirect("quiz:results", pk=attempt.pk)
        return redirect("quiz:question", pk=attempt.pk, question_id=question.pk)
    return _answer_stage(
        request,
        attempt,
        question,
        ids,
        choices,
        response,
        answered_count=attempt.answered + (1 if created else 0),
        error=error,
        status=status,
    )


@require_POST
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_student(request, pk)
    services.attempt_finish(attempt=attempt)
    return redirect("quiz:results", pk=attempt.pk)


@require_GET
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_student(request, pk)
    assignment = attempt.assignment
    revealed = assignment.reveals_for(attempt)
    review = []
    if revealed:
        responses = selectors.attempt_responses(attempt=attempt)
        questions = (
            Question.objects.filter(quiz_items__quiz_id=assignment.quiz_id)
            .prefetch_related("choices")
            .order_by("quiz_items__position", "quiz_items__pk")
        )
        for question in questions:
            response = responses.get(question.pk)
            choices = list(question.choices.all())
            review.append(
                {
                    "question": question,
                    "response": response,
                    "chosen": next(
                        (c for c in choices if response and c.pk == response.choice_id), None
                    ),
                    "correct": [c for c in choices if c.is_correct],
                }
            )
    return render(
        request,
        "quiz/results.html",
        {
            "attempt": attempt,
            "assignment": assignment,
            "revealed": revealed,
            "breakdown": selectors.attempt_skill_breakdown(attempt=attempt) if revealed else [],
            "review": review,
        },
    )


# Students: their own data


def data_export_response(data: dict, *, username: str) -> HttpResponse:
    """Wrap a student's data in a JSON download that no cache keeps."""
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"sourcewise-data-{slugify(username) or 'student'}-{timezone.localdate()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Show what Sourcewise keeps about the signed-in person, with a link to download it."""
    return render(
        request,
        "quiz/my_data.html",
        {
            "counts": services.student_data_counts(student=request.user),
            "classrooms": Classroom.objects.filter(enrollments__student=request.user).order_by(
                "name"
            ),
        },
    )


@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Download one's own account, classes, attempts and answers as JSON."""
    data = services.student_data_export(student=request.user)
    return data_export_response(data, username=request.user.get_username())
