"""Chinese line-breaking rules (W3C clreq, basic level), shared by both writers."""

from __future__ import annotations

import math

# A line never starts with these (closing marks, pause and stop marks, units).
NO_LINE_START = set("、，。．：；！？）〕］｝】》〉」』”’・％‰℃!),.:;?]}%·…—")
# A line never ends with these (opening marks).
NO_LINE_END = set("（〔［｛【《〈「『“‘([{")


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
