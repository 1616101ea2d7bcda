"""The PDF writer: the document model set in the house style with ReportLab platypus.

Text is set by our own flowable (`TextBlock`), not by ReportLab's Paragraph:
lines are broken by the clreq rules in `cjk.break_lines`, every line but a
paragraph's last is justified by spreading (or squeezing) the space between
atoms (PDF ``Tc`` per run), and each character is drawn by the first face of
its role that has a glyph for it (see `FontPlan`). Everything visual comes from
the `House`.

collect (model → items, characters noted) → plan the fonts → build (items →
flowables) → pagination (headings kept, figures floated) → platypus.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefgen.config.house import House
from briefgen.errors import OutputError
from briefgen.fsio import atomic_output
from briefgen.model import Document
from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.build import Builder
from briefgen.writers.pdf.collect import Collector
from briefgen.writers.pdf.fontplan import FontPlan
from briefgen.writers.pdf.page import MM, PageNumbers
from briefgen.writers.pdf.text import Composer, Setting


class PdfWriter:
    """One document in one house style, written as one PDF."""

    def __init__(self, document: Document, house: House, use_cache: bool = True) -> None:
        self.doc = document
        self.house = house
        self.use_cache = use_cache
        self.plan = FontPlan(house, use_cache=use_cache)
        self.composer = Composer(self.plan, house)
        self.settings = {name: Setting.of(house, name) for name in house.styles}

    def flowables(self) -> list[Flowable]:
        """The document's flowables, its fonts planned and registered."""
        items = Collector(self.doc, self.house, self.plan, self.settings).collect()
        self.plan.prepare()
        return Builder(self.house, self.plan, self.composer, self.settings).flowables(items)

    def _initial_font(self) -> str | None:
        body = self.settings["body"]
        if not self.plan.slots:
            return None
        return next(iter(self.plan.table(body.role, body.bold).values())).font

    def write(self, path: Path) -> Path:
        rl_compat.binary_streams()
        flow = self.flowables()
        p = self.house.page
        meta = self.doc.meta
        numbers = PageNumbers(self.house, self.composer, self.settings[p.numbers.style])
        with atomic_output(path) as tmp:
            doc = BaseDocTemplate(
                str(tmp),
                pagesize=(p.width_mm * MM, p.height_mm * MM),
                leftMargin=p.margin_left_mm * MM, rightMargin=p.margin_right_mm * MM,
                topMargin=p.margin_top_mm * MM, bottomMargin=p.margin_bottom_mm * MM,
                title=meta.title, author="、".join(meta.authors), subject=meta.subject,
                keywords=list(meta.keywords), creator="briefgen", producer="briefgen (ReportLab)",
                lang=meta.language, initialFontName=self._initial_font(),
            )
            frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height + 0.01,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
            doc.addPageTemplates([PageTemplate("page", [frame], onPage=numbers)])
            try:
                doc.build(flow, canvasmaker=rl_compat.OutlineCanvas)
            except LayoutError as exc:
                raise OutputError(f"a block does not fit on a page: {exc}") from None
        return path


def write_pdf(document: Document, house: House, path: Path, use_cache: bool = True) -> Path:
    """Write `document` as a PDF in the house style, atomically; return `path`.

    `use_cache=False` (``briefgen build --no-cache``) reads nothing from the cache:
    the font index is rebuilt, fonts parsed and subset again; the results replace
    what the cache held.
    """
    return PdfWriter(document, house, use_cache).write(path)
