"""Line charts, and bars with a line on a second axis (a value and its growth).

A value not published (None in its series) breaks the line there: no point, no
label, and no segment to or from it; in `bar_line` its bar is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from briefgen.charts.bind import Bound, Series
from briefgen.charts.labels import Labels
from briefgen.charts.look import (
    category_ticks,
    colors,
    fmt,
    hexc,
    legend,
    legend_label,
    series_legend,
    unit_label,
    value_axis,
)
from briefgen.config.house import ChartStyle


def _gapped(values: Sequence[float | None]) -> list[float]:
    """The values as matplotlib draws them: NaN, where the line breaks, for a missing one."""
    return [float("nan") if v is None else v for v in values]


def line(fig: Any, b: Bound, style: ChartStyle) -> Labels:
    import numpy as np

    ax = fig.add_subplot()
    x = np.arange(len(b.categories))
    handles = [_plot(ax, x, s, j, color, style)
               for j, (s, color) in enumerate(zip(b.series, colors(style, len(b.series)),
                                                  strict=True))]
    labels = Labels()
    if b.chart.labels and len(b.series) <= 2:
        _point_labels(ax, x, b, style, labels)
    category_ticks(ax, fig, b, style, x)
    ax.margins(x=0.06, y=0.16)
    value_axis(ax, style)
    labels.avoid(unit_label(ax, b.unit))
    labels.avoid(series_legend(fig, b, handles))
    return labels


def _plot(ax: Any, x: Any, s: Series, j: int, color: str, style: ChartStyle) -> Any:
    """One series' line, told apart by its dashes and markers."""
    (h,) = ax.plot(x, _gapped(s.values), color=color,
                   linestyle=style.dashes[j % len(style.dashes)],
                   marker=style.markers[j % len(style.markers)], markersize=4,
                   markerfacecolor=color, markeredgecolor=color, label=s.label)
    return h


def _point_labels(ax: Any, x: Any, b: Bound, style: ChartStyle, labels: Labels) -> None:
    for s, sides in zip(b.series, label_sides(b.series), strict=True):
        for i, v in s.shown():
            _point_label(ax, (x[i], v), sides[i], b, style, labels)


def _point_label(ax: Any, point: tuple[Any, float], above: bool, b: Bound, style: ChartStyle,
                 labels: Labels) -> None:
    """A point's value above it (or below), free to move further that way."""
    t = ax.annotate(fmt(point[1], b.chart.decimals, b.unit), point,
                    xytext=(0, 5 if above else -6), textcoords="offset points",
                    ha="center", va="bottom" if above else "top",
                    fontsize=style.label_size_pt, color=hexc(style.text_color))
    labels.add([t], dy=1.0 if above else -1.0)


def label_sides(series: Sequence[Series]) -> list[list[bool]]:
    """For each point, whether its label goes above it (True) or below.

    A label goes on the outside of the bend (above a peak, below a trough), so the
    line does not run through it; where two series meet, the higher one's label goes
    above and the lower one's below.
    """
    sides = [[_above_neighbours(s.values, i) for i in range(len(s.values))] for s in series]
    if len(series) == 2:
        _part_where_close(series, sides)
    return sides


def _above_neighbours(v: Sequence[float | None], i: int) -> bool:
    """Whether a point is at least the mean of its published neighbours."""
    y = v[i]
    neighbours = _neighbours(v, i)
    return y is None or not neighbours or y >= sum(neighbours) / len(neighbours)


def _neighbours(v: Sequence[float | None], i: int) -> list[float]:
    """The published values on either side of a point."""
    return [n for n in (*v[max(i - 1, 0):i], *v[i + 1:i + 2]) if n is not None]


def _part_where_close(series: Sequence[Series], sides: list[list[bool]]) -> None:
    """Where two lines come close, the higher one's label above, the lower one's below."""
    close = _spread([y for s in series for y in s.published()]) * 0.12
    first, second = dict(series[0].shown()), dict(series[1].shown())
    for i in sorted(first.keys() & second.keys()):
        a, c = first[i], second[i]
        if abs(a - c) <= close:
            sides[0][i], sides[1][i] = a >= c, a < c


def _extent(values: Sequence[float]) -> tuple[float, float]:
    """The lowest and the highest value (0 and 0 for none)."""
    return (min(values), max(values)) if values else (0.0, 0.0)


def _spread(values: Sequence[float]) -> float:
    lo, hi = _extent(values)
    return hi - lo


def bar_line(fig: Any, b: Bound, style: ChartStyle) -> Labels:
    """Bars for a value on the left axis and a line for its growth on the right one.

    The bars keep the lower part of the plot and the line the upper band, so the
    numbers on the bars and on the points never sit on each other.
    """
    import numpy as np

    assert b.line is not None
    ax = fig.add_subplot()
    n = len(b.categories)
    x = np.arange(n)
    bar_color, line_color = colors(style, 3)[0], colors(style, 3)[2]
    s = b.series[0]
    at, values = s.positions(), s.published()
    bars = ax.bar(x[at], values, style.bar_width, color=bar_color, edgecolor=bar_color,
                  linewidth=0.5, label=legend_label(s.label, b.unit))
    labels = Labels()
    if b.chart.labels:
        labels.add(ax.bar_label(bars, labels=[fmt(v, b.chart.decimals) for v in values],
                                padding=2, fontsize=style.label_size_pt))
    _bar_band(ax, values)
    category_ticks(ax, fig, b, style, x)
    ax.tick_params(axis="x", length=0)
    value_axis(ax, style)
    labels.avoid(unit_label(ax, b.unit))
    ax2, h = _growth_line(ax, x, b, style, line_color, labels)
    labels.avoid(unit_label(ax2, b.unit2, "right"))
    ax.set_xlim(-0.6, n - 0.4)
    labels.avoid(legend(fig, [bars, h], [bars.get_label(), h.get_label()]))
    return labels


def _bar_band(ax: Any, values: Sequence[float]) -> None:
    """The bars in the lower 56% of the plot, from zero (or the lowest bar)."""
    lo, hi = min([0.0, *values]), max([0.0, *values])
    ax.set_ylim(lo, lo + (hi - lo) / 0.56 if hi > lo else 1)


def _growth_line(ax: Any, x: Any, b: Bound, style: ChartStyle, color: str,
                 labels: Labels) -> tuple[Any, Any]:
    """The line on the right axis, in the band from 70% to 94% of the plot's height."""
    assert b.line is not None
    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    ax2.spines["top"].set_visible(False)
    (h,) = ax2.plot(x, _gapped(b.line.values), color=color, marker=style.markers[0],
                    markersize=4, label=legend_label(b.line.label, b.unit2))
    _line_band(ax2, b.line.published())
    if b.chart.labels:
        labels.add([ax2.annotate(fmt(v, b.chart.decimals, b.unit2), (x[i], v), xytext=(0, 5),
                                 textcoords="offset points", ha="center", va="bottom",
                                 fontsize=style.label_size_pt, color=hexc(style.text_color))
                    for i, v in b.line.shown()])
    return ax2, h


def _line_band(ax2: Any, values: Sequence[float]) -> None:
    """The right axis scaled so the line's range fills the band, with a few ticks in it."""
    from matplotlib.ticker import MaxNLocator

    lo, hi = _extent(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span = (hi - lo) / 0.24
    bottom = lo - 0.70 * span
    ax2.set_ylim(bottom, bottom + span)
    ticks = [t for t in MaxNLocator(nbins=3).tick_values(lo, hi) if bottom <= t <= bottom + span]
    ax2.set_yticks(ticks)
    if ticks:
        ax2.spines["right"].set_bounds(min(ticks[0], lo), max(ticks[-1], hi))
