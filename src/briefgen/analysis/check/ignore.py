"""Intended exceptions, written down: `<!-- check: ignore 60% the source's own rounding -->`
in the prose (it covers its own line and the two either side), or in brief.yaml

    check:
      ignore:
        - {text: "60%", reason: "the source's own rounding", file: sections/problems.md}

A finding on that text becomes a note carrying the reason (shown by check and the proof)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from briefgen.analysis.check.findings import ERROR, NOTE, WARNING, Finding
from briefgen.analysis.check.reading import Reading
from briefgen.config.brief import Spec
from briefgen.errors import BriefError

COMMENT = re.compile(r"<!--\s*check:\s*ignore\s+(\S+)\s*(.*?)\s*-->", re.S)


@dataclass(frozen=True)
class Ignore:
    text: str
    reason: str
    file: str | None  # None: anywhere in the brief
    line: int | None  # None: anywhere in the file


def marks_in(reading: Reading, files: list[str]) -> list[Ignore]:
    out = []
    for file in files:
        for i, line in enumerate(reading.lines_of(file)):
            for m in COMMENT.finditer(line):
                if not m.group(2):
                    raise BriefError("a check: ignore mark needs a reason after the text", file,
                                     i + 1, hint="<!-- check: ignore 60% why it is right -->")
                out.append(Ignore(m.group(1), m.group(2), file, i + 1))
    return out


def marks_in_brief(spec: Spec) -> list[Ignore]:
    check = getattr(spec.brief, "check", None)
    items = getattr(check, "ignore", []) if check is not None else []
    out = []
    for item in items:
        file = None
        if item.file:
            file = str(spec.folder / item.file)
        out.append(Ignore(item.text, item.reason, file, None))
    return out


def _same_file(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None
    return a == b or a.endswith("/" + b.lstrip("./")) or b.endswith("/" + a.lstrip("./"))


def _covers(mark: Ignore, f: Finding) -> bool:
    """The mark names the finding's text, in its file (if it names one), within two lines
    of its own (a mark in the prose)."""
    if mark.text not in (f.text or f.message):
        return False
    if mark.file is not None and not _same_file(f.file, mark.file):
        return False
    return mark.line is None or (f.line is not None and abs(f.line - mark.line) <= 2)


def _mark_for(f: Finding, marks: list[Ignore]) -> Ignore | None:
    if f.level not in (ERROR, WARNING):
        return None
    return next((mark for mark in marks if _covers(mark, f)), None)


def apply(findings: list[Finding], marks: list[Ignore]) -> list[Finding]:
    out = []
    for f in findings:
        hit = _mark_for(f, marks)
        if hit is None:
            out.append(f)
        else:
            out.append(replace(f, level=NOTE, code=f"ignored-{f.code}",
                               suggestion=f"marked as intended: {hit.reason}"))
    return out
