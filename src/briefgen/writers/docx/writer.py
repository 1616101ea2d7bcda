"""The Word writer: the document model onto the styles of the reference document.

Every paragraph names a Word style (Heading 1-4, Body Text, Caption, ...) and
takes its look from there; the writer itself sets no font, size or colour.
Page geometry, rules and page numbers come from the house style.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from briefgen.config.house import House
from briefgen.errors import BriefError, display_path
from briefgen.fsio import atomic_output
from briefgen.model import (
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Strong,
    Table,
    Text,
)
from briefgen.writers.docx.refdoc import FIGURE_STYLE, WORD_STYLES, make_reference_doc

HEADING_STYLE = {1: "heading1", 2: "heading2", 3: "heading3", 4: "heading4"}
FULL_SPACE = "\u3000"


def _open_reference(house: House) -> Any:
    """The reference document if the house has one, else one made from house.yaml."""
    path = house.folder / house.reference_docx
    if path.exists():
        try:
            doc = docx.Document(str(path))
        except Exception as exc:  # a damaged or non-Word file
            raise BriefError(
                f"cannot open the Word reference document ({type(exc).__name__})",
                display_path(path),
                hint="run `briefgen reference-doc` to make it again",
            ) from None
        present = {s.name for s in doc.styles}
        missing = [name for name in [*WORD_STYLES.values(), FIGURE_STYLE] if name not in present]
        if missing:
            raise BriefError(
                f"the Word reference document lacks style '{missing[0]}'",
                display_path(path),
                hint="run `briefgen reference-doc` to make it again",
            )
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        return doc
    return make_reference_doc(house)


class DocxWriter:
    def __init__(self, document: Document, house: House) -> None:
        self.model = document
        self.house = house
        self.doc = _open_reference(house)
        self._styles: dict[str, Any] = {}

    # -- helpers --------------------------------------------------------------
    def style(self, element: str) -> Any:
        """The Word style of a house element (looked up once: python-docx scans the list)."""
        name = WORD_STYLES.get(element, element)
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    def set_style(self, p: Any, element: str) -> None:
        # Straight to w:pStyle: python-docx would look the style up by name again each time.
        p._p.style = self.style(element).style_id

    def para(self, element: str, text: str = "") -> Any:
        p = self.doc.add_paragraph()
        self.set_style(p, element)
        if text:
            p.add_run(text)
        return p

    def runs(self, p: Any, inlines: list[Inline], bold: bool = False, em: bool = False) -> None:
        for node in inlines:
            if isinstance(node, Text):
                run = p.add_run(node.text)
                if bold:
                    run.bold = True
                if em:
                    _emphasis_mark(run)
            elif isinstance(node, Strong):
                self.runs(p, node.children, True, em)
            elif isinstance(node, Emphasis):
                self.runs(p, node.children, bold, True)

    def text_width(self) -> Any:
        return Mm(self.house.page.text_width_mm)

    # -- page -----------------------------------------------------------------
    def setup_page(self) -> None:
        page = self.house.page
        section = self.doc.sections[0]
        section.start_type = WD_SECTION_START.NEW_PAGE
        section.page_width = Mm(page.width_mm)
        section.page_height = Mm(page.height_mm)
        section.top_margin = Mm(page.margin_top_mm)
        section.bottom_margin = Mm(page.margin_bottom_mm)
        section.left_margin = Mm(page.margin_left_mm)
        section.right_margin = Mm(page.margin_right_mm)
        section.footer_distance = Mm(page.footer_distance_mm)
        section.header_distance = Mm(15)
        _doc_grid(section, page.line_pitch_pt)
        self.page_numbers(section)

    def page_numbers(self, section: Any) -> None:
        numbers = self.house.page.numbers
        size = self.house.style(numbers.style).size
        before, _, after = numbers.template.partition("{n}")
        if numbers.position == "center":
            self._page_number(section.footer, before, after, WD_ALIGN_PARAGRAPH.CENTER, None, 0)
            return
        # Odd pages right, even pages left, one character in from the edge.
        self.doc.settings.odd_and_even_pages_header_footer = True
        indent = Pt(numbers.indent_chars * size)
        self._page_number(section.footer, before, after, WD_ALIGN_PARAGRAPH.RIGHT, "right", indent)
        self._page_number(
            section.even_page_footer, before, after, WD_ALIGN_PARAGRAPH.LEFT, "left", indent
        )

    def _page_number(
        self, footer: Any, before: str, after: str, align: Any, side: str | None, indent: Any
    ) -> None:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        self.set_style(p, self.house.page.numbers.style)
        p.alignment = align
        if side == "right":
            p.paragraph_format.right_indent = indent
        elif side == "left":
            p.paragraph_format.left_indent = indent
        p.add_run(before)
        _field(p, "PAGE", "1")
        p.add_run(after)

    # -- front matter -----------------------------------------------------------
    def masthead(self) -> None:
        m = self.model.masthead
        self.para("institute", m.institute)
        self.para("series", m.series)
        self.para("slogan", m.slogan)
        p = self.para("issue")
        # The issue number at the left, the date at the right, on one line above the rule.
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.tab_stops.add_tab_stop(self.text_width(), WD_TAB_ALIGNMENT.RIGHT)
        p.add_run(f"{m.issue_label}\t{m.date_text}")
        rule = self.house.rule
        _bottom_border(
            p,
            self.house.color(rule.color),
            rule.width_pt,
            "thickThinSmallGap" if rule.double else "single",
            rule.space_after_pt,
        )
        title = self.para("title")
        for i, line in enumerate(self.model.title_lines):
            if i:
                title.add_run().add_break()
            title.add_run(line)
        self.para("author", self.model.author_line)

    # -- body -------------------------------------------------------------------
    def body(self) -> None:
        for block in self.model.body:
            if isinstance(block, Heading):
                p = self.para(HEADING_STYLE[block.level])
                p.add_run(block.number)
                self.runs(p, block.inlines)
            elif isinstance(block, Paragraph):
                self.runs(self.para("body"), block.inlines)
            elif isinstance(block, ListBlock):
                for n, item in enumerate(block.items, 1):
                    p = self.para("body")
                    p.add_run(f"（{n}）" if block.ordered else "· ")
                    self.runs(p, item)
            elif isinstance(block, Note):
                p = self.para("note")
                if block.label:
                    p.add_run(block.label)
                self.runs(p, block.inlines)
            elif isinstance(block, Figure):
                self.figure(block)
            elif isinstance(block, Table):
                self.table(block)

    def figure(self, fig: Figure) -> None:
        p = self.doc.add_paragraph()
        self.set_style(p, FIGURE_STYLE)
        width = int(self.text_width() * fig.width_ratio)
        p.add_run().add_picture(str(fig.png), width=width)
        self.para("caption", f"图{fig.number}{FULL_SPACE}{fig.caption}")
        if fig.source:
            self.para("source", fig.source)

    def table(self, table: Table) -> None:
        if table.caption:
            self.para("table_caption", f"表{table.number}{FULL_SPACE}{table.caption}")
        columns = max([len(table.header), *(len(r) for r in table.rows)])
        t = self.doc.add_table(rows=1 + len(table.rows), cols=columns)
        t.style = self.style("Table Grid")
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                  "center": WD_ALIGN_PARAGRAPH.CENTER}
        for r, cells in enumerate([table.header, *table.rows]):
            for c in range(columns):
                cell = t.cell(r, c)
                p = cell.paragraphs[0]
                self.set_style(p, "table")
                p.alignment = aligns.get(table.align[c] if c < len(table.align) else "", None)
                run = p.add_run(cells[c] if c < len(cells) else "")
                if r == 0:
                    run.bold = True
        _repeat_header(t.rows[0])
        if table.source:
            self.para("source", table.source)

    # -- end matter -------------------------------------------------------------
    def end_matter(self) -> None:
        end = self.model.end
        if end.note:
            p = self.para("note", self.house.note_label + end.note)
        for author in end.authors:
            if author.bio:
                p = self.para("bio")
                p.add_run(self.house.bio_label).bold = True
                p.add_run(author.bio)
        self.board()
        for text in (end.disclaimer, end.feedback):
            if text:
                self.para("disclaimer", text)

    def board(self) -> None:
        end = self.model.end
        if not end.board:
            return
        self.para("board_title", end.board_title).paragraph_format.keep_with_next = True
        per_row = 5
        rows: list[list[str]] = []
        for role in end.board:
            names = role.names
            first = True
            for i in range(0, max(len(names), 1), per_row):
                chunk = names[i : i + per_row]
                rows.append([f"{role.role}：" if first else "", *chunk])
                first = False
        if end.contact:
            rows.append(["联系方式：", end.contact])
        t = self.doc.add_table(rows=len(rows), cols=per_row + 1)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        # The label column holds the longest label (联系方式：); names share the rest.
        label_width = Pt(6 * self.house.style("board").size)
        name_width = int((self.text_width() - label_width) / per_row)
        for c, column in enumerate(t.columns):
            column.width = label_width if c == 0 else name_width
            for cell in column.cells:
                cell.width = label_width if c == 0 else name_width
        for r, cells in enumerate(rows):
            row = t.rows[r]
            if cells[0] == "联系方式：":
                merged = row.cells[1].merge(row.cells[per_row])
                row.cells[0].paragraphs[0].add_run(cells[0])
                merged.paragraphs[0].add_run(cells[1])
            else:
                for c, text in enumerate(cells):
                    row.cells[c].paragraphs[0].add_run(text)
            for cell in row.cells:
                for p in cell.paragraphs:
                    self.set_style(p, "board")
                    p.paragraph_format.keep_with_next = True
        rules = self.house.board_rules
        _table_rules(
            t,
            self.house.color(rules.color),
            thick_pt=rules.thick_mm / 25.4 * 72,
            thin_pt=rules.thin_mm / 25.4 * 72,
            thin_above_last=bool(end.contact),
        )

    # -- properties -------------------------------------------------------------
    def properties(self) -> None:
        meta = self.model.meta
        cp = self.doc.core_properties
        cp.title = meta.title
        cp.author = "、".join(meta.authors)
        cp.subject = meta.subject
        cp.keywords = "；".join(meta.keywords)
        cp.language = meta.language
        cp.category = self.house.series
        cp.comments = f"{self.model.masthead.institute}{self.model.masthead.series}" \
                      f"{self.model.masthead.issue_label}"
        stamp = dt.datetime.combine(meta.date, dt.time(9, 0))
        cp.created = stamp
        cp.modified = stamp
        cp.last_modified_by = "briefgen"
        cp.revision = 1

    def write(self, path: Path) -> Path:
        self.setup_page()
        self.masthead()
        self.body()
        self.end_matter()
        self.properties()
        with atomic_output(path) as tmp:
            self.doc.save(str(tmp))
        return path


def write_docx(document: Document, house: House, path: Path) -> Path:
    return DocxWriter(document, house).write(path)


# ---- WordprocessingML the python-docx API does not cover ----------------------


def _doc_grid(section: Any, line_pitch_pt: float) -> None:
    """A line grid of the house pitch. No character grid: Word and LibreOffice would
    spread every character of another size (and Latin text) to whole grid cells."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(line_pitch_pt * 20)))
    sect_pr.append(grid)


def _field(p: Any, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute on display."""

    def fld_char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    p.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    p.add_run()._r.append(instr)
    p.add_run()._r.append(fld_char("separate"))
    p.add_run(placeholder)
    p.add_run()._r.append(fld_char("end"))


def _border(tag: str, color: str, width_pt: float, kind: str = "single", space: float = 0) -> Any:
    el = OxmlElement(tag)
    el.set(qn("w:val"), kind)
    el.set(qn("w:sz"), str(max(2, round(width_pt * 8))))  # eighths of a point
    el.set(qn("w:space"), str(round(space)))
    el.set(qn("w:color"), color)
    return el


def _bottom_border(p: Any, color: str, width_pt: float, kind: str, space_pt: float) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bdr.append(_border("w:bottom", color, width_pt, kind, space_pt))
    ppr.insert_element_before(
        bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange",
    )


def _table_rules(table: Any, color: str, thick_pt: float, thin_pt: float,
                 thin_above_last: bool) -> None:
    """Rules as wide as the text block: thick above and below, thin before the last row."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    borders.append(_border("w:top", color, thick_pt))
    for side in ("w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"):
        el = OxmlElement(side)
        el.set(qn("w:val"), "nil")
        borders.append(el)
    borders.find(qn("w:bottom")).getparent().replace(
        borders.find(qn("w:bottom")), _border("w:bottom", color, thick_pt)
    )
    tbl_pr.append(borders)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.insert(1 if tbl_pr.find(qn("w:tblStyle")) is not None else 0, width)
    if thin_above_last:
        for cell in table.rows[-1].cells:
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_borders = OxmlElement("w:tcBorders")
            tc_borders.append(_border("w:top", color, thin_pt))
            tc_pr.append(tc_borders)


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _emphasis_mark(run: Any) -> None:
    """着重号: Chinese emphasis is a dot under each character, not italics."""
    rpr = run._r.get_or_add_rPr()
    em = OxmlElement("w:em")
    em.set(qn("w:val"), "dot")
    rpr.insert_element_before(em, "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
