"""The template sandbox holds: values only, files confined, work bounded.

Each hostile template of issue 8 goes through the CLI as a user would run it:
exit 2, one line naming the section file and line, and no output written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.app.pipeline import prepare
from briefgen.errors import TemplateError

from .conftest import run_cli
from .minibrief import FACTS, make_data, make_project

HOLES = [
    # (template, what the one line must say)
    ("{{ tables.sectors.path.parents[-1].joinpath('etc','hostname').read_text() }}",
     "not allowed"),
    ("{{ tables.sectors.path.write_text('x') }}", "not allowed"),
    ("{{ tables.sectors.spec.model_dump_json() }}", "not allowed"),
    ("{{ facts.output.sources[0].file }}", "not allowed"),
    ("{{ brief.model_dump_json() }}", "not allowed"),
    ("{{ self }}", "'self' is not available"),
    ("{{ lipsum(100000) }}", "undefined name"),
    ("{{ cycler(1, 2).next() }}", "undefined name"),
    ("{{ joiner() }}", "undefined name"),
    ("{% set ns = namespace(a=1) %}{{ ns.a }}", "undefined name"),
    ("{% for i in range(10**9) %}{% endfor %}", "range() of 1000000000 items"),
    ("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}",
     "loops run more than"),
    ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "macros nest deeper"),
    ('{{ "x" * 10**9 }}', "over the cap"),
    ('{{ [1, 2] * 10**9 }}', "over the cap"),
    ("{{ 9**(9**9) }}", "too large"),
    ('{{ "x" | center(10**9) }}', "over the cap"),
    ('{{ "%*d" % (10**9, 1) }}', "wider than the cap"),
    ('{% for i in range(9000) %}{{ "x" * 999 }}{% endfor %}', "prints more than"),
    ('{% set s = "x" * 999999 %}{{ s.replace("x", s) }}', "over the cap"),
    ('{% set s = "\\t" * 999999 %}{{ s.expandtabs(999999) }}', "over the cap"),
    ('{% set s = "\\n" * 999999 %}{{ s | indent(" " * 999999) }}', "over the cap"),
    ('{% macro d(s, n) %}{{ d(s ~ s, n - 1) if n else s }}{% endmacro %}{{ d("x", 39) }}',
     "over the cap"),
]


@pytest.mark.parametrize(("template", "words"), HOLES)
def test_a_hostile_template_is_one_line_and_writes_nothing(
    tmp_path: Path, template: str, words: str
) -> None:
    brief = make_project(tmp_path, f"# 标题\n\n正文。\n{template}\n")
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "docx", cwd=tmp_path, timeout=60)
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("briefgen: error: briefs/b/body.md:4:"), lines[0]
    assert words in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_pandas_cannot_write_a_file(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    brief = make_project(tmp_path, f"{{{{ tables.sectors.frame().to_csv('{target}') }}}}\n")
    result = run_cli("check", brief, cwd=tmp_path, timeout=60)
    # A table has no DataFrame to hand out: `frame` is read as a row name, which it is not.
    assert result.code == 2 and "body.md:1" in result.stderr and "frame" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_an_include_that_resolves_outside_the_project_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "outside.md"
    secret.write_text("机密内容", encoding="utf-8")
    brief = make_project(tmp_path / "p", "第一行\n{% include 'part.md' %}\n")
    (brief / "part.md").symlink_to(secret)
    with pytest.raises(TemplateError) as info:
        prepare(brief)
    assert "outside the brief and templates folders" in info.value.message
    assert info.value.file is not None and info.value.file.endswith("body.md")
    assert info.value.line == 2


def test_an_include_inside_the_brief_works(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "第一行\n{% include 'part.md' %}\n")
    (brief / "part.md").write_text("产值{{ facts.output | yi }}。\n", encoding="utf-8")
    text = prepare(brief).composition.markdown
    assert "产值982.7亿元。" in text


def test_two_huge_cells_summed_are_an_error_not_inf(tmp_path: Path) -> None:
    facts = FACTS + "big: {value: 1.0e+308, unit: 亿元, label: 大数}\n"
    make_data(tmp_path, facts=facts)
    brief = make_project(tmp_path, "正文\n{{ (facts.big + facts.big) | yi }}\n")
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "body.md:2:" in line and "overflow" in line


def test_documented_methods_still_work(tmp_path: Path) -> None:
    body = (
        "{% for r in tables.sectors.top('output', 1) %}{{ r.name }}{{ r.output | yi }}"
        "第{{ r.rank('output') | cn }}；{% endfor %}"
        "{{ tables.sectors.sum('firms') | q }}，{{ tables.sectors.row('石化').growth | growth }}，"
        "{{ tables.sectors.title }}{{ tables.sectors.columns | length }}列，"
        "{{ facts.output.label }}{{ facts.output.unit }}，{{ '、'.join(['甲', '乙']) }}，"
        "{{ brief.title }}，{{ (facts.population - facts.population) | q }}"
    )
    text = prepare(make_project(tmp_path, body)).composition.markdown.strip()
    assert text == (
        "冶金567.2亿元第一；393户，增长21.4%，六大行业4列，"
        "规上工业产值亿元，甲、乙，测试简报，0.0万人"
    )
