"""Numbers that are not statistics, told by the characters around them: codes (ISO 9001,
PM2.5, 5G, 024-62602446), 7×24, years, dates, ordinals (第19届), references (附件2),
enumerations ((1)) and identifiers (12345, postcodes)."""

from __future__ import annotations

import re
from dataclasses import dataclass

SPACES = " \t\u3000\u00a0"
ORDINAL_AFTER = ("期", "届", "章", "条", "款", "次", "批", "轮", "号", "版", "页", "节", "篇",
                 "季度", "部分", "个五年", "个百年", "代", "阶段", "产业", "是")
REFERENCE_BEFORE = ("附件", "附表", "附图", "图", "表", "专栏", "条例", "第")


@dataclass(frozen=True)
class _Around:
    """The characters either side of a typed number, for telling what it is."""

    before: str  # the four characters before it
    after: str  # the four after it
    digits: str
    unit: str

    @property
    def before_ns(self) -> str:
        return self.before.rstrip(SPACES)

    @property
    def whole(self) -> bool:
        return "." not in self.digits and "," not in self.digits


def _is_code(a: _Around) -> bool:
    """ISO 9001, GB/T 29490, PM2.5, 5G: letters touch the number."""
    return bool(re.search(r"[A-Za-z/]$", a.before_ns) or re.match(r"[A-Za-z]", a.after))


def _is_product(a: _Around) -> bool:
    """7×24小时."""
    return a.before.endswith(("×", "*", "x")) or a.after.startswith(("×", "*"))


def _is_numbered_code(a: _Around) -> bool:
    """024-62602446, 3.2.1, 10:30."""
    return bool(re.search(r"\d[-.]$", a.before)) or a.before.endswith(":") or a.after.startswith(":")


def _is_year(a: _Around) -> bool:
    """2023年, 2023—2025, 〔2023〕."""
    if not (a.whole and len(a.digits) == 4 and 1900 <= int(a.digits) <= 2100):
        return False
    closes = a.after[:1] in ("—", "–", "-", "~", "～", "至", "到", "〕", "]", "）", ")", "、")
    return a.unit == "年" or closes or a.before.endswith(("〔", "[", "（", "("))


def _is_date(a: _Around) -> bool:
    return a.whole and a.after.startswith(("月", "日", "号"))


def _is_ordinal(a: _Around) -> bool:
    """第19届, 第3期."""
    return a.before_ns.endswith("第") and a.after.startswith(ORDINAL_AFTER)


def _is_reference(a: _Around) -> bool:
    """附件2, 图1, 表2."""
    return a.before_ns.endswith(REFERENCE_BEFORE[:-1])


def _is_rank(a: _Around) -> bool:
    """第8, 第3位: a rank, which is a statistic."""
    return a.before_ns.endswith("第") and a.unit in ("", "位", "名")


def _is_enumeration(a: _Around) -> bool:
    """（1）加强组织领导."""
    return a.before_ns.endswith(("（", "(")) and a.after.startswith(("）", ")"))


def _is_identifier(a: _Around) -> bool:
    """Phone numbers, hotlines (12345), postcodes."""
    leading_zero = a.digits.startswith("0") and len(a.digits) > 1
    return a.whole and (leading_zero or len(a.digits) >= 5 and not a.unit)


# In order: the first that holds says what the number is ("": a statistic after all).
NOT_STATISTICS = (("code", _is_code), ("product", _is_product), ("code", _is_numbered_code),
                  ("year", _is_year), ("date", _is_date), ("ordinal", _is_ordinal),
                  ("reference", _is_reference), ("", _is_rank),
                  ("enumeration", _is_enumeration), ("identifier", _is_identifier))


def not_a_statistic(text: str, start: int, end: int, digits: str, unit: str) -> str:
    """Why a number is not a statistic ("" when it may be one)."""
    around = _Around(text[max(0, start - 4):start], text[end:end + 4], digits, unit)
    return next((why for why, holds in NOT_STATISTICS if holds(around)), "")
