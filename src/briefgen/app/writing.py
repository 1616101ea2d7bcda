"""Writing a prepared brief's formats: the .docx by a helper while the PDF is written here.

Both formats from one build: this process writes the PDF, and once the charts are
drawn (at once when none is being drawn; else when the PDF first draws one) a forked helper
(`briefgen.forking`) writes the .docx meanwhile; a helper that fails leaves the
.docx to this process, which then raises the error itself. An unchanged document
is copied from the render cache (`render_key`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cache import area, code_fingerprint
from briefgen.config.house import House
from briefgen.forking import Helper, start_helper
from briefgen.fsio import atomic_output
from briefgen.model import Document

if TYPE_CHECKING:
    from briefgen.app.pipeline import Prepared


def write_formats(prepared: Prepared, paths: dict[str, Path], use_cache: bool) -> None:
    """Write each format to its path (`paths`: format -> staged file)."""
    with WordAlongside(prepared, paths, use_cache) as word:
        if "pdf" in paths:
            if not prepared.drawing.todo:  # no chart to wait for: the .docx can start now
                word.start()
            render(prepared, "pdf", paths["pdf"], use_cache, word.start)
        if "docx" in paths:
            word.finish()


class WordAlongside:
    """The .docx of a build of both formats, written by a helper alongside the PDF."""

    def __init__(self, prepared: Prepared, paths: dict[str, Path], use_cache: bool) -> None:
        self.prepared = prepared
        self.paths = paths
        self.use_cache = use_cache
        self.helper = Helper(None)
        self.started = False

    def start(self) -> None:
        """The PDF needs the charts: wait for their operators, then fork the .docx's helper
        (once), which waits for their PNGs."""
        self.prepared.drawings_ready()
        if self.started or len(self.paths) < 2:
            return
        self.started = True
        self.helper = start_helper(lambda: self._render())

    def _render(self) -> None:
        render(self.prepared, "docx", self.paths["docx"], self.use_cache)

    def finish(self) -> None:
        """The .docx written: by the helper, or here when it did not do it whole."""
        if not self.helper.join():
            self._render()

    def __enter__(self) -> WordAlongside:
        return self

    def __exit__(self, *exc: object) -> None:
        self.helper.join(0)  # a failed build: stopped; done, it is not running any more


def render_key(document: Document, house: House, fmt: str) -> str:
    """A hash of everything a writer's output depends on.

    The document model holds all text and figure files (their names carry their
    content hash); the house, the reference document (Word) or the font files
    (PDF) and the code of briefgen and the writer libraries make up the rest.
    """
    h = hashlib.sha256()
    h.update(fmt.encode())
    h.update(pickle.dumps(document, protocol=5))
    h.update(house.model_dump_json().encode())
    h.update(code_fingerprint().encode())
    if fmt == "docx":
        reference = house.reference_path()
        h.update(reference.read_bytes() if reference.exists() else b"-")
    else:
        from briefgen.fonts import font_fingerprint

        h.update(font_fingerprint(house).encode())
    return h.hexdigest()


def render(prepared: Prepared, fmt: str, path: Path, use_cache: bool,
           before_drawings: Callable[[], None] | None = None) -> Path:
    """Write one format of a prepared brief (see render_document). The PDF writer waits
    for the charts' operators once its fonts are planned (`before_drawings`, by default
    `Prepared.drawings_ready`); the Word writer for their PNGs once its text is written
    (`Prepared.write_pngs`)."""
    ready = prepared.write_pngs if fmt == "docx" else prepared.drawings_ready
    return render_document(prepared.document, prepared.spec.house, fmt, path, use_cache,
                           before_drawings or ready)


def render_document(document: Document, house: House, fmt: str, path: Path,
                    use_cache: bool, before_drawings: Callable[[], None] | None = None) -> Path:
    """Write one format; an unchanged document is copied from the render cache.

    `before_drawings` is called before the writer reads the charts' drawings (the PDF:
    their operators; Word: their PNGs), and before a .docx is copied from the cache (the
    PNGs left for later are written all the same: the chart cache holds whole drawings)."""
    use_render_cache = use_cache and os.environ.get("BRIEFGEN_RENDER_CACHE", "1") != "0"
    renders = area("render")
    key = render_key(document, house, fmt) if use_render_cache else ""
    cached = renders.get(key, fmt) if use_render_cache else None
    if cached is not None:
        if fmt == "docx" and before_drawings is not None:
            before_drawings()
        with atomic_output(path) as tmp:
            shutil.copyfile(cached, tmp)
        return path
    if fmt == "docx":
        from briefgen.writers.docx import write_docx

        write_docx(document, house, path, before_drawings)
    else:
        from briefgen.writers.pdf import write_pdf

        write_pdf(document, house, path, use_cache=use_cache, before_drawings=before_drawings)
    if use_render_cache:

        def keep(tmp: Path) -> None:
            shutil.copyfile(path, tmp)

        renders.put(key, fmt, keep)
    return path
