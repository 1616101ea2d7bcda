"""Rules on the data itself: parts against their declared total (tables.yaml `total`),
identities declared in the data folder's checks.yaml (a rate equal to part over whole,
shares of one whole summing to ~100), shares and rates within 0–100, a printed share over
100%, and figures that moved more than a factor since the previous issue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.analysis.check.context import Context
from briefgen.analysis.check.findings import ERROR, WARNING, CheckOptions, Finding
from briefgen.analysis.check.reading import Figure
from briefgen.analysis.check.words import WordTest
from briefgen.config.brief import Spec
from briefgen.config.yamlpos import load_yaml
from briefgen.data import DataContext, TotalSpec, Value, load_data
from briefgen.errors import BriefError, display_path
from briefgen.numbers import fixed

RATE_WORDS = ("率", "比重", "占比", "份额", "比例")
CHANGE_WORDS = ("增速", "增长", "增幅", "变化", "差", "高于", "低于", "提高", "下降")
LEVEL_RATE = WordTest(RATE_WORDS, CHANGE_WORDS)  # 占比, 城镇化率; not 增速, 高于


def _where(v: Value) -> tuple[str | None, int | None]:
    cell = v.sources[0] if v.sources else None
    return (cell.file, cell.row) if cell else (None, None)


@dataclass(frozen=True)
class _TotalOff:
    """A table whose parts do not add up to the fact declared as their total."""

    spec: TotalSpec
    parts: Value  # the sum of the column
    declared: Value  # the fact
    diff: float


def _total_off(data: DataContext, table: Any) -> _TotalOff | None:
    """The parts against the declared total, when they differ by more than the tolerance
    tables.yaml allows."""
    total = table.spec.total
    if total is None or total.fact not in data.facts or not data.facts[total.fact].is_number:
        return None
    declared = data.facts[total.fact]
    parts = table.sum(total.column)
    diff = parts.number() - declared.number()
    return _TotalOff(total, parts, declared, diff) if abs(diff) > total.tolerance + 1e-9 else None


def check_totals(ctx: Context) -> list[Finding]:
    """The parts of a table against the fact tables.yaml declares as their total."""
    offs = [(name, table, _total_off(ctx.data, table)) for name, table in ctx.data.tables.items()]
    return [_total_finding(ctx.data.folder / "tables.yaml", name, table, off)
            for name, table, off in offs if off is not None]


def _total_finding(schema: Path, name: str, table: Any, off: _TotalOff) -> Finding:
    """The error at the table's `total:` in tables.yaml."""
    total, parts, declared, unit = off.spec, off.parts, off.declared, off.declared.unit
    _, lines = load_yaml(schema, "table description")
    return Finding(
        ERROR, "total",
        f"the parts of {table.title}{table.spec.columns[total.column].label} add up to "
        f"{fixed(parts.number(), parts.decimals or 0)}{unit}, but {declared.label} is "
        f"{declared}{unit} (off by {fixed(abs(off.diff), max(parts.decimals or 0, 1))}{unit}, "
        f"tolerance {total.tolerance:g})",
        display_path(schema), lines.get((name, "total")) or lines.get((name,)),
        f"check the rows of {display_path(table.path)} against {declared.sources[0]}")


def _is_level_rate(v: Value) -> bool:
    """A share or a rate in % (占比, 城镇化率), not a rate of change (增速, 高于)."""
    return v.is_number and v.unit == "%" and LEVEL_RATE(v.label)


def check_ranges(ctx: Context) -> list[Finding]:
    """A share or a rate (not a rate of change) lies within 0–100."""
    findings = []
    for _, v in ctx.data.all_values():
        if _is_level_rate(v) and not 0 <= v.number() <= 100:
            file, line = _where(v)
            findings.append(Finding(ERROR, "range",
                                    f"{v.label} is {v}%, but a share or rate lies within 0–100%",
                                    file, line, "check the figure and its unit", text=f"{v}%"))
    return findings


def _share_over_100(fig: Figure) -> bool:
    """A printed percentage over 100 that is a share (a part over its whole)."""
    number = fig.number
    if fig.filter != "pct" or number is None or number <= 100 + 1e-9:
        return False
    return ("share(" in fig.formula or "÷" in fig.formula) and "占" in fig.label + "占"


def check_printed_shares(ctx: Context) -> list[Finding]:
    """A printed share over 100%: an error for share(), a warning for a ratio of sums."""
    findings = []
    for fig in ctx.reading.figures:
        if _share_over_100(fig):
            level = ERROR if "share(" in fig.formula else WARNING  # a ratio of sums: warn
            findings.append(Finding(level, "range", f"{fig.text} is printed as a share of its whole "
                                    f"({fig.label}), but a share is at most 100%",
                                    fig.file, fig.line, "check the part, the whole and the data",
                                    text=fig.text))
    return findings


def _identities(data: DataContext) -> tuple[list[Any], dict[Any, int], Path]:
    path = data.folder / "checks.yaml"
    if not path.exists():
        return [], {}, path
    raw, lines = load_yaml(path, "checks file")
    items = raw.get("identities", []) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        raise BriefError("expected 'identities:' with a list", display_path(path), 1)
    return items, lines, path


def _fact(data: DataContext, name: Any, path: Path, line: int | None) -> Value:
    if not isinstance(name, str) or name not in data.facts or not data.facts[name].is_number:
        raise BriefError(f"'{name}' is not a numeric fact of facts.yaml", display_path(path), line,
                         hint="name facts by their key in facts.yaml")
    return data.facts[name]


def _rate_identity(data: DataContext, item: dict[str, Any], path: Path,
                   line: int | None) -> Finding | None:
    """`{rate: r, part: p, whole: w}`: r = p/w×100 within the tolerance."""
    tolerance = float(item.get("tolerance", 0.05))
    rate = _fact(data, item["rate"], path, line)
    part = _fact(data, item.get("part"), path, line)
    whole = _fact(data, item.get("whole"), path, line)
    computed = part.number() / whole.number() * 100
    if abs(computed - rate.number()) <= tolerance:
        return None
    file, fline = _where(rate)
    return Finding(
        ERROR, "identity",
        f"{rate.label} is {rate}%, but {part.label}/{whole.label} = {part}/{whole} = "
        f"{fixed(computed, 2)}% (declared in {display_path(path)}:{line})",
        file, fline, f"check {part.label} ({_where(part)[0]}:{_where(part)[1]}), "
        f"{whole.label} and {rate.label}", text=f"{rate}%")


def _shares_identity(data: DataContext, item: dict[str, Any], path: Path,
                     line: int | None) -> Finding | None:
    """`{shares: [a, b, c], sum: 100}`: shares of one whole add up to ~100."""
    values = [_fact(data, n, path, line) for n in item["shares"]]
    total = sum(v.number() for v in values)
    target = float(item.get("sum", 100))
    if abs(total - target) <= float(item.get("tolerance", 0.2)):
        return None
    return Finding(
        ERROR, "identity",
        f"the shares {'、'.join(v.label for v in values)} add up to "
        f"{fixed(total, 2)}%, not {target:g}% (declared in {display_path(path)}:{line})",
        display_path(path), line, "check each share against its source")


# The kinds of identity checks.yaml declares, by the key that marks one.
IDENTITIES = {"rate": _rate_identity, "shares": _shares_identity}


def check_identities(ctx: Context) -> list[Finding]:
    """checks.yaml: `- {rate: r, part: p, whole: w}` (r = p/w×100) and
    `- {shares: [a, b, c], sum: 100}` (shares of one whole add up to ~100)."""
    data = ctx.data
    items, lines, path = _identities(data)
    findings = []
    for i, item in enumerate(items):
        line = lines.get(("identities", i))
        if not isinstance(item, dict):
            raise BriefError("an identity is a mapping (rate/part/whole or shares/sum)",
                             display_path(path), line)
        check = next((f for key, f in IDENTITIES.items() if key in item), None)
        found = check(data, item, path, line) if check else None
        if found:
            findings.append(found)
    return findings


def _moved(a: float, b: float, unit: str, options: CheckOptions) -> str:
    """How a figure moved from a to b, if more than the options allow ("" if not): a
    percentage by points, an amount by a factor."""
    if unit in ("%", "个百分点"):
        return f"{fixed(abs(b - a), 1)} points" if abs(b - a) > options.pp_limit else ""
    return _scaled(a, b, options.factor)


def _scaled(a: float, b: float, factor: float) -> str:
    """An amount that grew or shrank by more than `factor`, changed sign or left zero."""
    if a == 0 or b == 0:
        return "from or to zero" if a != b else ""
    if (a < 0) != (b < 0):
        return "changed sign"
    ratio = b / a
    return f"×{ratio:.2f}" if ratio > factor or ratio < 1 / factor else ""


def _moved_since(was: Value | None, new: Value, options: CheckOptions) -> str:
    if was is None or not (was.is_number and new.is_number):
        return ""
    return _moved(was.number(), new.number(), new.unit, options)


def check_previous(ctx: Context) -> list[Finding]:
    """Figures that moved more than a factor (or, for percentages, a number of points)."""
    old = previous_data(ctx.spec)
    if old is None:
        return []
    before = dict(old.all_values())
    findings = []
    for name, new in ctx.data.all_values():
        was = before.get(name)
        how = _moved_since(was, new, ctx.options)
        if was is not None and how:
            file, line = _where(new)
            findings.append(Finding(
                WARNING, "moved", f"{new.label} moved from {was}{was.unit} to {new}{new.unit} "
                f"since the previous issue ({how})", file, line,
                "check the unit and the source of this figure"))
    return findings


def previous_data(spec: Spec) -> DataContext | None:
    name = spec.brief.data.previous
    if not name:
        return None
    folder = spec.inside_project(name, ("data", "previous"))
    if not folder.is_dir():
        raise BriefError(f"the previous issue's data folder '{name}' is not there",
                         spec.brief_file, spec.lines.get(("data", "previous")),
                         hint="fix data.previous or remove it")
    return load_data(folder)
