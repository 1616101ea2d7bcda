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
