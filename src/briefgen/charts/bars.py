"""Bar charts: grouped or single bars, stacked bars, horizontal bars.

A value not published (None in its series) has no bar and no label; a stack with
a part missing has no total over it.
"""

from __future__ import annotations

from typing import Any

from briefgen.charts.bind import Bound, Series
from briefgen.charts.labels import Labels
from briefgen.charts.look import (
    category_ticks,
    colors,
    edge,
    fills,
    fmt,
    hexc,
    lightness,
    series_legend,
    unit_label,
    value_axis,
)
from briefgen.config.house import ChartStyle


def bars(fig: Any, b: Bound, style: ChartStyle) -> Labels:
    """`bar` (side by side) and `stacked` charts over the categories."""
    import numpy as np

    ax = fig.add_subplot()
    x = np.arange(len(b.categories))
    labels = Labels()
    draw = _stacked if b.chart.kind == "stacked" else _side_by_side
    handles = draw(ax, x, b, style, labels)
    category_ticks(ax, fig, b, style, x)
    ax.tick_params(axis="x", length=0)
    ax.margins(y=0.14)
    _from_zero(ax, b, style, "y")
    value_axis(ax, style)
    labels.avoid(unit_label(ax, b.unit))
    labels.avoid(series_legend(fig, b, handles))
    return labels


def hbar(fig: Any, b: Bound, style: ChartStyle) -> Labels:
    """Horizontal bars, the first row on top."""
    import numpy as np

    ax = fig.add_subplot()
    y = np.arange(len(b.categories))
    labels = Labels()
    handles = grouped(ax, ax.barh, y, b, style, labels, padding=3)
    ax.set_yticks(y, list(b.categories))
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.12)
    _from_zero(ax, b, style, "x")
    value_axis(ax, style, "x")
    if b.unit:
        ax.set_xlabel(b.unit, loc="right")
    labels.avoid(series_legend(fig, b, handles))
    return labels


def _negative(b: Bound) -> bool:
    return any(v < 0 for s in b.series for v in s.published())


def _from_zero(ax: Any, b: Bound, style: ChartStyle, axis: str) -> None:
    """The value axis starts at zero; with negative bars a zero line is drawn instead."""
    if _negative(b):
        zero_line = ax.axhline if axis == "y" else ax.axvline
        zero_line(0, color=hexc(style.axis_color), linewidth=style.axis_width_pt)
    elif axis == "y":
        ax.set_ylim(bottom=0)
    else:
        ax.set_xlim(left=0)


# ---- side by side ---------------------------------------------------------------------------

def _side_by_side(ax: Any, x: Any, b: Bound, style: ChartStyle, labels: Labels) -> list[Any]:
    return grouped(ax, ax.bar, x, b, style, labels, padding=2)


def grouped(ax: Any, draw: Any, slots: Any, b: Bound, style: ChartStyle, labels: Labels,
            padding: float) -> list[Any]:
    """Side-by-side bars, one set per series (`draw` is ax.bar or ax.barh)."""
    handles = []
    texts: list[dict[int, Any]] = []
    for j, (s, color) in enumerate(zip(b.series, colors(style, len(b.series)), strict=True)):
        drawn, placed = _series_bars(ax, draw, slots, j, s, color, b, style, padding)
        handles.append(drawn)
        texts.append(placed)
    _add_bar_labels(texts, b, horizontal=draw == ax.barh, labels=labels)
    return handles


def _series_bars(ax: Any, draw: Any, slots: Any, j: int, s: Series, color: str, b: Bound,
                 style: ChartStyle, padding: float) -> tuple[Any, dict[int, Any]]:
    """One series' bars, beside the others in each slot; its labels by category."""
    k = len(b.series)
    thickness = style.bar_width / k
    offset = (j - (k - 1) / 2) * thickness
    at, values = s.positions(), s.published()
    every_fill = fills(b, style, color, k)
    fill = [every_fill[i] for i in at]
    drawn = draw(slots[at] + offset, values, thickness * (0.92 if k > 1 else 1), color=fill,
                 edgecolor=[edge(style, c) for c in fill], linewidth=0.5, label=s.label)
    if not b.chart.labels:
        return drawn, {}
    return drawn, dict(zip(at, _value_labels(ax, drawn, values, b, style, padding), strict=True))


def _value_labels(ax: Any, drawn: Any, values: list[float], b: Bound, style: ChartStyle,
                  padding: float) -> list[Any]:
    """Each bar's value at its end."""
    return list(ax.bar_label(drawn, labels=[fmt(v, b.chart.decimals) for v in values],
                             padding=padding, fontsize=style.label_size_pt))


def _add_bar_labels(texts: list[dict[int, Any]], b: Bound, horizontal: bool,
                    labels: Labels) -> None:
    """Category by category, so the first series keeps its place and the next one moves
    away from its bar's end (up, or down under a negative bar; right in a horizontal chart)."""
    for i in range(len(b.categories)):
        for placed, s in zip(texts, b.series, strict=True):
            if i in placed:
                dx, dy = _away(s.values[i], horizontal)
                labels.add([placed[i]], dx=dx, dy=dy)


def _away(value: float | None, horizontal: bool) -> tuple[float, float]:
    """The way a bar's label moves: from its end outwards (a negative bar's end is below)."""
    away = 1.0 if value is None or value >= 0 else -1.0
    return (away, 0.0) if horizontal else (0.0, away)


# ---- stacked --------------------------------------------------------------------------------

def _stacked(ax: Any, x: Any, b: Bound, style: ChartStyle, labels: Labels) -> list[Any]:
    import numpy as np

    n = len(b.categories)
    pos, neg = np.zeros(n), np.zeros(n)
    handles = []
    for s, color in zip(b.series, colors(style, len(b.series)), strict=True):
        vals = np.array(_filled(s))
        at = s.positions()
        bottom = np.where(vals >= 0, pos, neg)
        drawn = ax.bar(x[at], vals[at], style.bar_width, bottom=bottom[at], color=color,
                       edgecolor="white", linewidth=0.6, label=s.label)
        handles.append(drawn)
        if b.chart.labels:
            _segment_labels(ax, drawn, vals[at], color, b, style, labels)
        pos = pos + np.where(vals >= 0, vals, 0)
        neg = neg + np.where(vals < 0, vals, 0)
    # Totals over the stacks; with negative parts a stack has no single top to mark.
    if _with_totals(b) and not neg.any():
        _totals(ax, x, pos, b, style, labels)
    return handles


def _with_totals(b: Bound) -> bool:
    return b.chart.labels and len(b.series) > 1


def _filled(s: Series) -> list[float]:
    """The parts of a stack, 0 for one not published: it adds nothing to its stack."""
    return [0.0 if v is None else v for v in s.values]


def _segment_labels(ax: Any, drawn: Any, vals: Any, color: str, b: Bound, style: ChartStyle,
                    labels: Labels) -> None:
    """Each part's value inside it; inside a segment a label cannot move: one that does
    not fit is dropped, and a part too thin for one gets none."""
    import numpy as np

    text = "#ffffff" if lightness(color) < 0.55 else hexc(style.text_color)
    least = float(np.max(np.abs(vals))) * 0.06 if len(vals) else 0.0
    texts = [fmt(v, b.chart.decimals) if abs(v) >= least else "" for v in vals]
    labels.add(ax.bar_label(drawn, labels=texts, label_type="center", color=text,
                            fontsize=style.label_size_pt), dy=0.0)


def _totals(ax: Any, x: Any, totals: Any, b: Bound, style: ChartStyle, labels: Labels) -> None:
    """The total over each stack whose every part was published."""
    whole = [all(s.values[i] is not None for s in b.series) for i in range(len(b.categories))]
    labels.add([ax.annotate(fmt(float(total), b.chart.decimals), (xi, float(max(total, 0))),
                            xytext=(0, 3), textcoords="offset points", ha="center",
                            va="bottom", fontsize=style.label_size_pt)
                for xi, total, complete in zip(x, totals, whole, strict=True) if complete])
