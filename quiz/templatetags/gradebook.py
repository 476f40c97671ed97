"""The gradebook's cells, drawn in Python.

A gradebook page is 50 students by every assignment of the class: 1,500 cells for 30
assignments. A template loop with its conditions, a `floatformat` and a translation per cell
cost more than the page's queries, so the cells of a row are built here, each value escaped as
an autoescaped `{{ value }}` would be.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from quiz.selectors import CellStatus, GradebookCell

register = template.Library()

_WHOLE = Decimal(1)


def whole_percent(value: float) -> str:
    """A share rounded to a whole number, as `{{ value|floatformat:0 }}` shows it."""
    return localize(int(Decimal(repr(value)).quantize(_WHOLE, rounding=ROUND_HALF_UP)))


def _number(value) -> str:
    return escape(localize(value))


@register.simple_tag
def gradebook_cells(cells: list[GradebookCell]) -> SafeString:
    """A row's cells: the counted score and its share, and the status unless handed in on time."""
    late = '<span class="status status-late">' + escape(gettext("Late")) + "</span>"
    not_started = (
        '<span class="status status-not_started">' + escape(gettext("Not started")) + "</span>"
    )
    working = gettext("In progress: %(n)s answered")
    parts = []
    for cell in cells:
        parts.append(f'<td class="cell cell-{escape(cell.status)}">')
        if cell.score is not None:
            percent = "" if cell.percent is None else escape(whole_percent(cell.percent))
            parts.append(
                f'<span class="cell-score">{_number(cell.score)}/{_number(cell.out_of)}</span> '
                f'<span class="muted">({percent}%)</span>'
            )
        if cell.status == CellStatus.LATE:
            parts.append(late)
        elif cell.status == CellStatus.IN_PROGRESS:
            label = escape(working % {"n": localize(cell.answered or 0)})
            parts.append(f'<span class="status status-in_progress">{label}</span>')
        elif cell.status == CellStatus.NOT_STARTED:
            parts.append(not_started)
        parts.append("</td>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)
