"""The Word writer, read back from the .docx file itself."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen.config.house import load_house
from briefgen.writers.docx.refdoc import make_reference_doc

from .conftest import ROOT, SAMPLE, run_cli

A4 = (210, 297)


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = run_cli("build", SAMPLE, "-o", out, "--format", "docx")
    assert result.code == 0, result.stderr
    path = out / "2024-05-chaoyang.docx"
    assert path.exists()
    return path


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    d = docx.Document(str(path))
    return [(p.style.name, p.text) for p in d.paragraphs]


def test_masthead_title_and_author_come_first(sample_docx: Path) -> None:
    paras = _paragraphs(sample_docx)
    texts = [t for _, t in paras]
    assert texts[0] == "辽宁大学城市研究院"
    assert texts[1] == "调研报告"
    assert texts[2] == "助力新六地，辽大在行动"
    assert re.fullmatch(r"第\d+期(（总第\d+期）)?\t2024年5月14日", texts[3])
    assert texts[4].replace("\n", "") == "推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
    assert paras[4][0] == "Title"
    assert texts[5] == "武英杰"


def test_red_rule_under_the_masthead(sample_docx: Path) -> None:
    house = load_house(ROOT / "templates" / "house.yaml")
    d = docx.Document(str(sample_docx))
    bottom = d.paragraphs[3]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None
    assert bottom.get(qn("w:color")) == house.color(house.rule.color)
    assert int(bottom.get(qn("w:sz"))) >= 8  # at least 1 pt


def test_headings_on_word_heading_styles_in_outline_order(sample_docx: Path) -> None:
    """Heading 1-4 in order, no level skipped; their numbers come from the list bound to the
    styles (test_docx_structure reads them through LibreOffice)."""
    paras = _paragraphs(sample_docx)
    levels = [int(s[-1]) for s, _ in paras if s.startswith("Heading")]
    assert levels[:3] == [1, 2, 3]
    assert levels.count(1) == 3
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    texts = [t for s, t in paras if s == "Heading 1"]
    assert texts[0] == "朝阳市工业发展基本情况"


def test_east_asian_fonts_on_body_and_heading_styles(sample_docx: Path) -> None:
    house = load_house(ROOT / "templates" / "house.yaml")
    d = docx.Document(str(sample_docx))
    wanted = {
        "Body Text": house.fonts[house.style("body").font].word,
        "Heading 1": house.fonts[house.style("heading1").font].word,
        "Heading 2": house.fonts[house.style("heading2").font].word,
        "Heading 3": house.fonts[house.style("heading3").font].word,
        "Caption": house.fonts[house.style("caption").font].word,
    }
    assert wanted["Body Text"] == "仿宋" and wanted["Heading 1"] == "黑体"
    for name, face in wanted.items():
        fonts = d.styles[name].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, name
        assert fonts.get(qn("w:eastAsia")) == face, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
    body = d.styles["Body Text"]
    assert body.font.size.pt == 16
    # First-line indent of two characters of the body size.
    assert round(body.paragraph_format.first_line_indent.pt) == 32


def test_body_paragraphs_use_the_body_style(sample_docx: Path) -> None:
    paras = _paragraphs(sample_docx)
    body = [t for s, t in paras if s == "Body Text"]
    assert len(body) >= 10
    assert all(t.strip() for t in body)


def test_page_field_in_footer_and_a4_page(sample_docx: Path) -> None:
    d = docx.Document(str(sample_docx))
    section = d.sections[0]
    assert round(section.page_width.mm) == A4[0] and round(section.page_height.mm) == A4[1]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in "".join(footer._element.itertext())
        assert 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    assert d.settings.odd_and_even_pages_header_footer


def test_core_properties(sample_docx: Path) -> None:
    cp = docx.Document(str(sample_docx)).core_properties
    assert cp.title == "推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
    assert cp.author == "武英杰"
    assert cp.created.date().isoformat() == "2024-05-14"


def test_end_matter(sample_docx: Path) -> None:
    d = docx.Document(str(sample_docx))
    texts = [p.text for p in d.paragraphs]
    assert any(t.startswith("注：") for t in texts)
    bio = next(p for p in d.paragraphs if p.text.startswith("作者简介："))
    assert bio.runs[0].bold
    assert "本刊声明：所刊文章属作者个人见解，不代表编辑部观点。" in texts
    assert texts[-1] == "请把领导批示和转载情况反馈编辑部。"
    board = d.tables[-1]
    cells = [c.text for row in board.rows for c in row.cells]
    assert "策划：" in cells and "潘一山" in cells and "联系方式：" in cells


def test_no_text_as_an_image(sample_docx: Path) -> None:
    """Every picture in the file is a chart with a caption, never text turned into a picture."""
    d = docx.Document(str(sample_docx))
    paragraphs = d.paragraphs
    for i, p in enumerate(paragraphs):
        if p._p.findall(f".//{qn('w:drawing')}"):
            assert paragraphs[i + 1].style.name == "Caption"
            assert re.match(r"图\d+", paragraphs[i + 1].text)


def test_reference_doc_is_made_from_house_yaml(tmp_path: Path) -> None:
    """The committed reference document holds exactly the styles house.yaml makes."""
    house = load_house(ROOT / "templates" / "house.yaml")
    fresh = tmp_path / "reference.docx"
    make_reference_doc(house).save(str(fresh))
    with zipfile.ZipFile(ROOT / "templates" / "reference.docx") as a, zipfile.ZipFile(fresh) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml"), (
            "templates/reference.docx is out of date: run `make reference`"
        )


def test_libreoffice_opens_the_docx(sample_docx: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    # Show the institute's faces with the free substitutes, as a Linux reader would.
    fontconfig = tmp_path / "fonts.conf"
    assert run_cli("reference-doc", "--fontconfig", fontconfig).code == 0
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig))
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(sample_docx)],
        capture_output=True, text=True, timeout=240, env=env,
    )
    pdf = tmp_path / "2024-05-chaoyang.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # The house grid holds 22 lines of 28 characters a page: the text alone fills this many
    # pages, and masthead, headings, figures and end matter add a few more.
    chars = sum(len(p.text) for p in docx.Document(str(sample_docx)).paragraphs)
    full_pages = chars / (22 * 28)
    assert full_pages <= pages <= full_pages * 1.4 + 4, (pages, chars)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "调研报告" in re.sub(r"\s", "", text)  # letter-spaced in the masthead
    assert re.search(r"—\s?1\s?—", text) and re.search(r"—\s?2\s?—", text)
    assert "联系方式：" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "WenQuanYi" in fonts or "Noto" in fonts  # the headings' 黑体 found a Chinese face


def test_every_basics_figure_of_the_seed_is_in_the_word_text(sample_docx: Path) -> None:
    from .test_sample import BASICS_FIGURES

    d = docx.Document(str(sample_docx))
    text = "".join(p.text for p in d.paragraphs)
    missing = [figure for figure in BASICS_FIGURES if figure not in text]
    assert not missing


def test_staff_restyle_a_copy_of_the_reference_document(tmp_path: Path) -> None:
    """As pandoc's --reference-doc: styles edited in Word carry into the next build."""
    from docx.shared import Pt, RGBColor

    restyled = docx.Document(str(ROOT / "templates" / "reference.docx"))
    restyled.styles["Body Text"].font.size = Pt(14)
    restyled.styles["Heading 1"].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    mine = tmp_path / "mine.docx"
    restyled.save(str(mine))
    result = run_cli("build", SAMPLE, "-o", tmp_path / "out", "--format", "docx",
                     "--reference-doc", mine)
    assert result.code == 0, result.stderr
    built = docx.Document(str(tmp_path / "out" / "2024-05-chaoyang.docx"))
    assert built.styles["Body Text"].font.size.pt == 14
    assert str(built.styles["Heading 1"].font.color.rgb) == "1F3A5F"
    assert any(p.style.name == "Body Text" for p in built.paragraphs)


def test_a_missing_reference_document_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("build", SAMPLE, "-o", tmp_path / "out", "--reference-doc",
                     tmp_path / "nope.docx")
    assert result.code == 2
    assert result.stderr.strip().endswith(
        "nope.docx: reference document not found (name a .docx file with --reference-doc)")
    assert not (tmp_path / "out").exists()


def test_the_text_is_written_before_the_pictures_are_read(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`before_pictures` comes once the text is written: a build's charts may still be drawn
    until then. The PNGs exist only from that call on, and the pictures are theirs."""
    from briefgen.app.pipeline import prepare
    from briefgen.writers.docx import write_docx

    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    prepared = prepare(ROOT / SAMPLE)
    figures = prepared.document.figures()
    assert len(figures) >= 2
    kept = {fig.png: Path(fig.png).read_bytes() for fig in figures}
    for png in kept:
        Path(png).unlink()
    calls: list[int] = []

    def pictures_drawn() -> None:
        calls.append(1)
        for png, data in kept.items():
            Path(png).write_bytes(data)

    path = write_docx(prepared.document, prepared.spec.house, tmp_path / "b.docx",
                      pictures_drawn)
    assert calls == [1]
    with zipfile.ZipFile(path) as z:
        media = sorted(n for n in z.namelist() if n.startswith("word/media/"))
        assert [z.read(n) for n in media] == list(kept.values())  # in document order
    pictures = docx.Document(str(path)).inline_shapes
    assert len(pictures) == len(figures)
