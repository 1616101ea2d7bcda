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
    start = _header_start(records, spec, shown)
    levels = _header_levels(records, start, spec, shown)
    return _joined(levels), levels[0][0], start + spec.header_rows


def _header_start(records: Records, spec: TableSpec, shown: str) -> int:
    """The index of the header's first record: the first, or the one at ``header_row``."""
    if spec.header_row is None:
        return 0
    start = _first_at_or_after(records, spec.header_row)
    if start == len(records) or records[start][0] != spec.header_row:
        raise DataError(f"header_row {spec.header_row} is blank or past the end", shown,
                        spec.header_row, hint="set header_row in tables.yaml to the header's row")
    return start


def _first_at_or_after(records: Records, row: int) -> int:
    """The index of the first record at row `row` or below it (len(records) if none)."""
    return next((i for i, (n, _) in enumerate(records) if n >= row), len(records))


def _header_levels(records: Records, start: int, spec: TableSpec, shown: str) -> Records:
    levels = records[start:start + spec.header_rows]
    if len(levels) < spec.header_rows:
        raise DataError(f"the header needs {spec.header_rows} rows; the file has fewer", shown,
                        records[start][0] if start < len(records) else None)
    return levels


def _joined(levels: Records) -> list[str]:
    """Each column's header texts of all levels, top to bottom, each text once."""
    width = max(len(cells) for _, cells in levels)
    joined = [""] * width
    for depth, (_, cells) in enumerate(levels):
        texts = _level_texts(cells, width, merged=depth < len(levels) - 1)
        joined = [_join(above, text) for above, text in zip(joined, texts, strict=True)]
    return joined


def _join(above: str, text: str) -> str:
    """A header text below another; a cell merged down the rows says its text once."""
    return above if above.endswith(text) else above + text


def _level_texts(cells: list[str], width: int, merged: bool) -> list[str]:
    """One header row's texts, `width` wide. In an upper row (`merged`) a blank cell takes
    the text to its left: a cell merged across columns is the header of each of them."""
    texts = [c.strip() for c in cells] + [""] * (width - len(cells))
    for i in range(1, width):
        if merged and not texts[i]:
            texts[i] = texts[i - 1]
    return texts


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
        pattern = _pattern(key, cspec)
        years = _column_years(key, pattern, normals, sheet_year, shown, header_line)
        if not years:
            raise _missing_column(key, pattern, headers, shown, header_line)
        found[key] = years
    return found


def _missing_column(key: str, pattern: str, headers: list[str], shown: str,
                    header_line: int) -> DataError:
    shown_headers = "、".join(h for h in headers if h) or "none"
    return DataError(f"column '{key}' of the table is missing (no header '{pattern}')", shown,
                     header_line, hint=f"columns found: {shown_headers}")


def _pattern(key: str, cspec: ColumnSpec) -> str:
    """The header a column is found by: its own, or else its key."""
    return cspec.header if cspec.header is not None else key


def _column_years(key: str, pattern: str, normals: list[str], sheet_year: int | None,
                  shown: str, header_line: int) -> dict[int | None, int]:
    """The index of each year's header that matches `pattern` (a plain header: the sheet's year)."""
    regex = pattern_regex(pattern)
    years: dict[int | None, int] = {}
    for i, text in enumerate(normals):
        m = regex.match(text) if text else None
        if m is None:
            continue
        year = _year_of(m, sheet_year)
        if year in years:
            raise DataError(f"two headers match column '{key}' ('{pattern}')", shown,
                            header_line, hint="make its header in tables.yaml more exact")
        years[year] = i
    return years


def _year_of(m: re.Match[str], sheet_year: int | None) -> int | None:
    """The year a header says, or for a header without one the sheet's year."""
    return int(m.group("year")) if "year" in m.re.groupindex else sheet_year


def _used_width(rows: Records) -> int:
    """How many columns the data rows fill, up to their last non-blank cell."""
    return max([i + 1 for _, cells in rows for i, c in enumerate(cells) if c.strip()] or [0])


def check_blank_headers(headers: list[str], rows: Records, line: int, shown: str) -> list[str]:
    """Drop trailing blank header cells with nothing below; a blank header elsewhere is an error."""
    used = _used_width(rows)
    headers = list(headers)
    while headers and not headers[-1] and len(headers) > used:
        headers.pop()
    if "" in headers:
        i = headers.index("")
        raise DataError(
            f"header cell {i + 1} ({column_letter(i)}) is empty (merged cells?)", shown, line,
            hint="set header_row and header_rows in tables.yaml, or give the column a header",
        )
    return headers


def _check_width(cells: list[str], headers: list[str], shown: str, number: int) -> None:
    """A row may run past the header only with blank cells."""
    if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
        raise DataError(
            f"row has {len(cells)} cells but the header has {len(headers)}", shown, number,
            hint="remove the extra cells or quote a value holding a comma",
        )


def _raw_cell(cells: list[str], i: int, number: int, headers: list[str]) -> RawCell:
    return RawCell(cells[i].strip() if i < len(cells) else "", number, headers[i], i)


def _column_headers(columns: dict[str, dict[int | None, int]], headers: list[str]
                    ) -> dict[str, dict[int | None, str]]:
    """Each column's header text for each year."""
    return {k: {y: headers[i] for y, i in ys.items()} for k, ys in columns.items()}


def read_table(records: Records, spec: TableSpec, shown: str, sheet_year: int | None) -> SheetTable:
    """The cells of each column of `spec` in one sheet."""
    headers, line, first = read_header(records, spec, shown)
    rows = data_rows(records, first)
    headers = check_blank_headers(headers, rows, line, shown)
    columns = match_columns(spec, headers, line, shown, sheet_year)
    table = SheetTable(headers=_column_headers(columns, headers))
    for number, cells in rows:
        _check_width(cells, headers, shown, number)
        table.rows.append({key: {year: _raw_cell(cells, i, number, headers) for year, i in years.items()}
                           for key, years in columns.items()})
        table.row_numbers.append(number)
    return table


def _unit(key: str, cspec: ColumnSpec, header: str, where: str, line: int | None) -> str:
    """A column's unit: as tables.yaml gives it, which must agree with its header's, or the header's."""
    unit_in_header = header_unit(header) if cspec.type != "text" else ""
    if _units_differ(cspec.unit, unit_in_header):
        raise DataError(f"column '{key}': unit '{cspec.unit}' but its header says '{unit_in_header}'",
                        where, line, hint="remove 'unit' (the header's unit is read) or fix it")
    return cspec.unit or unit_in_header


def _units_differ(given: str, in_header: str) -> bool:
    """Whether tables.yaml and the header both name a unit, and not the same one."""
    return bool(given and in_header) and normal(given) != normal(in_header)


def _label(key: str, cspec: ColumnSpec) -> str:
    """A column's label: as tables.yaml gives it, or its header pattern without year and unit."""
    if cspec.label:
        return cspec.label
    return header_label(cspec.header) if cspec.header is not None else key


def resolved_column(key: str, cspec: ColumnSpec, header: str, where: str,
                    line: int | None) -> ColumnSpec:
    """A column's label and unit, from tables.yaml or else from its header."""
    unit = _unit(key, cspec, header, where, line)
    return cspec.model_copy(update={"unit": unit, "label": _label(key, cspec), "header": header})
