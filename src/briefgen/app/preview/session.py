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
    docx_pending: bool = False  # the PDF is new, its Word file is being written
    warm: bool = False  # what an edit needs is loaded (see adapter.warm)
    names: dict[str, str] = field(default_factory=dict)  # format -> file name to offer
    took: float | None = None  # seconds, the last build
    trigger: tuple[str, ...] = ()  # the files whose change started it

    @cached_property
    def json(self) -> str:
        """The state as the page reads it (made once, however many pages listen)."""
        return json.dumps(self.as_dict(), ensure_ascii=False)

    @cached_property
    def etags(self) -> dict[str, str]:
        """A tag per file, by its content, for conditional GETs (a poll costs no body)."""
        import hashlib

        files = {"pdf": self.pdf, "docx": self.docx}
        return {fmt: f'"{hashlib.sha1(body).hexdigest()[:20]}"'
                for fmt, body in files.items() if body is not None}

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
            "warm": self.warm,
            "docx_pending": self.docx_pending,
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

    def wait_until(self, done: Callable[[State], bool], timeout: float) -> State:
        with self._changed:
            self._changed.wait_for(lambda: done(self._state), timeout)
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
        warm = False
        paths: set[Path] | None = set()
        while paths is not None:
            self.build(paths)
            if on_built:
                on_built()
            if not warm and self.prepared is not None:
                warm = True
                self._warm()
            paths = self._requests.get()
            while paths is not None and not self._requests.empty():
                more = self._requests.get()  # saves that came in while building: one build
                paths = None if more is None else paths | more

    def _warm(self) -> None:
        """Once, while the editor reads: load what an edit will need (charts, drawings)."""
        try:
            adapter.warm(self.folder, self.out_dir / "warm")
        except BriefError:
            pass  # the next build reports it where it belongs
        except Exception:
            traceback.print_exc()
        self._publish(warm=True)

    def build(self, paths: set[Path]) -> State:
        """Rebuild and publish: the PDF as soon as it is written, then pages and findings,
        then the Word file."""
        trigger = tuple(sorted(adapter.shown(p) for p in paths))
        self._publish(status="building", trigger=trigger)
        started = time.perf_counter()
        try:
            # after a failed build everything is read again
            last = self.prepared if self.state.error is None else None
            prepared = adapter.prepare(self.folder, paths, last)
            pdf = adapter.write(prepared, "pdf", self.out_dir / "brief.pdf").read_bytes()
            names = {fmt: adapter.file_name(prepared, fmt) for fmt in ("pdf", "docx")}
            to_pdf = time.perf_counter() - started
            self._publish(pdf=pdf, names=names, docx_pending=True)
            pages = self.renderer.render(pdf, adapter.figures(prepared))
            findings = tuple(adapter.findings(prepared))
        except Exception as exc:  # a user's mistake, or a bug: shown, and the preview goes on
            return self._fail(exc, started)
        self.prepared = prepared
        changed = first_change(self.state.pages, pages) if self.state.pages else None
        took = time.perf_counter() - started
        self._publish(status="ready", error=None, pages=tuple(pages), findings=findings,
                      changed=changed, took=took)
        try:
            docx = adapter.write(prepared, "docx", self.out_dir / "brief.docx").read_bytes()
        except Exception as exc:
            return self._fail(exc, started)
        print(f"briefgen preview: PDF in {to_pdf:.2f} s, page in {took:.2f} s"
              + (f" after {', '.join(trigger)} changed" if trigger else ""),
              file=self.log, flush=True)
        return self._publish(docx=docx, docx_pending=False)

    def _fail(self, exc: Exception, started: float) -> State:
        if not isinstance(exc, BriefError):
            traceback.print_exc()
        note = adapter.error_note(exc)
        print(f"briefgen preview: {note.where() + ': ' if note.where() else ''}{note.message}",
              file=self.log, flush=True)
        return self._publish(status="error", error=note, took=time.perf_counter() - started,
                             changed=None, docx_pending=False)

    def _publish(self, **changes: Any) -> State:
        with self._changed:
            self._state = replace(self._state, generation=self._state.generation + 1, **changes)
            self._changed.notify_all()
            return self._state
