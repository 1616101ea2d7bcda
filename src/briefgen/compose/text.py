"""Text as it comes: characters in composed prose that cannot be printed, or should not.

Control characters, NUL, noncharacters (U+FFFE, U+FFFF, …) and lone
surrogates stop the build with the section file, line and code point. Zero-width
spaces, joiners and word joiners are dropped with a warning, except a zero-width
joiner inside an emoji sequence, which is meaningful and stays.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from briefgen.compose.marks import ANY_MARK
from briefgen.errors import TemplateError

ZERO_WIDTH = {"\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
              "\u200d": "zero-width joiner", "\u2060": "word joiner",
              "\ufeff": "zero-width no-break space (BOM)"}
ALLOWED_CONTROLS = "\n\t"
Where = Callable[[int], tuple[str, int | None]]


# Unicode categories that never print, and why.
CATEGORY_PROBLEMS = {"Cc": "a control character", "Cs": "a lone surrogate"}
SKIN_TONES = range(0x1F3FB, 0x1F3FF + 1)


def _is_noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _forbidden(ch: str) -> str | None:
    """Why a character stops the build, or None."""
    if ch in ALLOWED_CONTROLS:
        return None
    problem = CATEGORY_PROBLEMS.get(unicodedata.category(ch))
    if problem is None and _is_noncharacter(ord(ch)):
        return "a noncharacter"
    return problem


def _is_emoji_modifier(ch: str) -> bool:
    """A variation selector, a joiner or a skin tone: what may stand between two emoji."""
    return ch in ("\ufe0f", "\u200d") or (bool(ch) and ord(ch) in SKIN_TONES)


def _at(text: str, i: int) -> str:
    """The character at `i`, or "" outside the text."""
    return text[i] if 0 <= i < len(text) else ""


def _is_symbol(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch) == "So"


def _emoji_joiner(text: str, i: int) -> bool:
    """Whether the joiner at `i` joins two emoji (one modifier may stand before it)."""
    before = _at(text, i - 1)
    if _is_emoji_modifier(before):
        before = _at(text, i - 2)
    return _is_symbol(before) and _is_symbol(_at(text, i + 1))


def _to_look_at(ch: str) -> bool:
    """A character that may not print: not printable, or zero-width (a figure mark is fine)."""
    plain = ch.isprintable() and ch not in ZERO_WIDTH
    return not plain and ANY_MARK.match(ch) is None


def _suspects(text: str) -> Iterator[tuple[int, int, str]]:
    """Each character to look at, with its index and its line (from 1)."""
    line = 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
        elif _to_look_at(ch):
            yield i, line, ch


def _droppable(text: str, i: int) -> bool:
    """A zero-width character to drop: all of them but a joiner inside an emoji sequence."""
    ch = text[i]
    return ch in ZERO_WIDTH and not (ch == "\u200d" and _emoji_joiner(text, i))


def clean_text(text: str, where: Where, warnings: list[str]) -> str:
    """The text with zero-width characters dropped (warned); an error for unprintable ones."""
    drop: set[int] = set()
    for i, line, ch in _suspects(text):
        problem = _forbidden(ch)
        if problem:
            file, src_line = where(line)
            raise TemplateError(f"{problem} U+{ord(ch):04X} in the text", file, src_line,
                                hint="delete it (it may come from a copied text or a data cell)")
        if _droppable(text, i):
            warnings.append(_dropped(ch, *where(line)))
            drop.add(i)
    return _without(text, drop) if drop else text


def _without(text: str, drop: set[int]) -> str:
    return "".join(ch for i, ch in enumerate(text) if i not in drop)


def _dropped(ch: str, file: str, line: int | None) -> str:
    at = f"{file}:{line}" if line else file
    return f"{at}: warning: {ZERO_WIDTH[ch]} U+{ord(ch):04X} dropped"
