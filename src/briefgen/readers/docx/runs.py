"""One Word paragraph's content as model inlines: runs, bound figures, fields, tracked changes.

Runs become Text, bold runs Strong, runs with emphasis dots Emphasis; text inside
a `_bg_f<id>` bookmark is a Bound figure with that ledger id; a REF field to a
figure's or table's caption prints that caption's number as it now stands; a
tracked insertion counts and a deletion does not (reversed with `reject`); a
w:footnoteReference is a Footnote, its note read by the caller's `Notes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from docx.oxml.ns import qn

from briefgen.config.wordnames import BOUND_PREFIX
from briefgen.model import Bound, Emphasis, Footnote, Inline, Strong, Text

BOUND = re.compile(re.escape(BOUND_PREFIX) + r"(\d+)(?:_\d+)?$")
REF = re.compile(r"^\s*REF\s+(\S+)")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# elements that only wrap runs: their content is read as if they were not there
CONTAINERS = tuple(W + tag for tag in ("hyperlink", "smartTag", "customXml", "sdt",
                                       "sdtContent"))
CHARACTERS = {W + "tab": "\t", W + "noBreakHyphen": "-"}

# A REF target (bookmark name) -> the text its field shows now, or None (leave as shown).
Resolve = Callable[[str], str | None]
# A footnote's w:id -> the Footnote (numbered, its note read), or None (not ours to read).
Notes = Callable[[str], Footnote | None]


@dataclass
class Piece:
    text: str
    bold: bool = False
    em: bool = False
    figure: int | None = None  # ledger id of a bound figure
    note: Footnote | None = None  # a footnote's reference (no text)


def _on(el: Any) -> bool:
    if el is None:
        return False
    return el.get(qn("w:val"), "true") not in ("false", "0", "off", "none")


class _Walker:
    def __init__(self, resolve: Resolve, reject: bool, notes: Notes | None = None,
                 late_ends: bool = False) -> None:
        self.resolve = resolve
        self.reject = reject
        self.notes = notes
        # LibreOffice writes a bookmark's end that follows a footnote reference one
        # character early (its anchor counts as a character): such an end owns one more.
        self.late_ends = late_ends
        self.after_note = False
        self.closing: list[str] = []
        self.pieces: list[Piece] = []
        self.bound: dict[str, int] = {}  # open bookmark w:id -> ledger id
        self.field: list[str] | None = None  # instruction text of the field being read
        self.depth = 0
        self.in_result = False
        self.replaced = False  # the field's result was printed by us (a REF)
        containers = {tag: self.walk for tag in CONTAINERS}
        self.by_tag: dict[str, Callable[[Any, bool], None]] = {
            W + "r": self.run, W + "fldSimple": self.simple_field,
            W + "ins": self.inserted, W + "moveTo": self.inserted,
            W + "del": self.removed, W + "moveFrom": self.removed,
            W + "bookmarkStart": self.bookmark_start, W + "bookmarkEnd": self.bookmark_end,
            **containers,
        }
        # what a run holds that prints (fldChar and instrText are read apart)
        self.by_run_tag: dict[str, Callable[[Any, Any, bool], None]] = {
            W + "t": self.text, W + "delText": self.deleted_text,
            W + "tab": self.character, W + "noBreakHyphen": self.character,
            W + "br": self.line_break, W + "cr": self.line_break,
            W + "footnoteReference": self.footnote,
        }

    def figure(self) -> int | None:
        return next(reversed(self.bound.values()), None) if self.bound else None

    def walk(self, parent: Any, deleted: bool = False) -> None:
        for el in parent:
            handler = self.by_tag.get(el.tag)
            if handler is not None:
                handler(el, deleted)

    def inserted(self, el: Any, deleted: bool) -> None:
        if not self.reject:
            self.walk(el, deleted)

    def removed(self, el: Any, deleted: bool) -> None:
        if self.reject:
            self.walk(el, True)

    def bookmark_start(self, el: Any, deleted: bool) -> None:
        m = BOUND.match(el.get(qn("w:name"), ""))
        if m:
            self.bound[el.get(qn("w:id"), "")] = int(m.group(1))

    def bookmark_end(self, el: Any, deleted: bool) -> None:
        ident = el.get(qn("w:id"), "")
        if self.late_ends and self.after_note and ident in self.bound:
            self.closing.append(ident)
        else:
            self.bound.pop(ident, None)

    def simple_field(self, el: Any, deleted: bool) -> None:
        shown = self._ref_text(el.get(qn("w:instr"), ""))
        if shown is not None:
            self.add(shown, el.find(qn("w:r")))
        else:
            self.walk(el, deleted)

    def _ref_text(self, instruction: str) -> str | None:
        m = REF.match(instruction)
        return self.resolve(m.group(1)) if m else None

    def run(self, r: Any, deleted: bool) -> None:
        for child in r:
            tag = child.tag
            if tag == W + "fldChar":
                self.fld_char(child.get(qn("w:fldCharType")), r)
            elif tag == W + "instrText":
                self.instruction(child)
            elif self.shows_content():
                handler = self.by_run_tag.get(tag)
                if handler is not None:
                    handler(child, r, deleted)

    def shows_content(self) -> bool:
        """Outside a field's instructions, and not in a field result we printed ourselves."""
        return (self.field is None or self.in_result) and not self.replaced

    def instruction(self, child: Any) -> None:
        if self.field is not None and self.depth == 1:  # a nested field's code is not ours
            self.field.append(child.text or "")

    def text(self, child: Any, r: Any, deleted: bool) -> None:
        self.add(child.text or "", r)

    def deleted_text(self, child: Any, r: Any, deleted: bool) -> None:
        if deleted:
            self.add(child.text or "", r)

    def character(self, child: Any, r: Any, deleted: bool) -> None:
        self.add(CHARACTERS[child.tag], r)

    def line_break(self, child: Any, r: Any, deleted: bool) -> None:
        if child.get(qn("w:type")) not in ("page", "column"):
            self.add("\n", r)

    def footnote(self, child: Any, r: Any, deleted: bool) -> None:
        if self.notes is None or deleted:
            return
        self.after_note = True
        note = self.notes(child.get(qn("w:id"), ""))
        if note is not None:
            self.pieces.append(Piece("", note=note))

    def fld_char(self, kind: str | None, r: Any) -> None:
        if kind == "begin":
            self.begin_field()
        elif kind == "separate" and self.depth == 1 and self.field is not None:
            self.field_result(r)
        elif kind == "end":
            self.end_field()

    def begin_field(self) -> None:
        self.depth += 1
        if self.depth == 1:
            self.field, self.in_result, self.replaced = [], False, False

    def field_result(self, r: Any) -> None:
        """The field's shown text starts: a REF to a caption prints its number now."""
        assert self.field is not None
        self.in_result = True
        shown = self._ref_text("".join(self.field))
        if shown is not None:
            self.add(shown, r)
            self.replaced = True

    def end_field(self) -> None:
        self.depth -= 1
        if self.depth <= 0:
            self.depth, self.field, self.in_result, self.replaced = 0, None, False, False

    def add(self, text: str, r: Any) -> None:
        bold, em = _format(r)
        if self.closing and text:  # the character a late bookmark end still owns
            self.pieces.append(Piece(text[0], bold, em, self.figure()))
            for ident in self.closing:
                self.bound.pop(ident, None)
            self.closing = []
            text = text[1:]
        self.pieces.append(Piece(text, bold, em, self.figure()))


def _format(r: Any) -> tuple[bool, bool]:
    """Whether the run is bold, and whether it has emphasis dots."""
    rpr = r.find(qn("w:rPr")) if r is not None else None
    if rpr is None:
        return False, False
    em = rpr.find(qn("w:em"))
    return _on(rpr.find(qn("w:b"))), em is not None and em.get(qn("w:val"), "none") != "none"


def pieces(p: Any, resolve: Resolve, reject: bool = False, notes: Notes | None = None,
           late_ends: bool = False) -> list[Piece]:
    """The text pieces of a w:p element, in reading order (footnotes too, given `notes`);
    `late_ends` for a file LibreOffice saved (see _Walker)."""
    walker = _Walker(resolve, reject, notes, late_ends)
    walker.walk(p)
    return [x for x in walker.pieces if x.text or x.note]


def inlines(items: list[Piece]) -> list[Inline]:
    """Pieces as model inlines: bold runs in Strong, emphasis in Emphasis, figures Bound."""
    out: list[Inline] = []
    for bold, group in _groups(items, lambda x: x.bold):
        target = out
        if bold:
            strong = Strong([])
            out.append(strong)
            target = strong.children
        for em, sub in _groups(group, lambda x: x.em):
            inner = target
            if em:
                emph = Emphasis([])
                target.append(emph)
                inner = emph.children
            _texts(inner, sub)
    return out


def _groups(items: list[Piece], key: Callable[[Piece], bool]) -> Iterator[tuple[bool, list[Piece]]]:
    current: list[Piece] = []
    for item in items:
        if current and key(current[-1]) != key(item):
            yield key(current[0]), current
            current = []
        current.append(item)
    if current:
        yield key(current[0]), current


def _texts(target: list[Inline], items: list[Piece]) -> None:
    for item in items:
        if item.note is not None:
            target.append(item.note)
        elif item.figure is None:
            _add_text(target, item.text)
        else:
            _add_bound(target, item.text, item.figure)


def _add_text(target: list[Inline], text: str) -> None:
    """Plain text joins the plain Text before it (a Bound is not plain)."""
    last = target[-1] if target else None
    if isinstance(last, Text) and not isinstance(last, Bound):
        last.text += text
    else:
        target.append(Text(text))


def _add_bound(target: list[Inline], text: str, figure: int) -> None:
    """A bound figure's text joins the Bound before it of the same figure."""
    last = target[-1] if target else None
    if isinstance(last, Bound) and last.figure == figure:
        last.text += text
    else:
        target.append(Bound(text, figure=figure))
