"""Items made into flowables, once the fonts are planned: text blocks, figures, tables, board."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from briefgen.config.house import House
from briefgen.model import Table
from briefgen.writers.pdf.flowables import (
    FigureBlock,
    Grid,
    Picture,
    RuledTable,
    TableBlock,
    TextBlock,
)
from briefgen.writers.pdf.fontplan import FontPlan
from briefgen.writers.pdf.items import (
    BoardItem,
    BoardRowItem,
    FigureItem,
    IssueItem,
    Item,
    RuleItem,
    TableItem,
    TextItem,
)
from briefgen.writers.pdf.page import MM, IssueLine, Rule
from briefgen.writers.pdf.pagination import MIN_ROWS, float_figures, keep_headings
from briefgen.writers.pdf.text import Composer, Setting, Span


class Builder:
    """Makes the flowables of the items, in order, then keeps headings and floats figures."""

    def __init__(self, house: House, plan: FontPlan, composer: Composer,
                 settings: dict[str, Setting]) -> None:
        self.house = house
        self.plan = plan
        self.composer = composer
        self.settings = settings
        self.on_note: Callable[[int, int], None] | None = None
        # each item's kind → its maker (the items are plain dataclasses, never subclassed)
        self._makers: dict[type, Callable[[Any], list[Flowable]]] = {
            TextItem: self.text, IssueItem: self.issue, RuleItem: self.rule,
            FigureItem: self.figure, TableItem: self.table, BoardItem: self.board,
        }

    def block(self, it: TextItem, allow_split: bool = True) -> TextBlock:
        tb = TextBlock(self.composer, it.spans, self.settings[it.style], it.outline,
                       allow_split=allow_split, body=it.body)
        if tb.chars.notes:
            tb.on_note = self.on_note
        return tb

    def flowables(self, items: list[Item],
                  on_note: Callable[[int, int], None] | None = None) -> list[Flowable]:
        """The items' flowables; `on_note` hears where each footnote reference is drawn."""
        self.on_note = on_note
        out: list[Flowable] = []
        for it in items:
            out += self.make(it)
        return float_figures(keep_headings(out))

    def make(self, it: Item) -> list[Flowable]:
        return self._makers[type(it)](it)

    def text(self, it: TextItem) -> list[Flowable]:
        tb = self.block(it, allow_split=it.style not in ("title", "author"))
        if it.style == "title":
            s = tb.s
            tb.s = replace(s, before=s.before if it.first else 0, after=s.after if it.last else 0)
        return [tb]

    def issue(self, it: IssueItem) -> list[Flowable]:
        return [IssueLine(self.block(it.left), self.block(it.right))]

    def rule(self, it: RuleItem) -> list[Flowable]:
        r = it.rule
        return [Rule(self.house.color(r.color), r.width_pt, r.double, r.space_before_pt,
                     r.space_after_pt)]

    def figure(self, it: FigureItem) -> list[Flowable]:
        pic = Picture(it.figure, it.read_drawing)
        parts: list[Flowable] = [Spacer(1, self.settings["caption"].leading * 0.25),
                                 pic, self.block(it.caption)]
        parts += [self.block(line) for line in (it.source, it.note) if line]
        return [FigureBlock(parts)]

    # -- tables -----------------------------------------------------------------------------
    def table(self, it: TableItem) -> list[Flowable]:
        pad = self.settings["table"].size * 0.3
        rows = self._cells(it.table, it.cells)
        colw = self._widths(rows, pad)
        rules = self.house.board_rules
        color = HexColor("#" + self.house.color(rules.color))
        # split between rows only with MIN_ROWS body rows on each side; the header repeats
        t = RuledTable(rows, colWidths=colw, repeatRows=1, hAlign="CENTER",
                       rowSplitRange=(1 + MIN_ROWS, -MIN_ROWS))
        t.closing_rule = (rules.thick_mm * MM, color)
        ts = self.settings["table"]
        cell_font = self.plan.slot(ts.role, ts.bold, "0").font  # platypus selects a font per cell
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), cell_font, ts.size),
            # the house's rules, as Word sets them (三线表): thick above and below, thin
            # under the header; each part of a split table is closed so, its header repeated
            ("LINEABOVE", (0, 0), (-1, 0), rules.thick_mm * MM, color),
            ("LINEBELOW", (0, 0), (-1, 0), rules.thin_mm * MM, color),
            ("LINEBELOW", (0, -1), (-1, -1), rules.thick_mm * MM, color),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        out: list[Flowable] = []
        if it.caption:
            out.append(self.block(it.caption))
        out.append(t)
        if it.source:
            out.append(self.block(it.source))
        if len(rows) - 1 < 2 * MIN_ROWS:  # too short to split: kept whole, it floats
            return [TableBlock(out)]
        return out

    def _cells(self, table: Table, cells: list[list[TextItem]]) -> list[list[TextBlock]]:
        """The cells as blocks, short rows filled, each column aligned as the table says."""
        rows = [[self.block(c) for c in row] for row in cells]
        ncol = max(len(r) for r in rows)
        for r in rows:
            r += self._empty_cells(ncol - len(r))
        _align_columns(rows, _column_aligns(table, ncol))
        return rows

    def _empty_cells(self, count: int) -> list[TextBlock]:
        return [self.block(TextItem([Span("")], "table", "")) for _ in range(count)]

    def _widths(self, rows: list[list[TextBlock]], pad: float) -> list[float]:
        """Column widths from the cells' natural widths, the text block's width in all.

        Body cells (沈阳市, 920.4) never wrap while the block allows it; headers, which
        are long and may wrap, share what is left by how much more they want.
        """
        width = self.house.page.text_width_mm * MM
        ncol = len(rows[0])
        whole = _natural_widths(rows, ncol, pad)
        if sum(whole) <= width:
            return _spread(whole, width)
        body = _natural_widths(rows[1:], ncol, pad)
        if sum(body) <= width:
            return _headers_share_the_rest(whole, body, width)
        return _scaled_down(whole, width)

    # -- the editorial board ----------------------------------------------------------------
    def board(self, it: BoardItem) -> list[Flowable]:
        width = self.house.page.text_width_mm * MM
        s = self.settings["board"]
        colw = [it.label_width] + [(width - it.label_width) / it.columns] * it.columns
        rows = [self._board_row(row) for row in it.rows]
        rules = self.house.board_rules
        grid = Grid(rows, colw, s.leading, (rules.thick_mm * MM, rules.thin_mm * MM,
                                            self.house.color(rules.color)),
                    thin_before_last=bool(it.rows) and it.rows[-1].spans_all)
        parts: list[Flowable] = []
        if it.title:
            parts.append(self.block(it.title))
        parts.append(grid)
        return [KeepTogether(parts)]

    def _board_row(self, row: BoardRowItem) -> list[TextBlock | None]:
        """The row's label (None on a continuation row) and its cells."""
        label = self.block(row.label) if row.label is not None else None
        return [label, *(self.block(c) for c in row.cells)]


def _column_aligns(table: Table, ncol: int) -> list[str]:
    """Each column's alignment; a column the table does not align is centred."""
    return [table.align[c] if c < len(table.align) else "center" for c in range(ncol)]


def _align_columns(rows: list[list[TextBlock]], aligns: list[str]) -> None:
    """Each cell aligned as its column, without the paragraph indent."""
    for c, align in enumerate(aligns):
        for r in rows:
            r[c].s = replace(r[c].s, align=align, indent=0)


def _natural_widths(rows: list[list[TextBlock]], ncol: int, pad: float) -> list[float]:
    """Each column as wide as its widest cell, padded both sides (0 and padding if no rows)."""
    return [max((r[c].chars.natural for r in rows), default=0.0) + 2 * pad + 1
            for c in range(ncol)]


def _spread(natural: list[float], width: float) -> list[float]:
    """All columns fit: the room left shared equally."""
    extra = (width - sum(natural)) / len(natural)
    return [n + extra for n in natural]


def _headers_share_the_rest(whole: list[float], body: list[float],
                            width: float) -> list[float]:
    """The body cells fit, the headers do not: each column gets its body width and a share
    of the rest by how much more its header wants."""
    wants = [w - b for w, b in zip(whole, body, strict=True)]
    spare = width - sum(body)
    return [b + spare * w / sum(wants) for b, w in zip(body, wants, strict=True)]


def _scaled_down(natural: list[float], width: float) -> list[float]:
    """Not even the body fits: widths by natural share, none under half an equal share."""
    total = sum(natural)
    floor = width / len(natural) * 0.5
    colw = [max(floor, width * n / total) for n in natural]
    scale = width / sum(colw)
    return [w * scale for w in colw]
