"""The one cache between builds: named areas whose entries are verified before use.

    cache_root()/render-v1/<key>.pdf          an entry
    cache_root()/render-v1/<key>.pdf.sum      its size and SHA-256 ("<size> <hex>")

An entry is served only when its sum file matches it byte for byte; a damaged
or half-written one is removed and made again. A cache that cannot be written
(full disk, read-only folder) costs speed only: `put` returns None, never
raises. The layout lives here alone: `AREAS` names every area with its
version; bump an area's number when the format of its entries changes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefError
from briefgen.fsio import atomic_output

# Every area and the version of its entries' format: the one place for the layout.
AREAS: dict[str, int] = {
    "render": 1,  # finished .docx and .pdf files, keyed by everything they depend on
    "charts": 1,  # drawn charts (PNG for Word, PDF operators for the PDF)
    "fonts": 1,  # converted and subset font files, pickled ReportLab faces
    "index": 1,  # what the font folders hold, and other small indexes
    "media": 1,  # pictures taken out of an edited .docx, for the PDF
}

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
_SUM = "sum"


def cache_root() -> Path:
    """$BRIEFGEN_CACHE, else the user's cache folder; never inside an output folder."""
    env = os.environ.get("BRIEFGEN_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


def area(name: str, root: Path | None = None) -> Area:
    """The named area of the cache (under `root`, default `cache_root()`)."""
    if name not in AREAS:
        raise ValueError(f"no cache area {name!r}; add it to briefgen.cache.AREAS")
    return Area(name, (root or cache_root()) / f"{name}-v{AREAS[name]}")


@dataclass(frozen=True)
class Area:
    """One folder of the cache; entries are named by a key and a suffix."""

    name: str
    folder: Path

    def path(self, key: str, suffix: str) -> Path:
        """Where an entry lives (it may not exist or be valid: use `get`)."""
        name = f"{key}.{suffix}"
        if not _SAFE.match(name) or ".." in name:
            raise ValueError(f"unsafe cache entry name {name!r}")
        return self.folder / name

    def get(self, key: str, suffix: str) -> Path | None:
        """The entry's file if it is whole (its size and hash match), else None.

        A damaged entry (truncated, edited, its sum missing) is removed.
        """
        path = self.path(key, suffix)
        try:
            recorded = _sum_path(path).read_text("ascii").split()
            size = path.stat().st_size
        except (OSError, UnicodeDecodeError):
            if path.exists():
                _remove(path)
            return None
        if len(recorded) == 2 and recorded[0] == str(size) and recorded[1] == _digest(path):
            return path
        _remove(path)
        return None

    def get_bytes(self, key: str, suffix: str) -> bytes | None:
        """The content of a whole entry, or None."""
        path = self.get(key, suffix)
        if path is None:
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def put(self, key: str, suffix: str, write: Callable[[Path], None]) -> Path | None:
        """Make an entry: `write` fills a temporary file, which becomes the entry.

        Returns the entry's path, or None when the cache cannot be written (the
        build goes on without it). Errors of `write` itself other than OSError
        are bugs and propagate.
        """
        path = self.path(key, suffix)
        _sweep(self.folder)
        try:
            with atomic_output(path, "the cache", "set BRIEFGEN_CACHE to a folder you can write to") as tmp:
                write(tmp)
                line = f"{tmp.stat().st_size} {_digest(tmp)}\n"
            # The sum is written after the entry: a kill in between leaves an entry
            # without a sum, which `get` removes.
            with atomic_output(_sum_path(path), "the cache") as tmp:
                tmp.write_text(line, "ascii")
        except (BriefError, OSError):
            _remove(path)
            return None
        return path

    def put_bytes(self, key: str, suffix: str, data: bytes) -> Path | None:
        """Make an entry holding `data`; None when the cache cannot be written."""
        def write(tmp: Path) -> None:
            tmp.write_bytes(data)

        return self.put(key, suffix, write)

    def remove(self, key: str, suffix: str) -> None:
        """Forget an entry (and its sum)."""
        _remove(self.path(key, suffix))


_swept: set[Path] = set()
STALE_PART_SECONDS = 3600  # a part file this old belongs to no running build


def _sweep(folder: Path) -> None:
    """Once per process and area: remove part files a killed build left behind."""
    if folder in _swept:
        return
    _swept.add(folder)
    import time

    cutoff = time.time() - STALE_PART_SECONDS
    with contextlib.suppress(OSError):
        for part in folder.glob(".*.part"):
            with contextlib.suppress(OSError):
                if part.stat().st_mtime < cutoff:
                    part.unlink()


def _sum_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.{_SUM}")


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _remove(path: Path) -> None:
    for p in (path, _sum_path(path)):
        with contextlib.suppress(OSError):
            p.unlink(missing_ok=True)


@functools.cache  # the code does not change while a process runs; asked once per format
def code_fingerprint() -> str:
    """What the rendering code is: briefgen's own sources and the writer libraries' files."""
    from importlib.util import find_spec

    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        h.update(source.read_bytes())
    for library in ("docx", "reportlab", "lxml"):
        spec = find_spec(library)
        if spec and spec.origin:
            st = Path(spec.origin).stat()
            h.update(f"{library}|{spec.origin}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()
