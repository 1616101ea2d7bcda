"""Markdown footnotes: `[^id]` references and their `[^id]: text` definitions, as model Footnotes.

mdit-py-plugins' footnote plugin parses them: a reference becomes a
`footnote_ref` token (a placeholder `Footnote` here, numbered by the plugin's
id), the definitions a `footnote_block` at the end of the tokens. Once a
section's blocks are made, each placeholder gets the note's inlines and its
number in the whole document (1, 2, 3 in order of reference). A reference
without a definition, a definition never referenced, a note referenced twice
and a footnote inside a footnote are the author's mistakes: one line naming the
section file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from markdown_it.token import Token

from briefgen.errors import TemplateError
from briefgen.model import Block, Footnote, Heading, Inline, ListBlock, Note, Paragraph, footnotes

Where = Callable[[int], tuple[str, int | None]]
Inlines = Callable[[list[Token]], list[Inline]]
# what the plugin leaves as text: a reference whose label no definition has
UNDEFINED = re.compile(r"\[\^([^\]\s]+)\]")


def _fail(message: str, where: Where, line: int, hint: str = "") -> None:
    file, at = where(line)
    raise TemplateError(message, file, at, hint=hint)


def split_definitions(tokens: list[Token], inlines: Inlines) -> tuple[list[Token],
                                                                      dict[int, list[Inline]]]:
    """The tokens without the footnote block, and each note's inlines by the plugin's id."""
    bodies: dict[int, list[Inline]] = {}
    kept: list[Token] = []
    inside = False
    for tok in tokens:
        if tok.type in ("footnote_block_open", "footnote_block_close"):
            inside = tok.type == "footnote_block_open"
        elif inside:
            _read_definition(tok, bodies, inlines)
        else:
            kept.append(tok)
    return kept, bodies


def _read_definition(tok: Token, bodies: dict[int, list[Inline]], inlines: Inlines) -> None:
    """A token of the footnote block: a note opens, or the open note's text goes on."""
    if tok.type == "footnote_open":
        bodies[int(tok.meta["id"])] = []
    elif tok.type == "inline" and bodies:
        bodies[next(reversed(bodies))].extend(inlines(tok.children or []))


def check_references(tokens: Iterable[Token], where: Where) -> None:
    """No reference is left without a definition, and none is made twice."""
    for tok in tokens:
        if tok.type == "inline":
            line = tok.map[0] + 1 if tok.map else 1
            for child in tok.children or []:
                _check_reference(child, where, line)


def _check_reference(child: Token, where: Where, line: int) -> None:
    if child.type == "text" and (m := UNDEFINED.search(child.content)):
        _fail(f"footnote [^{m.group(1)}] has no definition", where, line,
              hint=f"add a line '[^{m.group(1)}]: …' below the paragraph")
    if child.type == "footnote_ref" and int(child.meta.get("subId", 0)) > 0:
        _fail(f"footnote [^{child.meta['label']}] is referenced more than once", where,
              line, hint="give each reference its own note")


def check_definitions(env: dict[str, object], markdown: str, where: Where) -> None:
    """Every definition is referenced somewhere in its section."""
    refs = env.get("footnotes", {})
    assert isinstance(refs, dict)
    for key, ident in refs.get("refs", {}).items():
        if ident < 0:
            label = key[1:]  # the plugin keys labels as ":label"
            _fail(f"footnote [^{label}] is defined but never referenced", where,
                  _definition_line(markdown, label),
                  hint=f"put [^{label}] where the note belongs, or remove the definition")


def _definition_line(markdown: str, label: str) -> int:
    start = re.compile(r"^ {0,3}\[\^" + re.escape(label) + r"\]:")
    for n, line in enumerate(markdown.splitlines(), 1):
        if start.match(line):
            return n
    return 1


def _block_inlines(block: Block) -> Iterator[list[Inline]]:
    if isinstance(block, Heading | Paragraph | Note):
        yield block.inlines
    elif isinstance(block, ListBlock):
        yield from block.items


def _references(blocks: list[Block]) -> Iterator[tuple[Block, Footnote]]:
    """Each footnote placeholder in reading order, with the block it stands in."""
    for block in blocks:
        for inlines in _block_inlines(block):
            for note in footnotes(inlines):
                yield block, note


def fill_notes(blocks: list[Block], bodies: dict[int, list[Inline]], numbered: int) -> int:
    """Give each placeholder its note and document-wide number; returns the last number."""
    for block, note in _references(blocks):
        numbered += 1
        note.children = bodies.get(note.number, [])
        note.number = numbered
        if any(True for _ in footnotes(note.children)):
            file, _, line = block.where.rpartition(":")
            raise TemplateError("a footnote inside a footnote", file or block.where,
                                int(line) if line.isdigit() else None,
                                hint="write the note's remark in its own words")
    return numbered


def placeholder(tok: Token) -> Footnote:
    """The reference as a Footnote holding the plugin's id until `fill_notes`."""
    return Footnote(number=int(tok.meta["id"]), children=[])
