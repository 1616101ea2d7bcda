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
    whole = [x.rstrip() for x in lines[1:4]]
    for k in range(3):
        first = line - 1 + k  # 0-based index of the chunk's first line
        if first + len(whole) >= len(source) + 1 or first < 0:
            break
        if not source[first].rstrip().endswith(lines[0].rstrip()):
            continue
        if [x.rstrip() for x in source[first + 1:first + 1 + len(whole)]] == whole:
            return first + 1
    return None


def mapped(gen: Iterator[str], locate: Locate, fallback: str,
           body: tuple[str, LineMap] | None = None,
           max_chars: int = 4_000_000) -> tuple[list[str], LineMap]:
    """Run a template's generator; its chunks and the map of the lines they make.

    More than `max_chars` of output is a TemplateError (the output cap).
    """
    chunks: list[str] = []
    linemap = LineMap()
    current = 1
    total = 0
    for chunk in gen:
        total += len(chunk)
        frame = _innermost(gen)
        if total > max_chars:
            file, line, _ = locate(frame) if frame is not None else (fallback, None, [])
            raise TemplateError(f"the template prints more than {max_chars} characters",
                                file, line)
        if body is not None and len(chunk) == len(body[0]) and chunk == body[0]:
            linemap.splice(body[1], current - 1)
        elif frame is not None:
            file, line, source = locate(frame)
            literal = _literal_line(chunk, source, line) if line is not None else None
            linemap.add(current, file, literal or line, 1 if literal else 0)
        else:
            linemap.add(current, fallback, None, 0)
        chunks.append(chunk)
        current += chunk.count("\n")
    return chunks, linemap
