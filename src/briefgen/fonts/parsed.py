"""ReportLab's parse of a TrueType face, pickled once and loaded in milliseconds.

ReportLab reads a face's character map, widths and glyph offsets on every
registration (≈ 0.05–0.15 s for a CJK face). The parse is kept in the cache's
``fonts`` area (a verified entry), without the file's bytes and with its big
tables as arrays, keyed by the file's stamp (path, size, time), the face index and
ReportLab's version.
"""

from __future__ import annotations

import functools
import hashlib
import mmap
import operator
import pickle
from array import array
from pathlib import Path
from typing import Any

from briefgen.cache import area
from briefgen.fonts.files import file_stamp

PARSED_VERSION = 3
PARSED_SUFFIX = "rlface"  # the suffix of a parsed face in the fonts area


class _Pairs:
    """ReportLab's horizontal metrics, (advance, side bearing) per glyph, kept in one array."""

    __slots__ = ("values",)

    def __init__(self, values: array[float]) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values) // 2

    def __getitem__(self, i: int) -> tuple[float, float]:
        if i < 0:
            i += len(self)
        return self.values[2 * i], self.values[2 * i + 1]


class _GlyphToChar(dict[int, list[int]]):
    """ReportLab's glyph -> characters map, made when first read (only shaping reads it)."""

    def __init__(self, char_to_glyph: dict[int, int]) -> None:
        super().__init__()
        self._c2g = char_to_glyph

    def __missing__(self, gid: int) -> list[int]:
        if not self._c2g:
            raise KeyError(gid)
        for code, g in self._c2g.items():
            self.setdefault(g, []).append(code)
        self._c2g = {}
        return self[gid]


_SKIP = ("_ttf_data", "_pdfScale", "glyphToChar", "charToGlyph", "charWidths", "hmetrics",
         "glyphPos")


def _pack_face(face: Any) -> dict[str, Any]:
    """A parsed face as plain data: the large tables as arrays, which load in milliseconds."""
    state = {k: v for k, v in face.__dict__.items() if k not in _SKIP}
    state["charToGlyph"] = (array("I", face.charToGlyph), array("I", face.charToGlyph.values()))
    state["charWidths"] = (array("I", face.charWidths), array("d", face.charWidths.values()))
    state["hmetrics"] = array("d", [v for pair in face.hmetrics for v in pair])
    state["glyphPos"] = array("I", face.glyphPos)
    return state


def _unpack_face(state: dict[str, Any], face_class: Any) -> Any:
    face = face_class.__new__(face_class)
    face.__dict__.update(state)
    face.charToGlyph = dict(zip(*state["charToGlyph"], strict=True))
    face.charWidths = dict(zip(*state["charWidths"], strict=True))
    face.hmetrics = _Pairs(state["hmetrics"])
    face.glyphToChar = _GlyphToChar(face.charToGlyph)
    face._pdfScale = functools.partial(operator.mul, 1000 / face.unitsPerEm)
    return face


def _parse_key(path: Path, index: int) -> str:
    from reportlab import Version

    key = f"{PARSED_VERSION}|{Version}|{file_stamp(path)}|{index}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _load(data: bytes | None, face_class: Any) -> Any:
    if data is None:
        return None
    try:
        return _unpack_face(pickle.loads(data), face_class)
    except Exception:  # noqa: BLE001 - a foreign cache entry (other ReportLab): parse again
        return None


def _pack(face: Any) -> bytes | None:
    try:
        return pickle.dumps(_pack_face(face), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, OverflowError):
        return None  # a face that cannot be cached is only slower to load next time


def parse_into_cache(path: Path, index: int = 0, cache: Path | None = None) -> bool:
    """Parse a face into the cache unless it is there; whether it was parsed here."""
    store, key = area("fonts", cache), _parse_key(path, index)
    if store.get(key, PARSED_SUFFIX) is not None:
        return False
    parsed_face(path, index, cache, use_cache=False)
    return True


def parsed_face(path: Path, index: int = 0, cache: Path | None = None, use_cache: bool = True,
                face_class: type | None = None) -> Any:
    """ReportLab's parse of a TrueType face (a ``TTFontFace``), cached by the file's stamp.

    The bytes are mapped from the file, read only when the PDF is written (ReportLab
    subsets the face then). A cache that cannot be read or written costs the parse.
    `face_class`: a subclass of ``TTFontFace`` to make (the PDF writer's).
    """
    from reportlab.pdfbase.ttfonts import TTFontFace

    face_class = face_class or TTFontFace
    store, key = area("fonts", cache), _parse_key(path, index)
    face = _load(store.get_bytes(key, PARSED_SUFFIX), face_class) if use_cache else None
    if face is None:
        face = face_class(str(path), subfontIndex=index)
        state = _pack(face)
        if state is not None:
            store.put_bytes(key, PARSED_SUFFIX, state)
        return face
    with path.open("rb") as f:
        face._ttf_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return face
