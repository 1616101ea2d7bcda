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

from briefgen.compose.marks import split_marks, strip_marks
from briefgen.config.house import Labels
from briefgen.errors import TemplateError
from briefgen.model import (
    Block,
    Bound,
    Emphasis,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Strong,
    Table,
    Text,
    drop_chars,
    plain_text,
    walk_inlines,
)
from briefgen.numbers import heading_number
from briefgen.readers import footnotes

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
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


class Parser:
    """Blocks from one section after another, numbering headings and tables throughout."""

    def __init__(self, figures: Mapping[str, Figure]) -> None:
        self.figures = figures
        self.state = _State(counters=[0, 0, 0, 0, 0])
        self.md = _markdown()

    def feed(self, markdown: str, where: Where) -> list[Block]:
        env: dict[str, object] = {}
        tokens = self.md.parse(markdown, env)
        footnotes.check_references(tokens, where)
        footnotes.check_definitions(env, markdown, where)
        tokens, notes = footnotes.split_definitions(tokens, _inlines)
        blocks = self._blocks(tokens, where)
        self.state.notes = footnotes.fill_notes(blocks, notes, self.state.notes)
        return blocks

    def _blocks(self, tokens: list[Token], where: Where) -> list[Block]:
        blocks: list[Block] = []
        caption: tuple[str, str, Token] | None = None
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            place = self._place(tok, where)
            if tok.level > MAX_NESTING:
                self._fail(f"lists or quotes nest deeper than {MAX_NESTING} levels", tok, where)
            if tok.type == "heading_open":
                blocks.append(self._heading(tok, tokens[i + 1], where, place))
                i += 3
            elif tok.type == "paragraph_open":
                block, text = self._paragraph(tok, tokens[i + 1].children or [], where, place)
                if block is not None:
                    blocks.append(block)
                elif text is not None:
                    caption = (*_caption(text), tok)
                i += 3
            elif tok.type == "table_open":
                end = _close(tokens, i, "table_close")
                title, table_id = (caption[0], caption[1]) if caption else ("", "")
                blocks.append(self._table(tokens[i:end], title, table_id, where, place))
                caption = None
                i = end + 1
            else:
                block_or_none, i = self._other(tokens, i, place)
                if block_or_none is not None:
                    blocks.append(block_or_none)
        if caption is not None:
            self._fail(f"table caption ': {caption[0]}' has no table after it", caption[2], where)
        return blocks

    # -- blocks ------------------------------------------------------------------
    def _heading(self, tok: Token, inline: Token, where: Where, place: str) -> Heading:
        level = int(tok.tag[1])
        counters = self.state.counters
        if level > 4:
            self._fail(f"heading level {level} is deeper than the house allows (4)", tok, where,
                       hint="use #, ##, ### or ####")
        if level > 1 and counters[level - 1] == 0:
            self._fail(f"heading level {level} has no level-{level - 1} heading above it", tok,
                       where, hint="add the parent heading or raise this one")
        self.state.headings += 1
        if self.state.headings > MAX_HEADINGS:
            self._fail(f"more than {MAX_HEADINGS} headings", tok, where)
        counters[level] += 1
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        return Heading(level, heading_number(level, counters[level]),
                       _inlines(inline.children or []), where=place)

    def _paragraph(self, tok: Token, children: list[Token], where: Where,
                   place: str) -> tuple[Block | None, str | None]:
        figure_id = _lone_chart(children)
        if figure_id is not None:
            if figure_id not in self.figures:
                self._fail(f"chart '{figure_id}' has no drawing", tok, where)
            return replace(self.figures[figure_id], where=place), None
        inlines = _inlines(children)
        text = plain_text(inlines)
        if text.startswith(": ") or text.startswith("："):
            return None, text.lstrip(":： ").strip()
        return Paragraph(inlines, where=place), None

    def _table(self, tokens: list[Token], caption: str, table_id: str, where: Where,
               place: str) -> Table:
        self.state.tables += 1
        for tok in tokens:
            if any(c.type == "footnote_ref" for c in tok.children or []):
                self._fail("a footnote in a table cell (the table prints plain text)", tok,
                           where, hint="put the footnote in the text before the table")
        table = _table(tokens, self.state.tables, caption)
        if len(table.header) > MAX_COLUMNS:
            self._fail(f"a table of {len(table.header)} columns (the page holds {MAX_COLUMNS})",
                       tokens[0], where)
        return replace(table, id=table_id, where=place)

    def _other(self, tokens: list[Token], i: int, place: str) -> tuple[Block | None, int]:
        tok = tokens[i]
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            end = _close(tokens, i, tok.type.replace("_open", "_close"))
            items = [_inlines(t.children or []) for t in tokens[i:end]
                     if t.type == "inline" and t.level == tok.level + 3]
            return ListBlock(ordered=tok.type.startswith("ordered"), items=items,
                             where=place), end + 1
        if tok.type == "blockquote_open":
            end = _close(tokens, i, "blockquote_close")
            flat: list[Inline] = []
            for t in tokens[i:end]:
                if t.type == "inline":
                    flat.extend(_inlines(t.children or []))
            label = "注：" if plain_text(flat).startswith("注：") else ""
            if label:
                flat = drop_chars(flat, len(label))
            return Note(label=label, inlines=flat, where=place), end + 1
        if tok.type in ("code_block", "fence") and tok.content.strip():
            return Paragraph([Text(strip_marks(tok.content).strip())], where=place), i + 1
        return None, i + 1

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


def _resolve_table_refs(blocks: list[Block], labels: Labels) -> None:
    """表N for each tab(id), from the tables placed with that id."""
    numbers: dict[str, int] = {}
    for block in blocks:
        if isinstance(block, Table) and block.id:
            if block.id in numbers:
                _fail_at(block.where, f"table id '{block.id}' is given twice")
            numbers[block.id] = block.number

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


def _lone_chart(children: list[Token]) -> str | None:
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(meaningful) == 1 and meaningful[0].type == "image":
        m = CHART_SRC.match(str(meaningful[0].attrGet("src") or ""))
        if m:
            return m.group(1)
    return None


def parse_inline(text: str) -> list[Inline]:
    """One line of inline Markdown (a bio, a note in brief.yaml) as model inlines."""
    tokens = _markdown().parseInline(text)
    return _inlines(tokens[0].children or []) if tokens else []


class _Run:
    """One container of inlines being built, with its pending text (joined once)."""

    def __init__(self, target: list[Inline]) -> None:
        self.target = target
        self.parts: list[str] = []

    def flush(self) -> None:
        if not self.parts:
            return
        for text, figure in split_marks("".join(self.parts)):
            if figure is None:
                self.target.append(Text(text))
            else:
                self.target.append(Bound(text, figure=figure))
        self.parts = []


def _inlines(children: list[Token]) -> list[Inline]:
    """Inline tokens to model inlines, in one pass. A soft break between Chinese vanishes."""
    root: list[Inline] = []
    stack = [_Run(root)]
    for j, tok in enumerate(children):
        run = stack[-1]
        if tok.type in ("text", "code_inline", "image"):
            run.parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            before = strip_marks(children[j - 1].content)[-1:] if j > 0 else ""
            after = strip_marks(children[j + 1].content)[:1] if j + 1 < len(children) else ""
            if not (CJK.match(before or " ") or CJK.match(after or " ")):
                run.parts.append(" ")
        elif tok.type in ("strong_open", "em_open"):
            run.flush()
            node: Strong | Emphasis = Strong([]) if tok.type == "strong_open" else Emphasis([])
            run.target.append(node)
            stack.append(_Run(node.children))
        elif tok.type in ("strong_close", "em_close") and len(stack) > 1:
            stack.pop().flush()
        elif tok.type == "footnote_ref":
            run.flush()
            run.target.append(footnotes.placeholder(tok))
        # link_open/close: keep the link's text only; html_inline is dropped.
    for run in reversed(stack):
        run.flush()
    return root


def _table(tokens: list[Token], number: int, caption: str) -> Table:
    header: list[str] = []
    rows: list[list[str]] = []
    align: list[str] = []
    current: list[str] | None = None
    in_head = False
    for tok in tokens:
        if tok.type in ("thead_open", "thead_close"):
            in_head = tok.type == "thead_open"
        elif tok.type == "tr_open":
            current = []
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = current
            else:
                rows.append(current)
        elif tok.type in ("th_open", "td_open") and in_head:
            style = str(tok.attrGet("style") or "")
            align.append(style.replace("text-align:", "") or "center")
        elif tok.type == "inline" and current is not None:
            current.append(plain_text(_inlines(tok.children or [])))
    return Table(number=number, caption=caption, header=header, rows=rows, align=align)
