"""Values with provenance: a figure, its unit, the text it was typed as, and its cells.

A `Value` is what templates see of the data. It keeps the cell's own text
(``9.0`` stays ``9.0``: `decimals` counts the places typed), its unit (``%``,
``‰``, ``万人``), and the cells it came from, so a figure printed in prose can
be traced back to a file, row and column. A cell the bureau did not publish
(未发布, —, …, blank) is a missing value: it can be shown as missing in a
table, but asking for its number is a `DataError` naming the cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from briefgen.errors import DataError
from briefgen.numbers import fixed

# How bureaus mark a figure they did not publish (compared after stripping blanks).
MISSING_MARKS = frozenset(
    {"", "未发布", "暂未发布", "未公布", "—", "——", "–", "-", "--", "…", "……", "...",
     "/", "／", "NA", "N/A", "n/a", "nan", "NaN", "无数据"}
)

# The unit a difference of two values of a unit is in.
DIFFERENCE_UNITS = {"%": "个百分点", "‰": "个千分点"}

_PLACES = re.compile(r"^[+-]?[\d,，]*\.(\d+)")


class NotInData(Exception):
    """A template asked for a fact, table, row or column the data does not have.

    Not a LookupError on purpose: Jinja would swallow that into an undefined.
    """


@dataclass(frozen=True)
class Cell:
    """Where a value was read: a file, and the row and column (or fact key) in it."""

    file: str
    row: int | None = None  # the line of a CSV, the row of a sheet, the line of a YAML fact
    column: str | None = None  # the header text as the file has it, or the fact's key
    text: str | None = None  # the cell's own text, as typed

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f":{self.row}"
        if self.column:
            where += f" [{self.column}]"
        return where


def is_missing_mark(text: str) -> bool:
    """True for a cell that says the figure was not published."""
    return text.strip() in MISSING_MARKS


def typed_places(text: str) -> int | None:
    """The decimal places a number was typed with: '9.0' → 1, '1,234' → 0, 'abc' → None."""
    cleaned = text.strip().rstrip("%‰").strip()
    if not re.match(r"^[+-]?(\d[\d,，]*)?(\.\d+)?$", cleaned) or not any(c.isdigit() for c in cleaned):
        return None
    m = _PLACES.match(cleaned)
    return len(m.group(1)) if m else 0


def places(x: Any) -> int | None:
    """Decimal places of a number as written without trailing zeros (None for text)."""
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    text = plain_number(float(x))
    return len(text.partition(".")[2])


def _column_words(cell: Cell, label: str) -> str:
    """How an error names a cell's column: by its header, or else by the value's label."""
    return f"column '{cell.column}'" if cell.column else (label or "a cell")


def _missing_number(column: str, text: str, file: str | None, row: int | None) -> DataError:
    return DataError(
        f"{column} is a missing number ({text.strip() or 'blank'}: not published), "
        "and the brief prints it",
        file, row, hint="fill in the cell, or leave the figure out of the prose",
    )


def plain_number(x: float) -> str:
    """A number without trailing zeros: 982.7, 436, 0.04."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


class Value:
    """A number or text from the data, with its unit, its label and its sources.

    Arithmetic between values (and with plain numbers, either way round) gives
    a derived value that keeps all the sources, so a difference printed in
    prose can still be traced to its cells.
    """

    __slots__ = ("value", "unit", "label", "sources", "formula", "decimals", "text")

    def __init__(
        self,
        value: float | int | str | None,
        unit: str = "",
        label: str = "",
        sources: tuple[Cell, ...] = (),
        formula: str = "",
        decimals: int | None = None,
        text: str | None = None,
    ) -> None:
        self.value = value  # None: not published
        self.unit = unit
        self.label = label
        self.sources = sources
        self.formula = formula
        self.text = text  # the cell's own text (None for a derived figure)
        # How many places the figure prints with by default: a cell what was typed;
        # a sum or difference the finest of its parts; a share one.
        if decimals is None and not formula:
            decimals = typed_places(text) if text is not None else None
            if decimals is None:
                decimals = places(value)
        self.decimals = decimals

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)

    @property
    def is_missing(self) -> bool:
        """True for a figure the source did not publish (未发布, —, blank)."""
        return self.value is None

    def _missing_error(self) -> DataError:
        if not self.sources:
            return _missing_number(self.label or "a cell", "", None, None)
        cell = self.sources[0]
        return _missing_number(_column_words(cell, self.label), cell.text or "", cell.file,
                               cell.row)

    def number(self) -> float:
        if self.value is None:
            raise self._missing_error()
        if not self.is_number:
            raise TypeError(f"{self.label or 'value'} is text ('{self.value}'), not a number")
        return float(self.value)

    def __float__(self) -> float:
        return self.number()

    def __int__(self) -> int:
        return int(self.number())

    def __str__(self) -> str:
        if self.value is None:
            raise self._missing_error()
        if not self.is_number:
            return str(self.value)
        if self.decimals is not None:
            return fixed(self.number(), self.decimals)
        return plain_number(self.number())

    def _relabel(self, label: str, formula: str) -> Value:
        """The same figure under another label and formula (for derived figures)."""
        return Value(self.value, self.unit, label, self.sources, formula, self.decimals)

    def __repr__(self) -> str:
        return f"Value({self.value!r}, unit={self.unit!r}, label={self.label!r})"

    # Arithmetic: derived values keep the sources of both sides.
    def _combine(self, other: Any, op: str, fn: Any, unit: str, swap: bool = False) -> Value:
        if not _is_operand(other):
            raise TypeError(f"cannot compute {self.label or 'a value'} {op} '{other}'")
        mine, theirs = _Operand.of(self), _Operand.of(other)
        sources = mine.sources + theirs.sources
        decimals = _exact_places(op, mine, theirs)
        left, right = (theirs, mine) if swap else (mine, theirs)
        label = f"{left.label}{op}{right.label}"
        if _divides_by_zero(op, right):
            raise ZeroDivisionError(f"{label}: division by zero")
        return Value(fn(left.number, right.number), unit=unit, label=label, sources=sources,
                     formula=f"({left.formula}){op}({right.formula})", decimals=decimals)

    def _difference_unit(self, other: Any) -> str:
        theirs = other.unit if isinstance(other, Value) else self.unit
        if theirs == self.unit:
            return DIFFERENCE_UNITS.get(self.unit, self.unit)
        return self.unit

    def __add__(self, other: Any) -> Value:
        return self._combine(other, "+", lambda a, b: a + b, self.unit)

    def __radd__(self, other: Any) -> Value:
        return self._combine(other, "+", lambda a, b: a + b, self.unit, swap=True)

    def __sub__(self, other: Any) -> Value:
        return self._combine(other, "-", lambda a, b: a - b, self._difference_unit(other))

    def __rsub__(self, other: Any) -> Value:
        return self._combine(other, "-", lambda a, b: a - b, self.unit, swap=True)

    def __mul__(self, other: Any) -> Value:
        return self._combine(other, "×", lambda a, b: a * b, self.unit)

    def __rmul__(self, other: Any) -> Value:
        return self._combine(other, "×", lambda a, b: a * b, self.unit, swap=True)

    def __truediv__(self, other: Any) -> Value:
        same = isinstance(other, Value) and other.unit == self.unit
        return self._combine(other, "÷", lambda a, b: a / b, "" if same else self.unit)

    def __rtruediv__(self, other: Any) -> Value:
        return self._combine(other, "÷", lambda a, b: a / b, "", swap=True)

    def __neg__(self) -> Value:
        return Value(-self.number(), self.unit, self.label, self.sources,
                     f"-({self.formula or self.label})", self.decimals)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return Value(abs(self.number()), self.unit, self.label, self.sources,
                     f"abs({self.formula or self.label})", self.decimals)

    def _key(self, other: Any) -> tuple[float, float]:
        if not _is_operand(other):
            raise TypeError(f"cannot compare {self.label or 'a value'} with '{other}'")
        return self.number(), (other.number() if isinstance(other, Value) else float(other))

    def __lt__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a < b

    def __le__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a <= b

    def __gt__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a > b

    def __ge__(self, other: Any) -> bool:
        a, b = self._key(other)
        return a >= b


def _is_operand(x: Any) -> bool:
    """What arithmetic with a Value accepts: a Value or a plain number (not a bool)."""
    return isinstance(x, Value | int | float) and not isinstance(x, bool)


@dataclass(frozen=True)
class _Operand:
    """One side of a Value's arithmetic: its number, label, formula, sources and places."""

    number: float
    label: str
    formula: str
    sources: tuple[Cell, ...]
    decimals: int | None

    @classmethod
    def of(cls, x: Value | float) -> _Operand:
        if isinstance(x, Value):
            return cls(x.number(), x.label, x.formula or x.label, x.sources, x.decimals)
        label = plain_number(float(x))
        return cls(float(x), label, label, (), places(x))


def _exact_places(op: str, a: _Operand, b: _Operand) -> int | None:
    """A sum or difference is as exact as its finest part; a product or quotient is not."""
    if op not in "+-":
        return None
    return max(a.decimals or 0, b.decimals or 0)


def _divides_by_zero(op: str, right: _Operand) -> bool:
    return op == "÷" and right.number == 0
