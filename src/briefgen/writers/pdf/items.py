"""What the collector hands the flowable builder: the document's pieces, typed.

The collector walks the model once, noting every character each font role needs
(the fonts are planned before any text is measured); the builder makes
flowables of these items once the fonts are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from briefgen.config.house import Rule
from briefgen.model import Figure, Table
from briefgen.writers.pdf.drawings import Drawing
from briefgen.writers.pdf.text import Span


@dataclass
class TextItem:
    """A piece of text waiting for the fonts: its spans, style and where it stands."""

    spans: list[Span]
    style: str
    where: str
    outline: tuple[str, int] | None = None  # (title, level) of a heading
    body: bool = False  # body text (a paragraph, a list item): it may flow around a figure
    first: bool = True  # the first of a run of lines that share one space before (the title)
    last: bool = True  # the last of such a run: it takes the space after


@dataclass
class IssueItem:
    """The issue number at the left and the date at the right, on one line."""

    left: TextItem
    right: TextItem


@dataclass
class RuleItem:
    """The masthead's rule across the text block."""

    rule: Rule


def _no_drawing() -> Drawing | None:
    return None


@dataclass
class FigureItem:
    figure: Figure
    caption: TextItem
    source: TextItem | None
    note: TextItem | None = None  # what the chart leaves out, under the source
    # reads the chart's operators when it is drawn (`PdfWriter.items` sets it)
    read_drawing: Callable[[], Drawing | None] = _no_drawing


@dataclass
class TableItem:
    table: Table
    caption: TextItem | None
    cells: list[list[TextItem]]  # the header row first
    source: TextItem | None


@dataclass
class BoardRowItem:
    label: TextItem | None
    cells: list[TextItem]
    spans_all: bool = False  # the contact row: one cell across the name columns


@dataclass
class BoardItem:
    title: TextItem | None
    rows: list[BoardRowItem]
    columns: int  # name columns beside the label column
    label_width: float  # the label column, in points


Item = TextItem | IssueItem | RuleItem | FigureItem | TableItem | BoardItem
