"""Reading a brief whose composition has no ledger yet: compose once with filters that
mark what they print, and cut each section's Markdown into passages.

This is the bridge until compose records the figure ledger and the model carries
Bound inlines (then `reading.from_model` is used and this module goes). A
passage's line is the first line of the section's sources holding its typed text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from briefgen.analysis.check.reading import Figure, Passage, Reading, Source
from briefgen.compose import Composer, compose
from briefgen.config.brief import Spec
from briefgen.data import DataContext, Value
from briefgen.errors import display_path

OPEN, SEP, CLOSE = "\ue000", "\ue001", "\ue002"
MARKED = re.compile(f"{OPEN}(\\d+){SEP}(.*?){CLOSE}", re.S)
CHART_LINE = re.compile(r"^!\[[^\]]*\]\(chart:[^)]*\)$")
LINE_MARKUP = re.compile(r"^\s*(#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)?")


class _MarkingComposer(Composer):
    def __init__(self, spec: Spec, data: DataContext) -> None:
        super().__init__(spec, data)
        self.figures: list[Figure] = []

    def _record(self, text: str, v: Any) -> str:
        super()._record(text, v)
        value = v if isinstance(v, Value) else Value(float(v), label=str(v))
        index = len(self.figures)
        self.figures.append(Figure(
            id=index, text=text, value=value.value, unit=value.unit, places=value.decimals,
            filter=_filter_of(text), expression="", formula=value.formula, label=value.label,
            sources=tuple(Source(c.file, c.row, c.column) for c in value.sources),
            file=self.section, line=None,
        ))
        return f"{OPEN}{index}{SEP}{text}{CLOSE}"


def _filter_of(text: str) -> str:
    if text.endswith("个百分点"):
        return "pp"
    if text.startswith(("增长", "下降")) or text == "持平":
        return "growth"
    if text.endswith("%"):
        return "pct"
    if text.endswith("亿元"):
        return "yi"
    if text.startswith("第"):
        return "rank"
    return "q"


def _unmark(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    out: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = length = 0
    for m in MARKED.finditer(text):
        out.append(text[pos:m.start()])
        length += m.start() - pos
        inner = m.group(2)
        spans.append((length, length + len(inner), int(m.group(1))))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def _clean(line: str) -> str:
    line = LINE_MARKUP.sub("", line, count=1)
    return line.replace("**", "").strip()


def _sources_of(spec: Spec, index: int) -> list[Path]:
    section = spec.brief.sections[index]
    out = []
    if section.file:
        out.append(spec.section_path(section.file, index))
    if section.template:
        out.append(spec.templates / "sections" / f"{section.template}.md.j2")
    return out


def typed_stretches(text: str, spans: list[tuple[int, int, int]]) -> list[str]:
    """The passage's text between its bound figures."""
    out, pos = [], 0
    for start, end, _ in spans:
        out.append(text[pos:start])
        pos = end
    out.append(text[pos:])
    return out


def _place(reading: Reading, files: list[str], text: str, spans: list[tuple[int, int, int]]
           ) -> tuple[str, int | None]:
    """The source file and line holding the passage's first stretch of typed text."""
    snippets = [t.strip()[:12] for t in typed_stretches(text, spans) if len(t.strip()) >= 4]
    for snippet in snippets:
        for file in files:
            for i, line in enumerate(reading.lines_of(file)):
                if snippet in line:
                    return file, i + 1
    return (files[0] if files else ""), None


def interim_reading(spec: Spec, data: DataContext) -> Reading:
    composer = _MarkingComposer(spec, data)
    composition = compose(spec, data, composer=composer)
    reading = Reading([], composer.figures)
    for index, section in enumerate(composition.sections):
        files = [display_path(p) for p in _sources_of(spec, index)]
        for block in re.split(r"\n\s*\n", section.markdown):
            lines = [_clean(x) for x in block.splitlines()]
            lines = [x for x in lines if x and not CHART_LINE.match(x)]
            if not lines:
                continue
            text, spans = _unmark("".join(lines))
            file, line = _place(reading, files, text, spans)
            origin = "heading" if block.lstrip().startswith("#") else "prose"
            reading.passages.append(Passage(file, line, text, spans, origin))
    return reading
