"""What teachers see under /teach/: their classes, rosters, assignments and scores.

Every view is for teachers only, and every object is loaded through a helper that filters by
the classes the teacher teaches, so anything else is a 404 and its existence does not leak.
"""

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from quiz import charts, selectors, services
from quiz.forms import (
    AssignmentForm,
    ClassroomForm,
    ExtensionForm,
    ReopenForm,
    RosterImportForm,
    StudentAddForm,
    form_submit,
    service_errors_add,
)
from quiz.models import Assignment, Attempt, Classroom, Skill
from quiz.views.access import classroom_for_teacher, taught_or_404, teacher_required
from quiz.views.paging import page_links, page_number
from quiz.views.student import data_export_response

# Loading what the teacher may see


def _get_assignment_for_teacher(request: HttpRequest, pk: int) -> Assignment:
    return taught_or_404(request, Assignment.objects.select_related("quiz", "classroom"), pk)


def _get_student_in_classroom(classroom: Classroom, pk: int):
    return get_object_or_404(get_user_model(), pk=pk, enrollments__classroom=classroom)


def _get_attempt_for_teacher(request: HttpRequest, pk: int) -> Attempt:
    attempts = Attempt.objects.select_related(
        "student", "assignment__quiz", "assignment__classroom"
    ).filter(student__enrollments__classroom=F("assignment__classroom"))
    return taught_or_404(request, attempts, pk, through="assignment__classroom")


def _class_page(
    request: HttpRequest,
    template: str,
    classroom: Classroom,
    section: str,
    status: int = 200,
    **context,
) -> HttpResponse:
    """A page of one class: the class and the section its navigation marks as current."""
    context |= {"classroom": classroom, "section": section}
    return render(request, template, context, status=status)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Keep a page that shows passwords out of every cache and the browser's history."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


# Dashboard and classes


# Actions that cannot be taken back ask first: a page of their own without JavaScript, the
# browser's confirm dialog with it (htmx sends `confirmed` once the teacher has said yes).
CONFIRMED = "confirmed"


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRMED) == "1"


def _confirm_page(
    request: HttpRequest,
    classroom: Classroom,
    section: str,
    *,
    warning: tuple[str, str],
    button: str,
    cancel: str,
) -> HttpResponse:
    """Ask before doing what this post does: the `warning`'s question and consequence."""
    question, consequence = warning
    return _class_page(
        request,
        "quiz/teach/confirm.html",
        classroom,
        section,
        question=question,
        consequence=consequence,
        action=request.path,
        button=button,
        cancel=cancel,
    )


def _roster_confirm_page(
    request: HttpRequest, classroom: Classroom, warning: tuple[str, str], button: str
) -> HttpResponse:
    """Ask before an action on a student of the roster; Cancel goes back to the roster."""
    cancel = reverse("quiz:teach_roster", args=[classroom.pk])
    return _confirm_page(
        request, classroom, "roster", warning=warning, button=button, cancel=cancel
    )


def _student_name(student) -> str:
    return student.get_full_name() or student.get_username()


def _remove_warning(classroom: Classroom, student) -> tuple[str, str]:
    """The question and the consequence of removing a student from the class."""
    return (
        _("Remove %(name)s from %(class)s?")
        % {"name": _student_name(student), "class": classroom.name},
        _(
            "They leave the class and its gradebook. Their account and answers are kept; they "
            "can join again with the class code."
        ),
    )


def _password_warning(student) -> tuple[str, str]:
    """The question and the consequence of giving a student a new password."""
    return (
        _("Give %(name)s a new password?") % {"name": _student_name(student)},
        _(
            "Their current password stops working at once. The new one is shown once, on a "
            "login card to print or copy."
        ),
    )


def _close_warning(assignment: Assignment, unfinished: int) -> tuple[str, str]:
    """The question and the consequence of closing the assignment now."""
    consequence = _("No more answers are accepted.")
    if unfinished:
        consequence += " " + ngettext(
            "%(count)d unfinished attempt will be handed in as it stands.",
            "%(count)d unfinished attempts will be handed in as they stand.",
            unfinished,
        ) % {"count": unfinished}
    return (_("Close “%(quiz)s” now?") % {"quiz": assignment.quiz.title}, consequence)


def _confirm_text(warning: tuple[str, str]) -> str:
    """The warning as one line, for the browser's confirm dialog."""
    return " ".join(warning)


@require_GET
@teacher_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "quiz/teach/dashboard.html",
        {
            "classrooms": selectors.teacher_classrooms(teacher=request.user),
            "open_assignments": selectors.teacher_open_assignments(teacher=request.user),
            "recent": selectors.teacher_recent_activity(teacher=request.user),
            "form": ClassroomForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def classroom_create(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        classroom = form_submit(form, services.classroom_create, teacher=request.user)
        if classroom is not None:
            messages.success(
                request,
                _("Class “%(name)s” created. Its join code is %(code)s.")
                % {"name": classroom.name, "code": classroom.join_code},
            )
            return redirect("quiz:teach_classroom", pk=classroom.pk)
    return render(request, "quiz/teach/classroom_form.html", {"form": form})


def _classroom_page(
    request: HttpRequest, classroom: Classroom, form: ClassroomForm | None = None
) -> HttpResponse:
    form = form or ClassroomForm(
        initial={
            "name": classroom.name,
            "score_policy": classroom.score_policy,
            "not_handed_in": classroom.not_handed_in,
        }
    )
    now = timezone.now()
    assignments = list(selectors.class_assignments(classroom=classroom, now=now))
    for assignment in assignments:
        assignment.state = _assignment_state(assignment, now)
    return _class_page(
        request,
        "quiz/teach/classroom.html",
        classroom,
        "overview",
        assignments=assignments,
        student_count=classroom.enrollments.count(),
        form=form,
    )


@require_GET
@teacher_required
def classroom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _classroom_page(request, classroom_for_teacher(request, pk))


@require_POST
@teacher_required
def classroom_update(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    form = ClassroomForm(request.POST)
    if form_submit(form, services.classroom_update, classroom=classroom):
        messages.success(request, _("Class settings saved."))
        return redirect("quiz:teach_classroom", pk=classroom.pk)
    classroom.refresh_from_db()
    return _classroom_page(request, classroom, form)


JOIN_CODE_ACTIONS = {
    "regenerate": (
        services.join_code_regenerate,
        gettext_lazy("New join code: the old one no longer works."),
    ),
    "close": (
        services.join_code_close,
        gettext_lazy("Joining is closed: the code no longer works."),
    ),
    "open": (services.join_code_open, gettext_lazy("Joining is open again with the code.")),
}


@require_POST
@teacher_required
def join_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Regenerate, close or reopen the class's join code."""
    classroom = classroom_for_teacher(request, pk)
    action = JOIN_CODE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        # Only a hand-made request gets here: the page's buttons always send an action.
        return HttpResponseBadRequest(_("Choose what to do with the join code."))
    service, notice = action[0], str(action[1])
    failed = False
    try:
        service(classroom=classroom)
    except ValidationError as error:
        notice, failed = " ".join(error.messages), True
        classroom.refresh_from_db()
    if request.htmx:
        # 200 either way: htmx swaps only successful responses, and a refusal must show.
        return render(
            request,
            "quiz/teach/classroom.html#join-code",
            {"classroom": classroom, "notice": notice, "failed": failed},
        )
    (messages.error if failed else messages.success)(request, notice)
    return redirect("quiz:teach_classroom", pk=classroom.pk)


# Roster


def _roster_page(request: HttpRequest, classroom: Classroom, add_form) -> HttpResponse:
    students = list(selectors.roster(classroom=classroom))
    for student in students:
        student.remove_warning = _confirm_text(_remove_warning(classroom, student))
        student.password_warning = _confirm_text(_password_warning(student))
    return _class_page(
        request,
        "quiz/teach/roster.html",
        classroom,
        "roster",
        students=students,
        form=add_form,
    )


@require_GET
@teacher_required
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    return _roster_page(request, classroom, StudentAddForm())


@require_POST
@teacher_required
def student_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Create one student's account and show its login card once, or the form's errors."""
    classroom = classroom_for_teacher(request, pk)
    form = StudentAddForm(request.POST)
    card = form_submit(form, services.student_add, classroom=classroom)
    if card is not None:
        # The password goes straight into this response and nowhere else.
        response = _class_page(
            request,
            "quiz/teach/login_cards.html",
            classroom,
            "roster",
            cards=[card],
            login_url=request.build_absolute_uri(reverse("login")),
        )
        return _no_store(response)
    return _roster_page(request, classroom, form)


@require_POST
@teacher_required
def student_remove(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    student = _get_student_in_classroom(classroom, student_pk)
    if not _confirmed(request):
        warning = _remove_warning(classroom, student)
        return _roster_confirm_page(request, classroom, warning, _("Remove from the class"))
    services.enrollment_remove(classroom=classroom, student=student)
    messages.success(
        request,
        _(
            "%(name)s is no longer in %(class)s. Their account and answers are kept; they can "
            "join again with the class code."
        )
        % {"name": student.get_full_name() or student.get_username(), "class": classroom.name},
    )
    return redirect("quiz:teach_roster", pk=classroom.pk)


@require_POST
@teacher_required
def student_password_reset(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Set a new password and show it on this one response; it is stored only as a hash."""
    classroom = classroom_for_teacher(request, pk)
    student = _get_student_in_classroom(classroom, student_pk)
    if not _confirmed(request):
        warning = _password_warning(student)
        return _roster_confirm_page(request, classroom, warning, _("Set a new password"))
    try:
        password = services.student_password_reset(classroom=classroom, student=student)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quiz:teach_roster", pk=classroom.pk)
    response = _class_page(
        request,
        "quiz/teach/login_cards.html",
        classroom,
        "roster",
        cards=[(student, password)],
        login_url=request.build_absolute_uri(reverse("login")),
        reset=True,
    )
    return _no_store(response)


@require_http_methods(["GET", "POST"])
@teacher_required
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Create accounts from a class list and print their login cards, or change nothing."""
    classroom = classroom_for_teacher(request, pk)
    form = RosterImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        upload_too_large=getattr(request, "upload_too_large", False),
        max_bytes=services.ROSTER_MAX_BYTES,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.roster_import(
                classroom=classroom, data=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            # The passwords go straight into this response and nowhere else.
            response = _class_page(
                request,
                "quiz/teach/login_cards.html",
                classroom,
                "roster",
                cards=result.created,
                login_url=request.build_absolute_uri(reverse("login")),
                skipped=result.skipped,
                empty_lines=result.empty_lines,
            )
            return _no_store(response)
    return _class_page(
        request,
        "quiz/teach/roster_import.html",
        classroom,
        "roster",
        form=form,
        max_students=services.ROSTER_MAX_STUDENTS,
    )


# Assignments


def _assignment_state(assignment: Assignment, now) -> str:
    if assignment.is_closed(now):
        return "closed"
    if assignment.opens_at > now:
        return "upcoming"
    return "open"


def _assignment_form_page(
    request: HttpRequest, classroom: Classroom, form, assignment=None
) -> HttpResponse:
    return _class_page(
        request,
        "quiz/teach/assignment_form.html",
        classroom,
        "overview",
        assignment=assignment,
        form=form,
        time_zone=timezone.get_current_timezone_name(),
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    form = AssignmentForm.for_new(
        request.POST if request.method == "POST" else None, teacher=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                classroom=classroom,
                teacher=request.user,
                terms=services.AssignmentTerms(**form.cleaned_data),
            )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            messages.success(
                request,
                _("“%(quiz)s” is assigned to %(class)s.")
                % {"quiz": assignment.quiz.title, "class": classroom.name},
            )
            return redirect("quiz:teach_assignment", pk=assignment.pk)
    return _assignment_form_page(request, classroom, form)


@require_http_methods(["GET", "POST"])
@teacher_required
def assignment_update(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        teacher=request.user,
        current_quiz=assignment.quiz,
        initial={
            "quiz": assignment.quiz_id,
            "opens_at": assignment.opens_at,
            "due_at": assignment.due_at,
            "attempts_allowed": assignment.attempts_allowed,
            "reveal": assignment.reveal,
            "shuffle_questions": assignment.shuffle_questions,
            "shuffle_choices": assignment.shuffle_choices,
            "boosters": assignment.boosters,
            "booster_days": assignment.booster_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_update(
                assignment=assignment,
                teacher=request.user,
                terms=services.AssignmentTerms(**form.cleaned_data),
            )
        except ValidationError as error:
            service_errors_add(form, error)
            assignment.refresh_from_db()
        else:
            messages.success(request, _("Assignment saved."))
            return redirect("quiz:teach_assignment", pk=assignment.pk)
    return _assignment_form_page(request, assignment.classroom, form, assignment)


@require_GET
@teacher_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    bands = selectors.score_distribution(assignment=assignment)
    state = _assignment_state(assignment, timezone.now())
    close_warning = ""
    if state != "closed":
        unfinished = selectors.unfinished_attempts_count(assignment=assignment)
        close_warning = _confirm_text(_close_warning(assignment, unfinished))
    return _class_page(
        request,
        "quiz/teach/assignment.html",
        assignment.classroom,
        "overview",
        assignment=assignment,
        state=state,
        bands=bands,
        chart=charts.distribution_chart(
            chart_id=f"distribution-{assignment.pk}",
            title=_("Score distribution: %(quiz)s") % {"quiz": assignment.quiz.title},
            bands=bands,
        ),
        reopen_form=ReopenForm(),
        close_warning=close_warning,
    )


@require_POST
@teacher_required
def assignment_close(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    if not _confirmed(request):
        unfinished = selectors.unfinished_attempts_count(assignment=assignment)
        return _confirm_page(
            request,
            assignment.classroom,
            "overview",
            warning=_close_warning(assignment, unfinished),
            button=_("Close now"),
            cancel=reverse("quiz:teach_assignment", args=[assignment.pk]),
        )
    try:
        services.assignment_close(assignment=assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Closed. No more answers are accepted; unfinished attempts now count as handed in."),
        )
    return redirect("quiz:teach_assignment", pk=assignment.pk)


@require_POST
@teacher_required
def assignment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("quiz:teach_assignment", pk=assignment.pk)
    try:
        services.assignment_reopen(assignment=assignment, due_at=form.cleaned_data["due_at"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Open again. Students can carry on and start attempts."))
    return redirect("quiz:teach_assignment", pk=assignment.pk)


@require_GET
@teacher_required
def item_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    return _class_page(
        request,
        "quiz/teach/items.html",
        assignment.classroom,
        "overview",
        assignment=assignment,
        analysis=selectors.item_analysis(assignment=assignment),
    )


@require_GET
@teacher_required
def live_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is where, refreshed by htmx polling until the assignment closes."""
    assignment = _get_assignment_for_teacher(request, pk)
    now = timezone.now()
    polling = _assignment_state(assignment, now) != "closed"
    context = {
        "assignment": assignment,
        "classroom": assignment.classroom,
        "progress": selectors.live_progress(assignment=assignment, now=now),
        "polling": polling,
        "updated_at": now,
        "section": "overview",
    }
    if request.htmx:
        html = render_to_string("quiz/teach/progress.html#progress", context, request=request)
        # 286 tells htmx to stop polling; the region it swaps in has no trigger either.
        return HttpResponse(html) if polling else HttpResponseStopPolling(html)
    return render(request, "quiz/teach/progress.html", context)


# Gradebook, mastery, students


@require_GET
@teacher_required
def gradebook(request: HttpRequest, pk: int) -> HttpResponse:
    """Students × assignments, a page at a time; sorting and paging swap only the table (htmx)."""
    classroom = classroom_for_teacher(request, pk)
    book = selectors.gradebook(
        classroom=classroom, sort=request.GET.get("sort", "name"), page=page_number(request)
    )
    context = {
        "classroom": classroom,
        "book": book,
        "name_sort": _sort_link(book, "name"),
        "overall_sort": _sort_link(book, "overall"),
        "columns": [(a, _sort_link(book, f"a{a.pk}")) for a in book.assignments],
        "pagination": page_links(book.page, {"sort": book.sort}),
        "section": "gradebook",
    }
    template = "quiz/teach/gradebook.html"
    if request.htmx:
        template += "#gradebook"
    return render(request, template, context)


def _sort_link(book: selectors.Gradebook, key: str) -> dict:
    """What a column's sort link asks for, and how the column is sorted now (for aria-sort).

    The link keeps the page the teacher is on.
    """
    current, descending = book.sort.removeprefix("-"), book.sort.startswith("-")
    if key == current:
        sort = key if descending else f"-{key}"
        aria = "descending" if descending else "ascending"
    else:
        # Names read A to Z first; scores highest first.
        sort, aria = (key if key == "name" else f"-{key}"), ""
    return {
        "key": key,
        "sort": sort,
        "aria": aria,
        "query": urlencode({"sort": sort, "page": book.page.number}),
    }


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise text a spreadsheet would run as a formula, by starting it with '."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def _percent_cell(percent: float | None):
    return "" if percent is None else round(percent, 1)


@require_GET
@teacher_required
def gradebook_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The gradebook as CSV: UTF-8 with a BOM so Excel reads accents, formulas neutralised."""
    classroom = classroom_for_teacher(request, pk)
    # Every student, not a page of them.
    book = selectors.gradebook(classroom=classroom, per_page=None)
    mastery = {
        student.pk: shares
        for student, shares in selectors.skill_mastery(classroom=classroom).students
    }
    filename = f"gradebook-{slugify(classroom.name) or classroom.pk}-{timezone.localdate()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [_("Student"), _("Username")]
    header += [
        _("%(quiz)s (%(date)s) %%") % {"quiz": a.quiz.title, "date": f"{a.opens_at:%Y-%m-%d}"}
        for a in book.assignments
    ]
    header += [_("Overall %")]
    header += [_("%(skill)s %%") % {"skill": skill.label} for skill in Skill]
    writer.writerow([csv_safe(str(cell)) for cell in header])
    for row in book.rows:
        student = row.student
        cells = [student.get_full_name() or student.get_username(), student.get_username()]
        # Work not handed in is 0 when the class counts it so, else blank: a spreadsheet's
        # average of a column (blanks skipped) is then the gradebook's.
        cells += [
            0.0
            if book.counts_zero and a.opened and cell.percent is None
            else _percent_cell(cell.percent)
            for a, cell in zip(book.assignments, row.cells, strict=True)
        ]
        cells += [_percent_cell(row.overall)]
        cells += [_percent_cell(share.percent) for share in mastery.get(student.pk, [])]
        writer.writerow([csv_safe(cell) for cell in cells])
    return response


@require_GET
@teacher_required
def mastery(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    result = selectors.skill_mastery(
        classroom=classroom,
        page=page_number(request),
        per_page=selectors.STUDENTS_PER_PAGE,
    )
    return _class_page(
        request,
        "quiz/teach/mastery.html",
        classroom,
        "mastery",
        mastery=result,
        pagination=page_links(result.page, {}),
        skills=list(Skill),
        chart=charts.mastery_chart(
            chart_id=f"mastery-{classroom.pk}",
            title=_("Share right per skill: %(class)s") % {"class": classroom.name},
            shares=result.classroom,
        ),
    )


def _trend_charts(classroom: Classroom, trend: selectors.ClassBoosterTrend) -> list:
    """One chart per skill: the class's share right in the assignments, then each booster."""
    return [
        charts.trend_chart(
            chart_id=f"practice-{classroom.pk}-{skill.skill}",
            title=_("%(skill)s: share right after the assignments") % {"skill": skill.label},
            points=[(point.label, point.percent, point.answers) for point in skill.points],
        )
        for skill in trend.skills
    ]


# The students slipping shown at first, those who fell furthest; a link shows the rest.
SLIPPING_SHOWN = 20


@require_GET
@teacher_required
def practice(request: HttpRequest, pk: int) -> HttpResponse:
    """Booster practice in the class: done or not, how each skill holds, who is slipping."""
    classroom = classroom_for_teacher(request, pk)
    trend = selectors.class_booster_trend(classroom=classroom)
    everyone = request.GET.get("slipping") == "all"
    return _class_page(
        request,
        "quiz/teach/practice.html",
        classroom,
        "practice",
        trend=trend,
        charts=_trend_charts(classroom, trend),
        slipping=trend.slipping if everyone else trend.slipping[:SLIPPING_SHOWN],
        slipping_more=0 if everyone else max(0, len(trend.slipping) - SLIPPING_SHOWN),
    )


@require_GET
@teacher_required
def practice_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Each skill's share right at each stage as CSV (UTF-8 with a BOM, formulas neutralised)."""
    classroom = classroom_for_teacher(request, pk)
    trend = selectors.class_booster_trend(classroom=classroom)
    filename = f"practice-{slugify(classroom.name) or classroom.pk}-{timezone.localdate()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    header = [_("Skill"), _("Stage"), _("Share right %"), _("Answers")]
    writer.writerow([csv_safe(str(cell)) for cell in header])
    # One row per skill and stage: a spreadsheet filters and charts that shape as it likes.
    for skill in trend.skills:
        for point in skill.points:
            cells = [str(skill.label), point.label, _percent_cell(point.percent), point.answers]
            writer.writerow([csv_safe(cell) for cell in cells])
    return response


@require_GET
@teacher_required
def student_detail(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    classroom = classroom_for_teacher(request, pk)
    student = _get_student_in_classroom(classroom, student_pk)
    [(_student, shares)] = selectors.skill_mastery(classroom=classroom, student=student).students
    name = student.get_full_name() or student.get_username()
    return _class_page(
        request,
        "quiz/teach/student.html",
        classroom,
        "gradebook",
        student=student,
        attempts=selectors.attempts_with_lateness(
            selectors.student_attempts(classroom=classroom, student=student)
        ),
        assignments=selectors.student_extensions(classroom=classroom, student=student),
        max_extra_attempts=services.EXTENSION_MAX_EXTRA_ATTEMPTS,
        shares=shares,
        chart=charts.mastery_chart(
            chart_id=f"mastery-student-{student.pk}",
            title=_("Share right per skill: %(name)s") % {"name": name},
            shares=shares,
        ),
    )


def _student_page_for(assignment: Assignment, student) -> str:
    """The student's page, at the assignment's extension form."""
    url = reverse("quiz:teach_student", args=[assignment.classroom_id, student.pk])
    return f"{url}#extension-{assignment.pk}"


@require_POST
@teacher_required
def extension_grant(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    student = _get_student_in_classroom(assignment.classroom, student_pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(_student_page_for(assignment, student))
    try:
        services.extension_grant(
            assignment=assignment,
            student=student,
            due_at=form.cleaned_data["due_at"],
            extra_attempts=form.cleaned_data["extra_attempts"] or 0,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Extension saved for %(name)s on “%(quiz)s”.")
            % {"name": student.get_full_name() or student.username, "quiz": assignment.quiz.title},
        )
    return redirect(_student_page_for(assignment, student))


@require_POST
@teacher_required
def extension_remove(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    assignment = _get_assignment_for_teacher(request, pk)
    student = _get_student_in_classroom(assignment.classroom, student_pk)
    if services.extension_remove(assignment=assignment, student=student):
        messages.success(
            request,
            _("Extension removed: the class's due time and attempts apply to %(name)s again.")
            % {"name": student.get_full_name() or student.username},
        )
    else:
        messages.info(request, _("There was no extension to remove."))
    return redirect(_student_page_for(assignment, student))


@require_GET
@teacher_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = _get_attempt_for_teacher(request, pk)
    return _class_page(
        request,
        "quiz/teach/attempt.html",
        attempt.assignment.classroom,
        "gradebook",
        attempt=attempt,
        assignment=attempt.assignment,
        student=attempt.student,
        review=selectors.attempt_review(attempt=attempt),
    )


# A student's data: download and deletion


@require_GET
@teacher_required
def student_data_export(request: HttpRequest, student_pk: int) -> HttpResponse:
    """Download a student's data: what happened in the teacher's classes (all of it for admins)."""
    if request.user.is_superuser:
        student = get_object_or_404(get_user_model(), pk=student_pk)
        classrooms = None
    else:
        classrooms = selectors.classrooms_taught(teacher=request.user)
        student = get_object_or_404(
            get_user_model().objects.filter(enrollments__classroom__in=classrooms).distinct(),
            pk=student_pk,
        )
    data = services.student_data_export(student=student, classrooms=classrooms)
    return data_export_response(data, username=student.get_username())


@require_http_methods(["GET", "POST"])
@teacher_required
def student_delete(request: HttpRequest, pk: int, student_pk: int) -> HttpResponse:
    """Show what deleting a student's account removes (GET), and delete it (POST)."""
    classroom = classroom_for_teacher(request, pk)
    student = _get_student_in_classroom(classroom, student_pk)
    refusal = ""
    try:
        services.student_delete_check(classroom=classroom, student=student, by=request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
    if request.method == "POST" and not refusal:
        name = student.get_full_name() or student.get_username()
        try:
            counts = services.student_data_delete(
                classroom=classroom, student=student, by=request.user
            )
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(
                request,
                _(
                    "%(name)s's account is deleted, with %(attempts)d attempt(s) and "
                    "%(responses)d answer(s)."
                )
                % {"name": name, "attempts": counts.attempts, "responses": counts.responses},
            )
            return redirect("quiz:teach_roster", pk=classroom.pk)
    return _class_page(
        request,
        "quiz/teach/student_delete.html",
        classroom,
        "roster",
        status=403 if refusal and request.method == "POST" else 200,
        student=student,
        counts=services.student_data_counts(student=student),
        refusal=refusal,
    )
