"""Where a PDF page's text stands: its lines, and the boxes of the figures on them.

Taken from pdfium's text objects (what the page draws), not from its text page:
briefgen's PDF carries each line's text as ActualText, for which pdfium's text
page places every character inside the first glyph. A line is the run of text
objects on one baseline; its text is theirs (the ActualText on the first one),
and a character's place in it is estimated from its width class (full or half
width) across the line's drawn extent.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class Line:
    """A run of text on a page, in PDF points from the page's top left."""

    x: float
    y: float
    w: float
    h: float
    text: str

    def span(self, start: int, count: int) -> tuple[float, float]:
        """The left edge and the width of some of the line's characters."""
        weights = [_width(ch) for ch in self.text]
        total = sum(weights) or 1.0
        left = sum(weights[:start]) / total * self.w
        width = sum(weights[start:start + count]) / total * self.w
        return self.x + left, width


def _width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


@dataclass
class _Run:
    """Text objects gathered on one baseline so far (PDF coordinates, y up)."""

    left: float
    bottom: float
    right: float
    top: float
    text: str

    def takes(self, left: float, bottom: float, top: float) -> bool:
        """Whether a glyph run goes on this line: further right, heights mostly shared."""
        overlap = min(self.top, top) - max(self.bottom, bottom)
        return left >= self.left and overlap > 0.5 * min(self.top - self.bottom, top - bottom)

    def add(self, left: float, bottom: float, right: float, top: float, text: str) -> None:
        self.left, self.bottom = min(self.left, left), min(self.bottom, bottom)
        self.right, self.top = max(self.right, right), max(self.top, top)
        self.text += text


def lines(page: pypdfium2.PdfPage, textpage: pypdfium2.PdfTextPage) -> list[Line]:
    """The page's lines of text, in the order drawn."""
    height = page.get_size()[1]
    runs: list[_Run] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT], textpage=textpage):
        left, bottom, right, top = obj.get_bounds()
        text = _text(obj)
        if runs and runs[-1].takes(left, bottom, top):
            runs[-1].add(left, bottom, right, top, text)
        else:
            runs.append(_Run(left, bottom, right, top, text))
    return [Line(r.left, height - r.top, r.right - r.left, r.top - r.bottom, r.text.strip())
            for r in runs if r.text.strip()]


def _text(obj: pypdfium2.PdfTextObj) -> str:
    try:
        return str(obj.extract())
    except pypdfium2.PdfiumError:  # an object with no text of its own
        return ""


def occurrences(text: str, figure: str) -> list[int]:
    """Where `figure` stands in `text` as a whole number (no digit glued on either side)."""
    found = []
    start = text.find(figure)
    while start >= 0:
        before = text[max(start - 2, 0):start]
        after = text[start + len(figure):start + len(figure) + 2]
        if not (_digit_at(before, -1) or _digit_at(after, 0) or _decimal(before[::-1])
                or _decimal(after)):
            found.append(start)
        start = text.find(figure, start + 1)
    return found


def _digit_at(text: str, index: int) -> bool:
    return bool(text) and text[index].isdigit()


def _decimal(text: str) -> bool:
    """A decimal point with a digit beyond it: the number goes on."""
    return len(text) == 2 and text[0] == "." and text[1].isdigit()


def figure_places(page_lines: Sequence[Line], figure: str) -> list[tuple[float, float, float, float]]:
    """The boxes (x, y, w, h) where a figure's text stands on a page's lines."""
    places = []
    for line in page_lines:
        for start in occurrences(line.text, figure):
            x, w = line.span(start, len(figure))
            places.append((x, line.y, w, line.h))
    return places
