"""A teacher's authoring screens: a quiz's builder, its preview as a student, a regrade, and
the page that says a quiz made from an article is assigned.

The quiz's and the question's admin pages link here, and these pages keep the admin's look.
Every view is for teachers only, checks the model permission before anything is looked up,
and loads every object through a helper that filters by what the teacher owns, so anything
else is a 404 and its existence does not leak. The builder's and the preview's endpoints
answer htmx with fragments and plain requests with full pages or redirects.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.ids import id_parse
from quiz import selectors
from quiz.forms import QuizBuilderFilterForm
from quiz.models import Assignment, Attempt, Choice, Question, Quiz, QuizQuestion, Response
from quiz.services import Answer, answer_grade, authoring
from quiz.views import stage
from quiz.views.access import taught_or_404, teacher_required

BUILDER_CANDIDATES = 50  # questions offered at once; the filters narrow them down
PREVIEW_SESSION_KEY = "quiz_previews"

# Loading what the teacher owns


def _permission_check(request: HttpRequest, model: str, *, change: bool) -> None:
    """Refuse (403) a teacher without the permission to change, or at least view, `model`."""
    user = request.user
    allowed = user.has_perm(f"quiz.change_{model}") or (
        not change and user.has_perm(f"quiz.view_{model}")
    )
    if not allowed:
        raise PermissionDenied


def _get_quiz_for_teacher(request: HttpRequest, pk: int, *, change: bool = False) -> Quiz:
    _permission_check(request, "quiz", change=change)
    return get_object_or_404(Quiz.objects.owned_by(request.user), pk=pk)


def _get_question_for_teacher(request: HttpRequest, pk: int, *, change: bool = False) -> Question:
    _permission_check(request, "question", change=change)
    return get_object_or_404(
        Question.objects.owned_by(request.user).select_related("article"), pk=pk
    )


def _get_preview_question(
    request: HttpRequest, pk: int, question_id: int
) -> tuple[Quiz, Question, list[int]]:
    """The teacher's quiz, one of its questions (with its article), and all their ids in order."""
    quiz = _get_quiz_for_teacher(request, pk)
    question = get_object_or_404(
        Question.objects.select_related("article__outlet"), pk=question_id, quiz_items__quiz=quiz
    )
    return quiz, question, selectors.quiz_question_ids(quiz_id=quiz.pk)


def _get_item_in_quiz(quiz: Quiz, item_id: int) -> QuizQuestion:
    item = get_object_or_404(quiz.items.select_related("question"), pk=item_id)
    item.quiz = quiz
    return item


def _choices_of(question: Question) -> list[Choice]:
    # Ordered explicitly: Choice's default ordering starts with its question, which would
    # join the question and its article only to sort by them.
    return list(question.choices.order_by("position", "pk"))


def _admin_change_url(obj: Quiz | Question) -> str:
    return reverse(f"admin:quiz_{obj._meta.model_name}_change", args=[obj.pk])


def _admin_context(request: HttpRequest, obj: Quiz | Question, title: str) -> dict:
    """What an admin-looking page needs: the site's navigation and the object's breadcrumbs."""
    return {
        **admin.site.each_context(request),
        "opts": obj._meta,
        "original": obj,
        "title": title,
        "change_url": _admin_change_url(obj),
    }


# Duplicating


@require_POST
@teacher_required
def quiz_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the quiz and open the copy in the admin."""
    if not request.user.has_perm("quiz.add_quiz"):
        raise PermissionDenied
    quiz = _get_quiz_for_teacher(request, pk)
    copy = authoring.quiz_duplicate(quiz=quiz, owner=request.user)
    messages.success(
        request,
        _("“%(title)s” is a copy: rename it, change its questions, publish it.")
        % {"title": copy.title},
    )
    return redirect(_admin_change_url(copy))


# A quiz made from an article and assigned: what next


@require_GET
@teacher_required
def assignment_made(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz just made and assigned: its questions, and links to fine-tune and preview it."""
    _permission_check(request, "quiz", change=False)
    assignments = Assignment.objects.select_related("classroom", "quiz").filter(
        quiz__in=Quiz.objects.owned_by(request.user)
    )
    assignment = taught_or_404(request, assignments, pk)
    quiz = assignment.quiz
    context = _admin_context(request, quiz, _("“%(title)s” is assigned") % {"title": quiz.title})
    context |= {
        "assignment": assignment,
        "items": list(quiz.items.select_related("question").order_by("position", "pk")),
    }
    return render(request, "quiz/authoring/assigned.html", context)


# The builder


def _builder_context(
    request: HttpRequest,
    quiz: Quiz,
    *,
    filters,
    message: str = "",
    focus: tuple[int, str] | None = None,
) -> dict:
    filter_form = QuizBuilderFilterForm(
        filters if any(key.startswith("builder-") for key in filters) else None,
        user=request.user,
    )
    items = list(quiz.items.select_related("question__article").order_by("position", "pk"))
    for index, item in enumerate(items):
        item.focus_button = None
        if focus and focus[0] == item.pk:
            # Keep the keyboard on the button just used, or on the other one when the
            # question reached the top or the bottom and that button is disabled.
            direction = focus[1]
            if direction == "up" and index == 0:
                direction = "down"
            elif direction == "down" and index == len(items) - 1:
                direction = "up"
            item.focus_button = direction if len(items) > 1 else None
    candidates = filter_form.apply(
        Question.objects.owned_by(request.user).exclude(quiz_items__quiz=quiz)
    ).select_related("article")
    shown = list(
        candidates.order_by("article__title", "focus_start", "kind", "pk")[: BUILDER_CANDIDATES + 1]
    )
    return {
        "quiz": quiz,
        "items": items,
        "filter_form": filter_form,
        "filters": filter_form.as_hidden_inputs(),
        "candidates": shown[:BUILDER_CANDIDATES],
        "more_candidates": len(shown) > BUILDER_CANDIDATES,
        "message": message,
        "focus": focus,
        "can_change": request.user.has_perm("quiz.change_quiz"),
    }


def _builder_render(
    request: HttpRequest, quiz: Quiz, *, filters, status: int = 200, **extra
) -> HttpResponse:
    """The builder alone for htmx, else its whole page."""
    context = {"builder": _builder_context(request, quiz, filters=filters, **extra)}
    if request.htmx:
        return render(request, "quiz/authoring/builder.html#builder", context, status=status)
    context |= _admin_context(request, quiz, quiz.title)
    return render(request, "quiz/authoring/builder.html", context, status=status)


def _builder_url(request: HttpRequest, quiz: Quiz) -> str:
    """The builder's page with the filters the teacher had chosen."""
    filters = QuizBuilderFilterForm(request.POST, user=request.user).as_hidden_inputs()
    query = urlencode(filters)
    return reverse("quiz:builder", args=[quiz.pk]) + (f"?{query}" if query else "")


def _builder_done(request: HttpRequest, quiz: Quiz, message: str, **extra) -> HttpResponse:
    if request.htmx:
        return _builder_render(request, quiz, filters=request.POST, message=message, **extra)
    messages.success(request, message)
    return redirect(_builder_url(request, quiz) + "#quiz-builder")


def _builder_refuse(request: HttpRequest, quiz: Quiz, message: str) -> HttpResponse:
    if request.htmx:
        return _builder_render(request, quiz, filters=request.POST, status=400, message=message)
    messages.error(request, message)
    return redirect(_builder_url(request, quiz) + "#quiz-builder")


@require_GET
@teacher_required
def builder(request: HttpRequest, pk: int) -> HttpResponse:
    """The quiz's questions, and the teacher's others to add, narrowed by the filters."""
    quiz = _get_quiz_for_teacher(request, pk)
    return _builder_render(request, quiz, filters=request.GET)


@require_POST
@teacher_required
def builder_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Append the ticked questions to the quiz."""
    quiz = _get_quiz_for_teacher(request, pk, change=True)
    ids = []
    for value in request.POST.getlist("question"):
        question_id = id_parse(value)
        if question_id is not None and question_id not in ids:
            ids.append(question_id)
    found = Question.objects.owned_by(request.user).in_bulk(ids)
    questions = [found[pk] for pk in ids if pk in found]
    if not questions:
        return _builder_refuse(request, quiz, _("Tick the questions to add first."))
    added = authoring.quiz_questions_add(quiz=quiz, questions=questions)
    return _builder_done(
        request,
        quiz,
        ngettext("%(count)d question added.", "%(count)d questions added.", added)
        % {"count": added},
    )


@require_POST
@teacher_required
def builder_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Move a question one place up or down."""
    quiz = _get_quiz_for_teacher(request, pk, change=True)
    item = _get_item_in_quiz(quiz, item_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return _builder_refuse(request, quiz, _("Say which way to move the question: up or down."))
    try:
        authoring.quiz_question_move(item=item, offset=-1 if direction == "up" else 1)
    except ValidationError as error:
        raise Http404 from error
    item.refresh_from_db(fields=["position"])
    return _builder_done(
        request,
        quiz,
        _("Question moved to position %(position)d.") % {"position": item.position},
        focus=(item.pk, direction),
    )


@require_POST
@teacher_required
def builder_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Take a question out of the quiz (the question itself stays)."""
    quiz = _get_quiz_for_teacher(request, pk, change=True)
    item = _get_item_in_quiz(quiz, item_id)
    try:
        authoring.quiz_question_remove(item=item)
    except ValidationError as error:
        raise Http404 from error
    return _builder_done(
        request, quiz, _("Removed from the quiz: %(question)s") % {"question": item.question}
    )


# Preview as a student: the student's stage, graded the same way, kept in the session only.


def _preview_answers(request: HttpRequest, quiz: Quiz) -> dict[str, dict]:
    return dict(request.session.get(PREVIEW_SESSION_KEY, {}).get(str(quiz.pk), {}))


def _preview_store(request: HttpRequest, quiz: Quiz, answers: dict | None) -> None:
    previews = dict(request.session.get(PREVIEW_SESSION_KEY, {}))
    if answers is None:
        previews.pop(str(quiz.pk), None)
    else:
        previews[str(quiz.pk)] = answers
    request.session[PREVIEW_SESSION_KEY] = previews


def _preview_response(question_id: int, stored: dict) -> Response:
    """An answer given in the preview, as an unsaved response the stage and review show."""
    return Response(
        question_id=question_id,
        choice_id=stored.get("choice"),
        selected_start=stored.get("start"),
        selected_end=stored.get("end"),
        is_correct=stored["correct"],
        points=stored["points"],
    )


def _preview_responses(answers: dict[str, dict]) -> dict[int, Response]:
    return {int(key): _preview_response(int(key), stored) for key, stored in answers.items()}


def _preview_links(quiz: Quiz) -> stage.StageLinks:
    return stage.routed_links(
        "quiz:preview", quiz.pk, quiz=_admin_change_url(quiz), finish="quiz:preview_finish"
    )


def _preview_stage(
    request: HttpRequest,
    quiz: Quiz,
    question: Question,
    *,
    ids: list[int],
    choices: list[Choice],
    responses: dict[int, Response],
    next_id: int | None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    answered = len(responses.keys() & set(ids))
    # A stand-in for the student's attempt, never saved: it only tells the stage how far the
    # preview has got and that answers are revealed after each question.
    attempt = Attempt(
        assignment=Assignment(quiz=quiz, reveal=Assignment.Reveal.AFTER_EACH),
        student=request.user,
        answered=answered,
    )
    context = stage.stage_context(
        attempt=attempt,
        question=question,
        ids=ids,
        choices=choices,
        response=responses.get(question.pk),
        answered_count=answered,
        next_id=next_id,
        links=_preview_links(quiz),
        error=error,
    )
    context["preview"] = {
        "quiz": quiz,
        "change_url": _admin_change_url(quiz),
        "restart_url": reverse("quiz:preview_restart", args=[quiz.pk]),
    }
    return stage.stage_render(request, context, status, page="quiz/preview/take.html")


def _preview_record(
    question: Question, answer: Answer, choices: list[Choice], answers: dict[str, dict]
) -> tuple[str, int]:
    """Grade the answer into `answers`; return an error and its status, if any."""
    stored = answers.get(str(question.pk))
    if stored is not None:
        if answer.matches(_preview_response(question.pk, stored)):
            return "", 200
        return _("You have already answered this question; your first answer stands."), 409
    try:
        choice, is_correct = answer_grade(question=question, answer=answer, choices=choices)
    except ValidationError as refusal:
        return " ".join(refusal.messages), 400
    answers[str(question.pk)] = {
        "choice": choice.pk if choice else None,
        "start": answer.start if choice is None else None,
        "end": answer.end if choice is None else None,
        "correct": is_correct,
        "points": question.points_for(is_correct),
    }
    return "", 200


@require_GET
@teacher_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or carry on previewing: go to the first question not yet answered."""
    quiz = _get_quiz_for_teacher(request, pk)
    ids = selectors.quiz_question_ids(quiz_id=quiz.pk)
    if not ids:
        messages.info(request, _("Add questions to the quiz to preview it."))
        return redirect("quiz:builder", pk=quiz.pk)
    answers = _preview_answers(request, quiz)
    pending = [qid for qid in ids if str(qid) not in answers]
    return redirect("quiz:preview_question", pk=quiz.pk, question_id=(pending or ids)[0])


@require_GET
@teacher_required
def preview_question(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question of the preview, exactly as a student sees it."""
    quiz, question, ids = _get_preview_question(request, pk, question_id)
    responses = _preview_responses(_preview_answers(request, quiz))
    return _preview_stage(
        request,
        quiz,
        question,
        ids=ids,
        choices=_choices_of(question),
        responses=responses,
        next_id=stage.next_unanswered(ids, question.pk, responses),
    )


@require_POST
@teacher_required
def preview_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Grade an answer as a student's would be, and keep it in the session only."""
    quiz, question, ids = _get_preview_question(request, pk, question_id)
    choices = _choices_of(question)
    answers = _preview_answers(request, quiz)
    error, status = _preview_record(question, stage.answer_parse(request), choices, answers)
    if not error:
        _preview_store(request, quiz, answers)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("quiz:preview_question", pk=quiz.pk, question_id=question.pk)
    return _preview_stage(
        request,
        quiz,
        question,
        ids=ids,
        choices=choices,
        responses=_preview_responses(answers),
        next_id=stage.next_in_order(ids, question.pk),
        error=error,
        status=status,
    )


@require_POST
@teacher_required
def preview_finish(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the preview's score and answers, as a student's results, then forget them."""
    quiz = _get_quiz_for_teacher(request, pk)
    responses = _preview_responses(_preview_answers(request, quiz))
    review = selectors.quiz_review(quiz_id=quiz.pk, responses=responses)
    _preview_store(request, quiz, None)
    return render(
        request,
        "quiz/preview/results.html",
        {
            "quiz": quiz,
            "review": review,
            "score": sum(item["response"].points for item in review if item["response"]),
            "max_score": sum(item["question"].points for item in review),
            "change_url": _admin_change_url(quiz),
            "preview_url": reverse("quiz:preview", args=[quiz.pk]),
        },
    )


@require_POST
@teacher_required
def preview_restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Forget this preview's answers and start again."""
    quiz = _get_quiz_for_teacher(request, pk)
    _preview_store(request, quiz, None)
    return redirect("quiz:preview", pk=quiz.pk)


# Regrading


def regrade_summary(counts: authoring.RegradeCounts) -> str:
    """How many stored responses there are, and how many are right before and after."""
    return ngettext(
        "%(responses)d response: %(before)d right → %(after)d right.",
        "%(responses)d responses: %(before)d right → %(after)d right.",
        counts.responses,
    ) % {"responses": counts.responses, "before": counts.right_before, "after": counts.right_after}


def score_change_text(change: authoring.ScoreChange) -> str:
    """How many students gain or lose how many points, as "3 students gain 1 point"."""
    size = abs(change.points)
    points = ngettext("%(count)d point", "%(count)d points", size) % {"count": size}
    if change.points > 0:
        text = ngettext(
            "%(students)d student gains %(points)s",
            "%(students)d students gain %(points)s",
            change.students,
        )
    else:
        text = ngettext(
            "%(students)d student loses %(points)s",
            "%(students)d students lose %(points)s",
            change.students,
        )
    return text % {"students": change.students, "points": points}


@require_http_methods(["GET", "POST"])
@teacher_required
def question_regrade(request: HttpRequest, pk: int) -> HttpResponse:
    """Show what a regrade would change (GET) and do it (POST)."""
    question = _get_question_for_teacher(request, pk, change=request.method == "POST")
    if request.method == "POST":
        counts = authoring.question_regrade(question=question)
        if counts.needed:
            messages.success(
                request,
                _("Regraded: %(summary)s The scores of %(attempts)d attempt(s) were updated.")
                % {"summary": regrade_summary(counts), "attempts": counts.attempts},
            )
        else:
            messages.info(
                request,
                _("Nothing to regrade: every stored response is graded as it would be now."),
            )
        return redirect(_admin_change_url(question))
    counts = authoring.question_regrade_counts(question=question)
    changes = authoring.question_regrade_changes(question=question)
    context = _admin_context(request, question, _("Regrade the responses to this question"))
    context |= {
        "counts": counts,
        "summary": regrade_summary(counts),
        "score_changes": [score_change_text(change) for change in changes],
        "can_change": request.user.has_perm("quiz.change_question"),
    }
    return render(request, "quiz/authoring/regrade.html", context)
