"""What every rule reads: the brief, its data, the reading, its numbers and the candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.analysis.check.candidates import Candidate, candidates
from briefgen.analysis.check.findings import CheckOptions
from briefgen.analysis.check.labels import HOME_WORDS
from briefgen.analysis.check.mentions import Mention, mentions_of
from briefgen.analysis.check.reading import Passage, Reading
from briefgen.config.brief import Spec
from briefgen.data import DataContext

JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


@dataclass
class Context:
    spec: Spec
    data: DataContext
    reading: Reading
    mentions: list[Mention]
    candidates: list[Candidate]
    home: list[str]
    year: int | None
    options: CheckOptions = field(default_factory=CheckOptions)
    flagged: set[int] = field(default_factory=set)  # mentions an error already names (by id)

    def row_keys(self) -> list[str]:
        keys = {row.key for _, t in self.data.tables.items() for row in t
                if len(row.key) >= 2 and not row.key.isdigit()}
        return sorted(keys, key=len, reverse=True)

    def vocabulary(self) -> tuple[list[str], list[str]]:
        """Fact labels (standalone indicators) and column labels (with a row: 冶金…产值)."""
        return _longest_first(_fact_labels(self.data)), _longest_first(_column_labels(self.data))


def _longest_first(words: set[str]) -> list[str]:
    return sorted(words, key=len, reverse=True)


def _fact_labels(data: DataContext) -> set[str]:
    return {v.label for _, v in data.facts.items() if v.is_number and len(v.label) >= 2}


def _column_labels(data: DataContext) -> set[str]:
    return {c.label for _, t in data.tables.items() for c in t.spec.columns.values()
            if c.type != "text" and len(c.label) >= 2}


def brief_texts(spec: Spec) -> list[Passage]:
    """The brief.yaml text a reader sees: title, note, chart titles, the authors' bios."""
    brief, lines, file = spec.brief, spec.lines, spec.brief_file
    fields: list[tuple[tuple[str | int, ...], str]] = [(("title",), brief.title),
                                                       (("note",), brief.note)]
    fields += [(("charts", i, "title"), c.title) for i, c in enumerate(brief.charts)]
    fields += [(("authors", i, "bio"), a.bio) for i, a in enumerate(brief.authors)]
    # What {{ }} prints is bound (and in the ledger); only the typed text is read here.
    return [Passage(file, lines.get(key), JINJA.sub(lambda m: " " * len(m.group(0)), text),
                    [], "brief.yaml") for key, text in fields if text]


def _locate(reading: Reading, m: Mention) -> None:
    """A typed number's own line: from its block's first line, the first source line that
    holds the number with the words typed right before it."""
    if m.bound or not m.line or m.passage.origin == "brief.yaml":
        return
    lines = reading.lines_of(m.file)
    before = m.text[max(m.sentence_start, m.start - 4):m.start]
    for probe in (before + m.text[m.start:m.end], m.text[m.start:m.end]):
        for i in range(m.line - 1, min(len(lines), m.line + 40)):
            if probe in lines[i]:
                m.line = i + 1
                return


def home_words(spec: Spec) -> list[str]:
    place = spec.brief.place
    home = [*HOME_WORDS, place]
    if len(place) > 2 and place[-1] in "市县区省":
        home.append(place[:-1])
    return home


def data_year(data: DataContext, spec: Spec) -> int | None:
    if "year" in data.facts and data.facts["year"].is_number:
        return int(data.facts["year"].number())
    return spec.brief.date.year - 1


def make_context(spec: Spec, data: DataContext, reading: Reading,
                 options: CheckOptions | None = None) -> Context:
    mentions: list[Mention] = []
    for passage in reading.passages:
        for m in mentions_of(passage, reading.figures):
            _locate(reading, m)
            mentions.append(m)
    return Context(spec, data, reading, mentions, candidates(data, spec.brief.place),
                   home_words(spec), data_year(data, spec), options or CheckOptions())


def shown_path(path: Path) -> str:
    from briefgen.errors import display_path

    return display_path(path)
