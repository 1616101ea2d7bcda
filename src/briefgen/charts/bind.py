"""A chart spec bound to its table: categories and series, checked against the data.

A table or column that does not exist, a text column drawn as numbers, a row that
is not there: each is one error naming brief.yaml, its line, the chart and the key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from briefgen.config.brief import ChartSpec, Spec
from briefgen.config.yamlpos import line_of
from briefgen.data import DataContext, DataTable, plain_number
from briefgen.errors import InputError, display_path

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Series:
    column: str
    label: str  # the column's label from tables.yaml, for legends
    unit: str
    values: tuple[float, ...]


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

    def rows(self, table: DataTable, first: str) -> list[Any]:
        chart = self.chart
        rows = list(table.rows)
        if chart.rows is not None:
            by_key = {r.key: r for r in table.rows}
            for j, key in enumerate(chart.rows):
                if key not in by_key:
                    raise self.fail(f"table '{chart.table}' has no row '{key}'", ("rows", j),
                                    hint=f"its rows: {'、'.join(by_key)}")
            rows = [by_key[key] for key in chart.rows]
        keys = {r.key for r in rows}
        for j, key in enumerate(chart.highlight):
            if key not in keys:
                raise self.fail(f"highlight names row '{key}', which the chart does not draw",
                                ("highlight", j))
        if chart.sort != "none":
            rows.sort(key=lambda r: r[first].number(), reverse=chart.sort == "desc")
        if not rows:
            raise self.fail("no rows to draw", ("rows",))
        return rows

    def bind(self) -> Bound:
        chart = self.chart
        table = self.table()
        self.column(table, chart.x, ("x",), numeric=False)
        y_key = self.y_key()
        ys = [self.column(table, name, y_key(j), numeric=True) for j, name in enumerate(chart.y)]
        y2 = self.column(table, chart.y2, ("y2",), numeric=True) if chart.y2 else None
        self.check_kind(ys, y2)
        rows = self.rows(table, ys[0])

        def series(name: str) -> Series:
            cspec = table.spec.columns[name]
            return Series(name, cspec.label, cspec.unit, tuple(r[name].number() for r in rows))

        bars = tuple(series(name) for name in ys)
        line = series(y2) if y2 else None
        if chart.kind in ("pie", "donut"):
            values = bars[0].values
            if any(v < 0 for v in values) or sum(values) <= 0:
                raise self.fail(f"a {chart.kind} chart needs parts that are not negative", ("y",))
        return Bound(
            chart=chart,
            categories=tuple(_label(r[chart.x].value) for r in rows),
            keys=tuple(r.key for r in rows),
            series=bars,
            line=line,
            unit=chart.unit or bars[0].unit,
            unit2=chart.unit2 or (line.unit if line else ""),
        )


def _label(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain_number(float(value))
    return str(value)
