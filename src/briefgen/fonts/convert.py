"""Subsetting a face to the characters it draws, and CFF outlines converted to TrueType.

ReportLab embeds TrueType outlines only. A CFF OpenType face (Noto CJK, Source
Han) is subset to the characters it draws and converted with fontTools (cubic to
quadratic curves); the result is kept in the cache's ``fonts`` area (a verified
entry), keyed by the face's content hash and the characters, so it is made once
per machine (≈ 0.3 s for a CJK face).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from briefgen.cache import Area, area
from briefgen.errors import OutputError
from briefgen.fonts.faces import Face
from briefgen.fonts.files import content_id

SUBSET_VERSION = 3
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
    font = _subset(face, codepoints)
    if not font.getBestCmap():
        store.put_bytes(key, "none", b"")
        return None
    return _save_truetype(font, store, key)


def _save_truetype(font: Any, store: Area, key: str) -> Path:
    """The subset in the cache as a TrueType-outline file (a CFF face's outlines converted)."""
    if "glyf" not in font:
        otf_to_ttf(font)
    made = store.put(key, "ttf", lambda tmp: font.save(str(tmp)))
    if made is None:  # ReportLab reads the subset from its file: there must be one
        raise OutputError("cannot write to the font cache", str(store.folder),
                          hint="set BRIEFGEN_CACHE to a folder you can write to")
    return made


def _subset(face: Face, codepoints: list[int]) -> Any:
    """The face with only the glyphs of these code points (a fontTools TTFont)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # the same bytes from the same font, whenever made; lazy: only the tables the subset
    # reads are read (the same result, ~10 % less work for a CJK face)
    font = TTFont(str(face.path), fontNumber=face.index, recalcBBoxes=False,
                  recalcTimestamp=False, lazy=True)
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
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        glyphset[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    return glyphs


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
