"""Loading a data folder: tables.yaml with the files it names, and facts.yaml.

`load_data` is the one entry point: it returns a `DataContext` whose facts and
tables hold typed `Value`s that remember their cells.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from briefgen.config.yamlpos import KeyPath, load_yaml, read_text, validation_error
from briefgen.data.cells import build_rows
from briefgen.data.layout import SheetTable, normal, pattern_regex, read_table
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
        out: list[tuple[str, Value]] = [
            (f"facts.{k}", v) for k, v in self.facts.items() if not v.is_missing
        ]
        for name, table in self.tables.items():
            for row in table:
                for column, spec in table.spec.columns.items():
                    value = row[column]
                    if spec.type != "text" and not value.is_missing:
                        out.append((f"{name}[{row.key}].{column}", value))
        return out


def load_data(folder: Path) -> DataContext:
    """Read a data folder: tables.yaml (with the files it names) and facts.yaml."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise DataError("data folder not found", shown, hint="check 'data' in brief.yaml")
    facts = _load_facts(folder / "facts.yaml") if (folder / "facts.yaml").exists() else {}
    tables: dict[str, DataTable] = {}
    schema_path = folder / "tables.yaml"
    if schema_path.exists():
        raw, lines = load_yaml(schema_path, "table description")
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            raise DataError("expected a mapping of table names", display_path(schema_path), 1)
        for name, spec_raw in raw.items():
            own = {k[1:]: v for k, v in lines.items() if k[:1] == (name,)}
            try:
                spec = TableSpec.model_validate(spec_raw)
            except ValidationError as exc:
                err = validation_error(exc, schema_path, own)
                raise DataError(f"table '{name}': {err.message}", err.file, err.line,
                                err.hint) from None
            tables[str(name)] = _read_table(str(name), spec, folder, schema_path, own)
            if spec.total:
                _check_total(str(name), spec.total, facts, schema_path, lines.get((name, "total")))
    return DataContext(folder=folder, facts=Facts(facts), tables=Tables(tables))


def _check_total(
    name: str, total: TotalSpec, facts: dict[str, Value], schema_path: Path, line: int | None
) -> None:
    """A declared total is a fact, and a positive number (shares are taken of it)."""
    fact = facts.get(total.fact)
    if fact is None:
        raise DataError(f"table '{name}': its total '{total.fact}' is not in facts.yaml",
                        display_path(schema_path), line, hint="add the fact or fix the name")
    if not fact.is_number or fact.number() <= 0:
        cell = fact.sources[0] if fact.sources else None
        raise DataError(
            f"fact '{total.fact}' is the total of table '{name}' and must be a positive number, "
            f"not {fact.value}",
            cell.file if cell else display_path(schema_path),
            cell.row if cell else line,
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
    out: dict[str, str] = {}
    if not isinstance(node, yaml.MappingNode):
        return out
    for key, value in node.value:
        if isinstance(value, yaml.MappingNode):
            value = next((v for k, v in value.value if k.value == "value"), None)
        if isinstance(value, yaml.ScalarNode) and value.style is None:
            out[str(key.value)] = str(value.value)
    return out


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
        if not isinstance(item, dict):
            item = {"value": item, "label": str(name)}
        try:
            fact = FactSpec.model_validate(item)
        except ValidationError as exc:
            own = {k[1:]: v for k, v in lines.items() if k[:1] == (name,)}
            err = validation_error(exc, path, own)
            raise DataError(f"fact '{name}': {err.message}", err.file, err.line or line,
                            err.hint) from None
        out[str(name)] = _fact_value(str(name), fact, texts.get(str(name)), shown, line)
    return out


def _fact_value(name: str, fact: FactSpec, text: str | None, shown: str,
                line: int | None) -> Value:
    value: Any = fact.value
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"fact '{name}' is not a finite number", shown, line)
    if value is None or (isinstance(value, str) and is_missing_mark(value)):
        text, value = ("" if value is None else str(value)), None
    elif not isinstance(value, int | float) or isinstance(value, bool):
        text = None
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
    sheet = spec.sheet
    if sheet is None:
        return read_workbook(path, shown, None)
    if "{year}" in sheet:
        regex = pattern_regex(sheet)
        return read_workbook(path, shown, lambda n: regex.match(normal(n)) is not None)
    return read_workbook(path, shown, lambda n: n == sheet or normal(n) == normal(sheet))


def _read_table(
    name: str, spec: TableSpec, folder: Path, schema_path: Path, lines: dict[KeyPath, int]
) -> DataTable:
    where = display_path(schema_path)
    line = lines.get(())
    path = _inside(folder, spec.file, where, line)
    shown = display_path(path)
    if not path.exists():
        raise DataError(f"data file for table '{name}' not found", shown, hint=f"named in {where}")
    if spec.key not in spec.columns:
        raise DataError(f"table '{name}': key '{spec.key}' is not among its columns", where, line)
    if spec.total and spec.total.column not in spec.columns:
        raise DataError(
            f"table '{name}': total column '{spec.total.column}' is not among its columns",
            where, line,
        )
    found: list[tuple[int | None, str, SheetTable]] = []
    sheet_regex = pattern_regex(spec.sheet) if spec.sheet and "{year}" in spec.sheet else None
    for sheet, records in _sheets(path, shown, spec):
        m = sheet_regex.match(normal(sheet)) if sheet_regex else None
        year = int(m.group("year")) if m else None
        found.append((year, sheet if sheet_regex else "", read_table(records, spec, shown, year)))
    resolved, rows, years = build_rows(spec, found, shown, where, lines)
    if not rows:
        raise DataError(f"table '{name}' has no rows", shown, hint="add data below the header")
    return DataTable(name, resolved, rows, years, file=shown)



