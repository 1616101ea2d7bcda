"""The figure ledger: every figure compose prints, with its value, cells and template line.

Compose enters a figure when it is output (Jinja's `finalize`), so a filter
result that is only used in a string operation is not a printed figure. The
template line comes from the compiled template's debug line map, parsed once
per template and searched by bisection; the `{{ }}` expression from the
template source, scanned once per template. Jinja compiles each `{{ }}` to one
`environment.finalize` call on a code line of its own, in source order, so the
code line printing a figure says which `{{ }}` of its template line it is, even
in a loop; when a line's calls and expressions do not pair up (a `{{` in a
comment), the n-th figure of the line with that filter is taken instead.
"""

from __future__ import annotations

import dis
import re
import sys
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import CodeType, FrameType, FunctionType
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


def _finalize_line(instruction: dis.Instruction) -> int | None:
    """The code line of an instruction that looks up `finalize` (None for any other)."""
    if instruction.opname not in ("LOAD_ATTR", "LOAD_METHOD") or instruction.argval != "finalize":
        return None
    return instruction.positions.lineno if instruction.positions else None


def _finalize_lines(code: CodeType) -> set[int]:
    """The lines of compiled template code, and of the functions inside it, that print."""
    lines = {line for line in map(_finalize_line, dis.get_instructions(code)) if line}
    for inner in code.co_consts:
        if isinstance(inner, CodeType):
            lines |= _finalize_lines(inner)
    return lines


def printing_lines(module: Mapping[str, Any]) -> list[int]:
    """The code lines of a compiled template module that print a `{{ }}`, in order."""
    blocks = module.get("blocks")
    functions = [module.get("root"), *(blocks.values() if isinstance(blocks, dict) else ())]
    lines: set[int] = set()
    for function in functions:
        if isinstance(function, FunctionType):
            lines |= _finalize_lines(function.__code__)
    return sorted(lines)


def _prints_with(expression: str, filter_name: str) -> bool:
    """Whether an expression prints through the filter ("": through none)."""
    if filter_name:
        return bool(_with_filter([expression], filter_name))
    return "|" not in expression


def _candidates(expressions: list[str], filter_name: str) -> list[str]:
    """The line's expressions that print through the filter (all of them if none does)."""
    chosen = _with_filter(expressions, filter_name) if filter_name else _bare(expressions)
    return chosen or expressions


class TemplateLines:
    """One compiled template's code-line → template-line map and its `{{ }}` expressions."""

    def __init__(self, debug_info: str, filename: str, printing: Sequence[int] = ()) -> None:
        pairs = _line_pairs(debug_info)
        self.code = [c for c, _ in pairs]
        self.tmpl = [t for _, t in pairs]
        self.file = display_path(filename)
        source = _read_source(filename)
        self.source = source.split("\n")
        self.expressions = _expressions(source)
        self.printing: dict[int, list[int]] = {}  # template line → its printing code lines
        for code_line in printing:
            self.printing.setdefault(self.line(code_line) or 0, []).append(code_line)

    def line(self, code_line: int) -> int | None:
        i = bisect_right(self.code, code_line) - 1
        if not self.tmpl:
            return 1  # a template of text alone
        return self.tmpl[max(i, 0)]

    def printed_by(self, line: int | None, code_line: int | None) -> str | None:
        """The `{{ }}` that `code_line` prints, when the line's calls and expressions pair up."""
        found = self.expressions.get(line or 0, [])
        calls = self.printing.get(line or 0, [])
        if code_line not in calls or len(calls) != len(found):
            return None
        return found[calls.index(code_line)]

    def expression(self, line: int | None, filter_name: str, nth: int,
                   code_line: int | None = None) -> str:
        exact = self.printed_by(line, code_line)
        if exact is not None and _prints_with(exact, filter_name):
            return exact
        found = _candidates(self.expressions.get(line or 0, []), filter_name)
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
            lines = self._maps[key] = TemplateLines(info, filename,
                                                    printing_lines(frame.f_globals))
        return lines

    def _where(self) -> tuple[TemplateLines | None, int | None]:
        """The innermost template running, and the code line it runs."""
        frame: FrameType | None = sys._getframe(3)
        while frame is not None:
            lines = self.lines_for(frame)
            if lines is not None:
                return lines, frame.f_lineno
            frame = frame.f_back
        return None, None

    def _template(self) -> tuple[TemplateLines | None, int | None]:
        """The template printing a figure, and its code line; None for a text from brief.yaml."""
        lines, code_line = self._where()
        if lines is None or lines.file.startswith("<"):
            return None, None
        return lines, code_line

    def add(self, text: str, value: Value, unit: str, places: int | None, filter_name: str,
            fallback_file: str, fallback_line: int | None = None) -> int:
        lines, code_line = self._template()
        if lines is None or code_line is None:
            self._count(fallback_file, fallback_line, filter_name)  # as any figure, though unnamed
            return self._enter(text, value, unit, places, filter_name, fallback_file,
                               fallback_line, "")
        line = lines.line(code_line)
        nth = self._count(lines.file, line, filter_name)
        expression = lines.expression(line, filter_name, nth, code_line)
        return self._enter(text, value, unit, places, filter_name, lines.file, line, expression)

    def _count(self, file: str, line: int | None, filter_name: str) -> int:
        """How many figures of this filter the line printed before this one."""
        seen_key = (file, line, filter_name)
        nth = self._seen.get(seen_key, 0)
        self._seen[seen_key] = nth + 1
        return nth

    def _enter(self, text: str, value: Value, unit: str, places: int | None, filter_name: str,
               file: str, line: int | None, expression: str) -> int:
        entry = LedgerEntry(
            id=len(self.entries),
            text=text,
            value="" if value.value is None else value.value,
            unit=unit,
            places=places,
            filter=filter_name,
            expression=expression,
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
