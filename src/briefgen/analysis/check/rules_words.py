"""Rules on the words around a figure: a direction word (增长/下降, 提高/回落, 高于/低于,
快于/慢于) against the figure's sign, and 个百分点 against % for gaps between rates."""

from __future__ import annotations

from briefgen.analysis.check.context import Context
from briefgen.analysis.check.findings import ERROR, Finding
from briefgen.analysis.check.labels import association, in_scope
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.reading import Figure
from briefgen.analysis.check.values import compatible
from briefgen.numbers import fixed


def _is_gap(fig: Figure) -> bool:
    return ")-(" in fig.formula.replace(" ", "") or fig.unit in ("个百分点", "个千分点") and bool(fig.formula)


def _is_growth(fig: Figure) -> bool:
    return any(w in fig.label for w in ("增速", "增长", "增幅")) and not fig.formula


def check_direction(ctx: Context) -> list[Finding]:
    """A typed 增长/下降 … before a bound figure whose sign says the opposite."""
    findings = []
    for m in ctx.mentions:
        if not m.bound or m.figure is None or not m.direction:
            continue
        fig = ctx.reading.figures[m.figure]
        value = fig.number
        if value is None or value == 0 or fig.filter == "growth":
            continue
        if fig.formula.replace(" ", "").startswith("abs("):
            continue  # a magnitude: the sign was taken off on purpose (the word says it)
        printed_negative = fig.text.lstrip().startswith(("-", "−"))
        if m.direction < 0 and printed_negative:
            why = f"“{m.change_word}{fig.text}” says it twice: the value is {fixed(value, fig.places or 1)}"
        elif (_is_gap(fig) or _is_growth(fig)) and (value > 0) != (m.direction > 0) and not printed_negative:
            word = "rose" if value > 0 else "fell"
            why = f"“{m.change_word}” but the figure {word} ({fig.label}: {fixed(value, fig.places or 2)})"
        else:
            continue
        ctx.flagged.add(id(m))
        findings.append(Finding(
            ERROR, "direction", why, m.file, m.line,
            "let the data choose the word: {{ x | growth }} or {{ x | higher }}", text=m.shown))
    for m in ctx.mentions:
        if m.bound or m.kind != "number" or not m.direction or id(m) in ctx.flagged:
            continue
        if m.direction < 0 and m.negative:
            ctx.flagged.add(id(m))
            findings.append(Finding(
                ERROR, "direction", f"“{m.change_word}-{m.digits}” says it twice", m.file, m.line,
                "write the magnitude after the word, or bind it with | growth", text=m.shown))
    return findings


def check_points(ctx: Context) -> list[Finding]:
    """A gap between two rates is in 个百分点, a rate of change in %."""
    findings = []
    for m in ctx.mentions:
        if id(m) in ctx.flagged or m.kind != "number":
            continue
        if m.bound and m.figure is not None:
            finding = _bound_points(m, ctx.reading.figures[m.figure])
        else:
            finding = _typed_points(m, ctx)
        if finding:
            ctx.flagged.add(id(m))
            findings.append(finding)
    return findings


def _bound_points(m: Mention, fig: Figure) -> Finding | None:
    if fig.unit == "个百分点" and fig.text.endswith("%") and fig.filter != "growth":
        return Finding(ERROR, "points",
                       f"{fig.text} is a gap between two rates ({fig.label}); it is in 个百分点, not %",
                       m.file, m.line, "print it with | pp", text=fig.text)
    return None


def _typed_points(m: Mention, ctx: Context) -> Finding | None:
    if m.unit not in ("%", "pp") or not m.direction or m.qualifier:
        return None
    for c in ctx.candidates:
        if not compatible(m, c) or not association(m, c) or not in_scope(m, c, ctx.home, ctx.year):
            continue
        same = fixed(abs(c.value), m.decimals) == fixed(m.value, m.decimals)
        if not same:
            continue
        if m.unit == "%" and c.kind == "gap":
            return Finding(ERROR, "points",
                           f"{m.shown} is a gap between two rates ({c.label}); it is "
                           f"{m.digits}个百分点, not %", m.file, m.line,
                           f"write {c.filter_for(m.digits)}", text=m.shown)
        if m.unit == "pp" and c.unit == "%" and c.kind != "gap":
            return Finding(ERROR, "points",
                           f"{m.shown}: {c.label} is a rate ({c.shown()}), not a gap between rates; "
                           f"write %", m.file, m.line, f"write {c.filter_for(m.digits)}",
                           text=m.shown)
    return None
