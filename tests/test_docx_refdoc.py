"""Reference documents as staff make them: saved by LibreOffice, styles renamed the way
Word, LibreOffice and a Chinese Word write them, the page changed."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from briefgen.writers.docx.stylemap import StyleMap

from .conftest import ROOT, SAMPLE, run_cli
from .test_docx_package import _schema_errors

REFERENCE = ROOT / "templates" / "reference.docx"


def _build(tmp_path: Path, reference: Path) -> tuple[Path, str]:
    result = run_cli("build", SAMPLE, "-o", tmp_path / "out", "--format", "docx",
                     "--reference-doc", reference)
    assert result.code == 0, result.stderr
    return tmp_path / "out" / "2024-05-chaoyang.docx", result.stderr


@pytest.fixture(scope="module")
def libreoffice_saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """templates/reference.docx opened and saved again by LibreOffice."""
    work = tmp_path_factory.mktemp("lo-ref")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required"
    source = work / "mine.odt.docx"
    shutil.copyfile(REFERENCE, source)
    proc = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source)],
        capture_output=True, text=True, timeout=240)
    saved = work / "out" / source.name
    assert proc.returncode == 0 and saved.exists(), proc.stderr
    return saved


def test_libreoffice_writes_style_names_its_own_way(libreoffice_saved: Path) -> None:
    """The premise: LibreOffice writes "Heading 1" (Word: "heading 1") and id TextBody."""
    d = docx.Document(str(libreoffice_saved))
    raw = {s.element.find(qn("w:name")).get(qn("w:val")): s.style_id for s in d.styles
           if s.element.find(qn("w:name")) is not None}
    assert "Heading 1" in raw and "heading 1" not in raw
    with pytest.raises(KeyError):
        d.styles["Heading 1"]  # what crashed the build before
    assert StyleMap(d).find("Heading 1") is not None


def test_a_libreoffice_saved_reference_doc_builds_valid_and_numbered(
        libreoffice_saved: Path, tmp_path: Path) -> None:
    built, _ = _build(tmp_path, libreoffice_saved)
    assert _schema_errors(built) == {}
    d = docx.Document(str(built))
    styles = {p.style.name for p in d.paragraphs}
    assert {"Heading 1", "Body Text", "Caption"} <= styles
    assert d.styles["Body Text"].font.size.pt == 16
    assert all(d.styles[f"Heading {n}"].element.pPr.numPr is not None for n in range(1, 5))
    # the sample's footnote takes the footnote styles LibreOffice renamed (no second copy)
    ids = [s.style_id for s in d.styles]
    notes = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/footnotes"))
    used = set(re.findall(rb'w:(?:pStyle|rStyle) w:val="([^"]+)"', notes.blob))
    assert used and all(u.decode() in ids for u in used)
    names = [(s.name or "").casefold() for s in d.styles]
    assert names.count("footnote text") == 1 and names.count("footnote reference") == 1


@pytest.mark.parametrize("old,new", [("heading 1", "HEADING 1"), ("heading 1", "标题 1"),
                                     ("Body Text", "body text")])
def test_styles_found_by_any_name_they_go_by(tmp_path: Path, old: str, new: str) -> None:
    d = docx.Document(str(REFERENCE))
    style = next(s for s in d.styles
                 if s.element.find(qn("w:name")).get(qn("w:val")) == old)
    style.element.find(qn("w:name")).set(qn("w:val"), new)
    style.element.set(qn("w:styleId"), "X" + style.style_id)
    aliases = style.element.find(qn("w:aliases"))
    if aliases is not None:
        style.element.remove(aliases)
    mine = tmp_path / "mine.docx"
    d.save(str(mine))
    built, _ = _build(tmp_path, mine)
    used = {p._p.pPr.pStyle.val for p in docx.Document(str(built)).paragraphs}
    assert "X" + ("Heading1" if old == "heading 1" else "BodyText") in used


def test_the_page_is_house_yamls_and_the_build_says_so(tmp_path: Path) -> None:
    d = docx.Document(str(REFERENCE))
    d.sections[0].left_margin = Mm(40)
    d.styles["Body Text"].font.size = Pt(15)
    mine = tmp_path / "mine.docx"
    d.save(str(mine))
    built, stderr = _build(tmp_path, mine)
    warnings = [line for line in stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert "house.yaml" in warnings[0] and "left margin 40.0 mm (house 28 mm)" in warnings[0]
    out = docx.Document(str(built))
    assert round(out.sections[0].left_margin.mm) == 28
    assert out.styles["Body Text"].font.size.pt == 15  # styles are the reference doc's


def test_the_houses_own_reference_doc_builds_without_a_warning(tmp_path: Path) -> None:
    _, stderr = _build(tmp_path, REFERENCE)
    assert "warning" not in stderr
