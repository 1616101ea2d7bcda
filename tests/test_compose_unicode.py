"""Random Unicode prose through compose and parse: no crash, the exact text back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.compose import compose
from briefgen.config.brief import load_spec
from briefgen.data import load_data
from briefgen.model import Bound, Paragraph, walk_inlines
from briefgen.readers.markdown import parse_sections

from .minibrief import make_project

# Letters of any script (CJK, rare CJK Extension B, Latin, Arabic...), digits and
# full-width punctuation; no Markdown or Jinja syntax characters.
WORDS = st.text(
    alphabet=st.one_of(
        st.characters(categories=["Lu", "Ll", "Lo", "Nd"]),
        st.sampled_from("，。、；：“”（）《》％𠀋喆"),
    ),
    min_size=1,
    max_size=40,
)


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("u"), "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=WORDS, after=WORDS)
def test_any_text_around_a_figure_comes_back_exactly(brief: Path, before: str, after: str) -> None:
    (brief / "body.md").write_text(f"{before}{{{{ facts.output | yi }}}}{after}\n", encoding="utf-8")
    spec = load_spec(brief)
    composition = compose(spec, load_data(spec.data_folder()))
    (para,) = parse_sections(composition.sections, {})
    assert isinstance(para, Paragraph)
    assert para.text == f"{before}982.7亿元{after}"
    bound = [t for t in walk_inlines(para.inlines) if isinstance(t, Bound)]
    assert [(b.text, composition.ledger[b.figure].text) for b in bound] == [("982.7亿元",) * 2]


# What the house faces cover: common Han, the rare 𠀋 and 喆, Latin, digits, full-width marks.
PRINTABLE = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        st.sampled_from("abcXYZ0123456789，。、；：“”（）《》％𠀋喆"),
    ),
    min_size=1,
    max_size=60,
)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=PRINTABLE, after=PRINTABLE)
def test_random_chinese_prose_comes_back_exactly_from_both_writers(
    brief: Path, tmp_path_factory: pytest.TempPathFactory, before: str, after: str
) -> None:
    import subprocess

    from docx import Document

    from briefgen.app.pipeline import prepare
    from briefgen.writers.docx import write_docx
    from briefgen.writers.pdf import write_pdf

    (brief / "body.md").write_text(f"{before}{{{{ facts.output | yi }}}}{after}\n", encoding="utf-8")
    prepared = prepare(brief)
    out = tmp_path_factory.mktemp("w")
    expected = f"{before}982.7亿元{after}"
    write_docx(prepared.document, prepared.spec.house, out / "b.docx")
    texts = [p.text for p in Document(str(out / "b.docx")).paragraphs]
    assert expected in texts
    write_pdf(prepared.document, prepared.spec.house, out / "b.pdf")
    pdf_text = subprocess.run(["pdftotext", str(out / "b.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert _squeezed(expected) in _squeezed(pdf_text)
