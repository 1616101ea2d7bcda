"""Bar charts: grouped or single bars, stacked bars, horizontal bars."""

from __future__ import annotations

from typing import Any

from briefgen.charts.bind import Bound
from briefgen.charts.labels import Labels
from briefgen.charts.look import (
    category_ticks,
    colors,
    edge,
    fills,
    fmt,
    hexc,
    legend,
    lightness,
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
    if b.chart.kind == "stacked":
        handles = _stacked(ax, x, b, style, labels)
    else:
        handles = grouped(ax, ax.bar, x, b, style, labels, padding=2)
    category_ticks(ax, fig, b, style, x)
    ax.tick_params(axis="x", length=0)
    ax.margins(y=0.14)
    if any(v < 0 for s in b.series for v in s.values):
        ax.axhline(0, color=hexc(style.axis_color), linewidth=style.axis_width_pt)
    else:
        ax.set_ylim(bottom=0)
    value_axis(ax, style)
    labels.avoid(unit_label(ax, b.unit))
    if len(b.series) > 1:
        labels.avoid(legend(fig, handles, [s.label for s in b.series]))
    return labels


def _stacked(ax: Any, x: Any, b: Bound, style: ChartStyle, labels: Labels) -> list[Any]:
    import numpy as np

    n = len(b.categories)
    pos, neg = np.zeros(n), np.zeros(n)
    handles = []
    for s, color in zip(b.series, colors(style, len(b.series)), strict=True):
        vals = np.array(s.values)
        bottom = np.where(vals >= 0, pos, neg)
        drawn = ax.bar(x, vals, style.bar_width, bottom=bottom, color=color,
                       edgecolor="white", linewidth=0.6, label=s.label)
        handles.append(drawn)
        if b.chart.labels:
            text = "#ffffff" if lightness(color) < 0.55 else hexc(style.text_color)
            least = float(np.max(np.abs(vals))) * 0.06 if len(vals) else 0.0
            texts = [fmt(v, b.chart.decimals) if abs(v) >= least else "" for v in vals]
            # inside a segment a label cannot move: one that does not fit is dropped
            labels.add(ax.bar_label(drawn, labels=texts, label_type="center", color=text,
                                    fontsize=style.label_size_pt), dy=0.0)
        pos = pos + np.where(vals >= 0, vals, 0)
        neg = neg + np.where(vals < 0, vals, 0)
    # Totals over the stacks; with negative parts a stack has no single top to mark.
    if b.chart.labels and len(b.series) > 1 and not neg.any():
        labels.add([ax.annotate(fmt(float(total), b.chart.decimals), (xi, float(max(total, 0))),
                                xytext=(0, 3), textcoords="offset points", ha="center",
                                va="bottom", fontsize=style.label_size_pt)
                    for xi, total in zip(x, pos, strict=True)])
    return handles


def grouped(ax: Any, draw: Any, slots: Any, b: Bound, style: ChartStyle, labels: Labels,
            padding: float) -> list[Any]:
    """Side-by-side bars, one set per series (`draw` is ax.bar or ax.barh)."""
    k = len(b.series)
    thickness = style.bar_width / k
    horizontal = draw == ax.barh
    handles = []
    texts: list[list[Any]] = []
    for j, (s, color) in enumerate(zip(b.series, colors(style, k), strict=True)):
        offset = (j - (k - 1) / 2) * thickness
        fill = fills(b, style, color, k)
        drawn = draw(slots + offset, s.values, thickness * (0.92 if k > 1 else 1), color=fill,
                     edgecolor=[edge(style, c) for c in fill], linewidth=0.5, label=s.label)
        handles.append(drawn)
        if b.chart.labels:
            texts.append(ax.bar_label(drawn, labels=[fmt(v, b.chart.decimals) for v in s.values],
                                      padding=padding, fontsize=style.label_size_pt))
    # category by category, so the first series keeps its place and the next one moves
    # away from its bar's end (up, or down under a negative bar; right in a horizontal chart)
    for i, group in enumerate(zip(*texts, strict=True)):
        for t, s in zip(group, b.series, strict=True):
            away = 1.0 if s.values[i] >= 0 else -1.0
            labels.add([t], dx=away if horizontal else 0.0, dy=0.0 if horizontal else away)
    return handles


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
    if any(v < 0 for s in b.series for v in s.values):
        ax.axvline(0, color=hexc(style.axis_color), linewidth=style.axis_width_pt)
    else:
        ax.set_xlim(left=0)
    value_axis(ax, style, "x")
    if b.unit:
        ax.set_xlabel(b.unit, loc="right")
    if len(b.series) > 1:
        labels.avoid(legend(fig, handles, [s.label for s in b.series]))
    return labels
