"""Comparing a typed number with a data value: units of one family, exact agreement,
and the slips people make (a sign, transposed digits, ×10, 万/亿 or 千/万, one digit)."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.analysis.check.candidates import Candidate
from briefgen.analysis.check.mentions import Mention
from briefgen.numbers import fixed

FAMILIES: dict[str, tuple[str, float]] = {
    "元": ("元", 1), "千元": ("元", 1e3), "万元": ("元", 1e4), "亿元": ("元", 1e8),
    "万亿元": ("元", 1e12), "人": ("人", 1), "万人": ("人", 1e4), "人次": ("人次", 1),
    "万人次": ("人次", 1e4), "户": ("户", 1), "万户": ("户", 1e4), "家": ("户", 1),
    "吨": ("吨", 1), "万吨": ("吨", 1e4), "亿吨": ("吨", 1e8), "千瓦": ("千瓦", 1),
    "万千瓦": ("千瓦", 1e4), "%": ("%", 1), "pp": ("pp", 1), "个百分点": ("pp", 1),
    "‰": ("‰", 1), "ppt": ("ppt", 1), "个千分点": ("ppt", 1), "位": ("位", 1),
}


PERCENT = ("%", "pp")  # percentages and their gaps: compared with each other only


def family(unit: str) -> tuple[str, float]:
    return FAMILIES.get(unit, (unit, 1.0))


def compatible(m: Mention, c: Candidate) -> bool:
    """Could the typed number be this value at all (same kind of quantity)?"""
    if m.kind == "rank" or c.kind == "rank":
        return m.kind == c.kind == "rank"
    return _units_match(m, c)


def _units_match(m: Mention, c: Candidate) -> bool:
    """Units of one family (万元, 亿元), percentages with percentage points."""
    mf, cf = family(m.unit)[0], family(c.unit)[0]
    if mf in PERCENT or cf in PERCENT:
        return mf in PERCENT and cf in PERCENT
    if not m.unit or not c.unit:
        return _unitless_match(m, c)
    return mf == cf or m.unit.startswith(c.unit) or c.unit.startswith(m.unit)


def _unitless_match(m: Mention, c: Candidate) -> bool:
    """A count (四个) may be a value in 个, 户 … or one without a unit; any number may be a
    value without a unit."""
    return m.kind == "count" and c.unit in ("个", "户", "种", "处", "") or not c.unit


def intended(m: Mention, c: Candidate) -> float:
    """The candidate's value in the typed number's unit and with the sentence's sign."""
    mf, mscale = family(m.unit)
    cf, cscale = family(c.unit)
    value = c.value * (cscale / mscale if mf == cf else 1.0)
    return value


def typed_value(m: Mention, c: Candidate) -> float:
    """What the prose says, signed as the candidate is (a rate of change or a gap takes
    its sign from 增长/下降, 高于/低于)."""
    if c.growth or c.kind == "gap":
        return m.signed
    return -m.value if m.negative else m.value


def agrees(m: Mention, c: Candidate) -> bool:
    places = m.decimals
    if m.digits[:1].isdigit() is False:  # Chinese numerals: whole numbers, 六成, 七分之一
        target = intended(m, c)
        if m.unit == "%":
            return _within_qualifier(m, target)
        return abs(target - m.value) < 1e-9
    if m.qualifier:
        return _within_qualifier(m, abs(intended(m, c)))
    return fixed(intended(m, c), places) == fixed(typed_value(m, c), places)


def _within_qualifier(m: Mention, target: float) -> bool:
    stated = m.value
    q = m.qualifier
    if q == "above":
        return target >= stated - 0.05
    if q == "below":
        return stated * 0.85 - 0.05 <= target <= stated + 0.05
    return abs(target - stated) <= max(1.0, stated * 0.08)


def _mantissa(x: float) -> str:
    text = f"{abs(x):.10g}"
    return text.replace(".", "").strip("0")


@dataclass(frozen=True)
class _Typed:
    """A typed number beside the data value it was meant to be."""

    m: Mention
    c: Candidate
    said: float  # what the prose says, signed as the value is
    meant: float  # the value in the typed unit

    @property
    def places(self) -> int:
        return self.m.decimals

    def digits(self, x: float) -> str:
        """The digits of |x| at the typed places, without the point."""
        return fixed(abs(x), self.places).replace(".", "")


def _sign(t: _Typed) -> str:
    p = t.places
    flipped = fixed(-t.meant, p) == fixed(t.said, p) and fixed(t.meant, p) != fixed(t.said, p)
    return "sign" if flipped else ""


def _transposed(t: _Typed) -> str:
    """Two neighbouring digits swapped: 57.7 for 75.7."""
    a, b = t.digits(t.said), t.digits(t.meant)
    if len(a) != len(b) or a == b or sorted(a) != sorted(b):
        return ""
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    return "transposed" if len(diffs) == 2 and diffs[1] == diffs[0] + 1 else ""


def _unit_slip(t: _Typed) -> bool:
    """The same digits in another unit of the family (万元 for 亿元)."""
    mf, cf = family(t.m.unit), family(t.c.unit)
    return mf[0] == cf[0] and mf != cf and fixed(t.m.value, t.places) == fixed(t.c.value, t.places)


def _scaled(t: _Typed) -> str:
    """The same digits times a power of ten: a slipped decimal point, or a unit."""
    said, meant = t.said, t.meant
    if not said or _mantissa(said) != _mantissa(meant) or abs(said) == abs(meant):
        return ""
    if _unit_slip(t):
        return "unit"
    ratio = abs(said) / abs(meant)
    return f"×{ratio:g}" if ratio > 1 else f"÷{1 / ratio:g}"


def _one_digit(t: _Typed) -> str:
    a, b = t.digits(t.said), t.digits(t.meant)
    return "digit" if len(a) == len(b) >= 3 and sum(x != y for x, y in zip(a, b, strict=True)) == 1 else ""


SLIPS = (_sign, _transposed, _scaled, _one_digit)  # in order: the first that fits names it


def slip(m: Mention, c: Candidate) -> str:
    """The kind of slip that makes the typed number out of the data value, or ""."""
    if not m.digits[:1].isdigit() or m.qualifier:
        return ""
    typed = _Typed(m, c, typed_value(m, c), intended(m, c))
    if typed.meant == 0:
        return ""
    return next((kind for kind in (find(typed) for find in SLIPS) if kind), "")


SLIP_WORDS = {
    "sign": "the sign is the wrong way round",
    "transposed": "two digits are transposed",
    "unit": "the unit is wrong (万/亿, 千/万)",
    "digit": "one digit differs",
}


def slip_words(kind: str) -> str:
    if kind.startswith(("×", "÷")):
        return f"it is the data value {kind} (a slipped decimal point or unit)"
    return SLIP_WORDS.get(kind, kind)
