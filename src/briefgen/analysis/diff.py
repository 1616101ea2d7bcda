"""`briefgen diff OLD NEW`: the figures that changed between two issues.

OLD and NEW are brief folders or data folders. For brief folders, each brief
is composed against its own data and only the figures it prints are compared:
the cells its filters print (by a stable name, sectors[冶金].output) and the
derived figures it prints (sums, shares, ranks, changes, differences, by
their formula). For data folders, every published number is compared with
the sums and shares of additive columns. Each side keeps its own Chinese
labels; a statistical year and the rank of a rate are never listed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from briefgen.compose import Composer, compose
from briefgen.config.brief import Spec, load_spec
from briefgen.data import Cell, DataContext, DataTable, Value, load_data
from briefgen.errors import BriefError, display_path
from briefgen.numbers import fixed

RATE_UNITS = ("%", "‰", "个百分点", "个千分点")
YEAR_LABELS = ("统计年度",)
POINTS = {"%": "个百分点", "个百分点": "个百分点", "‰": "个千分点", "个千分点": "个千分点"}


@dataclass
class Change:
    name: str  # the dotted name: facts.population, sectors[冶金].output, share(sectors[冶金].output)
    old: Value | None
    new: Value | None

    @property
    def latest(self) -> Value:
        """The newer side (the only side, for a figure new or gone): its label and unit."""
        side = self.new if self.new is not None else self.old
        assert side is not None
        return side

    @property
    def label(self) -> str:
        return self.latest.label

    @property
    def old_label(self) -> str:
        return self.old.label if self.old is not None else ""

    @property
    def unit(self) -> str:
        return self.latest.unit

    @property
    def status(self) -> str:
        if self.old is None:
            return "new"
        if self.new is None:
            return "gone"
        return "same" if _same(self.old, self.new) else "changed"

    def numbers(self) -> tuple[Value, Value] | None:
        """Both sides, when both are numbers (a change can be said)."""
        if self.old is None or self.new is None or not (self.old.is_number and self.new.is_number):
            return None
        return self.old, self.new

    def delta(self) -> str:
        """+33.3亿元（+5.9%）; a rate's change in 个百分点 (‰: 个千分点), a rank's in 位."""
        pair = self.numbers()
        if pair is None:
            return ""
        a, b = pair[0].number(), pair[1].number()
        d = b - a
        sign = "+" if d > 0 else ("−" if d < 0 else "±")
        if self.unit in POINTS:
            return f"{sign}{fixed(abs(d), _places_of(pair))}{POINTS[self.unit]}"
        if self.unit == "位":
            return f"{sign}{fixed(abs(d), 0)}位"
        return f"{sign}{fixed(abs(d), _places_of(pair))}{self.unit}" + _relative(a, d)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "old_label": self.old_label,
            "unit": self.unit,
            "old": None if self.old is None else self.old.value,
            "new": None if self.new is None else self.new.value,
            "status": self.status,
            "change": self.delta(),
        }


def _places(v: Value) -> int:
    return v.decimals if v.decimals is not None else 1


def _places_of(pair: tuple[Value, Value]) -> int:
    """A change is given to the finer of the two sides' places."""
    return max(_places(pair[0]), _places(pair[1]))


def _relative(a: float, d: float) -> str:
    """（+5.9%）: the change as a percentage of the old value (none from zero)."""
    if a == 0:
        return ""
    return f"（{'+' if d >= 0 else '−'}{fixed(abs(d) / abs(a) * 100, 1)}%）"


def _shown(v: Value | None) -> str:
    if v is None:
        return "—"
    if not v.is_number:
        return str(v.value)
    if v.unit == "位":
        return f"第{fixed(v.number(), 0)}"
    return fixed(v.number(), _places(v)) + v.unit


def _same(a: Value, b: Value) -> bool:
    if a.is_number and b.is_number:
        places = max(_places(a), _places(b))
        return fixed(a.number(), places) == fixed(b.number(), places)
    return a.value == b.value


# ---- the figures of one side --------------------------------------------------------------


def _is_year(name: str, v: Value) -> bool:
    return name == "facts.year" or v.label in YEAR_LABELS


def _sum_label(table: DataTable, column: str) -> str:
    """六大行业产值合计; a title that already names the column is not doubled."""
    label = table.spec.columns[column].label
    title = table.title
    return f"{title}合计" if label and label in title else f"{title}{label}合计"


def _labelled(v: Value, label: str) -> Value:
    return Value(v.value, v.unit, label, v.sources, v.formula, v.decimals)


def _additive(table: DataTable, column: str) -> bool:
    """A column whose sum means something: amounts (not rates, not last year's), all
    published, not all zero."""
    cspec = table.spec.columns[column]
    if cspec.type == "text" or cspec.unit in RATE_UNITS or column.endswith("_prev"):
        return False
    if any(v.is_missing for v in table.column(column)):
        return False
    return table.sum(column).number() != 0


def _derived(tname: str, table: DataTable, column: str) -> dict[str, Value]:
    """An additive column's sum, each row's share of it and (of two rows or more) rank."""
    whole = _sum_label(table, column)
    label = table.spec.columns[column].label
    out = {f"sum({tname}.{column})": _labelled(table.sum(column), whole)}
    for row in table:
        out[f"share({tname}[{row.key}].{column})"] = _labelled(
            table.share(row, column), f"{row.key}{label}占{whole}比重")
    if len(table) > 1:
        for row in table:
            out[f"rank({tname}[{row.key}].{column})"] = table.rank(row, column)
    return out


def _text_facts(data: DataContext) -> dict[str, Value]:
    """The facts given in words (近七分之一): printed too."""
    return {f"facts.{name}": v for name, v in data.facts.items()
            if not v.is_number and not v.is_missing}


def data_figures(data: DataContext) -> dict[str, Value]:
    """Every published figure of a data folder by a stable name, with what its tables derive."""
    out = {name: v for name, v in data.all_values() if not _is_year(name, v)}
    out.update(_text_facts(data))
    for tname, table in data.tables.items():
        for column in table.spec.columns:
            if _additive(table, column):
                out.update(_derived(tname, table, column))
    return out


def _printed_entry(v: Value, names: dict[Cell, str], values: dict[str, Value]
                   ) -> tuple[str, Value] | None:
    """A printed value's stable name and figure: a derived one by its formula, a cell by
    the name data_figures gives it."""
    if v.formula and v.is_number:
        return v.formula, v
    if len(v.sources) == 1 and v.sources[0] in names:
        name = names[v.sources[0]]
        return name, values[name]
    return None


def printed_figures(spec: Spec, data: DataContext) -> dict[str, Value]:
    """The figures a brief prints: cells its filters print or compute from, and what it derives."""
    values = data_figures(data)
    names = {v.sources[0]: name for name, v in values.items()
             if not v.formula and len(v.sources) == 1}
    out: dict[str, Value] = {}
    for v in _printed_values(spec, data):
        entry = _printed_entry(v, names, values)
        if entry is not None:
            out.setdefault(*entry)
    return {n: v for n, v in out.items() if _own_figure(n, v, data)}


def _own_figure(name: str, v: Value, data: DataContext) -> bool:
    """Not the statistical year, not the rank of a rate."""
    return not _is_year(name, v) and not _rate_rank(name, v, data)


class _Collector(Composer):
    """A composer that keeps every value a filter printed (the ledger keeps their texts)."""

    def __init__(self, spec: Spec, data: DataContext) -> None:
        super().__init__(spec, data)
        self.printed: list[Value] = []

    def _record(self, text: str, v: object) -> str:
        if isinstance(v, Value):
            self.printed.append(v)
        return text


def _printed_values(spec: Spec, data: DataContext) -> list[Value]:
    collector = _Collector(spec, data)
    compose(spec, data, collector)
    return collector.printed


def _rate_rank(name: str, v: Value, data: DataContext) -> bool:
    """A rank of a rate column (增速排名): not a figure of the brief's own."""
    if not name.startswith("rank("):
        return False
    table = name[5:].split("[", 1)[0]
    column = name.rsplit(".", 1)[-1].rstrip(")")
    if table not in data.tables:
        return False
    cspec = data.tables[table].spec.columns.get(column)
    return cspec is not None and cspec.unit in RATE_UNITS


def compare(before: dict[str, Value], after: dict[str, Value]) -> list[Change]:
    names = list(before) + [n for n in after if n not in before]
    return [Change(name, before.get(name), after.get(name)) for name in names]


def side(folder: Path) -> dict[str, Value]:
    """The figures of a brief folder (those it prints) or of a data folder (all)."""
    if (folder / "brief.yaml").exists():
        spec = load_spec(folder)
        return printed_figures(spec, load_data(spec.data_folder()))
    if folder.is_dir() and ((folder / "facts.yaml").exists() or (folder / "tables.yaml").exists()):
        return data_figures(load_data(folder))
    if not folder.exists():
        raise BriefError("folder not found", display_path(folder))
    raise BriefError("neither a brief folder nor a data folder", display_path(folder),
                     hint="name a folder holding brief.yaml, or facts.yaml / tables.yaml")


# ---- the command ------------------------------------------------------------------------------


def register_cli(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("diff", help="the figures that changed between two issues")
    p.add_argument("old", type=Path, metavar="OLD", help="the earlier brief (or data) folder")
    p.add_argument("new", type=Path, metavar="NEW", help="the later brief (or data) folder")
    p.add_argument("--all", action="store_true", help="list unchanged figures too")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_diff)


def _counts(changes: list[Change]) -> dict[str, int]:
    return {s: sum(1 for c in changes if c.status == s) for s in ("changed", "new", "gone", "same")}


def cmd_diff(args: argparse.Namespace) -> int:
    changes = compare(side(args.old), side(args.new))
    shown = [c for c in changes if args.all or c.status != "same"]
    counts = _counts(changes)
    if args.format == "json":
        json.dump({"figures": [c.as_dict() for c in shown], "counts": counts}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_table(args, shown, counts)
    return 0


def _print_table(args: argparse.Namespace, shown: list[Change], counts: dict[str, int]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)
    table = Table(title=f"{display_path(args.old)} → {display_path(args.new)}", title_justify="left")
    table.add_column("指标")
    table.add_column("旧值", justify="right")
    table.add_column("新值", justify="right")
    table.add_column("变化", justify="right")
    for c in shown:
        style = {"new": "green", "gone": "red", "same": "dim"}.get(c.status)
        change = c.delta() or {"new": "新增", "gone": "删去"}.get(c.status, "")
        label = c.label if c.old_label in ("", c.label) else f"{c.label}（原：{c.old_label}）"
        table.add_row(label, _shown(c.old), _shown(c.new), change, style=style)
    if shown:
        console.print(table)
    console.print(
        f"{counts['changed']} changed, {counts['new']} new, {counts['gone']} gone, "
        f"{counts['same']} unchanged"
    )
