"""The gradebook's cells, drawn in Python, read as the template loop drew them."""

from django.template import Context, Template
from django.template.defaultfilters import floatformat
from hypothesis import given
from hypothesis import strategies as st

from quiz.selectors import CellStatus, GradebookCell
from quiz.templatetags.gradebook import gradebook_cells, whole_percent


def cells_html(*cells: GradebookCell) -> str:
    return Template("{% load gradebook %}{% gradebook_cells cells %}").render(
        Context({"cells": list(cells)})
    )


def test_a_cell_handed_in_on_time_shows_its_score_and_share_only():
    html = cells_html(
        GradebookCell(status=CellStatus.DONE, score=2, out_of=3, percent=200 / 3, attempts=1)
    )

    assert html == (
        '<td class="cell cell-done"><span class="cell-score">2/3</span> '
        '<span class="muted">(67%)</span></td>'
    )


def test_a_late_cell_keeps_its_score_and_says_late():
    html = cells_html(GradebookCell(status=CellStatus.LATE, score=3, out_of=3, percent=100.0))

    assert 'class="cell cell-late"' in html
    assert "3/3</span>" in html and "(100%)" in html
    assert '<span class="status status-late">Late</span>' in html


def test_cells_in_progress_and_not_started_say_so_without_a_score():
    html = cells_html(
        GradebookCell(status=CellStatus.IN_PROGRESS, answered=4),
        GradebookCell(status=CellStatus.IN_PROGRESS, answered=None),
        GradebookCell(status=CellStatus.NOT_STARTED),
    )

    assert html.count("<td ") == 3 and html.count("</td>") == 3
    assert "In progress: 4 answered" in html and "In progress: 0 answered" in html
    assert '<span class="status status-not_started">Not started</span>' in html
    assert "cell-score" not in html


def test_a_row_draws_one_cell_per_assignment_in_order():
    html = gradebook_cells(
        [
            GradebookCell(status=CellStatus.DONE, score=1, out_of=4, percent=25.0),
            GradebookCell(status=CellStatus.NOT_STARTED),
            GradebookCell(status=CellStatus.DONE, score=0, out_of=4, percent=0.0),
        ]
    )

    assert html.index("1/4") < html.index("Not started") < html.index("0/4")
    assert "(0%)" in html


@given(
    st.integers(min_value=1, max_value=10_000).flatmap(
        lambda out_of: st.tuples(st.integers(min_value=0, max_value=out_of), st.just(out_of))
    )
)
def test_whole_percent_rounds_shares_of_marks_as_floatformat_does(marks):
    # Shares as the database works them out: score * 100.0 / out of.
    score, out_of = marks
    value = score * 100.0 / out_of
    assert whole_percent(value) == floatformat(value, 0)


def test_whole_percent_rounds_halves_up_as_floatformat_does():
    for value in (0.5, 2.5, 49.5, 99.5, 100 / 3, 200 / 3, 12.4999):
        assert whole_percent(value) == floatformat(value, 0)
