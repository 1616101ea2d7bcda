"""Arithmetic in templates: values both ways round, units kept honest, sizes bounded.

`100 - v`, `v - w`, `-v`, `v / 10000` all give a Value that keeps its sources.
A sum or difference keeps the unit (a difference of % is in 个百分点, of ‰ in
个千分点); a product or quotient changes the scale, so it loses its unit and a
unit filter (`q`, `yi`) cannot print a unit the number no longer has. A result
that overflows, a string repeated past the cap or an exponent too large is a
TemplateError, never a hang or a raw Python message.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from briefgen.data import Value, places
from briefgen.errors import TemplateError

MAX_SEQUENCE = 1_000_000
MAX_POWER_DIGITS = 1_000

OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow,
}
SHOWN = {"*": "×", "/": "÷"}
DIFFERENCE_UNIT = {"%": "个百分点", "‰": "个千分点"}


def binop(op: str, left: Any, right: Any) -> Any:
    if isinstance(left, Value) or isinstance(right, Value):
        return _value_op(op, left, right)
    return _plain_op(op, left, right)


def unop(op: str, arg: Any) -> Any:
    if isinstance(arg, Value):
        x = _number(arg)
        return Value(-x if op == "-" else x, arg.unit, arg.label, arg.sources,
                     f"{op}({_formula(arg)})", arg.decimals)
    if op == "-":
        return -arg
    return +arg


def absolute(v: Any) -> Any:
    """abs() for templates: a value keeps its sources."""
    if isinstance(v, Value):
        return Value(abs(_number(v)), v.unit, v.label, v.sources, f"abs({_formula(v)})",
                     v.decimals)
    if isinstance(v, int | float) and not isinstance(v, bool):
        return abs(v)
    raise TemplateError(f"abs() of '{v}', which is not a number")


def _plain_op(op: str, left: Any, right: Any) -> Any:
    check = SIZE_CHECKS.get(op)
    if check is not None:
        check(left, right)
    try:
        result = OPS[op](left, right)
    except ZeroDivisionError:
        raise TemplateError("division by zero") from None
    except OverflowError:
        raise TemplateError("a number overflowed") from None
    except TypeError:
        raise TemplateError(
            f"cannot compute {_kind(left)} {op} {_kind(right)}") from None
    _finite(result)
    return result


def _check_repeat(left: Any, right: Any) -> None:
    """A text or list times a whole number must stay under the cap."""
    if not _is_sequence_times_int(left, right):
        return
    seq, n = (left, right) if isinstance(right, int) else (right, left)
    if len(seq) * n > MAX_SEQUENCE:
        raise TemplateError(f"repeating a text or list {n} times is over the cap "
                            f"of {MAX_SEQUENCE} characters")


def _check_format(left: Any, right: Any) -> None:
    """A %-format of a text must not ask for a width over the cap."""
    if not isinstance(left, str):
        return
    args = right if isinstance(right, tuple) else (right,)
    if _huge_argument(args) or _wide(left):
        raise TemplateError("a %-format wider than the cap")


def _huge_argument(args: tuple[Any, ...]) -> bool:
    return any(isinstance(a, int) and abs(a) > MAX_SEQUENCE for a in args)


def _is_sequence_times_int(left: Any, right: Any) -> bool:
    def seq(x: Any) -> bool:
        return isinstance(x, str | list | tuple)

    def whole(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)

    return (seq(left) and whole(right)) or (seq(right) and whole(left))


def _wide(fmt: str) -> bool:
    """A %-format with a width or precision of seven or more digits."""
    run = 0
    for ch in fmt:
        run = run + 1 if ch.isdigit() else 0
        if run >= 7:
            return True
    return False


def _check_power(base: Any, exponent: Any) -> None:
    try:
        b, e = float(base), float(exponent)
    except (TypeError, ValueError):
        return
    if abs(b) > 1 and e > 0 and e * math.log10(abs(b)) > MAX_POWER_DIGITS:
        raise TemplateError(f"{base} ** {exponent} is too large (over {MAX_POWER_DIGITS} digits)")


def _finite(result: Any) -> None:
    if isinstance(result, float) and not math.isfinite(result):
        raise TemplateError("a number overflowed (the result is not finite)")


def _kind(x: Any) -> str:
    if isinstance(x, Value):
        return f"'{x.label or x.value}'"
    if isinstance(x, str):
        return f"the text '{x[:20]}'"
    return f"'{x}'" if isinstance(x, int | float) else type(x).__name__


def _number(x: Any) -> float:
    if isinstance(x, Value):
        return _value_number(x)
    if isinstance(x, int | float) and not isinstance(x, bool):
        return float(x)
    raise TemplateError(f"cannot compute with {_kind(x)}: it is not a number")


def _value_number(x: Value) -> float:
    if x.is_number:
        return x.number()
    if x.is_missing:
        x.number()  # a DataError naming the unpublished cell
    raise TemplateError(f"'{x.label}' is text ('{x.value}'), not a number")


def _formula(x: Any) -> str:
    if isinstance(x, Value):
        return x.formula or x.label or str(x.value)
    return str(x)


def _places(x: Any) -> int:
    if isinstance(x, Value):
        return x.decimals or 0
    return places(x) or 0


def _unit_of(x: Any) -> str | None:
    return x.unit if isinstance(x, Value) else None


def _unit(op: str, left: Any, right: Any) -> str:
    if op not in ("+", "-"):
        return ""  # a product, quotient or power changes the scale: the unit no longer holds
    lu, ru = _unit_of(left), _unit_of(right)
    if lu is None or ru is None:  # a value and a plain number: the value's unit
        return _known_unit(lu, ru)
    if _clash(lu, ru):
        raise _units_differ(op, left, right)
    return _sum_unit(op, lu, ru)


def _sum_unit(op: str, lu: str, ru: str) -> str:
    """A sum keeps the unit (either side's); a difference of % is in 个百分点, of ‰ in 个千分点."""
    unit = lu or ru
    return DIFFERENCE_UNIT.get(unit, unit) if op == "-" else unit


def _clash(lu: str, ru: str) -> bool:
    """Two units that cannot be added: both given and different (no unit fits any)."""
    return bool(lu and ru) and lu != ru


def _known_unit(lu: str | None, ru: str | None) -> str:
    return lu if lu is not None else (ru or "")


def _units_differ(op: str, left: Value, right: Value) -> TemplateError:
    verb = "add" if op == "+" else "subtract"
    return TemplateError(
        f"cannot {verb} {_kind(left)} in {left.unit} and {_kind(right)} in {right.unit}")


def _value_result(op: str, left: Any, right: Any) -> float:
    if op == "**":
        _check_power(_number(left), _number(right))
    x, y = _number(left), _number(right)
    try:
        result: float = OPS[op](x, y)
    except ZeroDivisionError:
        raise TemplateError(f"division by zero: {_formula(left)} {op} {_formula(right)}") from None
    except OverflowError:
        raise TemplateError("a number overflowed") from None
    _finite(result)
    return result


def _sources(x: Any) -> tuple[Any, ...]:
    return x.sources if isinstance(x, Value) else ()


def _exact_places(op: str, left: Any, right: Any) -> int | None:
    """A sum or difference prints with the places of its finest part; a product has none."""
    if op not in ("+", "-"):
        return None
    return max(_places(left), _places(right))


def _value_op(op: str, left: Any, right: Any) -> Value:
    result = _value_result(op, left, right)
    label_op = SHOWN.get(op, op)
    return Value(
        result,
        unit=_unit(op, left, right),
        label=f"{_label(left)}{label_op}{_label(right)}",
        sources=_sources(left) + _sources(right),
        formula=f"({_formula(left)}){label_op}({_formula(right)})",
        decimals=_exact_places(op, left, right),
    )


def _label(x: Any) -> str:
    return (x.label or str(x.value)) if isinstance(x, Value) else str(x)


# The checks that keep an operation on plain values from making something huge.
SIZE_CHECKS: dict[str, Callable[[Any, Any], None]] = {
    "*": _check_repeat, "%": _check_format, "**": _check_power,
}
