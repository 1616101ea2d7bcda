"""check's suggestions: the `{{ … }}` it offers for a typed figure, pasted in place of the
figure, builds and prints the very text that was typed (‰ with pm, 万元 with wan …)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from briefgen.analysis.check import check_folder
from briefgen.compose import compose
from briefgen.config.brief import load_spec
from briefgen.data import load_data

from .conftest import run_cli
from .minibrief import FACTS, make_data, make_project

RATES = FACTS + """\
birth: {value: 4.82, unit: '‰', label: 人口出生率}
natural: {value: -5.47, unit: '‰', label: 人口自然增长率}
natural_gap: {value: 1.57, unit: 个千分点, label: 自然增长率差距}
subsidy: {value: 52.9, unit: 万元, label: 𠀋村补贴资金}
grant: {value: 2000, unit: 元, label: 人均奖励}
"""


def _suggestion(brief: Path, typed: str) -> str:
    findings = check_folder(brief)
    (found,) = [f for f in findings if f.text == typed]
    assert found.code == "bindable", found.one_line()
    assert found.suggestion.startswith("write {{ ")
    return found.suggestion.removeprefix("write ")


def _composed(brief: Path) -> str:
    spec = load_spec(brief)
    return compose(spec, load_data(spec.data_folder())).markdown


@pytest.mark.parametrize(("sentence", "typed", "filter_name"), [
    ("2023年全市人口出生率为4.82‰，低于全国。", "4.82‰", "pm"),
    ("全市人口自然增长率为-5.47‰，连续下降。", "-5.47‰", "pm"),
    ("全市自然增长率差距1.57个千分点，仍在扩大。", "1.57个千分点", "pmp"),
    ("全年发放𠀋村补贴资金52.9万元，覆盖ABC3个村。", "52.9万元", "wan"),
    ("全年城镇化率51.12%，居全省前列。", "51.12%", "pct"),
    ("对返乡青年发放人均奖励2000元。", "2000元", "q"),
])
def test_a_suggestion_pasted_in_place_prints_the_typed_text(
        tmp_path: Path, sentence: str, typed: str, filter_name: str) -> None:
    make_data(tmp_path, facts=RATES)
    brief = make_project(tmp_path, sentence + "\n")
    expr = _suggestion(brief, typed)
    assert f"| {filter_name} }}}}" in expr
    (brief / "body.md").write_text(sentence.replace(typed, expr) + "\n", encoding="utf-8")
    assert _composed(brief).strip() == sentence
    assert [f for f in check_folder(brief) if f.text == typed] == []  # bound now


def test_a_permille_suggestion_builds_into_the_word_file(tmp_path: Path) -> None:
    make_data(tmp_path, facts=RATES)
    sentence = "2023年全市人口出生率为4.82‰，低于全国。"
    brief = make_project(tmp_path, sentence + "\n")
    expr = _suggestion(brief, "4.82‰")
    assert expr == "{{ facts.birth | pm }}"
    (brief / "body.md").write_text(sentence.replace("4.82‰", expr) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "docx", cwd=tmp_path)
    assert result.code == 0, result.stderr
    (docx,) = out.glob("*.docx")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    assert sentence in "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
