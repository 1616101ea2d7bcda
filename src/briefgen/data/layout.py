"""Finding a table in a bureau's sheet: its header rows, its columns, its years.

The header may start below title rows (``header_row``) and span several rows
(``header_rows``; a cell merged across columns is read for each of them); the
header texts of one column are joined top to bottom. Each column of
tables.yaml names its header text, or a pattern with ``{year}``, which matches
one header per year (several years side by side). A sheet pattern with
``{year}`` reads a sheet per year. Rows from the first note (注：, 资料来源：…)
down are not part of the table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from briefgen.data.readers import Records
from briefgen.data.schema import ColumnSpec, TableSpec
from briefgen.errors import DataError

NOTE_START = re.compile(r"^\s*(注|说明|备注|资料来源|数据来源|来源)\s*[0-9一二三四五六七八九十]*\s*[:：.、]")
_UNIT = re.compile(r"[（(]\s*([^（）()]+?)\s*[）)]\s*$")
YEAR = "{year}"


def normal(text: str) -> str:
    """Header text for matching: NFKC (全角 brackets as ASCII), no blanks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def header_unit(header: str) -> str:
    """The unit a header carries in closing brackets: 常住人口（万人） → 万人."""
    m = _UNIT.search(header.strip())
    return m.group(1).strip() if m else ""


def header_label(header: str) -> str:
    """A header without its year and unit: {year}年常住人口（万人） → 常住人口."""
    text = _UNIT.sub("", header.strip())
    text = re.sub(r"\{year\}\s*年?(末|底|全年)?", "", text)
    return text.strip() or header.strip()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A header pattern as a regular expression over normal() text; {year} a 4-digit year."""
    parts = normal(pattern).split(YEAR)
    return re.compile("^" + r"(?P<year>(?:19|20)\d\d)".join(re.escape(p) for p in parts) + "$")


@dataclass(frozen=True)
class RawCell:
    text: str
    row: int
    header: str  # the header text as the file has it
    index: int  # column index (0-based)


@dataclass
class SheetTable:
    """The table found in one sheet: for each data row, column key → year → cell."""

    rows: list[dict[str, dict[int | None, RawCell]]] = field(default_factory=list)
    headers: dict[str, dict[int | None, str]] = field(default_factory=dict)
    row_numbers: list[int] = field(default_factory=list)


def read_header(records: Records, spec: TableSpec, shown: str) -> tuple[list[str], int, int]:
    """The joined header texts, the first header row and the index of the first data record."""
    start = 0
    if spec.header_row is not None:
        start = next((i for i, (n, _) in enumerate(records) if n >= spec.header_row), len(records))
        if start == len(records) or records[start][0] != spec.header_row:
            raise DataError(f"header_row {spec.header_row} is blank or past the end", shown,
                            spec.header_row, hint="set header_row in tables.yaml to the header's row")
    levels = records[start:start + spec.header_rows]
    if len(levels) < spec.header_rows:
        raise DataError(f"the header needs {spec.header_rows} rows; the file has fewer", shown,
                        records[start][0] if start < len(records) else None)
    width = max(len(cells) for _, cells in levels)
    joined = [""] * width
    for depth, (_, cells) in enumerate(levels):
        upper = depth < len(levels) - 1
        last = ""
        for i in range(width):
            text = cells[i].strip() if i < len(cells) else ""
            if upper and not text:
                text = last  # a cell merged across columns is the header of each of them
            last = text
            if text and not joined[i].endswith(text):
                joined[i] += text
    return joined, levels[0][0], start + spec.header_rows


def data_rows(records: Records, first: int) -> Records:
    """The rows below the header, up to the first note row."""
    out: Records = []
    for number, cells in records[first:]:
        lead = next((c for c in cells if c.strip()), "")
        if NOTE_START.match(lead):
            break
        out.append((number, cells))
    return out


def match_columns(
    spec: TableSpec, headers: list[str], header_line: int, shown: str, sheet_year: int | None
) -> dict[str, dict[int | None, int]]:
    """For each column key, the header index of each year (None: a header without a year)."""
    normals = [normal(h) for h in headers]
    found: dict[str, dict[int | None, int]] = {}
    for key, cspec in spec.columns.items():
        pattern = cspec.header if cspec.header is not None else key
        regex = pattern_regex(pattern)
        years: dict[int | None, int] = {}
        for i, text in enumerate(normals):
            m = regex.match(text) if text else None
            if m:
                year = int(m.group("year")) if "year" in regex.groupindex else sheet_year
                if year in years:
                    raise DataError(f"two headers match column '{key}' ('{pattern}')", shown,
                                    header_line, hint="make its header in tables.yaml more exact")
                years[year] = i
        if not years:
            shown_headers = "、".join(h for h in headers if h) or "none"
            raise DataError(f"column '{key}' of the table is missing (no header '{pattern}')", shown,
                            header_line, hint=f"columns found: {shown_headers}")
        found[key] = years
    return found


def check_blank_headers(headers: list[str], rows: Records, line: int, shown: str) -> list[str]:
    """Drop trailing blank header cells with nothing below; a blank header elsewhere is an error."""
    used = max([i + 1 for _, cells in rows for i, c in enumerate(cells) if c.strip()] or [0])
    headers = list(headers)
    while headers and not headers[-1] and len(headers) > used:
        headers.pop()
    for i, header in enumerate(headers):
        if not header:
            raise DataError(
                f"header cell {i + 1} ({column_letter(i)}) is empty (merged cells?)", shown, line,
                hint="set header_row and header_rows in tables.yaml, or give the column a header",
            )
    return headers


def read_table(records: Records, spec: TableSpec, shown: str, sheet_year: int | None) -> SheetTable:
    """The cells of each column of `spec` in one sheet."""
    headers, line, first = read_header(records, spec, shown)
    rows = data_rows(records, first)
    headers = check_blank_headers(headers, rows, line, shown)
    columns = match_columns(spec, headers, line, shown, sheet_year)
    table = SheetTable(headers={k: {y: headers[i] for y, i in ys.items()} for k, ys in columns.items()})
    for number, cells in rows:
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
            raise DataError(
                f"row has {len(cells)} cells but the header has {len(headers)}", shown, number,
                hint="remove the extra cells or quote a value holding a comma",
            )
        row: dict[str, dict[int | None, RawCell]] = {}
        for key, years in columns.items():
            row[key] = {
                year: RawCell(cells[i].strip() if i < len(cells) else "", number, headers[i], i)
                for year, i in years.items()
            }
        table.rows.append(row)
        table.row_numbers.append(number)
    return table


def resolved_column(key: str, cspec: ColumnSpec, header: str, where: str,
                    line: int | None) -> ColumnSpec:
    """A column's label and unit, from tables.yaml or else from its header."""
    pattern = cspec.header if cspec.header is not None else key
    unit_in_header = header_unit(header) if cspec.type != "text" else ""
    unit = cspec.unit or unit_in_header
    if cspec.unit and unit_in_header and normal(cspec.unit) != normal(unit_in_header):
        raise DataError(f"column '{key}': unit '{cspec.unit}' but its header says '{unit_in_header}'",
                        where, line, hint="remove 'unit' (the header's unit is read) or fix it")
    label = cspec.label or (header_label(pattern) if cspec.header is not None else key)
    return cspec.model_copy(update={"unit": unit, "label": label, "header": header})
