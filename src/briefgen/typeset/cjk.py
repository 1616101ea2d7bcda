"""Chinese line breaking for the PDF writer, by the clreq rules (shared by both writers).

The rules themselves (character classes, 禁则, consecutive marks, atoms) live in
`clreq`; the names the writers use are re-exported here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.typeset.clreq import (
    NO_LINE_END,
    NO_LINE_START,
    OPENING_MARKS,
    SQUEEZABLE,
    balanced_lines,
    can_break_between,
    han_latin_glue,
    is_han,
    is_latin,
    mark_pairs,
    may_end_line,
    may_start_line,
    segment,
)

__all__ = [
    "GLUE_SHRINK", "NO_LINE_END", "NO_LINE_START", "OPENING_MARKS", "SQUEEZABLE", "Line",
    "balanced_lines", "break_lines", "can_break_between", "han_latin_glue", "is_han",
    "is_latin", "line_gaps", "mark_pairs", "segment",
]

# ReportLab's wordWrap='CJK' (5.1) breaks between any two ideographs but ignores the
# cannot-end list, lacks ，：；！？》 in its cannot-start list, splits 982.7亿元 and
# does not justify Chinese lines. The PDF writer breaks lines here instead: text is cut
# into atoms (an ideograph or mark; a Latin word; a number with its unit), lines are
# filled greedily, and a forbidden break is mended by pulling the next atom up (the line
# is squeezed into the half-width blanks of its full-width marks) or, failing that, by
# pushing the last atom down (the line is spread).


@dataclass
class Line:
    """One line of a paragraph: text[start:end] (edge spaces trimmed), cut into atoms."""

    start: int
    end: int
    width: float  # natural width of text[start:end]
    atoms: list[tuple[int, int]]
    last: bool  # the paragraph's last line: not justified
    glue: float = 0.0  # the Han-Latin blanks in the line (in `width`), which may shrink
    kern: float = 0.0  # the squeeze of consecutive marks inside the line (in `width`), <= 0


# A Han-Latin blank may give up this share of itself to fit a line (JLREQ: a quarter em
# shrinks to an eighth), before the half-width blanks of punctuation are squeezed.
GLUE_SHRINK = 0.5


def break_lines(
    text: str,
    widths: Sequence[float],
    first_width: float,
    width: float,
    glue: Sequence[float] | None = None,
    kern: Sequence[float] | None = None,
) -> list[Line]:
    """Break a paragraph into lines by the clreq rules above.

    `widths[i]` is the advance of text[i]; the first line has `first_width` (an
    indented line is shorter), the others `width`. `glue[i]` is a blank before
    text[i] that a line starting there drops (the space between a Han character and
    Latin text, see `han_latin_glue`); it may shrink by GLUE_SHRINK to fit a line. A
    line may come out wider than its measure, by no more than its blanks may shrink and
    its marks be squeezed (a closing mark pulled up): the writer does both, in that order.
    `kern[i]` (<= 0) is the squeeze of the blanks between text[i-1] and text[i], two
    consecutive marks (see `mark_pairs`): counted when both stand on one line, dropped
    when a line starts at text[i]; a mark's blank squeezed so is no more room to squeeze.
    """
    para = _Atoms.measure(text, widths, glue or [0.0] * len(text), kern or [0.0] * len(text),
                          min(first_width, width))
    lines: list[Line] = []
    i = para.skip_spaces(0)
    while i < para.n:
        j = _line_end(para, i, first_width if not lines else width)
        lines.append(para.line(i, j))
        i = para.skip_spaces(j)
    if lines:
        lines[-1].last = True
    return lines


_EPS = 1e-6


@dataclass
class _Atoms:
    """A paragraph cut into atoms, each measured: what `break_lines` fills lines with."""

    text: str
    spans: list[tuple[int, int]]
    width: list[float]  # an atom's width, its inner blanks and squeezes counted
    inner_glue: list[float]  # Han-Latin blanks inside an atom (982.7亿元)
    inner_kern: list[float]  # squeezed marks inside an atom
    glue_before: list[float]  # the Han-Latin blank before an atom
    kern_before: list[float]  # the squeeze before an atom (two marks meeting)
    before: list[float]  # what stands before an atom, unless it starts a line
    give: list[float]  # what an atom's blanks can give when shrunk
    space: list[bool]

    @classmethod
    def measure(cls, text: str, widths: Sequence[float], glue: Sequence[float],
                kern: Sequence[float], shortest: float) -> _Atoms:
        spans = _line_atoms(text, widths, glue, shortest)
        ig, ik = _inside(glue, spans), _inside(kern, spans)
        aw = [sum(widths[s:e]) + ig[k] + ik[k] for k, (s, e) in enumerate(spans)]
        gb, kb = _at_start(glue, spans), _at_start(kern, spans)
        return cls(text, spans, aw, ig, ik, gb, kb, [g + k for g, k in zip(gb, kb, strict=True)],
                   [GLUE_SHRINK * (g + b) for g, b in zip(ig, gb, strict=True)],
                   [text[s].isspace() for s, _ in spans])

    @property
    def n(self) -> int:
        return len(self.spans)

    def skip_spaces(self, i: int) -> int:
        while i < self.n and self.space[i]:
            i += 1
        return i

    def span(self, i: int, j: int) -> float:
        """The width of atoms i..j-1 set on one line."""
        return sum(self.width[i:j]) + sum(self.before[i + 1:j])

    def glue_in(self, i: int, j: int) -> float:
        return sum(self.inner_glue[i:j]) + sum(self.glue_before[i + 1:j])

    def kern_in(self, i: int, j: int) -> float:
        return sum(self.inner_kern[i:j]) + sum(self.kern_before[i + 1:j])

    def breakable(self, j: int) -> bool:
        """May a line end before atom j? (At a space: judged by the marks around it.)"""
        before, after = self._last_char_before(j), self._first_char_from(j)
        if self.space[j] or self.space[j - 1]:
            return may_end_line(before) and may_start_line(after)
        return can_break_between(before, after)

    def _last_char_before(self, j: int) -> str:
        """The last character before atom j, spaces passed over (the first atom's at worst)."""
        a = j - 1
        while a > 0 and self.space[a]:
            a -= 1
        return self.text[self.spans[a][1] - 1]

    def _first_char_from(self, j: int) -> str:
        """The first character from atom j on, spaces passed over (the last atom's at worst)."""
        b = j
        while b < self.n - 1 and self.space[b]:
            b += 1
        return self.text[self.spans[b][0]]

    def ends_legally(self, k: int) -> bool:
        """May a line end before atom k, or is k the paragraph's end?"""
        return k == self.n or self.breakable(k)

    def squeezable(self, k: int) -> bool:
        """Is atom k one full-width mark, with half its em blank?"""
        s, e = self.spans[k]
        return e - s == 1 and self.text[s] in SQUEEZABLE

    def squeeze_room(self, i: int, j: int) -> float:
        """The half-width blanks of the marks of atoms i..j-1, less those already squeezed."""
        half = sum(self.width[k] / 2 for k in range(i, j) if self.squeezable(k))
        return max(0.0, half + self.kern_in(i, j))

    def line(self, i: int, j: int) -> Line:
        """Atoms i..j-1 as a line, trailing spaces trimmed."""
        while j > i and self.space[j - 1]:
            j -= 1
        parts = self.spans[i:j]
        last = all(self.space[k] for k in range(j, self.n))
        return Line(parts[0][0], parts[-1][1], self.span(i, j), parts, last, self.glue_in(i, j),
                    self.kern_in(i, j))


def _inside(values: Sequence[float], spans: list[tuple[int, int]]) -> list[float]:
    """Per atom: the sum of `values` (blanks, squeezes) between its characters."""
    return [sum(values[s + 1:e]) for s, e in spans]


def _at_start(values: Sequence[float], spans: list[tuple[int, int]]) -> list[float]:
    """Per atom: the value (blank, squeeze) before its first character."""
    return [values[s] for s, _ in spans]


def _line_atoms(text: str, widths: Sequence[float], glue: Sequence[float],
                shortest: float) -> list[tuple[int, int]]:
    """The atoms of `text`; one wider than the `shortest` line is split anywhere."""
    atoms: list[tuple[int, int]] = []
    for s, e in segment(text):
        if _wider_than_a_line(text, s, e, sum(widths[s:e]) + sum(glue[s + 1:e]), shortest):
            atoms += [(k, k + 1) for k in range(s, e)]
        else:
            atoms.append((s, e))
    return atoms


def _wider_than_a_line(text: str, s: int, e: int, width: float, shortest: float) -> bool:
    """Is atom text[s:e] (of `width`) a word or number no line can hold? (Spaces are not:
    they are dropped at a line's edge.)"""
    return e - s > 1 and width > shortest and not text[s].isspace()


def _line_end(para: _Atoms, i: int, avail: float) -> int:
    """Where the line starting at atom i ends (exclusive): filled greedily, then a
    forbidden break mended. At least one atom, even one wider than the line."""
    j, w = _fill(para, i, avail)
    if i < j < para.n:
        j = _mend(para, i, j, w, avail)
    return max(j, i + 1)


def _fill(para: _Atoms, i: int, avail: float) -> tuple[int, float]:
    """As many atoms from i as fit in `avail`: (the end, their width); the end is i when
    the first atom alone is wider than the line."""
    j, w = i + 1, para.width[i]
    while j < para.n and w + para.before[j] + para.width[j] <= avail + _EPS:
        w += para.before[j] + para.width[j]
        j += 1
    return (i if w > avail + _EPS else j), w


@dataclass
class _PullUp:
    """Option A for mending a break: the next atoms pulled up to a legal break."""

    end: int
    width: float  # the line's natural width with them
    fits: bool  # a legal break within reach, and the line fits once squeezed


def _pull_up(para: _Atoms, i: int, j: int, w: float, avail: float) -> _PullUp:
    """Pull the next atoms (at most four) up to a legal break, shrinking the line's
    Han-Latin blanks and squeezing its marks (tk: the width with blanks shrunk)."""
    k, wk = j, w
    tk = w - GLUE_SHRINK * para.glue_in(i, j)
    while True:
        wk += para.before[k] + para.width[k]
        tk += para.before[k] + para.width[k] - para.give[k]
        k += 1
        if para.ends_legally(k) or k - j > 3:
            break
    fits = para.ends_legally(k) and tk - avail <= para.squeeze_room(i, k) + _EPS
    return _PullUp(k, wk, fits)


def _push_down(para: _Atoms, i: int, j: int) -> int:
    """Option B: the last legal break before atom j (i when there is none)."""
    b = j
    while b > i and not para.breakable(b):
        b -= 1
    return b


def _mend(para: _Atoms, i: int, j: int, w: float, avail: float) -> int:
    """The line i..j-1 as filled, its end moved to a legal break: a forbidden break is
    mended by pulling up first; a legal one takes the smaller change of the two."""
    pull = _pull_up(para, i, j, w, avail)
    b = _push_down(para, i, j)
    slack = avail - para.span(i, b) if b > i else math.inf
    if pull.fits and (not para.breakable(j) or pull.width - avail < slack):
        return pull.end
    return b if b > i else j


def line_gaps(line: Line, measure: float) -> float:
    """The space to add at each atom boundary to justify `line` to `measure` (may be < 0)."""
    boundaries = len(line.atoms) - 1
    if boundaries <= 0:
        return 0.0
    return (measure - line.width) / boundaries
