"""PDF layout measured on the pages: widows and orphans, tables across pages, end matter."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from briefgen.config.house import House
from briefgen.model import Author, Heading, Paragraph, Table, Text
from briefgen.writers.pdf import write_pdf

from .conftest import ROOT, SAMPLE
from .test_pdf import make_document, pdftotext

MM = 72 / 25.4
HAN = "朝阳市工业经济持续向好产业结构不断优化新质生产力加快培育科技创新能力显著增强"


pytestmark = pytest.mark.usefixtures("shared_font_cache")



# ---- reading body lines back ----------------------------------------------------------------------


def body_lines(path: Path, house: House) -> list[list[str]]:
    """Per page, the body-size lines of the text block, each as "indent" (a paragraph's
    first line, or a heading), "flush" (a paragraph's following line) or "other"."""
    size = house.style("body").size
    left = house.page.margin_left_mm * MM
    indent = house.style("body").indent_chars * size
    pages: list[list[str]] = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            foot = page.height - house.page.margin_bottom_mm * MM
            starts: dict[int, float] = {}
            for c in page.chars:
                if abs(c["size"] - size) < 0.1 and c["bottom"] <= foot + 1 and c["text"].strip():
                    key = round(c["matrix"][5])  # the baseline, the same in every face
                    starts[key] = min(starts.get(key, 1e9), c["x0"])
            kinds = []
            for _, x0 in sorted(starts.items(), reverse=True):  # top to bottom
                kinds.append("flush" if abs(x0 - left) < 1.5 else
                             "indent" if abs(x0 - left - indent) < 1.5 else "other")
            pages.append(kinds)
    return pages


def widows_and_orphans(path: Path, house: House) -> list[str]:
    """A paragraph's line alone at a page's head (widow) or foot (orphan)."""
    found = []
    pages = body_lines(path, house)
    for n, (lines, after) in enumerate(zip(pages, [*pages[1:], []], strict=True), 1):
        continues = bool(after) and after[0] == "flush"  # the next page starts mid-paragraph
        if continues and lines and lines[-1] == "indent":
            found.append(f"orphan at the foot of page {n}")
        if continues and (len(after) == 1 or after[1] != "flush"):
            found.append(f"widow at the head of page {n + 1}")
    return found


# ---- widows and orphans ---------------------------------------------------------------------------


def long_brief(seed: int) -> list:
    """Paragraphs of every length under headings: many of them cross a page."""
    rng = random.Random(seed)
    body: list = []
    for k in range(1, 13):
        body.append(Heading(1, f"{k}.", [Text(f"第{k}部分")]))
        for _ in range(rng.randint(2, 5)):
            n = rng.randint(20, 400)
            body.append(Paragraph([Text((HAN * 12)[rng.randint(0, 30):][:n] + "。")]))
    return body


def test_the_detector_sees_a_widow(tmp_path: Path, house: House) -> None:
    """The measure can fail: a paragraph forced to leave one line at a page's head is seen."""
    from briefgen.writers.pdf import flowables

    old = flowables.MIN_LINES
    flowables.MIN_LINES = 1
    try:
        found = []
        for seed in range(4):
            path = write_pdf(make_document(long_brief(seed)), house, tmp_path / f"{seed}.pdf")
            found += widows_and_orphans(path, house)
    finally:
        flowables.MIN_LINES = old
    assert found


def test_no_widow_or_orphan_in_long_generated_briefs(tmp_path: Path, house: House) -> None:
    for seed in range(4):
        path = write_pdf(make_document(long_brief(seed)), house, tmp_path / f"{seed}.pdf")
        pages = body_lines(path, house)
        assert len(pages) >= 8
        assert widows_and_orphans(path, house) == [], seed
        # every paragraph still comes back whole, in order
        flat = pdftotext(path).replace("\n", "")
        assert "第12部分" in flat


def test_no_widow_or_orphan_in_the_sample(tmp_path: Path, house: House) -> None:
    env = {**os.environ, "BRIEFGEN_CACHE": str(tmp_path / "cache"), "BRIEFGEN_RENDER_CACHE": "0"}
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", SAMPLE, "-o", str(tmp_path),
                           "--format", "pdf"], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    path = tmp_path / "2024-05-chaoyang.pdf"
    assert sum(len(p) for p in body_lines(path, house)) > 200
    assert widows_and_orphans(path, house) == []


# ---- tables across pages --------------------------------------------------------------------------


def city_table(rows: int) -> Table:
    return Table(1, "各市常住人口", ["城市", "常住人口（万人）", "增长（%）"],
                 [[f"第{i}市", f"{100 + i}.5", f"{i % 7}.1"] for i in range(1, rows + 1)],
                 ["left", "right", "right"], source="数据来源：辽宁省统计局")


def table_pages(path: Path) -> list[list[str]]:
    """Per page, the table's lines (小四 text, read by baseline), top to bottom."""
    out = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            lines: dict[int, list[dict]] = {}
            for c in page.chars:
                if abs(c["size"] - 12) < 0.1:
                    lines.setdefault(round(c["matrix"][5]), []).append(c)
            out.append(["".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"]))
                        for _, cs in sorted(lines.items(), reverse=True)])
    return out


def row_names(lines: list[str]) -> list[str]:
    return [m.group(0) for line in lines if (m := re.match(r"第\d+市", line))]


def test_a_long_table_splits_with_its_header_repeated(tmp_path: Path, house: House) -> None:
    intro = Paragraph([Text(HAN * 8)])
    doc = make_document([intro, city_table(60), Paragraph([Text("表后的段落。")])])
    path = write_pdf(doc, house, tmp_path / "table.pdf")
    pages = [p for p in table_pages(path) if row_names(p)]
    assert len(pages) >= 2
    for page in pages:  # each page of the table starts with the header row
        assert page[0] == "城市常住人口（万人）增长（%）", page[:3]
        assert row_names(page[1:2]), page[:3]
    rows = [r for p in pages for r in row_names(p)]
    assert rows == [f"第{i}市" for i in range(1, 61)]  # every row once, in order
    text = pdftotext(path).split("\f")
    # the table starts on the page of the paragraph before it: nothing moved whole
    first = next(n for n, p in enumerate(text) if "第1市" in p)
    assert HAN[-10:] in text[first].replace("\n", "")
    assert first == 0 or "表1" in text[first]


def test_a_table_split_leaves_two_rows_on_each_side(tmp_path: Path, house: House) -> None:
    for lead in range(6, 16, 3):  # the table starts lower and lower on the page
        doc = make_document([Paragraph([Text(HAN * lead)]), city_table(24)])
        path = write_pdf(doc, house, tmp_path / f"t{lead}.pdf")
        for page in table_pages(path):
            rows = row_names(page)
            assert not rows or len(rows) >= 2, (lead, page)


# ---- end matter -----------------------------------------------------------------------------------


def test_a_bio_sets_its_markdown_emphasis_without_asterisks(tmp_path: Path, house: House) -> None:
    doc = make_document([Paragraph([Text("正文。")])])
    doc.end.authors = [Author("武英杰", "武英杰，**工学博士**，*副教授*，研究区域经济。")]
    path = write_pdf(doc, house, tmp_path / "bio.pdf")
    flat = pdftotext(path).replace("\n", "")
    assert "武英杰，工学博士，副教授，研究区域经济。" in flat
    assert "*" not in flat
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[-1]
        chars = [c for c in page.chars if abs(c["size"] - house.style("bio").size) < 0.1]
        text = "".join(c["text"] for c in chars)
        at = text.index("武英杰，工学")
        bio = chars[at:at + 18]
        # 着重号 under 副教授: one dot under each, none under the rest
        dots = [o for o in page.curves if o["x1"] - o["x0"] < 3]
        for c in bio:
            under = [d for d in dots if c["x0"] <= (d["x0"] + d["x1"]) / 2 <= c["x1"]
                     and 0 < d["top"] - c["bottom"] < 6]
            assert len(under) == (1 if c["text"] in "副教授" else 0), c["text"]
    # 工学博士 bold: one more emboldened run (fill and stroke, 2 Tr: UMing has no bold
    # face) than in the same bio without the asterisks
    doc.end.authors = [Author("武英杰", "武英杰，工学博士，*副教授*，研究区域经济。")]
    plain = write_pdf(doc, house, tmp_path / "plain.pdf")
    assert emboldened_runs(path) == emboldened_runs(plain) + 1


def emboldened_runs(path: Path) -> int:
    from pypdf import PdfReader

    return sum(p.get_contents().get_data().count(b" 2 Tr") for p in PdfReader(str(path)).pages)


def test_text_after_a_short_table_that_moved_fills_the_page(tmp_path: Path, house: House) -> None:
    """A table too short to split moves whole; the paragraph after it fills the page first."""
    after = "表后的段落先行填满本页，" * 20 + "段落结束。"
    moved = 0
    for lead in range(8, 40):
        lead_text = (HAN * 30)[:lead * 28 - 2] + "前段结束。"
        doc = make_document([Paragraph([Text(lead_text)]), city_table(2),
                             Paragraph([Text(after)])])
        path = write_pdf(doc, house, tmp_path / f"s{lead}.pdf")
        pages = [p.replace("\n", "") for p in pdftotext(path).split("\f")]

        def page_of(text: str, pages: list[str] = pages) -> int:
            return next(n for n, p in enumerate(pages) if text in p)

        here = page_of("前段结束。")
        if page_of("表1") > here:  # the table moved: the page is filled, by text after it
            assert page_of("表1") == here + 1
            assert room_below(path, here, house) < 2 * house.page.line_pitch_pt, lead
            moved += page_of(after[:12]) == here
            if moved == 2:
                break
    assert moved


def room_below(path: Path, page: int, house: House) -> float:
    """From the last line of text on a page to the bottom margin, in points."""
    with pdfplumber.open(str(path)) as pdf:
        p = pdf.pages[page]
        foot = p.height - house.page.margin_bottom_mm * MM
        return foot - max(c["bottom"] for c in p.chars if c["bottom"] <= foot + 1)


def test_a_table_has_the_house_rules_on_every_page(tmp_path: Path, house: House) -> None:
    """三线表, as in Word: thick above and below, thin under the header, no other rule;
    each page's part of a split table is ruled the same way."""
    doc = make_document([Paragraph([Text(HAN * 8)]), city_table(60)])
    path = write_pdf(doc, house, tmp_path / "rules.pdf")
    thick, thin = house.board_rules.thick_mm * MM, house.board_rules.thin_mm * MM
    parts = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            header = [w for w in page.extract_words() if w["text"] == "城市"]
            if not header:
                continue
            parts += 1
            top = header[0]["top"]
            rules = sorted((ln for ln in page.lines if ln["top"] > top - 20
                            and abs(ln["top"] - ln["bottom"]) < 0.01), key=lambda ln: ln["top"])
            assert not [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01]  # no verticals
            widths = [round(ln["linewidth"], 2) for ln in rules]
            assert widths[:2] == [round(thick, 2), round(thin, 2)], widths
            assert widths[2:3] == [round(thick, 2)], widths
            assert len(rules) == 3, widths
    assert parts >= 2
