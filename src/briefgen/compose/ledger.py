"""The figure ledger: every figure compose prints, with its value, cells and template line.

Compose enters a figure when it is output (Jinja's `finalize`), so a filter
result that is only used in a string operation is not a printed figure. The
template line comes from the compiled template's debug line map, parsed once
per template and searched by bisection; the `{{ }}` expression from the
template source, scanned once per template.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from briefgen.data import Value
from briefgen.errors import display_path


@dataclass(frozen=True)
class SourceCell:
    file: str  # data file as the user names it (display path)
    row: int | None  # CSV line / sheet row / YAML line of the fact
    column: str | None  # column key or fact name
    text: str  # the cell's own text as typed ("9.0", "57.70")


@dataclass(frozen=True)
class LedgerEntry:
    id: int  # index in Composition.ledger; model.Bound.figure points here
    text: str  # printed text, e.g. "57.7%", "增长9.0%", "第8"
    value: float | str  # exact value before rounding
    unit: str  # "%", "‰", "亿元", "万人", "" ...
    places: int | None  # decimal places printed
    filter: str  # "pct", "yi", "growth", ... ("" for a bare {{ value }})
    expression: str  # the template source of the {{ }} when known
    formula: str  # for a derived figure; "" for a cell
    label: str  # the data's Chinese label
    sources: tuple[SourceCell, ...]
    file: str  # section or template file the user edits (display path)
    line: int | None  # its line


EXPRESSION = re.compile(r"\{\{-?\s*(.*?)\s*-?\}\}", re.S)


def _line_pairs(debug_info: str) -> list[tuple[int, int]]:
    """Jinja's ``template=code&…`` debug map as (code line, template line), sorted."""
    pairs = (p.split("=") for p in debug_info.split("&") if p)
    return sorted((int(code), int(tmpl)) for tmpl, code in pairs)


def _read_source(filename: str) -> str:
    """A template's text ("" when it cannot be read: the map then gives lines only)."""
    try:
        return Path(filename).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _expressions(source: str) -> dict[int, list[str]]:
    """The `{{ }}` expressions of each source line, blanks squeezed, left to right."""
    found: dict[int, list[str]] = {}
    for m in EXPRESSION.finditer(source):
        line = source.count("\n", 0, m.start()) + 1
        found.setdefault(line, []).append(" ".join(m.group(1).split()))
    return found


def _with_filter(expressions: list[str], filter_name: str) -> list[str]:
    wanted = re.compile(r"\|\s*" + re.escape(filter_name) + r"\b")
    return [e for e in expressions if wanted.search(e)]


def _bare(expressions: list[str]) -> list[str]:
    """The expressions that print a figure without a filter (not a plain name)."""
    return [e for e in expressions if "|" not in e and not e.isidentifier()]


class TemplateLines:
    """One compiled template's code-line → template-line map and its `{{ }}` expressions."""

    def __init__(self, debug_info: str, filename: str) -> None:
        pairs = _line_pairs(debug_info)
        self.code = [c for c, _ in pairs]
        self.tmpl = [t for _, t in pairs]
        self.file = display_path(filename)
        source = _read_source(filename)
        self.source = source.split("\n")
        self.expressions = _expressions(source)

    def line(self, code_line: int) -> int | None:
        i = bisect_right(self.code, code_line) - 1
        if not self.tmpl:
            return 1  # a template of text alone
        return self.tmpl[max(i, 0)]

    def expression(self, line: int | None, filter_name: str, nth: int) -> str:
        found = self.expressions.get(line or 0, [])
        chosen = _with_filter(found, filter_name) if filter_name else _bare(found)
        found = chosen or found
        return found[nth % len(found)] if found else ""


class Ledger:
    """Collects the entries of one composition."""

    def __init__(self) -> None:
        self.entries: list[LedgerEntry] = []
        self._maps: dict[tuple[str, int], TemplateLines] = {}
        self._seen: dict[tuple[str, int | None, str], int] = {}

    def lines_for(self, frame: FrameType) -> TemplateLines | None:
        """The line map of the template a frame runs, or None if it runs no template."""
        info = frame.f_globals.get("debug_info")
        if not isinstance(info, str) or "environment" not in frame.f_globals:
            return None
        filename = frame.f_code.co_filename
        key = (filename, id(info))
        lines = self._maps.get(key)
        if lines is None:
            lines = self._maps[key] = TemplateLines(info, filename)
        return lines

    def _where(self) -> tuple[TemplateLines | None, int | None]:
        frame: FrameType | None = sys._getframe(2)
        while frame is not None:
            lines = self.lines_for(frame)
            if lines is not None:
                return lines, lines.line(frame.f_lineno)
            frame = frame.f_back
        return None, None

    def _template(self) -> tuple[TemplateLines | None, int | None]:
        """The template file and line printing a figure; None for a text from brief.yaml."""
        lines, line = self._where()
        if lines is None or lines.file.startswith("<"):
            return None, None
        return lines, line

    def add(self, text: str, value: Value, unit: str, places: int | None, filter_name: str,
            fallback_file: str, fallback_line: int | None = None) -> int:
        lines, line = self._template()
        if lines is None:
            line = fallback_line
        file = lines.file if lines else fallback_file
        seen_key = (file, line, filter_name)
        nth = self._seen.get(seen_key, 0)
        self._seen[seen_key] = nth + 1
        entry = LedgerEntry(
            id=len(self.entries),
            text=text,
            value="" if value.value is None else value.value,
            unit=unit,
            places=places,
            filter=filter_name,
            expression=lines.expression(line, filter_name, nth) if lines else "",
            formula=value.formula,
            label=value.label,
            sources=tuple(_source_cell(value, cell) for cell in value.sources),
            file=file,
            line=line,
        )
        self.entries.append(entry)
        return entry.id


def _is_one_cell(value: Value) -> bool:
    return len(value.sources) == 1 and not value.formula


def _source_cell(value: Value, cell: Any) -> SourceCell:
    text = getattr(cell, "text", None)
    if text is None and _is_one_cell(value):
        text = getattr(value, "text", None) or str(value)
    return SourceCell(
        file=str(cell.file), row=cell.row, column=cell.column, text=str(text or ""),
    )
