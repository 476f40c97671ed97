"""The gradebook's cells, as the gradebook page's `cell` partial draws them."""

from django.template.loader import render_to_string

from quiz.selectors import CellStatus, GradebookCell


def cells_html(*cells: GradebookCell) -> str:
    return "".join(render_to_string("quiz/teach/gradebook.html#cell", {"cell": c}) for c in cells)


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


def test_a_share_is_shown_as_a_whole_percentage():
    html = cells_html(
        GradebookCell(status=CellStatus.DONE, score=1, out_of=4, percent=25.0),
        GradebookCell(status=CellStatus.DONE, score=0, out_of=4, percent=0.0),
        GradebookCell(status=CellStatus.DONE, score=1, out_of=8, percent=12.5),
    )

    assert "(25%)" in html and "(0%)" in html and "(13%)" in html
