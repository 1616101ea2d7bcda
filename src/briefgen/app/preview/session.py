"""One warm preview: rebuild the brief on request and publish each result as a State.

A single builder thread runs the pipeline, so everything it keeps warm (imports,
fonts, compiled templates, drawn charts, encoded pages) stays in this process and
is reused; the web server's threads only read the latest immutable State.
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from briefgen.app.preview import adapter
from briefgen.app.preview.adapter import Note
from briefgen.app.preview.pages import Page, PageRenderer, first_change
from briefgen.errors import BriefError


@dataclass(frozen=True)
class State:
    """What the page shows: one generation of the preview."""

    generation: int = 0
    status: str = "starting"  # starting, building, ready, error
    error: Note | None = None
    findings: tuple[Note, ...] = ()
    pages: tuple[Page, ...] = ()
    changed: tuple[int, float, float] | None = None  # page, top, bottom (points)
    pdf: bytes | None = None
    docx: bytes | None = None
    names: dict[str, str] = field(default_factory=dict)  # format -> file name to offer
    took: float | None = None  # seconds, the last build
    trigger: tuple[str, ...] = ()  # the files whose change started it

    @cached_property
    def json(self) -> str:
        """The state as the page reads it (made once, however many pages listen)."""
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "generation": self.generation,
            "status": self.status,
            "error": self.error.as_dict() if self.error else None,
            "findings": [f.as_dict() for f in self.findings],
            "pages": [p.as_dict() for p in self.pages],
            "changed": list(self.changed) if self.changed else None,
            "took": round(self.took, 3) if self.took is not None else None,
            "trigger": list(self.trigger),
            "files": {fmt: f"/brief.{fmt}" for fmt in ("pdf", "docx")
                      if (self.pdf if fmt == "pdf" else self.docx) is not None},
        }


class Session:
    """The preview of one brief folder, rebuilt by its own thread."""

    def __init__(self, folder: Path, out_dir: Path, log: Any = None) -> None:
        self.folder = folder
        self.out_dir = out_dir
        self.log = log or sys.stdout
        self.renderer = PageRenderer()
        self.prepared: adapter.Prepared | None = None
        self._state = State()
        self._changed = threading.Condition()
        self._requests: queue.Queue[set[Path] | None] = queue.Queue()

    # -- reading ------------------------------------------------------------------
    @property
    def state(self) -> State:
        with self._changed:
            return self._state

    def wait(self, generation: int, timeout: float) -> State:
        """The state once its generation is past `generation`, or as it is after `timeout`."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.generation != generation, timeout)
            return self._state

    def folders(self) -> set[Path]:
        return adapter.watched_folders(self.folder, self.prepared)

    # -- building -------------------------------------------------------------------
    def request(self, paths: set[Path]) -> None:
        """Ask for a rebuild because these files changed (the builder thread runs it)."""
        self._requests.put(paths)

    def stop(self) -> None:
        self._requests.put(None)

    def run(self, on_built: Callable[[], None] | None = None) -> None:
        """The builder thread: build once, then again for every batch of changes."""
        self.build(set())
        if on_built:
            on_built()
        while True:
            paths = self._requests.get()
            if paths is None:
                return
            while not self._requests.empty():  # saves that came in while building: one build
                more = self._requests.get()
                if more is None:
                    return
                paths |= more
            self.build(paths)
            if on_built:
                on_built()

    def build(self, paths: set[Path]) -> State:
        """Rebuild and publish: the PDF as soon as it is written, then pages and findings."""
        trigger = tuple(sorted(adapter.shown(p) for p in paths))
        self._publish(status="building", trigger=trigger)
        started = time.perf_counter()
        try:
            prepared = adapter.prepare(self.folder)
            pdf = adapter.write(prepared, "pdf", self.out_dir / "brief.pdf").read_bytes()
            names = {fmt: adapter.file_name(prepared, fmt) for fmt in ("pdf", "docx")}
            self._publish(pdf=pdf, names=names)
            docx = adapter.write(prepared, "docx", self.out_dir / "brief.docx").read_bytes()
            pages = self.renderer.render(pdf, adapter.figures(prepared))
            findings = tuple(adapter.findings(prepared))
        except Exception as exc:  # a user's mistake, or a bug: shown, and the preview goes on
            if not isinstance(exc, BriefError):
                traceback.print_exc()
            note = adapter.error_note(exc)
            took = time.perf_counter() - started
            print(f"briefgen preview: {note.where() + ': ' if note.where() else ''}"
                  f"{note.message}", file=self.log, flush=True)
            return self._publish(status="error", error=note, took=took, changed=None)
        self.prepared = prepared
        took = time.perf_counter() - started
        changed = first_change(self.state.pages, pages) if self.state.pages else None
        print(f"briefgen preview: built in {took:.2f} s"
              + (f" after {', '.join(trigger)} changed" if trigger else ""),
              file=self.log, flush=True)
        return self._publish(status="ready", error=None, pages=tuple(pages), docx=docx,
                             findings=findings, changed=changed, took=took)

    def _publish(self, **changes: Any) -> State:
        with self._changed:
            self._state = replace(self._state, generation=self._state.generation + 1, **changes)
            self._changed.notify_all()
            return self._state
