"""Numbers as Chinese statistical prose writes them (GB/T 15835 conventions)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零一二三四五六七八九"


def fixed(x: float, decimals: int) -> str:
    """Round half up (as statisticians do, unlike Python's round) to `decimals` places."""
    quantum = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP))
    return "0" if text in ("-0", "-0.0") and decimals == 0 else text.replace("-0.", "-0.")


def chinese_number(n: int) -> str:
    """一, 二, …, 十, 十一, …, 九十九, 一百, 一百零五, 一百一十 (for enumeration and headings)."""
    if n < 0:
        raise ValueError("negative")
    if n >= 1000:
        raise ValueError("numbers from 1000 are written in digits")
    if n < 100:
        return _below_hundred(n)
    hundreds, rest = divmod(n, 100)
    return DIGITS[hundreds] + "百" + _after_hundreds(rest)


def _below_hundred(n: int) -> str:
    """零 … 九十九: 十 alone for one ten (十一, not 一十一)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def _after_hundreds(rest: int) -> str:
    """What follows 百: nothing, 零 and the ones, or the tens with 一十 spelt out (一百一十)."""
    if rest == 0:
        return ""
    if rest < 10:
        return "零" + DIGITS[rest]
    return ("一" if rest < 20 else "") + _below_hundred(rest)


def chinese_date(d: dt.date) -> str:
    """2024年5月14日."""
    return f"{d.year}年{d.month}月{d.day}日"


HEADING_FORMATS = {1: "{cn}、", 2: "（{cn}）", 3: "{n}.", 4: "（{n}）"}


def heading_number(level: int, n: int) -> str:
    """The house numbering: 一、 （一） 1. （1）."""
    return HEADING_FORMATS[level].format(cn=chinese_number(n), n=n)
