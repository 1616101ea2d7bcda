"""The values a typed number may stand for: the data's cells and facts, and the figures
derived from them (sums, shares of a whole, ranks, gaps between rates), each with an
expression that compiles in a template (subscript form for keys that are not names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefgen.analysis.check.words import has_any
from briefgen.data import DataContext, Value
from briefgen.numbers import fixed

# The filter for each unit: pct/pm print the sign as it is, pp/pmp a gap unsigned (the
# prose says 高于/低于), yi/wan money in their own unit; any other unit prints with q.
# A ‰ rate of the data is a level even when its label says 增长 (自然增长率 −5.47‰).
UNIT_FILTERS = {"%": "pct", "个百分点": "pp", "‰": "pm", "个千分点": "pmp",
                "亿元": "yi", "万元": "wan"}
NOT_SHARED_UNITS = ("%", "个百分点", "位", "个", "种", "处", "项")  # no share of a whole
OUTSIDE = ("全国", "全省", "国家", "全球", "世界", "东北", "上年", "原", "20")


@dataclass(frozen=True)
class Candidate:
    """A value of the data (or derived from it) a typed number may stand for."""

    value: float
    unit: str  # the data's unit: "%", "个百分点", "亿元", "万人", "位", ""
    label: str  # the data's Chinese label
    expr: str  # the Jinja expression that gives it, without the filter
    names: tuple[str, ...]  # words that, found near the number, tie it to this value
    kind: str = "value"  # value, sum, share, rank, gap
    decimals: int | None = None
    source: str = ""  # where the data has it: "sectors.csv:2" or the fact's declared source
    growth: bool = False  # a rate of change: its sign is the sentence's 增长/下降
    parts: tuple[float, int, float, int] | None = None  # a share: part, its places, whole, its places

    def share_range(self) -> tuple[float, float]:
        """The shares the parts as printed allow (each may be off by half its last place)."""
        if self.parts is None:
            return self.value, self.value
        part, pp, whole, wp = self.parts
        hp, hw = 0.5 * 10 ** -pp, 0.5 * 10 ** -wp
        return (part - hp) / (whole + hw) * 100, (part + hp) / max(whole - hw, 1e-12) * 100

    @property
    def words(self) -> tuple[str, ...]:
        """Its label and names: the words that tie a number to it."""
        return tuple(w for w in (self.label, *self.names) if w)

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    def filter_for(self, digits: str = "") -> str:
        """The `{{ … }}` that prints this value as `digits` were typed (their places)."""
        decimals = len(digits.partition(".")[2]) if digits[:1].isdigit() else None
        name = self.filter_name()
        keeps_places = name == "rank" or decimals is None or decimals == self.decimals
        arg = "" if keeps_places else f"({decimals})"
        return f"{{{{ {self.expr} | {name}{arg} }}}}"

    def filter_name(self) -> str:
        """The compose filter that prints a value in this unit as the prose writes it."""
        if self.kind == "rank" or self.unit == "位":
            return "rank"
        if self.unit == "%" and self.growth:
            return "growth"  # 增长4.8% / 下降2.1%: the word follows the sign
        return UNIT_FILTERS.get(self.unit, "q" if self.unit else "num")

    def shown(self, places: int | None = None) -> str:
        p = self.decimals if places is None else places
        digits = fixed(self.value, p if p is not None else 1)
        if self.kind == "rank" or self.unit == "位":
            return f"第{digits}"
        return digits + self.unit


def ident(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) is not None


def fact_expr(name: str) -> str:
    return f"facts.{name}" if ident(name) else f"facts[{name!r}]"


def table_expr(name: str) -> str:
    return f"tables.{name}" if ident(name) else f"tables[{name!r}]"


def cell_expr(table: str, key: str, column: str) -> str:
    """tables.sectors['冶金'].output, or tables.t['冶金']['col name'] when the column is not a
    name (or is one of a row's own methods: share, rank, key)."""
    base = f"{table_expr(table)}[{key!r}]"
    if ident(column) and column not in ("share", "rank", "key", "items", "values"):
        return f"{base}.{column}"
    return f"{base}[{column!r}]"


def _source(v: Value) -> str:
    return str(v.sources[0]) if v.sources else ""


def _is_growth(label: str) -> bool:
    return has_any(label, ("增速", "增长", "增幅", "同比"))


def _facts(data: DataContext) -> list[tuple[str, Value]]:
    return [(n, v) for n, v in data.facts.items() if v.is_number and n != "year"]


def _fact_values(facts: list[tuple[str, Value]]) -> list[Candidate]:
    return [Candidate(v.number(), v.unit, v.label, fact_expr(name), (v.label,),
                      "rank" if v.unit == "位" else "value", v.decimals, _source(v),
                      _is_growth(v.label)) for name, v in facts]


def _shareable(part: Value, whole: Value) -> bool:
    """A part of a larger fact in the same unit — an amount, not a rate, rank or count."""
    if not part.unit or part.unit != whole.unit or part.unit in NOT_SHARED_UNITS:
        return False
    return 0 < part.number() < whole.number()


def _fact_shares(facts: list[tuple[str, Value]]) -> list[Candidate]:
    return [Candidate(part.number() / whole.number() * 100, "%", f"{part.label}占{whole.label}",
                      f"({fact_expr(name)} / {fact_expr(whole_name)} * 100)", (part.label,),
                      "share", 1, _source(part))
            for name, part in facts for whole_name, whole in facts
            if whole_name != name and _shareable(part, whole)]


def _is_outside(label: str) -> bool:
    return has_any(label, OUTSIDE)


def _gap_places(a: Value, b: Value) -> int:
    """A gap between two rates is given to the finer of their places."""
    return max(a.decimals or 0, b.decimals or 0)


def _gap_pair(a: Value, b: Value) -> bool:
    """A gap is this place's rate minus another's of one indicator (全国, 全省, 上年)."""
    return _related(a.label, b.label) and not _is_outside(a.label) and _is_outside(b.label)


def _fact_gaps(facts: list[tuple[str, Value]]) -> list[Candidate]:
    rates = [(n, v) for n, v in facts if v.unit == "%"]
    return [Candidate(a.number() - b.number(), "个百分点", f"{a.label}与{b.label}之差",
                      f"({fact_expr(name)} - {fact_expr(other)})", (b.label,), "gap",
                      _gap_places(a, b), _source(a))
            for name, a in rates for other, b in rates if other != name and _gap_pair(a, b)]


def fact_candidates(data: DataContext) -> list[Candidate]:
    facts = _facts(data)
    return _fact_values(facts) + _fact_shares(facts) + _fact_gaps(facts)


def _related(a: str, b: str) -> bool:
    """Two rates of one indicator (城镇化率 and 全国城镇化率): they end alike (four characters
    or more, notes in brackets aside)."""
    a, b = re.sub(r"（.*?）|\(.*?\)", "", a), re.sub(r"（.*?）|\(.*?\)", "", b)
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n >= 4


@dataclass(frozen=True)
class _Column:
    """A numeric column of a data table, as the candidates of its cells need it."""

    name: str
    table: Any  # the DataTable
    column: str
    spec: Any  # its ColumnSpec
    published: list[Any]  # the rows with a number in it (an unpublished cell 未发布 means none)
    text_columns: list[str]

    @property
    def texpr(self) -> str:
        return table_expr(self.name)

    def cell(self, key: str) -> str:
        return cell_expr(self.name, key, self.column)

    def row_names(self, row: Any) -> tuple[str, ...]:
        """The row's own words: its text cells (冶金行业)."""
        return tuple(str(row[c].value) for c in self.text_columns)


def _columns(tname: str, table: Any) -> list[_Column]:
    text_columns = [c for c, cs in table.spec.columns.items() if cs.type == "text"]
    return [_Column(tname, table, column, cspec,
                    [row for row in table if not row[column].is_missing], text_columns)
            for column, cspec in table.spec.columns.items() if cspec.type != "text"]


def _cells(col: _Column) -> list[Candidate]:
    """Each published cell and its rank in the column."""
    out = []
    label, growth = col.spec.label, _is_growth(col.spec.label)
    for row in col.published:
        v = row[col.column]
        names = (row.key, label, *col.row_names(row))
        out.append(Candidate(v.number(), v.unit, f"{row.key}{label}", col.cell(row.key),
                             names, "value", v.decimals, _source(v), growth))
        rank = col.table.rank(row, col.column)
        out.append(Candidate(rank.number(), "位", f"{row.key}{label}排名",
                             f"{col.texpr}.rank({row.key!r}, {col.column!r})", names, "rank", 0,
                             _source(v)))
    return out


def _row_gaps(col: _Column, home: str, mine: Value) -> list[Candidate]:
    """The home row's rate minus each other row's (朝阳市 − 全国)."""
    return [Candidate(mine.number() - row[col.column].number(), "个百分点",
                      f"{home}与{row.key}{col.spec.label}之差",
                      f"({col.cell(home)} - {col.cell(row.key)})",
                      (row.key, *col.row_names(row)), "gap",
                      _gap_places(mine, row[col.column]), _source(mine))
            for row in col.published if row.key != home]


def _fact_gaps_of(col: _Column, home: str, mine: Value,
                  facts: list[tuple[str, Value]]) -> list[Candidate]:
    """The home row's rate minus a fact's rate of the same indicator (全省城镇化率)."""
    return [Candidate(mine.number() - fact.number(), "个百分点",
                      f"{home}{col.spec.label}与{fact.label}之差",
                      f"({col.cell(home)} - {fact_expr(fname)})", (fact.label, "上年"), "gap",
                      _gap_places(mine, fact), _source(mine))
            for fname, fact in facts
            if fact.unit == "%" and _related(col.spec.label, fact.label)]


def _home_gaps(col: _Column, home: str, facts: list[tuple[str, Value]]) -> list[Candidate]:
    if col.spec.unit != "%" or home not in [r.key for r in col.published]:
        return []
    mine = col.table[home][col.column]
    return _row_gaps(col, home, mine) + _fact_gaps_of(col, home, mine, facts)


def _row_shares(col: _Column, whole_expr: str, whole_label: str, whole: Value) -> list[Candidate]:
    out = []
    for row in col.table:
        share = col.table.share(row, col.column, whole)
        part = row[col.column]
        out.append(Candidate(
            share.number(), "%", f"{row.key}{col.spec.label}占{whole_label}",
            f"{col.texpr}.share({row.key!r}, {col.column!r}{whole_expr})",
            (row.key, *col.row_names(row)), "share", 1, _source(part),
            parts=(part.number(), part.decimals or 0, whole.number(), whole.decimals or 0)))
    return out


def _sums_and_shares(col: _Column, facts: list[tuple[str, Value]]) -> list[Candidate]:
    """An amount column's total, its share of a fact that totals it, each row's share."""
    if col.spec.unit in ("%", "个百分点") or len(col.published) < len(col.table):
        return []  # rates are not summed; a column with a gap has no total
    texpr, column, title = col.texpr, col.column, col.table.title
    total = col.table.sum(column)
    out = [Candidate(total.number(), total.unit, total.label, f"{texpr}.sum({column!r})",
                     (title, col.spec.label), "sum", total.decimals)]
    for whole_expr, whole_label, whole in _wholes(col.table, column, total, facts):
        if whole.number() <= 0:
            continue
        if whole_expr:
            out.append(Candidate(total.number() / whole.number() * 100, "%",
                                 f"{title}{col.spec.label}占{whole_label}",
                                 f"({texpr}.sum({column!r}) / {whole_expr[2:]} * 100)",
                                 (title,), "share", 1))
        out += _row_shares(col, whole_expr, whole_label, whole)
    return out


def table_candidates(data: DataContext, home: str) -> list[Candidate]:
    out: list[Candidate] = []
    facts = _facts(data)
    for tname, table in data.tables.items():
        for col in _columns(tname, table):
            out += _cells(col) + _home_gaps(col, home, facts) + _sums_and_shares(col, facts)
    return out


def _wholes(table: Any, column: str, total: Value, facts: list[tuple[str, Value]]
            ) -> list[tuple[str, str, Value]]:
    """What a share of a column may be taken of: the column's sum, or a fact that totals it."""
    unit = table.spec.columns[column].unit
    out = [("", f"{table.title}合计", total)]
    for name, v in facts:
        declared = table.spec.total is not None and table.spec.total.fact == name
        if declared or (v.unit == unit and v.number() >= total.number() - 1e-9):
            out.append((f", {fact_expr(name)}", v.label, v))
    return out


def candidates(data: DataContext, home: str = "") -> list[Candidate]:
    return fact_candidates(data) + table_candidates(data, home)
