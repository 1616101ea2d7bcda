"""The check stage: findings about the numbers of a brief, each with file, line and a fix.

What is checked:

- a number typed in the prose (not printed by a filter) for which the data has a
  value: offer the expression that binds it; a typed number no data backs;
- one label given two different values in the same brief (城镇化率 51.12% / 45.82%);
- parts that do not add up to their declared total (``total:`` in tables.yaml);
- a share stated in prose that disagrees with the share computed from the data
  (冶金 "60%以上" where the data gives 57.7%);
- a figure that moved more than a set factor since the previous issue's data
  (``data.previous`` in brief.yaml).

Bound and typed numbers are told apart by composing the brief with a composer
that wraps every filter's output in private-use markers; the markers carry the
value and the template line the filter ran on.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.compose import Composer, Composition, _as_value, compose
from briefgen.config.brief import Spec, load_spec
from briefgen.config.yamlpos import load_yaml
from briefgen.data import DataContext, Value, load_data
from briefgen.errors import BriefError, display_path
from briefgen.numbers import fixed

ERROR = "error"
WARNING = "warning"


@dataclass
class Finding:
    level: str  # "error" or "warning"
    code: str  # a short name for tools: conflict, share, total, moved, bindable, unbacked
    message: str
    file: str | None = None
    line: int | None = None
    suggestion: str = ""
    related: list[dict[str, Any]] = field(default_factory=list)  # other places involved

    def where(self) -> str:
        if not self.file:
            return "(brief)"
        return f"{self.file}:{self.line}" if self.line else self.file

    def one_line(self) -> str:
        text = f"{self.where()}: {self.level}: {self.message}"
        if self.suggestion:
            text += f" — {self.suggestion}"
        return " ".join(text.split())

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
            "related": self.related,
        }


@dataclass
class CheckOptions:
    factor: float = 2.0  # a figure moving by more than this factor since the previous issue
    pp_limit: float = 15.0  # a percentage moving by more than this many points
    previous: bool = True  # compare with data.previous when the brief names it
    warnings: bool = True  # False: only the error-level checks (what build runs)


# ---- composing with marks ----------------------------------------------------

MARK_OPEN, MARK_SEP, MARK_CLOSE = "\ue000", "\ue001", "\ue002"
MARKED = re.compile(f"{MARK_OPEN}(\\d+){MARK_SEP}(.*?){MARK_CLOSE}", re.S)


@dataclass
class Mark:
    """One figure a filter printed: its text, value and the template line it ran on."""

    text: str
    value: Value
    file: str | None
    line: int | None


class MarkingComposer(Composer):
    """A composer whose filters leave a mark around what they print."""

    def __init__(self, spec: Spec, data: DataContext) -> None:
        super().__init__(spec, data)
        self.marks: list[Mark] = []

    def _record(self, text: str, v: Any) -> str:
        super()._record(text, v)
        file, line = _template_position()
        self.marks.append(Mark(text, _as_value(v), file, line))
        return f"{MARK_OPEN}{len(self.marks) - 1}{MARK_SEP}{text}{MARK_CLOSE}"


def _template_position() -> tuple[str | None, int | None]:
    """The template file and line the running filter was called from.

    Jinja's compiled templates keep a map from code lines to template lines
    (``debug_info``) in their module globals.
    """
    frame = sys._getframe(2)
    while frame is not None:
        info = frame.f_globals.get("debug_info")
        if isinstance(info, str) and "__file__" in frame.f_globals:
            pairs = [tuple(map(int, p.split("="))) for p in info.split("&") if p]
            line = None
            for template_line, code_line in reversed(pairs):
                if code_line <= frame.f_lineno:
                    line = template_line
                    break
            return display_path(frame.f_code.co_filename), line or 1
        frame = frame.f_back
    return None, None


# ---- numbers in text ---------------------------------------------------------

NUMBER = re.compile(r"(?<![0-9A-Za-z.\-/:_])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![0-9A-Za-z\-/:_]|\.\d)")
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
SENTENCE_END = "。！？；!?;\n"
CLAUSE_END = SENTENCE_END + "，,、：:（）()|【】[]"
SPACES = " \t\u3000\u00a0"
APPROX_BEFORE = ("接近", "将近", "大约", "约", "近", "超过", "逾", "超", "不到", "不足", "多达", "上下")
ABOVE_AFTER = ("以上", "之多")
BELOW_AFTER = ("以下", "以内")
ROUGH_AFTER = ("左右", "上下")
SHARE_WORDS = ("占比", "比重", "份额", "占")
CHANGE_WORDS = ("增长", "下降", "提高", "降低", "增加", "减少", "高于", "低于", "高出", "低出",
                "比上年", "同比", "较上年", "增速", "回落", "上升", "差距")
SCOPE_WORDS = ("全国", "全省", "国家", "全球", "世界", "东北", "省内", "省级", "平均", "上年",
               "去年", "同期", "原")
OUTSIDE_WORDS = ("全省", "全国", "省", "国家", "全球", "世界", "东北", "全区")
HOME_WORDS = ("全市", "本市", "我市", "市域")
RATE = re.compile(r"[\u4e00-\u9fff]{1,8}率$")


def _skip_number(text: str, m: re.Match[str]) -> bool:
    """Numbers that are not statistics: years, dates, list markers, enumerations."""
    digits = m.group(0)
    after = text[m.end():m.end() + 3].lstrip(SPACES)
    before = text[max(0, m.start() - 2):m.start()].rstrip(SPACES)
    if not m.group(2) and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        if after[:1] in ("年", "—", "–", "-", "~", "～", "至", "到", "") or after[:1] in "）)":
            return True
    if after[:1] in ("月", "日", "号") and not m.group(2):
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    head = text[line_start:m.start()].strip(SPACES + "#>*-")
    if not head and text[m.end():m.end() + 1] in (".", "、", "．"):
        return True  # "1." at the start of a line
    if before[-1:] in ("（", "(") and text[m.end():m.end() + 1] in ("）", ")"):
        return True  # (1) enumerations
    if before.endswith("第") and after[:1] in ("期", "章", "条", "款", "次", "届", "批"):
        return True
    if before[-1:] in ("图", "表") and not m.group(2):
        return True  # 图1, 表2: references to figures and tables
    return False


@dataclass
class Occurrence:
    """A number typed in a source file (Jinja blanked out), with its line."""

    file: str
    line: int
    digits: str
    used: bool = False


def typed_in_source(path: Path) -> list[Occurrence]:
    """The numbers typed in a template or section file, outside Jinja tags."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    blank = JINJA_TAG.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    shown = display_path(path)
    out = []
    for m in NUMBER.finditer(blank):
        if _skip_number(blank, m):
            continue
        out.append(Occurrence(shown, blank.count("\n", 0, m.start()) + 1, m.group(0)))
    return out


@dataclass
class Mention:
    """A number as it stands in the composed text of one section."""

    digits: str  # as printed: "51.12"
    start: int
    end: int
    lead: str  # the clause before it, from the last boundary or the previous number
    prefix: str  # the sentence before it
    sentence: str
    after: str  # what follows: unit and qualifier
    mark: Mark | None = None  # set when a filter printed it
    file: str | None = None
    line: int | None = None

    @property
    def number(self) -> float:
        return float(self.digits.replace(",", ""))

    @property
    def decimals(self) -> int:
        return len(self.digits.partition(".")[2])

    @property
    def bound(self) -> bool:
        return self.mark is not None

    @property
    def unit(self) -> str:
        """'%', 'pp' (个百分点) or the text after the number (for prefix tests)."""
        after = self.after.lstrip(SPACES)
        if after[:1] in ("%", "％"):
            return "%"
        if after.startswith("个百分点") or after.startswith("百分点"):
            return "pp"
        return after

    @property
    def unit_class(self) -> str:
        unit = self.unit
        if unit in ("%", "pp"):
            return unit
        m = re.match(r"[\u4e00-\u9fffA-Za-z/²³]{1,4}", unit)
        if not m or m.group(0)[0] in "和与及或的是为、，":
            return ""
        return m.group(0)

    @property
    def qualifier(self) -> str:
        """'above', 'below', 'rough' or '' for a number given exactly."""
        lead = self.lead.rstrip(SPACES)
        rest = self.after.lstrip(SPACES)
        if rest[:1] in ("%", "％"):
            rest = rest[1:]
        rest = rest.lstrip(SPACES)
        if re.match(r"^[万亿千百十]?[多余]", rest) or rest.startswith(ABOVE_AFTER):
            return "above"
        if rest.startswith(BELOW_AFTER):
            return "below"
        if rest.startswith(ROUGH_AFTER):
            return "rough"
        for word in APPROX_BEFORE:
            if lead.endswith(word) or re.search(word + r"[达为了]?$", lead):
                if word in ("超过", "逾", "超", "多达"):
                    return "above"
                if word in ("接近", "将近", "近", "不到", "不足"):
                    return "below"
                return "rough"
        return ""

    def where(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "text": self.shown}

    @property
    def shown(self) -> str:
        return self.shown_with(())

    def shown_with(self, units: Iterable[str]) -> str:
        """The number and its unit as the prose gives them: the longest of `units` that
        follows it, else one character (个, 户, 种)."""
        unit = self.unit
        if unit in ("%", "pp"):
            return self.digits + ("%" if unit == "%" else "个百分点")
        after = self.unit_class
        named = max((u for u in units if u and unit.startswith(u)), key=len, default=after[:1])
        return self.digits + (" " + named if named else "")


def _unmark(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Text without marks, and the spans (start, end, mark index) that were marked."""
    out: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    length = 0
    for m in MARKED.finditer(text):
        out.append(text[pos:m.start()])
        length += m.start() - pos
        inner = m.group(2)
        spans.append((length, length + len(inner), int(m.group(1))))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def _boundary(text: str, pos: int, chars: str) -> int:
    return max(text.rfind(c, 0, pos) for c in chars) + 1


def mentions_in(text: str, marks: Sequence[Mark]) -> list[Mention]:
    """Every number in a composed section, typed or bound, in reading order."""
    plain, spans = _unmark(text)
    found: list[tuple[int, int, Mark | None]] = []
    for start, end, index in spans:
        m = NUMBER.search(plain, start, end)
        if m and m.end() <= end:
            found.append((m.start(), m.end(), marks[index]))
    for m in NUMBER.finditer(plain):
        if any(s <= m.start() < e for s, e, _ in spans):
            continue
        if _skip_number(plain, m):
            continue
        found.append((m.start(), m.end(), None))
    found.sort(key=lambda f: f[0])
    mentions: list[Mention] = []
    previous_end = 0
    for start, end, mark in found:
        sentence_start = _boundary(plain, start, SENTENCE_END)
        clause_start = max(_boundary(plain, start, CLAUSE_END), previous_end, sentence_start)
        stop = min((i for i in (plain.find(c, end) for c in SENTENCE_END) if i >= 0), default=len(plain))
        mentions.append(
            Mention(
                digits=plain[start:end],
                start=start,
                end=end,
                lead=plain[clause_start:start],
                prefix=plain[sentence_start:start],
                sentence=plain[sentence_start:stop],
                after=plain[end:end + 8],
                mark=mark,
                file=mark.file if mark else None,
                line=mark.line if mark else None,
            )
        )
        previous_end = end
    return mentions


# ---- what the data offers --------------------------------------------------


@dataclass
class Candidate:
    """A value of the data (or derived from it) a typed number may stand for."""

    value: float
    unit: str
    label: str
    expr: str  # the Jinja expression that gives it, without the filter
    names: tuple[str, ...]  # words that, found near the number, make the match likely
    kind: str = "value"  # value, share, rank, sum
    decimals: int | None = None

    def filter_for(self, digits: str) -> str:
        decimals = len(digits.partition(".")[2])
        own = self.decimals
        arg = "" if own is None or own == decimals else f"({decimals})"
        if self.kind == "rank" or self.unit == "位":
            name = "rank"
        elif self.unit == "个百分点":
            name = "pp"
        elif self.unit == "%":
            name = "pct"
        elif self.unit in ("亿元", "万元", "元"):
            name = "yi"
        elif self.unit:
            name = "q"
        else:
            name = "num"
        return f"{{{{ {self.expr} | {name}{arg} }}}}"


def _ident(name: str) -> bool:
    return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) is not None


def _fact_expr(name: str) -> str:
    return f"facts.{name}" if _ident(name) else f"facts[{name!r}]"


def _table_expr(name: str) -> str:
    return f"tables.{name}" if _ident(name) else f"tables[{name!r}]"


def candidates(data: DataContext) -> list[Candidate]:
    out: list[Candidate] = []
    numeric_facts: list[tuple[str, Value]] = []
    for name, v in data.facts.items():
        if v.is_number:
            numeric_facts.append((name, v))
            out.append(Candidate(v.number(), v.unit, v.label, _fact_expr(name), (v.label,),
                                 decimals=v.decimals))
    for name, part in numeric_facts:
        for whole_name, whole in numeric_facts:
            if (whole_name != name and part.unit and part.unit == whole.unit and part.unit != "%"
                    and 0 < part.number() < whole.number()):
                out.append(Candidate(
                    part.number() / whole.number() * 100, "%", f"{part.label}占{whole.label}",
                    f"({_fact_expr(name)} / {_fact_expr(whole_name)} * 100)", (part.label,),
                    kind="share", decimals=1,
                ))
    for tname, table in data.tables.items():
        texpr = _table_expr(tname)
        texts = {row.key: tuple(str(row[c].value) for c, cs in table.spec.columns.items()
                                if cs.type == "text") for row in table}
        for column, cspec in table.spec.columns.items():
            if cspec.type == "text":
                continue
            for row in table:
                v = row[column]
                out.append(Candidate(v.number(), v.unit, v.label,
                                     f"{texpr}[{row.key!r}].{column}",
                                     (row.key, cspec.label, *texts[row.key]), decimals=v.decimals))
                rank = table.rank(row, column)
                out.append(Candidate(rank.number(), "", rank.label,
                                     f"{texpr}.rank({row.key!r}, {column!r})",
                                     (row.key, cspec.label, *texts[row.key]), kind="rank",
                                     decimals=0))
            if cspec.unit in ("%", "个百分点"):
                continue
            total = table.sum(column)
            out.append(Candidate(total.number(), total.unit, total.label,
                                 f"{texpr}.sum({column!r})", (table.title, cspec.label),
                                 kind="sum", decimals=total.decimals))
            for fname, fact in numeric_facts:
                if fact.unit == cspec.unit and fact.number() > total.number() > 0:
                    out.append(Candidate(
                        total.number() / fact.number() * 100, "%", f"{total.label}占{fact.label}",
                        f"({texpr}.sum({column!r}) / {_fact_expr(fname)} * 100)",
                        (table.title,), kind="share", decimals=1,
                    ))
            for share_expr, whole_label, denominator in _denominators(data, table, column, total,
                                                                      numeric_facts):
                if denominator.number() <= 0:
                    continue
                for row in table:
                    share = table.share(row, column, denominator)
                    expr = f"{texpr}.share({row.key!r}, {column!r}{share_expr})"
                    out.append(Candidate(share.number(), "%", f"{row.key}{cspec.label}占{whole_label}",
                                         expr, (row.key, *texts[row.key]), kind="share",
                                         decimals=1))
    return out


def _denominators(
    data: DataContext, table: Any, column: str, total: Value, facts: list[tuple[str, Value]]
) -> list[tuple[str, str, Value]]:
    """What a share of a column may be taken of: the column's sum, or a fact that totals it."""
    unit = table.spec.columns[column].unit
    out = [("", f"{table.title}合计", total)]
    for name, v in facts:
        declared = table.spec.total is not None and table.spec.total.fact == name
        if declared or (v.unit == unit and v.number() >= total.number() - 1e-9):
            out.append((f", {_fact_expr(name)}", v.label, v))
    return out


def _unit_fits(mention: Mention, cand: Candidate) -> float | None:
    """The candidate's value in the mention's unit, or None when the units disagree."""
    unit = mention.unit
    if cand.kind == "rank" or cand.unit == "位":
        return cand.value if mention.prefix.rstrip(SPACES).endswith("第") else None
    if mention.prefix.rstrip(SPACES).endswith("第"):
        return None
    if unit == "%" or cand.unit == "%":
        return cand.value if unit == "%" and cand.unit == "%" else None
    if unit == "pp":
        return cand.value if cand.unit == "个百分点" else None
    if cand.unit in ("万元", "元") and unit.startswith("亿元"):
        return cand.value * (1e-4 if cand.unit == "万元" else 1e-8)
    if cand.unit and unit.startswith(cand.unit):
        return cand.value
    if not cand.unit:
        return cand.value
    return None


def _same_digits(value: float, digits: str) -> bool:
    decimals = len(digits.partition(".")[2])
    return fixed(value, decimals) == digits.replace(",", "")


def _significant(digits: str) -> int:
    return len(digits.replace(",", "").replace(".", "").lstrip("0"))


def _common(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def best_candidate(mention: Mention, cands: Iterable[Candidate]) -> Candidate | None:
    """The data value a typed number most likely stands for, or None.

    Ranked by the words right around the number that the value's label (or its
    row) shares, then by an exact match of the places, then by the names found
    anywhere in the sentence. A short number needs words around it to be matched.
    """
    window = mention.lead + mention.after[:6]
    short = _significant(mention.digits) < 3
    best: tuple[tuple[int, int, int, int], Candidate] | None = None
    order = {"value": 0, "sum": 1, "share": 2, "rank": 3}
    for cand in cands:
        value = _unit_fits(mention, cand)
        if value is None or not _same_digits(value, mention.digits):
            continue
        local = max((_common(name, window) for name in (cand.label, *cand.names) if name),
                    default=0)
        stem = cand.label.rstrip("数量")
        if 0 < len(stem) < 2 and stem in window:
            local = 2  # a one-character indicator: 县数 and "3 个县"
        local = local if local >= 2 else 0
        sentence = sum(1 for name in cand.names if name and name in mention.sentence)
        exact = int(cand.decimals is not None and cand.decimals == mention.decimals)
        if short and not (local or (exact and (sentence or len(cand.unit) >= 2))):
            continue  # a short number with nothing around it tying it to this value
        key = (-local, -exact, -sentence, order[cand.kind])
        if best is None or key < best[0]:
            best = (key, cand)
    return best[1] if best else None


# ---- labels -------------------------------------------------------------------


def _vocabulary(data: DataContext) -> tuple[list[str], list[str]]:
    """Indicator names from the data: fact labels (standalone) and column labels (which
    name an indicator only together with a row: 冶金 … 产值)."""
    facts: set[str] = set()
    columns: set[str] = set()
    for _, v in data.facts.items():
        if v.is_number and len(v.label) >= 2:
            facts.add(v.label)
    for _, table in data.tables.items():
        for cspec in table.spec.columns.values():
            if cspec.type != "text" and len(cspec.label) >= 2:
                columns.add(cspec.label)
    by_length = lambda words: sorted(words, key=len, reverse=True)  # noqa: E731
    return by_length(facts), by_length(columns)


def mention_label(
    mention: Mention, vocabulary: Sequence[str], home: Sequence[str]
) -> str | None:
    """The indicator a number is given for, when the clause names one right before it.

    `vocabulary` holds the data's names for indicators; failing those, a word ending
    in 率 (城镇化率, 覆盖率) right before the number is taken as its label.
    """
    lead = mention.lead
    if any(w in lead for w in SHARE_WORDS) or any(w in lead for w in CHANGE_WORDS):
        return None
    best: tuple[int, str] | None = None
    for word in vocabulary:
        i = lead.rfind(word)
        if i < 0:
            continue
        end = i + len(word)
        if best is None or end > best[0] or (end == best[0] and len(word) > len(best[1])):
            best = (end, word)
    if best is not None:
        end, label = best
        start = end - len(label)
    else:
        run = re.search(r"[\u4e00-\u9fff]+(?=[^\u4e00-\u9fff]*$)", lead)
        if not run:
            return None
        words = run.group(0)
        # Drop the verbs and particles between an indicator and its number: 仅为, 达到…
        words = re.sub(r"(仅为|仅|只有|约为|约|为|是|达到|达|已达|高达|共计|共|合计|的|仍然|仍|已经|已)+$",
                       "", words)
        rate = RATE.search(words)
        if not rate:
            return None
        label = rate.group(0)
        end = run.start() + len(words)
        start = end - len(label)
        for word in sorted(home, key=len, reverse=True):
            if label.startswith(word) and len(label) > len(word) + 1:
                label = label[len(word):]
                start += len(word)
                break
    gap = lead[end:]
    if len(gap.strip(SPACES)) > 6:
        return None
    before = lead[:start]
    for word in SCOPE_WORDS:
        if before.endswith(word):
            return word + label
    return label


def _subject(mention: Mention, keys: Sequence[str]) -> str | None:
    """The row (a sector, a city) a number is about: the nearest row key before it in its
    sentence, unless the clause holding that key names several (a list of sectors)."""
    best: tuple[int, str] | None = None
    for key in keys:
        i = mention.prefix.rfind(key)
        if i >= 0 and (best is None or i + len(key) > best[0]):
            best = (i + len(key), key)
    if best is None:
        return None
    end, key = best
    start = end - len(key)
    clause_start = _boundary(mention.prefix, start, SENTENCE_END + "，,；;")
    clause_end_candidates = [mention.prefix.find(c, end) for c in "，,；;"]
    clause_end = min((i for i in clause_end_candidates if i >= 0), default=len(mention.prefix))
    clause = mention.prefix[clause_start:clause_end]
    if sum(1 for k in keys if k in clause and k != key and key not in k and k not in key) > 0:
        return None
    return key


# ---- the checks -----------------------------------------------------------------


@dataclass
class Analysis:
    spec: Spec
    data: DataContext
    composition: Composition
    mentions: list[Mention]
    flagged: set[int] = field(default_factory=set)  # mentions an error already names (by id)


def analyse(spec: Spec, data: DataContext) -> Analysis:
    composer = MarkingComposer(spec, data)
    composition = compose(spec, data, composer=composer)
    mentions: list[Mention] = []
    for index, section in enumerate(composition.sections):
        found = mentions_in(section.markdown, composer.marks)
        sources = _section_sources(spec, index)
        occurrences = [o for path in sources for o in typed_in_source(path)]
        fallback = display_path(sources[0]) if sources else spec.brief_file
        for mention in found:
            if mention.bound:
                continue
            mention.file, mention.line = _locate(mention, occurrences, fallback)
        mentions.extend(found)
    return Analysis(spec, data, composition, mentions)


def _section_sources(spec: Spec, index: int) -> list[Path]:
    section = spec.brief.sections[index]
    out = []
    if section.file:
        out.append(spec.section_path(section.file, index))
    if section.template:
        out.append(spec.templates / "sections" / f"{section.template}.md.j2")
    return out


def _locate(mention: Mention, occurrences: list[Occurrence], fallback: str) -> tuple[str, int | None]:
    same = [o for o in occurrences if o.digits == mention.digits]
    for o in same:
        if not o.used:
            o.used = True
            return o.file, o.line
    if same:  # printed again by a loop
        return same[0].file, same[0].line
    return fallback, None


def check_spec(spec: Spec, data: DataContext, options: CheckOptions | None = None) -> list[Finding]:
    options = options or CheckOptions()
    analysis = analyse(spec, data)
    findings: list[Finding] = []
    findings += check_totals(spec, data)
    findings += check_conflicts(analysis)
    findings += check_shares(analysis)
    if options.warnings:
        findings += check_typed(analysis)
        if options.previous and spec.brief.data.previous:
            findings += check_previous(spec, data, options)
    return sorted(findings, key=lambda f: (f.level != ERROR, f.file or "", f.line or 0))


def check_folder(folder: Path, options: CheckOptions | None = None) -> list[Finding]:
    spec = load_spec(folder)
    data = load_data(spec.data_folder())
    return check_spec(spec, data, options)


def error_findings(spec: Spec, data: DataContext) -> list[Finding]:
    """The error-level findings only: what `build` refuses to print."""
    found = check_spec(spec, data, CheckOptions(previous=False, warnings=False))
    return [f for f in found if f.level == ERROR]


def check_totals(spec: Spec, data: DataContext) -> list[Finding]:
    findings = []
    schema = data.folder / "tables.yaml"

    def line_of(name: str) -> int | None:
        _, lines = load_yaml(schema, "table description")
        return lines.get((name, "total")) or lines.get((name,))

    for name, table in data.tables.items():
        total = table.spec.total
        if total is None:
            continue
        if total.fact not in data.facts:
            findings.append(Finding(ERROR, "total", f"table '{name}' declares its total as fact "
                                    f"'{total.fact}', which facts.yaml does not have",
                                    display_path(schema), line_of(name),
                                    "add the fact or fix the name"))
            continue
        declared = data.facts[total.fact]
        if not declared.is_number:
            continue
        parts = table.sum(total.column)
        diff = parts.number() - declared.number()
        if abs(diff) > total.tolerance + 1e-9:
            unit = declared.unit
            findings.append(Finding(
                ERROR, "total",
                f"the parts of {table.title}{table.spec.columns[total.column].label} add up to "
                f"{fixed(parts.number(), parts.decimals or 0)}{unit}, but {declared.label} is "
                f"{declared}{unit} (off by {fixed(abs(diff), max(parts.decimals or 0, 1))}{unit}, "
                f"tolerance {total.tolerance:g})",
                display_path(schema), line_of(name),
                f"check the rows of {display_path(table.path)} against {declared.sources[0]}",
            ))
    return findings


def check_conflicts(analysis: Analysis) -> list[Finding]:
    """One label, one value: 城镇化率 51.12% here and 45.82% there is an error."""
    fact_words, column_words = _vocabulary(analysis.data)
    keys = _row_keys(analysis.data)
    place = analysis.spec.brief.place
    home = list(HOME_WORDS) + [place]
    if len(place) > 2 and place[-1] in "市县区省":
        home.append(place[:-1])
    groups: dict[tuple[str | None, str, str], list[Mention]] = {}
    for mention in analysis.mentions:
        if mention.qualifier:
            continue
        subject = _subject(mention, keys)
        words = fact_words + column_words if subject else fact_words
        label = mention_label(mention, words, home)
        if not label:
            continue
        key = (subject, label, mention.unit_class)
        groups.setdefault(key, []).append(mention)
    findings = []
    for (subject, label, _), group in _merge_qualified_labels(groups).items():
        first = group[0]
        for other in group[1:]:
            if _agree(first, other):
                continue
            analysis.flagged.add(id(other))
            name = f"{subject}{label}" if subject and subject not in label else label
            data_note = _data_note(group) or _data_value_note(analysis, label, first)
            findings.append(Finding(
                ERROR, "conflict",
                f"{name} is given as {other.shown} here and as {first.shown} at "
                f"{first.file}:{first.line}",
                other.file, other.line,
                data_note or "use one value; bind both to the data",
                related=[first.where(), other.where()],
            ))
    return findings


def _merge_qualified_labels(
    groups: dict[tuple[str | None, str, str], list[Mention]],
) -> dict[tuple[str | None, str, str], list[Mention]]:
    """城镇化率 and 常住人口城镇化率 name one indicator: a label that ends another, where
    the longer one only adds a qualifier (not 全国, 全省, 上年 …), joins its group."""
    merged = dict(groups)
    for key in sorted(groups, key=lambda k: len(k[1])):
        subject, label, unit = key
        if len(label) < 3 or key not in merged:
            continue
        hosts = [k for k in merged if k != key and k[0] == subject and k[2] == unit
                 and k[1].endswith(label)
                 and not any(w in k[1][: -len(label)] for w in SCOPE_WORDS + OUTSIDE_WORDS)]
        if len(hosts) == 1:  # one reading only; two would be a guess
            host = hosts[0]
            merged[host] = sorted(merged[host] + merged.pop(key),
                                  key=lambda m: (m.file or "", m.line or 0))
    return merged


def _agree(a: Mention, b: Mention) -> bool:
    places = min(a.decimals, b.decimals)
    return fixed(a.number, places) == fixed(b.number, places)


def _data_note(group: list[Mention]) -> str:
    for m in group:
        if m.mark is not None:
            return (f"the data says {m.shown} ({m.mark.value.sources[0] if m.mark.value.sources else 'data'})"
                    f"; bind the other to the same value")
    return ""


def _data_value_note(analysis: Analysis, label: str, mention: Mention) -> str:
    """What the data holds for a label both places typed, when it holds one value for it."""
    found = [(name, v) for name, v in analysis.data.facts.items()
             if v.is_number and label in v.label and (v.unit == "%") == (mention.unit == "%")]
    if len(found) > 1 and not any(w in label for w in OUTSIDE_WORDS):
        found = [(n, v) for n, v in found if not any(w in v.label for w in OUTSIDE_WORDS)]
    if len(found) != 1:
        return ""
    name, v = found[0]
    where = f" ({v.sources[0]})" if v.sources else ""
    return (f"the data says {v}{v.unit}{where}; write "
            f"{Candidate(v.number(), v.unit, v.label, _fact_expr(name), ()).filter_for(str(v))}")


def _row_keys(data: DataContext) -> list[str]:
    keys: set[str] = set()
    for _, table in data.tables.items():
        for row in table:
            if len(row.key) >= 2 and not row.key.isdigit():
                keys.add(row.key)
    return sorted(keys, key=len, reverse=True)


def check_shares(analysis: Analysis) -> list[Finding]:
    """A share typed next to a row's name must agree with the share the data gives."""
    data = analysis.data
    cands = [c for c in candidates(data) if c.kind == "share"]
    keys = _row_keys(data)
    findings = []
    for mention in analysis.mentions:
        if mention.bound or mention.unit != "%":
            continue
        if not any(w in mention.lead for w in SHARE_WORDS):
            continue
        if any(w in mention.lead for w in ("增长", "下降", "提高", "降低", "增速")):
            continue
        if any(w in mention.lead for w in OUTSIDE_WORDS):
            continue  # a share of something the data does not hold (全省总量)
        subject = _subject(mention, keys)
        if subject is None:
            continue
        mine = [c for c in cands if subject in c.names]
        if not mine:
            continue
        stated = mention.number
        if any(_share_agrees(stated, mention.decimals, mention.qualifier, c.value) for c in mine):
            continue
        # The share of the whole the sentence names (占规上工业总产值…), else the nearest.
        named = [c for c in mine if c.label.partition("占")[2] in mention.lead]
        closest = min(named or mine, key=lambda c: abs(c.value - stated))
        analysis.flagged.add(id(mention))
        findings.append(Finding(
            ERROR, "share",
            f"the share of {subject} is stated as {_stated(mention)}, but the data gives "
            f"{fixed(closest.value, 1)}% ({closest.label})",
            mention.file, mention.line,
            f"write {closest.filter_for(fixed(closest.value, 1))}",
        ))
    return findings


def _stated(m: Mention) -> str:
    q = m.qualifier
    lead = m.lead.rstrip(SPACES)
    word = next((w for w in APPROX_BEFORE if lead.endswith(w)), "")
    rest = m.after.lstrip(SPACES)[1:].lstrip(SPACES)
    tail = next((w for w in ABOVE_AFTER + BELOW_AFTER + ROUGH_AFTER if rest.startswith(w)), "")
    return f"“{word}{m.digits}%{tail}”" if q else f"{m.digits}%"


def _share_agrees(stated: float, decimals: int, qualifier: str, computed: float) -> bool:
    if qualifier == "above":
        return computed >= stated - 0.05
    if qualifier == "below":
        return stated * 0.9 - 0.05 <= computed <= stated + 0.05
    if qualifier == "rough":
        return abs(computed - stated) <= max(1.0, stated * 0.05)
    return fixed(computed, decimals) == fixed(stated, decimals)


def check_typed(analysis: Analysis) -> list[Finding]:
    """Typed numbers: bind those the data has; flag those it does not."""
    cands = candidates(analysis.data)
    units = {c.unit for c in cands} | {"亿元"}
    findings = []
    for mention in analysis.mentions:
        if mention.bound or id(mention) in analysis.flagged:
            continue
        cand = best_candidate(mention, cands)
        shown = mention.shown_with(units)
        if cand is not None:
            findings.append(Finding(
                WARNING, "bindable",
                f"{shown} is typed, but the data has it ({cand.label})",
                mention.file, mention.line,
                f"write {cand.filter_for(mention.digits)}",
            ))
        else:
            findings.append(Finding(
                WARNING, "unbacked",
                f"{shown} is typed and no data backs it",
                mention.file, mention.line,
                "add it to facts.yaml with its source and bind it, or cite the source",
            ))
    return findings


def check_previous(spec: Spec, data: DataContext, options: CheckOptions) -> list[Finding]:
    """Figures that moved more than a factor (or, for percentages, a number of points)."""
    previous_name = spec.brief.data.previous or ""
    folder = spec.inside_project(previous_name, ("data", "previous"))
    if not folder.is_dir():
        raise BriefError(f"the previous issue's data folder '{previous_name}' is not there",
                         spec.brief_file, spec.lines.get(("data", "previous")),
                         hint="fix data.previous or remove it")
    old = load_data(folder)
    before = dict(old.all_values())
    findings = []
    for name, new in data.all_values():
        was = before.get(name)
        if was is None or not (was.is_number and new.is_number):
            continue
        a, b = was.number(), new.number()
        if new.unit in ("%", "个百分点"):
            moved = abs(b - a) > options.pp_limit
            how = f"{fixed(abs(b - a), 1)} points"
        elif a == 0 or b == 0:
            moved = a != b
            how = "from or to zero"
        elif (a < 0) != (b < 0):
            moved = True
            how = "changed sign"
        else:
            ratio = b / a
            moved = ratio > options.factor or ratio < 1 / options.factor
            how = f"×{ratio:.2f}"
        if not moved:
            continue
        cell = new.sources[0] if new.sources else None
        findings.append(Finding(
            WARNING, "moved",
            f"{new.label} moved from {was}{was.unit} to {new}{new.unit} since the previous "
            f"issue ({how})",
            cell.file if cell else None, cell.row if cell else None,
            "check the unit and the source of this figure",
        ))
    return findings


# ---- the command ----------------------------------------------------------------


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check", help="find typed numbers, conflicting figures, totals and shares that disagree"
    )
    p.add_argument("briefs", nargs="+", type=Path, metavar="BRIEF", help="brief folder(s)")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--factor", type=float, default=2.0,
                   help="flag figures that moved more than this factor since data.previous")
    p.add_argument("--points", type=float, default=15.0,
                   help="flag percentages that moved more than this many points")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    if args.factor <= 1:
        raise BriefError("--factor must be more than 1")
    options = CheckOptions(factor=args.factor, pp_limit=args.points)
    findings: list[Finding] = []
    for folder in args.briefs:
        findings += check_folder(folder, options)
    errors = sum(1 for f in findings if f.level == ERROR)
    warnings = len(findings) - errors
    if args.format == "json":
        json.dump({"findings": [f.as_dict() for f in findings], "errors": errors,
                   "warnings": warnings}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for f in findings:
            print(f.one_line())
        print(f"{errors} error{'s' if errors != 1 else ''}, "
              f"{warnings} warning{'s' if warnings != 1 else ''}")
    if errors or (args.strict and warnings):
        return 1
    return 0
