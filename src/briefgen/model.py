"""The document model: what every reader produces and every writer consumes.

Writers never parse text; anything they need to know (a heading's number, a
figure's caption, a table cell) is a field here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

# ---- inlines ---------------------------------------------------------------


@dataclass
class Text:
    text: str


@dataclass
class Bound(Text):
    """A figure printed from the data: its text, and its entry in the composition's ledger.

    A Bound is a Text, so a writer that only sets text needs nothing more; one that
    tags figures (the proof, the round trip) asks for Bound first.
    """

    figure: int = -1  # index into Composition.ledger


@dataclass
class Strong:
    children: list[Inline]


@dataclass
class Emphasis:
    children: list[Inline]


@dataclass
class Footnote:
    """A footnote: the reference mark where it stands, and the note's own inlines.

    `number` runs 1, 2, 3 through the document in order of reference (Word numbers
    its footnotes itself; the PDF prints this one). The note's figures stay Bound.
    """

    number: int
    children: list[Inline]


Inline = Text | Strong | Emphasis | Footnote


def walk_inlines(inlines: list[Inline]) -> Iterator[Text]:
    """Every Text (Bound included) under a run of inlines, in reading order; a footnote's
    text comes where its reference stands."""
    for node in inlines:
        if isinstance(node, Text):
            yield node
        else:
            yield from walk_inlines(node.children)


def footnotes(inlines: list[Inline]) -> Iterator[Footnote]:
    """The footnotes referenced in a run of inlines, in reading order."""
    for node in inlines:
        if isinstance(node, Footnote):
            yield node
        elif not isinstance(node, Text):
            yield from footnotes(node.children)


def drop_chars(inlines: list[Inline], n: int) -> list[Inline]:
    """The inlines without their first `n` characters of leading text (a typed label)."""
    out = list(inlines)
    while n > 0 and out and isinstance(out[0], Text):
        first = out[0]
        if len(first.text) <= n:
            n -= len(first.text)
            out.pop(0)
        else:
            out[0] = replace(first, text=first.text[n:])
            n = 0
    return out


def plain_text(inlines: list[Inline]) -> str:
    """The characters of a run of inlines, without any formatting (nor footnotes: a
    note is not part of the running text)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif not isinstance(node, Footnote):
            out.append(plain_text(node.children))
    return "".join(out)


# ---- blocks ----------------------------------------------------------------


@dataclass
class Heading:
    level: int  # 1..4
    number: str  # the Chinese numbering prefix, "一、", "（一）", "1.", "（1）"
    inlines: list[Inline]
    where: str = ""  # "sections/problems.md:12": the file and line the block came from

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


@dataclass
class Paragraph:
    inlines: list[Inline]
    where: str = ""  # "sections/problems.md:12": the file and line the block came from

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Inline]]
    where: str = ""  # "sections/problems.md:12": the file and line the block came from


@dataclass
class Table:
    number: int  # 表N
    caption: str
    header: list[str]
    rows: list[list[str]]
    align: list[str]  # per column: "left", "center", "right"
    source: str = ""  # 数据来源：… line under the table
    id: str = ""  # the table's id (`: 标题 {#id}`), for tab()
    where: str = ""  # "sections/problems.md:12": the file and line the block came from


@dataclass
class Figure:
    chart_id: str
    number: int  # 图N
    caption: str
    png: Path  # raster for Word, at least 300 dpi
    ops: Path | None = None  # the chart's PDF operators (charts cache), for the PDF writer
    source: str = ""  # 数据来源：… line under the caption
    note: str = ""  # 注：… under the source: what the chart leaves out (not published)
    width_ratio: float = 1.0  # of the text width
    aspect: float = 0.6  # height / width
    where: str = ""  # "sections/problems.md:12": the file and line the block came from


@dataclass
class Note:
    """An acknowledgement or remark set apart from the body (注：…)."""

    label: str
    inlines: list[Inline]
    where: str = ""  # "sections/problems.md:12": the file and line the block came from


Block = Heading | Paragraph | ListBlock | Table | Figure | Note


# ---- front and end matter --------------------------------------------------


@dataclass
class Masthead:
    institute: str
    series: str
    slogan: str
    issue_label: str  # 第3期（总第12期）
    date_text: str  # 2024年5月14日


@dataclass
class Author:
    name: str
    bio: str = ""


@dataclass
class BoardRole:
    role: str  # 策划, 主编, 编委, 编辑
    names: list[str]


@dataclass
class EndMatter:
    note: str = ""  # 注：感谢……
    authors: list[Author] = field(default_factory=list)
    board_title: str = ""
    board: list[BoardRole] = field(default_factory=list)
    contact: str = ""
    disclaimer: str = ""
    feedback: str = ""


@dataclass
class Meta:
    title: str
    authors: list[str]
    date: date
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    language: str = "zh-CN"


@dataclass
class Document:
    meta: Meta
    masthead: Masthead
    title: str
    title_lines: list[str]  # the title broken into balanced lines
    author_line: str
    body: list[Block]
    end: EndMatter

    def headings(self) -> list[Heading]:
        return [b for b in self.body if isinstance(b, Heading)]

    def figures(self) -> list[Figure]:
        return [b for b in self.body if isinstance(b, Figure)]
