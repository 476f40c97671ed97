"""Server-rendered SVG charts: the geometry is worked out here, the markup is in
templates/quiz/teach/_bar_chart.html. No JavaScript, no style attributes (the CSP forbids
them): sizes and positions are SVG attributes, colours come from the stylesheet.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
LABEL_WIDTH = 150  # room for the row labels, right-aligned against the bars
VALUE_WIDTH = 110  # room after the longest bar for its value
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 8
AXIS_HEIGHT = 26  # tick labels under the bars


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as words, drawn after the bar, so no reader needs the colour
    y: float
    x: float  # where the bar starts: zero, or the value when it is below zero
    width: float
    low_x: float | None  # the interval's whisker, None when there is none
    high_x: float | None
    whisker_y: float
    text_x: float
    text_y: float
    empty: bool  # no value at all (as opposed to zero)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars from zero to each value; with `intervals`, each value's 95% interval
    is drawn as a whisker and zero as an axis (the values may go below it)."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    plot_left: int
    plot_width: int
    plot_bottom: float
    zero_x: float
    bar_height: int
    intervals: bool

    @property
    def label_x(self) -> int:
        return self.plot_left - 8

    @property
    def tick_y(self) -> float:
        return self.height - 6


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, float | None, str]],
    maximum: float,
    tick_labels: list[tuple[float, str]],
    description: str = "",
) -> BarChart:
    """Lay out a horizontal bar chart: one (label, value, value as text) row per bar, from
    zero to `maximum`.

    A value of None draws no bar and says so in its text. The description, when not given,
    reads every row out, so the chart's text alternative carries all of its numbers.
    """
    return interval_chart(
        chart_id=chart_id,
        title=title,
        rows=[(label, value, None, None, text) for label, value, text in rows],
        minimum=0,
        maximum=maximum if maximum > 0 else 1,
        tick_labels=tick_labels,
        description=description,
        width=WIDTH,
        label_width=LABEL_WIDTH,
        value_width=VALUE_WIDTH,
        intervals=False,
    )


PERCENT_TICKS = [(0, "0%"), (25, "25%"), (50, "50%"), (75, "75%"), (100, "100%")]


def mastery_chart(*, chart_id: str, title: str, shares) -> BarChart:
    """Share right per skill, 0–100%."""
    rows = []
    for share in shares:
        if share.percent is None:
            rows.append((str(share.label), None, _("no answers yet")))
        else:
            rows.append(
                (
                    str(share.label),
                    share.percent,
                    _("%(percent)d%% (%(right)d of %(asked)d)")
                    % {"percent": round(share.percent), "right": share.right, "asked": share.asked},
                )
            )
    return bar_chart(
        chart_id=chart_id, title=title, rows=rows, maximum=100, tick_labels=PERCENT_TICKS
    )


def distribution_chart(*, chart_id: str, title: str, bands: list[dict]) -> BarChart:
    """How many students scored in each band of marks."""
    most = max((band["students"] for band in bands), default=0)
    rows = [
        (
            f"{band['low']}–{band['high']}%",
            band["students"],
            ngettext("%(count)d student", "%(count)d students", band["students"])
            % {"count": band["students"]},
        )
        for band in bands
    ]
    step = max(1, -(-most // 4))  # about four gridlines, on whole students
    ticks = [(at, str(at)) for at in range(0, max(most, 1) + 1, step)]
    return bar_chart(
        chart_id=chart_id, title=title, rows=rows, maximum=max(most, 1), tick_labels=ticks
    )


def trend_chart(
    *, chart_id: str, title: str, points: list[tuple[str, float | None, int | None]]
) -> BarChart:
    """One skill's share right at each stage (the assignments, then each booster), 0–100%.

    Each point is (stage, percent or None, answers it counts or None when not known).
    """
    rows = []
    for label, percent, answers in points:
        if percent is None:
            rows.append((str(label), None, _("no answers yet")))
        elif answers is None:
            rows.append((str(label), percent, _("%(percent)d%%") % {"percent": round(percent)}))
        else:
            rows.append(
                (
                    str(label),
                    percent,
                    ngettext(
                        "%(percent)d%% (%(answers)d answer)",
                        "%(percent)d%% (%(answers)d answers)",
                        answers,
                    )
                    % {"percent": round(percent), "answers": answers},
                )
            )
    return bar_chart(
        chart_id=chart_id, title=title, rows=rows, maximum=100, tick_labels=PERCENT_TICKS
    )


def interval_chart(
    *,
    chart_id: str,
    title: str,
    rows: list[tuple[str, float | None, float | None, float | None, str]],
    minimum: float,
    maximum: float,
    tick_labels: list[tuple[float, str]],
    description: str = "",
    width: int = 800,
    label_width: int = 250,
    value_width: int = 210,
    intervals: bool = True,
) -> BarChart:
    """Lay out bars with error bars: one (label, mean, low, high, as text) row per bar.

    The axis runs from `minimum` (zero or below, for measures that go negative) to `maximum`;
    values and whiskers outside it are drawn at its ends and the text still gives them. As in
    `bar_chart`, the description reads every row out when none is given.
    """
    # Wider than `bar_chart`: "Claims vs facts — Retention test" and an interval in words.
    plot_left = label_width
    plot_width = width - label_width - value_width
    span = (maximum - minimum) or 1

    def x_of(value: float) -> float:
        return round(plot_left + plot_width * max(0.0, min(1.0, (value - minimum) / span)), 1)

    zero_x = x_of(0.0)
    bars = []
    for index, (label, mean, low, high, text) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        mean_x = zero_x if mean is None else x_of(mean)
        known = mean is not None and low is not None and high is not None
        low_x, high_x = (x_of(low), x_of(high)) if known else (None, None)
        right = max(mean_x, zero_x, high_x or 0)
        bars.append(
            Bar(
                label=label,
                text=text,
                y=y,
                x=min(mean_x, zero_x),
                width=abs(mean_x - zero_x),
                low_x=low_x,
                high_x=high_x,
                whisker_y=y + BAR_HEIGHT / 2,
                text_x=right + 6,
                text_y=y + BAR_HEIGHT / 2,
                empty=mean is None,
            )
        )
    plot_bottom = TOP + len(rows) * ROW_HEIGHT
    ticks = [Tick(x=x_of(at), label=label) for at, label in tick_labels]
    if not description:
        description = "; ".join(f"{bar.label}: {bar.text}" for bar in bars) + "."
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        bars=bars,
        ticks=ticks,
        width=width,
        height=int(plot_bottom + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_width=plot_width,
        plot_bottom=plot_bottom,
        zero_x=zero_x,
        bar_height=BAR_HEIGHT,
        intervals=intervals,
    )


def interval_text(mean: float | None, low: float | None, high: float | None, unit: str = "") -> str:
    """A mean with its 95% interval in words: "62% (95% CI 51% to 73%)"."""
    if mean is None:
        return _("no scores yet")
    if low is None or high is None:
        return _("%(mean)s (one student: no interval)") % {"mean": f"{mean:.0f}{unit}"}
    digits = 0 if unit == "%" else 2
    return _("%(mean)s (95%% CI %(low)s to %(high)s)") % {
        "mean": f"{mean:.{digits}f}{unit}",
        "low": f"{low:.{digits}f}{unit}",
        "high": f"{high:.{digits}f}{unit}",
    }
