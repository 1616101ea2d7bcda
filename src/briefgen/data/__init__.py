"""The data stage: tables and facts in, typed values that remember their cell out.

A data folder (``data/<place>/<year>/``) describes itself in ``tables.yaml``
(files, keys, columns with labels, units and types) and keeps scalar facts in
``facts.yaml``. Derived figures (sums, shares, ranks, differences) are computed
here, never typed, and carry the cells they came from.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from briefgen.config.yamlpos import load_yaml, read_text, validation_error
from briefgen.errors import BriefError, display_path

# ---- values with provenance -------------------------------------------------


class NotInData(Exception):
    """A template asked for a fact, table, row or column the data does not have.

    Not a LookupError on purpose: Jinja would swallow that into an undefined.
    """


@dataclass(frozen=True)
class Cell:
    """Where a value was read: a file, and the row and column (or fact key) in it."""

    file: str
    row: int | None = None  # the line of a CSV, the row of a sheet, the line of a YAML fact
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        return where


class Value:
    """A number or text from the data, with its unit, its label and its sources.

    Arithmetic between values gives a derived value that keeps all the sources,
    so a difference printed in prose can still be traced to its cells.
    """

    __slots__ = ("value", "unit", "label", "sources", "formula", "decimals")

    def __init__(
        self,
        value: float | int | str,
        unit: str = "",
        label: str = "",
        sources: tuple[Cell, ...] = (),
        formula: str = "",
        decimals: int | None = None,
    ) -> None:
        self.value = value
        self.unit = unit
        self.label = label
        self.sources = sources
        self.formula = formula
        # How many decimal places the figure is printed with by default: a cell keeps
        # what was typed; a sum or difference the finest of its parts; a share one.
        self.decimals = decimals if decimals is not None else (
            None if formula else places(value)
        )

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)

    def number(self) -> float:
        if not self.is_number:
            raise TypeError(f"{self.label or 'value'} is text, not a number")
        return float(self.value)

    def __float__(self) -> float:
        return self.number()

    def __int__(self) -> int:
        return int(self.number())

    def __str__(self) -> str:
        if not self.is_number:
            return str(self.value)
        return plain_number(self.number())

    def __repr__(self) -> str:
        return f"Value({self.value!r}, unit={self.unit!r}, label={self.label!r})"

    # Arithmetic: derived values keep the sources of both sides.
    def _combine(self, other: Any, op: str, fn: Any, unit: str) -> Value:
        exact = op in "+-"
        other_places = other.decimals if isinstance(other, Value) else places(other)
        decimals = max(self.decimals or 0, other_places or 0) if exact else None
        other_value = other.number() if isinstance(other, Value) else float(other)
        other_sources = other.sources if isinstance(other, Value) else ()
        other_label = other.label if isinstance(other, Value) else str(other)
        return Value(
            fn(self.number(), other_value),
            unit=unit,
            label=f"{self.label}{op}{other_label}",
            sources=self.sources + other_sources,
            formula=f"({self.formula or self.label}){op}({getattr(other, 'formula', '') or other_label})",
            decimals=decimals,
        )

    def __add__(self, other: Any) -> Value:
        return self._combine(other, "+", lambda a, b: a + b, self.unit)

    def __sub__(self, other: Any) -> Value:
        unit = "个百分点" if self.unit == "%" else self.unit
        return self._combine(other, "-", lambda a, b: a - b, unit)

    def __mul__(self, other: Any) -> Value:
        return self._combine(other, "×", lambda a, b: a * b, self.unit)

    def __truediv__(self, other: Any) -> Value:
        same = isinstance(other, Value) and other.unit == self.unit
        return self._combine(other, "÷", lambda a, b: a / b, "" if same else self.unit)

    def __neg__(self) -> Value:
        return Value(-self.number(), self.unit, self.label, self.sources, f"-({self.formula})",
                     self.decimals)

    def __abs__(self) -> Value:
        return Value(abs(self.number()), self.unit, self.label, self.sources, self.formula,
                     self.decimals)

    def _key(self, other: Any) -> tuple[float, float]:
        return self.number(), (other.number() if isinstance(other, Value) else float(other))

    def __lt__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a < b

    def __le__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a <= b

    def __gt__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a > b

    def __ge__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a >= b


def places(x: Any) -> int | None:
    """Decimal places of a number as written without trailing zeros (None for text)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    text = plain_number(float(x))
    return len(text.partition(".")[2])


def plain_number(x: float) -> str:
    """A number without trailing zeros: 982.7, 436, 0.04."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


# ---- the description of a data folder --------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(Strict):
    label: str
    unit: str = ""
    type: Literal["number", "int", "text"] = "number"


class TotalSpec(Strict):
    """The parts of a column should add up to a declared total (a fact)."""

    column: str
    fact: str
    tolerance: float = 0.5  # in the column's unit


class TableSpec(Strict):
    file: str
    title: str
    key: str
    sheet: str | None = None
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    total: TotalSpec | None = None


class FactSpec(Strict):
    value: float | int | str
    unit: str = ""
    label: str
    source: str = ""


# ---- tables ----------------------------------------------------------------


class Row:
    """One row of a table; columns are attributes: ``row.output``."""

    def __init__(self, table: DataTable, index: int, values: dict[str, Value]) -> None:
        self._table = table
        self._index = index
        self._values = values

    @property
    def key(self) -> str:
        return str(self._values[self._table.key].value)

    def __getattr__(self, column: str) -> Value:
        if column.startswith("_"):
            raise AttributeError(column)
        try:
            return self._values[column]
        except KeyError:
            raise AttributeError(
                f"table '{self._table.name}' has no column '{column}'"
            ) from None

    def __getitem__(self, column: str) -> Value:
        try:
            return self._values[column]
        except KeyError:
            raise NotInData(f"table '{self._table.name}' has no column '{column}'") from None

    def share(self, column: str, total: Value | None = None) -> Value:
        return self._table.share(self.key, column, total)

    def rank(self, column: str, descending: bool = True) -> Value:
        return self._table.rank(self.key, column, descending)

    def __repr__(self) -> str:
        return f"Row({self._table.name}:{self.key})"


class DataTable:
    """A table read from CSV or Excel, with typed, traceable cells."""

    def __init__(self, name: str, spec: TableSpec, path: Path, rows: list[dict[str, Value]]):
        self.name = name
        self.spec = spec
        self.title = spec.title
        self.key = spec.key
        self.path = path
        self.rows = [Row(self, i, values) for i, values in enumerate(rows)]
        self._by_key = {row.key: row for row in self.rows}

    @property
    def columns(self) -> list[str]:
        return list(self.spec.columns)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, key: str) -> Row:
        return self.row(key)

    def row(self, key: str) -> Row:
        try:
            return self._by_key[str(key)]
        except KeyError:
            known = "、".join(self._by_key)
            raise NotInData(f"table '{self.name}' has no row '{key}' (rows: {known})") from None

    def column(self, column: str) -> list[Value]:
        self._check_column(column)
        return [getattr(row, column) for row in self.rows]

    def _check_column(self, column: str) -> None:
        if column not in self.spec.columns:
            raise NotInData(f"table '{self.name}' has no column '{column}'")

    def sum(self, column: str) -> Value:
        cells = self.column(column)
        spec = self.spec.columns[column]
        sources = tuple(s for v in cells for s in v.sources)
        return Value(
            math.fsum(v.number() for v in cells),
            unit=spec.unit,
            label=f"{self.title}{spec.label}合计",
            sources=sources,
            formula=f"sum({self.name}.{column})",
            decimals=max((v.decimals or 0) for v in cells),
        )

    def share(self, key: str | Row, column: str, total: Value | None = None) -> Value:
        """The row's part of the column total (or of `total`), in percent."""
        row = key if isinstance(key, Row) else self.row(key)
        part = getattr(row, column)
        whole = total if total is not None else self.sum(column)
        if whole.number() == 0:
            raise ZeroDivisionError(f"the total of {self.name}.{column} is zero")
        return Value(
            part.number() / whole.number() * 100,
            unit="%",
            label=f"{row.key}{self.spec.columns[column].label}占比",
            sources=part.sources + whole.sources,
            formula=f"share({self.name}[{row.key}].{column}, {whole.formula or whole.label})",
            decimals=1,
        )

    def rank(self, key: str | Row, column: str, descending: bool = True) -> Value:
        row = key if isinstance(key, Row) else self.row(key)
        ordered = self.sorted(column, descending)
        position = next(i for i, r in enumerate(ordered) if r.key == row.key) + 1
        return Value(
            position,
            unit="位",
            label=f"{row.key}{self.spec.columns[column].label}排名",
            sources=getattr(row, column).sources,
            formula=f"rank({self.name}[{row.key}].{column})",
            decimals=0,
        )

    def sorted(self, column: str, descending: bool = True) -> list[Row]:
        self._check_column(column)
        return sorted(self.rows, key=lambda r: getattr(r, column).number(), reverse=descending)

    def top(self, column: str, n: int = 1) -> list[Row]:
        return self.sorted(column)[:n]

    def frame(self) -> Any:
        """The table as a pandas DataFrame of plain values (for charts)."""
        import pandas as pd

        return pd.DataFrame(
            [{c: getattr(r, c).value for c in self.columns} for r in self.rows],
            columns=self.columns,
        )


class Facts:
    """Scalar facts by name: ``facts.population``."""

    def __init__(self, values: dict[str, Value]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Value:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no fact named '{name}'") from None

    def __getitem__(self, name: str) -> Value:
        if name not in self._values:
            raise NotInData(f"no fact named '{name}'")
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def items(self) -> list[tuple[str, Value]]:
        return list(self._values.items())


class Tables:
    """Tables by name: ``tables.sectors``."""

    def __init__(self, tables: dict[str, DataTable]) -> None:
        self._tables = tables

    def __getattr__(self, name: str) -> DataTable:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._tables[name]
        except KeyError:
            raise AttributeError(f"no table named '{name}'") from None

    def __getitem__(self, name: str) -> DataTable:
        if name not in self._tables:
            raise NotInData(f"no table named '{name}'")
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __contains__(self, name: object) -> bool:
        return name in self._tables

    def items(self) -> list[tuple[str, DataTable]]:
        return list(self._tables.items())


@dataclass
class DataContext:
    folder: Path
    facts: Facts
    tables: Tables

    def all_values(self) -> list[tuple[str, Value]]:
        """Every value read from the data, by a dotted name (for checks and diffs)."""
        out: list[tuple[str, Value]] = [(f"facts.{k}", v) for k, v in self.facts.items()]
        for name, table in self.tables.items():
            for row in table:
                for column, spec in table.spec.columns.items():
                    if spec.type != "text":
                        out.append((f"{name}[{row.key}].{column}", getattr(row, column)))
        return out


# ---- reading -----------------------------------------------------------------


def load_data(folder: Path) -> DataContext:
    """Read a data folder: tables.yaml (with the files it names) and facts.yaml."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise BriefError("data folder not found", shown, hint="check 'data' in brief.yaml")
    facts = _load_facts(folder / "facts.yaml") if (folder / "facts.yaml").exists() else {}
    tables: dict[str, DataTable] = {}
    schema_path = folder / "tables.yaml"
    if schema_path.exists():
        raw, lines = load_yaml(schema_path, "table description")
        if not isinstance(raw, dict):
            raise BriefError("expected a mapping of table names", display_path(schema_path), 1)
        for name, spec_raw in raw.items():
            try:
                spec = TableSpec.model_validate(spec_raw)
            except ValidationError as exc:
                own = {k[1:]: v for k, v in lines.items() if k[:1] == (name,)}
                err = validation_error(exc, schema_path, own)
                raise err.replace(message=f"table '{name}': {err.message}") from None
            tables[name] = _read_table(name, spec, folder, schema_path, lines.get((name,)))
            if spec.total:
                _check_total(name, spec.total, facts, schema_path, lines.get((name, "total")))
    return DataContext(folder=folder, facts=Facts(facts), tables=Tables(tables))


def _check_total(
    name: str, total: TotalSpec, facts: dict[str, Value], schema_path: Path, line: int | None
) -> None:
    """A declared total is a fact, and a positive number (shares are taken of it)."""
    fact = facts.get(total.fact)
    if fact is None:
        raise BriefError(f"table '{name}': its total '{total.fact}' is not in facts.yaml",
                         display_path(schema_path), line, hint="add the fact or fix the name")
    if not fact.is_number or fact.number() <= 0:
        cell = fact.sources[0] if fact.sources else None
        raise BriefError(
            f"fact '{total.fact}' is the total of table '{name}' and must be a positive number, "
            f"not {fact.value}",
            cell.file if cell else display_path(schema_path),
            cell.row if cell else line,
        )


def _load_facts(path: Path) -> dict[str, Value]:
    raw, lines = load_yaml(path, "facts file")
    shown = display_path(path)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise BriefError("expected a mapping of fact names", shown, 1)
    out: dict[str, Value] = {}
    for name, item in raw.items():
        line = lines.get((name,))
        if not isinstance(item, dict):
            item = {"value": item, "label": str(name)}
        try:
            fact = FactSpec.model_validate(item)
        except ValidationError as exc:
            err = validation_error(exc, path, {k[1:]: v for k, v in lines.items() if k[:1] == (name,)})
            raise err.replace(message=f"fact '{name}': {err.message}", line=err.line or line) from None
        value = fact.value
        if isinstance(value, float) and not math.isfinite(value):
            raise BriefError(f"fact '{name}' is not a finite number", shown, line)
        out[str(name)] = Value(
            value, unit=fact.unit, label=fact.label, sources=(Cell(shown, line, str(name)),)
        )
    return out


def _inside(folder: Path, name: str, where: str, line: int | None) -> Path:
    """A file named in a data description, which must stay inside the data folder."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise BriefError(
            f"file '{name}' is outside the data folder", where, line, hint="name a file inside it"
        )
    return path


def _read_table(
    name: str, spec: TableSpec, folder: Path, schema_path: Path, line: int | None
) -> DataTable:
    where = display_path(schema_path)
    path = _inside(folder, spec.file, where, line)
    shown = display_path(path)
    if not path.exists():
        raise BriefError(f"data file for table '{name}' not found", shown, hint=f"named in {where}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        headers, records = _read_csv(path, shown)
    elif suffix in (".xlsx", ".xlsm"):
        headers, records = _read_workbook(path, shown, spec.sheet)
    else:
        raise BriefError(f"unsupported data file type '{suffix}'", shown, hint="use .csv or .xlsx")
    for i, header in enumerate(headers):
        if not header:
            raise BriefError(
                f"header cell {i + 1} is empty (merged cells?)",
                shown,
                1,
                hint="give every column its own one-row header",
            )
    for column in spec.columns:
        if column not in headers:
            raise BriefError(
                f"column '{column}' of table '{name}' is missing",
                shown,
                1,
                hint=f"columns found: {', '.join(headers)}",
            )
    if spec.key not in spec.columns:
        raise BriefError(f"table '{name}': key '{spec.key}' is not among its columns", where, line)
    if spec.total and spec.total.column not in spec.columns:
        raise BriefError(
            f"table '{name}': total column '{spec.total.column}' is not among its columns",
            where,
            line,
        )
    if not records:
        raise BriefError(f"table '{name}' has no rows", shown, hint="add data below the header")

    index = {header: i for i, header in enumerate(headers)}
    rows: list[dict[str, Value]] = []
    seen: set[str] = set()
    for row_number, cells in records:
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
            raise BriefError(
                f"row has {len(cells)} cells but the header has {len(headers)}", shown, row_number,
                hint="remove the extra cells or quote a value holding a comma",
            )
        values: dict[str, Value] = {}
        for column, cspec in spec.columns.items():
            i = index[column]
            raw = cells[i].strip() if i < len(cells) else ""
            cell = Cell(shown, row_number, column)
            values[column] = Value(
                _parse_cell(raw, cspec, shown, row_number, column),
                unit=cspec.unit,
                label=cspec.label,
                sources=(cell,),
            )
        key = str(values[spec.key].value)
        if key in seen:
            raise BriefError(f"key '{key}' appears twice in column '{spec.key}'", shown, row_number)
        seen.add(key)
        for v in values.values():
            v.label = f"{key}{v.label}" if v is not values[spec.key] else v.label
        rows.append(values)
    return DataTable(name, spec, path, rows)


Records = list[tuple[int, list[str]]]  # (row number as the user sees it, cells)


def _read_csv(path: Path, shown: str) -> tuple[list[str], Records]:
    """A UTF-8 CSV (BOM allowed): the header and the non-blank rows with their line numbers."""
    import csv
    import io

    text = read_text(path, "data file")
    reader = csv.reader(io.StringIO(text, newline=""))
    headers: list[str] | None = None
    records: Records = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
            else:
                records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise BriefError(f"cannot read CSV: {exc}", shown, reader.line_num) from None
    if headers is None:
        raise BriefError("data file is empty", shown, hint="add a header row and data")
    return headers, records


def _read_workbook(path: Path, shown: str, sheet: str | None) -> tuple[list[str], Records]:
    """The first (or named) sheet of a workbook: header row and non-blank rows."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/openpyxl errors on a damaged or mislabelled file
        raise BriefError(f"cannot read workbook: {type(exc).__name__}", shown) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise BriefError(
                f"no sheet named '{sheet}'", shown, hint=f"sheets: {', '.join(book.sheetnames)}"
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        headers: list[str] | None = None
        records: Records = []
        for number, row in enumerate(ws.iter_rows(values_only=True), 1):
            cells = ["" if v is None else _cell_text(v) for v in row]
            if not any(c.strip() for c in cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
            else:
                records.append((number, cells))
    finally:
        book.close()
    if headers is None:
        raise BriefError("the sheet is empty", shown, hint="add a header row and data")
    # Columns empty from the header down are formatting, not part of the table.
    used = max([i + 1 for _, cells in records for i, c in enumerate(cells) if c.strip()] or [0])
    while len(headers) > used and not headers[-1]:
        headers.pop()
    return headers, records


def _cell_text(v: Any) -> str:
    if isinstance(v, float):
        return plain_number(v)
    return str(v)


def _parse_cell(raw: str, spec: ColumnSpec, file: str, row: int, column: str) -> float | int | str:
    if spec.type == "text":
        if not raw:
            raise BriefError(f"empty cell in column '{column}'", file, row, hint="fill it in")
        return raw
    cleaned = raw.replace(",", "").replace("，", "")
    if cleaned.endswith("%") and spec.unit == "%":
        cleaned = cleaned[:-1]
    if not cleaned or cleaned.lower() in ("nan", "na", "n/a", "-", "—"):
        raise BriefError(
            f"empty or missing number in column '{column}'", file, row, hint="fill in the value"
        )
    try:
        number = float(cleaned)
    except ValueError:
        raise BriefError(
            f"'{raw}' in column '{column}' is not a number", file, row, hint="write digits only"
        ) from None
    if not math.isfinite(number):
        raise BriefError(f"'{raw}' in column '{column}' is not a finite number", file, row)
    if spec.type == "int":
        if number != int(number):
            raise BriefError(f"'{raw}' in column '{column}' is not a whole number", file, row)
        return int(number)
    return number
