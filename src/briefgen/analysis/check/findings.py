"""What check reports: a Finding (level, code, place, message, the fix) and the options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # an intended exception, marked by the author: shown, never counted


@dataclass
class Finding:
    level: str  # "error", "warning" or "note"
    code: str  # conflict, share, slip, direction, points, identity, range, total, moved, ...
    message: str
    file: str | None = None
    line: int | None = None
    suggestion: str = ""
    related: list[dict[str, Any]] = field(default_factory=list)  # other places involved
    text: str = ""  # the typed text the finding is about ("60%以上"), for the proof

    def where(self) -> str:
        if not self.file:
            return "(brief)"
        return f"{self.file}:{self.line}" if self.line else self.file

    def one_line(self) -> str:
        text = f"{self.where()}: {self.level}: {self.message}"
        if self.suggestion:
            text += f" — {self.suggestion}"
        return " ".join(text.split())

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
            "related": self.related,
            "text": self.text,
        }


@dataclass
class CheckOptions:
    factor: float = 2.0  # a figure moving by more than this factor since the previous issue
    pp_limit: float = 15.0  # a percentage moving by more than this many points
    previous: bool = True  # compare with data.previous when the brief names it
    warnings: bool = True  # False: only the error-level checks (what build runs)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    rank = {ERROR: 0, WARNING: 1, NOTE: 2}
    return sorted(findings, key=lambda f: (rank.get(f.level, 3), f.file or "", f.line or 0))
