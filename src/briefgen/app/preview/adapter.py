"""The preview's one coupling to the pipeline, `check` and the figure ledger.

Everything the preview needs from the rest of briefgen goes through here, as plain
records (`Note`, `FigureNote`), so a change of the pipeline's API is one edit here.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.app import pipeline, writing
from briefgen.cache import cache_root
from briefgen.config.brief import Spec, load_spec
from briefgen.errors import BriefError, display_path

Prepared = pipeline.Prepared


@dataclass(frozen=True)
class Note:
    """A message for the page: an input error or a `check` finding."""

    level: str  # "error" (the build stopped), "bug", or a finding's "error"/"warning"
    message: str
    file: str | None = None
    line: int | None = None
    hint: str = ""  # what to do
    code: str = ""

    def where(self) -> str:
        if not self.file:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "message": self.message, "file": self.file,
                "line": self.line, "where": self.where(), "hint": self.hint, "code": self.code}


@dataclass(frozen=True)
class FigureNote:
    """A figure printed from the data, as the ledger records it: its text and its cells."""

    text: str
    label: str
    value: str
    unit: str
    cells: tuple[str, ...] = field(default_factory=tuple)  # "sectors.csv:3 [output]"
    place: str = ""  # where it was printed: "sections/basics.md:12"

    def tip(self) -> str:
        head = f"{self.label}: {self.value}{self.unit}" if self.label else f"{self.value}{self.unit}"
        tail = [f"printed at {self.place}"] if self.place else []
        return "\n".join([head, *(f"← {c}" for c in self.cells), *tail])


def prepare(folder: Path, changed: set[Path] | None = None,
            last: Prepared | None = None) -> Prepared:
    """The brief as far as the document model (charts from the shared chart cache).

    When only files of the data folder `changed` since `last` was prepared, its brief
    and house (read from brief.yaml and the house file, which did not change) are
    taken as they are: the data, the prose and the charts are read again. A chart to
    redraw is drawn by a helper while the text is composed (`write` waits for it).
    """
    charts = cache_root() / "charts"
    spec = last.spec if last is not None and changed and all(
        _data_only(p, last.spec) for p in changed) else load_spec(folder)
    return pipeline.prepare_spec(spec, charts, use_cache=True, png_later=True, charts_later=True)


def _data_only(path: Path, spec: Spec) -> bool:
    """A file of the data folder, neither in the brief's folder nor in the house's."""
    try:
        data = spec.data_folder()
    except BriefError:
        return False
    p = path.resolve()
    return p.is_relative_to(data) and not any(
        p.is_relative_to(f.resolve()) for f in (spec.folder, spec.templates, spec.house.folder))


def write(prepared: Prepared, fmt: str, path: Path) -> Path:
    """One format, through the render cache: an unchanged document is copied."""
    return writing.render(prepared, fmt, path, use_cache=True)


def warm(folder: Path, scratch: Path) -> None:
    """Before the first edit, load what an edit needs: draw the charts once without the
    chart cache (into `scratch`, thrown away), which imports matplotlib."""
    import shutil

    try:
        pipeline.prepare(folder, scratch / "charts", use_cache=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def file_name(prepared: Prepared, fmt: str) -> str:
    return f"{prepared.spec.name}.{fmt}"


def error_note(exc: BaseException) -> Note:
    """An error for the page: a user's mistake with its place and remedy, or a bug."""
    if isinstance(exc, BriefError):
        hint = exc.hint or (
            f"fix {exc.where()} and save; the preview rebuilds by itself" if exc.file
            else "fix it and save; the preview rebuilds by itself"
        )
        return Note("error", exc.message, exc.file, exc.line, hint, type(exc).__name__)
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" at {Path(last[0].filename).name}:{last[0].lineno}" if last else ""
    return Note("bug", f"briefgen failed: {type(exc).__name__}: {exc}{where}",
                hint="this is a bug in briefgen, not in the brief: the traceback is in the terminal")


def findings(prepared: Prepared) -> list[Note]:
    """`check`'s findings on the prepared brief (errors first), as notes."""
    from briefgen.analysis.check import check_spec

    try:
        found = check_spec(prepared.spec, prepared.data)
    except BriefError as exc:
        note = error_note(exc)
        return [Note("error", f"check could not run: {note.message}", note.file, note.line,
                     note.hint, "check")]
    return [Note(f.level, f.message, f.file, f.line, f.suggestion, f.code) for f in found]


def figures(prepared: Prepared) -> list[FigureNote]:
    """The figures the prose printed from the data, in the order composed.

    From the composition's ledger when it has one (entries with text, value, unit,
    label, sources); before the ledger, from the filters' trace (text and Value).
    """
    ledger = getattr(prepared.composition, "ledger", None)
    if ledger is not None:
        return [_figure(e.text, e.value, e.unit, e.label, e.sources, _place(e)) for e in ledger]
    trace = getattr(prepared.composition, "trace", [])
    return [_figure(t.text, t.value.value, t.value.unit, t.value.label, t.value.sources)
            for t in trace]


def _place(entry: Any) -> str:
    """Where the figure was printed: the file and line the user edits."""
    file, line = getattr(entry, "file", None), getattr(entry, "line", None)
    if not file:
        return ""
    return f"{file}:{line}" if line else str(file)


def _figure(text: str, value: Any, unit: str, label: str, sources: Iterable[Any],
            place: str = "") -> FigureNote:
    raw = getattr(value, "value", value)  # a ledger value may be a Value or a number
    return FigureNote(str(text), str(label or ""), _plain(raw), str(unit or ""),
                      tuple(_cell(c) for c in sources), place)


def _plain(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.10g}"
    return str(x)


def _cell(cell: Any) -> str:
    where = str(getattr(cell, "file", cell))
    row, column = getattr(cell, "row", None), getattr(cell, "column", None)
    if row is not None:
        where += f":{row}"
    if column:
        where += f" [{column}]"
    text = getattr(cell, "text", None)
    return f"{where} = {text}" if text else where


def watched_folders(folder: Path, prepared: Prepared | None) -> set[Path]:
    """The folders whose files feed the brief: the brief, its data, templates and house."""
    found = {folder.resolve()}
    if prepared is None:
        return found
    spec = prepared.spec
    found |= {spec.folder, spec.templates, spec.house.folder.resolve()}
    try:
        found.add(spec.data_folder())
        if spec.brief.data.previous:
            found.add(spec.inside_project(spec.brief.data.previous, ("data", "previous")))
    except BriefError:
        pass
    return {p.resolve() for p in found}


def shown(path: Path | str) -> str:
    return display_path(path)
