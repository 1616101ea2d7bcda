"""The Word writer: the document model's blocks as paragraphs on the reference doc's styles.

Every paragraph names a Word style (Heading 1-4, Body Text, Caption, ...) and
takes its look from there; the writer itself sets no font, size or colour.
Page geometry, rules and page numbers come from the house style.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from briefgen.config import wordnames
from briefgen.config.brief import core_property
from briefgen.config.house import House
from briefgen.config.wordnames import FIGURE_STYLE, WORD_STYLES, block_name
from briefgen.fsio import atomic_output
from briefgen.model import Block, Document, Figure, Heading, ListBlock, Note, Paragraph, Table
from briefgen.typeset.board import board_layout, caption_text
from briefgen.writers.docx.fields import Bookmarks, add_field
from briefgen.writers.docx.footnotes import Footnotes
from briefgen.writers.docx.inlines import InlineWriter
from briefgen.writers.docx.numbering import bind_heading_numbers
from briefgen.writers.docx.oxml import add_text, border, borders, put
from briefgen.writers.docx.package import finish_package, source_map
from briefgen.writers.docx.page import setup_page
from briefgen.writers.docx.start import open_reference
from briefgen.writers.docx.stylemap import use_word_name
from briefgen.writers.docx.tables import board_table, data_table

HEADING_STYLE = {1: "heading1", 2: "heading2", 3: "heading3", 4: "heading4"}


def figure_ref(fig: Figure) -> str:
    return wordnames.figure_ref(fig.chart_id)


def table_ref(table: Table) -> str:
    return wordnames.table_ref(table.number)


class DocxWriter:
    """`before_pictures` is called once the text is written, before the charts' PNGs are
    read (a build's charts may still be drawn meanwhile: `Prepared.write_pngs`)."""

    def __init__(self, document: Document, house: House,
                 before_pictures: Callable[[], None] | None = None) -> None:
        self.model = document
        self.house = house
        self.before_pictures = before_pictures
        self.pictures: list[tuple[Any, Figure]] = []  # each figure's run, filled at the end
        self.doc, self.stylemap = open_reference(house)
        self._styles: dict[str, Any] = {}
        self.bookmarks = Bookmarks()
        targets: dict[tuple[str, int], str] = {}
        for block in document.body:
            if isinstance(block, Figure):
                targets["figure", block.number] = figure_ref(block)
            elif isinstance(block, Table) and block.caption:
                targets["table", block.number] = table_ref(block)
        self.inlines = InlineWriter(house, self.bookmarks, targets, Footnotes(self.doc, house))
        # each block kind → its writer (the model's blocks are plain dataclasses)
        self._block_writers: dict[type, Callable[[Any], None]] = {
            Heading: self.heading, Paragraph: self.paragraph, ListBlock: self.list_block,
            Note: self.note, Figure: self.figure, Table: self.table,
        }

    # -- helpers --------------------------------------------------------------
    def style(self, element: str) -> Any:
        """The Word style of a house element (looked up once: python-docx scans the list)."""
        name = WORD_STYLES.get(element, element)
        if name not in self._styles:
            style = self.stylemap.find(name)
            use_word_name(style, name)
            self._styles[name] = style
        return self._styles[name]

    def style_id(self, element: str) -> str:
        return str(self.style(element).style_id)

    def para(self, element: str, text: str = "") -> Any:
        p = self.doc.add_paragraph()
        # Straight to w:pStyle: python-docx would look the style up by name again each time.
        p._p.style = self.style_id(element)
        if text:
            add_text(p, text)
        return p

    def caption(self, element: str, kind: str, number: int, text: str, name: str) -> Any:
        """图N　… with N a SEQ field (result filled in) and 图N bookmarked for REF fields."""
        labels = self.house.labels
        label = labels.figure if kind == "figure" else labels.table
        p = self.para(element)
        ident = self.bookmarks.start(p, name)
        add_text(p, label)
        add_field(p, f"SEQ {labels.seq_name(kind)} \\* ARABIC", str(number))
        self.bookmarks.end(p, ident)
        add_text(p, labels.caption_gap + text)
        return p

    def text_width(self) -> int:
        return int(Mm(self.house.page.text_width_mm))

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
        kind = "thickThinSmallGap" if rule.double else "single"
        line = border("w:bottom", self.house.color(rule.color), rule.width_pt, kind,
                      rule.space_after_pt)
        put(p._p.get_or_add_pPr(), borders("w:pBdr", {"bottom": line}))
        title = self.para("title")
        for i, text in enumerate(self.model.title_lines):
            if i:
                title.add_run().add_break()
            add_text(title, text)
        self.para("author", self.model.author_line)

    # -- body -------------------------------------------------------------------
    def body(self) -> None:
        body = self.doc.element.body
        sources: dict[str, str] = {}
        for index, block in enumerate(self.model.body):
            if block.where:
                sources[block_name(index).lstrip("_")] = block.where
            first = len(body) - 1  # new paragraphs go before the closing w:sectPr
            self.block(block)
            self._tag_first_paragraph(body[first:], block_name(index))
        source_map(self.doc, sources)

    def _tag_first_paragraph(self, added: list[Any], name: str) -> None:
        """Bookmark the block's first paragraph (a table's caption, a figure's picture)."""
        for el in added:
            if el.tag.endswith("}p"):
                at = 1 if el.pPr is not None else 0
                for mark in reversed(self.bookmarks.empty(name)):
                    el.insert(at, mark)
                return

    def block(self, block: Block) -> None:
        writer = self._block_writers.get(type(block))
        if writer is not None:
            writer(block)

    def heading(self, block: Heading) -> None:
        # The number comes from the list bound to the Heading style (numbering.py).
        self.inlines.runs(self.para(HEADING_STYLE[block.level]), block.inlines)

    def paragraph(self, block: Paragraph) -> None:
        self.inlines.runs(self.para("body"), block.inlines)

    def note(self, block: Note) -> None:
        p = self.para("note")
        if block.label:
            add_text(p, block.label)
        self.inlines.runs(p, block.inlines)

    def list_block(self, block: ListBlock) -> None:
        for n, item in enumerate(block.items, 1):
            p = self.para("body")
            add_text(p, self.house.labels.list_mark(block.ordered, n))
            self.inlines.runs(p, item)

    def figure(self, fig: Figure) -> None:
        p = self.para(FIGURE_STYLE)
        self.pictures.append((p.add_run(), fig))  # the picture itself: `add_pictures`
        self.caption("caption", "figure", fig.number, fig.caption, figure_ref(fig))
        for line in (fig.source, fig.note):
            if line:
                self.para("source", line)

    def add_pictures(self) -> None:
        """Each figure's PNG into its run, in document order (the same part names and ids
        as when added in place), once `before_pictures` says the PNGs are there."""
        if self.pictures and self.before_pictures is not None:
            self.before_pictures()
        for run, fig in self.pictures:
            width = int(self.text_width() * fig.width_ratio)
            shape = run.add_picture(str(fig.png), width=width)
            # Alt text for screen readers and for Word's 可选文字 pane: the caption.
            doc_pr = shape._inline.docPr
            doc_pr.set("descr", caption_text(self.house, "figure", fig.number, fig.caption))

    def table(self, table: Table) -> None:
        if table.caption:
            self.caption("table_caption", "table", table.number, table.caption,
                         table_ref(table))
        data_table(self.doc, table, self.house, self.style_id)
        if table.source:
            self.para("source", table.source)

    # -- end matter -------------------------------------------------------------
    def end_matter(self) -> None:
        end = self.model.end
        if end.note:
            self.para("note", self.house.note_label + end.note)
        self.bios()
        if end.board:
            self.board()
        for text in (end.disclaimer, end.feedback):
            if text:
                self.para("disclaimer", text)

    def bios(self) -> None:
        for author in self.model.end.authors:
            if author.bio:
                p = self.para("bio")
                p.add_run(self.house.bio_label).bold = True
                add_text(p, author.bio)

    def board(self) -> None:
        end = self.model.end
        self.para("board_title", end.board_title).paragraph_format.keep_with_next = True
        board_table(self.doc, board_layout(end, self.house), self.house, self.style_id,
                    self.text_width())

    # -- properties -------------------------------------------------------------
    def properties(self) -> None:
        meta = self.model.meta
        m = self.model.masthead
        cp = self.doc.core_properties
        # Core properties hold 255 characters: shortened here, never in the brief.
        cp.title = core_property(meta.title)
        cp.author = core_property("、".join(meta.authors))
        cp.subject = core_property(meta.subject)
        cp.keywords = core_property("；".join(meta.keywords))
        cp.language = meta.language
        cp.category = self.house.series
        cp.comments = f"{m.institute}{m.series}{m.issue_label}"
        stamp = dt.datetime.combine(meta.date, dt.time(9, 0))
        cp.created = stamp
        cp.modified = stamp
        cp.last_modified_by = "briefgen"
        cp.revision = 1

    def write(self, path: Path) -> Path:
        setup_page(self.doc, self.house, self.style_id)
        bind_heading_numbers(self.doc, self.house, self.style_id, self.style)
        self.masthead()
        self.body()
        self.end_matter()
        self.properties()
        self.add_pictures()
        finish_package(self.doc, self.house)
        with atomic_output(path) as tmp:
            self.doc.save(str(tmp))
        return path


def write_docx(document: Document, house: House, path: Path,
               before_pictures: Callable[[], None] | None = None) -> Path:
    """Write the document model as a .docx at `path` (atomically); `before_pictures` is
    called before the charts' PNGs are read."""
    return DocxWriter(document, house, before_pictures).write(path)
