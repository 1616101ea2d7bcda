"""Tables: the data tables of the body and the editorial board block at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from briefgen.config.house import House
from briefgen.model import Table
from briefgen.typeset.board import BoardLayout, BoardRow
from briefgen.writers.docx.oxml import add_text, border, borders, make, no_border, put

_ALIGNS = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
           "center": WD_ALIGN_PARAGRAPH.CENTER}
StyleId = Callable[[str], str]


def _mm_pt(mm: float) -> float:
    return mm / 25.4 * 72


def data_table(doc: Any, table: Table, house: House, style_id: StyleId) -> Any:
    """An editable Word table with the house's rules (三线表: thick above and below, thin
    under the header, as the board and the PDF), the header row bold and repeated."""
    columns = max([len(table.header), *(len(r) for r in table.rows)])
    t = doc.add_table(rows=1 + len(table.rows), cols=columns)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    aligns = [*table.align, *[""] * (columns - len(table.align))]
    for r, cells in enumerate([table.header, *table.rows]):
        texts = [*cells, *[""] * (columns - len(cells))]  # short rows filled
        for c in range(columns):
            _fill_data_cell(t.cell(r, c).paragraphs[0], texts[c], aligns[c],
                            style_id("table"), header=r == 0)
    put(t.rows[0]._tr.get_or_add_trPr(), make("w:tblHeader"))
    rules = house.board_rules
    color = house.color(rules.color)
    table_rules(t, color, _mm_pt(rules.thick_mm))
    row_rule(t.rows[0], "w:bottom", color, _mm_pt(rules.thin_mm))
    return t


def _fill_data_cell(p: Any, text: str, align: str, style: str, header: bool) -> None:
    """One cell's paragraph: the table style, its column's alignment, bold in the header."""
    p._p.style = style
    p.alignment = _ALIGNS.get(align, None)
    run = add_text(p, text)
    if header:
        run.bold = True


def board_table(doc: Any, layout: BoardLayout, house: House, style_id: StyleId,
                text_width: int) -> Any:
    """The board: a label column (策划：) and `columns` name columns, the contact row merged."""
    t = doc.add_table(rows=len(layout.rows), cols=layout.columns + 1)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _set_board_widths(t, layout, text_width)
    for board_row, row in zip(layout.rows, t.rows, strict=True):
        _fill_board_row(row, board_row, layout.columns)
        _style_board_row(row, style_id)
    rules = house.board_rules
    color = house.color(rules.color)
    table_rules(t, color, _mm_pt(rules.thick_mm))
    if layout.has_contact:
        row_rule(t.rows[-1], "w:top", color, _mm_pt(rules.thin_mm))
    return t


def _set_board_widths(t: Any, layout: BoardLayout, text_width: int) -> None:
    """The label column as wide as the layout says, the name columns sharing the rest."""
    label_width = Pt(layout.label_width_pt)
    name_width = int((text_width - label_width) / layout.columns)
    for c, column in enumerate(t.columns):
        width = label_width if c == 0 else name_width
        column.width = width
        for cell in column.cells:
            cell.width = width


def _fill_board_row(row: Any, board_row: BoardRow, per_row: int) -> None:
    """The row's label, then its names one a cell, or its one text across all name cells."""
    row.cells[0].paragraphs[0].add_run(board_row.label)
    if board_row.spans_all:
        merged = row.cells[1].merge(row.cells[per_row])
        add_text(merged.paragraphs[0], board_row.cells[0])
        return
    for c, text in enumerate(board_row.cells, 1):
        add_text(row.cells[c].paragraphs[0], text)


def _style_board_row(row: Any, style_id: StyleId) -> None:
    """Every paragraph of the row in the board style, kept with the next (the board is one)."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p._p.style = style_id("board")
            p.paragraph_format.keep_with_next = True


def table_rules(table: Any, color: str, thick_pt: float) -> None:
    """Rules as wide as the text block: thick above and below, none between cells."""
    tbl_pr = table._tbl.tblPr
    put(tbl_pr, borders("w:tblBorders", {
        "top": border("w:top", color, thick_pt),
        "left": no_border("w:left"),
        "bottom": border("w:bottom", color, thick_pt),
        "right": no_border("w:right"),
        "insideH": no_border("w:insideH"),
        "insideV": no_border("w:insideV"),
    }))
    put(tbl_pr, make("w:tblW", w=5000, type="pct"))


def row_rule(row: Any, side: str, color: str, width_pt: float) -> None:
    """A thin rule along one side of a row (each cell's w:tcBorders)."""
    # A merged cell is one w:tc: give each distinct cell its rule once.
    for tc in {id(c._tc): c._tc for c in row.cells}.values():
        tc_pr = tc.get_or_add_tcPr()
        put(tc_pr, borders("w:tcBorders", {side: border(side, color, width_pt)}))
