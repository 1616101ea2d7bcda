"""What a chart leaves out, said twice: a warning line for the build, a note under the figure.

A cell the bureau did not publish is not drawn (`bind`); the build names each one
(the data file and row, the chart, the row's key and the column) and the figure
carries a note made of the house's labels: 注：辽宁省数据未发布。
"""

from __future__ import annotations

from briefgen.charts.bind import Bound, Missing
from briefgen.config.house import House

# What the drawing does with a value it does not have, by kind (and, in bar_line, by axis).
_LEFT_OUT = {"line": "the line breaks there", "stacked": "its part of the stack is left out",
             "pie": "its slice is left out",
             "donut": "its slice is left out"}
_BAR = "its bar is left out"


def missing_note(b: Bound, house: House) -> str:
    """The note under the figure ("" when nothing is left out): 注：A、B数据未发布。"""
    if not b.missing:
        return ""
    names = [m.category + m.label for m in b.missing] if _columns(b) > 1 else [
        m.category for m in b.missing]
    return house.note_label + "、".join(dict.fromkeys(names)) + house.labels.unpublished


def _columns(b: Bound) -> int:
    """How many columns the chart draws (a note names the column only when there are more)."""
    return len(b.series) + (b.line is not None)


def missing_warnings(b: Bound, number: int) -> list[str]:
    """One warning line per cell left out, at the data file and row it was read from."""
    return [_warning(b, m, number) for m in b.missing]


def _warning(b: Bound, m: Missing, number: int) -> str:
    return (f"{_where(b, m)}: warning: chart '{b.chart.id}' leaves out row '{m.key}', column "
            f"'{m.column}'{_header(m)} ({_shown(m)}: not published): {_left_out(b, m)}; "
            f"a note under figure {number} says so")


def _where(b: Bound, m: Missing) -> str:
    """The data file and row of the cell."""
    return f"{m.cell.file}:{m.cell.row}" if m.cell.row else m.cell.file


def _header(m: Missing) -> str:
    """The column's header as the file has it, when it is not the key: (2023年出生率（‰）)."""
    header = m.cell.column
    return f" ({header})" if header and header != m.column else ""


def _shown(m: Missing) -> str:
    return (m.cell.text or "").strip() or "blank"


def _left_out(b: Bound, m: Missing) -> str:
    if b.line is not None and m.column == b.line.column:
        return _LEFT_OUT["line"]
    return _LEFT_OUT.get(b.chart.kind, _BAR)
