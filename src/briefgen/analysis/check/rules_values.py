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
from briefgen.analysis.check.values import agrees, compatible, family, slip, slip_words
from briefgen.numbers import fixed

SHARE_WORDS = ("占比", "比重", "份额", "占")
PROPOSAL = ("力争", "争取", "目标", "建议", "设立", "给予", "补贴", "奖励", "资助", "不低于",
            "不少于", "不超过", "达到", "计划", "预计", "规划", "到20", "每人", "每户", "每年")


def _typed(ctx: Context) -> list[Mention]:
    return [m for m in ctx.mentions if not m.bound and m.kind in ("number", "count", "rank")]


def check_conflicts(ctx: Context) -> list[Finding]:
    """One label, one value: 城镇化率 51.12% here and 45.82% there is an error."""
    facts, columns = ctx.vocabulary()
    keys = ctx.row_keys()
    groups: dict[tuple[str | None, str, str], list[Mention]] = {}
    for m in ctx.mentions:
        if m.qualifier or m.kind not in ("number",) or other_year(m, ctx.year):
            continue
        if other_place(m, ctx.home):
            continue
        subj = subject(m, keys)
        label = mention_label(m, facts + columns if subj else facts, ctx.home)
        if label:
            groups.setdefault((subj, label, m.unit), []).append(m)
    findings = []
    for (subj, label, _), group in _merge(groups).items():
        group.sort(key=lambda x: (not x.bound, x.file, x.line or 0))
        first = group[0]
        for other in group[1:]:
            places = min(first.decimals, other.decimals)
            if fixed(first.value, places) == fixed(other.value, places) or other.bound:
                continue
            ctx.flagged.add(id(other))
            name = f"{subj}{label}" if subj and subj not in label else label
            note = _data_note(ctx, first, label)
            findings.append(Finding(
                ERROR, "conflict",
                f"{name} is given as {other.shown} here and as {first.shown} at "
                f"{first.file}:{first.line}", other.file, other.line, note,
                related=[first.where(), other.where()], text=other.shown))
    return findings


def _data_note(ctx: Context, first: Mention, label: str) -> str:
    """What the data says, where, and the expression to write."""
    if first.bound and first.figure is not None:
        fig = ctx.reading.figures[first.figure]
        where = str(fig.sources[0]) if fig.sources else "the data"
        cand = next((c for c in ctx.candidates if c.kind == "value" and fig.sources
                     and c.source == str(fig.sources[0])), None)
        expr = ("{{ " + fig.expression + " }}" if fig.expression
                else cand.filter_for(first.digits) if cand else "")
        return f"the data says {fig.text} ({where})" + (f"; write {expr}" if expr else "")
    found = [c for c in ctx.candidates if c.kind == "value" and label in c.label
             and (c.unit == "%") == (first.unit == "%")
             and not any(w in c.label for w in OUTSIDE_WORDS)]
    if len(found) == 1:
        c = found[0]
        return f"the data says {c.shown()} ({c.source}); write {c.filter_for(first.digits)}"
    return "use one value; bind both to the data"


def _merge(groups: dict[tuple[str | None, str, str], list[Mention]]
           ) -> dict[tuple[str | None, str, str], list[Mention]]:
    """城镇化率 and 常住人口城镇化率 name one indicator: a label that ends another, where the
    longer one only adds a qualifier (not 全国, 全省, 上年 …), joins its group."""
    merged = dict(groups)
    for key in sorted(groups, key=lambda k: len(k[1])):
        subj, label, unit = key
        if len(label) < 3 or key not in merged:
            continue
        hosts = [k for k in merged if k != key and k[0] == subj and k[2] == unit
                 and k[1].endswith(label)
                 and not any(w in k[1][: -len(label)] for w in OUTSIDE_WORDS + ("上年", "原"))]
        if len(hosts) == 1:
            merged[hosts[0]] = merged[hosts[0]] + merged.pop(key)
    return merged


def check_shares(ctx: Context) -> list[Finding]:
    """A share typed next to a row's name must agree with the share the data gives."""
    shares = [c for c in ctx.candidates if c.kind == "share"]
    keys = ctx.row_keys()
    findings = []
    for m in _typed(ctx):
        if m.unit != "%" or not any(w in m.lead for w in SHARE_WORDS):
            continue
        if any(w in m.lead for w in ("增长", "下降", "提高", "降低", "增速")):
            continue
        if any(w in m.lead for w in OUTSIDE_WORDS) or other_year(m, ctx.year):
            continue
        subj = subject(m, keys)
        if subj is None or "其中" in m.prefix[m.prefix.rfind(subj):]:
            continue
        mine = [c for c in shares if subj in c.names and in_scope(m, c, ctx.home, ctx.year)]
        if not mine or any(_share_ok(m, c) for c in mine):
            continue
        named = [c for c in mine if c.label.partition("占")[2] in m.lead]
        closest = min(named or mine, key=lambda c: abs(c.value - m.value))
        ctx.flagged.add(id(m))
        findings.append(Finding(
            ERROR, "share",
            f"the share of {subj} is stated as {_stated(m)}, but the data gives "
            f"{fixed(closest.value, 1)}% ({closest.label})", m.file, m.line,
            f"write {closest.filter_for(fixed(closest.value, 1))}", text=m.shown))
    return findings


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


def _associated(ctx: Context, m: Mention) -> list[tuple[int, Candidate]]:
    """The candidates the words around a number name, best first (the row the sentence is
    about counts three more)."""
    subj = subject(m, ctx.row_keys())
    if subj and (subj in OUTSIDE_WORDS or subj.endswith(("省", "国"))):
        subj = None  # 全国, 辽宁省: what the sentence compares with, not what it is about
    out = []
    for c in ctx.candidates:
        if not compatible(m, c):
            continue
        a = association(m, c)
        if a and in_scope(m, c, ctx.home, ctx.year):
            out.append((a + (3 if subj and subj in c.names else 0), c))
    return sorted(out, key=lambda x: -x[0])


def check_slips(ctx: Context) -> list[Finding]:
    """A typed number next to a data value's name that is that value with a slip."""
    findings = []
    for m in _typed(ctx):
        if id(m) in ctx.flagged:
            continue
        assoc = _associated(ctx, m)
        if not assoc or any(agrees(m, c) for _, c in assoc):
            continue
        top = assoc[0][0]
        for a, c in assoc:
            if a < max(2 if m.kind in ("count", "rank") else 3, top):
                break
            if not _same_measure(m, c):
                continue
            kind = slip(m, c) or _count_or_rank(m, c)
            if kind:
                ctx.flagged.add(id(m))
                findings.append(Finding(
                    ERROR, "slip",
                    f"{m.shown} is typed where the data has {c.shown(m.decimals or c.decimals)} "
                    f"({c.label}{', ' + c.source if c.source else ''}): {slip_words(kind)}",
                    m.file, m.line, f"write {c.filter_for(m.digits)}", text=m.shown))
                break
    return findings


def _same_measure(m: Mention, c: Candidate) -> bool:
    """A share is compared with shares, a level with levels, a gap (个百分点) with gaps."""
    if m.kind == "rank" or c.kind == "rank":
        return m.kind == c.kind
    if m.kind == "count" and not c.unit.strip("个户家种项处"):
        return True
    if family(m.unit)[0] != family(c.unit)[0]:
        return False
    is_share = any(w in m.lead for w in SHARE_WORDS)
    return not is_share or c.kind == "share" or any(w in c.label for w in ("占", "比重", "占比"))


def _count_or_rank(m: Mention, c: Candidate) -> str:
    """A count of a short indicator (县, 区) or a rank that is not the data's."""
    if m.qualifier:
        return ""
    if m.kind == "rank" and c.kind == "rank":
        return "the rank differs"
    stem = re.sub(r"(数量|数)$", "", c.label)
    rest = m.text[m.end:].lstrip(" \u3000")[len(m.unit_text):]
    if m.kind == "count" and 0 < len(stem) <= 3 and rest and (
            rest.startswith(stem) or stem.endswith(rest[:1])):
        return "the count differs"
    return ""


def check_typed(ctx: Context) -> list[Finding]:
    """Warnings: a typed number the data has (bind it), a typed statistic no data backs."""
    findings = []
    for m in _typed(ctx):
        if id(m) in ctx.flagged:
            continue
        assoc = _associated(ctx, m)
        match = next((c for _, c in assoc if agrees(m, c)), None)
        if match is not None:
            findings.append(Finding(
                WARNING, "bindable", f"{m.shown} is typed, but the data has it ({match.label})",
                m.file, m.line, f"write {match.filter_for(m.digits)}", text=m.shown))
        elif is_statistic(m) and not assoc and not any(w in m.sentence for w in PROPOSAL):
            if m.passage.origin == "brief.yaml":
                continue
            findings.append(Finding(
                WARNING, "unbacked", f"{m.shown} is typed and no data backs it", m.file, m.line,
                "add it to facts.yaml with its source and bind it, or cite the source",
                text=m.shown))
    return findings
