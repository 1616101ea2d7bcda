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


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def printed(p: docx.text.paragraph.Paragraph, notes: list[str]) -> str:
    """A Word paragraph's text as the PDF prints it: each footnote reference as its number
    (Word numbers them in order); `notes` collects the notes' texts, numbered."""
    out = []
    for el in p._p.iter(W + "t", W + "footnoteReference"):
        if el.tag == W + "t":
            out.append(el.text or "")
        else:
            notes.append(str(len(notes) + 1))
            out.append(notes[-1])
    return "".join(out)


def footnote_texts(doc: docx.document.Document) -> dict[str, str]:
    """The notes of word/footnotes.xml by id, without Word's number."""
    from lxml import etree

    part = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/footnotes"))
    return {n.get(W + "id"): "".join(t.text or "" for t in n.iter(W + "t"))
            for n in etree.fromstring(part.blob).iter(W + "footnote")}


def test_every_paragraph_of_the_word_file_is_in_the_pdf(both: Path) -> None:
    pdf_text = subprocess.run(["pdftotext", str(both / "2024-05-chaoyang.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    # Page numbers stand between the halves of a paragraph that crosses a page.
    flowing = squeeze(re.sub(r"—\s*\d+\s*—", "", pdf_text))
    word = docx.Document(str(both / "2024-05-chaoyang.docx"))
    paragraphs = [p for p in word.paragraphs if p.style.name in COMPARED and p.text.strip()]
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
    # So do the footnotes at a page's foot: each once, after its number.
    numbers: list[str] = []
    texts = {p.text: printed(p, numbers) for p in paragraphs}
    notes = footnote_texts(word)
    assert numbers
    for n in numbers:
        legend = n + squeeze(notes[n])
        assert flowing.count(legend) == 1, legend
        flowing = flowing.replace(legend, "")
    missing = [p.text[:40] for p in paragraphs if p.style.name not in ("Caption", "Figure Source")
               and squeeze(texts[p.text]) not in flowing]
    assert not missing
