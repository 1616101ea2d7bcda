"""The PDF writer, read back from the PDF: fonts, text, lines, outline, pages, glyphs."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from briefgen.app.pipeline import prepare
from briefgen.errors import BriefError
from briefgen.fonts import FontResolver
from briefgen.model import (
    Author,
    BoardRole,
    Document,
    Emphasis,
    EndMatter,
    Figure,
    Footnote,
    Heading,
    ListBlock,
    Masthead,
    Meta,
    Note,
    Paragraph,
    Strong,
    Table,
    Text,
    footnotes,
    plain_text,
)
from briefgen.writers.pdf import write_pdf

from .conftest import ROOT, SAMPLE

# HOUSE-STYLE.md: a line never starts with these, never ends with those.
CLOSING = set("、，。．：；！？）〕］｝】》〉」』”’・％‰℃!),.:;?]}")
OPENING = set("（〔［｛【《〈「『“‘([{")
A4_PT = (595.28, 841.89)


pytestmark = pytest.mark.usefixtures("shared_font_cache")



# ---- a hand-made document ---------------------------------------------------------------------

STRESS = (
    "朝阳市现有规模以上工业企业436户，2023年实现产值982.7亿元、同比增长4.8%，"
    "增速比上年加快12.2个百分点（全国4.6%）。“新质生产力”——这一概念……《纲要》提出："
    "坚持“四个面向”，！？；：）》」』】“（《「『【推进“十四五”规划。"
) * 6


def paragraph(text: str) -> Paragraph:
    return Paragraph([Text(text)])


def make_document(body: list, title: str = "推动朝阳市培育新质生产力促进工业高质量发展的对策建议",
                  lines: list[str] | None = None) -> Document:
    return Document(
        meta=Meta(title=title, authors=["武英杰"], date=dt.date(2024, 5, 14),
                  subject="辽宁大学城市研究院调研报告", keywords=["新质生产力", "朝阳"]),
        masthead=Masthead("辽宁大学城市研究院", "调研报告", "助力新六地，辽大在行动",
                          "第5期", "2024年5月14日"),
        title=title,
        title_lines=lines or ["推动朝阳市培育新质生产力", "促进工业高质量发展的对策建议"],
        author_line="武英杰",
        body=body,
        end=EndMatter(
            note="感谢朝阳市发展和改革委员会提供的调研参考资料。",
            authors=[Author("武英杰", "武英杰，工学博士，副教授。")],
            board_title="辽宁大学城市研究院调研报告编委会",
            board=[BoardRole("策划", ["潘一山"]), BoardRole("编委", ["李淑云", "史保东"])],
            contact="024-62602446",
            disclaimer="本刊声明：所刊文章属作者个人见解，不代表编辑部观点。",
            feedback="请把领导批示和转载情况反馈编辑部。",
        ),
    )


def drawings(tmp: Path) -> tuple[Path, Path]:
    """A chart's files as the charts stage leaves them: the PNG and, beside it, the same
    drawing as PDF operators (a bar and a triangle, 400 × 240 points)."""
    from PIL import Image

    from briefgen.cache import Area
    from briefgen.charts import PdfOps

    png = tmp / "chart.png"
    Image.new("RGB", (600, 360), (31, 58, 95)).save(png)
    ops = ("q 0.122 0.227 0.373 rg 20 20 m 100 20 l 100 220 l 20 220 l h f Q\n"
           "q 0.753 0.314 0.302 rg 150 20 m 200 180 l 250 20 l h f Q")
    entry = Area("charts", tmp).put_bytes("chart", "ops.json", PdfOps(400, 240, ops).to_bytes())
    assert entry is not None
    return png, entry


def rich_body(tmp: Path) -> list:
    png, ops = drawings(tmp)
    return [
        paragraph("习近平总书记首次提出“新质生产力”的概念，强调培育新能源、新材料等战略性新兴产业。"),
        Heading(1, "一、", [Text("朝阳市工业发展基本情况")]),
        paragraph(STRESS),
        Heading(2, "（一）", [Text("优势资源")]),
        Heading(3, "1.", [Text("区位优势明显")]),
        Paragraph([Text("全市"), Strong([Text("规上工业")]), Text("企业436户。")]),
        Heading(4, "（1）", [Text("土地资源")]),
        ListBlock(True, [[Text("冶金行业")], [Text("装备行业")]]),
        Table(1, "六大行业产值", ["行业", "产值（亿元）"], [["冶金", "567.2"], ["石化", "89.4"]],
              ["left", "right"], source="数据来源：朝阳市统计局"),
        Figure("f1", 1, "规上工业产值", png=png, ops=ops, source="数据来源：朝阳市统计局",
               width_ratio=0.8),
        Figure("f2", 2, "产业结构", png=png, ops=None, width_ratio=0.5),
        Note("注：", [Text("本节数据为快报数。")]),
        Heading(1, "二、", [Text("存在的问题")]),
        paragraph(STRESS[:200]),
    ]


@pytest.fixture(scope="module")
def rich_pdf(tmp_path_factory: pytest.TempPathFactory, house) -> tuple[Path, Document]:
    tmp = tmp_path_factory.mktemp("rich")
    os.environ["BRIEFGEN_CACHE"] = str(tmp_path_factory.getbasetemp() / "font-cache")
    doc = make_document(rich_body(tmp))
    path = write_pdf(doc, house, tmp / "rich.pdf")
    return path, doc


# ---- helpers reading a PDF --------------------------------------------------------------------


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


def pdftotext(path: Path, *args: str) -> str:
    out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True,
                         check=True)
    return out.stdout


def page_lines(path: Path) -> list[tuple[int, str]]:
    found = []
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            for line in (page.extract_text() or "").splitlines():
                if line.strip():
                    found.append((n, line.strip()))
    return found


def bad_breaks(path: Path) -> list[tuple[int, str]]:
    return [(n, ln) for n, ln in page_lines(path)
            if ln[0] in CLOSING or ln[-1] in OPENING]


def outline_titles(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    titles: list[str] = []

    def walk(items: list) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it)
            else:
                titles.append(it.title)

    walk(reader.outline)
    return titles


def drawn_glyphs(path: Path) -> dict[str, list[tuple[str, int]]]:
    """For every character drawn: the embedded font and the glyph's contour count."""
    reader = PdfReader(str(path))
    result: dict[str, list[tuple[str, int]]] = {}
    seen: set[int] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            if id(font) in seen or "/ToUnicode" not in font:
                continue
            seen.add(id(font))
            cmap_text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            program = font["/FontDescriptor"]["/FontFile2"].get_object().get_data()
            tt = TTFont(BytesIO(program))
            codes = tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0)
            for code, uni in _to_unicode(cmap_text).items():
                gname = codes.cmap.get(code)
                glyph = tt["glyf"][gname] if gname else None
                contours = glyph.numberOfContours if glyph is not None else 0
                result.setdefault(uni, []).append((str(font["/BaseFont"]), contours))
    return result


def _to_unicode(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(src, 16)] = _hex_text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>",
                                      block):
            base = ord(_hex_text(dst))
            for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(base + k)
    return out


def _hex_text(dst: str) -> str:
    if len(dst) % 4 == 0:
        return bytes.fromhex(dst).decode("utf-16-be")
    return chr(int(dst, 16))  # ReportLab writes a code point above U+FFFF as it is


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- the hand-made document ---------------------------------------------------------------------


def test_only_embedded_fonts_and_a_chinese_one(rich_pdf) -> None:
    path, _ = rich_pdf
    rows = pdffonts(path)
    assert rows
    for row in rows:
        assert row[-5] == "yes", row  # emb
    names = " ".join(r[0] for r in rows)
    assert "UMingCN" in names  # the body's Chinese face
    assert "NotoSerifCJK" in names  # the display face, converted from CFF


def test_a4_pages_numbered_with_dashes_alternating_sides(rich_pdf) -> None:
    path, _ = rich_pdf
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            assert (round(float(page.width), 1), round(float(page.height), 1)) == (595.3, 841.9)
            words = [w for w in page.extract_words() if w["top"] > page.height - 100]
            text = " ".join(w["text"] for w in words)
            assert text == f"— {n} —", text
            x = min(w["x0"] for w in words)
            if n % 2:
                assert x > page.width / 2  # odd pages: right
            else:
                assert x < page.width / 2  # even pages: left


def test_outline_holds_every_heading_in_order(rich_pdf) -> None:
    path, doc = rich_pdf
    want = [h.number + h.text for h in doc.headings()]
    assert outline_titles(path) == want
    reader = PdfReader(str(path))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_document_info(rich_pdf) -> None:
    path, doc = rich_pdf
    info = PdfReader(str(path)).metadata
    assert info.title == doc.meta.title
    assert info.author == "武英杰"
    assert info.subject == "辽宁大学城市研究院调研报告"
    assert "新质生产力" in info["/Keywords"]
    assert info.creation_date is not None


def test_text_comes_back_as_composed(rich_pdf) -> None:
    path, doc = rich_pdf
    text = pdftotext(path)
    joined = text.replace("\n", "")
    first = doc.body[0].text
    assert first in joined  # a whole paragraph, exactly, across its lines
    flat = squeeze(text)
    for needle in ("辽宁大学城市研究院", "调研报告", "推动朝阳市培育新质生产力促进工业高质量发展的对策建议",
                   "一、朝阳市工业发展基本情况", "（一）优势资源", "1.区位优势明显", "（1）土地资源",
                   "表1　六大行业产值", "图1　规上工业产值", "图2　产业结构", "数据来源：朝阳市统计局",
                   "567.2", "注：感谢朝阳市发展和改革委员会", "作者简介：武英杰", "策划：",
                   "024-62602446", "本刊声明", "请把领导批示和转载情况反馈编辑部。", "第5期",
                   "2024年5月14日", squeeze(STRESS[:120])):
        assert squeeze(needle) in flat, needle


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(rich_pdf) -> None:
    path, _ = rich_pdf
    lines = page_lines(path)
    assert len(lines) > 40
    assert bad_breaks(path) == []
    # the stress paragraph's numbers stay with their units
    for _, ln in lines:
        assert not re.search(r"982\.?$|^\.?7亿|^亿元|^%|^个百分点", ln), ln


def test_body_lines_are_justified_to_the_text_block(rich_pdf, house) -> None:
    path, _ = rich_pdf
    left = house.page.margin_left_mm * 72 / 25.4
    right = A4_PT[0] - house.page.margin_right_mm * 72 / 25.4
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[1]
        size = house.style("body").size
        rows: dict[int, list] = {}
        for ch in page.chars:
            if abs(ch["size"] - size) < 0.1 and ch["top"] < page.height - 120:
                rows.setdefault(round(ch["top"]), []).append(ch)
        full = [r for r in rows.values() if max(c["x1"] for c in r) > right - size]
        assert len(full) >= 10
        for r in full:
            assert abs(max(c["x1"] for c in r) - right) < 1.0  # flush right
            assert min(c["x0"] for c in r) >= left - 0.5


def test_figures_as_vector_and_image_tables_as_grids(rich_pdf) -> None:
    path, _ = rich_pdf
    with pdfplumber.open(str(path)) as pdf:
        images = sum(len(p.images) for p in pdf.pages)
        curves = sum(len(p.curves) + len(p.rects) for p in pdf.pages)
        lines = sum(len(p.lines) for p in pdf.pages)
        assert images == 1  # the PNG figure; the charted one is vector
        assert curves >= 2
        assert lines >= 6  # table grid, rules
        text = "".join(p.extract_text() for p in pdf.pages)
    assert "产值" in text


def test_bold_label_and_heading3_are_emboldened(rich_pdf) -> None:
    path, _ = rich_pdf
    raw = b"".join(p.get_contents().get_data() for p in PdfReader(str(path)).pages)
    assert b" 2 Tr" in raw  # fill+stroke: UMing has no bold face


def test_fallback_characters_get_real_glyphs(tmp_path: Path, house) -> None:
    # 喆 ① Ⅳ are in UMing, the body's face; 𠀋 (CJK Ext. B) and ‼ only in Noto Serif CJK SC,
    # the role's next candidate: drawn with it, converted from CFF
    odd = "喆①Ⅳ𠀋‼"
    doc = make_document([paragraph(f"测试字符：{odd}，以及正文。")])
    path = write_pdf(doc, house, tmp_path / "odd.pdf")
    glyphs = drawn_glyphs(path)
    for ch in odd + "测试":
        assert ch in glyphs, ch
        # a glyph with outlines (contours > 0) or made of other glyphs (composite: -1)
        assert all(contours != 0 for _, contours in glyphs[ch]), (ch, glyphs[ch])
    assert any("UMingCN" in f for f, _ in glyphs["喆"])
    assert all("NotoSerifCJK" in f for f, _ in glyphs["𠀋"]), glyphs["𠀋"]
    assert odd in pdftotext(path).replace("\n", "")
    for row in pdffonts(path):
        assert row[-5] == "yes"


def test_a_character_no_font_has_is_one_clear_error(tmp_path: Path, house) -> None:
    # no candidate of any role (nor any Debian CJK font) has 𠀀 (CJK Ext. B) or an emoji
    doc = make_document([paragraph("朝阳市工业发展态势良好😀，继续努力𠀀。")])
    out = tmp_path / "emoji.pdf"
    with pytest.raises(BriefError) as err:
        write_pdf(doc, house, out)
    msg = err.value.one_line()
    assert "😀" in msg and "U+1F600" in msg
    assert "𠀀" in msg and "U+20000" in msg
    assert "朝阳市工业发展态势良好" in msg  # where it is
    assert "\n" not in msg
    assert not out.exists()
    assert not list(tmp_path.glob("*.part"))


def test_a_missing_glyph_names_the_section_file_and_line_not_the_house(tmp_path: Path,
                                                                      house) -> None:
    block = paragraph("朝阳市工业发展态势良好😀。")
    block.where = "sections/basics.md:12"  # the source map compose gives each block
    with pytest.raises(BriefError) as err:
        write_pdf(make_document([block]), house, tmp_path / "where.pdf")
    assert (err.value.file, err.value.line) == ("sections/basics.md", 12)
    assert err.value.one_line().startswith("sections/basics.md:12: no font has a glyph for 😀")
    assert "house.yaml" not in err.value.one_line()


def test_pypi_fonts_alone_make_an_embedded_chinese_pdf(tmp_path: Path, house,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_SYSTEM_FONTS", "0")
    monkeypatch.setenv("BRIEFGEN_FONT_PATH", str(tmp_path / "none"))
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    doc = make_document([paragraph("朝阳市现有规模以上工业企业436户，产值982.7亿元。")])
    path = write_pdf(doc, house, tmp_path / "pypi.pdf")
    rows = pdffonts(path)
    assert rows and all(r[-5] == "yes" for r in rows)
    names = {r[0].split("+")[-1].rsplit("-", 1)[0] for r in rows}
    assert names <= {"NotoSerifSC-Regular", "NotoSansSC-Regular"}, names
    assert "朝阳市现有规模以上工业企业436户，产值982.7亿元。" in pdftotext(path).replace("\n", "")
    glyphs = drawn_glyphs(path)
    assert all(c > 0 for _, c in glyphs["朝"])


# ---- Latin text: its own face, the blank beside Han characters, the text as written -------------

MIXED = ("全市行政区域土地总面积1969914.36公顷，占全省面积的近七分之一，在全省14个地级市中排名第一。"
         "2023年，规上工业实现总产值982.7亿元，同比增长4.8%；已在Journal of Materials Chemistry C、"
         "Materials Research Letters等期刊发表论文12篇，GDP增长5.5%，PM2.5浓度下降。") * 2


def latin_face(house, bold: bool = False) -> str:
    """The PostScript name of the face the house's Latin role resolves to here."""
    return FontResolver(house).role("latin", bold).primary.face.psname


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory: pytest.TempPathFactory, house) -> tuple[Path, Document]:
    tmp = tmp_path_factory.mktemp("mixed")
    os.environ["BRIEFGEN_CACHE"] = str(tmp_path_factory.getbasetemp() / "font-cache")
    body = [
        paragraph(MIXED),
        Heading(3, "1.", [Text("2024年目标")]),
        Paragraph([Text("全市"), Strong([Text("规上工业企业436户")]), Text("，产值"),
                   Emphasis([Text("982.7亿元")]), Text("，增长4.8%。")]),
    ]
    doc = make_document(body)
    return write_pdf(doc, house, tmp / "mixed.pdf"), doc


def body_chars(path: Path, size: float) -> list[dict]:
    with pdfplumber.open(str(path)) as pdf:
        return [c for p in pdf.pages for c in p.chars
                if abs(c["size"] - size) < 0.1 and c["top"] < p.height - 100]


def test_latin_letters_and_digits_use_the_latin_face_han_the_chinese_one(mixed_pdf,
                                                                        house) -> None:
    path, _ = mixed_pdf
    latin = latin_face(house)
    chars = body_chars(path, house.style("body").size)
    assert chars
    for c in chars:
        face = c["fontname"].split("+", 1)[1]
        if c["text"].isascii():  # letters, digits, ASCII marks and spaces
            assert face.startswith(latin), (c["text"], face)
        else:  # Han characters and Chinese marks: the role's Chinese face
            assert not face.startswith(latin), (c["text"], face)
    han = {c["fontname"].split("+", 1)[1] for c in chars if c["text"] in "面积公顷"}
    assert han and all("UMingCN" in f for f in han)  # the body's 仿宋 substitute
    rows = pdffonts(path)
    assert any(latin in r[0] for r in rows) and all(r[-5] == "yes" for r in rows)


def test_bold_latin_text_uses_the_real_bold_face(mixed_pdf, house) -> None:
    path, _ = mixed_pdf
    bold = latin_face(house, bold=True)
    chars = body_chars(path, house.style("body").size)
    digits = [c for c in chars if c["text"] in "436"]
    faces = {c["fontname"].split("+", 1)[1].rsplit("-", 1)[0] for c in digits}
    assert bold in faces  # 436 in 规上工业企业436户 (bold), and in 1. of the heading
    raw = b"".join(p.get_contents().get_data() for p in PdfReader(str(path)).pages)
    assert b" 2 Tr" in raw  # the Han characters of the bold run: UMing has no bold face


def test_mixed_lines_share_one_baseline(mixed_pdf, house) -> None:
    path, _ = mixed_pdf
    rows: dict[int, set[float]] = {}
    for c in body_chars(path, house.style("body").size):
        rows.setdefault(round(c["top"] / 10), set()).add(round(c["matrix"][5], 2))
    assert len(rows) >= 6
    for baselines in rows.values():
        assert len(baselines) == 1, baselines  # Latin and Han on the same baseline


def test_a_blank_of_a_quarter_em_parts_han_and_latin_text(mixed_pdf, house) -> None:
    path, _ = mixed_pdf
    size = house.style("body").size
    gap_em = house.fonts["latin"].han_gap_em
    chars = body_chars(path, size)
    text = "".join(c["text"] for c in chars)
    i = text.index("面积1969914.36公顷")
    before, first, last, after = chars[i + 1], chars[i + 2], chars[i + 11], chars[i + 12]
    assert (first["text"], last["text"]) == ("1", "6")
    # the line is justified: each boundary also gets the same small spread
    inside = [chars[k + 1]["x0"] - chars[k]["x1"] for k in range(i + 2, i + 11)]
    assert max(inside) - min(inside) < 0.01 and abs(inside[0]) < 0.01  # a number is set tight
    spread = chars[i + 1]["x0"] - chars[i]["x1"]  # 面|积
    assert abs(first["x0"] - before["x1"] - spread - gap_em * size) < 0.05
    assert abs(after["x0"] - last["x1"] - spread - gap_em * size) < 0.05


def rejoin(text: str) -> str:
    """pdftotext's lines joined back: a line that ended at a space between words gets it back."""
    return re.sub(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])", " ", text).replace("\n", "")


def test_mixed_paragraphs_come_back_exactly(mixed_pdf) -> None:
    path, doc = mixed_pdf
    text = rejoin(pdftotext(path))
    assert MIXED in text  # no space where the blanks and the spread are
    assert doc.body[2].text in text
    assert "1.2024年目标" in text


def test_line_breaks_keep_the_rules_with_mixed_faces(mixed_pdf) -> None:
    path, _ = mixed_pdf
    assert bad_breaks(path) == []
    text = pdftotext(path)
    lines = text.splitlines()
    joined = rejoin(text)
    # Latin words and numbers with their units are never split between lines
    for whole in ("1969914.36", "14个", "2023年", "982.7亿元", "4.8%", "5.5%", "PM2.5", "Journal",
                  "Materials", "Chemistry", "Research", "Letters", "436户"):
        assert joined.count(whole) == sum(ln.count(whole) for ln in lines) > 0, whole


def test_page_numbers_have_latin_digits_and_song_dashes(rich_pdf, house) -> None:
    path, _ = rich_pdf
    latin = latin_face(house)
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        foot = [c for c in page.chars if c["top"] > page.height - 100]
    assert "".join(c["text"] for c in foot) == "— 1 —"
    for c in foot:
        face = c["fontname"].split("+", 1)[1]
        if c["text"].isdigit():
            assert face.startswith(latin)
        elif c["text"] == "—":
            assert "UMingCN" in face


def test_a_repeat_build_reads_fonts_and_drawings_from_the_cache(tmp_path: Path) -> None:
    """Cold, then warm: no build decodes a face's whole character map (each face is read
    in place); the warm one imports neither matplotlib (no chart drawn: the PDF copies the
    cached operators) nor fontTools, and its PDF is the cold one's, byte for byte
    (ReportLab's invariant mode)."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from reportlab import rl_config\n"
        "rl_config.invariant = 1\n"
        "from briefgen.app.pipeline import prepare\n"
        "from briefgen.writers.pdf import write_pdf\n"
        "p = prepare(Path(sys.argv[1]))\n"
        "import reportlab.pdfbase.ttfonts as t\n"
        "parsed = []\n"
        "orig = t.TTFontFile.extractInfo\n"
        "t.TTFontFile.extractInfo = lambda self, charInfo=1: (parsed.append(charInfo),\n"
        "                                                     orig(self, charInfo))[1]\n"
        "write_pdf(p.document, p.spec.house, Path(sys.argv[2]))\n"
        "print(json.dumps({m: m in sys.modules for m in ('matplotlib', 'fontTools')} | "
        "{'headers': parsed.count(0), 'whole': len(parsed) - parsed.count(0)}))\n"
    )
    env = {**os.environ, "BRIEFGEN_CACHE": str(tmp_path / "cache")}
    runs = []
    for name in ("cold.pdf", "warm.pdf"):
        proc = subprocess.run([sys.executable, "-c", script, str(ROOT / SAMPLE),
                               str(tmp_path / name)], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        runs.append(proc.stdout.strip().splitlines()[-1])
    import json

    cold, warm = (json.loads(r) for r in runs)
    assert cold["matplotlib"] and cold["headers"] >= 4 and cold["whole"] == 0
    assert warm == {"matplotlib": False, "fontTools": False, "headers": cold["headers"],
                    "whole": 0}
    assert (tmp_path / "cold.pdf").read_bytes() == (tmp_path / "warm.pdf").read_bytes()


def test_no_cache_makes_everything_again(tmp_path: Path, house,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    png, ops = drawings(tmp_path)
    doc = make_document([paragraph(MIXED[:80]),
                         Figure("f1", 1, "规上工业产值", png=png, ops=ops, width_ratio=0.5)])
    write_pdf(doc, house, tmp_path / "a.pdf")
    # (the fonts' parse is made once per process: the subprocess test above shows its cache)
    cache = tmp_path / "cache"
    stored = sorted(cache.glob("fonts-v*/*.ttz")) + sorted(cache.glob("fonts*/*.ttf"))
    assert {p.suffix for p in stored} == {".ttz", ".ttf"}  # subsets, CFF subsets
    old = {p: p.stat().st_mtime_ns - 10**9 for p in stored}
    for p, t in old.items():
        os.utime(p, ns=(t, t))
    write_pdf(doc, house, tmp_path / "b.pdf")  # reads them
    assert all(p.stat().st_mtime_ns == t for p, t in old.items())
    write_pdf(doc, house, tmp_path / "c.pdf", use_cache=False)  # makes them again
    assert all(p.stat().st_mtime_ns > t for p, t in old.items())
    assert pdftotext(tmp_path / "b.pdf") == pdftotext(tmp_path / "c.pdf")


# ---- the sample brief -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    env = {**os.environ, "BRIEFGEN_CACHE": str(out / "cache")}
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", SAMPLE, "-o", str(out),
                           "--format", "pdf"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    path = out / "2024-05-chaoyang.pdf"
    assert path.exists()
    return path


@pytest.fixture(scope="module")
def sample_doc() -> Document:
    return prepare(ROOT / SAMPLE).document


def test_sample_fonts_pages_and_numbers(sample_pdf: Path) -> None:
    rows = pdffonts(sample_pdf)
    assert all(r[-5] == "yes" for r in rows)
    assert any("UMingCN" in r[0] for r in rows)
    text = pdftotext(sample_pdf)
    pages = text.split("\f")[:-1]
    assert len(pages) >= 8
    for n, page in enumerate(pages, 1):
        assert page.strip().splitlines()[-1] == f"— {n} —"
    reader = PdfReader(str(sample_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (595.3, 841.9)


def printed(inlines: list) -> str:
    """A paragraph as the PDF prints it: its text, each footnote's number in place."""
    return "".join(str(n.number) if isinstance(n, Footnote) else
                   n.text if isinstance(n, Text) else printed(n.children) for n in inlines)


def test_sample_body_paragraphs_come_back_exactly(sample_pdf: Path, sample_doc: Document) -> None:
    text = pdftotext(sample_pdf)
    # drop the page numbers, then join the lines back into paragraphs
    body = re.sub(r"\n*— \d+ —\n*\f?", "", text).replace("\n", "")
    # a figure floated to the next page stands between the halves of a paragraph: the text
    # flow is read without the figures' captions and source lines (each there, once)
    for fig in (b for b in sample_doc.body if isinstance(b, Figure)):
        legend = f"图{fig.number}\u3000{fig.caption}{fig.source}"
        assert body.count(legend) == 1, legend
        body = body.replace(legend, "")
    # so do the footnotes at a page's foot: each once, its number raised before it
    paragraphs = [b for b in sample_doc.body if isinstance(b, Paragraph)]
    for note in (n for b in paragraphs for n in footnotes(b.inlines)):
        legend = f"{note.number} {plain_text(note.children)}"
        assert body.count(legend) == 1, legend
        body = body.replace(legend, "")
    paragraphs = [printed(b.inlines) for b in paragraphs]
    assert len(paragraphs) >= 20
    assert paragraphs[0] in body  # the first paragraph, character for character
    at = 0
    for p in paragraphs:  # every one, character for character, in order (each line carries its text)
        found = body.find(p, at)
        assert found >= 0, p[:30]
        at = found + len(p)
    flat = squeeze(body)
    assert squeeze(sample_doc.title) in flat
    for h in sample_doc.headings():
        assert squeeze(h.number + h.text) in flat


def test_sample_outline_is_the_headings_in_order(sample_pdf: Path, sample_doc: Document) -> None:
    assert outline_titles(sample_pdf) == [h.number + h.text for h in sample_doc.headings()]


def test_sample_has_no_bad_line_breaks(sample_pdf: Path) -> None:
    assert len(page_lines(sample_pdf)) > 200
    assert bad_breaks(sample_pdf) == []


def test_a_font_around_a_face_read_in_place_is_set_up_as_reportlab_sets_one_up(house) -> None:
    """FaceFont copies what TTFont.__init__ sets (ReportLab 5.1); a new ReportLab that
    sets more would show here."""
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    from briefgen.writers.pdf.rl_compat import FaceFont, SubsetCachingFace

    face = FontResolver(house).role("latin").primary.face
    plain = RLFont("PlainLatin", str(face.path), subfontIndex=face.index)
    ours = FaceFont("OursLatin", SubsetCachingFace(face.path, face.index))
    assert set(vars(ours)) == set(vars(plain))
    assert type(ours.encoding) is type(plain.encoding)
    assert ours.stringWidth("Journal 1969914.36", 16) == plain.stringWidth("Journal 1969914.36", 16)


# ---- consecutive marks (标点挤压) ----------------------------------------------------------------

PAIRS = ("朝阳市的主导产业包括冶金、装备、汽车及零部件），战略性新兴产业集群6个（清洁能源、电子信息）。"
         "《纲要》提出：“坚持创新驱动”，“加快培育新质生产力。”《意见》、《方案》相继出台（见图1）、"
         "（《通知》）等文件。") * 3


def test_consecutive_marks_are_squeezed_to_half_an_em(tmp_path: Path, house) -> None:
    size = house.style("body").size
    # a one-line paragraph is not justified: the positions read back are exact
    short = "零部件），产业（《纲要》、“新”）。"
    doc = make_document([paragraph(short), paragraph(PAIRS)])
    path = write_pdf(doc, house, tmp_path / "pairs.pdf")
    chars = body_chars(path, size)
    text = "".join(c["text"] for c in chars)
    i = text.index(short)

    def advance(pair: str) -> float:
        k = i + short.index(pair)
        return (chars[k + 1]["x0"] - chars[k]["x0"]) / size

    assert abs(advance("件）") - 1) < 0.01  # a mark beside a Han character: a whole em
    # ）'s blank right half is gone: ，follows it half an em on (AR PL UMing sets both in
    # the left half of the em); the same for ）。 and 》、
    for pair in ("），", "）。", "》、"):
        assert abs(advance(pair) - 0.5) < 0.01, pair
    # （《: 《's blank left half goes, but for the clearance kept between the outlines
    assert 0.5 - 0.01 < advance("（《") < 0.56
    # ”（ two blanks of half an em in a row: half an em between the glyphs is left
    assert advance("、“") <= 0.5 + 0.01
    # every pair of the paragraph stands closer than a whole em (justified lines: the
    # spread of the line is added at each boundary, less than 0.3 em here)
    j = text.index(PAIRS[:20])
    body = chars[j:j + len(PAIRS)]
    pairs = [(a, b) for a, b in zip(body, body[1:], strict=False)
             if a["text"] + b["text"] in ("），", "）。", "”，", "》、", "）、", "（《", "，“")
             and abs(a["top"] - b["top"]) < 1]
    assert len(pairs) >= 15
    for a, b in pairs:
        assert (b["x0"] - a["x0"]) / size < 0.85, (a["text"], b["text"])
    # the text comes back exactly, and no line breaks against the rules
    flat = re.sub(r"\n*— \d+ —\n*\f?", "", pdftotext(path)).replace("\n", "")
    assert short in flat and PAIRS in flat
    assert bad_breaks(path) == []


# ---- floating figures -----------------------------------------------------------------------------


def test_a_figure_that_does_not_fit_floats_to_the_next_page(tmp_path: Path, house) -> None:
    from briefgen.writers.pdf.page import MM
    from briefgen.writers.pdf.text import Setting

    png, ops = drawings(tmp_path)
    after = "图后的段落先行填满本页，" * 30 + "段落结束。"
    long = (STRESS * 2)[:800] + "长段落到此结束。"
    body = [
        Heading(1, "一、", [Text("基本情况")]),
        paragraph(long),  # ends low on page 2: the figure does not fit under it
        Figure("f1", 1, "规上工业产值", png=png, ops=ops, source="数据来源：朝阳市统计局",
               width_ratio=1.0),
        paragraph(after),
        Figure("f2", 2, "产业结构", png=png, ops=None, width_ratio=0.5),
        Heading(1, "二、", [Text("存在的问题")]),
        paragraph(STRESS[:100]),
    ]
    path = write_pdf(make_document(body), house, tmp_path / "float.pdf")
    pages = [re.sub(r"\n*— \d+ —\n*$", "", p).replace("\n", "")
             for p in pdftotext(path).split("\f")[:-1]]

    def page_of(text: str) -> int:
        return next(n for n, p in enumerate(pages) if text in p)

    # the paragraph after the figure starts on the page the figure did not fit on ...
    below = page_of("长段落到此结束。")
    assert page_of(after[:12]) == below
    # ... and the figure starts the next page: its caption is the first text there, the
    # paragraph's end follows it
    n1 = page_of("图1")
    assert n1 == below + 1
    figure1 = "图1\u3000规上工业产值数据来源：朝阳市统计局"  # the chart's own text is outlined
    assert pages[n1].startswith(figure1)
    assert page_of("段落结束。") == n1
    with pdfplumber.open(str(path)) as pdf:
        top = pdf.pages[n1]
        pics = top.images + top.rects + top.curves
        assert pics and min(o["top"] for o in pics) < 37 * 72 / 25.4 + 30  # at the page's top
        # the page the figure did not fit on is filled to within two lines of the bottom margin
        page = pdf.pages[below]
        foot = page.height - house.page.margin_bottom_mm * MM
        last = max(c["bottom"] for c in page.chars if c["bottom"] <= foot + 1)
        assert foot - last < 2 * Setting.of(house, "body").leading
    # the text flows on, read without the figures: every paragraph exactly, in order;
    # figures in their order, headings after the figures
    flat = "".join(pages)
    assert flat.index("图1") < flat.index("图2") < flat.index("二、存在的问题")
    flow = flat.replace(figure1, "", 1).replace("图2\u3000产业结构", "", 1)
    assert flow.index(long) < flow.index(after) < flow.index("二、存在的问题" + STRESS[:100])
    assert outline_titles(path) == ["一、基本情况", "二、存在的问题"]


def test_a_figure_that_fits_stays_where_it_stands(tmp_path: Path, house) -> None:
    png, _ = drawings(tmp_path)
    body = [paragraph(STRESS[:120]),
            Figure("f1", 1, "规上工业产值", png=png, ops=None, width_ratio=0.15),
            paragraph("图后的段落。")]
    path = write_pdf(make_document(body), house, tmp_path / "stay.pdf")
    flat = pdftotext(path).replace("\n", "")
    assert flat.index(STRESS[100:120]) < flat.index("图1") < flat.index("图后的段落。")


# ---- labels and the board from the house ----------------------------------------------------------


def test_labels_and_board_layout_come_from_the_house(tmp_path: Path, house) -> None:
    from briefgen.config.house import BoardLayout, Labels

    english = house.model_copy(update={
        "labels": Labels(figure="Figure ", table="Table ", caption_gap=": ", contact="Contact: ",
                         role_suffix=" -", list_bullet="*"),
        "board_layout": BoardLayout(names_per_row=1, label_width_em=8),
    })
    doc = make_document(rich_body(tmp_path) + [ListBlock(False, [[Text("一项")], [Text("二项")]])])
    path = write_pdf(doc, english, tmp_path / "labels.pdf")
    flat = pdftotext(path).replace("\n", "")
    for text in ("Figure 1: 规上工业产值", "Figure 2: 产业结构", "Table 1: 六大行业产值",
                 "策划 -", "编委 -", "Contact:024", "* 一项", "* 二项"):
        assert text in flat, text
    assert "图1" not in flat and "表1" not in flat and "联系方式" not in flat
    size = house.style("board").size
    with pdfplumber.open(str(path)) as pdf:
        words = [w for p in pdf.pages for w in p.extract_words()]
    left = house.page.margin_left_mm * 72 / 25.4
    names = [w for w in words if w["text"] in ("潘一山", "李淑云", "史保东")]
    assert len(names) == 3
    # one name to a row, every name in the column 8 ems from the left margin
    assert len({round(w["top"]) for w in names}) == 3
    for w in names:
        assert abs(w["x0"] - (left + 8 * size)) < 0.5, w
