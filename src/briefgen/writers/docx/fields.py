"""Word fields and bookmarks, each field's result computed here, so none needs updating.

A field is runs of w:fldChar begin / w:instrText / separate / the result / end
(a "complex field"): Word and LibreOffice show the result as written and
recompute it only when asked, so the numbers the writer puts there are what
staff see. Bookmarks are named by the writer (the caption's SEQ result is
bookmarked as `_Ref_fig3`, so a REF field finds it).
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from briefgen.writers.docx.oxml import make


def _char(kind: str) -> Any:
    r = make("w:r")
    r.append(make("w:fldChar", fldCharType=kind))
    return r


def add_field(p: Any, instruction: str, result: str, rpr: Any | None = None) -> None:
    """A complex field at the end of paragraph `p` (a python-docx Paragraph)."""
    el = p._p
    el.append(_char("begin"))
    instr_run = make("w:r")
    instr = make("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    el.append(instr_run)
    el.append(_char("separate"))
    run = p.add_run(result)
    if rpr is not None:
        run._r.insert(0, rpr)
    el.append(_char("end"))


class Bookmarks:
    """Bookmarks of one document: each gets the next w:id."""

    def __init__(self) -> None:
        self._next = 0

    def start(self, p: Any, name: str) -> int:
        ident = self._next
        self._next += 1
        p._p.append(make("w:bookmarkStart", id=ident, name=name))
        return ident

    def end(self, p: Any, ident: int) -> None:
        p._p.append(make("w:bookmarkEnd", id=ident))

    def empty(self, name: str) -> list[Any]:
        """A start and end with nothing between (a place, not a range)."""
        ident = self._next
        self._next += 1
        return [make("w:bookmarkStart", id=ident, name=name), make("w:bookmarkEnd", id=ident)]


def ref_name(kind: str, number: int) -> str:
    """The bookmark on 图N / 表N that REF fields point at (hidden: leading underscore)."""
    return f"_Ref_{kind}{number}"
