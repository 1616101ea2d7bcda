"""markdown-it's inline tokens as model inlines, in one pass over the tokens.

Text, code and an image's alt text are text; **strong** and *emphasis* nest as
Strong and Emphasis; figure marks left by compose become `model.Bound`; a
`[^id]` reference becomes a footnote placeholder (see readers.footnotes). A
soft or hard break next to a Chinese character vanishes (Chinese has no spaces
between words), elsewhere it is a space. A link keeps its text only; raw HTML
is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.token import Token

from briefgen.compose.marks import split_marks, strip_marks
from briefgen.model import Bound, Emphasis, Inline, Strong, Text
from briefgen.readers import footnotes

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


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


class _Builder:
    """The containers open at this point: the root, then each Strong or Emphasis inside."""

    def __init__(self, children: list[Token]) -> None:
        self.children = children
        self.root: list[Inline] = []
        self.stack = [_Run(self.root)]

    def build(self) -> list[Inline]:
        for j, tok in enumerate(self.children):
            handler = HANDLERS.get(tok.type)
            if handler is not None:
                handler(self, j, tok)
        for run in reversed(self.stack):
            run.flush()
        return self.root

    def text(self, j: int, tok: Token) -> None:
        self.stack[-1].parts.append(tok.content)

    def line_break(self, j: int, tok: Token) -> None:
        if not _next_to_chinese(self.children, j):
            self.stack[-1].parts.append(" ")

    def open_style(self, j: int, tok: Token) -> None:
        run = self.stack[-1]
        run.flush()
        node: Strong | Emphasis = Strong([]) if tok.type == "strong_open" else Emphasis([])
        run.target.append(node)
        self.stack.append(_Run(node.children))

    def close_style(self, j: int, tok: Token) -> None:
        if len(self.stack) > 1:  # a stray close has nothing to end
            self.stack.pop().flush()

    def footnote(self, j: int, tok: Token) -> None:
        run = self.stack[-1]
        run.flush()
        run.target.append(footnotes.placeholder(tok))


# link_open/close and html_inline have no handler: a link keeps its text, HTML is dropped.
HANDLERS: dict[str, Callable[[_Builder, int, Token], None]] = {
    "text": _Builder.text, "code_inline": _Builder.text, "image": _Builder.text,
    "softbreak": _Builder.line_break, "hardbreak": _Builder.line_break,
    "strong_open": _Builder.open_style, "em_open": _Builder.open_style,
    "strong_close": _Builder.close_style, "em_close": _Builder.close_style,
    "footnote_ref": _Builder.footnote,
}


def _next_to_chinese(children: list[Token], j: int) -> bool:
    """Whether the character before or after the break at j is Chinese."""
    before = strip_marks(children[j - 1].content)[-1:] if j > 0 else ""
    after = strip_marks(children[j + 1].content)[:1] if j + 1 < len(children) else ""
    return bool(CJK.match(before or " ") or CJK.match(after or " "))


def read_inlines(children: list[Token]) -> list[Inline]:
    """Inline tokens to model inlines."""
    return _Builder(children).build()
