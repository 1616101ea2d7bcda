"""`briefgen diff OLD NEW`: the figures that changed between two issues' data.

OLD and NEW are brief folders (their ``data.folder`` is compared) or data
folders. Every value of the data is compared, with the sums, shares and ranks
the templates derive from the tables, under its Chinese label from the data.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from briefgen.data import DataContext, Value, load_data
from briefgen.errors import BriefError, display_path
from briefgen.numbers import fixed


@dataclass
class Change:
    name: str  # the dotted name: facts.population, sectors[冶金].output, share(sectors[冶金].output)
    label: str
    unit: str
    old: Value | None
    new: Value | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "new"
        if self.new is None:
            return "gone"
        return "same" if _same(self.old, self.new) else "changed"

    def delta(self) -> str:
        if self.old is None or self.new is None:
            return ""
        a, b = self.old.number(), self.new.number()
        places = max(_places(self.old), _places(self.new))
        d = b - a
        sign = "+" if d > 0 else ("−" if d < 0 else "±")
        if self.unit in ("%", "个百分点"):
            return f"{sign}{fixed(abs(d), places)}个百分点"
        if self.unit == "位":
            return f"{sign}{fixed(abs(d), 0)}位"
        text = f"{sign}{fixed(abs(d), places)}{self.unit}"
        if a != 0:
            text += f"（{'+' if d >= 0 else '−'}{fixed(abs(d) / abs(a) * 100, 1)}%）"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "old": None if self.old is None else self.old.value,
            "new": None if self.new is None else self.new.value,
            "status": self.status,
            "change": self.delta(),
        }


def _places(v: Value) -> int:
    return v.decimals if v.decimals is not None else 1


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


def figures(data: DataContext) -> dict[str, Value]:
    """Every figure of a data folder by a stable name: values, and what tables derive."""
    out = dict(data.all_values())
    for name, v in data.facts.items():
        if not v.is_number:  # text facts (近七分之一) are printed too
            out[f"facts.{name}"] = v
    for tname, table in data.tables.items():
        for column, cspec in table.spec.columns.items():
            if cspec.type == "text":
                continue
            if cspec.unit not in ("%", "个百分点"):
                total = table.sum(column)
                if total.number() != 0:
                    out[f"sum({tname}.{column})"] = total
                    for row in table:
                        share = table.share(row, column)
                        share.label = f"{row.key}{cspec.label}占{table.title}合计比重"
                        out[f"share({tname}[{row.key}].{column})"] = share
            if len(table) > 1:
                for row in table:
                    out[f"rank({tname}[{row.key}].{column})"] = table.rank(row, column)
    return out


def compare(old: DataContext, new: DataContext) -> list[Change]:
    before, after = figures(old), figures(new)
    names = list(before) + [n for n in after if n not in before]
    changes = []
    for name in names:
        a, b = before.get(name), after.get(name)
        ref = b if b is not None else a
        assert ref is not None
        changes.append(Change(name, ref.label, ref.unit, a, b))
    return changes


def data_of(folder: Path) -> DataContext:
    """The data of a brief folder (its data.folder) or of a data folder."""
    if (folder / "brief.yaml").exists():
        from briefgen.config.brief import load_spec

        return load_data(load_spec(folder).data_folder())
    if folder.is_dir() and ((folder / "facts.yaml").exists() or (folder / "tables.yaml").exists()):
        return load_data(folder)
    if not folder.exists():
        raise BriefError("folder not found", display_path(folder))
    raise BriefError("neither a brief folder nor a data folder", display_path(folder),
                     hint="name a folder holding brief.yaml, or facts.yaml / tables.yaml")


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("diff", help="the figures that changed between two issues' data")
    p.add_argument("old", type=Path, metavar="OLD", help="the earlier brief (or data) folder")
    p.add_argument("new", type=Path, metavar="NEW", help="the later brief (or data) folder")
    p.add_argument("--all", action="store_true", help="list unchanged figures too")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    changes = compare(data_of(args.old), data_of(args.new))
    shown = [c for c in changes if args.all or c.status != "same"]
    counts = {s: sum(1 for c in changes if c.status == s) for s in ("changed", "new", "gone", "same")}
    if args.format == "json":
        json.dump({"figures": [c.as_dict() for c in shown], "counts": counts}, sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
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
        table.add_row(c.label, _shown(c.old), _shown(c.new), change, style=style)
    if shown:
        console.print(table)
    console.print(
        f"{counts['changed']} changed, {counts['new']} new, {counts['gone']} gone, "
        f"{counts['same']} unchanged"
    )
    return 0
