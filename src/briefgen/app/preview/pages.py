"""PDF pages as the browser shows them: PNG images, a text layer and figure boxes.

Each page is rendered with pypdfium2; its PNG is encoded only when its pixels differ
from every page already kept (a page is known by the hash of its pixel rows), so an
edit re-encodes the pages it touched. The rows' hashes also tell where on a page
the pixels changed, which is where the preview scrolls to.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pypdfium2

from briefgen.app.preview.adapter import FigureNote
from briefgen.app.preview.layout import Line, figure_places, lines

SCALE = 1.5  # pixels per PDF point: 108 dpi, a page 893 pixels wide
# pdfium may not run in two threads at once, even on two documents (pypdfium2's rule).
PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Box:
    """A figure's place on a page (points from the top left) and what it was printed from."""

    x: float
    y: float
    w: float
    h: float
    tip: str


@dataclass
class Page:
    key: str  # hash of the pixels: the image's name
    width: float  # points
    height: float
    rows: list[int]  # a hash per pixel row
    lines: list[Line]
    boxes: list[Box] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "width": self.width, "height": self.height,
            "lines": [[*_rounded(ln.x, ln.y, ln.w, ln.h), ln.text] for ln in self.lines],
            "boxes": [[*_rounded(b.x, b.y, b.w, b.h), b.tip] for b in self.boxes],
        }


def _rounded(*values: float) -> list[float]:
    return [round(v, 2) for v in values]


class PageRenderer:
    """Renders a PDF's pages; keeps each distinct page's image in memory by its key.

    A page's PNG is made when the browser first asks for it (`image`), in the
    server's thread, from the PDF and page number kept for it: the builder only
    renders and hashes, so a rebuilt state is published sooner, the encoding runs
    beside the builder's next steps, and no page waits in memory as pixels.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._png: dict[str, bytes] = {}
        self._pending: dict[str, tuple[bytes, int]] = {}  # key -> (PDF, page index)

    def render(self, pdf: bytes, figures: Sequence[FigureNote] = ()) -> list[Page]:
        with PDFIUM:
            document = pypdfium2.PdfDocument(pdf)
            try:
                pages = [self._page(pdf, document, i) for i in range(len(document))]
            finally:
                document.close()
        _place_figures(pages, figures)
        self._keep_only({p.key for p in pages})
        return pages

    def _keep_only(self, keep: set[str]) -> None:
        """Forget the images (made or pending) of pages the PDF no longer has."""
        with self._lock:
            self._png = {k: v for k, v in self._png.items() if k in keep}
            self._pending = {k: v for k, v in self._pending.items() if k in keep}

    def image(self, key: str) -> bytes | None:
        """A page's PNG by its key, encoded on the first request; None if no page has it."""
        with self._lock:
            if key in self._png:
                return self._png[key]
            pending = self._pending.get(key)
        if pending is None:
            return None
        pdf, index = pending
        with PDFIUM:
            document = pypdfium2.PdfDocument(pdf)
            try:
                image = document[index].render(scale=SCALE).to_pil()
            finally:
                document.close()
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=1)
        with self._lock:
            if self._pending.pop(key, None) is not None:
                self._png[key] = out.getvalue()
        return out.getvalue()

    def _page(self, pdf: bytes, document: pypdfium2.PdfDocument, index: int) -> Page:
        page = document[index]
        width, height = page.get_size()
        bitmap = page.render(scale=SCALE)
        buffer = memoryview(bitmap.buffer)
        stride = bitmap.stride
        rows = [zlib.crc32(buffer[i * stride:(i + 1) * stride]) for i in range(bitmap.height)]
        key = hashlib.sha1(repr((bitmap.width, rows)).encode()).hexdigest()[:16]
        with self._lock:
            if key not in self._png and key not in self._pending:
                self._pending[key] = (pdf, index)
        page_lines = lines(page, page.get_textpage())
        return Page(key, width, height, rows, page_lines)


def _place_figures(pages: list[Page], figures: Sequence[FigureNote]) -> None:
    """Put a box over each figure the prose printed, carrying its cells.

    The n-th place a figure's text stands in the PDF is the n-th figure printed with
    that text, when the counts agree; otherwise every place shows every such figure.
    """
    for text, notes in _findable_by_text(figures).items():
        _box_places(pages, text, notes)


def _findable_by_text(figures: Sequence[FigureNote]) -> dict[str, list[FigureNote]]:
    """The figures by the text they printed, those with a digit only (八 or 持平 would
    match too much)."""
    by_text: dict[str, list[FigureNote]] = {}
    for figure in figures:
        if any(ch.isdigit() for ch in figure.text):
            by_text.setdefault(figure.text, []).append(figure)
    return by_text


def _box_places(pages: list[Page], text: str, notes: list[FigureNote]) -> None:
    """A box at each place `text` stands, the n-th carrying the n-th note's tip when the
    counts agree, else every note's."""
    found = [(page, box) for page in pages for box in figure_places(page.lines, text)]
    shared = "\n".join(dict.fromkeys(note.tip() for note in notes))
    for n, (page, (x, y, w, h)) in enumerate(found):
        tip = notes[n].tip() if len(found) == len(notes) else shared
        page.boxes.append(Box(x, y, w, h, tip))


def first_change(old: Sequence[Page], new: Sequence[Page]) -> tuple[int, float, float] | None:
    """The first page whose pixels changed, and the band (top, bottom, in points) that did."""
    for index, page in enumerate(new):
        before = old[index] if index < len(old) else None
        if before is None or before.key != page.key:
            top, bottom = _changed_band(before, page)
            return index, top, bottom
    return None


def _changed_band(before: Page | None, page: Page) -> tuple[float, float]:
    """The band of `page` (top, bottom, in points) whose pixel rows differ from `before`'s:
    all of it when there was no page before or its height differs."""
    if before is None or len(before.rows) != len(page.rows):
        return 0.0, page.height
    changed = [r for r, (a, b) in enumerate(zip(before.rows, page.rows, strict=True)) if a != b]
    return changed[0] / SCALE, (changed[-1] + 1) / SCALE
