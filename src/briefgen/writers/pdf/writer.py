"""The PDF writer: the document model set in the house style with ReportLab platypus.

Text is set by our own flowable (`TextBlock`), not by ReportLab's Paragraph:
lines are broken by the clreq rules in `cjk.break_lines`, every line but a
paragraph's last is justified by spreading (or squeezing) the space between
atoms (PDF ``Tc`` per run), and each character is drawn by the first face of
its role that has a glyph for it (see `FontPlan`). Everything visual comes from
the `House`.

collect (model → items, characters noted) → plan the fonts → build (items →
flowables) → pagination (headings kept, figures floated) → platypus; a
document with footnotes is laid out again until each note sits on the page of
its reference (see footnotes).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefgen.config.house import House
from briefgen.errors import OutputError
from briefgen.fsio import atomic_output
from briefgen.model import Document, Figure
from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.build import Builder
from briefgen.writers.pdf.collect import Collector
from briefgen.writers.pdf.drawings import Drawing, load_drawing
from briefgen.writers.pdf.flowables import TextBlock
from briefgen.writers.pdf.fontplan import FontPlan
from briefgen.writers.pdf.footnotes import MAX_PASSES, NotesFrame, PageNotes
from briefgen.writers.pdf.items import FigureItem, Item, TextItem
from briefgen.writers.pdf.page import MM, PageNumbers
from briefgen.writers.pdf.rooms import RoomsMemory
from briefgen.writers.pdf.text import Composer, Setting


class PdfWriter:
    """One document in one house style, written as one PDF."""

    def __init__(self, document: Document, house: House, use_cache: bool = True,
                 before_drawings: Callable[[], None] | None = None) -> None:
        self.doc = document
        self.before_drawings = before_drawings
        self.house = house
        self.use_cache = use_cache
        self.plan = FontPlan(house, use_cache=use_cache)
        self.composer = Composer(self.plan, house)
        self.settings = {name: Setting.of(house, name) for name in house.styles}
        if "footnote" not in self.settings:  # a house file without one: notes set as sources
            self.settings["footnote"] = replace(self.settings["source"], align="justify")
        self.notes: dict[int, TextItem] = {}
        self.drawings: dict[Path, Drawing | None] = {}

    def items(self) -> list[Item]:
        """The document's items (and footnotes), its fonts planned and registered; each
        chart's drawing is read when it is first drawn (`_drawings`)."""
        collector = Collector(self.doc, self.house, self.plan, self.settings)
        items = collector.collect()
        self.notes = collector.notes
        self.plan.prepare()
        for it in items:
            if isinstance(it, FigureItem):
                it.read_drawing = functools.partial(self._drawing, it.figure)
        return items

    def _drawing(self, fig: Figure) -> Drawing | None:
        """A chart's operators, read once (every layout pass draws it); the first read waits
        for the charts (`before_drawings`)."""
        if fig.png not in self.drawings:
            if self.before_drawings is not None:
                self.before_drawings()
                self.before_drawings = None
            self.drawings[fig.png] = load_drawing(fig)
        return self.drawings[fig.png]

    def flowables(self, items: list[Item], notes: PageNotes | None = None) -> list[Flowable]:
        """The items' flowables (new ones for each layout pass: a pass consumes them)."""
        builder = Builder(self.house, self.plan, self.composer, self.settings)
        return builder.flowables(items, notes.heard if notes else None)

    def _initial_font(self) -> str | None:
        body = self.settings["body"]
        if not self.plan.slots:
            return None
        return next(iter(self.plan.table(body.role, body.bold).values())).font

    def _template(self, target: Any) -> BaseDocTemplate:
        p = self.house.page
        meta = self.doc.meta
        return BaseDocTemplate(
            target,
            pagesize=(p.width_mm * MM, p.height_mm * MM),
            leftMargin=p.margin_left_mm * MM, rightMargin=p.margin_right_mm * MM,
            topMargin=p.margin_top_mm * MM, bottomMargin=p.margin_bottom_mm * MM,
            title=meta.title, author="、".join(meta.authors), subject=meta.subject,
            keywords=list(meta.keywords), creator="briefgen", producer="briefgen (ReportLab)",
            lang=meta.language, initialFontName=self._initial_font(),
        )

    def _layout(self, target: Any, items: list[Item], notes: PageNotes | None,
                dry: bool = False) -> None:
        """One layout pass of the items into `target` (a path or a file object); `dry`: a
        pass only to learn where the footnotes' references land (nothing drawn or written)."""
        doc = self._template(target)
        frame = NotesFrame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height + 0.01,
                           leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                           id="body")
        numbers = PageNumbers(self.house, self.composer, self.settings[self.house.page.numbers.style])
        if notes is None:
            template = PageTemplate("page", [frame], onPage=numbers)
        else:
            notes.start_pass(frame)

            def on_page(canv: Any, d: Any) -> None:
                notes.on_page(canv, d)
                numbers(canv, d)

            template = PageTemplate("page", [frame], onPage=on_page, onPageEnd=notes.on_page_end)
        doc.addPageTemplates([template])
        try:
            canvas = rl_compat.DryCanvas if dry else rl_compat.OutlineCanvas
            doc.build(self.flowables(items, notes), canvasmaker=canvas)
        except LayoutError as exc:
            raise OutputError(f"a block does not fit on a page: {exc}") from None

    def _page_notes(self) -> PageNotes:
        p = self.house.page
        width = p.text_width_mm * MM
        blocks = {n: TextBlock(self.composer, it.spans, self.settings[it.style])
                  for n, it in self.notes.items()}
        text_height = (p.height_mm - p.margin_top_mm - p.margin_bottom_mm) * MM
        return PageNotes(blocks, width, p.margin_left_mm * MM, p.margin_bottom_mm * MM,
                         text_height / 2, self.settings["body"].leading)

    def _settle(self, items: list[Item]) -> bytes:
        """Layout passes until every footnote sits on its reference's page; the PDF.

        The rooms the last build of these notes settled on are tried first: after an
        edit elsewhere (the editor's loop) one pass is then enough instead of two."""
        memory = RoomsMemory(self.plan.cache, self.notes, self.use_cache)
        remembered = memory.recall()
        if remembered:
            notes = self._page_notes()
            notes.rooms = remembered
            buffer = io.BytesIO()
            self._layout(buffer, items, notes)
            if notes.exact():
                return buffer.getvalue()
        notes = self._page_notes()
        # The first pass gives no room to any note, so it never settles: a dry one (no
        # glyph, chart or file written) tells where the references land.
        for n in range(MAX_PASSES):
            buffer = io.BytesIO()
            self._layout(buffer, items, notes, dry=n == 0)
            if n > 0 and notes.settled():
                memory.keep(notes.rooms)
                return buffer.getvalue()
            notes.next_rooms()
        raise OutputError(f"the footnotes did not settle on their pages in {MAX_PASSES} passes")

    def write(self, path: Path) -> Path:
        rl_compat.binary_streams()
        items = self.items()
        with atomic_output(path) as tmp:
            if not self.notes:
                self._layout(str(tmp), items, None)
            else:
                tmp.write_bytes(self._settle(items))
        return path


def write_pdf(document: Document, house: House, path: Path, use_cache: bool = True,
              before_drawings: Callable[[], None] | None = None) -> Path:
    """Write `document` as a PDF in the house style, atomically; return `path`.

    `use_cache=False` (``briefgen build --no-cache``) reads nothing from the cache:
    the font index is rebuilt, fonts parsed and subset again; the results replace
    what the cache held. `before_drawings` is called before the charts' drawings are
    read, once the fonts are planned (the build waits there for the charts' helper).
    """
    return PdfWriter(document, house, use_cache, before_drawings).write(path)
