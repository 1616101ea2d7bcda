"""Page furniture: the masthead's rule and issue line, the page numbers in the footer."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from briefgen.config.house import House
from briefgen.writers.pdf.draw import baseline, draw_line
from briefgen.writers.pdf.flowables import TextBlock
from briefgen.writers.pdf.text import Composer, Setting, Span

MM = 72 / 25.4


class Rule(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """A rule across the text block: single, or thick-thin double."""

    def __init__(self, color: str, width: float, double: bool = False,
                 before: float = 0, after: float = 0) -> None:
        super().__init__()
        self.color, self.lw, self.double = color, width, double
        self.spaceBefore, self.spaceAfter = before, after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.lw * (2.3 if self.double else 1)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(HexColor("#" + self.color))
        c.setLineWidth(self.lw)
        y = self.height - self.lw / 2
        c.line(0, y, self.width, y)
        if self.double:
            thin = self.lw / 3
            c.setLineWidth(thin)
            y2 = self.height - self.lw * 2.3 + thin / 2
            c.line(0, y2, self.width, y2)


class IssueLine(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """The issue number at the left and the date at the right, on one line."""

    def __init__(self, left: TextBlock, right: TextBlock) -> None:
        super().__init__()
        self.left, self.right = left, right

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.left.s.leading
        return aw, self.height

    def draw(self) -> None:
        s = self.left.s
        y = self.height - baseline(s.leading, s.size)
        for block, side in ((self.left, "left"), (self.right, "right")):
            line = block.chars.lines()[0]
            w = line.width - block.chars.letter
            x = 0 if side == "left" else self.width - w
            draw_line(self.canv, block.chars, line, x, y, 0)


class PageNumbers:
    """Draws "— N —" in the footer: odd pages right, even pages left, or centred."""

    def __init__(self, house: House, composer: Composer, setting: Setting) -> None:
        self.house = house
        self.composer = composer
        self.s = setting

    def __call__(self, canv: Any, doc: Any) -> None:
        h = self.house
        numbers = h.page.numbers
        s = self.s
        n = canv.getPageNumber()
        chars = self.composer.chars([Span(numbers.template.format(n=n))], s)
        line = chars.lines()[0]
        w = line.width - chars.letter
        left = h.page.margin_left_mm * MM
        text_w = h.page.text_width_mm * MM
        inset = numbers.indent_chars * s.size
        if numbers.position == "center":
            x = left + (text_w - w) / 2
        elif n % 2:
            x = left + text_w - inset - w
        else:
            x = left + inset
        y = h.page.footer_distance_mm * MM
        canv.saveState()
        draw_line(canv, chars, line, x, y, 0)
        canv.restoreState()
