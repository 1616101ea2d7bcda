"""The source map: each composed line back to the file and line the user edits.

A template renders as a stream of chunks; after each chunk the innermost
running template frame (followed through `yield from`, so includes map to the
included file) says which template line produced it. A chunk of literal text
advances line by line with its source; a printed expression stays on its line.
A section's body passed into a genre template keeps the body's own map.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType, GeneratorType
from typing import Any

from briefgen.errors import TemplateError

Where = tuple[str, int | None]
Locate = Callable[[FrameType], tuple[str, int | None, list[str]]]


@dataclass
class LineMap:
    """Composed line (1-based) → (file, line), as segments."""

    starts: list[int] = field(default_factory=list)
    places: list[tuple[str, int | None, int]] = field(default_factory=list)  # file, line, step

    def add(self, start: int, file: str, line: int | None, step: int) -> None:
        if self.starts and self.starts[-1] == start:
            self.starts.pop()
            self.places.pop()
        self.starts.append(start)
        self.places.append((file, line, step))

    def where(self, composed_line: int) -> Where:
        i = bisect_right(self.starts, composed_line) - 1
        if i < 0:
            return (self.places[0][0], None) if self.places else ("", None)
        file, line, step = self.places[i]
        if line is None:
            return file, None
        return file, line + step * (composed_line - self.starts[i])

    def splice(self, other: LineMap, offset: int) -> None:
        for start, place in zip(other.starts, other.places, strict=True):
            self.add(start + offset, *place)


def _innermost(gen: Any) -> FrameType | None:
    frame = None
    while isinstance(gen, GeneratorType):
        if gen.gi_frame is not None:
            frame = gen.gi_frame
        gen = gen.gi_yieldfrom
    return frame


def _literal_line(chunk: str, source: list[str], line: int) -> int | None:
    """The source line a chunk of the template's own text starts on (None: not literal).

    Jinja may date a chunk from the line of the tag before it (a trimmed newline),
    so the first few lines from `line` are tried.
    """
    lines = chunk.split("\n")
    if len(lines) < 2:
        return None
    following = _stripped(lines[1:4])
    for first in range(line - 1, line + 2):  # 0-based index of the chunk's first line
        if not _fits(first, len(following), source):
            break
        if _starts_at(source, first, lines[0], following):
            return first + 1
    return None


def _fits(first: int, following: int, source: list[str]) -> bool:
    """Whether source lines `first` and the `following` ones after it all exist."""
    return 0 <= first and first + following <= len(source)


def _starts_at(source: list[str], first: int, head: str, following: list[str]) -> bool:
    """Whether a chunk's first line ends source line `first` and its next lines follow it."""
    if not source[first].rstrip().endswith(head.rstrip()):
        return False
    return _stripped(source[first + 1:first + 1 + len(following)]) == following


def _stripped(lines: list[str]) -> list[str]:
    return [x.rstrip() for x in lines]


@dataclass
class _Mapper:
    """Enters each chunk of a template's output in the line map."""

    locate: Locate
    fallback: str
    body: tuple[str, LineMap] | None
    linemap: LineMap = field(default_factory=LineMap)

    def _body_map(self, chunk: str) -> LineMap | None:
        """The body's own map when the chunk is the section body passed into a genre template."""
        if self.body is None or len(chunk) != len(self.body[0]) or chunk != self.body[0]:
            return None
        return self.body[1]

    def enter(self, chunk: str, current: int, frame: FrameType | None) -> None:
        body_map = self._body_map(chunk)
        if body_map is not None:
            self.linemap.splice(body_map, current - 1)
        elif frame is None:
            self.linemap.add(current, self.fallback, None, 0)
        else:
            self._enter_template_text(chunk, current, frame)

    def _enter_template_text(self, chunk: str, current: int, frame: FrameType) -> None:
        """Literal text steps line by line with its source; printed output stays on its line."""
        file, line, source = self.locate(frame)
        literal = _literal_line(chunk, source, line) if line is not None else None
        self.linemap.add(current, file, literal or line, 1 if literal else 0)

    def too_long(self, frame: FrameType | None, max_chars: int) -> TemplateError:
        file, line, _ = self.locate(frame) if frame is not None else (self.fallback, None, [])
        return TemplateError(f"the template prints more than {max_chars} characters", file, line)


def mapped(gen: Iterator[str], locate: Locate, fallback: str,
           body: tuple[str, LineMap] | None = None,
           max_chars: int = 4_000_000) -> tuple[list[str], LineMap]:
    """Run a template's generator; its chunks and the map of the lines they make.

    More than `max_chars` of output is a TemplateError (the output cap).
    """
    mapper = _Mapper(locate, fallback, body)
    chunks: list[str] = []
    current = 1
    total = 0
    for chunk in gen:
        total += len(chunk)
        frame = _innermost(gen)
        if total > max_chars:
            raise mapper.too_long(frame, max_chars)
        mapper.enter(chunk, current, frame)
        chunks.append(chunk)
        current += chunk.count("\n")
    return chunks, mapper.linemap
