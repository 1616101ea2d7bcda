"""The editorial board block as rows of cells, laid out once for both writers."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.config.house import House
from briefgen.model import EndMatter


@dataclass(frozen=True)
class BoardRow:
    label: str  # "策划：" on a role's first row, "" on its continuation rows
    cells: tuple[str, ...]  # the names of this row, or the one contact text
    spans_all: bool = False  # the contact row: one cell across every name column


@dataclass(frozen=True)
class BoardLayout:
    rows: tuple[BoardRow, ...]
    columns: int  # name columns beside the label column
    label_width_pt: float  # the label column's width

    @property
    def has_contact(self) -> bool:
        return bool(self.rows) and self.rows[-1].spans_all


def board_layout(end: EndMatter, house: House) -> BoardLayout:
    """Roles with their names, `names_per_row` to a row, then the contact row."""
    per_row = house.board_layout.names_per_row
    rows: list[BoardRow] = []
    for role in end.board:
        rows += _role_rows(f"{role.role}{house.labels.role_suffix}", role.names or [""], per_row)
    if end.contact:
        rows.append(BoardRow(house.labels.contact, (end.contact,), spans_all=True))
    width = house.board_layout.label_width_em * house.style("board").size
    return BoardLayout(tuple(rows), per_row, width)


def _role_rows(label: str, names: list[str], per_row: int) -> list[BoardRow]:
    """One role's names, `per_row` to a row; the label on the first row only."""
    return [BoardRow(label if i == 0 else "", tuple(names[i : i + per_row]))
            for i in range(0, len(names), per_row)]


def caption_text(house: House, kind: str, number: int, caption: str) -> str:
    """图1　… / 表1　…: the label, the number, the house gap, the caption."""
    return f"{house.labels.cite(kind, number)}{house.labels.caption_gap}{caption}"
