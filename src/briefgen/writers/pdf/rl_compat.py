"""Every use of ReportLab's internals (private attributes, patches, subclassed internals).

The rest of the PDF writer speaks ReportLab's public API only (platypus flowables,
the canvas). What ReportLab 5.1 does not offer is done here, in one place a new
ReportLab release is checked against:

- the import-time patch of ``ttfonts.makeToUnicodeCMap`` (characters above U+FFFF),
- a TrueType face whose embedded subsets are cached, and a TTFont around a face
  parsed before (`fonts.parsed_face`),
- glyph outlines read from a registered face's data,
- what platypus keeps private: a KeepTogether's height, a frame's "at top".
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version, rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from briefgen.cache import Area

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


class SubsetCachingFace(ttfonts.TTFontFace):  # type: ignore[misc]  # ReportLab has no types
    """A TrueType face whose subsets, as embedded (made and compressed), are cached.

    ReportLab cuts the glyphs a PDF uses out of the face in subsets of 256 and
    compresses each when it writes the PDF (≈ 5 ms per subset of a CJK face). The
    compressed program of a subset is kept in the cache, keyed by the face's
    content hash and the subset's characters (in their order), so a repeat build
    copies it.
    """

    subset_cache: tuple[Area, str, int, bool] | None = None  # area, file stamp, index, read

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


class ParsedTTFont(ttfonts.TTFont):  # type: ignore[misc]  # ReportLab has no types
    """ReportLab's TTFont around a face parsed before (`fonts.parsed_face`), not read again.

    Sets what `TTFont.__init__` of ReportLab 5.1 sets; the parse cache is keyed by
    ReportLab's version, and a test compares the two.
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


def register_parsed_face(name: str, parsed: Any, tag: str) -> ParsedTTFont:
    """Register a parsed face under `name`, its face name made unique by `tag`.

    ReportLab takes a second font of the same face name for the first one (two
    subsets of one face would share glyphs): each gets its own name.
    """
    font = ParsedTTFont(name, parsed)
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
