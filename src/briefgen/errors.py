"""Errors a user can cause. Each one prints as one line: where, what, what to do."""

from __future__ import annotations

from pathlib import Path


class BriefError(Exception):
    """A mistake in the user's input: reported in one line, exit code 2."""

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        hint: str = "",
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.one_line())

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


def display_path(path: str | Path) -> str:
    """A path relative to the working folder when it is below it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
