"""What a data folder says about itself: the models of tables.yaml and facts.yaml.

tables.yaml maps the header text a bureau's file uses (or a pattern such as
``{year}年常住人口（万人）``) to stable column keys, so next year's file, whose
headers carry the new year, is read by the same description.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_HEADER_ROWS = 5


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnSpec(Strict):
    """One column: its header in the file (default: the key), label, unit and type."""

    header: str | None = None  # text or pattern with {year}; default: the column's key
    label: str = ""  # default: the header without its year and unit
    unit: str = ""  # default: the unit in the header's brackets, （万人）
    type: Literal["number", "int", "text"] = "number"


class TotalSpec(Strict):
    """The parts of a column should add up to a declared total (a fact)."""

    column: str
    fact: str
    tolerance: float = 0.5  # in the column's unit


class TableSpec(Strict):
    file: str
    title: str
    key: str
    sheet: str | None = None  # a sheet's name, or a pattern with {year}: a sheet per year
    header_row: int | None = Field(default=None, ge=1)  # the first header row; default: first non-blank
    header_rows: int = Field(default=1, ge=1, le=MAX_HEADER_ROWS)  # rows the header spans
    columns: dict[str, ColumnSpec] = Field(min_length=1)
    total: TotalSpec | None = None


class FactSpec(Strict):
    value: float | int | str | None
    unit: str = ""
    label: str
    source: str = ""
