"""Every use of ReportLab's internals (private attributes, patches, subclassed internals).

The rest of the PDF writer speaks ReportLab's public API only (platypus flowables,
the canvas). What ReportLab 5.1 does not offer is done here, in one place a new
ReportLab release is checked against:

- the import-time patch of ``ttfonts.makeToUnicodeCMap`` (characters above U+FFFF),
- a TrueType face read in place (its character map and metrics looked up per
  character) whose embedded subsets are cached, and a TTFont around such a face,
- glyph outlines read from a registered face's data,
- what platypus keeps private: a KeepTogether's height, a frame's "at top".
"""

from __future__ import annotations

import hashlib
import mmap
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version, rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from briefgen.cache import Area
from briefgen.fonts.sfnt import (
    CMAP_FORMATS,
    Buffer,
    CharMap,
    GlyphOffsets,
    HorizontalMetrics,
    u16,
    u32,
)

SUBSET_STREAM_VERSION = 1


# ---- ToUnicode: characters above U+FFFF as UTF-16 pairs ---------------------------------------


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but with characters above U+FFFF as UTF-16 pairs.

    ReportLab 5.1 writes U+2000B as <2000B>, which readers drop: 𠀋 would not come back
    when the text is copied or searched.
    """
    text: str = _rl_to_unicode(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    for i, v in enumerate(subset):
        if v > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{_utf16_hex(v)}>")
    return text


_rl_to_unicode = ttfonts.makeToUnicodeCMap
if getattr(_rl_to_unicode, "__name__", "") != "_to_unicode_cmap":
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


# ---- faces and fonts ------------------------------------------------------------------------------


class _Learned(dict[int, Any]):
    """A face's per-character table (glyph ids, widths), each entry read when first asked.

    ReportLab reads these tables with ``in``, ``[]`` and ``get``; each learns the code
    from the font (`read`: its value, or `_ABSENT`). Iterating shows the learned only.
    """

    def __init__(self, read: Callable[[int], Any]) -> None:
        super().__init__()
        self._read = read
        self._absent: set[int] = set()

    def _learn(self, code: int) -> Any:
        if code in self._absent:
            return _ABSENT
        value = self._read(code)
        if value is _ABSENT:
            self._absent.add(code)
        else:
            self[code] = value
        return value

    def __missing__(self, code: int) -> Any:
        value = self._learn(code)
        if value is _ABSENT:
            raise KeyError(code)
        return value

    def __contains__(self, code: object) -> bool:
        return dict.__contains__(self, code) or (
            isinstance(code, int) and self._learn(code) is not _ABSENT)

    def get(self, code: int, default: Any = None) -> Any:
        try:
            return self[code]
        except KeyError:
            return default


_ABSENT = object()


class _Metrics(HorizontalMetrics):
    """The hmtx table as ReportLab's ``hmetrics`` list: a glyph after the last full pair
    has that pair's advance in PDF units (1/1000 em), not font units (so ReportLab's
    subsets carry it)."""

    def __init__(self, data: Buffer, offset: int, full: int, glyphs: int,
                 scale: Callable[[float], float]) -> None:
        super().__init__(data, offset, full, glyphs)
        self.scale = scale

    def __getitem__(self, gid: int) -> tuple[float, int]:
        advance, side = super().__getitem__(gid)
        return (self.scale(advance) if gid >= self.full else advance), side


class SubsetCachingFace(ttfonts.TTFontFace):  # type: ignore[misc]  # ReportLab has no types
    """A TrueType face read in place, whose subsets, as embedded, are cached.

    ReportLab's parse (``TTFontFile.extractInfo``) decodes the whole character map,
    metrics and glyph offsets of a face (0.05–0.1 s for a CJK face of 30k glyphs).
    This face takes ReportLab's parse of the font's header tables only; its
    ``charToGlyph`` and ``charWidths`` learn each character when first asked, its
    ``hmetrics`` and ``glyphPos`` read the glyph asked for (`fonts.sfnt`), from a
    memory map of the file. Their values are those of ReportLab's full parse (a test
    compares them); a face whose character map or licence this does not read in place
    (another cmap format, a font that must be embedded whole) is parsed in full.

    ReportLab cuts the glyphs a PDF uses out of the face in subsets of 256 and
    compresses each when it writes the PDF (≈ 5 ms per subset of a CJK face). The
    compressed program of a subset is kept in the cache, keyed by the face's
    content hash and the subset's characters (in their order), so a repeat build
    copies it.
    """

    subset_cache: tuple[Area, str, int, bool] | None = None  # area, file stamp, index, read

    def __init__(self, path: Path, index: int = 0) -> None:
        pdfmetrics.TypeFace.__init__(self, None)
        with path.open("rb") as f:
            self._ttf_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        self.filename = str(path)
        ttfonts.TTFontFile.__init__(self, str(path), charInfo=0, subfontIndex=index)
        charmap = self._charmap()
        if charmap is None or self._full_font:
            self.extractInfo(1)  # ReportLab's full parse (and its errors)
            return
        head, hhea = self.table["head"]["offset"], self.table["hhea"]["offset"]
        if u16(self._ttf_data, head + 52) != 0:  # glyphDataFormat, as ReportLab checks it
            raise ttfonts.TTFError(f"Unknown glyph data format ({u16(self._ttf_data, head + 52)})")
        if "loca" not in self.table:
            raise ttfonts.TTFError("missing location table")
        metrics = _Metrics(self._ttf_data, self.table["hmtx"]["offset"],
                           u16(self._ttf_data, hhea + 34), self.numGlyphs, self._pdfScale)
        self.hmetrics = metrics
        self.glyphPos = GlyphOffsets(self._ttf_data, self.table["loca"]["offset"],
                                     u16(self._ttf_data, head + 50) == 1, self.numGlyphs)
        self.defaultWidth = self._pdfScale(metrics.advance(0))
        self.glyphToChar: dict[int, list[int]] = {}  # read by HarfBuzz shaping only: unused

        def glyph(code: int) -> Any:
            if code in (0x20, 0xA0):  # ReportLab maps the space and no-break space alike
                gid = charmap.glyph(0x20)
                gid = charmap.glyph(0xA0) if gid is None else gid
            else:
                gid = charmap.glyph(code)
            return _ABSENT if gid is None else gid

        def width(code: int) -> Any:
            gid = self.charToGlyph.get(code)
            if gid is None or gid >= self.numGlyphs:
                return _ABSENT
            return self._pdfScale(metrics.advance(gid))

        self.charToGlyph = _Learned(glyph)
        self.charWidths = _Learned(width)

    def _charmap(self) -> CharMap | None:
        """The character map subtable ReportLab's parse picks, if it reads in place."""
        data, cmap = self._ttf_data, self.table["cmap"]["offset"]
        version, count = u16(data, cmap), u16(data, cmap + 2)
        if count == 0 and version != 0:
            count = version
        chosen, kind = None, 0
        for n in range(count):  # the last record of the best kind, as ReportLab's loop does
            platform, encoding = u16(data, cmap + 4 + 8 * n), u16(data, cmap + 6 + 8 * n)
            offset = u32(data, cmap + 8 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1) or (
                    platform == 0 and encoding != 5):
                chosen, kind = offset, 1
            elif platform == 1 and encoding == 0 and kind != 1:
                chosen, kind = offset, 2
        if chosen is None or u16(data, cmap + chosen) not in CMAP_FORMATS:
            return None
        return CharMap(data, cmap + chosen)

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:  # noqa: N802
        if not doc.compression or self.subset_cache is None:
            return super().addSubsetObjects(doc, fontname, subset)
        data = self._subset_program(subset)
        font_file = pdfdoc.PDFStream()
        font_file.content = data[8:]
        font_file.dictionary["Length1"] = int.from_bytes(data[:8], "big")
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        return doc.Reference(self._descriptor(fontname, ref), "fontDescriptor:" + fontname)

    def _subset_program(self, subset: list[int]) -> bytes:
        """The subset's program, its length in 8 bytes before it compressed: cached."""
        assert self.subset_cache is not None
        entries, content, index, read = self.subset_cache
        key = hashlib.sha256(f"{SUBSET_STREAM_VERSION}|{Version}|{content}|{index}|"
                             f"{','.join(map(str, subset))}".encode()).hexdigest()[:32]
        data = entries.get_bytes(key, "ttz") if read else None
        if data is None or len(data) < 8:
            program = self.makeSubset(subset)
            data = len(program).to_bytes(8, "big") + zlib.compress(program)
            entries.put_bytes(key, "ttz", data)  # a cache that cannot be written costs speed only
        return data

    def _descriptor(self, fontname: str, ref: Any) -> Any:
        """The descriptor, as ReportLab 5.1's TTFontFace.addSubsetObjects makes it."""
        flags = (self.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
        return pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": self.ascent,
            "CapHeight": self.capHeight,
            "Descent": self.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": self.italicAngle,
            "StemV": self.stemV,
            "FontFile2": ref,
            "MissingWidth": self.defaultWidth,
        })


class FaceFont(ttfonts.TTFont):  # type: ignore[misc]  # ReportLab has no types
    """ReportLab's TTFont around a face made before (a `SubsetCachingFace`).

    Sets what `TTFont.__init__` of ReportLab 5.1 sets; a test compares the two.
    """

    def __init__(self, name: str, face: Any) -> None:
        self.fontName = name
        self.face = face
        self.encoding = ttfonts.TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False  # no HarfBuzz shaping: we place every character ourselves


def registered_font(name: str) -> Any | None:
    """The font registered under `name` (by an earlier PDF of this process), or None."""
    if name in pdfmetrics.getRegisteredFontNames():
        return pdfmetrics.getFont(name)
    return None


def register_face(name: str, face: SubsetCachingFace, tag: str) -> FaceFont:
    """Register a face under `name`, its face name made unique by `tag`.

    ReportLab takes a second font of the same face name for the first one (two
    subsets of one face would share glyphs): each gets its own name.
    """
    font = FaceFont(name, face)
    font.face.name = font.face.name + b"-" + tag[:6].encode()
    pdfmetrics.registerFont(font)
    return font


def caches_subsets(font: Any) -> bool:
    """Whether a registered font's face caches its subsets (a SubsetCachingFace)."""
    return isinstance(font.face, SubsetCachingFace)


def set_subset_cache(font: Any, cache: tuple[Area, str, int, bool]) -> None:
    """Where a registered font's subsets are cached: folder, file stamp, index, read."""
    font.face.subset_cache = cache


def has_glyph(font: Any, ch: str) -> bool:
    return ord(ch) in font.face.charToGlyph


def glyph_extent(font: str, ch: str, advance: float) -> tuple[float, float, float] | None:
    """The advance and the left and right edges of `ch`'s outline in `font`, in ems,
    read from the glyf table of the registered face; None when it cannot be read."""
    try:
        face = pdfmetrics.getFont(font).face
        gid = face.charToGlyph[ord(ch)]
        start = face.table["glyf"]["offset"] + face.glyphPos[gid]
        upm = face.unitsPerEm
        if face.glyphPos[gid + 1] > face.glyphPos[gid]:
            x_min, x_max = struct.unpack(">hxxh", bytes(face._ttf_data[start + 2:start + 8]))
            return (advance, x_min / upm, x_max / upm)
        return (advance, advance / 2, advance / 2)  # an empty glyph
    except (AttributeError, KeyError, IndexError, TypeError, struct.error):
        return None


def string_width(ch: str, font: str) -> float:
    """The advance of `ch` in `font` at 1 pt."""
    width: float = pdfmetrics.stringWidth(ch, font, 1.0)
    return width


# ---- platypus -------------------------------------------------------------------------------------


def keep_together_height(block: Any) -> float:
    """A KeepTogether's height after wrap (wrap answers 0xffffff, to be split)."""
    height: float = block._H
    return height


def is_table(flowable: Any) -> bool:
    from reportlab.platypus import Table

    return isinstance(flowable, Table)


def table_start_height(table: Any, rows: int) -> float:
    """The height of a wrapped table's first `rows` rows."""
    return float(sum(table._rowHeights[:rows]))


def frame_of(flowable: Any) -> Any:
    """The frame platypus is laying `flowable` out in (None outside a build)."""
    return getattr(flowable, "_frame", None)


def at_frame_top(frame: Any) -> bool:
    """Whether nothing has been set in `frame` yet."""
    return bool(getattr(frame, "_atTop", False))


def lend_frame(flowable: Any, frame: Any, canv: Any) -> None:
    """Let a flowable that is asked to wrap and split outside the frame's loop see both."""
    flowable._frame, flowable.canv = frame, canv


def binary_streams() -> None:
    """Binary streams: smaller and faster than ASCII85."""
    rl_config.useA85 = 0


class OutlineCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no types
    """A canvas that opens the outline panel when the PDF is opened."""

    def save(self) -> None:
        self.showOutline()
        super().save()


class DryCanvas(Canvas):  # type: ignore[misc]  # ReportLab has no types
    """The canvas of a layout pass that is thrown away: lines and charts are not drawn
    (`is_dry`), and nothing is written; the pages are laid out all the same."""

    def save(self) -> None:
        pass


def is_dry(canv: Any) -> bool:
    """Whether `canv` is a dry pass's (its drawing is thrown away)."""
    return isinstance(canv, DryCanvas)
