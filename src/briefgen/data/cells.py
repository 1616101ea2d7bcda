"""From cell texts to typed values: a table's rows, this year's and last year's.

A table's newest year (from its headers or sheets) gives each column's
values; the year before, when the file has it, gives ``<column>_prev``, so
templates and charts use the same keys whatever years next year's file
carries. A cell marked not published becomes a missing value.
"""

from __future__ import annotations

import math

from briefgen.config.yamlpos import KeyPath
from briefgen.data.layout import RawCell, SheetTable, column_letter, resolved_column
from briefgen.data.schema import ColumnSpec, TableSpec
from briefgen.data.tables import PREVIOUS
from briefgen.data.values import Cell, Value, is_missing_mark
from briefgen.errors import DataError

Found = list[tuple[int | None, str, SheetTable]]  # (sheet year, sheet name, its table)


def parse_cell(raw: str, spec: ColumnSpec, file: str, row: int, column: str
               ) -> float | int | str | None:
    """A cell's value: text, a number, or None for a figure not published."""
    if is_missing_mark(raw):
        return None
    if spec.type == "text":
        return raw
    cleaned = raw.replace(",", "").replace("，", "").replace(" ", "")
    for sign in ("%", "‰"):
        if cleaned.endswith(sign) and spec.unit == sign:
            cleaned = cleaned[:-1]
    try:
        number = float(cleaned)
    except ValueError:
        raise DataError(
            f"'{raw}' in column '{column}' is not a number", file, row,
            hint="write digits only, or 未发布 for a figure not published",
        ) from None
    if not math.isfinite(number):
        raise DataError(f"'{raw}' in column '{column}' is not a finite number", file, row)
    if spec.type == "int":
        if number != int(number):
            raise DataError(f"'{raw}' in column '{column}' is not a whole number", file, row)
        return int(number)
    return number


def _pick(cells: dict[int | None, RawCell], year: int | None) -> RawCell | None:
    if year in cells:
        return cells[year]
    return cells.get(None)


def _years(found: Found) -> tuple[int, ...]:
    years = {y for y, _, _ in found if y is not None}
    for _, _, table in found:
        years |= {y for by_year in table.headers.values() for y in by_year if y is not None}
    return tuple(sorted(years, reverse=True))


class _Typer:
    """Makes the Values of one table."""

    def __init__(self, spec: TableSpec, columns: dict[str, ColumnSpec], shown: str) -> None:
        self.spec = spec
        self.columns = columns
        self.shown = shown

    def value(self, column: str, raw: RawCell | None, key: str, sheet: str) -> Value:
        cspec = self.columns[column]
        label = cspec.label if column == self.spec.key else f"{key}{cspec.label}"
        if raw is None:  # the row is not in last year's sheet
            return Value(None, unit=cspec.unit, label=label, text="")
        header = f"{sheet}!{raw.header}" if sheet else raw.header
        shown_column = f"{header}" if raw.header == column else f"{header} ({column_letter(raw.index)})"
        value = parse_cell(raw.text, cspec, self.shown, raw.row, shown_column)
        cell = Cell(self.shown, raw.row, shown_column, raw.text)
        text = None if cspec.type == "text" and value is not None else raw.text
        return Value(value, unit=cspec.unit, label=label, sources=(cell,), text=text)


def _resolve(spec: TableSpec, current: SheetTable, prev: SheetTable | None, years: tuple[int, ...],
             where: str, lines: dict[KeyPath, int]) -> tuple[dict[str, ColumnSpec], set[str]]:
    """Every column with its label and unit; and the columns that have a previous year."""
    now = years[0] if years else None
    before = years[1] if len(years) > 1 else None
    columns: dict[str, ColumnSpec] = {}
    with_prev: set[str] = set()
    for key, cspec in spec.columns.items():
        line = lines.get(("columns", key))
        by_year = current.headers[key]
        if now is not None and now not in by_year and None not in by_year:
            raise DataError(f"column '{key}' has no header for {now}, the table's newest year",
                            where, line, hint="add the column for that year, or check its header")
        header = by_year.get(now, by_year.get(None, ""))
        columns[key] = resolved_column(key, cspec, header, where, line)
        if key == spec.key or cspec.type == "text" or before is None:
            continue
        prev_header = (prev.headers[key].get(before) if prev is not None
                       else by_year.get(before))
        if prev_header is None:
            continue
        if key + PREVIOUS in spec.columns:
            raise DataError(f"column '{key + PREVIOUS}' is also last year's '{key}'", where, line,
                            hint="rename that column")
        resolved = resolved_column(key, cspec, prev_header, where, line)
        columns[key + PREVIOUS] = resolved.model_copy(
            update={"label": f"{before}年{columns[key].label}"})
        with_prev.add(key)
    return columns, with_prev


def build_rows(name: str, spec: TableSpec, found: Found, shown: str, where: str,
               lines: dict[KeyPath, int]) -> tuple[TableSpec, list[dict[str, Value]], tuple[int, ...]]:
    """The table's resolved description, its rows of Values, and its years (newest first)."""
    years = _years(found)
    now = years[0] if years else None
    before = years[1] if len(years) > 1 else None
    per_sheet = any(y is not None for y, _, _ in found)
    if per_sheet:
        by_year = {y: (sheet, table) for y, sheet, table in found}
        sheet, current = by_year[now]
        prev_sheet, prev = by_year.get(before, ("", None))
    else:
        _, sheet, current = found[0]
        prev_sheet, prev = sheet, None
    columns, with_prev = _resolve(spec, current, prev, years, where, lines)
    typer = _Typer(spec, columns, shown)
    prev_rows = {}
    if prev is not None:
        prev_rows = {r[spec.key][before].text: r for r in prev.rows if before in r[spec.key]}
    rows: list[dict[str, Value]] = []
    seen: set[str] = set()
    for number, row in zip(current.row_numbers, current.rows, strict=True):
        key_cell = _pick(row[spec.key], now)
        key = key_cell.text if key_cell else ""
        if is_missing_mark(key):
            raise DataError(f"the key column '{spec.key}' is empty in this row", shown, number,
                            hint="every row needs its name")
        if key in seen:
            raise DataError(f"key '{key}' appears twice in column '{spec.key}'", shown, number)
        seen.add(key)
        values = {column: typer.value(column, _pick(row[column], now), key, sheet)
                  for column in spec.columns}
        for column in with_prev:
            source = prev_rows.get(key) if prev is not None else row
            raw = _pick(source[column], before) if source is not None else None
            values[column + PREVIOUS] = typer.value(column + PREVIOUS, raw, key, prev_sheet)
        rows.append(values)
    resolved = spec.model_copy(update={"columns": columns})
    return resolved, rows, years
