"""A student's booster practice: short sets of questions some days after an assignment closed.

A booster runs on the quiz's question stage (`quiz.views.stage`), as the teacher's preview does:
a stand-in assignment, never saved, tells the stage to reveal each answer once given, and each
answered `BoosterItem` stands where the stage expects a response (the field names are the same).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quiz import charts, selectors, services
from quiz.models import Assignment, Booster
from quiz.views import stage
from quiz.views.access import student_work_in_class


def _get_booster_for_student(request: HttpRequest, pk: int) -> Booster:
    """The student's own booster, while they are still in its class (anything else: 404)."""
    return student_work_in_class(request, Booster, pk)


def practice_title(booster: Booster) -> str:
    return _("Practice: %(skill)s") % {"skill": booster.get_skill_display()}


PRACTICE = stage.ItemSet(
    route="quiz:practice",
    page="quiz/practice/take.html",
    reveal=Assignment.Reveal.AFTER_EACH,  # practice teaches: each answer shows once given
    title=practice_title,
    items=lambda booster: selectors.booster_items(booster=booster),
    page_context=lambda booster, items: {
        "practice": {"booster": booster, "quiz": booster.assignment.quiz}
    },
    submit=lambda booster, **answer: services.booster_answer(booster_id=booster.pk, **answer),
)


@require_GET
def practice_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start or carry on a booster: its first question not yet answered, or the results."""
    booster = _get_booster_for_student(request, pk)
    items = PRACTICE.items(booster)
    if not items:
        messages.info(request, _("This practice has no questions."))
        return redirect("quiz:my_classes")
    return PRACTICE.first_unanswered(booster, items)


@require_GET
def practice_question(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """One question of the booster on the question stage, answered or not."""
    return PRACTICE.question(request, _get_booster_for_student(request, pk), question_id)


@require_POST
def practice_answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Record an answer. htmx gets the feedback in place; a plain form post is redirected."""
    return PRACTICE.answer(request, _get_booster_for_student(request, pk), question_id)


def trend_table(trend: list[dict]) -> dict:
    """The skills' trends as a table: the stages as columns, a row of whole percents per skill."""
    labels = [label for label, _share in trend[0]["points"]] if trend else []
    rows = [
        {
            "skill": row["label"],
            "cells": [
                None if percent is None else round(percent) for _label, percent in row["points"]
            ],
        }
        for row in trend
    ]
    return {"labels": labels, "rows": rows}


@require_http_methods(["GET", "POST"])
def practice_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The booster's score and the student's skills over time; the stage's Finish posts here."""
    booster = _get_booster_for_student(request, pk)
    if request.method == "POST":
        return redirect("quiz:practice_done", pk=booster.pk)
    items = PRACTICE.items(booster)
    if not items or len(stage.answered_ids(items)) < len(items):
        messages.info(request, _("Answer every question of the practice to see how it went."))
        return redirect("quiz:practice", pk=booster.pk)
    trend = selectors.student_skill_trend(
        student=request.user, classroom=booster.assignment.classroom
    )
    focus = next((row for row in trend if row["skill"] == booster.skill), None)
    return render(
        request,
        "quiz/practice/done.html",
        {
            "booster": booster,
            "title": practice_title(booster),
            "items": items,
            "right": sum(1 for item in items if item.is_correct),
            "table": trend_table(trend),
            "chart": charts.trend_chart(
                chart_id=f"trend-{booster.pk}",
                title=_("Your share right in %(skill)s, over time")
                % {"skill": booster.get_skill_display()},
                points=[(label, percent, None) for label, percent in focus["points"]],
            )
            if focus
            else None,
        },
    )
