"""Word-native structure: numbered Heading styles, SEQ captions and REF citations, each
result filled in, so LibreOffice shows the PDF's numbers and a heading staff insert is
numbered with the rest renumbered."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen.config.house import load_house
from briefgen.model import (
    Bound,
    Document,
    EndMatter,
    Heading,
    Masthead,
    Meta,
    Paragraph,
    Strong,
    Text,
)
from briefgen.writers.docx import write_docx

from .conftest import ROOT, SAMPLE, run_cli

HEADING_MARK = re.compile(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）")
FIGURE_MARK = re.compile(r"图\d+")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("struct")
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.code == 0, result.stderr
    return out


def libreoffice_text(docx_path: Path, work: Path) -> str:
    """The .docx as LibreOffice lays it out, as text (whitespace removed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    out = work / "lo"
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
         "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
        capture_output=True, text=True, timeout=240,
    )
    pdf = out / (docx_path.stem + ".pdf")
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    return pdf_text(pdf)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def lo_text(built: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    return libreoffice_text(built / "2024-05-chaoyang.docx", tmp_path_factory.mktemp("lo"))


def test_heading_text_carries_no_typed_number(built: Path) -> None:
    d = docx.Document(str(built / "2024-05-chaoyang.docx"))
    headings = [p for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) > 20
    for p in headings:
        assert not re.match(r"[一二三四五六七八九十]+、|（|\d+\.", p.text), p.text
        assert p._p.pPr.numPr is None  # numbered through the style, not one by one


def test_heading_styles_are_bound_to_one_chinese_multilevel_list(built: Path) -> None:
    d = docx.Document(str(built / "2024-05-chaoyang.docx"))
    numbering = d.part.numbering_part.element
    num_ids = set()
    for level in range(1, 5):
        num_pr = d.styles[f"Heading {level}"].element.pPr.numPr
        assert num_pr is not None
        num_ids.add(num_pr.numId.val)
        assert (num_pr.ilvl.val if num_pr.ilvl is not None else 0) == level - 1
    assert len(num_ids) == 1
    num_id = num_ids.pop()
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract = next(a for a in numbering.findall(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val))
    levels = abstract.findall(qn("w:lvl"))
    got = [(lv.find(qn("w:numFmt")).get(qn("w:val")), lv.find(qn("w:lvlText")).get(qn("w:val")),
            lv.find(qn("w:pStyle")).get(qn("w:val"))) for lv in levels]
    assert got == [("chineseCounting", "%1、", "Heading1"), ("chineseCounting", "（%2）", "Heading2"),
                   ("decimal", "%3.", "Heading3"), ("decimal", "（%4）", "Heading4")]


def test_captions_are_seq_fields_and_citations_ref_fields_with_results(built: Path) -> None:
    d = docx.Document(str(built / "2024-05-chaoyang.docx"))
    body = d.element.body
    instructions = [" ".join(i.text.split()) for i in body.iter(qn("w:instrText"))]
    seq = [i for i in instructions if i.startswith("SEQ")]
    refs = [i for i in instructions if i.startswith("REF")]
    assert seq == ["SEQ 图 \\* ARABIC"] * 3
    assert len(refs) == 4
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    for ref in refs:
        assert ref.split()[1] in bookmarks
    captions = [p.text for p in d.paragraphs if p.style.name == "Caption"]
    assert [c[:2] for c in captions] == ["图1", "图2", "图3"]  # results already there
    settings = d.settings.element
    assert settings.find(qn("w:updateFields")) is None  # nothing asks for an update


def test_libreoffice_shows_the_pdfs_heading_and_figure_numbers(built: Path,
                                                               lo_text: str) -> None:
    pdf = pdf_text(built / "2024-05-chaoyang.pdf")
    assert HEADING_MARK.findall(lo_text) == HEADING_MARK.findall(pdf)
    assert HEADING_MARK.findall(lo_text)[:3] == ["一、", "（一）", "（二）"]
    assert FIGURE_MARK.findall(lo_text) == FIGURE_MARK.findall(pdf)
    assert "1.区位优势明显" in lo_text


def test_a_heading_staff_insert_is_numbered_and_the_rest_renumber(
        built: Path, tmp_path: Path) -> None:
    d = docx.Document(str(built / "2024-05-chaoyang.docx"))
    first_h2 = next(p for p in d.paragraphs if p.style.name == "Heading 2")
    inserted = first_h2.insert_paragraph_before("新插入的小节", style="Heading 2")
    assert inserted.style.name == "Heading 2"
    edited = tmp_path / "edited.docx"
    d.save(str(edited))
    text = libreoffice_text(edited, tmp_path)
    assert "（一）新插入的小节" in text
    assert f"（二）{first_h2.text}" in text
    marks = HEADING_MARK.findall(text)
    assert marks[:5] == ["一、", "（一）", "（二）", "（三）", "（四）"]


def _document(body: list) -> Document:
    return Document(
        meta=Meta(title="测试", authors=["张三"], date=dt.date(2024, 5, 14)),
        masthead=Masthead("辽宁大学城市研究院", "调研报告", "助力新六地，辽大在行动",
                          "第5期", "2024年5月14日"),
        title="测试", title_lines=["测试"], author_line="张三", body=body, end=EndMatter(),
    )


def test_bound_figures_and_blocks_are_tagged_for_a_reader(tmp_path: Path) -> None:
    house = load_house(ROOT / "templates" / "house.yaml")
    body = [
        Heading(1, "一、", [Text("基本情况")]),
        Paragraph([Text("产值"), Bound("982.7亿元", figure=7), Text("，增长"),
                   Strong([Bound("4.8%", figure=8)]), Text("，见表1。")]),
        Paragraph([Text("企业"), Bound("436户", figure=9), Text("。")]),
    ]
    path = write_docx(_document(body), house, tmp_path / "t.docx")
    d = docx.Document(str(path))
    names = [b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names)) and all(len(n) <= 40 for n in names)
    assert [n for n in names if n.startswith("_bg_b")] == ["_bg_b0", "_bg_b1", "_bg_b2"]
    held = {}
    for b in d.element.body.iter(qn("w:bookmarkStart")):
        text, el = "", b.getnext()
        while el is not None and el.tag != qn("w:bookmarkEnd"):
            text += "".join(t.text or "" for t in el.iter(qn("w:t")))
            el = el.getnext()
        assert el is not None and el.get(qn("w:id")) == b.get(qn("w:id"))
        held[b.get(qn("w:name"))] = text
    assert held["_bg_f7"] == "982.7亿元" and held["_bg_f8"] == "4.8%" and held["_bg_f9"] == "436户"
    assert held["_bg_b1"] == ""  # a place, not a range
    bold = [r for r in d.paragraphs[-2].runs if r.text == "4.8%"]
    assert bold and bold[0].bold
    # 表1 is cited but no table 1 exists: plain text, no REF to nowhere.
    assert "REF" not in "".join(d.element.body.itertext())
    assert d.paragraphs[-2].text == "产值982.7亿元，增长4.8%，见表1。"


def test_libreoffice_sets_28_characters_a_line_like_the_pdf(built: Path,
                                                             tmp_path: Path) -> None:
    """Body-size styles give up 0.25 pt a character (w:spacing -5), so the 156 mm line holds
    the house's 28 characters of 三号 in LibreOffice as in the PDF (27 before)."""
    fontconfig = tmp_path / "fonts.conf"
    assert run_cli("reference-doc", "--fontconfig", fontconfig).code == 0
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                    str(built / "2024-05-chaoyang.docx")],
                   capture_output=True, timeout=240, check=True,
                   env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)})

    def first_lines(pdf: Path) -> list[str]:
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [re.sub(r"\s", "", line) for line in text.splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if line.startswith("习近平"))
        return lines[start:start + 2]

    ours = first_lines(tmp_path / "lo" / "2024-05-chaoyang.pdf")
    assert ours == first_lines(built / "2024-05-chaoyang.pdf")
    assert len(ours[1]) == 28


def test_each_block_names_its_source_line_in_document_variables(built: Path) -> None:
    """docVar bg_b<i> = "briefs/…/sections/x.md:N" beside the bookmark _bg_b<i>: Word keeps
    document variables through edits and shows them nowhere."""
    d = docx.Document(str(built / "2024-05-chaoyang.docx"))
    variables = {v.get(qn("w:name")): v.get(qn("w:val"))
                 for v in d.settings.element.iter(qn("w:docVar"))}
    bookmarks = {b.get(qn("w:name")) for b in d.element.body.iter(qn("w:bookmarkStart"))}
    assert len(variables) >= 50
    for name, where in variables.items():
        assert "_" + name in bookmarks
        file, _, line = where.rpartition(":")
        lines = (ROOT / file).read_text(encoding="utf-8").splitlines()
        assert 0 < int(line) <= len(lines) and lines[int(line) - 1].strip(), where
