"""A TrueType face read in place answers what ReportLab's full parse of it answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from reportlab.pdfbase.ttfonts import TTFontFace

from briefgen.config.house import load_house
from briefgen.fonts import FontResolver
from briefgen.writers.pdf.rl_compat import SubsetCachingFace

from .conftest import ROOT

# Han text, a rare character of the BMP (喆) and beyond it (𠮷, 𠀋), Latin, digits,
# full-width punctuation, the space and the no-break space.
TEXT = "朝阳市规模以上工业增加值增长9.0%，喆𠮷𠀋（见图1）“新质生产力”GDP 2024年\u00a0—"
HEADER = ("name", "familyName", "styleName", "fullName", "unitsPerEm", "ascent", "descent",
          "capHeight", "bbox", "italicAngle", "stemV", "flags", "numGlyphs", "table",
          "filename", "defaultWidth", "underlinePosition", "underlineThickness", "_full_font")


def _house_faces() -> list[tuple[Path, int]]:
    house = load_house(ROOT / "templates" / "house.yaml")
    resolver = FontResolver(house)
    found = {(c.face.path, c.face.index) for role in house.fonts for bold in (False, True)
             for c in resolver.role(role, bold).choices if c.face.outline == "TrueType"}
    return sorted(found)


FACES = _house_faces()


def test_the_house_has_truetype_faces_of_both_cmap_formats_to_compare() -> None:
    assert len(FACES) >= 5
    assert any(p.suffix == ".ttc" for p, _ in FACES)  # a collection: a face's own tables
    formats = {SubsetCachingFace(p, i)._charmap().format for p, i in FACES}  # type: ignore[union-attr]
    assert formats == {4, 12}


@pytest.mark.parametrize("path,index", FACES, ids=[f"{p.name}#{i}" for p, i in FACES])
def test_a_face_read_in_place_answers_as_reportlab_parses_it(path: Path, index: int) -> None:
    full = TTFontFace(str(path), subfontIndex=index)
    lazy = SubsetCachingFace(path, index)
    for attr in HEADER:
        assert getattr(lazy, attr) == getattr(full, attr), attr
    for code, glyph in full.charToGlyph.items():  # every character the face maps
        assert lazy.charToGlyph[code] == glyph, hex(code)
        assert lazy.charWidths.get(code) == full.charWidths.get(code), hex(code)
    for code in [*range(0, 0x30000, 7), *map(ord, TEXT)]:  # mapped or not, the same answer
        assert (code in lazy.charToGlyph) == (code in full.charToGlyph), hex(code)
        assert lazy.charWidths.get(code, -1) == full.charWidths.get(code, -1), hex(code)
    assert list(lazy.glyphPos) == list(full.glyphPos)
    assert [lazy.hmetrics[g] for g in range(full.numGlyphs)] == list(full.hmetrics)
    subset = [ord(c) for c in dict.fromkeys(TEXT)]
    assert lazy.makeSubset(subset) == full.makeSubset(subset)  # the bytes the PDF embeds


def test_a_face_learns_only_the_characters_asked_for() -> None:
    path, index = next((p, i) for p, i in FACES if p.suffix == ".ttc")
    face = SubsetCachingFace(path, index)
    assert len(face.charToGlyph) == 0
    assert ord("朝") in face.charToGlyph and ord("\U0010FFFF") not in face.charToGlyph
    assert face.charWidths.get(ord("\U0010FFFF"), "none") == "none"
    with pytest.raises(KeyError):
        face.charToGlyph[0x10FFFF]
    assert set(face.charToGlyph) == {ord("朝")}  # the absent one is remembered, not stored


def _format6_font(tmp_path: Path) -> Path:
    """A Latin face whose only character map is format 6 (not read in place)."""
    path, index = next((p, i) for p, i in FACES if p.suffix == ".ttf")
    font = TTFont(str(path), fontNumber=index)
    best = font.getBestCmap()
    table = CmapSubtable.newSubtable(6)
    table.platformID, table.platEncID, table.language = 3, 1, 0
    table.cmap = {cp: best[cp] for cp in range(0x41, 0x5B)}  # A-Z, contiguous
    cmap = newTable("cmap")
    cmap.tableVersion, cmap.tables = 0, [table]
    font["cmap"] = cmap
    out = tmp_path / "format6.ttf"
    font.save(str(out))
    return out


def test_a_face_of_another_cmap_format_is_parsed_in_full(tmp_path: Path) -> None:
    path = _format6_font(tmp_path)
    full = TTFontFace(str(path))
    face = SubsetCachingFace(path)
    assert type(face.charToGlyph) is dict and face.charToGlyph == full.charToGlyph
    assert face.charWidths == full.charWidths and len(face.charToGlyph) == 26
    assert face.makeSubset([0x41, 0x5A]) == full.makeSubset([0x41, 0x5A])
