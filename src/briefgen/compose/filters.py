"""The figure filters: a value in, its Chinese statistical form out, never a lie.

Each filter returns a `Printed`: a plain `str` (no hidden characters; string
operations on it give ordinary strings) that also remembers the value, unit,
places and filter, so compose can enter it in the ledger when it is output.
A value prints with the places its cell was typed with (`Value.decimals`);
units are part of the value: `pct`/`pp` refuse ‰, `pm`/`pmp` refuse %,
`yi` and `wan` convert money and refuse anything else. Rounding is half up.
"""

from __future__ import annotations

import datetime as dt
from decimal import InvalidOperation
from typing import Any

from briefgen.data import Value
from briefgen.errors import TemplateError
from briefgen.numbers import chinese_date, chinese_number, fixed

PERCENT_UNITS = ("%", "个百分点")
PERMILLE_UNITS = ("‰", "个千分点")
MONEY = {"元": 1.0, "万元": 1e4, "亿元": 1e8}


class Printed(str):
    """A figure's printed text, with what it was printed from (for the ledger)."""

    value: Value
    unit: str
    places: int | None
    filter: str

    def __new__(cls, text: str, value: Value, unit: str, places: int | None,
                filter: str) -> Printed:  # noqa: A002
        self = super().__new__(cls, text)
        self.value = value
        self.unit = unit
        self.places = places
        self.filter = filter
        return self


def as_value(v: Any) -> Value:
    """A Value for a plain number (a literal in the template); Values as they are."""
    if isinstance(v, Value):
        return v
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TemplateError(f"'{v}' is not a number")
    return Value(v, label=str(v))


def _number(v: Value) -> float:
    if not v.is_number:
        if v.is_missing:
            v.number()  # a DataError naming the unpublished cell
        raise TemplateError(f"'{v.label}' is text ('{v.value}'), not a number")
    return v.number()


def _is_places(decimals: Any) -> bool:
    return isinstance(decimals, int) and not isinstance(decimals, bool) and 0 <= decimals <= 10


def _places(v: Value, decimals: int | None, default: int = 1) -> int:
    if decimals is None:
        return v.decimals if v.decimals is not None else default
    if not _is_places(decimals):
        raise TemplateError(f"decimal places must be a whole number 0–10, not '{decimals}'")
    return decimals


def _digits(x: float, places: int) -> str:
    try:
        return fixed(x, places)
    except (InvalidOperation, ValueError, OverflowError):
        raise TemplateError(f"the number {x} is too large to print") from None


def _refuse(v: Value, units: tuple[str, ...], name: str, instead: str) -> None:
    if v.unit in units:
        raise TemplateError(f"'{name}' on '{v.label}', which is in {v.unit}",
                            hint=f"use '{instead}' for a value in {v.unit}")


def _printed(text: str, v: Value, unit: str, places: int | None, name: str) -> Printed:
    return Printed(text, v, unit, places, name)


def f_num(v: Any, decimals: int | None = None) -> Printed:
    """982.7 — the digits alone."""
    v = as_value(v)
    p = _places(v, decimals)
    return _printed(_digits(_number(v), p), v, "", p, "num")


def f_q(v: Any, decimals: int | None = None) -> Printed:
    """279.8万人 — digits and the value's own unit."""
    v = as_value(v)
    p = _places(v, decimals)
    return _printed(_digits(_number(v), p) + v.unit, v, v.unit, p, "q")


def _money(v: Any, decimals: int | None, target: str, name: str) -> Printed:
    v = as_value(v)
    factor = _money_scale(v, name) / MONEY[target]
    p = _places(v, _money_places(v, decimals, factor))
    return _printed(_digits(_number(v) * factor, p) + target, v, target, p, name)


def _money_scale(v: Value, name: str) -> float:
    """How many yuan one of the value's unit is; an error for a value that is not money."""
    scale = MONEY.get(v.unit)
    if scale is None:
        shown = f"in '{v.unit}'" if v.unit else "without a unit"
        raise TemplateError(f"'{name}' on '{v.label}', which is {shown}, not money")
    return scale


def _money_places(v: Value, decimals: int | None, factor: float) -> int | None:
    """The places money prints with after converting by `factor`, unless asked for."""
    if factor == 1:
        return _places(v, decimals)
    if decimals is not None:
        return decimals
    return max((v.decimals or 0) - 4, 0) if factor > 1 else 1  # 亿元 → 万元: four places fewer


def f_yi(v: Any, decimals: int | None = None) -> Printed:
    """982.7亿元 — money in 亿元 (converted from 万元 or 元)."""
    return _money(v, decimals, "亿元", "yi")


def f_wan(v: Any, decimals: int | None = None) -> Printed:
    """52.9万元 — money in 万元 (converted from 元 or 亿元)."""
    return _money(v, decimals, "万元", "wan")


def f_pct(v: Any, decimals: int | None = None) -> Printed:
    """57.7% — a value in percent."""
    v = as_value(v)
    _refuse(v, PERMILLE_UNITS, "pct", "pm")
    p = _places(v, decimals)
    return _printed(_digits(_number(v), p) + "%", v, "%", p, "pct")


def f_pm(v: Any, decimals: int | None = None) -> Printed:
    """4.82‰ — a value in per mille."""
    v = as_value(v)
    _refuse(v, PERCENT_UNITS, "pm", "pct")
    p = _places(v, decimals)
    return _printed(_digits(_number(v), p) + "‰", v, "‰", p, "pm")


def f_pp(v: Any, decimals: int | None = None) -> Printed:
    """0.9个百分点 — a gap of percentages, unsigned (the prose says 高于/低于)."""
    v = as_value(v)
    _refuse(v, PERMILLE_UNITS, "pp", "pmp")
    p = _places(v, decimals)
    return _printed(_digits(abs(_number(v)), p) + "个百分点", v, "个百分点", p, "pp")


def f_pmp(v: Any, decimals: int | None = None) -> Printed:
    """1.2个千分点 — a gap of per-mille rates, unsigned."""
    v = as_value(v)
    _refuse(v, PERCENT_UNITS, "pmp", "pp")
    p = _places(v, decimals)
    return _printed(_digits(abs(_number(v)), p) + "个千分点", v, "个千分点", p, "pmp")


def f_growth(v: Any, decimals: int | None = None) -> Printed:
    """增长4.8% / 下降2.1% / 持平 — a rate of change by its sign (‰ stays ‰)."""
    v = as_value(v)
    p = _places(v, decimals)
    x = _number(v)
    digits = _digits(abs(x), p)
    sign = "‰" if v.unit in PERMILLE_UNITS else "%"
    if float(digits) == 0:
        return _printed("持平", v, sign, p, "growth")
    word = "增长" if x > 0 else "下降"
    return _printed(f"{word}{digits}{sign}", v, sign, p, "growth")


def f_higher(v: Any) -> str:
    """高于 / 低于 by the sign of a difference (a word, not a figure)."""
    return "高于" if _number(as_value(v)) >= 0 else "低于"


def _whole(v: Value, name: str) -> int:
    x = _number(v)
    if x != int(x):
        raise TemplateError(f"'{name}' on '{v.label}' ({x}), which is not a whole number")
    return int(x)


def f_rank(v: Any) -> Printed:
    """第8 — a rank."""
    v = as_value(v)
    return _printed(f"第{_whole(v, 'rank')}", v, "", 0, "rank")


def f_cn(v: Any) -> Printed:
    """八 — a small whole number in Chinese characters."""
    v = as_value(v)
    n = _whole(v, "cn")
    if not 0 <= n < 100:
        raise TemplateError(f"'cn' writes 0–99 in characters, not {n}")
    return _printed(chinese_number(n), v, v.unit, 0, "cn")


def f_zhdate(d: Any) -> str:
    """2024年5月14日."""
    if not isinstance(d, dt.date):
        raise TemplateError(f"'zhdate' on '{d}', which is not a date")
    return chinese_date(d)


FILTERS = {
    "num": f_num, "q": f_q, "yi": f_yi, "wan": f_wan, "pct": f_pct, "pp": f_pp,
    "pm": f_pm, "pmp": f_pmp, "growth": f_growth, "higher": f_higher, "rank": f_rank,
    "cn": f_cn, "zhdate": f_zhdate,
}
