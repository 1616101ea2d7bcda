"""The body of a briefgen .docx as model blocks, numbered again in the order they now stand.

Paragraphs are told apart by their Word style (found by name, as Word,
LibreOffice and WPS write it): headings by level, body text, notes, a picture
with its caption and source line, a table with its caption. Headings, figures
and tables are numbered here, so what staff inserted or deleted renumbers the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from briefgen.config.house import House
from briefgen.config.wordnames import BLOCK_PREFIX
from briefgen.model import (
    Block,
    Figure,
    Footnote,
    Heading,
    Inline,
    Note,
    Paragraph,
    Table,
    drop_chars,
    plain_text,
)
from briefgen.numbers import heading_number
from briefgen.readers.docx.figures import drawing_of, read_picture
from briefgen.readers.docx.runs import Piece, inlines, pieces

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = {"heading1": 1, "heading2": 2, "heading3": 3, "heading4": 4}
JC = {"left": "left", "start": "left", "right": "right", "end": "right", "center": "center"}


@dataclass
class Context:
    house: House
    part: Any  # the document part (for pictures)
    styles: dict[str, str]  # w:styleId -> house element
    chart_dirs: Sequence[Path]
    media_dir: Path
    reject: bool = False
    refs: dict[str, str] = field(default_factory=dict)  # caption bookmark -> 图N / 表N now
    dangling: set[str] = field(default_factory=set)
    origins: list[int | None] = field(default_factory=list)  # per block read: its _bg_b index
    notes: dict[str, Any] = field(default_factory=dict)  # footnote w:id -> its w:footnote
    numbers: dict[str, int] = field(default_factory=dict)  # footnote w:id -> 1, 2, 3 as read
    by_libreoffice: bool = False  # saved by LibreOffice (bookmark ends after a footnote)

    def element(self, p: Any) -> str:
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        sid = style.get(qn("w:val"), "") if style is not None else ""
        return self.styles.get(sid, "")

    def resolve(self, target: str) -> str | None:
        shown = self.refs.get(target)
        if shown is None and target.startswith("_Ref_"):
            self.dangling.add(target)
        return shown

    def inlines(self, p: Any) -> list[Inline]:
        return inlines(pieces(p, self.resolve, self.reject, self.footnote, self.by_libreoffice))

    def footnote(self, ident: str) -> Footnote | None:
        """The footnote of that id, numbered in order of reference (as Word numbers it); its
        note's paragraphs without Word's number and the blank after it."""
        note = self.notes.get(ident)
        if note is None:
            return None
        number = self.numbers.setdefault(ident, len(self.numbers) + 1)
        content: list[Piece] = []
        for p in note.iter(W + "p"):
            content += pieces(p, self.resolve, self.reject)
        return Footnote(number, inlines([x for x in _without_gap(content) if x.text]))

    def text(self, p: Any) -> str:
        return "".join(x.text for x in pieces(p, self.resolve, self.reject))


def _without_gap(content: list[Piece]) -> list[Piece]:
    """The note's text without the space Word writes after the note's number."""
    if content and content[0].text.startswith(" ") and content[0].figure is None:
        return [replace(content[0], text=content[0].text[1:]), *content[1:]]
    return content


def styled(elements: Sequence[Any], k: int, ctx: Context, element: str) -> Any | None:
    """The paragraph at index k if there is one there in that house element."""
    if 0 <= k < len(elements) and elements[k].tag == W + "p" \
            and ctx.element(elements[k]) == element:
        return elements[k]
    return None


def bookmarks(el: Any) -> list[str]:
    return [b.get(qn("w:name"), "") for b in el.iter(W + "bookmarkStart")]


def tagged(el: Any) -> bool:
    """Whether the writer marked this paragraph as the start of a body block."""
    return any(name.startswith(BLOCK_PREFIX) for name in bookmarks(el))


def origin(el: Any) -> int | None:
    """The body block index the writer tagged this element with (None: staff added it)."""
    for name in bookmarks(el):
        if name.startswith(BLOCK_PREFIX) and name[len(BLOCK_PREFIX):].isdigit():
            return int(name[len(BLOCK_PREFIX):])
    return None


def number_captions(elements: Sequence[Any], ctx: Context) -> None:
    """图N and 表N as they now stand: pictures and tables counted in order; the bookmarks
    on a caption (REF targets) get its new number."""
    labels = ctx.house.labels
    figures = tables = 0
    for i, el in enumerate(elements):
        if el.tag == W + "p" and drawing_of(el) is not None:
            figures += 1
            _show_number(ctx, styled(elements, i + 1, ctx, "caption"),
                         f"{labels.figure}{figures}")
        elif el.tag == W + "tbl":
            tables += 1
            _show_number(ctx, styled(elements, i - 1, ctx, "table_caption"),
                         f"{labels.table}{tables}")


def _show_number(ctx: Context, caption: Any | None, shown: str) -> None:
    """A REF to any bookmark on the caption prints `shown`."""
    if caption is not None:
        for name in bookmarks(caption):
            ctx.refs[name] = shown


def caption_of(text: str, label: str, gap: str) -> str:
    """The caption's own words: 图3　朝阳市土地利用结构 -> 朝阳市土地利用结构."""
    m = re.match(rf"^\s*{re.escape(label)}\s*\d*\s*", text)
    rest = text[m.end():] if m else text
    return rest[len(gap):] if gap and rest.startswith(gap) else rest.strip()


def read_blocks(elements: Sequence[Any], ctx: Context) -> list[Block]:
    number_captions(elements, ctx)
    return _BodyReader(elements, ctx).read()


class _BodyReader:
    """The body's elements in order, each table, picture or styled paragraph one block;
    a caption or source line is read with its table or figure."""

    def __init__(self, elements: Sequence[Any], ctx: Context) -> None:
        self.elements = elements
        self.ctx = ctx
        self.blocks: list[Block] = []
        self.counters = [0] * 5
        self.figures = self.tables = 0
        self.i = 0  # the next element to read
        self.by_tag = {W + "tbl": self.table, W + "p": self.paragraph}

    def read(self) -> list[Block]:
        while self.i < len(self.elements):
            el = self.elements[self.i]
            self.i += 1
            handler = self.by_tag.get(el.tag)
            if handler is not None:
                handler(el)
        return self.blocks

    def table(self, el: Any) -> None:
        labels = self.ctx.house.labels
        self.tables += 1
        prev = styled(self.elements, self.i - 2, self.ctx, "table_caption")
        caption = caption_of(self.ctx.text(prev), labels.table, labels.caption_gap) \
            if prev is not None else ""
        table = read_table(el, self.ctx, self.tables, caption)
        source = styled(self.elements, self.i, self.ctx, "source")
        if source is not None:
            table.source = self.ctx.text(source)
            self.i += 1
        self.add(table, prev if caption and prev is not None else el)

    def paragraph(self, el: Any) -> None:
        drawing = drawing_of(el)
        if drawing is not None:
            self.figures += 1
            figure, self.i = read_figure(drawing, self.elements, self.i, self.ctx, self.figures)
            self.add(figure, el)
            return
        element = self.ctx.element(el)
        if element == "table_caption" and self.i < len(self.elements) \
                and self.elements[self.i].tag == W + "tbl":
            return  # read with its table
        content = self.ctx.inlines(el)
        text = plain_text(content)
        if text.strip():
            self.add(self.text_block(element, content, text), el)

    def text_block(self, element: str, content: list[Inline], text: str) -> Block:
        if element in LEVELS:
            return self.heading(LEVELS[element], content)
        if element == "note":
            label = self.ctx.house.note_label if text.startswith(self.ctx.house.note_label) \
                else ""
            return Note(label, drop_chars(content, len(label)))
        return Paragraph(content)

    def heading(self, level: int, content: list[Inline]) -> Heading:
        """Numbered as it now stands: the deeper counters start again."""
        self.counters[level] += 1
        for deeper in range(level + 1, 5):
            self.counters[deeper] = 0
        return Heading(level, heading_number(level, self.counters[level]), content)

    def add(self, block: Block, tagged_el: Any) -> None:
        """The block, and the source block index of the element the writer tagged."""
        self.blocks.append(block)
        self.ctx.origins.append(origin(tagged_el))


def read_figure(drawing: Any, elements: Sequence[Any], i: int, ctx: Context,
                number: int) -> tuple[Figure, int]:
    labels = ctx.house.labels
    picture = read_picture(drawing, ctx.part, ctx.chart_dirs, ctx.media_dir)
    caption = ""
    caption_p = styled(elements, i, ctx, "caption")
    if caption_p is not None:
        caption = caption_of(ctx.text(caption_p), labels.figure, labels.caption_gap)
        i += 1
    source, note, i = _under_caption(elements, i, ctx)
    text_width = ctx.house.page.text_width_mm * 36000  # EMU per mm
    width = round(picture.cx / text_width, 4) if picture.cx else 1.0
    # Pixels round the drawn height: three places give back the chart's aspect.
    aspect = round(picture.cy / picture.cx, 3) if picture.cx else 0.6
    chart_id = picture.chart_id or f"picture-{number}"
    return Figure(chart_id=chart_id, number=number, caption=caption, png=picture.png,
                  ops=picture.ops, source=source, note=note, width_ratio=min(width, 1.0),
                  aspect=aspect), i


def _under_caption(elements: Sequence[Any], i: int, ctx: Context) -> tuple[str, str, int]:
    """A figure's source line and its note (注：…, what the chart leaves out), each in the
    source style, in that order, either one may be absent."""
    found = {"source": "", "note": ""}
    for kind in ("source", "note"):
        line = styled(elements, i, ctx, "source")
        text = ctx.text(line) if line is not None else ""
        if line is not None and text.startswith(ctx.house.note_label) == (kind == "note"):
            found[kind] = text
            i += 1
    return found["source"], found["note"], i


def read_table(tbl: Any, ctx: Context, number: int, caption: str) -> Table:
    rows: list[list[str]] = []
    align: list[str] = []
    for r, tr in enumerate(tbl.iter(W + "tr")):
        cells = [tc.findall(W + "p") for tc in tr.iter(W + "tc")]
        rows.append(["\n".join(ctx.text(p) for p in paragraphs) for paragraphs in cells])
        if r == 0:
            align = [_alignment(paragraphs) for paragraphs in cells]
    header = rows[0] if rows else []
    return Table(number=number, caption=caption, header=header, rows=rows[1:], align=align)


def _alignment(paragraphs: list[Any]) -> str:
    """A header cell's alignment, from its first paragraph's w:jc (centred when none)."""
    jc = paragraphs[0].find(f"{W}pPr/{W}jc") if paragraphs else None
    return JC.get(jc.get(qn("w:val"), "") if jc is not None else "", "center")
