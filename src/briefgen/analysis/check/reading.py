"""The text check reads: passages (a block of prose or a brief.yaml text) with the spans
that are bound figures, and the figures themselves (check's view of the ledger).

`from_blocks` reads the document model's blocks (Bound inlines, each block's
`where`) and the composition's ledger.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.model import (
    Block,
    Bound,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Table,
    Text,
    walk_inlines,
)


@dataclass(frozen=True)
class Source:
    """A cell a figure was read from, with the cell's own text."""

    file: str
    row: int | None
    column: str | None
    text: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row is not None else "")
        return where + (f":{self.column}" if self.column else "")


@dataclass(frozen=True)
class Figure:
    """One printed figure: what check and the proof need of a ledger entry."""

    id: int
    text: str
    value: float | str
    unit: str
    places: int | None
    filter: str
    expression: str
    formula: str
    label: str
    sources: tuple[Source, ...]
    file: str
    line: int | None

    @property
    def number(self) -> float | None:
        return float(self.value) if isinstance(self.value, int | float) else None


@dataclass
class Passage:
    """A run of text the reader sees as one: a paragraph, a heading, a cell, a title."""

    file: str
    line: int | None
    text: str
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # start, end, figure id
    origin: str = "prose"  # prose, heading, table, brief.yaml

    def figure_at(self, pos: int) -> int | None:
        for start, end, figure in self.spans:
            if start <= pos < end:
                return figure
        return None


@dataclass
class Reading:
    passages: list[Passage]
    figures: list[Figure]
    sources: dict[str, list[str]] = field(default_factory=dict)  # file -> its lines

    def lines_of(self, file: str) -> list[str]:
        if file not in self.sources:
            try:
                text = Path(file).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
            self.sources[file] = text.splitlines()
        return self.sources[file]


def figure_from_entry(entry: Any) -> Figure:
    """A Figure from a compose.ledger.LedgerEntry (read by attribute, not imported)."""
    sources = tuple(
        Source(str(s.file), s.row, s.column, str(getattr(s, "text", "")))
        for s in getattr(entry, "sources", ())
    )
    return Figure(
        id=int(entry.id), text=str(entry.text), value=entry.value, unit=str(entry.unit),
        places=entry.places, filter=str(entry.filter), expression=str(entry.expression),
        formula=str(entry.formula), label=str(entry.label), sources=sources,
        file=str(entry.file), line=entry.line,
    )


def _inline_passage(file: str, line: int | None, inlines: Sequence[Inline], origin: str) -> Passage:
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    length = 0
    for node in walk_inlines(list(inlines)):
        if isinstance(node, Bound) and node.figure >= 0:
            spans.append((length, length + len(node.text), node.figure))
        parts.append(node.text)
        length += len(node.text)
    return Passage(file, line, "".join(parts), spans, origin)


def _where(block: Block, fallback: str) -> tuple[str, int | None]:
    where = str(getattr(block, "where", "") or fallback)
    file, _, line = where.rpartition(":")
    if file and line.isdigit():
        return file, int(line)
    return where, None


def _table_passages(block: Table, file: str, line: int | None) -> Iterator[Passage]:
    for row in [block.header, *block.rows]:
        yield from (Passage(file, line, str(cell), [], "table") for cell in row)


def _block_passages(block: Block, file: str, line: int | None) -> Iterator[Passage]:
    """A block's passages: its text, each list item, each table cell."""
    if isinstance(block, Paragraph | Note):
        yield _inline_passage(file, line, block.inlines, "prose")
    elif isinstance(block, Heading):
        yield _inline_passage(file, line, block.inlines, "heading")
    elif isinstance(block, ListBlock):
        yield from (_inline_passage(file, line, item, "prose") for item in block.items)
    elif isinstance(block, Table):
        yield from _table_passages(block, file, line)


def passages_of(blocks: Iterable[Block], fallback: str) -> Iterator[Passage]:
    for block in blocks:
        yield from _block_passages(block, *_where(block, fallback))


def from_blocks(blocks: Iterable[Block], ledger: Sequence[Any], fallback: str,
                texts: Iterable[Passage] = ()) -> Reading:
    """The reading of a parsed brief: its body blocks, then the brief.yaml texts."""
    figures = [figure_from_entry(e) for e in ledger]
    passages = list(passages_of(blocks, fallback))
    passages.extend(texts)
    return Reading(passages, figures)


def plain(passage_inlines: Sequence[Inline]) -> str:
    return "".join(n.text for n in walk_inlines(list(passage_inlines)) if isinstance(n, Text))
