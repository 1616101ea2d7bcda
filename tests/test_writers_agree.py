"""One document model, two writers: the Word file and the PDF carry the same words."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest

from .conftest import SAMPLE, run_cli

COMPARED = {"Body Text", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption",
            "Figure Source", "Note", "Author Bio", "Title", "Author Line", "Masthead Slogan",
            "Disclaimer"}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("both")
    result = run_cli("build", SAMPLE, "-o", out)
    assert result.code == 0, result.stderr
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_paragraph_of_the_word_file_is_in_the_pdf(both: Path) -> None:
    pdf_text = subprocess.run(["pdftotext", str(both / "2024-05-chaoyang.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    # Page numbers stand between the halves of a paragraph that crosses a page.
    flowing = squeeze(re.sub(r"—\s*\d+\s*—", "", pdf_text))
    paragraphs = [p for p in docx.Document(str(both / "2024-05-chaoyang.docx")).paragraphs
                  if p.style.name in COMPARED and p.text.strip()]
    assert len(paragraphs) > 60
    # A figure floated to the next page stands between the halves of a paragraph: the text
    # flow is read without the figures' captions and source lines (each there, once).
    legends = ["".join(squeeze(q.text) for q in paragraphs[k:k + 2]
                       if q is p or q.style.name == "Figure Source")
               for k, p in enumerate(paragraphs) if p.style.name == "Caption"]
    assert legends
    for legend in legends:
        assert flowing.count(legend) == 1, legend
        flowing = flowing.replace(legend, "")
    missing = [p.text[:40] for p in paragraphs
               if p.style.name not in ("Caption", "Figure Source") and squeeze(p.text) not in flowing]
    assert not missing
