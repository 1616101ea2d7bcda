"""An edit of a paragraph's composed text carried over to its Markdown source.

The source is turned into a pattern over the composed text: literal text stands
for itself, a template tag (or a run of them) for whatever it printed, Markdown
markup for nothing. Each changed stretch of the composed text is then traced back
to the literal source text it came from and rewritten there; a change that would
alter part of what a tag printed, or cut a block tag from its end, is refused.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# a footnote's reference [^label] prints its number: like markup, not the text's
MARKUP = re.compile(r"^(#{1,4}[ \t]+|>[ \t]?|:[ \t]+)|\*\*|\*|\[\^[^\]\s]+\](?!:)", re.M)
BLOCK_OPEN = re.compile(r"\{%-?\s*(for|if|macro|call|filter|set\s+\w+\s*-?%\})")
BLOCK_CLOSE = re.compile(r"\{%-?\s*end(for|if|macro|call|filter|set)\b")
WILDCARD = "(.*?)"


def align_edit(source: str, old: str, new: str) -> str | None:
    """`source` with the change from `old` (its composed text) to `new` made in its literal
    text; None when the change touches text a template tag prints only in part."""
    pattern = SourcePattern.of(source)
    m = re.fullmatch("".join(pattern.parts), old, re.S)
    if m is None:
        return None
    where = Origins(m, pattern.groups)
    out = source
    for i1, i2, j1, j2 in _changes(old, new):
        at = where.replaced(out, i1, i2) if i1 < i2 else where.insertion(out, i1)
        if at is None:
            return None
        out = out[:at[0]] + new[j1:j2] + out[at[1]:]
    return out


def _changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    """The stretches old[i1:i2] that become new[j1:j2], the last first (so that making
    them in this order keeps the earlier offsets right)."""
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in reversed(ops) if tag != "equal"]


@dataclass(frozen=True)
class Group:
    """One group of the pattern: the source text it stands for, and whether a tag printed it."""

    start: int
    end: int
    is_tag: bool


@dataclass
class SourcePattern:
    """A paragraph's source as a regular expression over its composed text."""

    parts: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @classmethod
    def of(cls, source: str) -> SourcePattern:
        pattern = cls()
        pos = 0
        for start, end, is_tag in _tokens(source):
            if start < pos:
                continue
            pattern.literal(source, pos, start)
            if is_tag:
                pattern.wildcard(start, end)
            pos = end
        pattern.literal(source, pos, len(source))
        return pattern

    def literal(self, source: str, a: int, b: int) -> None:
        """Literal source text as groups, one per line (a newline prints nothing or a space)."""
        for k, part in enumerate(source[a:b].split("\n")):
            if k:
                self.parts.append("(\\s?)")
                self.groups.append(Group(a, a, True))  # a line break: like a tag printing nothing
            if part:
                self.parts.append("(" + re.escape(part) + ")")
                self.groups.append(Group(a, a + len(part), False))
            a += len(part) + 1

    def wildcard(self, start: int, end: int) -> None:
        """A template tag at source[start:end]; one right after a tag joins its wildcard."""
        if self.parts and self.parts[-1] == WILDCARD and self.groups[-1].end == start:
            self.groups[-1] = Group(self.groups[-1].start, end, True)
            return
        self.parts.append(WILDCARD)
        self.groups.append(Group(start, end, True))


def _blocks_balance(text: str) -> bool:
    """Does `text` close as many block tags ({% for %}, {% if %}, …) as it opens?"""
    return len(BLOCK_OPEN.findall(text)) == len(BLOCK_CLOSE.findall(text))


def _tokens(source: str) -> list[tuple[int, int, bool]]:
    """Template tags and Markdown markup outside them, as (start, end, is a tag), in order."""
    tags = [(m.start(), m.end(), True) for m in TAG.finditer(source)]
    markup = [(m.start(), m.end(), False) for m in MARKUP.finditer(source)
              if not any(s <= m.start() < e for s, e, _ in tags)]
    return sorted(tags + markup)


# A composed character's origin: its source offset (literal text), or the 1-based number
# of the tag group that printed it (with the group's source start).
Place = tuple[int, int | None]


class Origins:
    """Where each character of the composed text came from in the source."""

    def __init__(self, m: re.Match[str], groups: list[Group]) -> None:
        self.m, self.groups = m, groups
        self.places: list[Place] = [(0, None)] * len(m.string)
        for g, group in enumerate(groups, 1):
            a, b = m.span(g)
            for k in range(a, b):
                self.places[k] = (group.start, g) if group.is_tag else (group.start + k - a, None)

    def start(self, k: int) -> int:
        """Where in the source the text of composed character k starts."""
        offset, g = self.places[k]
        return offset if g is None else self.groups[g - 1].start

    def end(self, k: int) -> int:
        """Where in the source the text of composed character k ends."""
        offset, g = self.places[k]
        return offset + 1 if g is None else self.groups[g - 1].end

    def replaced(self, out: str, i1: int, i2: int) -> tuple[int, int] | None:
        """The source span of composed text i1..i2-1, when it may be replaced: whole tag
        outputs only, and as many block tags opened as closed."""
        if self._cuts_a_tag(i1, i2):
            return None
        start, end = self.start(i1), self.end(i2 - 1)
        return (start, end) if _blocks_balance(out[start:end]) else None

    def _cuts_a_tag(self, i1: int, i2: int) -> bool:
        """Does composed text i1..i2-1 hold part, not all, of what some tag printed?"""
        tags = {g for k in range(i1, i2) if (g := self.places[k][1]) is not None}
        return any(self.m.start(g) < i1 or self.m.end(g) > i2 for g in tags)

    def insertion(self, out: str, i1: int) -> tuple[int, int]:
        """The empty source span where text inserted before composed character i1 goes."""
        if i1 > 0:
            at = self.end(i1 - 1)
        elif self.places:
            at = self.start(0)
        else:
            at = len(out)
        return at, at
