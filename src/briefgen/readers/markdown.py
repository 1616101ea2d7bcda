"""The parse stage: composed Markdown in, document-model blocks out.

Authors write headings as Markdown levels (#, ##, ###, ####); the numbers
(一、 （一） 1. （1）) are given here, so inserting a section renumbers the rest.
A paragraph holding only ``![…](chart:ID)`` becomes a figure; a paragraph
``: 标题`` right before a table is that table's caption; a block quote that
starts with 注： is a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from markdown_it import MarkdownIt
from markdown_it.token import Token

from briefgen.errors import BriefError
from briefgen.model import (
    Block,
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
    plain_text,
)
from briefgen.numbers import heading_number

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
CHART_SRC = re.compile(r"^chart:([A-Za-z0-9_-]+)$")


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def parse(markdown: str, figures: Mapping[str, Figure], where: str = "") -> list[Block]:
    tokens = _markdown().parse(markdown)
    blocks: list[Block] = []
    counters = [0, 0, 0, 0, 0]
    pending_caption: str | None = None
    tables = 0
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            if level > 4:
                raise BriefError(f"heading level {level} is deeper than the house allows (4)", where,
                                 _line(tok), hint="use #, ##, ### or ####")
            if level > 1 and counters[level - 1] == 0:
                raise BriefError(
                    f"heading level {level} has no level-{level - 1} heading above it",
                    where, _line(tok), hint="add the parent heading or raise this one",
                )
            counters[level] += 1
            for deeper in range(level + 1, 5):
                counters[deeper] = 0
            inlines = _inlines(tokens[i + 1].children or [])
            blocks.append(Heading(level, heading_number(level, counters[level]), inlines))
            i += 3
            continue
        if tok.type == "paragraph_open":
            children = tokens[i + 1].children or []
            figure_id = _lone_chart(children)
            if figure_id is not None:
                if figure_id not in figures:
                    raise BriefError(f"chart '{figure_id}' has no drawing", where, _line(tok))
                blocks.append(figures[figure_id])
            else:
                inlines = _inlines(children)
                text = plain_text(inlines)
                if text.startswith(": ") or text.startswith("："):
                    pending_caption = text.lstrip(":： ").strip()
                else:
                    blocks.append(Paragraph(inlines))
            i += 3
            continue
        if tok.type == "table_open":
            end = _close(tokens, i, "table_close")
            tables += 1
            blocks.append(_table(tokens[i:end], tables, pending_caption or ""))
            pending_caption = None
            i = end + 1
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            end = _close(tokens, i, tok.type.replace("_open", "_close"))
            items = [
                _inlines(t.children or [])
                for t in tokens[i:end]
                if t.type == "inline" and t.level == tok.level + 3
            ]
            blocks.append(ListBlock(ordered=tok.type.startswith("ordered"), items=items))
            i = end + 1
            continue
        if tok.type == "blockquote_open":
            end = _close(tokens, i, "blockquote_close")
            inner = [_inlines(t.children or []) for t in tokens[i:end] if t.type == "inline"]
            flat: list[Inline] = []
            for part in inner:
                flat.extend(part)
            text = plain_text(flat)
            label = "注："
            if text.startswith(label):
                flat = _strip_prefix(flat, len(label))
            else:
                label = ""
            blocks.append(Note(label=label, inlines=flat))
            i = end + 1
            continue
        if tok.type in ("hr", "html_block", "code_block", "fence"):
            if tok.type in ("code_block", "fence") and tok.content.strip():
                blocks.append(Paragraph([Text(tok.content.strip())]))
            i += 1
            continue
        i += 1
    if pending_caption is not None:
        raise BriefError(f"table caption ': {pending_caption}' has no table after it", where)
    return blocks


def _line(tok: Token) -> int | None:
    return tok.map[0] + 1 if tok.map else None


def _close(tokens: list[Token], start: int, close_type: str) -> int:
    level = tokens[start].level
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == close_type and tokens[j].level == level:
            return j
    return len(tokens) - 1


def _lone_chart(children: list[Token]) -> str | None:
    meaningful = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(meaningful) == 1 and meaningful[0].type == "image":
        m = CHART_SRC.match(meaningful[0].attrGet("src") or "")
        if m:
            return m.group(1)
    return None


def parse_inline(text: str) -> list[Inline]:
    """One line of inline Markdown (a bio, a note in brief.yaml) as model inlines."""
    tokens = _markdown().parseInline(text)
    return _inlines(tokens[0].children or []) if tokens else []


def _inlines(children: list[Token]) -> list[Inline]:
    """Inline tokens to model inlines. A soft break between Chinese characters vanishes."""
    root: list[Inline] = []
    stack: list[list[Inline]] = [root]
    for j, tok in enumerate(children):
        if tok.type == "text" or tok.type == "code_inline":
            _append_text(stack[-1], tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            before = children[j - 1].content[-1:] if j > 0 else ""
            after = children[j + 1].content[:1] if j + 1 < len(children) else ""
            if not (CJK.match(before or " ") or CJK.match(after or " ")):
                _append_text(stack[-1], " ")
        elif tok.type == "strong_open":
            node = Strong([])
            stack[-1].append(node)
            stack.append(node.children)
        elif tok.type == "em_open":
            node_e = Emphasis([])
            stack[-1].append(node_e)
            stack.append(node_e.children)
        elif tok.type in ("strong_close", "em_close"):
            stack.pop()
        elif tok.type == "image":
            _append_text(stack[-1], tok.content)
        # link_open/close: keep the link's text only; html_inline is dropped.
    return root


def _append_text(target: list[Inline], text: str) -> None:
    if target and isinstance(target[-1], Text):
        target[-1].text += text
    else:
        target.append(Text(text))


def _strip_prefix(inlines: list[Inline], n: int) -> list[Inline]:
    out = list(inlines)
    while n > 0 and out:
        first = out[0]
        if isinstance(first, Text):
            if len(first.text) <= n:
                n -= len(first.text)
                out.pop(0)
            else:
                out[0] = Text(first.text[n:])
                n = 0
        else:
            break
    return out


def _table(tokens: list[Token], number: int, caption: str) -> Table:
    header: list[str] = []
    rows: list[list[str]] = []
    align: list[str] = []
    current: list[str] | None = None
    in_head = False
    for tok in tokens:
        if tok.type == "thead_open":
            in_head = True
        elif tok.type == "thead_close":
            in_head = False
        elif tok.type == "tr_open":
            current = []
        elif tok.type == "tr_close" and current is not None:
            if in_head:
                header = current
            else:
                rows.append(current)
        elif tok.type in ("th_open", "td_open") and in_head:
            style = tok.attrGet("style") or ""
            align.append(style.replace("text-align:", "") or "center")
        elif tok.type == "inline" and current is not None:
            current.append(plain_text(_inlines(tok.children or [])))
    return Table(number=number, caption=caption, header=header, rows=rows, align=align)
