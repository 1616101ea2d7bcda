"""Reading a table file into rows of cell texts: UTF-8 CSV, or Excel sheets (openpyxl).

Each cell is kept as the text the user sees: a CSV field as typed, a workbook
number as its number format shows it (``0.0`` → ``13.0``, ``0.00%`` → ``51.12%``),
so a value prints with the places it was typed with. Rows and columns are
capped, so a huge sheet ends in one clear line instead of a hang.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefgen.config.yamlpos import read_text
from briefgen.data.values import plain_number
from briefgen.errors import DataError
from briefgen.numbers import fixed

MAX_ROWS = 100_000  # non-blank rows of one table file or sheet
MAX_COLUMNS = 200

Records = list[tuple[int, list[str]]]  # (row number as the user sees it, cell texts)
Sheets = list[tuple[str, Records]]  # (sheet name, its rows); one "" entry for a CSV


def _too_many_rows(shown: str, row: int) -> DataError:
    return DataError(
        f"more than {MAX_ROWS:,} rows", shown, row,
        hint="briefgen reads at most that many; keep the table the brief uses in a file of its own",
    )


def _too_many_columns(shown: str, row: int) -> DataError:
    return DataError(
        f"more than {MAX_COLUMNS} columns", shown, row,
        hint="keep the columns the brief uses in a file or sheet of their own",
    )


def read_csv(path: Path, shown: str) -> Sheets:
    """A UTF-8 CSV (BOM allowed): its non-blank rows with their line numbers."""
    text = read_text(path, "data file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = _csv_records(reader, shown)
    except csv.Error as exc:
        raise DataError(f"cannot read CSV: {exc}", shown, reader.line_num) from None
    if not records:
        raise DataError("data file is empty", shown, hint="add a header row and data")
    return [("", records)]


def _csv_records(reader: Any, shown: str) -> Records:
    """The CSV's non-blank rows with their line numbers, within the caps."""
    records: Records = []
    for cells in reader:
        if _is_blank(cells):
            continue
        if len(cells) > MAX_COLUMNS:
            raise _too_many_columns(shown, reader.line_num)
        _check_room(records, shown, reader.line_num)
        records.append((reader.line_num, cells))
    return records


def _is_blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


def _check_room(records: Records, shown: str, row: int) -> None:
    """One more row must stay within the cap."""
    if len(records) >= MAX_ROWS:
        raise _too_many_rows(shown, row)


def read_workbook(path: Path, shown: str, wanted: Callable[[str], bool] | None) -> Sheets:
    """The sheets of a workbook that `wanted` accepts (default: the first sheet)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl errors on a damaged or mislabelled file
        raise DataError(f"cannot read workbook: {type(exc).__name__}", shown) from None
    try:
        return [(name, _read_sheet(book[name], shown)) for name in _sheet_names(book, wanted, shown)]
    finally:
        book.close()


def _sheet_names(book: Any, wanted: Callable[[str], bool] | None, shown: str) -> list[str]:
    if wanted is None:
        return list(book.sheetnames[:1])
    names = [n for n in book.sheetnames if wanted(n)]
    if not names:
        raise DataError("no sheet of the workbook matches 'sheet' in tables.yaml", shown,
                        hint=f"sheets: {', '.join(book.sheetnames)}")
    return names


def _past_last_column(cells: list[str]) -> bool:
    """Whether a sheet row (read one column beyond the cap) has a cell past the cap."""
    return len(cells) > MAX_COLUMNS and bool(cells[MAX_COLUMNS].strip())


def _row_texts(row: Any) -> list[str]:
    return [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]


def _read_sheet(ws: Any, shown: str) -> Records:
    records: Records = []
    for number, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1), 1):
        cells = _row_texts(row)
        if _is_blank(cells):
            continue
        if _past_last_column(cells):
            raise _too_many_columns(shown, number)
        _check_room(records, shown, number)
        records.append((number, cells[:MAX_COLUMNS]))
    if not records:
        raise DataError("the sheet is empty", shown, hint="add a header row and data")
    return records


_FORMAT_PLACES = re.compile(r"[0#?]\.([0#?]+)")


def format_places(number_format: str) -> tuple[int | None, bool]:
    """The places a number format shows, and whether it shows a percentage."""
    section = number_format.split(";")[0]
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", section)
    if section.strip().lower() in ("general", ""):
        return None, False
    m = _FORMAT_PLACES.search(section)
    digits = len(m.group(1)) if m else (0 if re.search(r"[0#?]", section) else None)
    return digits, "%" in section


def cell_text(value: Any, number_format: str = "General") -> str:
    """A workbook cell as the sheet shows it."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number_text(value, number_format or "General")
    return _date_or_text(value)


def _date_or_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return _datetime_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _datetime_text(value: dt.datetime) -> str:
    """A date and time, or the date alone at midnight."""
    return value.date().isoformat() if value.time() == dt.time() else value.isoformat()


def _number_text(value: float, number_format: str) -> str:
    """A number with the places its format shows, as a percentage when the format is one."""
    digits, percent = format_places(number_format)
    if percent:
        return _places_text(float(value) * 100, digits) + "%"
    return _places_text(float(value), digits)


def _places_text(x: float, digits: int | None) -> str:
    return plain_number(x) if digits is None else fixed(x, digits)
