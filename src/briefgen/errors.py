"""Errors a user can cause, as one immutable, typed hierarchy.

Every error here is a mistake in the user's input or surroundings; it prints as
one line (where, what, what to do) and the command exits 2. Anything else that
escapes is a bug and keeps its traceback.

    BriefError            base: any user mistake
     ├── InputError       brief.yaml, house.yaml, paths, YAML itself
     ├── DataError        data folders, tables, cells, facts
     ├── TemplateError    section templates and prose (compose, parse)
     ├── FontError        a character or face the PDF cannot set
     └── OutputError      the output or cache folder cannot be written
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Self


class BriefError(Exception):
    """A mistake in the user's input: reported in one line, exit code 2. Immutable."""

    __slots__ = ("message", "file", "line", "hint")
    message: str
    file: str | None
    line: int | None
    hint: str

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "file", str(file) if file is not None else None)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "hint", hint)
        super().__init__(self.one_line())

    def __setattr__(self, name: str, value: Any) -> None:
        if name in BriefError.__slots__:
            raise AttributeError(f"{type(self).__name__} is immutable; use replace()")
        super().__setattr__(name, value)

    def replace(self, **changes: Any) -> Self:
        """A copy of this error (same class) with some fields changed."""
        fields: dict[str, Any] = {"message": self.message, "file": self.file, "line": self.line, "hint": self.hint}
        fields.update(changes)
        return type(self)(**fields)

    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def one_line(self) -> str:
        parts = [p for p in (self.where(), self.message) if p]
        text = ": ".join(parts)
        if self.hint:
            text += f" ({self.hint})"
        # One line, whatever the message carried in.
        return " ".join(text.split())


class InputError(BriefError):
    """brief.yaml, house.yaml, a path or the YAML itself is wrong."""


class DataError(BriefError):
    """A data folder, table, cell or fact is wrong or missing."""


class TemplateError(BriefError):
    """A section template or the prose it makes is wrong."""


class FontError(BriefError):
    """A character or face the PDF cannot set."""


class OutputError(BriefError):
    """The output or cache folder cannot be written."""


def display_path(path: str | Path) -> str:
    """A path relative to the working folder when it is below it, else as given.

    A link keeps its own name (the file the user sees), not its target's.
    """
    p = Path(path)
    cwd = Path.cwd().resolve()
    for candidate in (Path(os.path.abspath(p)), p.parent.resolve() / p.name):
        try:
            return str(candidate.relative_to(cwd))
        except ValueError:
            continue
    return str(p)
