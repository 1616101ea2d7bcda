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
from PIL import Image

from briefgen.app.preview.adapter import FigureNote

SCALE = 1.5  # pixels per PDF point: 108 dpi, a page 893 pixels wide


@dataclass(frozen=True)
class Line:
    """A run of text on a page, in PDF points from the page's top left."""

    x: float
    y: float
    w: float
    h: float
    text: str


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
            "lines": [[round(v, 2) for v in (ln.x, ln.y, ln.w, ln.h)] + [ln.text]
                      for ln in self.lines],
            "boxes": [[round(v, 2) for v in (b.x, b.y, b.w, b.h)] + [b.tip] for b in self.boxes],
        }


class PageRenderer:
    """Renders a PDF's pages; keeps each distinct page's image in memory by its key.

    A page's PNG is encoded when the browser first asks for it (`image`), in the
    server's thread: the builder only renders and hashes, so a rebuilt state is
    published sooner, and the encoding of several pages runs beside it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._png: dict[str, bytes] = {}
        self._pending: dict[str, Image.Image] = {}

    def render(self, pdf: bytes, figures: Sequence[FigureNote] = ()) -> list[Page]:
        document = pypdfium2.PdfDocument(pdf)
        try:
            pages = [self._page(document[i]) for i in range(len(document))]
            _place_figures(document, pages, figures)
        finally:
            document.close()
        keep = {p.key for p in pages}
        with self._lock:
            self._png = {k: v for k, v in self._png.items() if k in keep}
            self._pending = {k: v for k, v in self._pending.items() if k in keep}
        return pages

    def image(self, key: str) -> bytes | None:
        """A page's PNG by its key, encoded on the first request; None if no page has it."""
        with self._lock:
            if key in self._png:
                return self._png[key]
            pending = self._pending.get(key)
        if pending is None:
            return None
        out = io.BytesIO()
        pending.save(out, "PNG", compress_level=1)
        with self._lock:
            if self._pending.pop(key, None) is not None:
                self._png[key] = out.getvalue()
        return out.getvalue()

    def _page(self, page: pypdfium2.PdfPage) -> Page:
        width, height = page.get_size()
        bitmap = page.render(scale=SCALE)
        buffer = memoryview(bitmap.buffer)
        stride = bitmap.stride
        rows = [zlib.crc32(buffer[i * stride:(i + 1) * stride]) for i in range(bitmap.height)]
        key = hashlib.sha1(repr((bitmap.width, rows)).encode()).hexdigest()[:16]
        with self._lock:
            known = key in self._png or key in self._pending
        if not known:
            image = bitmap.to_pil()
            with self._lock:
                self._pending[key] = image
        lines = _lines(page.get_textpage(), height)
        return Page(key, width, height, rows, lines)


def _lines(text: pypdfium2.PdfTextPage, height: float) -> list[Line]:
    lines = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        words = text.get_text_bounded(left, bottom, right, top).strip()
        if words:
            lines.append(Line(left, height - top, right - left, top - bottom, words))
    return lines


def _place_figures(
    document: pypdfium2.PdfDocument, pages: list[Page], figures: Sequence[FigureNote]
) -> None:
    """Put a box over each figure the prose printed, carrying its cells.

    The n-th place a figure's text stands in the PDF is the n-th figure printed with
    that text, when the counts agree; otherwise every place shows every such figure.
    """
    by_text: dict[str, list[FigureNote]] = {}
    for figure in figures:
        if any(ch.isdigit() for ch in figure.text):  # 八 or 持平 would match too much
            by_text.setdefault(figure.text, []).append(figure)
    places: dict[str, list[tuple[int, Box]]] = {text: [] for text in by_text}
    for index, shown in enumerate(pages):
        textpage = document[index].get_textpage()
        full = textpage.get_text_range()
        for text in by_text:
            for start in _occurrences(full, text):
                left, bottom, right, top = _extent(textpage, start, len(text))
                box = Box(left, shown.height - top, right - left, top - bottom, "")
                places[text].append((index, box))
    for text, notes in by_text.items():
        found = places[text]
        shared = "\n".join(dict.fromkeys(note.tip() for note in notes))
        for n, (index, box) in enumerate(found):
            tip = notes[n].tip() if len(found) == len(notes) else shared
            pages[index].boxes.append(Box(box.x, box.y, box.w, box.h, tip))


def _occurrences(full: str, text: str) -> list[int]:
    """Where `text` stands in a page's text as a whole number (no digit glued on)."""
    found = []
    start = full.find(text)
    while start >= 0:
        before = full[max(start - 2, 0):start]
        after = full[start + len(text):start + len(text) + 2]
        if not (_digit_at(before, -1) or _digit_at(after, 0) or _decimal(before[::-1])
                or _decimal(after)):
            found.append(start)
        start = full.find(text, start + 1)
    return found


def _digit_at(text: str, index: int) -> bool:
    return bool(text) and text[index].isdigit()


def _decimal(text: str) -> bool:
    """A decimal point with a digit beyond it: the number goes on."""
    return len(text) == 2 and text[0] == "." and text[1].isdigit()


def _extent(
    textpage: pypdfium2.PdfTextPage, start: int, count: int
) -> tuple[float, float, float, float]:
    """The box of some characters, on the line the first one stands on."""
    boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
    first_top = boxes[0][3]
    line = [b for b in boxes if abs(b[3] - first_top) < (b[3] - b[1]) / 2 + 0.5]
    return (min(b[0] for b in line), min(b[1] for b in line),
            max(b[2] for b in line), max(b[3] for b in line))


def first_change(old: Sequence[Page], new: Sequence[Page]) -> tuple[int, float, float] | None:
    """The first page whose pixels changed, and the band (top, bottom, in points) that did."""
    for index, page in enumerate(new):
        before = old[index] if index < len(old) else None
        if before is not None and before.key == page.key:
            continue
        if before is None or len(before.rows) != len(page.rows):
            return index, 0.0, page.height
        changed = [r for r, (a, b) in enumerate(zip(before.rows, page.rows, strict=True)) if a != b]
        return index, changed[0] / SCALE, (changed[-1] + 1) / SCALE
    return None
