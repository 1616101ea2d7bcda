"""From cell texts to typed values: a table's rows, this year's and last year's.

A table's newest year (from its headers or sheets) gives each column's
values; the year before, when the file has it, gives ``<column>_prev``, so
templates and charts use the same keys whatever years next year's file
carries. A cell marked not published becomes a missing value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefgen.config.yamlpos import KeyPath
from briefgen.data.layout import RawCell, SheetTable, column_letter, resolved_column
from briefgen.data.schema import ColumnSpec, TableSpec
from briefgen.data.tables import PREVIOUS
from briefgen.data.values import Cell, Value, is_missing_mark
from briefgen.errors import DataError

Found = list[tuple[int | None, str, SheetTable]]  # (sheet year, sheet name, its table)
PERCENT_SIGNS = ("%", "‰")


def parse_cell(raw: str, spec: ColumnSpec, file: str, row: int, column: str
               ) -> float | int | str | None:
    """A cell's value: text, a number, or None for a figure not published."""
    if is_missing_mark(raw):
        return None
    if spec.type == "text":
        return raw
    number = _finite_number(raw, _number_text(raw, spec.unit), file, row, column)
    if spec.type == "int":
        return _whole(number, raw, file, row, column)
    return number


def _number_text(raw: str, unit: str) -> str:
    """The cell without thousands separators, blanks and the column's own % or ‰ sign."""
    cleaned = raw.replace(",", "").replace("，", "").replace(" ", "")
    if unit in PERCENT_SIGNS and cleaned.endswith(unit):
        return cleaned[:-1]
    return cleaned


def _finite_number(raw: str, cleaned: str, file: str, row: int, column: str) -> float:
    try:
        number = float(cleaned)
    except ValueError:
        raise DataError(
            f"'{raw}' in column '{column}' is not a number", file, row,
            hint="write digits only, or 未发布 for a figure not published",
        ) from None
    if not math.isfinite(number):
        raise DataError(f"'{raw}' in column '{column}' is not a finite number", file, row)
    return number


def _whole(number: float, raw: str, file: str, row: int, column: str) -> int:
    if number != int(number):
        raise DataError(f"'{raw}' in column '{column}' is not a whole number", file, row)
    return int(number)


def _pick(cells: dict[int | None, RawCell], year: int | None) -> RawCell | None:
    if year in cells:
        return cells[year]
    return cells.get(None)


@dataclass(frozen=True)
class _Span:
    """A table's newest year and the year before (None when the file does not say)."""

    now: int | None
    before: int | None

    @classmethod
    def of(cls, years: tuple[int, ...]) -> _Span:
        padded = (*years, None, None)
        return cls(padded[0], padded[1])


def _header_years(table: SheetTable) -> set[int]:
    return {y for by_year in table.headers.values() for y in by_year if y is not None}


def _sheet_years(found: Found) -> set[int]:
    return {y for y, _, _ in found if y is not None}


def _years(found: Found) -> tuple[int, ...]:
    years = _sheet_years(found)
    for _, _, table in found:
        years |= _header_years(table)
    return tuple(sorted(years, reverse=True))


@dataclass(frozen=True)
class _Sheets:
    """The sheet of the newest year and, when the years are sheets, the year before's."""

    sheet: str
    current: SheetTable
    prev_sheet: str
    prev: SheetTable | None


def _pick_sheets(found: Found, span: _Span) -> _Sheets:
    if not _sheet_years(found):  # one sheet (or a CSV) holds every year
        _, sheet, current = found[0]
        return _Sheets(sheet, current, sheet, None)
    by_year = {y: (sheet, table) for y, sheet, table in found}
    sheet, current = by_year[span.now]
    prev_sheet, prev = by_year.get(span.before, ("", None))
    return _Sheets(sheet, current, prev_sheet, prev)


class _Typer:
    """Makes the Values of one table."""

    def __init__(self, spec: TableSpec, columns: dict[str, ColumnSpec], shown: str) -> None:
        self.spec = spec
        self.columns = columns
        self.shown = shown

    def _label(self, column: str, key: str) -> str:
        label = self.columns[column].label
        return label if column == self.spec.key else f"{key}{label}"

    def value(self, column: str, raw: RawCell | None, key: str, sheet: str) -> Value:
        cspec = self.columns[column]
        label = self._label(column, key)
        if raw is None:  # the row is not in last year's sheet
            return Value(None, unit=cspec.unit, label=label, text="")
        shown_column = _shown_column(raw, column, sheet)
        value = parse_cell(raw.text, cspec, self.shown, raw.row, shown_column)
        cell = Cell(self.shown, raw.row, shown_column, raw.text)
        text = None if cspec.type == "text" and value is not None else raw.text
        return Value(value, unit=cspec.unit, label=label, sources=(cell,), text=text)


def _shown_column(raw: RawCell, column: str, sheet: str) -> str:
    """The column as the user finds it: sheet!header, with its letter unless it is the key."""
    header = f"{sheet}!{raw.header}" if sheet else raw.header
    return header if raw.header == column else f"{header} ({column_letter(raw.index)})"


def _current_column(key: str, cspec: ColumnSpec, by_year: dict[int | None, str],
                    now: int | None, where: str, line: int | None) -> ColumnSpec:
    if now is not None and now not in by_year and None not in by_year:
        raise DataError(f"column '{key}' has no header for {now}, the table's newest year",
                        where, line, hint="add the column for that year, or check its header")
    header = by_year.get(now, by_year.get(None, ""))
    return resolved_column(key, cspec, header, where, line)


def _has_previous(spec: TableSpec, key: str, before: int | None) -> bool:
    """Whether a column can have last year's figures: a number column, not the key."""
    return key != spec.key and spec.columns[key].type != "text" and before is not None


def _previous_header(spec: TableSpec, key: str, sheets: _Sheets, before: int | None
                     ) -> str | None:
    if not _has_previous(spec, key, before):
        return None
    table = sheets.prev if sheets.prev is not None else sheets.current
    return table.headers[key].get(before)


def _previous_column(spec: TableSpec, key: str, header: str, label: str, before: int | None,
                     where: str, line: int | None) -> ColumnSpec:
    if key + PREVIOUS in spec.columns:
        raise DataError(f"column '{key + PREVIOUS}' is also last year's '{key}'", where, line,
                        hint="rename that column")
    resolved = resolved_column(key, spec.columns[key], header, where, line)
    return resolved.model_copy(update={"label": f"{before}年{label}"})


def _resolve(spec: TableSpec, sheets: _Sheets, span: _Span, where: str,
             lines: dict[KeyPath, int]) -> tuple[dict[str, ColumnSpec], set[str]]:
    """Every column with its label and unit; and the columns that have a previous year."""
    columns: dict[str, ColumnSpec] = {}
    with_prev: set[str] = set()
    for key, cspec in spec.columns.items():
        line = lines.get(("columns", key))
        columns[key] = _current_column(key, cspec, sheets.current.headers[key], span.now,
                                       where, line)
        header = _previous_header(spec, key, sheets, span.before)
        if header is not None:
            columns[key + PREVIOUS] = _previous_column(spec, key, header, columns[key].label,
                                                       span.before, where, line)
            with_prev.add(key)
    return columns, with_prev


Row = dict[str, dict[int | None, RawCell]]


class _RowReader:
    """Turns the rows of the newest sheet into Values, with last year's beside them."""

    def __init__(self, spec: TableSpec, sheets: _Sheets, span: _Span, typer: _Typer,
                 with_prev: set[str]) -> None:
        self.spec = spec
        self.sheets = sheets
        self.span = span
        self.typer = typer
        self.with_prev = with_prev
        self.prev_rows = _rows_by_key(spec.key, sheets.prev, span.before)
        self.seen: set[str] = set()

    def key(self, row: Row, number: int) -> str:
        """The row's name, which must be there and be new."""
        key_cell = _pick(row[self.spec.key], self.span.now)
        key = key_cell.text if key_cell else ""
        if is_missing_mark(key):
            raise DataError(f"the key column '{self.spec.key}' is empty in this row",
                            self.typer.shown, number, hint="every row needs its name")
        if key in self.seen:
            raise DataError(f"key '{key}' appears twice in column '{self.spec.key}'",
                            self.typer.shown, number)
        self.seen.add(key)
        return key

    def _previous(self, row: Row, key: str, column: str) -> RawCell | None:
        source = self.prev_rows.get(key) if self.sheets.prev is not None else row
        return _pick(source[column], self.span.before) if source is not None else None

    def values(self, row: Row, number: int) -> dict[str, Value]:
        key = self.key(row, number)
        values = {column: self.typer.value(column, _pick(row[column], self.span.now), key,
                                           self.sheets.sheet)
                  for column in self.spec.columns}
        for column in self.with_prev:
            values[column + PREVIOUS] = self.typer.value(
                column + PREVIOUS, self._previous(row, key, column), key, self.sheets.prev_sheet)
        return values


def _rows_by_key(key: str, table: SheetTable | None, year: int | None) -> dict[str, Row]:
    """Last year's sheet's rows by their name (none without such a sheet)."""
    if table is None:
        return {}
    return {r[key][year].text: r for r in table.rows if year in r[key]}


def build_rows(spec: TableSpec, found: Found, shown: str, where: str,
               lines: dict[KeyPath, int]) -> tuple[TableSpec, list[dict[str, Value]], tuple[int, ...]]:
    """The table's resolved description, its rows of Values, and its years (newest first)."""
    years = _years(found)
    span = _Span.of(years)
    sheets = _pick_sheets(found, span)
    columns, with_prev = _resolve(spec, sheets, span, where, lines)
    reader = _RowReader(spec, sheets, span, _Typer(spec, columns, shown), with_prev)
    current = sheets.current
    rows = [reader.values(row, number)
            for number, row in zip(current.row_numbers, current.rows, strict=True)]
    resolved = spec.model_copy(update={"columns": columns})
    return resolved, rows, years
