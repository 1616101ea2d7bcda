"""The parse stage: composed Markdown in, document-model blocks out.

Authors write headings as Markdown levels (#, ##, ###, ####); the numbers
(一、 （一） 1. （1）) are given here, so inserting a section renumbers the rest.
A paragraph holding only ``![…](chart:ID)`` becomes a figure; a paragraph
``: 标题`` (or ``: 标题 { #id }``; ``{#`` alone opens a Jinja comment) right before a table is that table's caption;
a block quote that starts with 注： is a note; ``[^id]`` with its ``[^id]: …``
is a footnote (see readers.footnotes). Figure marks left by compose
become `model.Bound`. Each section is parsed on its own, so an error names the
file and line the user edits; numbering runs on across sections. Work is
linear in the text, and headings, nesting and table columns are capped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.compose.marks import strip_marks
from briefgen.config.house import Labels
from briefgen.errors import TemplateError
from briefgen.model import (
    Block,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Table,
    Text,
    drop_chars,
    plain_text,
    walk_inlines,
)
from briefgen.numbers import heading_number
from briefgen.readers import footnotes
from briefgen.readers.inlines import read_inlines

TAB_REF = re.compile(r"⟦tab:([A-Za-z0-9_-]+)⟧")
CHART_SRC = re.compile(r"^chart:([A-Za-z0-9_-]+)$")
CAPTION_ID = re.compile(r"\s*\{\s*#([A-Za-z0-9_-]+)\s*\}\s*$")  # {#id}; { #id } in a template
MAX_HEADINGS = 400
MAX_NESTING = 12
MAX_COLUMNS = 20
Where = Callable[[int], tuple[str, int | None]]


class Section(Protocol):
    markdown: str

    def where(self, composed_line: int) -> tuple[str, int | None]: ...


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin,
                                                                        inline=False)


@dataclass
class _State:
    counters: list[int]
    headings: int = 0
    tables: int = 0
    notes: int = 0  # footnotes numbered so far


@dataclass
class _Caption:
    """A table caption paragraph, waiting for the table after it."""

    title: str
    table_id: str
    token: Token | None = None


# a block token's reader: (tokens, index, where, place) -> the block or None, the next index
Handler = Callable[[list[Token], int, Where, str], tuple[Block | None, int]]


class Parser:
    """Blocks from one section after another, numbering headings and tables throughout."""

    def __init__(self, figures: Mapping[str, Figure]) -> None:
        self.figures = figures
        self.state = _State(counters=[0, 0, 0, 0, 0])
        self.md = _markdown()
        self.caption: _Caption | None = None  # read, its table not yet
        # block tokens by type; any other (a rule, stray HTML) is passed over
        self.handlers: dict[str, Handler] = {
            "heading_open": self._heading, "paragraph_open": self._paragraph,
            "table_open": self._table, "blockquote_open": self._quote,
            "bullet_list_open": self._list, "ordered_list_open": self._list,
            "code_block": self._code, "fence": self._code,
        }

    def feed(self, markdown: str, where: Where) -> list[Block]:
        env: dict[str, object] = {}
        tokens = self.md.parse(markdown, env)
        footnotes.check_references(tokens, where)
        footnotes.check_definitions(env, markdown, where)
        tokens, notes = footnotes.split_definitions(tokens, read_inlines)
        blocks = self._blocks(tokens, where)
        self.state.notes = footnotes.fill_notes(blocks, notes, self.state.notes)
        return blocks

    def _blocks(self, tokens: list[Token], where: Where) -> list[Block]:
        blocks: list[Block] = []
        self.caption = None
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            place = self._place(tok, where)
            if tok.level > MAX_NESTING:
                self._fail(f"lists or quotes nest deeper than {MAX_NESTING} levels", tok, where)
            handler = self.handlers.get(tok.type)
            if handler is None:
                i += 1
                continue
            block, i = handler(tokens, i, where, place)
            if block is not None:
                blocks.append(block)
        if self.caption is not None:
            self._fail(f"table caption ': {self.caption.title}' has no table after it",
                       self.caption.token, where)
        return blocks

    # -- blocks ------------------------------------------------------------------
    def _heading(self, tokens: list[Token], i: int, where: Where,
                 place: str) -> tuple[Block | None, int]:
        tok = tokens[i]
        level = int(tok.tag[1])
        self._check_level(level, tok, where)
        self.state.headings += 1
        if self.state.headings > MAX_HEADINGS:
            self._fail(f"more than {MAX_HEADINGS} headings", tok, where)
        counters = self.state.counters
        counters[level] += 1
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        return Heading(level, heading_number(level, counters[level]),
                       read_inlines(tokens[i + 1].children or []), where=place), i + 3

    def _check_level(self, level: int, tok: Token, where: Where) -> None:
        """The house numbers four levels, each under a heading one level up."""
        if level > 4:
            self._fail(f"heading level {level} is deeper than the house allows (4)", tok, where,
                       hint="use #, ##, ### or ####")
        if level > 1 and self.state.counters[level - 1] == 0:
            self._fail(f"heading level {level} has no level-{level - 1} heading above it", tok,
                       where, hint="add the parent heading or raise this one")

    def _paragraph(self, tokens: list[Token], i: int, where: Where,
                   place: str) -> tuple[Block | None, int]:
        """A figure, a table's caption (kept until its table) or body text."""
        tok, children = tokens[i], tokens[i + 1].children or []
        figure_id = _lone_chart(children)
        if figure_id is not None:
            if figure_id not in self.figures:
                self._fail(f"chart '{figure_id}' has no drawing", tok, where)
            return replace(self.figures[figure_id], where=place), i + 3
        inlines = read_inlines(children)
        text = plain_text(inlines)
        if text.startswith(": ") or text.startswith("："):
            self.caption = _Caption(*_caption(text.lstrip(":： ").strip()), token=tok)
            return None, i + 3
        return Paragraph(inlines, where=place), i + 3

    def _table(self, tokens: list[Token], i: int, where: Where,
               place: str) -> tuple[Block | None, int]:
        end = _close(tokens, i, "table_close")
        rows = tokens[i:end]
        caption, self.caption = self.caption or _Caption("", ""), None
        self.state.tables += 1
        cell_with_note = next((tok for tok in rows if _has_footnote(tok)), None)
        if cell_with_note is not None:
            self._fail("a footnote in a table cell (the table prints plain text)",
                       cell_with_note, where, hint="put the footnote in the text before the table")
        table = _table(rows, self.state.tables, caption.title)
        if len(table.header) > MAX_COLUMNS:
            self._fail(f"a table of {len(table.header)} columns (the page holds {MAX_COLUMNS})",
                       rows[0], where)
        return replace(table, id=caption.table_id, where=place), end + 1

    def _list(self, tokens: list[Token], i: int, where: Where,
              place: str) -> tuple[Block | None, int]:
        tok = tokens[i]
        end = _close(tokens, i, tok.type.replace("_open", "_close"))
        items = [read_inlines(t.children or []) for t in tokens[i:end]
                 if t.type == "inline" and t.level == tok.level + 3]  # an item's own text
        return ListBlock(ordered=tok.type.startswith("ordered"), items=items,
                         where=place), end + 1

    def _quote(self, tokens: list[Token], i: int, where: Where,
               place: str) -> tuple[Block | None, int]:
        """A block quote is a note; one that starts with 注： keeps that as its label."""
        end = _close(tokens, i, "blockquote_close")
        flat: list[Inline] = []
        for t in tokens[i:end]:
            if t.type == "inline":
                flat.extend(read_inlines(t.children or []))
        label = "注：" if plain_text(flat).startswith("注：") else ""
        if label:
            flat = drop_chars(flat, len(label))
        return Note(label=label, inlines=flat, where=place), end + 1

    def _code(self, tokens: list[Token], i: int, where: Where,
              place: str) -> tuple[Block | None, int]:
        """Code is printed as a plain paragraph (the house has no code style)."""
        content = tokens[i].content
        if not content.strip():
            return None, i + 1
        return Paragraph([Text(strip_marks(content).strip())], where=place), i + 1

    # -- places ------------------------------------------------------------------
    @staticmethod
    def _place(tok: Token, where: Where) -> str:
        if not tok.map:
            return ""
        file, line = where(tok.map[0] + 1)
        return f"{file}:{line}" if line else file

    @staticmethod
    def _fail(message: str, tok: Token, where: Where, hint: str = "") -> None:
        file, line = where(tok.map[0] + 1) if tok.map else where(1)
        raise TemplateError(message, file, line, hint=hint)


def parse(markdown: str, figures: Mapping[str, Figure], where: str = "") -> list[Block]:
    """Blocks of one Markdown text; errors name `where` and the line in it."""
    return Parser(figures).feed(markdown, lambda n: (where, n))


def parse_sections(sections: Iterable[Section], figures: Mapping[str, Figure],
                   labels: Labels | None = None) -> list[Block]:
    """Blocks of composed sections, each parsed on its own with its source map; tab(id)
    printed with the house's table label (default: the house defaults, 表)."""
    parser = Parser(figures)
    blocks: list[Block] = []
    for section in sections:
        blocks.extend(parser.feed(section.markdown, section.where))
    _resolve_table_refs(blocks, labels or Labels())
    return blocks


def _fail_at(where: str, message: str, hint: str = "") -> None:
    file, _, line = where.rpartition(":")
    if not line.isdigit():
        raise TemplateError(message, where or None, hint=hint)
    raise TemplateError(message, file, int(line), hint=hint)


def _block_texts(block: Block) -> list[Text]:
    if isinstance(block, Heading | Paragraph | Note):
        return list(walk_inlines(block.inlines))
    if isinstance(block, ListBlock):
        return [t for item in block.items for t in walk_inlines(item)]
    return []


def _table_numbers(blocks: list[Block]) -> dict[str, int]:
    """The number of each table placed with an id; an id given twice is an error."""
    numbers: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Table) and block.id:
            if block.id in numbers:
                _fail_at(block.where, f"table id '{block.id}' is given twice")
            numbers[block.id] = block.number
    return numbers


def _resolve_table_refs(blocks: list[Block], labels: Labels) -> None:
    """表N for each tab(id), from the tables placed with that id."""
    numbers = _table_numbers(blocks)

    def resolve(text: str, where: str) -> str:
        def number(m: re.Match[str]) -> str:
            if m.group(1) not in numbers:
                _fail_at(where, f"the text refers to table '{m.group(1)}', which no caption "
                         "names", hint="give the table's caption ': 标题 { #" + m.group(1) + " }'")
            return labels.cite("table", numbers[m.group(1)])

        return TAB_REF.sub(number, text) if "⟦tab:" in text else text

    for block in blocks:
        if isinstance(block, Table):
            block.rows = [[resolve(c, block.where) for c in row] for row in block.rows]
            continue
        for text in _block_texts(block):
            text.text = resolve(text.text, block.where)


def _caption(text: str) -> tuple[str, str]:
    m = CAPTION_ID.search(text)
    if m is None:
        return text, ""
    return text[: m.start()].strip(), m.group(1)


def _close(tokens: list[Token], start: int, close_type: str) -> int:
    level = tokens[start].level
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _has_footnote(tok: Token) -> bool:
    return any(c.type == "footnote_ref" for c in tok.children or [])


def _is_blank(tok: Token) -> bool:
    return tok.type == "text" and not tok.content.strip()


def _lone_chart(children: list[Token]) -> str | None:
    """The chart id of a paragraph that holds only ![…](chart:ID), else None."""
    meaningful = [c for c in children if not _is_blank(c)]
    if len(meaningful) != 1 or meaningful[0].type != "image":
        return None
    m = CHART_SRC.match(str(meaningful[0].attrGet("src") or ""))
    return m.group(1) if m else None


def parse_inline(text: str) -> list[Inline]:
    """One line of inline Markdown (a bio, a note in brief.yaml) as model inlines."""
    tokens = _markdown().parseInline(text)
    return read_inlines(tokens[0].children or []) if tokens else []


def _table(tokens: list[Token], number: int, caption: str) -> Table:
    """The table's header (the rows in thead), its body rows and each column's alignment."""
    head_end = next((k for k, tok in enumerate(tokens) if tok.type == "thead_close"), 0)
    head, body = tokens[:head_end], tokens[head_end:]
    header_rows = _rows(head)
    align = [_alignment(tok) for tok in head if tok.type in ("th_open", "td_open")]
    return Table(number=number, caption=caption, header=header_rows[-1] if header_rows else [],
                 rows=_rows(body), align=align)


def _rows(tokens: list[Token]) -> list[list[str]]:
    """Each tr's cells as plain text."""
    rows: list[list[str]] = []
    for tok in tokens:
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows:
            rows[-1].append(plain_text(read_inlines(tok.children or [])))
    return rows


def _alignment(cell: Token) -> str:
    """A header cell's text-align (centred when the separator row gives none)."""
    return str(cell.attrGet("style") or "").replace("text-align:", "") or "center"
