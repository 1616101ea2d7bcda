"""Chinese line-breaking rules (W3C clreq, basic level), shared by both writers."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# A line never starts with these (closing marks, pause and stop marks, units).
NO_LINE_START = set("、，。．：；！？）〕］｝】》〉」』”’・％‰℃!),.:;?]}%·…—")
# A line never ends with these (opening marks).
NO_LINE_END = set("（〔［｛【《〈「『“‘([{")


def is_latin(ch: str) -> bool:
    """Is `ch` set in the Latin face: printable ASCII (letters, digits, punctuation, the
    space), the no-break space, and Latin letters with diacritics (é, ü, ł)?"""
    o = ord(ch)
    return 0x20 <= o <= 0x7E or o == 0xA0 or (0xC0 <= o <= 0x24F and ch.isalpha())


def is_han(ch: str) -> bool:
    """Is `ch` a Han character (CJK ideographs, their extensions and compatibility forms, 〇)?"""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3FFFF or o == 0x3007)


_HAN = "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003ffff\u3007"
_LATIN_WORD = "A-Za-z0-9\u00c0-\u024f%‰"
# a boundary with a Han character on one side and a Latin letter, digit or % on the other
_HAN_LATIN = re.compile(f"(?<=[{_HAN}])(?=[{_LATIN_WORD}])|(?<=[{_LATIN_WORD}])(?=[{_HAN}])")


def han_latin_glue(text: str) -> list[bool]:
    """For each character: does a blank go before it, Han and Latin text meeting there?

    clreq 3.2.2: between a Han character and a Latin letter or digit, about a quarter
    em (Word and LibreOffice add it by default). Not next to punctuation or a space.
    """
    out = [False] * len(text)
    for m in _HAN_LATIN.finditer(text):
        i = m.start()
        if 0 < i < len(text):
            a, b = text[i - 1], text[i]
            # × ÷ and the like sit in the Latin-1 range but are not letters
            if (a.isalnum() or a in "%‰") and (b.isalnum() or b in "%‰"):
                out[i] = True
    return out


def char_width(ch: str) -> float:
    """Width in ems: Latin letters, digits and half-width marks count half."""
    return 0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0


def can_break_between(before: str, after: str) -> bool:
    """May a line end after `before` and the next start with `after`?"""
    if before in NO_LINE_END or after in NO_LINE_START:
        return False
    # Latin words and numbers with their units stay together.
    if before.isascii() and after.isascii() and (before.isalnum() or before in ".%")\
            and (after.isalnum() or after in ".%"):
        return False
    if before in "—…" and after == before:  # —— and …… are never split
        return False
    return True


def balanced_lines(text: str, chars_per_line: float) -> list[str]:
    """Break a title into as few lines as fit, of lengths as equal as the rules allow.

    No line is left with one or two characters alone, none starts with a closing
    mark or ends with an opening one.
    """
    total = sum(char_width(c) for c in text)
    if total <= chars_per_line:
        return [text]
    count = math.ceil(total / chars_per_line)
    target = total / count
    lines: list[str] = []
    rest = text
    for remaining in range(count, 1, -1):
        best: int | None = None
        best_cost = math.inf
        width = 0.0
        for i, ch in enumerate(rest[:-1]):
            width += char_width(ch)
            if width > chars_per_line:
                break
            if not can_break_between(rest[i], rest[i + 1]):
                continue
            tail = sum(char_width(c) for c in rest[i + 1 :])
            if tail > chars_per_line * (remaining - 1) or tail < 3:
                continue
            cost = abs(width - target)
            if cost < best_cost:
                best, best_cost = i + 1, cost
        if best is None:
            break
        lines.append(rest[:best])
        rest = rest[best:]
        target = sum(char_width(c) for c in rest) / (remaining - 1)
    lines.append(rest)
    return lines


# ---- line breaking for the PDF writer -------------------------------------------------------
#
# ReportLab's wordWrap='CJK' (5.1) breaks between any two ideographs but ignores the
# cannot-end list, lacks ，：；！？》 in its cannot-start list, splits 982.7亿元 and
# does not justify Chinese lines. The PDF writer breaks lines here instead: text is cut
# into atoms (an ideograph or mark; a Latin word; a number with its unit), lines are
# filled greedily, and a forbidden break is mended by pulling the next atom up (the line
# is squeezed into the half-width blanks of its full-width marks) or, failing that, by
# pushing the last atom down (the line is spread).

# Unit characters that stay with the number before them (982.7亿元, 4.8%, 12.2个百分点).
UNIT_CHARS = set("万亿千百十元角分个户人吨斤克顷亩米瓦时秒年月日号岁倍项家座台辆件次位名处种条套点期")
# Full-width marks whose glyph leaves half the em blank: a line may be squeezed there.
SQUEEZABLE = set("、，。．：；！？）〕］｝】》〉」』”’（〔［｛【《〈「『“‘")
# Consecutive punctuation (clreq 3.1.6, JLREQ 3.1.4, 标点挤压): an opening mark's glyph
# sits in the right half of its em, its blank on the left; a closing mark's and a pause
# or stop mark's (mainland position) in the left half, its blank on the right.
OPENING_MARKS = set("（〔［｛【《〈「『“‘")
CLOSING_MARKS = set("）〕］｝】》〉」』”’")
STOP_MARKS = set("、，。．：；！？")


def mark_pairs(text: str) -> list[bool]:
    """For each character: do the blank halves between it and the mark before it collapse?

    Where a closing or stop mark meets another closing or stop mark (），  。” 》、), an
    opening mark follows an opening one (（《), or an opening mark follows a closing or
    stop mark (）（ ，“), the blanks between the two glyphs are squeezed, by half an em
    in all at most, so the pair shows no hole. The writer says how much (a font's glyph
    may stand elsewhere than the convention); a line starting between the two drops it.
    """
    out = [False] * len(text)
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        a_end = a in CLOSING_MARKS or a in STOP_MARKS
        out[i] = (a_end and (b in CLOSING_MARKS or b in STOP_MARKS or b in OPENING_MARKS)) or (
            a in OPENING_MARKS and b in OPENING_MARKS)
    return out


_LATIN = re.compile(
    r"[A-Za-z0-9]+(?:[.,\-'’/_:+·][A-Za-z0-9]+)*[%‰℃]?"
)
_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?[%‰℃]?$")


def segment(text: str) -> list[tuple[int, int]]:
    """Cut text into atoms, the units a line is never broken inside, as (start, end)."""
    atoms: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i + 1
            while j < n and text[j].isspace() and text[j] != "\u3000" and ch != "\u3000":
                j += 1
            atoms.append((i, j))
            i = j
            continue
        m = _LATIN.match(text, i) if ch.isascii() and ch.isalnum() else None
        if m and m.end() > i:
            j = m.end()
            if _NUMBER.match(text[i:j]):
                # a number keeps its unit: 982.7亿元, 436 户, 12.2个百分点
                k = j + 1 if j < n and text[j] == " " else j
                u = k
                while u < n and u - k < 3 and text[u] in UNIT_CHARS:
                    u += 1
                if u > k:
                    j = u
            atoms.append((i, j))
            i = j
            continue
        if ch in "—…" and i + 1 < n and text[i + 1] == ch:
            j = i
            while j < n and text[j] == ch:
                j += 1
            atoms.append((i, j))
            i = j
            continue
        atoms.append((i, i + 1))
        i += 1
    return atoms


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
    glue = glue or [0.0] * len(text)
    kern = kern or [0.0] * len(text)
    atoms: list[tuple[int, int]] = []
    for s, e in segment(text):
        w = sum(widths[s:e]) + sum(glue[s + 1:e])
        if e - s > 1 and w > min(first_width, width) and not text[s].isspace():
            atoms += [(k, k + 1) for k in range(s, e)]  # longer than a line: split anywhere
        else:
            atoms.append((s, e))
    n = len(atoms)
    ig = [sum(glue[s + 1:e]) for s, e in atoms]  # blanks inside an atom (982.7亿元)
    ik = [sum(kern[s + 1:e]) for s, e in atoms]  # squeezed marks inside an atom
    aw = [sum(widths[s:e]) + ig[k] + ik[k] for k, (s, e) in enumerate(atoms)]
    gb = [glue[s] for s, _ in atoms]  # the Han-Latin blank before an atom
    kb = [kern[s] for s, _ in atoms]  # the squeeze before an atom (two marks meeting)
    ag = [gb[k] + kb[k] for k in range(n)]  # before an atom, unless it starts a line
    space = [text[s].isspace() for s, _ in atoms]
    give = [GLUE_SHRINK * (ig[k] + gb[k]) for k in range(n)]  # what atom k's blanks can give

    def span(i: int, j: int) -> float:
        """The width of atoms i..j-1 set on one line."""
        return sum(aw[i:j]) + sum(ag[i + 1:j])

    def glue_in(i: int, j: int) -> float:
        return sum(ig[i:j]) + sum(gb[i + 1:j])

    def kern_in(i: int, j: int) -> float:
        return sum(ik[i:j]) + sum(kb[i + 1:j])

    def breakable(j: int) -> bool:
        """May a line end before atom j? (At a space: judged by the marks around it.)"""
        a, b = j - 1, j
        while a > 0 and space[a]:
            a -= 1
        while b < n - 1 and space[b]:
            b += 1
        before, after = text[atoms[a][1] - 1], text[atoms[b][0]]
        if space[j] or space[j - 1]:
            return before not in NO_LINE_END and after not in NO_LINE_START
        return can_break_between(before, after)

    def squeeze_room(i: int, j: int) -> float:
        """The half-width blanks of the marks of atoms i..j-1, less those already squeezed."""
        half = sum(aw[k] / 2 for k in range(i, j)
                   if atoms[k][1] - atoms[k][0] == 1 and text[atoms[k][0]] in SQUEEZABLE)
        return max(0.0, half + kern_in(i, j))

    def make(i: int, j: int) -> Line:
        while j > i and space[j - 1]:
            j -= 1
        parts = atoms[i:j]
        last = all(space[k] for k in range(j, n))
        return Line(parts[0][0], parts[-1][1], span(i, j), parts, last, glue_in(i, j),
                    kern_in(i, j))

    lines: list[Line] = []
    eps = 1e-6
    i = 0
    while i < n:
        while i < n and space[i]:
            i += 1
        if i >= n:
            break
        avail = first_width if not lines else width
        j, w = i + 1, aw[i]
        while j < n and w + ag[j] + aw[j] <= avail + eps:
            w += ag[j] + aw[j]
            j += 1
        if w > avail + eps:
            j = i  # the first atom alone is wider than the line
        if j < n and j > i:
            # option A: pull the next atoms up to a legal break, shrinking the line's
            # Han-Latin blanks and squeezing its marks (tk: the width with blanks shrunk)
            k, wk = j, w
            tk = w - GLUE_SHRINK * glue_in(i, j)
            while True:
                wk += ag[k] + aw[k]
                tk += ag[k] + aw[k] - give[k]
                k += 1
                if k == n or breakable(k) or k - j > 3:
                    break
            pull = (k == n or breakable(k)) and tk - avail <= squeeze_room(i, k) + eps
            # option B: push down to the last legal break, spreading the line
            b = j
            while b > i and not breakable(b):
                b -= 1
            slack = avail - span(i, b) if b > i else math.inf
            if pull and (not breakable(j) or wk - avail < slack):
                j = k  # a forbidden break is mended by pulling up first; else the smaller change
            elif b > i:
                j = b
        if j == i:
            j = i + 1  # a single atom wider than the line
        lines.append(make(i, j))
        i = j
    if lines:
        lines[-1].last = True
    return lines


def line_gaps(line: Line, measure: float) -> float:
    """The space to add at each atom boundary to justify `line` to `measure` (may be < 0)."""
    boundaries = len(line.atoms) - 1
    if boundaries <= 0:
        return 0.0
    return (measure - line.width) / boundaries
