"""The masthead, rule, title and author line stand at the same heights in Word as in the PDF.

House spacing (`space_before_lines`, `space_after_lines`) is counted in body lines by
both writers, so LibreOffice's rendering of the .docx puts the front matter where the
PDF does and page 1 holds as many body lines in both (it held 9 against 10 when Word
counted the title's space in its own 36 pt lines).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from .conftest import SAMPLE, run_cli

# The first characters of each front-matter line, top to bottom, then the body's first.
FRONT = ["辽宁大学", "调", "助力新六地", "第5期", "推动朝阳市", "促进工业", "武英杰", "习近平"]
BODY_SIZE = 16  # 三号


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(our PDF, LibreOffice's PDF of our .docx) of the sample brief."""
    work = tmp_path_factory.mktemp("front")
    result = run_cli("build", SAMPLE, "-o", work / "out")
    assert result.code == 0, result.stderr
    fontconfig = work / "fonts.conf"  # the institute's faces shown with the free substitutes
    assert run_cli("reference-doc", "--fontconfig", fontconfig).code == 0
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    name = Path(SAMPLE).name
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{work}/profile",
                           "--convert-to", "pdf", "--outdir", str(work / "lo"),
                           str(work / "out" / f"{name}.docx")],
                          capture_output=True, text=True, timeout=240,
                          env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)})
    assert proc.returncode == 0 and (work / "lo" / f"{name}.pdf").exists(), proc.stderr
    return work / "out" / f"{name}.pdf", work / "lo" / f"{name}.pdf"


def lines_of(chars: list[dict]) -> list[tuple[float, str]]:
    """Characters grouped into lines by their bottoms (digits sit a point off the Han),
    top to bottom, each as (its first character's bottom, its text)."""
    lines: list[list[dict]] = []
    for c in sorted((c for c in chars if c["text"].strip()), key=lambda c: c["bottom"]):
        if lines and c["bottom"] - lines[-1][0]["bottom"] < 6:
            lines[-1].append(c)
        else:
            lines.append([c])
    ordered = [sorted(cs, key=lambda c: c["x0"]) for cs in lines]
    # a line's height: its first character's bottom (each front-matter line starts with Han)
    return [(cs[0]["bottom"], "".join(c["text"] for c in cs)) for cs in ordered]


def first_page(pdf: Path) -> tuple[list[tuple[float, str]], float]:
    """Page 1's lines and the red rule's height."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        lines = lines_of(page.chars)
        rules = [r["top"] for r in page.lines + page.rects if r["x1"] - r["x0"] > 400]
    assert rules, f"no rule across the text block on page 1 of {pdf.name}"
    return lines, rules[0]


def test_the_front_matter_stands_where_the_pdf_has_it(pdfs: tuple[Path, Path]) -> None:
    (ours, our_rule), (theirs, their_rule) = first_page(pdfs[0]), first_page(pdfs[1])

    def heights(lines: list[tuple[float, str]]) -> list[float]:
        return [next(y for y, text in lines if text.startswith(head)) for head in FRONT]

    assert their_rule == pytest.approx(our_rule, abs=3)
    # The series title's 42 pt glyphs sit a little differently in a 56 pt exact line:
    # every other line within 3 pt, and no drift down the page.
    assert heights(theirs) == pytest.approx(heights(ours), abs=5)
    assert heights(theirs)[3:] == pytest.approx(heights(ours)[3:], abs=3)


def test_page_one_holds_as_many_body_lines_in_both(pdfs: tuple[Path, Path]) -> None:
    counts = []
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            body = [c for c in doc.pages[0].chars if round(c["size"]) == BODY_SIZE]
        lines = lines_of(body)
        start = next(i for i, (_, text) in enumerate(lines) if text.startswith("习近平"))
        counts.append(len(lines) - start)
    assert counts[0] == counts[1], f"body lines on page 1: PDF {counts[0]}, Word {counts[1]}"
