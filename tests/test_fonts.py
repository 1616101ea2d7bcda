"""The font resolver: roles, candidates, the PyPI-only route, subsetting and conversion."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefgen import fonts
from briefgen.cache import area
from briefgen.config.house import load_house
from briefgen.errors import BriefError

from .conftest import ROOT, run_cli

HOUSE = ROOT / "templates" / "house.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE", str(path))
    return path


@pytest.fixture
def house():
    return load_house(HOUSE)


def test_roles_resolve_to_the_debian_fonts(cache: Path, house) -> None:
    r = fonts.FontResolver(house)
    assert r.role("fangsong").primary.face.family == "AR PL UMing CN"
    assert r.role("hei").primary.face.family == "WenQuanYi Zen Hei"
    assert r.role("kai").primary.face.label == "LXGW WenKai Regular"
    display = r.role("display").primary.face
    assert display.family == "Noto Serif CJK SC" and display.style == "Bold"
    assert display.outline == "CFF"
    assert display.path.suffix == ".ttc" and display.index > 0  # the SC face, not face 0 (JP)


def test_every_role_ends_with_the_fonts_shipped_on_pypi(cache: Path, house) -> None:
    shipped = {p.name for p in fonts.packaged_font_files()}
    assert shipped == {"NotoSerifSC-Regular.otf", "NotoSansSC-Regular.otf"}
    r = fonts.FontResolver(house)
    for role in house.fonts:
        tail = [c.face.path.name for c in r.role(role).choices[-2:]]
        assert set(tail) == shipped
    assert r.role("hei").choices[-2].face.path.name == "NotoSansSC-Regular.otf"
    assert r.role("fangsong").choices[-2].face.path.name == "NotoSerifSC-Regular.otf"


def test_pypi_only_machine_still_finds_a_chinese_font(cache: Path, house,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_SYSTEM_FONTS", "0")
    monkeypatch.setenv("BRIEFGEN_FONT_PATH", str(tmp_path / "nothing-here"))
    monkeypatch.chdir(tmp_path)
    r = fonts.FontResolver(house)
    for role in house.fonts:
        face = r.role(role).primary.face
        assert face.path.name in ("NotoSerifSC-Regular.otf", "NotoSansSC-Regular.otf"), role
    assert r.role("hei").primary.face.family == "Noto Sans SC"
    assert r.role("fangsong").primary.face.family == "Noto Serif SC"


def test_a_file_name_candidate_is_found_on_the_env_path(cache: Path, house,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "myfonts"
    folder.mkdir()
    shutil.copy("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
                folder / "simfang.ttf")
    monkeypatch.setenv("BRIEFGEN_FONT_PATH", str(folder))
    house.fonts["fangsong"].candidates.insert(0, "simfang.ttf")
    face = fonts.FontResolver(house).role("fangsong").primary.face
    assert face.path == folder / "simfang.ttf"


def test_absent_role_font_is_one_clear_error(cache: Path, house,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefgen.fonts.resolve.packaged_font_files", lambda: [])
    house.fonts["kai"].candidates = ["No Such Font", "nosuch.ttf"]
    with pytest.raises(BriefError) as err:
        fonts.FontResolver(house).role("kai")
    msg = err.value.one_line()
    assert "role 'kai'" in msg and "No Such Font" in msg and "house.yaml" in msg
    assert "\n" not in msg


def test_bold_uses_the_family_bold_face_or_fakes_it(cache: Path, house) -> None:
    r = fonts.FontResolver(house)
    kai = r.role("kai", bold=True).primary
    assert kai.face.label == "LXGW WenKai Bold" and not kai.fake_bold
    fang = r.role("fangsong", bold=True).primary
    assert fang.face.family == "AR PL UMing CN" and fang.fake_bold  # UMing has no bold


def test_cff_face_is_subset_and_converted_to_truetype_and_cached(cache: Path, house) -> None:
    face = fonts.FontResolver(house).role("display").primary.face
    text = "调研报告推动朝阳市"
    path = fonts.subset_face(face, text)
    assert path.parent == area("fonts", cache).folder
    font = TTFont(str(path))
    assert "glyf" in font and "CFF " not in font
    cmap = font.getBestCmap()
    for ch in text:
        glyph = font["glyf"][cmap[ord(ch)]]
        assert glyph.numberOfContours > 0, ch
    assert len(cmap) <= len(text) + 2
    mtime = path.stat().st_mtime_ns
    assert fonts.subset_face(face, text) == path  # cache hit: same content hash
    assert path.stat().st_mtime_ns == mtime
    # ReportLab accepts it
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    RLFont("TestConverted", str(path))


def test_a_cff_subset_has_the_faces_own_glyphs_and_advances(cache: Path, house) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    face = fonts.FontResolver(house).role("display").primary.face  # Noto Serif CJK SC, CFF
    # Han, a rare one (喆), one beyond the BMP (a format 12 cmap), full-width punctuation
    text = "调研朝阳喆𠮷，。：（）《》“”\u3000"
    path = fonts.subset_face(face, text + "调")  # a repeat is one glyph
    assert path is not None
    sub = TTFont(str(path))
    source = TTFont(str(face.path), fontNumber=face.index)
    source_cmap, source_glyphs = source.getBestCmap(), source.getGlyphSet()
    cmap = sub.getBestCmap()
    assert sorted(cmap) == sorted(map(ord, text))
    order = sub.getGlyphOrder()
    assert order[0] == ".notdef" and len(order) == len(text) + 1
    assert [cmap[cp] for cp in sorted(cmap)] == order[1:]  # in code-point order
    assert any(t.format == 12 for t in sub["cmap"].tables)
    for ch in text:
        pen = TTGlyphPen(None)
        source_glyphs[source_cmap[ord(ch)]].draw(Cu2QuPen(pen, max_err=1.0,
                                                           reverse_direction=True))
        want, got = pen.glyph(), sub["glyf"][cmap[ord(ch)]]
        assert got.numberOfContours == want.numberOfContours, ch
        if want.numberOfContours:
            assert list(got.coordinates) == list(want.coordinates), ch
            assert list(got.flags) == list(want.flags), ch
            assert list(got.endPtsOfContours) == list(want.endPtsOfContours), ch
        advance, lsb = sub["hmtx"][cmap[ord(ch)]]
        assert advance == source["hmtx"][source_cmap[ord(ch)]][0], ch
        assert lsb == (got.xMin if got.numberOfContours else 0), ch
    assert sub["name"].getDebugName(6) == source["name"].getDebugName(6)
    assert sub["OS/2"].fsType == source["OS/2"].fsType
    again = fonts.subset_face(face, text, cache.parent / "another-cache")  # made again
    assert again is not None and again != path
    assert again.read_bytes() == path.read_bytes()  # the same bytes: cached and in render keys
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    RLFont("TestDirect", str(path))
    assert fonts.subset_face(face, "\u0378\U0001F600") is None  # characters it does not have


def test_resolve_font_file_for_the_charts(cache: Path, house) -> None:
    found = fonts.resolve_font_file(house, "hei")
    path, index = found
    assert path.is_file() and index == found.face_index >= 0
    assert found.path.name == "wqy-zenhei.ttc"


def test_the_fonts_command_shows_every_role(tmp_path: Path) -> None:
    result = run_cli("fonts", "--house", HOUSE)
    assert result.code == 0, result.stderr
    for role in ("display", "song", "fangsong", "hei", "kai", "latin"):
        assert f"{role}  (Word:" in result.stdout
    assert "latin  (Word: Times New Roman" in result.stdout
    assert result.stdout.count("Latin    : letters and digits in role 'latin'") == 5
    assert "AR PL UMing CN" in result.stdout
    assert "CFF, converted to TrueType" in result.stdout
    assert "uming.ttc" in result.stdout
    bad = run_cli("fonts", "--house", tmp_path / "none.yaml")
    assert bad.code == 2 and "house style file not found" in bad.stderr


# ---- the Latin face -------------------------------------------------------------------------------


def test_every_chinese_role_draws_latin_text_with_the_latin_role(house) -> None:
    assert house.fonts["latin"].word == house.latin_font  # the face Word writes, w:ascii
    for role in ("display", "song", "fangsong", "hei", "kai"):
        assert house.fonts[role].latin == "latin", role
    assert house.fonts["latin"].latin is None


def test_the_latin_role_resolves_to_a_times_substitute_with_a_real_bold(cache: Path,
                                                                        house) -> None:
    r = fonts.FontResolver(house)
    face = r.role("latin").primary.face
    # Times New Roman where installed, else Liberation Serif (Debian fonts-liberation2)
    assert face.family in ("Times New Roman", "Liberation Serif"), face.family
    assert face.outline == "TrueType"
    bold = r.role("latin", bold=True).primary
    assert bold.face.is_bold() and not bold.fake_bold
    assert bold.face.family == face.family


def test_a_latin_role_that_is_not_defined_is_one_clear_error(tmp_path: Path) -> None:
    text = HOUSE.read_text("utf-8").replace("    latin: latin\n", "    latin: roman\n", 1)
    bad = tmp_path / "templates" / "house.yaml"
    bad.parent.mkdir()
    bad.write_text(text, "utf-8")
    with pytest.raises(BriefError) as err:
        load_house(bad)
    msg = err.value.one_line()
    assert "'roman'" in msg and "house.yaml" in msg and "display" in msg


# ---- one index per process, stamps and content hashes ---------------------------------------------


def test_the_font_folders_are_walked_once_however_many_resolvers(cache: Path, house,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from briefgen.fonts import index

    walks: list[list[Path]] = []
    real = index.font_files
    monkeypatch.setattr(index, "font_files", lambda dirs: walks.append(dirs) or real(dirs))
    folder = tmp_path / "project-fonts"
    folder.mkdir()
    monkeypatch.setenv("BRIEFGEN_FONT_PATH", str(folder))
    # what a build does: the charts' font, the render key, the PDF writer's resolver
    fonts.resolve_font_file(house, "hei")
    fonts.font_fingerprint(house)
    fonts.FontResolver(house).role("song")
    assert len(walks) == 1
    # a font dropped into a search folder is seen by the next resolver (the folder's time)
    shutil.copy("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
                folder / "simkai.ttf")
    os.utime(folder, ns=(folder.stat().st_mtime_ns + 10**9,) * 2)
    house.fonts["kai"].candidates.insert(0, "simkai.ttf")
    assert fonts.FontResolver(house).role("kai").primary.face.path == folder / "simkai.ttf"
    assert len(walks) == 2


def test_content_id_keeps_its_memo_in_the_cache_folder_it_is_given(cache: Path,
                                                                  tmp_path: Path) -> None:
    from briefgen.fonts.files import hash_file

    font = tmp_path / "a.ttf"
    shutil.copy("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", font)
    other = tmp_path / "other-cache"
    digest = fonts.content_id(font, cache=other)
    assert digest == hash_file(font)
    assert (area("index", other).folder / "font-hashes.json").is_file()
    assert not area("index", cache).folder.exists()
    # a different file at the same path (new size and time) gets a new hash
    font.write_bytes(font.read_bytes()[:1000])
    assert fonts.content_id(font, cache=other) == hash_file(font) != digest


def test_the_render_key_of_the_fonts_reads_stamps_not_font_files(cache: Path, house,
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from briefgen.fonts import files

    def no_reading(path: Path) -> str:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(files, "hash_file", no_reading)
    folder = tmp_path / "myfonts"
    folder.mkdir()
    shutil.copy("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
                folder / "simfang.ttf")
    monkeypatch.setenv("BRIEFGEN_FONT_PATH", str(folder))
    house.fonts["fangsong"].candidates.insert(0, "simfang.ttf")
    before = fonts.font_fingerprint(house)
    assert fonts.font_fingerprint(house) == before
    stamp = (folder / "simfang.ttf").stat().st_mtime_ns + 10**9
    os.utime(folder / "simfang.ttf", ns=(stamp, stamp))  # the font file replaced
    assert fonts.font_fingerprint(house) != before
