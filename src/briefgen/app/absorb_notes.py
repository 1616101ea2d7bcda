"""Footnotes staff edited in Word, folded into their `[^label]: …` definitions.

The k-th footnote of a paragraph is the k-th `[^label]` reference in the
paragraph's source; its definition is the line `[^label]: …` of the same file.
Only the note's literal text is rewritten (template tags in it stay), as for
body text; what cannot be placed is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefgen.model import Footnote, Inline, footnotes, plain_text

REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
Align = Callable[[str, str, str], "str | None"]


def _definition(lines: list[str], label: str) -> tuple[int, str, str] | None:
    """The line of `[^label]: text`: its index, the part before the text, and the text."""
    start = re.compile(r"^( {0,3}\[\^" + re.escape(label) + r"\]:[ \t]*)(.*)$")
    for n, line in enumerate(lines):
        m = start.match(line)
        if m:
            return n, m.group(1), m.group(2)
    return None


def note_edits(lines: list[str], chunk: str, old: list[Inline], new: list[Inline],
               align: Align) -> tuple[list[tuple[int, str]], list[str]]:
    """The definition lines to rewrite (index, new line) for the notes changed from `old`
    to `new` in a paragraph whose source is `chunk`; and what could not be absorbed."""
    before, after = list(footnotes(old)), list(footnotes(new))
    if len(before) != len(after):
        return [], ["footnotes added or removed in Word are not absorbed (edit the section)"]
    labels = REFERENCE.findall(chunk)
    edits: list[tuple[int, str]] = []
    problems: list[str] = []
    for k, (was, now) in enumerate(zip(before, after, strict=True)):
        if plain_text(was.children) == plain_text(now.children):
            continue
        edit = _edit(lines, labels[k] if k < len(labels) else None, was, now, align)
        if isinstance(edit, str):
            problems.append(edit)
        else:
            edits.append(edit)
    return edits, problems


def _edit(lines: list[str], label: str | None, was: Footnote, now: Footnote,
          align: Align) -> tuple[int, str] | str:
    found = _definition(lines, label) if label else None
    new_text = plain_text(now.children)
    if found is None:
        return f"footnote {was.number} was edited in Word, but its definition is not in " \
               f"the section file; new text: {new_text}"
    n, head, text = found
    edited = align(text, plain_text(was.children), new_text)
    if edited is None or "\n" in edited:
        return f"footnote {was.number} ([^{label}]) was edited in Word, but the edit could " \
               f"not be placed in its definition; new text: {new_text}"
    return n, head + edited
