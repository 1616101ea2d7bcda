"""Flowables on the platypus protocol: a paragraph, a picture, the board's grid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Table

from briefgen.errors import InputError, display_path
from briefgen.model import Figure
from briefgen.typeset.cjk import GLUE_SHRINK, SQUEEZABLE, Line
from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.draw import baseline, draw_line
from briefgen.writers.pdf.drawings import Drawing
from briefgen.writers.pdf.text import Composer, Setting, Span

# A paragraph split at a page break leaves this many lines on each side at least.
MIN_LINES = 2


class TextBlock(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """A paragraph set by the clreq rules, justified per line, splittable between lines.

    `on_note(number, page)` hears of each footnote reference as its line is drawn.
    """

    on_note: Callable[[int, int], None] | None = None

    def __init__(self, composer: Composer, spans: list[Span], setting: Setting,
                 outline: tuple[str, int] | None = None, allow_split: bool = True,
                 body: bool = False) -> None:
        super().__init__()
        self.composer = composer
        self.spans = spans
        self.s = setting
        self.chars = composer.chars(spans, setting)
        self.outline = outline  # (title, level) for a heading
        self.keepWithNext = False  # headings are kept with what follows by KeepRoom
        self.allow_split = allow_split and not setting.keep
        self.body = body  # body text: it may flow around a figure
        self._lines: list[Line] | None = None
        self._width: float | None = None
        self.first_part = True  # holds the paragraph's first line
        self.fixed = False  # lines already broken (a part after a split)

    # platypus protocol ---------------------------------------------------------------------
    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.s.before if self.first_part else 0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.s.after if self._is_end() else 0

    def _is_end(self) -> bool:
        return not self._lines or self._lines[-1].last

    def _first_indent(self) -> float:
        """The first line's indent, as the style sets it."""
        return self.s.indent if self.s.align == "justify" or self.s.indent else 0

    def lines(self, width: float) -> list[Line]:
        if self.fixed:
            return self._lines or []
        if self._lines is None or self._width != width:
            self._lines = self.chars.lines(width - self._first_indent(), width)
            self._width = width
        return self._lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.lines(aw)) * self.s.leading
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        """Two parts of MIN_LINES lines at least each (no orphan at the page's foot, no
        widow at the next page's head), or none: the paragraph moves whole."""
        lines = self.lines(aw)
        fit = min(int((ah + 1e-6) // self.s.leading), len(lines) - MIN_LINES)
        if not self.allow_split or fit < MIN_LINES:
            return []
        return [self._part(lines[:fit], self.first_part, aw),
                self._part(lines[fit:], False, aw)]

    def _part(self, lines: list[Line], first: bool, aw: float) -> TextBlock:
        part = TextBlock.__new__(TextBlock)
        Flowable.__init__(part)
        part.composer, part.spans, part.s, part.chars = self.composer, self.spans, self.s, self.chars
        part.outline = self.outline if first else None
        part.keepWithNext = False
        part.allow_split = True
        part.body = self.body
        part._lines = lines
        part._width = aw
        part.first_part = first
        part.fixed = True
        part.on_note = self.on_note
        return part

    def draw(self) -> None:
        canv = self.canv
        s = self.s
        if self.outline and self.first_part:
            self._add_outline_entry(canv, *self.outline)
        top = self.height
        for n, line in enumerate(self._lines or []):
            y = top - n * s.leading - baseline(s.leading, s.size)
            first = self.first_part and n == 0
            self._draw_line(canv, line, y, first)
            if self.on_note is not None:
                self._tell_notes(line)

    def _add_outline_entry(self, canv: Any, title: str, level: int) -> None:
        """The heading in the PDF's outline (bookmarks pane), pointing just above it."""
        key = f"h{id(self)}"
        canv.bookmarkHorizontal(key, 0, self.height + self.s.leading * 0.2)
        canv.addOutlineEntry(title, key, level=level, closed=False)

    def _tell_notes(self, line: Line) -> None:
        assert self.on_note is not None
        for at, number in self.chars.notes.items():
            if line.start <= at < line.end:
                self.on_note(number, self.canv.getPageNumber())

    def _draw_line(self, canv: Any, line: Line, y: float, first: bool) -> None:
        s = self.s
        width = line.width - self.chars.letter  # no spacing after the last character
        indent = self._first_indent() if first else 0
        measure = self.width - indent
        shrink, width = self._shrink(line, width, measure)
        gap, offset = _fit(s.align, line, width, measure)
        draw_line(canv, self.chars, line, indent + offset, y, gap, shrink)

    def _shrink(self, line: Line, width: float, measure: float) -> tuple[float, float]:
        """A mark pulled up: the line is squeezed, as far as its marks' half-width blanks
        allow; then its Han-Latin blanks shrink (at most by GLUE_SHRINK). Returns the
        blanks' factor and the line's width after it."""
        over = width - measure
        if not (over > 0.01 and line.glue):
            return 1.0, width
        text, widths = self.chars.text, self.chars.widths
        room = max(0.0, line.kern + sum(widths[i] / 2 for i in range(line.start, line.end)
                                        if text[i] in SQUEEZABLE))
        give = min(max(over - room, 0.0), GLUE_SHRINK * line.glue)
        return 1 - give / line.glue, width - give


def _fit(align: str, line: Line, width: float, measure: float) -> tuple[float, float]:
    """How a line of `width` fills the `measure`: the gap added at each atom boundary
    (a squeeze is negative) and the offset of its start."""
    boundaries = len(line.atoms) - 1
    if width > measure + 0.01:  # squeeze
        return ((measure - width) / boundaries if boundaries else 0.0), 0.0
    if align == "justify" and not line.last and boundaries:
        return (measure - width) / boundaries, 0.0
    return 0.0, _offset(align, measure - width)


def _offset(align: str, room: float) -> float:
    """Where a line that leaves `room` in the measure starts: centred, flush right or left."""
    if align == "center":
        return room / 2
    if align == "right":
        return room
    return 0.0


class FigureBlock(KeepTogether):  # type: ignore[misc]  # ReportLab has no types
    """A figure's chart, caption and source, kept together."""


class TableBlock(FigureBlock):
    """A table too short to split (caption, rows, source), kept whole: it floats as a figure."""


class RuledTable(Table):  # type: ignore[misc]  # ReportLab has no types
    """A data table whose every part, when it is split across pages, is closed by the
    house's thick rule (the header, repeated, opens the next part)."""

    closing_rule: tuple[float, Any] | None = None  # width, colour

    def split(self, aw: float, ah: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(aw, ah)
        if len(parts) == 2 and self.closing_rule is not None:
            width, color = self.closing_rule
            parts[0].setStyle([("LINEBELOW", (0, -1), (-1, -1), width, color)])
            for part in parts:
                part.closing_rule = self.closing_rule
        return parts


class Grid(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """The editorial board: one-line cells in columns, rules above, below and between."""

    def __init__(self, rows: list[list[TextBlock | None]], widths: list[float], leading: float,
                 rules: tuple[float, float, str], thin_before_last: bool) -> None:
        super().__init__()
        self.rows, self.colw, self.leading = rows, widths, leading
        self.thick, self.thin, self.color = rules
        self.thin_before_last = thin_before_last
        self.pad = leading * 0.15

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.rows) * self.leading + 2 * self.pad + 2 * self.thick
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(HexColor("#" + self.color))
        c.setLineWidth(self.thick)
        c.line(0, self.height - self.thick / 2, self.width, self.height - self.thick / 2)
        c.line(0, self.thick / 2, self.width, self.thick / 2)
        top = self.height - self.thick - self.pad
        for r, row in enumerate(self.rows):
            if self.thin_before_last and r == len(self.rows) - 1 and r:
                c.setLineWidth(self.thin)
                yl = top - r * self.leading
                c.line(0, yl, self.width, yl)
            self._draw_row(row, top - r * self.leading)

    def _draw_row(self, row: list[TextBlock | None], top: float) -> None:
        x = 0.0
        for col, cell in enumerate(row):
            if cell is not None:
                y = top - baseline(self.leading, cell.s.size)
                line = cell.chars.lines()
                if line:
                    draw_line(self.canv, cell.chars, line[0], x, y, 0)
            x += self.colw[col] if col < len(self.colw) else 0


class Picture(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """A figure: the chart's PDF operators copied in, or the PNG, centred at a share of the width.

    A chart is laid out from its figure's aspect, and its operators are read only when
    it is drawn (`read`: the charts may still be drawn by a helper while the pages
    before it are set); a picture without operators is its PNG throughout."""

    def __init__(self, fig: Figure, read: Callable[[], Drawing | None]) -> None:
        super().__init__()
        self.fig = fig
        self.read = read
        self.image: Any = self._png() if fig.ops is None else None

    def _png(self) -> Any:
        fig = self.fig
        if not Path(fig.png).is_file():
            raise InputError(f"the drawing of chart '{fig.chart_id}' is missing",
                             display_path(fig.png))
        from reportlab.lib.utils import ImageReader

        return ImageReader(str(fig.png))

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.w = aw * self.fig.width_ratio
        if self.image is None:
            self.h = self.w * self.fig.aspect  # the drawing's own: drawn at that size
        else:
            dw, dh = self.image.getSize()
            self.h = self.w * dh / dw if dw else self.w * self.fig.aspect
        self.height = self.h
        return aw, self.height

    def draw(self) -> None:
        if rl_compat.is_dry(self.canv):  # a dry pass needs the chart's size, not its drawing
            return
        x = (self.width - self.w) / 2
        drawing = self.read() if self.fig.ops is not None else None
        if drawing is None:
            self.image = self.image or self._png()
            self.canv.drawImage(self.image, x, 0, self.w, self.h, mask="auto")
            return
        scale = self.w / drawing.width
        self.canv.saveState()
        self.canv.translate(x, 0)
        self.canv.scale(scale, scale)
        self.canv.addLiteral(drawing.ops)
        self.canv.restoreState()
