"""A chart spec bound to its table: categories and series, checked against the data.

A table or column that does not exist, a text column drawn as numbers, a row that
is not there: each is one error naming brief.yaml, its line, the chart and the key.

A cell the bureau did not publish (未发布, —, blank) is not an error here: its
value is None, so the drawing leaves that bar, point or slice out, and `Bound.missing`
names it for the build's warning and the note under the figure. A row with nothing
published in any drawn column is left out whole (its category goes too), except
in a line chart, whose line breaks there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefgen.config.brief import ChartSpec, Spec
from briefgen.config.yamlpos import line_of
from briefgen.data import Cell, DataContext, DataTable, Row, Value, plain_number
from briefgen.errors import InputError, display_path

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Series:
    column: str
    label: str  # the column's label from tables.yaml, for legends
    unit: str
    values: tuple[float | None, ...]  # None: a cell not published, left out of the drawing

    def shown(self) -> list[tuple[int, float]]:
        """The published values with their category's position."""
        return [(i, v) for i, v in enumerate(self.values) if v is not None]

    def positions(self) -> list[int]:
        """The positions of the categories this series has a value for."""
        return [i for i, _ in self.shown()]

    def published(self) -> list[float]:
        return [v for _, v in self.shown()]


@dataclass(frozen=True)
class Missing:
    """A cell a chart leaves out: not published."""

    category: str  # the category label the reader sees
    key: str  # the row's key
    column: str  # the column's key in tables.yaml
    label: str  # the column's label
    cell: Cell  # where it was read (file, row, header, the cell's text)


@dataclass(frozen=True)
class Bound:
    """A chart's data: category labels and the series drawn over them."""

    chart: ChartSpec
    categories: tuple[str, ...]
    keys: tuple[str, ...]  # the rows' keys, for highlight
    series: tuple[Series, ...]  # bars, slices or lines
    line: Series | None  # bar_line: the series on the second axis
    unit: str
    unit2: str
    missing: tuple[Missing, ...] = ()  # the cells left out, row by row

    def payload(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "keys": list(self.keys),
            "series": [
                [s.column, s.label, s.unit, list(s.values)]
                for s in (*self.series, *([self.line] if self.line else []))
            ],
            "unit": self.unit,
            "unit2": self.unit2,
        }


def bind_charts(spec: Spec, data: DataContext) -> dict[str, Bound]:
    """Check every declared chart against the data and bind it; errors name brief.yaml."""
    return {chart.id: _Binder(spec, data, i, chart).bind()
            for i, chart in enumerate(spec.brief.charts)}


def _number(v: Value) -> float | None:
    """A cell's number, None when it was not published."""
    return None if v.is_missing else float(v.number())


class _Binder:
    """Binds one chart; each check is a method, each failure one InputError."""

    def __init__(self, spec: Spec, data: DataContext, i: int, chart: ChartSpec) -> None:
        self.spec, self.data, self.i, self.chart = spec, data, i, chart

    def fail(self, message: str, key: Key, hint: str = "") -> InputError:
        line = line_of(self.spec.lines, ("charts", self.i, *key))
        return InputError(f"chart '{self.chart.id}': {message}", self.spec.brief_file, line,
                          hint=hint)

    def table(self) -> DataTable:
        chart = self.chart
        if chart.table not in self.data.tables:
            known = ", ".join(name for name, _ in self.data.tables.items()) or "none"
            raise self.fail(f"table '{chart.table}' does not exist", ("table",),
                            hint=f"tables in {display_path(self.data.folder / 'tables.yaml')}: {known}")
        return self.data.tables[chart.table]

    def column(self, table: DataTable, name: str, key: Key, numeric: bool) -> str:
        if name not in table.spec.columns:
            raise self.fail(f"table '{self.chart.table}' has no column '{name}'", key,
                            hint=f"its columns: {', '.join(table.columns)}")
        if numeric and table.spec.columns[name].type == "text":
            raise self.fail(f"column '{name}' of table '{self.chart.table}' is text, not numbers",
                            key)
        return name

    def y_key(self) -> Callable[[int], Key]:
        listed = len(self.chart.y) > 1 or ("charts", self.i, "y", 0) in self.spec.lines
        return (lambda j: ("y", j)) if listed else (lambda j: ("y",))

    def check_kind(self, ys: list[str], y2: str | None) -> None:
        kind = self.chart.kind
        if kind == "bar_line" and y2 is None:
            raise self.fail("a bar_line chart needs 'y2', the column drawn as a line", ("kind",))
        if kind != "bar_line" and y2 is not None:
            raise self.fail(f"'y2' is only for bar_line charts, not {kind}", ("y2",))
        if kind in ("pie", "donut", "bar_line") and len(ys) != 1:
            raise self.fail(f"a {kind} chart takes one 'y' column, not {len(ys)}", ("y",))

    # -- the rows drawn -------------------------------------------------------------
    def listed_rows(self, table: DataTable) -> list[Row]:
        """The rows `rows:` names, in its order; every row without it."""
        chart = self.chart
        if chart.rows is None:
            return list(table.rows)
        by_key = {r.key: r for r in table.rows}
        for j, key in enumerate(chart.rows):
            if key not in by_key:
                raise self.fail(f"table '{chart.table}' has no row '{key}'", ("rows", j),
                                hint=f"its rows: {'、'.join(by_key)}")
        return [by_key[key] for key in chart.rows]

    def check_highlight(self, rows: list[Row]) -> None:
        keys = {r.key for r in rows}
        for j, key in enumerate(self.chart.highlight):
            if key not in keys:
                raise self.fail(f"highlight names row '{key}', which the chart does not draw",
                                ("highlight", j))

    def sorted_rows(self, rows: list[Row], first: str) -> list[Row]:
        """Sorted by the first column's value; rows not published there go last."""
        if self.chart.sort == "none":
            return rows
        shown = [r for r in rows if not r[first].is_missing]
        shown.sort(key=lambda r: r[first].number(), reverse=self.chart.sort == "desc")
        return shown + [r for r in rows if r[first].is_missing]

    def drawn_rows(self, rows: list[Row], columns: list[str]) -> list[Row]:
        """Rows with something to draw (a line chart keeps every row: its line breaks)."""
        if self.chart.kind == "line":
            return rows
        return [r for r in rows if not all(r[c].is_missing for c in columns)]

    def rows(self, table: DataTable, columns: list[str]) -> tuple[list[Row], list[Row]]:
        """The rows drawn, and every row the chart reads (for what it leaves out)."""
        rows = self.listed_rows(table)
        self.check_highlight(rows)
        rows = self.sorted_rows(rows, columns[0])
        drawn = self.drawn_rows(rows, columns)
        if not drawn:
            raise self.fail("no rows to draw", ("rows",))
        return drawn, rows

    # -- binding ---------------------------------------------------------------------
    def check_parts(self, bars: tuple[Series, ...]) -> None:
        if self.chart.kind not in ("pie", "donut"):
            return
        values = bars[0].published()
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise self.fail(f"a {self.chart.kind} chart needs parts that are not negative", ("y",))

    def missing(self, table: DataTable, rows: list[Row], columns: list[str]) -> tuple[Missing, ...]:
        x = self.chart.x
        return tuple(
            Missing(_label(r[x].value), r.key, c, table.spec.columns[c].label, r[c].sources[0])
            for r in rows for c in columns if r[c].is_missing
        )

    def columns(self, table: DataTable) -> tuple[list[str], str | None]:
        """The `y` columns and `y2`, each checked to be a column of numbers; `x` checked."""
        chart = self.chart
        self.column(table, chart.x, ("x",), numeric=False)
        y_key = self.y_key()
        ys = [self.column(table, name, y_key(j), numeric=True) for j, name in enumerate(chart.y)]
        y2 = self.column(table, chart.y2, ("y2",), numeric=True) if chart.y2 else None
        self.check_kind(ys, y2)
        return ys, y2

    def bind(self) -> Bound:
        chart = self.chart
        table = self.table()
        ys, y2 = self.columns(table)
        columns = [*ys, *([y2] if y2 else [])]
        rows, read = self.rows(table, columns)
        bars = tuple(_series(table, name, rows) for name in ys)
        line = _series(table, y2, rows) if y2 else None
        self.check_parts(bars)
        return Bound(
            chart=chart,
            categories=_categories(rows, chart.x),
            keys=tuple(r.key for r in rows),
            series=bars,
            line=line,
            unit=chart.unit or bars[0].unit,
            unit2=chart.unit2 or _unit(line),
            missing=self.missing(table, read, columns),
        )


def _series(table: DataTable, name: str, rows: list[Row]) -> Series:
    cspec = table.spec.columns[name]
    return Series(name, cspec.label, cspec.unit, tuple(_number(r[name]) for r in rows))


def _categories(rows: list[Row], x: str) -> tuple[str, ...]:
    return tuple(_label(r[x].value) for r in rows)


def _unit(series: Series | None) -> str:
    return series.unit if series is not None else ""


def _label(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain_number(float(value))
    return str(value)
