"""Numbers written in Chinese characters: 四, 十四, 两百, 六成, 七分之一, 一倍."""

from __future__ import annotations

import re

DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
         "七": 7, "八": 8, "九": 9}
UNIT = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千"
RUN = re.compile(f"[{NUMERAL}]+")
FRACTION = re.compile(f"([{NUMERAL}]+)分之([{NUMERAL}]+)")


def _is_numerals(text: str) -> bool:
    return bool(text) and all(c in DIGIT or c in UNIT for c in text)


def chinese_value(text: str) -> int | None:
    """The integer a run of Chinese numerals writes, or None (一百零五 → 105, 十四 → 14)."""
    if not _is_numerals(text):
        return None
    total, digit = 0, None
    for c in text:
        if c in UNIT:
            total += (1 if digit is None else digit) * UNIT[c]
            digit = None
        elif digit:
            return None  # 二三: not a number but a list (二三产业)
        else:
            digit = DIGIT[c]
    return total + (digit or 0)


def fraction_value(text: str) -> float | None:
    """七分之一 → 1/7 (a ratio, not yet a percentage)."""
    m = FRACTION.fullmatch(text)
    if not m:
        return None
    whole, part = chinese_value(m.group(1)), chinese_value(m.group(2))
    if not whole or part is None:
        return None
    return part / whole
