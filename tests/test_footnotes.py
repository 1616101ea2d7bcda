"""Markdown footnotes end to end: the model, Word footnotes, notes at the PDF page foot, back."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from briefgen.analysis.check import check_folder
from briefgen.app.pipeline import prepare
from briefgen.cache import cache_root
from briefgen.config.house import House
from briefgen.model import Bound, Footnote, Paragraph, Text, footnotes, walk_inlines
from briefgen.readers.docx import read_docx
from briefgen.writers.pdf import write_pdf

from . import validate_docx
from .conftest import run_cli
from .minibrief import make_project
from .test_pdf import make_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 72 / 25.4
XSD = Path(__file__).parent / "ooxml-xsd"
HAN = "朝阳市工业经济持续向好产业结构不断优化新质生产力加快培育科技创新能力显著增强"

BODY = """\
# 基本情况

全市常住人口为{{ facts.population | q }}[^pop]，城镇化率为{{ facts.urbanization | pct }}[^rate]。

[^pop]: 常住人口{{ facts.population | q }}出自《朝阳统计年鉴2024》，𠀋字照排。
[^rate]: 城镇化率按GB/T 4754口径计算。

""" + "\n\n".join(["朝阳市工业经济持续向好，产业结构不断优化，新质生产力加快培育，科技创新能力显著增强。"
                  * 4] * 6) + "\n"


pytestmark = pytest.mark.usefixtures("shared_font_cache")



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The brief above built as .docx and .pdf; the brief folder (out/ beside briefs/)."""
    root = tmp_path_factory.mktemp("notes")
    brief = make_project(root, BODY)
    result = run_cli("build", brief, "-o", root / "out", cwd=root)
    assert result.code == 0, result.stderr
    return brief


def _out(brief: Path, suffix: str) -> Path:
    return brief.parents[1] / "out" / f"b{suffix}"


def _part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


# ---- the model -----------------------------------------------------------------------------------


def test_the_reader_makes_numbered_footnotes_whose_figures_stay_bound(built: Path) -> None:
    prepared = prepare(built, cache_root() / "charts")
    para = next(b for b in prepared.document.body if isinstance(b, Paragraph))
    notes = list(footnotes(para.inlines))
    assert [n.number for n in notes] == [1, 2]
    assert "".join(t.text for t in walk_inlines(notes[0].children)) == \
        "常住人口279.8万人出自《朝阳统计年鉴2024》，𠀋字照排。"
    (bound,) = [t for t in walk_inlines(notes[0].children) if isinstance(t, Bound)]
    entry = prepared.composition.ledger[bound.figure]
    assert bound.text == "279.8万人" and entry.text == "279.8万人"
    # the walker visits the note's figure; the running text leaves the note out
    assert bound in list(walk_inlines(para.inlines))
    assert para.text == "全市常住人口为279.8万人，城镇化率为51.12%。"


# ---- Word ----------------------------------------------------------------------------------------


def test_word_gets_a_footnotes_part_with_separators_and_the_notes(built: Path) -> None:
    docx = _out(built, ".docx")
    notes = _part(docx, "word/footnotes.xml")
    kinds = [(n.get(W + "type"), n.get(W + "id")) for n in notes.iter(W + "footnote")]
    assert kinds == [("separator", "-1"), ("continuationSeparator", "0"), (None, "1"), (None, "2")]
    texts = ["".join(t.text or "" for t in n.iter(W + "t")) for n in notes.iter(W + "footnote")]
    assert texts[2] == " 常住人口279.8万人出自《朝阳统计年鉴2024》，𠀋字照排。"
    assert texts[3] == " 城镇化率按GB/T 4754口径计算。"
    for note in list(notes.iter(W + "footnote"))[2:]:
        assert note.find(f"{W}p/{W}pPr/{W}pStyle").get(W + "val") == "FootnoteText"
        assert note.find(f".//{W}footnoteRef") is not None  # Word prints the number there
    body = _part(docx, "word/document.xml")
    refs = list(body.iter(W + "footnoteReference"))
    assert [r.get(W + "id") for r in refs] == ["1", "2"]
    for ref in refs:
        assert ref.getparent().find(f"{W}rPr/{W}rStyle").get(W + "val") == "FootnoteReference"
    with zipfile.ZipFile(docx) as z:
        assert "footnotes+xml" in z.read("[Content_Types].xml").decode()
        assert "relationships/footnotes" in z.read("word/_rels/document.xml.rels").decode()


def test_the_footnote_styles_come_from_the_house(built: Path, house: House) -> None:
    styles = {s.get(W + "styleId"): s for s in _part(_out(built, ".docx"), "word/styles.xml")
              .iter(W + "style")}
    text, ref = styles["FootnoteText"], styles["FootnoteReference"]
    assert text.get(W + "type") == "paragraph" and ref.get(W + "type") == "character"
    assert text.find(f"{W}name").get(W + "val") == "footnote text"
    st = house.style("footnote")
    assert text.find(f"{W}rPr/{W}sz").get(W + "val") == str(round(st.size * 2))
    face = house.fonts[st.font].word
    assert text.find(f"{W}rPr/{W}rFonts").get(W + "eastAsia") == face
    assert ref.find(f"{W}rPr/{W}vertAlign").get(W + "val") == "superscript"


def test_the_docx_with_footnotes_validates(built: Path) -> None:
    schema = validate_docx.wrapper_schema(str(XSD))
    result = validate_docx.validate(str(_out(built, ".docx")), schema)
    bad = {name: part.get("errors", []) for name, part in result["parts"].items()
           if part["status"] == "invalid"}
    assert "word/footnotes.xml" in result["parts"]
    assert bad == {}


def test_the_word_reader_gives_the_footnotes_back(built: Path) -> None:
    prepared = prepare(built, cache_root() / "charts")
    docx = _out(built, ".docx")
    reading = read_docx(docx, prepared.spec.house, [cache_root() / "charts"],
                        docx.parent / "media")
    ours = [n for b in prepared.document.body if isinstance(b, Paragraph)
            for n in footnotes(b.inlines)]
    back = [n for b in reading.document.body if isinstance(b, Paragraph)
            for n in footnotes(b.inlines)]
    assert back == ours


# ---- PDF: measured on the page -------------------------------------------------------------------


def _words(page: pdfplumber.page.Page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, extra_attrs=["size"])


def _page_parts(page: pdfplumber.page.Page, house: House) -> dict[str, list[dict]]:
    """The page's characters as body, references (raised small digits in the body),
    notes (footnote size) and folio."""
    body, note = house.style("body").size, house.style("footnote").size
    folio = house.style("page_number").size
    parts: dict[str, list[dict]] = {"body": [], "refs": [], "notes": [], "folio": []}
    for c in page.chars:
        if not c["text"].strip():
            continue
        if abs(c["size"] - body) < 0.1:
            parts["body"].append(c)
        elif abs(c["size"] - body * 0.6) < 0.1:
            parts["refs"].append(c)
        elif abs(c["size"] - note) < 0.1 or abs(c["size"] - note * 0.6) < 0.1:
            parts["notes"].append(c)
        elif abs(c["size"] - folio) < 0.1 and c["top"] > page.height - 30 * MM:
            parts["folio"].append(c)
    return parts


def _rule(page: pdfplumber.page.Page, house: House) -> dict:
    (rule,) = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1
               and abs((ln["x1"] - ln["x0"]) - house.page.text_width_mm * MM / 4) < 1]
    return rule


def test_the_note_is_set_at_the_foot_of_its_page(built: Path, house: House) -> None:
    with pdfplumber.open(str(_out(built, ".pdf"))) as pdf:
        (page,) = [p for p in pdf.pages if "城镇化率按GB/T" in (p.extract_text() or "")]
        parts = _page_parts(page, house)
        rule = _rule(page, house)
        text = page.extract_text()
    assert [c["text"] for c in parts["refs"]] == ["1", "2"]  # raised after their words
    for ref in parts["refs"]:
        line = [c for c in parts["body"] if abs(c["bottom"] - ref["bottom"]) < 10]
        assert line and ref["bottom"] < min(c["bottom"] for c in line) - 2  # superscript
    body_bottom = max(c["bottom"] for c in parts["body"])
    notes_top = min(c["top"] for c in parts["notes"])
    notes_bottom = max(c["bottom"] for c in parts["notes"])
    folio_top = min(c["top"] for c in parts["folio"])
    assert body_bottom < rule["top"] < notes_top
    assert notes_bottom < folio_top
    assert rule["x0"] == pytest.approx(house.page.margin_left_mm * MM, abs=0.5)
    # numbered 1 and 2, in order of reference, each note with its text
    assert re.search(r"1\s*常住人口279.8万人出自《朝阳统计年鉴2024》，𠀋字照排。", text)
    assert re.search(r"2\s*城镇化率按GB/T 4754口径计算。", text)
    assert text.index("常住人口279.8万人出自") < text.index("城镇化率按GB/T")


def _dense_document(notes_every: int) -> list:
    """Paragraphs with a footnote after every `notes_every` characters: many references
    fall on a page's last lines."""
    body: list = []
    number = 0
    for k in range(6):
        inlines: list = []
        for j in range(5):
            number += 1
            inlines.append(Text((HAN * 4)[k * 5 + j:][:notes_every]))
            inlines.append(Footnote(number, [Text(f"第{number}条注释：数据来源为朝阳市统计局。")]))
        inlines.append(Text("。"))
        body.append(Paragraph(inlines))
    return body


def test_every_note_sits_on_the_page_of_its_reference(tmp_path: Path, house: House) -> None:
    path = write_pdf(make_document(_dense_document(58)), house, tmp_path / "dense.pdf")
    ref_pages: dict[str, int] = {}
    note_pages: dict[str, int] = {}
    last_line_refs = 0
    with pdfplumber.open(str(path)) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            parts = _page_parts(page, house)
            if not parts["refs"]:
                continue
            rule = _rule(page, house)
            assert max(c["bottom"] for c in parts["body"]) < rule["top"]  # no overlap
            for word in page.extract_words(extra_attrs=["size"]):
                if abs(word["size"] - house.style("body").size * 0.6) < 0.1:
                    ref_pages[word["text"]] = n
            for m in re.finditer(r"(\d+)\s*第(\d+)条注释", page.extract_text()):
                assert m.group(1) == m.group(2)
                note_pages[m.group(1)] = n
            last = max(c["bottom"] for c in parts["body"])
            last_line_refs += any(abs(r["bottom"] - last) < 12 for r in parts["refs"])
    assert len(note_pages) == 30
    assert ref_pages == note_pages
    assert last_line_refs >= 1  # a reference on a page's last line kept its note there


def test_only_the_page_of_a_reference_gets_the_note_rule(tmp_path: Path, house: House) -> None:
    body = [Paragraph([Text(HAN * 6)]), Paragraph([Text(HAN), Footnote(1, [Text("注。")])])]
    path = write_pdf(make_document(body), house, tmp_path / "one.pdf")
    with pdfplumber.open(str(path)) as pdf:
        with_rule = [n for n, p in enumerate(pdf.pages, 1)
                     if any(abs(ln["x1"] - ln["x0"] - house.page.text_width_mm * MM / 4) < 1
                            for ln in p.lines)]
        assert len(with_rule) == 1


# ---- mistakes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "line", "words"), [
    ("# 基本情况\n\n正文一句[^src]。\n", 3, "[^src] has no definition"),
    ("# 基本情况\n\n正文一句。\n\n[^src]: 来源。\n", 5, "[^src] is defined but never referenced"),
    ("# 基本情况\n\n一[^a]二[^a]。\n\n[^a]: 注。\n", 3, "[^a] is referenced more than once"),
])
def test_a_footnote_mistake_is_one_line_and_exit_2(tmp_path: Path, body: str, line: int,
                                                  words: str) -> None:
    brief = make_project(tmp_path, body)
    result = run_cli("build", brief, "-o", tmp_path / "out", cwd=tmp_path)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"briefgen: error: briefs/b/body.md:{line}: ") and words in lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_check_sees_a_wrong_figure_typed_in_a_footnote(tmp_path: Path) -> None:
    body = ("# 基本情况\n\n城镇化率为{{ facts.urbanization | pct }}[^u]。\n\n"
            "[^u]: 另据抽样调查，全市城镇化率仅为45.82%。\n")
    findings = check_folder(make_project(tmp_path, body))
    conflicts = [f for f in findings if f.code == "conflict"]
    assert conflicts and "45.82%" in conflicts[0].message and "51.12%" in conflicts[0].message


# ---- back from Word ------------------------------------------------------------------------------


def test_a_docx_saved_by_libreoffice_gives_the_footnotes_and_figures_back(
        built: Path, tmp_path: Path) -> None:
    """LibreOffice ends a bookmark after a footnote reference a character early; the
    figures after the reference still come back whole."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"),
                    str(_out(built, ".docx"))], capture_output=True, timeout=300, check=True)
    prepared = prepare(built, cache_root() / "charts")
    reading = read_docx(tmp_path / "lo" / "b.docx", prepared.spec.house,
                        [cache_root() / "charts"], tmp_path / "media")
    ours = next(b for b in prepared.document.body if isinstance(b, Paragraph))
    back = next(b for b in reading.document.body if isinstance(b, Paragraph))
    assert back.inlines == ours.inlines
    assert [t.text for t in walk_inlines(back.inlines) if isinstance(t, Bound)] == \
        ["279.8万人", "279.8万人", "51.12%"]


def test_absorb_folds_an_edited_footnote_into_its_definition(tmp_path: Path) -> None:
    import docx

    brief = make_project(tmp_path, BODY)
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 0, result.stderr
    doc = docx.Document(str(tmp_path / "out" / "b.docx"))
    notes = next(r.target_part for r in doc.part.rels.values()
                 if r.reltype.endswith("/footnotes"))
    root = etree.fromstring(notes.blob)
    for t in root.iter(W + "t"):
        t.text = (t.text or "").replace("口径计算", "口径核算")
    notes._blob = etree.tostring(root)  # python-docx keeps the part as bytes
    doc.save(str(tmp_path / "edited.docx"))
    result = run_cli("absorb", tmp_path / "edited.docx", "--into", brief, cwd=tmp_path)
    assert result.code == 0, result.stderr
    source = (brief / "body.md").read_text(encoding="utf-8")
    assert "[^rate]: 城镇化率按GB/T 4754口径核算。\n" in source
    assert "[^pop]: 常住人口{{ facts.population | q }}出自《朝阳统计年鉴2024》" in source
    assert "[^pop]，城镇化率为{{ facts.urbanization | pct }}[^rate]。" in source


# ---- the rooms of the last layout --------------------------------------------------------------


def _layout_passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The layout passes the PDF writer makes, each as whether it was dry."""
    from briefgen.writers.pdf.writer import PdfWriter

    passes: list[bool] = []
    layout = PdfWriter._layout

    def counted(self: PdfWriter, *args: object, dry: bool = False) -> None:
        passes.append(dry)
        layout(self, *args, dry=dry)  # type: ignore[arg-type]

    monkeypatch.setattr(PdfWriter, "_layout", counted)
    return passes


def _chars(path: Path) -> list[list[tuple[str, float, float]]]:
    with pdfplumber.open(str(path)) as pdf:
        return [[(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page.chars]
                for page in pdf.pages]


def test_a_rebuild_lays_out_once_from_the_rooms_the_last_build_settled_on(
        tmp_path: Path, house: House, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    passes = _layout_passes(monkeypatch)
    first = write_pdf(make_document(_dense_document(58)), house, tmp_path / "first.pdf")
    cold = len(passes)
    again = write_pdf(make_document(_dense_document(58)), house, tmp_path / "again.pdf")
    assert cold >= 2 and len(passes) - cold == 1
    # the first build's first pass, from no rooms, only finds the references: it is dry
    assert passes[:cold] == [True] + [False] * (cold - 1) and passes[cold] is False
    assert _chars(again) == _chars(first)


@pytest.mark.parametrize("shift", [3, 40])
def test_after_an_edit_the_remembered_rooms_give_the_pdf_a_first_build_gives(
        tmp_path: Path, house: House, monkeypatch: pytest.MonkeyPatch, shift: int) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "warm"))
    write_pdf(make_document(_dense_document(58)), house, tmp_path / "before.pdf")
    edited = [Paragraph([Text(HAN[:shift])]), *_dense_document(58)]  # the body moves down
    warm = write_pdf(make_document(edited), house, tmp_path / "warm.pdf")
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cold"))
    fresh = write_pdf(make_document(edited), house, tmp_path / "fresh.pdf")
    assert _chars(warm) == _chars(fresh)


def test_a_dry_first_pass_gives_the_pdf_drawn_passes_give(
        tmp_path: Path, house: House, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first pass draws nothing and writes nothing: the PDF is byte for byte the one
    of passes that all draw (ReportLab's invariant mode), on a cold cache each time."""
    from reportlab import rl_config

    from briefgen.writers.pdf.writer import PdfWriter

    monkeypatch.setattr(rl_config, "invariant", 1)
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "dry"))
    passes = _layout_passes(monkeypatch)
    dry = write_pdf(make_document(_dense_document(58)), house, tmp_path / "dry.pdf")
    assert passes[0] is True
    layout = PdfWriter._layout
    monkeypatch.setattr(PdfWriter, "_layout", lambda self, *a, dry=False: layout(self, *a))
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "drawn"))
    drawn = write_pdf(make_document(_dense_document(58)), house, tmp_path / "drawn.pdf")
    assert passes.count(True) == 1  # the second build's passes all drew
    assert dry.read_bytes() == drawn.read_bytes()
