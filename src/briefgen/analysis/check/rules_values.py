"""Rules on typed numbers against the data: one label with two values, a share that
disagrees (allowing the rounding of parts), a slip near a data value (with the intended
value), a count or rank that is not the data's, and the warnings (bindable, unbacked)."""

from __future__ import annotations

import re

from briefgen.analysis.check.candidates import Candidate
from briefgen.analysis.check.context import Context
from briefgen.analysis.check.findings import ERROR, WARNING, Finding
from briefgen.analysis.check.labels import (
    OUTSIDE_WORDS,
    association,
    in_scope,
    mention_label,
    other_place,
    other_year,
    subject,
)
from briefgen.analysis.check.mentions import Mention, is_statistic
from briefgen.analysis.check.reading import Figure
from briefgen.analysis.check.rules import MentionRule
from briefgen.analysis.check.values import agrees, compatible, family, slip, slip_words
from briefgen.analysis.check.words import WordTest, has_any
from briefgen.numbers import fixed

SHARE_WORDS = ("占比", "比重", "份额", "占")
PROPOSAL = ("力争", "争取", "目标", "建议", "设立", "给予", "补贴", "奖励", "资助", "不低于",
            "不少于", "不超过", "达到", "计划", "预计", "规划", "到20", "每人", "每户", "每年")
CHANGE_WORDS = ("增长", "下降", "提高", "降低", "增速")
SHARE_CLAUSE = WordTest(SHARE_WORDS, CHANGE_WORDS + OUTSIDE_WORDS)  # not a change, not 全国's
GroupKey = tuple[str | None, str, str]  # the row, the indicator's label, the unit


def _may_conflict(m: Mention, ctx: Context) -> bool:
    """An exact typed or bound number said of this year and this place."""
    if m.qualifier or m.kind != "number":
        return False
    return not other_year(m, ctx.year) and not other_place(m, ctx.home)


def _conflict_groups(ctx: Context) -> dict[GroupKey, list[Mention]]:
    """The numbers by the indicator they are given for: (row, label, unit)."""
    facts, columns = ctx.vocabulary()
    keys = ctx.row_keys()
    groups: dict[GroupKey, list[Mention]] = {}
    for m in ctx.mentions:
        if not _may_conflict(m, ctx):
            continue
        subj = subject(m, keys)
        label = mention_label(m, facts + columns if subj else facts, ctx.home)
        if label:
            groups.setdefault((subj, label, m.unit), []).append(m)
    return _merge(groups)


def _disagree(first: Mention, other: Mention) -> bool:
    """A typed number that is not the first one at the places both are given to."""
    places = min(first.decimals, other.decimals)
    return not other.bound and fixed(first.value, places) != fixed(other.value, places)


def check_conflicts(ctx: Context) -> list[Finding]:
    """One label, one value: 城镇化率 51.12% here and 45.82% there is an error."""
    findings = []
    for (subj, label, _), group in _conflict_groups(ctx).items():
        group.sort(key=lambda x: (not x.bound, x.file, x.line or 0))
        first = group[0]
        findings += [_conflict(ctx, subj, label, first, other) for other in group[1:]
                     if _disagree(first, other)]
    return findings


def _conflict(ctx: Context, subj: str | None, label: str, first: Mention,
              other: Mention) -> Finding:
    ctx.flagged.add(id(other))
    name = f"{subj}{label}" if subj and subj not in label else label
    return Finding(
        ERROR, "conflict",
        f"{name} is given as {other.shown} here and as {first.shown} at "
        f"{first.file}:{first.line}", other.file, other.line, _data_note(ctx, first, label),
        related=[first.where(), other.where()], text=other.shown)


def _data_note(ctx: Context, first: Mention, label: str) -> str:
    """What the data says, where, and the expression to write."""
    if first.bound and first.figure is not None:
        return _bound_note(ctx, ctx.reading.figures[first.figure], first.digits)
    found = [c for c in ctx.candidates if _names_indicator(c, label, first)]
    if len(found) == 1:
        c = found[0]
        return f"the data says {c.shown()} ({c.source}); write {c.filter_for(first.digits)}"
    return "use one value; bind both to the data"


def _bound_note(ctx: Context, fig: Figure, digits: str) -> str:
    where = str(fig.sources[0]) if fig.sources else "the data"
    expr = _expression_for(ctx, fig, digits)
    return f"the data says {fig.text} ({where})" + (f"; write {expr}" if expr else "")


def _expression_for(ctx: Context, fig: Figure, digits: str) -> str:
    """The bound figure's own expression, else the one of the data value it prints."""
    if fig.expression:
        return "{{ " + fig.expression + " }}"
    if not fig.sources:
        return ""
    cell = str(fig.sources[0])
    cand = next((c for c in ctx.candidates if c.kind == "value" and c.source == cell), None)
    return cand.filter_for(digits) if cand else ""


def _names_indicator(c: Candidate, label: str, m: Mention) -> bool:
    """A value of this place whose label holds the indicator, a rate if the number is one."""
    return (c.kind == "value" and label in c.label and (c.unit == "%") == (m.unit == "%")
            and not has_any(c.label, OUTSIDE_WORDS))


def _hosts(host: GroupKey, key: GroupKey) -> bool:
    """`host` is `key`'s indicator with a qualifier before it (常住人口城镇化率, 城镇化率) —
    not another place's or year's (全国城镇化率, 上年城镇化率)."""
    subj, label, unit = key
    if host == key or host[0] != subj or host[2] != unit or not host[1].endswith(label):
        return False
    return not has_any(host[1][: -len(label)], OUTSIDE_WORDS + ("上年", "原"))


def _merge(groups: dict[GroupKey, list[Mention]]) -> dict[GroupKey, list[Mention]]:
    """城镇化率 and 常住人口城镇化率 name one indicator: a label that ends another, where the
    longer one only adds a qualifier (not 全国, 全省, 上年 …), joins its group."""
    merged = dict(groups)
    for key in sorted(groups, key=lambda k: len(k[1])):
        if len(key[1]) < 3 or key not in merged:
            continue
        hosts = [k for k in merged if _hosts(k, key)]
        if len(hosts) == 1:
            merged[hosts[0]] = merged[hosts[0]] + merged.pop(key)
    return merged


def _states_a_share(m: Mention) -> bool:
    """A % after 占/比重/份额, not a change (增长, 提高 …) and not of 全国, 全省 …."""
    return m.unit == "%" and SHARE_CLAUSE(m.lead)


def _share_subject(m: Mention, ctx: Context, keys: list[str]) -> str | None:
    """The row a typed share is stated for (this year, not a part named after 其中)."""
    if not _states_a_share(m) or other_year(m, ctx.year):
        return None
    subj = subject(m, keys)
    if subj is None or "其中" in m.prefix[m.prefix.rfind(subj):]:
        return None
    return subj


def _share_error(ctx: Context, m: Mention) -> Finding | None:
    """A share typed next to a row's name must agree with the share the data gives."""
    subj = _share_subject(m, ctx, ctx.row_keys())
    if subj is None:
        return None
    mine = [c for c in ctx.candidates if c.kind == "share" and subj in c.names
            and in_scope(m, c, ctx.home, ctx.year)]
    if not mine or any(_share_ok(m, c) for c in mine):
        return None
    return _share_finding(m, subj, mine)


def _share_finding(m: Mention, subj: str, mine: list[Candidate]) -> Finding:
    """The share the data gives, of the whole the sentence names if it names one."""
    named = [c for c in mine if c.label.partition("占")[2] in m.lead]
    closest = min(named or mine, key=lambda c: abs(c.value - m.value))
    return Finding(
        ERROR, "share",
        f"the share of {subj} is stated as {_stated(m)}, but the data gives "
        f"{fixed(closest.value, 1)}% ({closest.label})", m.file, m.line,
        f"write {closest.filter_for(fixed(closest.value, 1))}", text=m.shown)


def _share_ok(m: Mention, c: Candidate) -> bool:
    if m.qualifier or not m.digits[:1].isdigit():
        return agrees(m, c)
    # The stated share stands for [stated − h, stated + h]; the data allows any share its
    # parts (rounded as printed) allow: they agree when the two ranges meet.
    h = 0.5 * 10 ** -m.decimals
    low, high = c.share_range()
    return bool(m.value - h <= high + 1e-9 and m.value + h >= low - 1e-9)


def _stated(m: Mention) -> str:
    lead = m.lead.rstrip()
    word = next((w for w in ("超过", "接近", "将近", "近", "约", "逾") if lead.endswith(w)), "")
    rest = m.text[m.end:m.end + 6]
    tail = next((w for w in ("以上", "以下", "左右") if w in rest[:4]), "")
    unit = "%" if m.digits[:1].isdigit() else m.unit_text
    return f"“{word}{m.digits}{unit}{tail}”" if m.qualifier else f"{m.digits}{unit}"


def _about(ctx: Context, m: Mention) -> str | None:
    """The row the sentence is about; not 全国, 辽宁省 (what it compares with)."""
    subj = subject(m, ctx.row_keys())
    if subj and (subj in OUTSIDE_WORDS or subj.endswith(("省", "国"))):
        return None
    return subj


def _associated(ctx: Context, m: Mention) -> list[tuple[int, Candidate]]:
    """The candidates the words around a number name, best first (the row the sentence is
    about counts three more)."""
    subj = _about(ctx, m)
    out = []
    for c in ctx.candidates:
        a = association(m, c) if compatible(m, c) else 0
        if a and in_scope(m, c, ctx.home, ctx.year):
            out.append((a + (3 if subj and subj in c.names else 0), c))
    return sorted(out, key=lambda x: -x[0])


def _slip_of(ctx: Context, m: Mention) -> tuple[Candidate, str] | None:
    """The best-named data value the typed number is with a slip, and the slip."""
    assoc = _associated(ctx, m)
    if not assoc or any(agrees(m, c) for _, c in assoc):
        return None
    best = assoc[0][0]
    if best < (2 if m.kind in ("count", "rank") else 3):
        return None
    slips = ((c, _slip_kind(m, c)) for a, c in assoc if a == best)  # the best named only
    return next(((c, kind) for c, kind in slips if kind), None)


def _slip_kind(m: Mention, c: Candidate) -> str:
    return (slip(m, c) or _count_or_rank(m, c)) if _same_measure(m, c) else ""


def _slip_error(ctx: Context, m: Mention) -> Finding | None:
    """A typed number next to a data value's name that is that value with a slip."""
    found = _slip_of(ctx, m)
    if found is None:
        return None
    c, kind = found
    return Finding(
        ERROR, "slip",
        f"{m.shown} is typed where the data has {c.shown(m.decimals or c.decimals)} "
        f"({c.label}{', ' + c.source if c.source else ''}): {slip_words(kind)}",
        m.file, m.line, f"write {c.filter_for(m.digits)}", text=m.shown)


def _same_measure(m: Mention, c: Candidate) -> bool:
    """A share is compared with shares, a level with levels, a gap (个百分点) with gaps."""
    if m.kind == "rank" or c.kind == "rank":
        return m.kind == c.kind
    if m.kind == "count" and not c.unit.strip("个户家种项处"):
        return True
    if family(m.unit)[0] != family(c.unit)[0]:
        return False
    if not has_any(m.lead, SHARE_WORDS):
        return True
    return c.kind == "share" or has_any(c.label, ("占", "比重", "占比"))


def _counted(m: Mention, c: Candidate) -> bool:
    """四个县 where the data's 县数 is another count: the short indicator (县, 区) follows."""
    stem = re.sub(r"(数量|数)$", "", c.label)
    rest = m.text[m.end:].lstrip(" \u3000")[len(m.unit_text):]
    if m.kind != "count" or not 0 < len(stem) <= 3 or not rest:
        return False
    return rest.startswith(stem) or stem.endswith(rest[:1])


def _count_or_rank(m: Mention, c: Candidate) -> str:
    """A count of a short indicator (县, 区) or a rank that is not the data's."""
    if m.qualifier:
        return ""
    if m.kind == "rank" and c.kind == "rank":
        return "the rank differs"
    return "the count differs" if _counted(m, c) else ""


def _unbacked(m: Mention, assoc: list[tuple[int, Candidate]]) -> bool:
    """A statistic in the prose that no data value is named near, and not a target or a
    proposal (力争, 不低于 …); brief.yaml's texts (a bio) cite no data."""
    if not is_statistic(m) or assoc or m.passage.origin == "brief.yaml":
        return False
    return not has_any(m.sentence, PROPOSAL)


def _typed_warning(ctx: Context, m: Mention) -> Finding | None:
    """Warnings: a typed number the data has (bind it), a typed statistic no data backs."""
    assoc = _associated(ctx, m)
    match = next((c for _, c in assoc if agrees(m, c)), None)
    if match is not None:
        return Finding(
            WARNING, "bindable", f"{m.shown} is typed, but the data has it ({match.label})",
            m.file, m.line, f"write {match.filter_for(m.digits)}", text=m.shown)
    if _unbacked(m, assoc):
        return Finding(
            WARNING, "unbacked", f"{m.shown} is typed and no data backs it", m.file, m.line,
            "add it to facts.yaml with its source and bind it, or cite the source",
            text=m.shown)
    return None


SHARES = MentionRule(_share_error, after_errors=False)
SLIPS = MentionRule(_slip_error)
TYPED = MentionRule(_typed_warning)
