"""Subsetting a face to the characters it draws, and CFF outlines converted to TrueType.

ReportLab embeds TrueType outlines only. A CFF OpenType face (Noto CJK, Source
Han) is cut down to the characters it draws and converted with fontTools (cubic to
quadratic curves); the result is kept in the cache's ``fonts`` area (a verified
entry), keyed by the face's content hash and the characters, so it is made once
per machine.

A CFF face is not put through fontTools' subsetter (≈ 0.35 s for a CJK face, most of
it decompiling and pruning tables of 65k glyphs a PDF never uses): the few glyphs
are read from the face, opened lazily, and a small TrueType font is assembled around
them (``_direct``, ≈ 0.1 s: the glyph ids from the raw cmap, the advances from the
raw hmtx, the other tables copied). A CFF2 (variable) face keeps the subsetter and
``otf_to_ttf``.
"""

from __future__ import annotations

import hashlib
import logging
import struct
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from briefgen.cache import Area, area
from briefgen.errors import OutputError
from briefgen.fonts.faces import Face
from briefgen.fonts.files import content_id
from briefgen.fonts.sfnt import CMAP_FORMATS, CharMap, HorizontalMetrics, u16

SUBSET_VERSION = 4  # 4: CFF faces assembled directly (glyphs in code-point order)
# Tables a PDF does not use; dropped before the subsetter reads them (the layout tables: 0.1 s).
_DROP = ["BDF ", "FFTM", "VORG", "GSUB", "GPOS", "BASE", "JSTF", "DSIG", "vhea", "vmtx"]


def subset_key(face: Face, codepoints: list[int], cache: Path | None, use_cache: bool) -> str:
    """The cache key of the subset of `face` for these code points (by content hash)."""
    h = hashlib.sha256()
    h.update(f"{SUBSET_VERSION}|{content_id(face.path, use_cache, cache)}|{face.index}|".encode())
    h.update(",".join(map(str, codepoints)).encode())
    return h.hexdigest()[:32]


def subset_face(face: Face, chars: Iterable[str], cache: Path | None = None,
                use_cache: bool = True) -> Path | None:
    """A TrueType-outline font file with the glyphs of `chars`, cached by content hash.

    None when the face has none of them. `use_cache=False` makes it again.
    """
    codepoints = sorted({ord(c) for c in chars})
    store = area("fonts", cache)
    key = subset_key(face, codepoints, cache, use_cache)
    if use_cache:
        found = store.get(key, "ttf")
        if found is not None:
            return found
        if store.get(key, "none") is not None:
            return None
    font = _make(face, codepoints)
    if font is None:
        store.put_bytes(key, "none", b"")
        return None
    return _save_truetype(font, store, key)


def _make(face: Face, codepoints: list[int]) -> Any | None:
    """The face cut down to these code points (a fontTools TTFont), None without any."""
    from fontTools.ttLib import TTFont

    # the same bytes from the same font, whenever made; lazy: only the tables read are read
    source = TTFont(str(face.path), fontNumber=face.index, recalcBBoxes=False,
                    recalcTimestamp=False, lazy=True)
    if "CFF " in source and "glyf" not in source:
        try:
            return _direct(source, codepoints)
        finally:
            source.close()  # the tables kept are decompiled: the file is no longer read
    font = _subset(source, codepoints)
    return font if font.getBestCmap() else None


def _save_truetype(font: Any, store: Area, key: str) -> Path:
    """The subset in the cache as a TrueType-outline file (a CFF face's outlines converted)."""
    if "glyf" not in font:
        otf_to_ttf(font)
    made = store.put(key, "ttf", lambda tmp: font.save(str(tmp)))
    if made is None:  # ReportLab reads the subset from its file: there must be one
        raise OutputError("cannot write to the font cache", str(store.folder),
                          hint="set BRIEFGEN_CACHE to a folder you can write to")
    return made


def _subset(font: Any, codepoints: list[int]) -> Any:
    """The font (a lazy fontTools TTFont) with only the glyphs of these code points."""
    from fontTools import subset

    for tag in _DROP:
        if tag in font:
            del font[tag]
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.hinting = False
    opts.drop_tables += _DROP
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codepoints)
    quiet = logging.getLogger("fontTools.subset")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "BDF  NOT subset; dropped" and the like
    try:
        sub.subset(font)
    finally:
        quiet.setLevel(level)
    return font


def otf_to_ttf(font: Any) -> None:
    """Replace a font's CFF outlines (a fontTools TTFont) by TrueType (quadratic) ones, in place."""
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = _quadratic_glyphs(font, order)
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        g.recalcBounds(glyf)
        adv, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (adv, getattr(g, "xMin", 0) if g.numberOfContours else 0)
    font["maxp"] = _truetype_maxp(font, len(order))
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _quadratic_glyphs(font: Any, order: list[str]) -> dict[str, Any]:
    glyphset = font.getGlyphSet()
    return {name: _quadratic(glyphset[name].draw) for name in order}


def _quadratic(draw: Callable[[Any], None]) -> Any:
    """A TrueType glyph of a CFF glyph's outline (`draw`: its draw method)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)  # a CFF glyph has no components: no glyph set to look them up in
    draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    return pen.glyph()


def _truetype_maxp(font: Any, glyph_count: int) -> Any:
    """A version 1.0 maxp table (TrueType's), without hinting resources."""
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.numGlyphs = glyph_count
    font["maxp"] = maxp
    maxp.recalc(font)
    return maxp


# The cmap subtables as fontTools' getBestCmap prefers them.
_CMAP_ORDER = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def _direct(source: Any, codepoints: list[int]) -> Any | None:
    """A TrueType-outline font of a CFF face's glyphs for these code points, None without any.

    `source` is the face opened lazily; only the few tables needed are decompiled
    (the charstrings of the glyphs drawn, not the 65k-entry cmap, hmtx and vmtx).
    Glyphs: .notdef, then those of the code points in code-point order.
    """
    from fontTools.ttLib import TTFont, newTable

    ids = {cp: gid for cp, gid in _glyph_ids(source, codepoints).items()
           if 0 < gid < source["maxp"].numGlyphs}
    if not ids:
        return None
    cff = source["CFF "].cff
    top = cff[cff.fontNames[0]]
    charset, charstrings = top.charset, top.CharStrings
    gids = list(dict.fromkeys([0, *ids.values()]))
    order = [charset[gid] for gid in gids]
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)  # the same input, the same bytes
    font.setGlyphOrder(order)
    for tag in ("head", "hhea", "OS/2", "name", "post"):
        font[tag] = source[tag]
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {name: _quadratic(charstrings[name].draw) for name in order}
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    hmtx = newTable("hmtx")
    hmtx.metrics = {}
    advance = _advances(source)
    for gid, name in zip(gids, order, strict=True):
        g = glyf.glyphs[name]
        g.recalcBounds(glyf)  # lsb = xMin, as otf_to_ttf sets it
        hmtx.metrics[name] = (advance(gid), getattr(g, "xMin", 0) if g.numberOfContours else 0)
    font["hmtx"] = hmtx
    font["cmap"] = _cmap({cp: charset[gid] for cp, gid in ids.items()})
    font["maxp"] = _truetype_maxp(font, len(order))  # and head's bbox, from the glyphs kept
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names
    post.extraNames = []
    post.mapping = {}
    os2 = font["OS/2"]  # the ranges pruned to the characters kept, as the subsetter does
    os2.recalcUnicodeRanges(font, pruneOnly=True)
    if os2.version >= 1:
        os2.recalcCodePageRanges(font, pruneOnly=True)
    return font


def _glyph_ids(source: Any, codepoints: list[int]) -> dict[int, int]:
    """The glyph ids of those of `codepoints` the face maps, from its raw cmap.

    Looked up in the subtable fontTools would pick, in place (`sfnt.CharMap`), without
    decompiling it (a CJK face maps 40k+ characters); another format is decompiled.
    """
    data = source.reader["cmap"]
    count = u16(data, 2)
    offsets = {(p, e): off for p, e, off in struct.iter_unpack(">HHI", data[4:4 + 8 * count])}
    off = next((offsets[k] for k in _CMAP_ORDER if k in offsets), None)
    fmt = -1 if off is None else u16(data, off)
    if off is not None and fmt in CMAP_FORMATS:
        charmap = CharMap(data, off)
        found = {cp: charmap.glyph(cp) for cp in codepoints}
        return {cp: gid for cp, gid in found.items() if gid is not None}
    cmap = source.getBestCmap() or {}
    return {cp: source.getGlyphID(cmap[cp]) for cp in codepoints if cp in cmap}


def _advances(source: Any) -> Callable[[int], int]:
    """A glyph id's advance width, read from the face's raw hmtx (not decompiled: 65k glyphs)."""
    metrics = HorizontalMetrics(source.reader["hmtx"], 0, source["hhea"].numberOfHMetrics,
                                source["maxp"].numGlyphs)
    return metrics.advance


def _cmap(mapping: dict[int, str]) -> Any:
    """A cmap of format 4 (the BMP) and, for characters beyond it, format 12."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    bmp = {cp: name for cp, name in mapping.items() if cp <= 0xFFFF}
    kinds = [(4, 0, 3, bmp), (4, 3, 1, bmp)]
    if len(bmp) < len(mapping):
        kinds += [(12, 0, 4, mapping), (12, 3, 10, mapping)]
    cmap = newTable("cmap")
    cmap.tableVersion = 0
    cmap.tables = []
    for fmt, platform, encoding, chars in kinds:
        table = CmapSubtable.newSubtable(fmt)
        table.platformID, table.platEncID, table.language = platform, encoding, 0
        table.cmap = dict(chars)
        cmap.tables.append(table)
    return cmap
