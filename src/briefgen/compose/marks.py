"""Figure marks in the composed output stream, and only there.

A figure compose prints is wrapped as OPEN id SEP text CLOSE, with the ledger
id written in private-use digits, so no ASCII digit is added to the text. The
Markdown reader turns marks into `model.Bound`; `strip_marks` gives the plain
text. Marks never enter a template's string operations (filters return plain
strings; the marks are added by `finalize`, on output).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

OPEN = "\ue0f0"
SEP = "\ue0f1"
CLOSE = "\ue0f2"
DIGIT0 = 0xE0E0  # ten private-use code points stand for the digits of an id

MARK = re.compile(f"{OPEN}([\ue0e0-\ue0e9]+){SEP}(.*?){CLOSE}", re.S)
ANY_MARK = re.compile(f"[{OPEN}{SEP}{CLOSE}\ue0e0-\ue0e9]")


def mark(figure: int, text: str) -> str:
    digits = "".join(chr(DIGIT0 + int(d)) for d in str(figure))
    return f"{OPEN}{digits}{SEP}{text}{CLOSE}"


def _figure_id(digits: str) -> int:
    return int("".join(str(ord(c) - DIGIT0) for c in digits))


def split_marks(text: str) -> Iterator[tuple[str, int | None]]:
    """The runs of a text: (plain text, None) and (figure text, ledger id), in order."""
    pos = 0
    for m in MARK.finditer(text):
        if m.start() > pos:
            yield text[pos:m.start()], None
        yield m.group(2), _figure_id(m.group(1))
        pos = m.end()
    if pos < len(text):
        yield text[pos:], None


def strip_marks(text: str) -> str:
    """The text without marks (the figures' own text kept)."""
    if OPEN not in text:
        return text
    return ANY_MARK.sub("", MARK.sub(lambda m: m.group(2), text))
