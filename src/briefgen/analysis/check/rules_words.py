"""Rules on the words around a figure: a direction word (增长/下降, 提高/回落, 高于/低于,
快于/慢于) against the figure's sign, and 个百分点 against % for gaps between rates."""

from __future__ import annotations

from briefgen.analysis.check.candidates import Candidate
from briefgen.analysis.check.context import Context
from briefgen.analysis.check.findings import ERROR, Finding
from briefgen.analysis.check.labels import association, in_scope
from briefgen.analysis.check.mentions import Mention
from briefgen.analysis.check.reading import Figure
from briefgen.analysis.check.rules import MentionRule
from briefgen.analysis.check.values import compatible
from briefgen.numbers import fixed


def _is_gap(fig: Figure) -> bool:
    return ")-(" in fig.formula.replace(" ", "") or fig.unit in ("个百分点", "个千分点") and bool(fig.formula)


def _is_growth(fig: Figure) -> bool:
    return any(w in fig.label for w in ("增速", "增长", "增幅")) and not fig.formula


def _word_may_contradict(fig: Figure) -> bool:
    """A figure with a sign of its own: not zero, not printed by growth (which writes the word
    itself), not a magnitude (abs(…): the sign was taken off on purpose, the word says it)."""
    if not fig.number or fig.filter == "growth":
        return False
    return not fig.formula.replace(" ", "").startswith("abs(")


def _against_sign(m: Mention, fig: Figure) -> str:
    """Why the word before a bound figure contradicts its sign ("" if it does not)."""
    if not _word_may_contradict(fig):
        return ""
    value = fig.number or 0.0
    if fig.text.lstrip().startswith(("-", "−")):  # printed negative
        return _said_twice(m, fig, value) if m.direction < 0 else ""
    if (_is_gap(fig) or _is_growth(fig)) and (value > 0) != (m.direction > 0):
        return _contrary(m, fig, value)
    return ""


def _said_twice(m: Mention, fig: Figure, value: float) -> str:
    """下降 before a figure printed with its minus sign."""
    return f"“{m.change_word}{fig.text}” says it twice: the value is {fixed(value, fig.places or 1)}"


def _contrary(m: Mention, fig: Figure, value: float) -> str:
    word = "rose" if value > 0 else "fell"
    return f"“{m.change_word}” but the figure {word} ({fig.label}: {fixed(value, fig.places or 2)})"


def _bound_direction(ctx: Context, m: Mention) -> Finding | None:
    """A typed 增长/下降 … before a bound figure whose sign says the opposite."""
    if m.figure is None or not m.direction:
        return None
    why = _against_sign(m, ctx.reading.figures[m.figure])
    if not why:
        return None
    return Finding(ERROR, "direction", why, m.file, m.line,
                   "let the data choose the word: {{ x | growth }} or {{ x | higher }}",
                   text=m.shown)


def _typed_twice(ctx: Context, m: Mention) -> Finding | None:
    """下降-3.2%: a typed number with both a falling word and a minus sign."""
    if m.direction >= 0 or not m.negative:
        return None
    return Finding(ERROR, "direction", f"“{m.change_word}-{m.digits}” says it twice", m.file,
                   m.line, "write the magnitude after the word, or bind it with | growth",
                   text=m.shown)


def _points(ctx: Context, m: Mention) -> Finding | None:
    """A gap between two rates is in 个百分点, a rate of change in %."""
    if m.bound and m.figure is not None:
        return _bound_points(m, ctx.reading.figures[m.figure])
    return _typed_points(m, ctx)


def _bound_points(m: Mention, fig: Figure) -> Finding | None:
    if fig.unit == "个百分点" and fig.text.endswith("%") and fig.filter != "growth":
        return Finding(ERROR, "points",
                       f"{fig.text} is a gap between two rates ({fig.label}); it is in 个百分点, not %",
                       m.file, m.line, "print it with | pp", text=fig.text)
    return None


def _same_value(m: Mention, c: Candidate, ctx: Context) -> bool:
    """The words name this value and the typed digits are its magnitude."""
    if not compatible(m, c) or not association(m, c) or not in_scope(m, c, ctx.home, ctx.year):
        return False
    return fixed(abs(c.value), m.decimals) == fixed(m.value, m.decimals)


def _wrong_points(m: Mention, c: Candidate) -> Finding | None:
    """A gap typed in %, or a rate typed in 个百分点."""
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


def _typed_points(m: Mention, ctx: Context) -> Finding | None:
    if m.unit not in ("%", "pp") or not m.direction or m.qualifier:
        return None
    found = (_wrong_points(m, c) for c in ctx.candidates if _same_value(m, c, ctx))
    return next((f for f in found if f is not None), None)


BOUND_DIRECTION = MentionRule(_bound_direction, kinds=None, bound=True, after_errors=False)
TYPED_TWICE = MentionRule(_typed_twice, kinds=("number",))
POINTS = MentionRule(_points, kinds=("number",), bound=None)
