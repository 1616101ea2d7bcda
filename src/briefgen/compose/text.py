"""Text as it comes: characters in composed prose that cannot be printed, or should not.

Control characters, NUL, noncharacters (U+FFFE, U+FFFF, …) and lone
surrogates stop the build with the section file, line and code point. Zero-width
spaces, joiners and word joiners are dropped with a warning, except a zero-width
joiner inside an emoji sequence, which is meaningful and stays.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from briefgen.compose.marks import ANY_MARK
from briefgen.errors import TemplateError

ZERO_WIDTH = {"\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
              "\u200d": "zero-width joiner", "\u2060": "word joiner",
              "\ufeff": "zero-width no-break space (BOM)"}
ALLOWED_CONTROLS = "\n\t"
Where = Callable[[int], tuple[str, int | None]]


def _forbidden(ch: str) -> str | None:
    code = ord(ch)
    if ch in ALLOWED_CONTROLS:
        return None
    category = unicodedata.category(ch)
    if category == "Cc":
        return "a control character"
    if category == "Cs":
        return "a lone surrogate"
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return "a noncharacter"
    return None


def _emoji_joiner(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before in ("\ufe0f", "\u200d") or (before and 0x1F3FB <= ord(before) <= 0x1F3FF):
        before = text[i - 2] if i > 1 else ""
    return bool(before and after) and all(
        unicodedata.category(c) == "So" for c in (before, after))


def clean_text(text: str, where: Where, warnings: list[str]) -> str:
    """The text with zero-width characters dropped (warned); an error for unprintable ones."""
    drop: list[int] = []
    line = 1
    for i, ch in enumerate(text):
        if ch == "\n":
            line += 1
            continue
        if ch.isprintable() and ch not in ZERO_WIDTH:
            continue
        if ANY_MARK.match(ch):
            continue
        problem = _forbidden(ch)
        if problem:
            file, src_line = where(line)
            raise TemplateError(f"{problem} U+{ord(ch):04X} in the text", file, src_line,
                                hint="delete it (it may come from a copied text or a data cell)")
        if ch in ZERO_WIDTH and not (ch == "\u200d" and _emoji_joiner(text, i)):
            file, src_line = where(line)
            at = f"{file}:{src_line}" if src_line else file
            warnings.append(f"{at}: warning: {ZERO_WIDTH[ch]} U+{ord(ch):04X} dropped")
            drop.append(i)
    if not drop:
        return text
    dropped = set(drop)
    return "".join(ch for i, ch in enumerate(text) if i not in dropped)
