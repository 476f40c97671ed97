"""What students see: joining, their classes and assignments, one question at a time."""

from math import ceil

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage

from accounts.roles import is_teacher
from accounts.timezones import time_zone_remember
from quiz import selectors, services
from quiz.forms import JoinForm, SignupJoinForm
from quiz.models import Assignment, Attempt, Classroom
from quiz.services import Refusal
from quiz.views import stage
from quiz.views.access import student_work_in_class


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


def _get_attempt_to_continue(request: HttpRequest, pk: int) -> Attempt:
    """The student's attempt, while they are still in its class (removed: 404)."""
    return student_work_in_class(request, Attempt, pk)


@require_GET
def my_classes(request: HttpRequest) -> HttpResponse:
    classrooms = selectors.student_classrooms(student=request.user)
    practice = selectors.boosters_due_for(student=request.user)
    for booster in practice:
        # The time the questions still to answer take, in whole minutes: never "about 0".
        booster.left = booster.item_count - booster.answered_count
        booster.minutes = max(1, ceil(booster.left * selectors.BOOSTER_MINUTES_PER_ITEM))
    tests = selectors.studies_due_for(student=request.user)
    for sitting in tests:
        sitting.left = sitting.item_count - sitting.answered_count
    return render(
        request,
        "quiz/my_classes.html",
        {
            "classrooms": classrooms,
            "practice": practice,
            "tests": tests,
            "join_form": JoinForm(),
        },
    )


# Wrong guesses at /join/ (a code no open class has, a username that is taken), counted per
# address and per person; the rates are settings.JOIN_GUESS_RATE_PER_*.
_JOIN_CODE_ERRORS = {"invalid", "unknown"}
_JOIN_GUESS_ERRORS = {"unknown", "username_taken"}


def _join_session_key(group: str, request: HttpRequest) -> str:
    return request.session.session_key


def _join_guess_counters(request: HttpRequest) -> list[dict]:
    """The django-ratelimit counters a wrong guess from this request adds to."""
    counters = [
        {"group": "join-address", "key": "ip", "rate": settings.JOIN_GUESS_RATE_PER_ADDRESS}
    ]
    if request.user.is_authenticated:
        counters.append(
            {"group": "join-user", "key": "user", "rate": settings.JOIN_GUESS_RATE_PER_PERSON}
        )
    if request.session.session_key:
        counters.append(
            {
                "group": "join-session",
                "key": _join_session_key,
                "rate": settings.JOIN_GUESS_RATE_PER_PERSON,
            }
        )
    return counters


def _join_wait_seconds(request: HttpRequest) -> int:
    """Seconds until this client may guess again; 0 while it has guesses left."""
    wait = 0
    for counter in _join_guess_counters(request):
        usage = get_usage(request, **counter, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


def _join_guess_count(request: HttpRequest) -> None:
    for counter in _join_guess_counters(request):
        get_usage(request, **counter, increment=True)


@require_http_methods(["GET", "POST"])
@login_not_required
def join(request: HttpRequest) -> HttpResponse:
    """Join a class with its code; people without an account create one here, no email."""
    signed_in = request.user.is_authenticated
    form_class = JoinForm if signed_in else SignupJoinForm
    if request.method == "POST" and (wait := _join_wait_seconds(request)):
        # Too many wrong guesses: nothing is looked up or stored; the form is shown again.
        form = form_class(initial={"code": request.POST.get("code", "")[:20]})
        response = render(
            request,
            "quiz/join.html",
            {"form": form, "signed_in": signed_in, "throttled": True},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
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
                    # Due times read as the new class's teacher set them (unless chosen).
                    time_zone_remember(request, selectors.user_time_zone(user=request.user))
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
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome! You joined %(name)s. Remember your username: %(username)s.")
                    % {"name": classroom, "username": user.get_username()},
                )
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in _JOIN_GUESS_ERRORS:
                _join_guess_count(request)
            field = (
                "code"
                if code in _JOIN_CODE_ERRORS
                else "username"
                if code == "username_taken"
                else None
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
    counted = selectors.student_counted_attempts(classroom=classroom, student=request.user, now=now)
    extensions = selectors.extensions_in_class(classroom=classroom, student=request.user)
    for assignment in assignments:
        # The attempt the gradebook counts; its score only once the answers may be shown
        # (after the student's own due time, when they have more time).
        assignment.counted = counted.get(assignment.pk)
        assignment.score_shown = assignment.counted is not None and assignment.reveals_for(
            assignment.counted, now, extensions.get(assignment.pk)
        )
    return render(
        request, "quiz/classroom.html", {"classroom": classroom, "assignments": assignments}
    )


@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_student(request, pk)
    my_attempts = selectors.assignment_attempts(assignment=assignment, student=request.user)
    return render(
        request,
        "quiz/assignment.html",
        {
            "assignment": assignment,
            "standing": my_attempts,
            "attempts": my_attempts.attempts,
            "unfinished": my_attempts.unfinished,
            "can_start": my_attempts.can_start,
            "attempts_left": my_attempts.left,
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
    attempt = _get_attempt_to_continue(request, pk)
    if attempt.is_finished:
        return redirect("quiz:results", pk=attempt.pk)
    ids = selectors.attempt_question_order(
        attempt, selectors.quiz_question_ids(quiz_id=attempt.assignment.quiz_id)
    )
    answered = set(selectors.attempt_responses(attempt=attempt))
    pending = [qid for qid in ids if qid not in answered]
    if not pending:
        if ids:
            return redirect("quiz:question", pk=attempt.pk, question_id=ids[-1])
        messages.info(request, _("This quiz has no questions yet."))
        return redirect(attempt.assignment.get_absolute_url())
    return redirect("quiz:question", pk=attempt.pk, question_id=pending[0])


# Students: one question at a time


@require_GET
def question_detail(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    attempt = _get_attempt_to_continue(request, pk)
    if attempt.is_finished:
        return redirect("quiz:results", pk=attempt.pk)
    shown = selectors.attempt_question(attempt=attempt, question_id=question_id)
    if shown is None:
        raise Http404
    ids = selectors.attempt_question_order(attempt, shown.question_ids)
    context = stage.stage_context(
        attempt=attempt,
        question=shown.question,
        ids=ids,
        choices=selectors.attempt_choice_order(attempt, question_id, shown.choices),
        response=shown.responses.get(question_id),
        answered_count=len(shown.responses),
        next_id=stage.next_unanswered(ids, question_id, shown.responses),
        links=stage.attempt_links(attempt),
    )
    return stage.stage_render(request, context)


@require_POST
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Record an answer. htmx gets the feedback in place; a plain form post is redirected."""
    submission = services.response_submit(
        attempt_id=pk,
        student=request.user,
        question_id=question_id,
        answer=stage.answer_parse(request),
    )
    if submission.refusal == Refusal.NOT_FOUND:
        raise Http404
    attempt, question = submission.attempt, submission.question
    if not request.htmx:
        if submission.message:
            messages.error(request, submission.message)
            if attempt.is_finished:
                return redirect("quiz:results", pk=attempt.pk)
        return redirect("quiz:question", pk=attempt.pk, question_id=question.pk)
    # The service keeps the quiz's order; the student goes on in their own.
    ids = selectors.attempt_question_order(attempt, submission.question_ids)
    context = stage.stage_context(
        attempt=attempt,
        question=question,
        ids=ids,
        choices=selectors.attempt_choice_order(attempt, question.pk, submission.choices),
        response=submission.response,
        answered_count=attempt.answered,
        next_id=stage.next_in_order(ids, question.pk),
        links=stage.attempt_links(attempt),
        error=submission.message,
    )
    return stage.stage_render(request, context, status=stage.refusal_status(submission.refusal))


@require_POST
def attempt_finish(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_student(request, pk)
    services.attempt_finish(attempt=attempt)
    return redirect("quiz:results", pk=attempt.pk)


def _review_in_attempt_order(attempt: Attempt) -> list[dict]:
    """The attempt's review, numbered as the student met the questions."""
    review = selectors.attempt_review(attempt=attempt)
    ids = selectors.attempt_question_order(attempt, [item["question"].pk for item in review])
    place = {question_id: index for index, question_id in enumerate(ids)}
    return sorted(review, key=lambda item: place[item["question"].pk])


@require_GET
def attempt_results(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_student(request, pk)
    assignment = attempt.assignment
    # What next: whether a new attempt may be started, by the assignment page's rule.
    my_attempts = selectors.assignment_attempts(assignment=assignment, student=request.user)
    revealed = assignment.reveals_for(attempt, extension=my_attempts.extension)
    return render(
        request,
        "quiz/results.html",
        {
            "attempt": attempt,
            "assignment": assignment,
            "my_attempts": my_attempts,
            "revealed": revealed,
            "breakdown": selectors.attempt_skill_breakdown(attempt=attempt) if revealed else [],
            "review": _review_in_attempt_order(attempt) if revealed else [],
        },
    )


# Students: their own data


def data_export_response(data: dict, *, username: str) -> HttpResponse:
    """Wrap a student's data in a JSON download that no cache keeps."""
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"sourcewise-data-{slugify(username) or 'student'}-{timezone.localdate()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
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
