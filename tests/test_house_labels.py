"""Both writers take their words and the board's layout from the house file.

A copy of the project gets a house that says Figure / Table / Contact: and lays the
board out three names to a row in a narrower label column; the Word file (its caption
paragraphs with their SEQ results, its board table's grid, and LibreOffice's rendering
of it) and the PDF must both show the change, and the same one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pdfplumber
import pytest
import yaml
from docx.oxml.ns import qn

from .conftest import ROOT, run_cli

BRIEF = "briefs/2024-05-shenyang-population"
NAMES_PER_ROW = 3
LABEL_EM = 5.0  # 70 pt: "Contact:" fits beside Word's cell margins
# 编委 has ten names: with three to a row its first row is 李淑云 史保东 霍春辉, then 姚树洁 starts a row.
ROW = ["李淑云", "史保东", "霍春辉"]
NEXT_ROW = "姚树洁"
ROLE = "编委:"


def english_house(path: Path) -> dict:
    house = yaml.safe_load(path.read_text("utf-8"))
    # A no-break space, as an English house would have it: Figure 1 is never split by a line end.
    house["labels"].update(figure="Figure\u00a0", table="Table\u00a0", caption_gap=" ",
                           contact="Contact: ", role_suffix=":", list_bullet="*",
                           list_number="({n})")
    house["board_layout"] = {"names_per_row": NAMES_PER_ROW, "label_width_em": LABEL_EM}
    path.write_text(yaml.safe_dump(house, allow_unicode=True), "utf-8")
    return house


def cite_the_table(section: Path) -> None:
    """Give the section's table an id and cite it beside the figure, so tab() is printed too;
    end the section with an ordered and an unordered list."""
    text = section.read_text("utf-8")
    caption = ": 沈阳市与全省、全国人口主要指标"
    citation = "（见{{ fig('births-deaths') }}）"
    assert caption in text and citation in text
    text = text.replace(caption, caption + " { #indicators }")
    text = text.replace(citation, "（见{{ fig('births-deaths') }}、{{ tab('indicators') }}）")
    section.write_text(text + "\n\n1. 第一项措施\n2. 第二项措施\n\n- 甲项要点\n- 乙项要点\n", "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict]:
    """(the .docx, the PDF, LibreOffice's PDF of the .docx, the house) of the English house."""
    project = tmp_path_factory.mktemp("english")
    for name in ("briefs", "data", "templates"):
        shutil.copytree(ROOT / name, project / name)
    house = english_house(project / "templates" / "house.yaml")
    cite_the_table(project / BRIEF / "sections" / "basics.md")
    out = project.parent / f"{project.name}-out"
    result = run_cli("build", project / BRIEF, "-o", out, cwd=project)
    assert result.code == 0, result.stderr
    stem = Path(BRIEF).name
    word, pdf = out / f"{stem}.docx", out / f"{stem}.pdf"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    lo = project.parent / f"{project.name}-lo"
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{lo}/profile",
                           "--convert-to", "pdf", "--outdir", str(lo), str(word)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0 and (lo / f"{stem}.pdf").exists(), proc.stderr
    return word, pdf, lo / f"{stem}.pdf", house


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def plain(text: str) -> str:
    """No-break spaces as spaces, and the lines of a paragraph joined."""
    return text.replace("\u00a0", " ").replace("\n", "")


def captions(word: Path, style: str) -> list[str]:
    return [plain(p.text) for p in docx.Document(str(word)).paragraphs if p.style.name == style]


def test_the_word_captions_say_figure_and_table(built: tuple[Path, Path, Path, dict]) -> None:
    word, _, _, _ = built
    figures, tables = captions(word, "Caption"), captions(word, "Table Caption")
    assert figures and tables
    assert [c.split(" ")[:2] for c in figures] == [["Figure", str(n)]
                                                   for n in range(1, len(figures) + 1)]
    assert tables[0].startswith("Table 1 沈阳市与全省、全国人口主要指标")
    # The numbers are SEQ fields counting the house's label, not 图.
    body = docx.Document(str(word)).element.body
    fields = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert "SEQ Figure \\* ARABIC" in fields and "SEQ Table \\* ARABIC" in fields
    assert not [f for f in fields if "图" in f or "表" in f]


def word_text(word: Path) -> str:
    """Every paragraph of the .docx, those in table cells too, with its field results."""
    body = docx.Document(str(word)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


def assert_english(text: str) -> None:
    """The English house's words and marks, and none of the Chinese house's."""
    assert "Figure 1" in text and "Figure 2" in text and "Table 1" in text
    assert "Contact:" in text and ROLE in text
    # the citations in the prose follow the house too (LibreOffice may end a line inside
    # a field's result, after the no-break space), and so do the list marks: without blanks
    blankless = re.sub(r"\s", "", text)
    for item in ("见Figure2、Table1）", "(1)第一项措施", "(2)第二项措施", "*甲项要点", "*乙项要点"):
        assert item in blankless, item
    for chinese in ("图1", "图2", "表1", "联系方式", "编委：", "（1）", "●"):
        assert chinese not in text, chinese


def test_both_outputs_say_figure_and_table_and_never_tu(
        built: tuple[Path, Path, Path, dict]) -> None:
    word, pdf, lo_pdf, _ = built
    ours = plain(pdf_text(pdf))
    for text in (plain(word_text(word)), ours, plain(pdf_text(lo_pdf))):
        assert_english(text)
    assert "见Figure 2、Table 1）" in plain(word_text(word)) and "见Figure 2、Table 1）" in ours


def word_positions(pdf: Path) -> dict[str, tuple[float, float]]:
    """(x0, top) of each board word on the page that holds the board."""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = {w["text"]: (w["x0"], w["top"]) for w in page.extract_words()}
            if ROLE in words:
                return words
    raise AssertionError(f"no page of {pdf.name} holds the board")


def board_widths(house: dict) -> tuple[float, float]:
    """The label column and a name column, in points, as the English house asks."""
    label_pt = LABEL_EM * 14  # the board text is 四号, 14 pt
    page = house["page"]
    text_pt = (page["width_mm"] - page["margin_left_mm"] - page["margin_right_mm"]) / 25.4 * 72
    return label_pt, (text_pt - label_pt) / NAMES_PER_ROW


def assert_drawn_columns(drawn: Path, label_pt: float, name_pt: float) -> None:
    """A drawn board: the role, then three names a name column apart; the fourth below."""
    at = word_positions(drawn)
    xs = [at[name][0] for name in ROW]
    assert xs[0] - at[ROLE][0] == pytest.approx(label_pt, abs=1.5), drawn
    pitches = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    assert pitches == pytest.approx([name_pt] * (NAMES_PER_ROW - 1), abs=1.5), drawn
    assert {at[name][1] for name in ROW} == {at[ROW[0]][1]}, drawn
    assert at[NEXT_ROW][1] > at[ROW[0]][1] + 10, drawn
    assert at[NEXT_ROW][0] == pytest.approx(xs[0], abs=1), drawn


def test_the_board_is_laid_out_alike_in_both(built: tuple[Path, Path, Path, dict]) -> None:
    word, pdf, lo_pdf, house = built
    label_pt, name_pt = board_widths(house)
    # Word: the board table's grid is the label column and three name columns.
    board = next(t for t in docx.Document(str(word)).tables
                 if any(r.cells[0].text == ROLE for r in t.rows))
    grid = [int(g.get(qn("w:w"))) / 20 for g in board._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid == pytest.approx([label_pt] + [name_pt] * NAMES_PER_ROW, abs=0.5)
    rows = [[c.text for c in r.cells] for r in board.rows]
    assert [ROLE, *ROW] in rows and ["", NEXT_ROW] == rows[rows.index([ROLE, *ROW]) + 1][:2]
    # Both PDFs, ours and LibreOffice's of the .docx: the same columns, measured.
    for drawn in (pdf, lo_pdf):
        assert_drawn_columns(drawn, label_pt, name_pt)
