"""Tables, rows and facts as templates see them, and the figures derived from them.

Derived figures (sums, shares, ranks, the change between two years) are
computed here, never typed, and carry the cells they came from. Sorting and
ranking sort a column once and remember it, so ranking every row of a long
table stays linear after that one sort.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Generic, TypeVar

from briefgen.data.schema import TableSpec
from briefgen.data.values import Cell, NotInData, Value

V = TypeVar("V")

PREVIOUS = "_prev"  # the suffix of a column's previous-year values: population_prev


class Row:
    """One row of a table; columns are attributes: ``row.output``."""

    __slots__ = ("_table", "_values")

    def __init__(self, table: DataTable, values: dict[str, Value]) -> None:
        self._table = table
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
            raise AttributeError(f"table '{self._table.name}' has no column '{column}'") from None

    def __getitem__(self, column: str) -> Value:
        try:
            return self._values[column]
        except KeyError:
            raise NotInData(f"table '{self._table.name}' has no column '{column}'") from None

    def share(self, column: str, total: Value | None = None) -> Value:
        """The row's part of the column total (or of `total`), in percent."""
        return self._table.share(self, column, total)

    def rank(self, column: str, descending: bool = True) -> Value:
        """The row's place in the column, 1 for the largest (or smallest)."""
        return self._table.rank(self, column, descending)

    def change(self, column: str) -> Value:
        """This year's value minus last year's (a rate's change is in 个百分点 / 个千分点)."""
        now, before = self[column], self._previous(column)
        return (now - before)._relabel(f"{now.label}比上年增减", f"change({self._where(column)})")

    def change_pct(self, column: str) -> Value:
        """The change since last year in percent of last year's value."""
        now, before = self[column], self._previous(column)
        if before.number() == 0:
            raise ZeroDivisionError(f"{before.label} is zero: no growth rate")
        return Value(
            (now.number() - before.number()) / abs(before.number()) * 100,
            unit="%", label=f"{now.label}比上年增长", sources=now.sources + before.sources,
            formula=f"change_pct({self._where(column)})", decimals=1,
        )

    def _previous(self, column: str) -> Value:
        try:
            return self._values[column + PREVIOUS]
        except KeyError:
            raise NotInData(
                f"table '{self._table.name}' has no previous year for column '{column}'"
            ) from None

    def _where(self, column: str) -> str:
        return f"{self._table.name}[{self.key}].{column}"

    def __repr__(self) -> str:
        return f"Row({self._table.name}:{self.key})"


class DataTable:
    """A table read from CSV or Excel, with typed, traceable cells."""

    def __init__(self, name: str, spec: TableSpec, rows: list[dict[str, Value]],
                 years: tuple[int, ...] = (), file: str = "") -> None:
        self.name = name
        self._file = file  # the data file as shown to the user (a string: no file powers)
        self.spec = spec  # as read: every column with its header, label and unit resolved
        self.title = spec.title
        self.key = spec.key
        self.rows = [Row(self, values) for values in rows]
        self._by_key = {row.key: row for row in self.rows}
        self._years = years  # the years read, newest first
        self._sorted: dict[tuple[str, bool], list[Row]] = {}
        self._ranks: dict[tuple[str, bool], dict[str, int]] = {}

    @property
    def file(self) -> str:
        """The data file, as messages show it (a string, never a Path)."""
        return self._file

    path = file  # the old name, for check; a string now, not a Path

    @property
    def columns(self) -> list[str]:
        return list(self.spec.columns)

    @property
    def year(self) -> Value:
        """The newest year the table's headers or sheets carry (2023)."""
        return self._year(0)

    @property
    def prev_year(self) -> Value:
        """The year before it that the file also has (2022)."""
        return self._year(1)

    def _year(self, i: int) -> Value:
        if len(self._years) <= i:
            raise NotInData(f"table '{self.name}' has no {'previous ' if i else ''}year in its "
                            "headers or sheets")
        year = self._years[i]
        return Value(year, unit="年", label="统计年度", formula=f"{self.name}.year",
                     decimals=0, text=str(year))

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
            known = "、".join(list(self._by_key)[:20])
            raise NotInData(f"table '{self.name}' has no row '{key}' (rows: {known})") from None

    def column(self, column: str) -> list[Value]:
        self._check_column(column)
        return [row[column] for row in self.rows]

    def _check_column(self, column: str) -> None:
        if column not in self.spec.columns:
            raise NotInData(f"table '{self.name}' has no column '{column}'")

    def sum(self, column: str) -> Value:
        """The column's total (a cell not published stops it, naming the cell)."""
        cells = self.column(column)
        spec = self.spec.columns[column]
        return Value(
            math.fsum(v.number() for v in cells),
            unit=spec.unit,
            label=_total_label(self.title, spec.label),
            sources=_all_sources(cells),
            formula=f"sum({self.name}.{column})",
            decimals=_finest(cells),
        )

    def share(self, key: str | Row, column: str, total: Value | None = None) -> Value:
        """The row's part of the column total (or of `total`), in percent."""
        row = key if isinstance(key, Row) else self.row(key)
        part = row[column]
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
        """第N in the column: equal values share a place (1, 2, 2, 4)."""
        row = key if isinstance(key, Row) else self.row(key)
        cell = row[column]
        cell.number()  # a cell not published has no rank: the error names it
        ranks = self._ranks.get((column, descending))
        if ranks is None:
            ranks = self._ranks[(column, descending)] = _places_of(
                self.sorted(column, descending), column)
        return Value(
            ranks[row.key],
            unit="位",
            label=f"{row.key}{self.spec.columns[column].label}排名",
            sources=cell.sources,
            formula=f"rank({self.name}[{row.key}].{column})",
            decimals=0,
        )

    def sorted(self, column: str, descending: bool = True) -> list[Row]:
        """The rows by the column, largest first (or smallest); unpublished cells last."""
        self._check_column(column)
        cached = self._sorted.get((column, descending))
        if cached is None:
            cached = self._sorted[(column, descending)] = _by_column(self.rows, column, descending)
        return list(cached)

    def top(self, column: str, n: int = 1) -> list[Row]:
        return [r for r in self.sorted(column) if not r[column].is_missing][:n]


def _all_sources(values: list[Value]) -> tuple[Cell, ...]:
    return tuple(s for v in values for s in v.sources)


def _finest(values: list[Value]) -> int:
    """The most places any of the values was typed with."""
    return max((v.decimals or 0) for v in values)


def _total_label(title: str, label: str) -> str:
    """合计 after the title, with the column's label unless the title already says it."""
    return f"{title}合计" if label and label in title else f"{title}{label}合计"


def _places_of(ordered: list[Row], column: str) -> dict[str, int]:
    """Each row's place in rows sorted by the column: equal values share one (1, 2, 2, 4)."""
    ranks: dict[str, int] = {}
    previous: float | None = None
    place = 0
    for i, r in enumerate(ordered, 1):
        value = r[column]
        if value.is_missing:
            break
        if value.number() != previous:
            place, previous = i, value.number()
        ranks[r.key] = place
    return ranks


def _by_column(rows: list[Row], column: str, descending: bool) -> list[Row]:
    """The rows by the column; the unpublished cells last, in their order."""
    present = [r for r in rows if not r[column].is_missing]
    absent = [r for r in rows if r[column].is_missing]
    present.sort(key=lambda r: r[column].number(), reverse=descending)
    return present + absent


class _ByName(Generic[V]):
    """Values by name, as attributes (``facts.population``) and subscripts; `noun` names
    them in the error for a name that is not there."""

    noun = "value"

    def __init__(self, values: dict[str, V]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> V:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no {self.noun} named '{name}'") from None

    def __getitem__(self, name: str) -> V:
        if name not in self._values:
            raise NotInData(f"no {self.noun} named '{name}'")
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def items(self) -> list[tuple[str, V]]:
        return list(self._values.items())


class Facts(_ByName[Value]):
    """Scalar facts by name: ``facts.population``."""

    noun = "fact"


class Tables(_ByName[DataTable]):
    """Tables by name: ``tables.sectors``."""

    noun = "table"
