"""Line drawing: one broken line of measured characters put on the canvas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor

from briefgen.typeset.cjk import Line
from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.text import Chars

Placed = tuple[int, float]  # a character's index in the Chars, and its x


def baseline(leading: float, size: float) -> float:
    """From the top of a line box to the baseline: the ideographic em box centred in the box."""
    return leading / 2 + size * 0.38


def place(c: Chars, line: Line, x: float, gap: float, shrink: float) -> list[Placed]:
    """Where each character of the line starts: atoms from x, `gap` at each atom boundary,
    Han-Latin blanks at `shrink` times their width, consecutive marks squeezed."""
    pos: list[Placed] = []
    cx = x
    for ai, (s, e) in enumerate(line.atoms):
        if ai:
            cx += gap
        for i in range(s, e):
            if pos:
                cx += c.glue[i] * shrink + c.kern[i]
            pos.append((i, cx))
            cx += c.widths[i]
    return pos


def spacing_after(c: Chars, pos: list[Placed]) -> list[float]:
    """The spacing after each glyph: to the next glyph's place (a squeezed mark pair aside)."""
    after = [pos[k + 1][1] - pos[k][1] - (c.widths[pos[k][0]] - c.letter) - c.kern[pos[k + 1][0]]
             for k in range(len(pos) - 1)]
    after.append(after[-1] if after else c.letter)
    return after


def runs(c: Chars, pos: list[Placed], after: list[float]) -> list[tuple[int, int]]:
    """Runs of glyphs of one font, size, colour and spacing after each, as (start, end).

    The second mark of a squeezed pair starts a run, placed where it stands (not by a
    Tc that a reader such as pdfminer drops after the last glyph of a string).
    """
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(pos):
        j = k + 1
        while j < len(pos) and _same_run(c, pos[k][0], pos[j][0], after[k], after[j]):
            j += 1
        out.append((k, j))
        k = j
    return out


def _same_run(c: Chars, i0: int, i: int, after0: float, after: float) -> bool:
    """Whether glyph `i` continues the run glyph `i0` starts: the same look, no kern
    before it and the same spacing after it."""
    return _same_look(c, i0, i) and not c.kern[i] and abs(after - after0) <= 0.005


def _same_look(c: Chars, i0: int, i: int) -> bool:
    """Same font slot, size, colour and rise."""
    return (c.slots[i] == c.slots[i0] and c.sizes[i] == c.sizes[i0]
            and c.colors[i] == c.colors[i0] and (not c.rises or c.rises[i] == c.rises[i0]))


@dataclass
class _TextState:
    """What the text object has been set to so far on the line: each setter writes only
    what changed."""

    font: tuple[str, float] | None = None
    space: float | None = None
    paint: tuple[str, int] | None = None  # colour, render mode
    mode: int | None = None

    def set_font(self, text: Any, font: tuple[str, float]) -> None:
        if self.font != font:
            self.font = font
            text.setFont(*font)

    def set_space(self, text: Any, space: float) -> None:
        if self.space is None or abs(self.space - space) > 0.0005:
            self.space = space
            text.setCharSpace(space)

    def set_paint(self, text: Any, color: str, mode: int) -> None:
        """Fill in `color`; a fake bold (mode 2) also strokes in it."""
        if self.paint == (color, mode):
            return
        hex_color = HexColor("#" + color)
        if self.paint is None or self.paint[0] != color:
            text.setFillColor(hex_color)
        if mode == _FAKE_BOLD:
            text.setStrokeColor(hex_color)
        self.paint = (color, mode)

    def set_mode(self, text: Any, mode: int) -> None:
        if self.mode != mode:
            self.mode = mode
            text.setTextRenderMode(mode)


_FAKE_BOLD = 2  # render mode fill and stroke: a face without a bold, thickened
_FILL = 0


def _set_run(text: Any, c: Chars, i0: int, space: float, state: _TextState) -> None:
    """Select the run's font, character spacing, colour and render mode (what changed)."""
    slot = c.slots[i0]
    mode = _FAKE_BOLD if slot.fake_bold else _FILL
    state.set_font(text, (slot.font, c.sizes[i0]))
    state.set_space(text, space)
    state.set_paint(text, c.colors[i0], mode)
    state.set_mode(text, mode)


def _fake_bold_stroke(c: Chars, pos: list[Placed], line_runs: list[tuple[int, int]]
                      ) -> float | None:
    """The stroke width that thickens the line's fake bold runs, None if it has none."""
    sizes = [c.sizes[pos[k][0]] for k, _ in line_runs if c.slots[pos[k][0]].fake_bold]
    return max(sizes) * 0.035 if sizes else None


def _actual_text(c: Chars, pos: list[Placed]) -> str:
    """The marked-content operator that gives the line's characters as written."""
    actual = "".join(c.text[i] for i, _ in pos).encode("utf-16-be").hex().upper()
    return f"/Span <</ActualText <FEFF{actual}>>> BDC"


def _show_runs(text: Any, c: Chars, pos: list[Placed], after: list[float],
               line_runs: list[tuple[int, int]], y: float) -> None:
    """Each run set where its first glyph stands (raised if a footnote number)."""
    state = _TextState()
    for k, j in line_runs:
        _set_run(text, c, pos[k][0], after[k], state)
        text.setTextOrigin(pos[k][1], y + (c.rises[pos[k][0]] if c.rises else 0))
        text.textOut("".join(c.text[pos[m][0]] for m in range(k, j)))


def _draw_text(canv: Any, c: Chars, pos: list[Placed], after: list[float], y: float) -> None:
    """The glyphs, run by run, marked with the line's text (``/ActualText``)."""
    text = canv.beginText()
    line_runs = runs(c, pos, after)
    stroke = _fake_bold_stroke(c, pos, line_runs)
    if stroke is not None:
        canv.saveState()
        canv.setLineWidth(stroke)
    # inside q/Q: at EMC a reader still has the line's text state (pdftotext places the
    # marked text with it)
    canv.addLiteral(_actual_text(c, pos))
    _show_runs(text, c, pos, after, line_runs, y)
    canv.drawText(text)
    canv.addLiteral("EMC")
    if stroke is not None:
        canv.restoreState()


def _draw_emphasis(canv: Any, c: Chars, pos: list[Placed], y: float) -> None:
    """着重号: a dot under each emphasised character."""
    for i, px in pos:
        if c.ems[i] and not c.text[i].isspace():
            size = c.sizes[i]
            canv.saveState()
            canv.setFillColor(HexColor("#" + c.colors[i]))
            w = c.widths[i] - c.letter
            canv.circle(px + w / 2, y - size * 0.22, size * 0.06, stroke=0, fill=1)
            canv.restoreState()


def draw_line(canv: Any, c: Chars, line: Line, x: float, y: float, gap: float,
              shrink: float = 1.0) -> None:
    """Draw one line: atoms placed from x, `gap` added at each atom boundary, the
    Han-Latin blanks at `shrink` times their width, consecutive marks squeezed.

    Each run of characters in one font, size and colour is placed where it starts;
    inside it, the character spacing (PDF ``Tc``) carries each glyph to the next
    one's place. The line is marked with its text (``/ActualText``): a text
    extractor (pdftotext, copy and paste) reads the characters as written, and
    does not take the blanks of justification or between Han and Latin text for
    spaces.
    """
    if rl_compat.is_dry(canv):
        return
    pos = place(c, line, x, gap, shrink)
    _draw_text(canv, c, pos, spacing_after(c, pos), y)
    _draw_emphasis(canv, c, pos, y)
