"""Chinese text rules (W3C clreq, basic level): which characters are Han or Latin, where
they meet, where a line may break (禁则), which marks squeeze, the atoms a line is made of."""

from __future__ import annotations

import math
import re

# A line never starts with these (closing marks, pause and stop marks, units).
NO_LINE_START = set("、，。．：；！？）〕］｝】》〉」』”’・％‰℃!),.:;?]}%·…—")
# A line never ends with these (opening marks).
NO_LINE_END = set("（〔［｛【《〈「『“‘([{")


def is_latin(ch: str) -> bool:
    """Is `ch` set in the Latin face: printable ASCII (letters, digits, punctuation, the
    space), the no-break space, and Latin letters with diacritics (é, ü, ł)?"""
    o = ord(ch)
    return 0x20 <= o <= 0x7E or o == 0xA0 or (0xC0 <= o <= 0x24F and ch.isalpha())


# CJK ideographs, extension A, compatibility ideographs, the supplementary planes, 〇
_HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF),
               (0x3007, 0x3007))


def is_han(ch: str) -> bool:
    """Is `ch` a Han character (CJK ideographs, their extensions and compatibility forms, 〇)?"""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _HAN_RANGES)


_HAN = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _HAN_RANGES)
_LATIN_WORD = "A-Za-z0-9\u00c0-\u024f%‰"
# a boundary with a Han character on one side and a Latin letter, digit or % on the other
_HAN_LATIN = re.compile(f"(?<=[{_HAN}])(?=[{_LATIN_WORD}])|(?<=[{_LATIN_WORD}])(?=[{_HAN}])")


def han_latin_glue(text: str) -> list[bool]:
    """For each character: does a blank go before it, Han and Latin text meeting there?

    clreq 3.2.2: between a Han character and a Latin letter or digit, about a quarter
    em (Word and LibreOffice add it by default). Not next to punctuation or a space.
    """
    out = [False] * len(text)
    for m in _HAN_LATIN.finditer(text):  # a boundary inside the text: a character each side
        i = m.start()
        out[i] = _glues(text[i - 1]) and _glues(text[i])
    return out


def _glues(ch: str) -> bool:
    """Does `ch` take the Han-Latin blank: a letter, digit or per-cent sign? (× ÷ and the
    like sit in the Latin-1 range but are not letters.)"""
    return ch.isalnum() or ch in "%‰"


def char_width(ch: str) -> float:
    """Width in ems: Latin letters, digits and half-width marks count half."""
    return 0.5 if ord(ch) < 0x2E80 and ch not in "“”‘’—…" else 1.0


def text_width(text: str) -> float:
    """Width in ems, by `char_width`."""
    return sum(char_width(c) for c in text)


def may_end_line(ch: str) -> bool:
    """禁则: no line ends with an opening mark."""
    return ch not in NO_LINE_END


def may_start_line(ch: str) -> bool:
    """禁则: no line starts with a closing, pause or stop mark or a unit."""
    return ch not in NO_LINE_START


def _in_latin_word(ch: str) -> bool:
    """Part of a Latin word or a number with its unit (ASCII letter, digit, . or %)."""
    return ch.isascii() and (ch.isalnum() or ch in ".%")


def splits_latin_word(before: str, after: str) -> bool:
    """Would a break here cut a Latin word or a number with its unit?"""
    return _in_latin_word(before) and _in_latin_word(after)


def splits_doubled_mark(before: str, after: str) -> bool:
    """Would a break here cut —— or ……? They are never split."""
    return before in "—…" and after == before


def can_break_between(before: str, after: str) -> bool:
    """May a line end after `before` and the next start with `after`?"""
    return (may_end_line(before) and may_start_line(after)
            and not splits_latin_word(before, after) and not splits_doubled_mark(before, after))


def balanced_lines(text: str, chars_per_line: float) -> list[str]:
    """Break a title into as few lines as fit, of lengths as equal as the rules allow.

    No line is left with one or two characters alone, none starts with a closing
    mark or ends with an opening one.
    """
    total = text_width(text)
    if total <= chars_per_line:
        return [text]
    count = math.ceil(total / chars_per_line)
    target = total / count
    lines: list[str] = []
    rest = text
    for remaining in range(count, 1, -1):
        breaks = _title_breaks(rest, chars_per_line, remaining - 1)
        best = min(breaks, key=lambda b: abs(b[1] - target), default=None)
        if best is None:
            break
        lines.append(rest[:best[0]])
        rest = rest[best[0]:]
        target = text_width(rest) / (remaining - 1)
    lines.append(rest)
    return lines


def _title_breaks(rest: str, chars_per_line: float, lines_after: int) -> list[tuple[int, float]]:
    """The legal breaks of a title's first line, as (offset, width of the line): the
    line fits, the rest fits in `lines_after` lines and is no orphan of under 3 ems."""
    out: list[tuple[int, float]] = []
    width = 0.0
    for i, ch in enumerate(rest[:-1]):
        width += char_width(ch)
        if width > chars_per_line:
            break
        if not can_break_between(rest[i], rest[i + 1]):
            continue
        tail = text_width(rest[i + 1 :])
        if 3 <= tail <= chars_per_line * lines_after:
            out.append((i + 1, width))
    return out

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
    return [i > 0 and _marks_squeeze(text[i - 1], text[i]) for i in range(len(text))]


def _ends_clause(ch: str) -> bool:
    """A closing, pause or stop mark: its glyph in the left half, its blank on the right."""
    return ch in CLOSING_MARKS or ch in STOP_MARKS


def _marks_squeeze(a: str, b: str) -> bool:
    """Do the blanks between marks `a` and `b` collapse? (closing or stop before any mark;
    opening before opening)."""
    if _ends_clause(a):
        return _ends_clause(b) or b in OPENING_MARKS
    return a in OPENING_MARKS and b in OPENING_MARKS


_LATIN = re.compile(
    r"[A-Za-z0-9]+(?:[.,\-'’/_:+·][A-Za-z0-9]+)*[%‰℃]?"
)
_NUMBER = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?[%‰℃]?$")
_SPACES = re.compile(r"\u3000|[^\S\u3000]+")  # \s is str.isspace; the ideographic space alone
_DOUBLED_MARK = re.compile("—{2,}|…{2,}")
_UNIT = re.compile(f" ?[{''.join(sorted(UNIT_CHARS))}]{{1,3}}")


def segment(text: str) -> list[tuple[int, int]]:
    """Cut text into atoms, the units a line is never broken inside, as (start, end)."""
    atoms: list[tuple[int, int]] = []
    i = 0
    while i < len(text):
        j = _atom_end(text, i)
        atoms.append((i, j))
        i = j
    return atoms


def _atom_end(text: str, i: int) -> int:
    """Where the atom starting at text[i] ends: a run of spaces, a Latin word or number
    (with its unit), —— or ……, else the one character."""
    for rule in (_spaces_end, _latin_end, _doubled_mark_end):
        end = rule(text, i)
        if end is not None:
            return end
    return i + 1


def _spaces_end(text: str, i: int) -> int | None:
    """A run of spaces is one atom; an ideographic space stands alone."""
    m = _SPACES.match(text, i)
    return m.end() if m else None


def _latin_end(text: str, i: int) -> int | None:
    """A Latin word (GDP, Journal, 2023-05); a number keeps its unit (982.7亿元, 436 户)."""
    m = _LATIN.match(text, i)
    if m is None:
        return None
    if _NUMBER.match(m.group()):
        return _unit_end(text, m.end())
    return m.end()


def _unit_end(text: str, j: int) -> int:
    """The end of up to three unit characters after a number ending at `j` (one space
    between allowed: 436 户, 12.2个百分点); `j` when none follow."""
    m = _UNIT.match(text, j)
    return m.end() if m else j


def _doubled_mark_end(text: str, i: int) -> int | None:
    """—— and …… (two or more of one mark) are one atom."""
    m = _DOUBLED_MARK.match(text, i)
    return m.end() if m else None
