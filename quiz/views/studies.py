"""Studies: a class's pre-test, practice, post-test and retention test, and what they show.

The teacher sets a study up, opens its tests and reads its report here. A student takes a test
on the quiz's question stage (`quiz.views.stage`), as practice does: a stand-in assignment,
never saved, tells the stage to keep the answers back until the end, and each `SittingItem`
stands where the stage expects a response (the field names are the same).
"""

import csv
import json
from collections import defaultdict

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quiz import charts, selectors, services
from quiz.forms import PhaseForm, StudyForm, StudyPracticeForm, form_submit
from quiz.models import (
    Assignment,
    Classroom,
    SittingItem,
    Study,
    StudySitting,
)
from quiz.views import stage
from quiz.views.access import classroom_for_teacher, taught_or_404, teacher_required
from quiz.views.paging import page_links, page_number
from quiz.views.teach import csv_safe

# Loading what the person may see


def _get_study_for_teacher(request: HttpRequest, pk: int) -> Study:
    """A study of a class the teacher teaches (anything else: 404)."""
    return taught_or_404(request, Study.objects.select_related("classroom", "form_a", "form_b"), pk)


def _get_sitting_for_student(request: HttpRequest, pk: int) -> StudySitting:
    """The student's own test, while they are still in the study's class (anything else: 404)."""
    return get_object_or_404(
        StudySitting.objects.select_related("phase__study__classroom"),
        pk=pk,
        participant__student=request.user,
        phase__study__classroom__enrollments__student=request.user,
    )


# Teachers: the class's studies


def _studies_page(
    request: HttpRequest, classroom: Classroom, form: StudyForm, status: int = 200
) -> HttpResponse:
    studies = classroom.studies.select_related("form_a", "form_b").prefetch_related("phases")
    return render(
        request,
        "quiz/studies/list.html",
        {"classroom": classroom, "section": "studies", "studies": studies, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def study_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The class's studies, and the form for a new one."""
    classroom = classroom_for_teacher(request, pk)
    if request.method == "GET":
        return _studies_page(request, classroom, StudyForm(teacher=request.user))
    form = StudyForm(request.POST, teacher=request.user)
    study = form_submit(form, services.study_create, classroom=classroom, teacher=request.user)
    if study is None:
        return _studies_page(request, classroom, form, status=400)
    messages.success(request, _("Study created. Open the pre-test when the class is ready."))
    return redirect("quiz:teach_study", pk=study.pk)


# Teachers: one study


PHASE_BUTTONS = {
    Study.Phase.PRE: _("Open the pre-test"),
    Study.Phase.POST: _("Open the post-test"),
    Study.Phase.RETENTION: _("Open the retention test"),
}


def _phases(study: Study, report, bound: PhaseForm | None) -> list[dict]:
    """Each test of the study: opened (when, how many finished) or the form that opens it."""
    opened = {phase.phase: phase for phase in study.phases.all()}
    counted = {summary.phase: summary for summary in report.phases}
    rows = []
    for value, label in Study.Phase.choices:
        phase = opened.get(value)
        form = None
        if phase is None:
            posted = bound is not None and bound.data.get("phase") == value
            form = bound if posted else PhaseForm(initial={"phase": value})
        rows.append(
            {
                "value": value,
                "label": label,
                "phase": phase,
                "sittings": counted[value].sittings,
                "finished": counted[value].finished,
                "form": form,
                "button": PHASE_BUTTONS[value],
            }
        )
    return rows


def _participants(study: Study, number: int):
    """A page of the study's students with their sittings (each knowing its phase's name)."""
    page = selectors.students_page(
        study.participants.select_related("student")
        .prefetch_related("sittings__phase")
        .order_by("student__last_name", "student__first_name", "pk"),
        number=number,
        per_page=selectors.STUDENTS_PER_PAGE,
    )
    for participant in page.object_list:
        by_phase = {s.phase.phase: s for s in participant.sittings.all()}
        participant.cells = [by_phase.get(value) for value in Study.Phase.values]
    return page


def _study_page(
    request: HttpRequest,
    study: Study,
    *,
    phase_form: PhaseForm | None = None,
    practice_form: StudyPracticeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    participants = _participants(study, page_number(request))
    report = selectors.study_report(study=study)
    # Each student's discernment at the pre-test and the post-test, beside their tests.
    detections = defaultdict(dict)
    for row in report.discernment.students:
        detections[row.pseudonym][row.phase] = row.detection
    for participant in participants.object_list:
        own = detections[participant.pseudonym]
        participant.detections = [own.get(Study.Phase.PRE), own.get(Study.Phase.POST)]
    return render(
        request,
        "quiz/studies/study.html",
        {
            "classroom": study.classroom,
            "section": "studies",
            "time_zone": timezone.get_current_timezone_name(),
            "study": study,
            "participants": participants.object_list,
            "pagination": page_links(participants, {}),
            "phase_labels": Study.Phase.labels,
            "phases": _phases(study, report, phase_form),
            # A post naming no test of ours: its refusal above the tests, not beside one.
            "phase_errors": phase_form.errors.get("phase", [])
            if phase_form is not None and phase_form.data.get("phase") not in Study.Phase.values
            else [],
            "practice_links": study.practice_links.select_related("assignment__quiz").order_by(
                "assignment__opens_at", "pk"
            ),
            "practice_form": practice_form or StudyPracticeForm(study=study),
            "report": report,
            "charts": _report_charts(study, report),
            "discernment_rows": [
                {"label": Study.Phase(row.phase).label, "value": row}
                for row in (report.discernment.pre, report.discernment.post)
            ],
        },
        status=status,
    )


@require_GET
@teacher_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The study: who is in it, its tests, its practice and its report."""
    return _study_page(request, _get_study_for_teacher(request, pk))


@require_POST
@teacher_required
def study_phase_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open one of the study's tests; out of order or badly timed, the page says why."""
    study = _get_study_for_teacher(request, pk)
    form = PhaseForm(request.POST)
    phase = form_submit(form, services.phase_open, study=study)
    if phase is None:
        return _study_page(request, study, phase_form=form, status=400)
    messages.success(
        request,
        _("%(phase)s opened: each student has it on their home page.")
        % {"phase": phase.get_phase_display()},
    )
    return redirect("quiz:teach_study", pk=study.pk)


@require_POST
@teacher_required
def study_practice_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Count one of the class's assignments as the study's practice."""
    study = _get_study_for_teacher(request, pk)
    form = StudyPracticeForm(request.POST, study=study)
    if form_submit(form, services.study_practice_add, study=study) is None and form.errors:
        return _study_page(request, study, practice_form=form, status=400)
    messages.success(request, _("Assignment counted as the study’s practice."))
    return redirect(reverse("quiz:teach_study", args=[study.pk]) + "#practice-heading")


# Teachers: the report's charts and downloads


def _report_charts(study: Study, report: selectors.StudyReport) -> list:
    """The report's charts: the mean score at each test per skill, then d' and c, with CIs."""
    opened = [summary for summary in report.phases if summary.opened]
    score_rows = [
        (
            f"{skill.label} — {summary.label}",
            summary.means[skill.skill].mean,
            summary.means[skill.skill].low,
            summary.means[skill.skill].high,
            charts.interval_text(
                summary.means[skill.skill].mean,
                summary.means[skill.skill].low,
                summary.means[skill.skill].high,
                "%",
            ),
        )
        for skill in report.skills
        for summary in opened
        # A skill the forms do not ask about has no score: the table says so, the chart skips it.
        if summary.means[skill.skill].mean is not None
    ]
    result = [
        charts.interval_chart(
            chart_id=f"study-{study.pk}-scores",
            title=_("Mean score at each test, per skill, with 95% intervals"),
            rows=score_rows,
            minimum=0,
            maximum=100,
            tick_labels=charts.PERCENT_TICKS,
        )
    ]
    detection = report.discernment
    rows = []
    for name, attribute in (("d′", "d_prime"), ("c", "criterion")):
        for summary in (detection.pre, detection.post):
            value = getattr(summary, attribute)
            label = _("%(measure)s at the %(phase)s") % {
                "measure": name,
                "phase": Study.Phase(summary.phase).label.lower(),
            }
            rows.append(
                (
                    label,
                    value.mean,
                    value.low,
                    value.high,
                    charts.interval_text(value.mean, value.low, value.high),
                )
            )
    if any(row[1] is not None for row in rows):
        result.append(
            charts.interval_chart(
                chart_id=f"study-{study.pk}-detection",
                title=_("Telling claims from facts: d′ and c before and after, with 95% intervals"),
                rows=rows,
                minimum=-2,
                maximum=4,
                tick_labels=[(at, str(at)) for at in (-2, -1, 0, 1, 2, 3, 4)],
            )
        )
    return result


REPORT_CSV_HEADER = [
    "skill",
    "measure",
    "value",
    "ci_low",
    "ci_high",
    "n",
]


def _report_rows(report: selectors.StudyReport):
    """The report's numbers, one (skill, measure, value, low, high, n) row each."""
    for summary in report.phases:
        for skill in report.skills:
            mean = summary.means[skill.skill]
            yield [skill.label, f"mean_{summary.phase}", *_interval_cells(mean)]
    for skill in report.skills:
        effect = skill.effect
        yield [skill.label, "gain", *_interval_cells(effect.gain)]
        yield [skill.label, "normalised_gain", _number(effect.normalised_gain, 3), "", "", effect.n]
        yield [skill.label, "d_z", _number(effect.d_z, 3), "", "", effect.n]
        yield [skill.label, "hedges_g", _number(effect.hedges_g, 3), "", "", effect.n]
        for name in ("improved", "stayed", "fell"):
            yield [skill.label, name, getattr(effect, name), "", "", effect.n]
        yield [skill.label, "retention_gain_kept", _number(skill.share_kept, 3), "", "", ""]
    difficulty = report.form_difficulty
    yield ["", "form_a_pre", *_interval_cells(difficulty.a)]
    yield ["", "form_b_pre", *_interval_cells(difficulty.b)]
    detection = report.discernment
    for summary in (detection.pre, detection.post):
        yield ["", f"d_prime_{summary.phase}", *_interval_cells(summary.d_prime)]
        yield ["", f"c_{summary.phase}", *_interval_cells(summary.criterion)]
        yield ["", f"hit_rate_{summary.phase}", _number(summary.hit_rate, 3), "", "", summary.n]
        yield [
            "",
            f"false_alarm_rate_{summary.phase}",
            _number(summary.false_alarm_rate, 3),
            "",
            "",
            summary.n,
        ]
    for item in report.flagged_items:
        yield [
            item.skill,
            f"flagged_item_{item.question_id}",
            _number(item.discrimination, 3),
            "",
            "",
            item.takers,
        ]


def _interval_cells(interval) -> list:
    return [
        _number(interval.mean),
        _number(interval.low),
        _number(interval.high),
        interval.n,
    ]


def _csv_response(filename: str) -> tuple[HttpResponse, "csv.writer"]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads accents only with it
    return response, csv.writer(response)


def _study_filename(study: Study, what: str, extension: str) -> str:
    return f"{what}-{slugify(study.title) or study.pk}-{timezone.localdate()}.{extension}"


def _number(value, digits: int = 2):
    return "" if value is None else round(value, digits)


@require_GET
@teacher_required
def study_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's numbers as CSV: one row per skill and measure (UTF-8 with a BOM)."""
    study = _get_study_for_teacher(request, pk)
    report = selectors.study_report(study=study)
    response, writer = _csv_response(_study_filename(study, "study-report", "csv"))
    writer.writerow(REPORT_CSV_HEADER)
    for row in _report_rows(report):
        writer.writerow([csv_safe(cell) for cell in row])
    return response


@require_GET
@teacher_required
def study_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every answer of every test, one row each, under pseudonyms: for research."""
    study = _get_study_for_teacher(request, pk)
    response, writer = _csv_response(_study_filename(study, "study-data", "csv"))
    columns = selectors.EXPORT_COLUMNS
    writer.writerow(columns)
    for row in selectors.study_export_rows(study=study):
        writer.writerow([csv_safe(row[column]) for column in columns])
    return response


@require_GET
@teacher_required
def study_codebook(request: HttpRequest, pk: int) -> HttpResponse:
    """What each column of the research export holds, as JSON."""
    study = _get_study_for_teacher(request, pk)
    response = HttpResponse(
        json.dumps(selectors.STUDY_CODEBOOK, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    filename = _study_filename(study, "study-codebook", "json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Students: taking a test


def test_title(sitting: StudySitting) -> str:
    return sitting.phase.get_phase_display()


def _sitting_items(sitting: StudySitting) -> list[SittingItem]:
    return list(
        sitting.items.select_related("question__article")
        .prefetch_related("question__choices")
        .order_by("position", "pk")
    )


TEST = stage.ItemSet(
    route="quiz:test",
    page="quiz/studies/take.html",
    # A test measures; it does not teach while it measures: answers show at the end.
    reveal=Assignment.Reveal.AFTER_ATTEMPT,
    title=test_title,
    items=_sitting_items,
    page_context=lambda sitting, items: {
        "test": {"sitting": sitting, "left": len(items) - len(stage.answered_ids(items))}
    },
    submit=lambda sitting, **answer: services.sitting_answer(sitting_id=sitting.pk, **answer),
)


def _closed(request: HttpRequest, sitting: StudySitting) -> bool:
    """Handed in, or no longer (or not yet) open: then there is nothing to answer."""
    if sitting.finished_at is not None:
        return True
    if not sitting.phase.is_open():
        messages.info(request, _("This test is not open now."))
        return True
    return False


@require_GET
def test_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or carry on a test: its first question not yet answered, or the end."""
    sitting = _get_sitting_for_student(request, pk)
    if _closed(request, sitting):
        return redirect("quiz:test_done", pk=sitting.pk)
    return TEST.first_unanswered(sitting, _sitting_items(sitting))


@require_GET
def test_question(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question of the test on the question stage."""
    sitting = _get_sitting_for_student(request, pk)
    items = _sitting_items(sitting)
    stage.item_of(items, question_id)  # a question of another test is a 404 before all else
    if _closed(request, sitting):
        return redirect("quiz:test_done", pk=sitting.pk)
    if sitting.started_at is None:
        # The research export times the first answer from the moment the test was seen.
        services.sitting_start(sitting=sitting)
    return TEST.question(request, sitting, question_id, items)


@require_POST
def test_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Record an answer. htmx gets the card in place; a plain form post is redirected."""
    return TEST.answer(request, _get_sitting_for_student(request, pk), question_id)


@require_http_methods(["GET", "POST"])
def test_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The end of a test: the score only, and thanks. A post hands it in (the stage's Finish,
    or "Hand in now" with questions left, which then count as not right)."""
    sitting = _get_sitting_for_student(request, pk)
    if request.method == "POST":
        if sitting.finished_at is None:
            services.sitting_finish(sitting=sitting)
        return redirect("quiz:test_done", pk=sitting.pk)
    items = list(sitting.items.only("is_correct", "answered_at"))
    answered = sum(1 for item in items if item.answered_at is not None)
    if sitting.finished_at is None and sitting.phase.is_open() and answered < len(items):
        messages.info(request, _("Answer every question, or hand the test in, to finish it."))
        return redirect("quiz:test", pk=sitting.pk)
    return render(
        request,
        "quiz/studies/done.html",
        {
            "sitting": sitting,
            "title": test_title(sitting),
            "right": sum(1 for item in items if item.is_correct),
            "total": len(items),
            "answered": answered,
        },
    )
