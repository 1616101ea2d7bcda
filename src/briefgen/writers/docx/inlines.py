"""Inline nodes as runs: bold, emphasis dots, bound figures tagged, 图N/表N as REF fields,
footnotes as Word footnotes.

A figure printed from the data (`Bound`) is set as text inside a hidden
bookmark named by its ledger id (`_bg_f12`), so a reader can find it again;
staff see plain text. A citation of a figure or table (图2, 表1) becomes a REF
field to the caption's bookmark, its result already filled in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from briefgen.config.house import House
from briefgen.config.wordnames import bound_name
from briefgen.model import Bound, Emphasis, Footnote, Inline, Strong, Text
from briefgen.writers.docx.fields import Bookmarks, add_field
from briefgen.writers.docx.footnotes import Footnotes
from briefgen.writers.docx.oxml import add_text, make, put


class InlineWriter:
    """Writes runs into paragraphs; knows the caption bookmarks citations point at."""

    def __init__(self, house: House, bookmarks: Bookmarks,
                 targets: dict[tuple[str, int], str], notes: Footnotes) -> None:
        self.bookmarks = bookmarks
        self.notes = notes
        self.targets = targets  # ("figure" | "table", N) -> bookmark name
        self.labels = {house.labels.figure: "figure", house.labels.table: "table"}
        alternatives = "|".join(re.escape(label) for label in self.labels if label)
        self.citation = re.compile(f"({alternatives})(\\d+)") if alternatives else None
        self._used: set[str] = set()

    def runs(self, p: Any, inlines: list[Inline], bold: bool = False, em: bool = False) -> None:
        for node in inlines:
            if isinstance(node, Bound):
                self.bound(p, node, bold, em)
            elif isinstance(node, Text):
                self.text(p, node.text, bold, em)
            elif isinstance(node, Strong):
                self.runs(p, node.children, True, em)
            elif isinstance(node, Emphasis):
                self.runs(p, node.children, bold, True)
            elif isinstance(node, Footnote):  # the note is set plain, whatever is around it
                self.runs(self.notes.add(p), node.children)

    def bound(self, p: Any, node: Bound, bold: bool, em: bool) -> None:
        name = self._unique(bound_name(node.figure))
        ident = self.bookmarks.start(p, name)
        self.text(p, node.text, bold, em)
        self.bookmarks.end(p, ident)

    def text(self, p: Any, text: str, bold: bool, em: bool) -> None:
        """Plain text, with each citation of an existing figure or table as a REF field."""
        at = 0
        for match, target in self._citations(text):
            if match.start() > at:
                _format(add_text(p, text[at:match.start()]), bold, em)
            add_field(p, f"REF {target} \\h", match.group(0), _rpr(bold, em))
            at = match.end()
        if at < len(text) or not text:
            _format(add_text(p, text[at:]), bold, em)

    def _citations(self, text: str) -> Iterator[tuple[re.Match[str], str]]:
        """Each citation in `text` of a figure or table the document has, with the
        bookmark of its caption."""
        if self.citation is None:
            return
        for match in self.citation.finditer(text):
            target = self.targets.get((self.labels[match.group(1)], int(match.group(2))))
            if target is not None:
                yield match, target

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self._used:
            n += 1
            candidate = f"{name}_{n}"
        self._used.add(candidate)
        return candidate


def _format(run: Any, bold: bool, em: bool) -> None:
    if bold:
        run.bold = True
    if em:
        # 着重号: Chinese emphasis is a dot under each character, not italics.
        put(run._r.get_or_add_rPr(), make("w:em", val="dot"))


def _rpr(bold: bool, em: bool) -> Any | None:
    if not (bold or em):
        return None
    rpr = make("w:rPr")
    if bold:
        put(rpr, make("w:b"))
    if em:
        put(rpr, make("w:em", val="dot"))
    return rpr
