"""Loading a data folder: tables.yaml with the files it names, and facts.yaml.

`load_data` is the one entry point: it returns a `DataContext` whose facts and
tables hold typed `Value`s that remember their cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from briefgen.config.yamlpos import KeyPath, load_yaml, read_text, validation_error
from briefgen.data.cells import Found, build_rows
from briefgen.data.layout import normal, pattern_regex, read_table
from briefgen.data.readers import Sheets, read_csv, read_workbook
from briefgen.data.schema import FactSpec, TableSpec, TotalSpec
from briefgen.data.tables import DataTable, Facts, Tables
from briefgen.data.values import Cell, Value, is_missing_mark
from briefgen.errors import DataError, display_path


@dataclass
class DataContext:
    folder: Path
    facts: Facts
    tables: Tables

    def all_values(self) -> list[tuple[str, Value]]:
        """Every published number of the data, by a dotted name (for checks and diffs)."""
        out = [(f"facts.{k}", v) for k, v in self.facts.items() if not v.is_missing]
        for name, table in self.tables.items():
            out += _table_numbers(name, table)
        return out


def _table_numbers(name: str, table: DataTable) -> list[tuple[str, Value]]:
    numbers = _number_columns(table)
    return [(f"{name}[{row.key}].{column}", row[column])
            for row in table for column in numbers if not row[column].is_missing]


def _number_columns(table: DataTable) -> list[str]:
    return [column for column, spec in table.spec.columns.items() if spec.type != "text"]


def load_data(folder: Path) -> DataContext:
    """Read a data folder: tables.yaml (with the files it names) and facts.yaml."""
    if not folder.is_dir():
        raise DataError("data folder not found", display_path(folder),
                        hint="check 'data' in brief.yaml")
    facts = _load_facts(folder / "facts.yaml") if (folder / "facts.yaml").exists() else {}
    tables = _load_tables(folder, facts) if (folder / "tables.yaml").exists() else {}
    return DataContext(folder=folder, facts=Facts(facts), tables=Tables(tables))


def _own_lines(lines: dict[KeyPath, int], name: Any) -> dict[KeyPath, int]:
    """The line numbers under one top-level key, with that key taken off their paths."""
    return {k[1:]: v for k, v in lines.items() if k[:1] == (name,)}


def _load_tables(folder: Path, facts: dict[str, Value]) -> dict[str, DataTable]:
    schema_path = folder / "tables.yaml"
    raw, lines = load_yaml(schema_path, "table description")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError("expected a mapping of table names", display_path(schema_path), 1)
    tables: dict[str, DataTable] = {}
    for name, spec_raw in raw.items():
        own = _own_lines(lines, name)
        spec = _table_spec(str(name), spec_raw, schema_path, own)
        tables[str(name)] = _read_table(str(name), spec, folder, schema_path, own)
        if spec.total:
            _check_total(str(name), spec.total, facts, schema_path, lines.get((name, "total")))
    return tables


def _table_spec(name: str, raw: Any, schema_path: Path, own: dict[KeyPath, int]) -> TableSpec:
    try:
        return TableSpec.model_validate(raw)
    except ValidationError as exc:
        err = validation_error(exc, schema_path, own)
        raise DataError(f"table '{name}': {err.message}", err.file, err.line, err.hint) from None


def _check_total(
    name: str, total: TotalSpec, facts: dict[str, Value], schema_path: Path, line: int | None
) -> None:
    """A declared total is a fact, and a positive number (shares are taken of it)."""
    fact = facts.get(total.fact)
    if fact is None:
        raise DataError(f"table '{name}': its total '{total.fact}' is not in facts.yaml",
                        display_path(schema_path), line, hint="add the fact or fix the name")
    if fact.is_number and fact.number() > 0:
        return
    cell = fact.sources[0] if fact.sources else Cell(display_path(schema_path), line, "", "")
    raise DataError(
        f"fact '{total.fact}' is the total of table '{name}' and must be a positive number, "
        f"not {fact.value}",
        cell.file, cell.row,
    )


# ---- facts.yaml ------------------------------------------------------------------------


def typed_texts(path: Path) -> dict[str, str]:
    """The text each fact's value was typed as (``6.0``), from the YAML node tree.

    Only the top two levels are read, so aliases are never expanded here.
    """
    try:
        node = yaml.compose(read_text(path, "facts file"), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    out: dict[str, str] = {}
    for key, value in node.value:
        text = _plain_text(_value_node(value))
        if text is not None:
            out[str(key.value)] = text
    return out


def _value_node(node: yaml.Node) -> yaml.Node | None:
    """A fact's value node: the node itself, or its ``value:`` in a mapping."""
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == "value"), None)
    return node


def _plain_text(node: yaml.Node | None) -> str | None:
    """A scalar's text when it is written plain (not quoted, so typed as a number)."""
    if isinstance(node, yaml.ScalarNode) and node.style is None:
        return str(node.value)
    return None


def _load_facts(path: Path) -> dict[str, Value]:
    raw, lines = load_yaml(path, "facts file")
    shown = display_path(path)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DataError("expected a mapping of fact names", shown, 1)
    texts = typed_texts(path)
    out: dict[str, Value] = {}
    for name, item in raw.items():
        line = lines.get((name,))
        fact = _fact_spec(str(name), item, path, _own_lines(lines, name), line)
        out[str(name)] = _fact_value(str(name), fact, texts.get(str(name)), shown, line)
    return out


def _fact_spec(name: str, item: Any, path: Path, own: dict[KeyPath, int],
               line: int | None) -> FactSpec:
    """A fact as written: a bare value (labelled by its name) or a mapping."""
    if not isinstance(item, dict):
        item = {"value": item, "label": name}
    try:
        return FactSpec.model_validate(item)
    except ValidationError as exc:
        err = validation_error(exc, path, own)
        raise DataError(f"fact '{name}': {err.message}", err.file, err.line or line,
                        err.hint) from None


def _is_unpublished(value: Any) -> bool:
    return value is None or (isinstance(value, str) and is_missing_mark(value))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _printed_text(value: Any, typed: str | None) -> str | None:
    """The text a fact prints as: its mark when unpublished, as typed for a number, None for text."""
    if _is_unpublished(value):
        return "" if value is None else str(value)
    return typed if _is_number(value) else None


def _fact_value(name: str, fact: FactSpec, text: str | None, shown: str,
                line: int | None) -> Value:
    value: Any = fact.value
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"fact '{name}' is not a finite number", shown, line)
    text = _printed_text(value, text)
    if _is_unpublished(value):
        value = None
    cell = Cell(shown, line, name, text if text is not None else str(value))
    return Value(value, unit=fact.unit, label=fact.label, sources=(cell,), text=text)


# ---- tables ------------------------------------------------------------------------------


def _inside(folder: Path, name: str, where: str, line: int | None) -> Path:
    """A file named in a data description, which must stay inside the data folder."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise DataError(
            f"file '{name}' is outside the data folder", where, line, hint="name a file inside it"
        )
    return path


def _sheets(path: Path, shown: str, spec: TableSpec) -> Sheets:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path, shown)
    if suffix not in (".xlsx", ".xlsm"):
        raise DataError(f"unsupported data file type '{suffix}'", shown, hint="use .csv or .xlsx")
    return read_workbook(path, shown, _wanted_sheets(spec.sheet))


def _wanted_sheets(sheet: str | None) -> Callable[[str], bool] | None:
    """Which sheets a table reads: the first (None), one by name, or one per year."""
    if sheet is None:
        return None
    regex = _year_sheets(sheet)
    if regex is not None:
        return lambda n: regex.match(normal(n)) is not None
    return lambda n: n == sheet or normal(n) == normal(sheet)


def _year_sheets(sheet: str | None) -> re.Pattern[str] | None:
    """The sheet pattern as a regex when the table has a sheet per year, else None."""
    if sheet is None or "{year}" not in sheet:
        return None
    return pattern_regex(sheet)


def _check_columns(name: str, spec: TableSpec, where: str, line: int | None) -> None:
    """The key and the total's column must be among the table's columns."""
    if spec.key not in spec.columns:
        raise DataError(f"table '{name}': key '{spec.key}' is not among its columns", where, line)
    if spec.total and spec.total.column not in spec.columns:
        raise DataError(
            f"table '{name}': total column '{spec.total.column}' is not among its columns",
            where, line,
        )


def _found_tables(path: Path, shown: str, spec: TableSpec) -> Found:
    """The table of each sheet read, with the sheet's year and name when there is one per year."""
    regex = _year_sheets(spec.sheet)
    found: Found = []
    for sheet, records in _sheets(path, shown, spec):
        m = regex.match(normal(sheet)) if regex else None
        year = int(m.group("year")) if m else None
        found.append((year, sheet if regex else "", read_table(records, spec, shown, year)))
    return found


def _read_table(
    name: str, spec: TableSpec, folder: Path, schema_path: Path, lines: dict[KeyPath, int]
) -> DataTable:
    where = display_path(schema_path)
    line = lines.get(())
    path = _inside(folder, spec.file, where, line)
    shown = display_path(path)
    if not path.exists():
        raise DataError(f"data file for table '{name}' not found", shown, hint=f"named in {where}")
    _check_columns(name, spec, where, line)
    found = _found_tables(path, shown, spec)
    resolved, rows, years = build_rows(spec, found, shown, where, lines)
    if not rows:
        raise DataError(f"table '{name}' has no rows", shown, hint="add data below the header")
    return DataTable(name, resolved, rows, years, file=shown)



