"""Pie and donut charts: every slice labelled outside, small ones with a leader line.

A part not published has no slice (its row is left out when the chart is bound);
the shares are of the published parts.
"""

from __future__ import annotations

import math
from typing import Any

from briefgen.charts.bind import Bound
from briefgen.charts.labels import Labels
from briefgen.charts.look import colors, fmt, hexc
from briefgen.config.house import ChartStyle

SMALL = 0.06  # a slice below this share of the whole gets its label on a leader line
NEAR_PT = 6.0  # the gap between a slice and its label, in points
LEADER_PT = 20.0  # the length of a leader line


def pie(fig: Any, b: Bound, style: ChartStyle) -> Labels:
    ax = fig.add_subplot()
    shown = b.series[0].shown()
    values = b.series[0].published()
    total = sum(values)
    donut = b.chart.kind == "donut"
    wedges, _texts = ax.pie(
        values,
        colors=colors(style, len(values)),
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1.2, "edgecolor": "white", **({"width": 0.42} if donut else {})},
    )
    ax.set_aspect("equal")
    decimals = 1 if b.chart.decimals is None else b.chart.decimals
    labels = Labels()
    for wedge, (i, value) in zip(wedges, shown, strict=True):
        category = b.categories[i]
        share = value / total
        text = f"{category}\n{fmt(share * 100, decimals, '%')}" if b.chart.labels else category
        labels.add([_slice_label(ax, wedge, text, share < SMALL, style)],
                   dy=1.0 if _mid(wedge)[1] >= 0 else -1.0, both_ways=True)
    return labels


def _mid(wedge: Any) -> tuple[float, float]:
    """The unit vector to the middle of a slice's arc."""
    angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
    return math.cos(angle), math.sin(angle)


def _align(ux: float, uy: float) -> tuple[str, str]:
    """A label's alignment by the way it points: away from the centre."""
    ha = "left" if ux > 0.15 else "right" if ux < -0.15 else "center"
    va = "bottom" if uy > 0.3 else "top" if uy < -0.3 else "center"
    return ha, va


def _slice_label(ax: Any, wedge: Any, text: str, small: bool, style: ChartStyle) -> Any:
    """A label beside the slice's outer edge, pointing away from the centre."""
    cx, cy = wedge.center
    ux, uy = _mid(wedge)
    r = wedge.r
    anchor = (cx + ux * r, cy + uy * r)
    reach = LEADER_PT if small else NEAR_PT
    ha, va = _align(ux, uy)
    leader = {"arrowstyle": "-", "color": hexc(style.axis_color),
              "linewidth": style.axis_width_pt, "shrinkA": 0, "shrinkB": 1}
    return ax.annotate(
        text, xy=anchor, xytext=(ux * reach, uy * reach), textcoords="offset points",
        ha=ha, va=va, fontsize=style.font_size_pt, color=hexc(style.text_color),
        linespacing=1.25, arrowprops=leader if small else None,
    )
