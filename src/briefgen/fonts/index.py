"""The index of every face in the font folders: one per process, names cached by stamp."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.cache import cache_root
from briefgen.fonts.faces import Face, norm, read_faces, style_rank
from briefgen.fonts.files import put_json, read_json
from briefgen.fonts.locate import FONT_SUFFIXES, font_files

INDEX_VERSION = 2
INDEX_KEY = "font-index"  # an entry of the cache's index area (.json)


class FontIndex:
    """Every face in the search folders; names read once and cached by file size and time."""

    def __init__(self, dirs: list[Path], extra_files: Iterable[Path] = (),
                 cache: Path | None = None, use_cache: bool = True) -> None:
        self.dirs = dirs
        self.cache = cache
        self.use_cache = use_cache
        self.files = font_files(dirs) + [p for p in extra_files if p.is_file()]
        self._faces: list[Face] | None = None

    @property
    def faces(self) -> list[Face]:
        if self._faces is None:
            self._faces = self._load()
        return self._faces

    def _cached_entries(self) -> dict[str, Any]:
        if not self.use_cache:
            return {}
        cached = read_json(self.cache, INDEX_KEY)
        if not isinstance(cached, dict) or cached.get("version") != INDEX_VERSION:
            return {}
        files = cached.get("files", {})
        return files if isinstance(files, dict) else {}

    def _load(self) -> list[Face]:
        entries = self._cached_entries()
        faces: list[Face] = []
        changed = False
        for path in self.files:
            try:
                st = path.stat()
            except OSError:
                continue
            key = str(path)
            if not _is_current(entries.get(key), st):
                entries[key] = _read_entry(path, st)
                changed = True
            faces += [Face.from_json(path, f) for f in entries[key]["faces"]]
        if changed:
            put_json(self.cache, INDEX_KEY, {"version": INDEX_VERSION, "files": entries})
        return faces

    def find(self, candidate: str) -> list[Face]:
        """The faces a candidate names, best first (regular before other styles)."""
        name, _, style = candidate.partition(":")
        name, style = name.strip(), style.strip()
        if _names_a_file(name):
            matches = self._by_file(Path(name).expanduser())
        else:
            matches = self._by_name(name)
        if style:
            want = norm(style)
            return [f for f in matches if want in f.styles]
        return sorted(matches, key=style_rank)

    def _by_name(self, name: str) -> list[Face]:
        key = norm(name)
        return [f for f in self.faces if key in f.names]

    def _by_file(self, p: Path) -> list[Face]:
        """The faces of a file named by its name (in the folders) or its absolute path
        (indexed or not)."""
        if not p.is_absolute():
            return self._by_file_name(p.name)
        matches = [f for f in self.faces if f.path == p]
        if matches or not p.is_file():
            return matches
        return _faces_or_none(p)


    def _by_file_name(self, name: str) -> list[Face]:
        """The faces of the files of this name (case aside) in the folders."""
        return [f for f in self.faces if f.path.name.casefold() == name.casefold()]


def _names_a_file(name: str) -> bool:
    """Whether a candidate is a font file's name or path rather than a family name."""
    return name.lower().endswith(FONT_SUFFIXES) or os.sep in name or "/" in name


def _is_current(entry: dict[str, Any] | None, st: os.stat_result) -> bool:
    """Whether a cached entry was read from the file as it is now (same size and time)."""
    if not entry:
        return False
    return bool(entry["size"] == st.st_size and entry["mtime"] == st.st_mtime_ns)


def _read_entry(path: Path, st: os.stat_result) -> dict[str, Any]:
    """The file's faces read afresh, stamped with its size and time."""
    return {"size": st.st_size, "mtime": st.st_mtime_ns,
            "faces": [f.to_json() for f in _faces_or_none(path)]}


def _faces_or_none(path: Path) -> list[Face]:
    try:
        return read_faces(path)
    except Exception:  # noqa: BLE001 - a broken or foreign file in a font folder: not a font
        return []


IndexKey = tuple[tuple[tuple[Path, int], ...], tuple[Path, ...], Path, bool]
_indexes: dict[IndexKey, FontIndex] = {}


def _dir_times(dirs: list[Path]) -> tuple[tuple[Path, int], ...]:
    """Each folder with its modification time: a font put straight into one is seen."""
    times = []
    for d in dirs:
        try:
            times.append((d, d.stat().st_mtime_ns))
        except OSError:
            times.append((d, 0))
    return tuple(times)


def font_index(dirs: list[Path], extra_files: Iterable[Path] = (), cache: Path | None = None,
               use_cache: bool = True) -> FontIndex:
    """The process's index of these folders: walked once per process, not once per use.

    A folder whose own time changed (a font file added to or removed from it) is
    walked again; fonts installed deeper down need `forget_indexes()`.
    """
    extra = tuple(extra_files)
    key = (_dir_times(dirs), extra, cache or cache_root(), use_cache)
    if key not in _indexes:
        _indexes[key] = FontIndex(dirs, extra, cache, use_cache)
    return _indexes[key]


def forget_indexes() -> None:
    """Walk the font folders again at the next look-up (fonts were installed or removed)."""
    _indexes.clear()
