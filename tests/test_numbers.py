"""Chinese statistical number forms and heading numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.numbers import chinese_date, chinese_number, fixed, heading_number
from briefgen.typeset.cjk import balanced_lines, can_break_between


def test_fixed_rounds_half_up_like_statisticians() -> None:
    assert fixed(0.45, 1) == "0.5"
    assert fixed(2.675, 2) == "2.68"  # binary float 2.67499… would round down in Python
    assert fixed(57.718, 1) == "57.7"
    assert fixed(98.48, 1) == "98.5"
    assert fixed(4.0, 1) == "4.0"


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False))
def test_fixed_matches_decimal_half_up(x: Decimal) -> None:
    expected = str(x.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))
    if expected in ("-0.0",):
        expected = "0.0"
    assert fixed(float(x), 1).replace("-0.0", "0.0") == expected


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 14, 20, 21, 99)] == [
        "一", "九", "十", "十一", "十四", "二十", "二十一", "九十九"
    ]
    assert chinese_number(105) == "一百零五" and chinese_number(110) == "一百一十"


def test_chinese_hundreds_and_the_limits() -> None:
    assert [chinese_number(n) for n in (0, 100, 101, 119, 120, 305, 999)] == [
        "零", "一百", "一百零一", "一百一十九", "一百二十", "三百零五", "九百九十九"
    ]
    with pytest.raises(ValueError, match="digits"):
        chinese_number(1000)
    with pytest.raises(ValueError, match="negative"):
        chinese_number(-1)


def read_chinese(text: str) -> int:
    """A reader for 零 … 九百九十九, to check the writer against."""
    value, digit = 0, 0
    for ch in text:
        if ch in "十百":
            value += (digit or 1) * (10 if ch == "十" else 100)
            digit = 0
        else:
            digit = "零一二三四五六七八九".index(ch)
    return value + digit


@given(st.integers(0, 999))
def test_chinese_numbers_read_back_and_mark_a_missing_tens_with_zero(n: int) -> None:
    text = chinese_number(n)
    assert read_chinese(text) == n
    assert ("零" in text) == (n == 0 or (n > 100 and n % 100 < 10 and n % 100 != 0))
    assert text.startswith("十") == (10 <= n < 20)  # 十一, but 一百一十一


def test_heading_numbers_follow_the_house() -> None:
    assert heading_number(1, 3) == "三、"
    assert heading_number(2, 12) == "（十二）"
    assert heading_number(3, 2) == "2."
    assert heading_number(4, 10) == "（10）"


def test_chinese_date() -> None:
    assert chinese_date(dt.date(2024, 5, 14)) == "2024年5月14日"


def test_break_rules() -> None:
    assert not can_break_between("字", "，")
    assert not can_break_between("（", "字")
    assert not can_break_between("9", "8")  # 982.7 stays whole
    assert not can_break_between("—", "—")
    assert can_break_between("字", "字")


def test_balanced_title_lines() -> None:
    title = "推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
    lines = balanced_lines(title, 20)
    assert "".join(lines) == title
    assert len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 1
    short = "朝阳市工业发展研究"
    assert balanced_lines(short, 20) == [short]


@given(st.text(alphabet="发展新质生产力，。（）《》ABC12", min_size=1, max_size=80))
def test_balanced_lines_keep_every_character_and_the_rules(text: str) -> None:
    lines = balanced_lines(text, 12)
    assert "".join(lines) == text
    for a, b in zip(lines, lines[1:], strict=False):
        assert can_break_between(a[-1], b[0])
