"""Compose: filters for Chinese statistical prose, the sandbox, and template errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.app.pipeline import prepare
from briefgen.errors import BriefError
from briefgen.model import Heading, Note, Paragraph, Table

from .conftest import ROOT, run_cli

BRIEF = """\
title: 测试简报
date: 2024-05-14
issue: 2
place: 朝阳市
authors: [{name: 张三, bio: 研究员。}]
data: {folder: ../../data/x}
sections:
  - file: body.md
"""


def make_project(tmp: Path, body: str) -> Path:
    shutil.copytree(ROOT / "templates", tmp / "templates")
    data = tmp / "data" / "x"
    data.mkdir(parents=True)
    (data / "facts.yaml").write_text(
        "output: {value: 982.7, unit: 亿元, label: 规上工业产值}\n"
        "growth: {value: 5.5, unit: '%', label: 增加值增速}\n"
        "national: {value: 4.6, unit: '%', label: 全国增加值增速}\n"
        "fund: {value: 529000, unit: 万元, label: 技改投资}\n"
        "drop: {value: -2.14, unit: '%', label: 产值增速}\n"
        "birth: {value: 4.82, unit: '‰', label: 出生率}\n"
        "natural: {value: -7.17, unit: '‰', label: 自然增长率}\n"
        "urban: {value: 51.12, unit: '%', label: 城镇化率}\n"
        "pop: {value: 279.8, unit: 万人, label: 常住人口}\n",
        encoding="utf-8",
    )
    (data / "tables.yaml").write_text(
        "sectors:\n  file: s.csv\n  title: 行业\n  key: name\n  columns:\n"
        "    name: {label: 行业, type: text}\n    output: {label: 产值, unit: 亿元}\n"
        "    firms: {label: 企业, unit: 户, type: int}\n",
        encoding="utf-8",
    )
    (data / "s.csv").write_text("name,output,firms\n冶金,567.2,113\n装备,62.5,96\n建材,83.2,65\n",
                                encoding="utf-8")
    brief = tmp / "briefs" / "b"
    brief.mkdir(parents=True)
    (brief / "brief.yaml").write_text(BRIEF, encoding="utf-8")
    (brief / "body.md").write_text(body, encoding="utf-8")
    return brief


def compose_text(tmp: Path, body: str) -> str:
    return prepare(make_project(tmp, body)).composition.markdown.strip()


def test_filters_write_chinese_statistical_forms(tmp_path: Path) -> None:
    text = compose_text(
        tmp_path,
        "{{ facts.output | yi }}|{{ facts.growth | pct }}|{{ facts.growth | growth }}|"
        "{{ facts.drop | growth }}|{{ facts.drop | growth(1) }}|"
        "{{ (facts.growth - facts.national) | pp }}|{{ (facts.growth - facts.national) | higher }}|"
        "{{ facts.fund | yi }}|{{ tables.sectors.rank('装备', 'output') | rank }}|"
        "{{ tables.sectors.sum('firms') | q }}|{{ 8 | cn }}",
    )
    assert text.split("|") == [
        "982.7亿元", "5.5%", "增长5.5%", "下降2.14%", "下降2.1%", "0.9个百分点", "高于",
        "52.9亿元", "第3", "274户", "八",
    ]


def test_shares_are_computed_from_the_table(tmp_path: Path) -> None:
    text = compose_text(
        tmp_path,
        "{% for r in tables.sectors.sorted('output') %}{{ r.name }}{{ r.share('output') | pct }}"
        "{{ r.share('output', facts.output) | pct(2) }};{% endfor %}",
    )
    # 567.2 / (567.2 + 62.5 + 83.2) = 79.56%; of the 982.7 total: 57.72%
    assert text == "冶金79.6%57.72%;建材11.7%8.47%;装备8.8%6.36%;"


def test_ledger_records_every_printed_figure_with_its_cells(tmp_path: Path) -> None:
    body = "第一行\n\n比重{{ tables.sectors['冶金'].share('output') | pct }}。\n"
    prepared = prepare(make_project(tmp_path, body))
    (entry,) = prepared.composition.ledger
    assert entry.text == "79.6%" and entry.filter == "pct" and entry.unit == "%"
    assert entry.places == 1 and abs(float(entry.value) - 567.2 / 712.9 * 100) < 1e-9
    assert entry.expression == "tables.sectors['冶金'].share('output') | pct"
    assert entry.file.endswith("body.md") and entry.line == 3
    assert {Path(c.file).name for c in entry.sources} == {"s.csv"}
    assert len(entry.sources) == 1 + 3  # the part, and every cell of the sum


def test_ledger_names_each_expression_of_a_line_with_a_loop(tmp_path: Path) -> None:
    # One line prints 冶金's share once, then every row's share in a loop: four figures of
    # one filter from two expressions that run a different number of times.
    body = (
        "冶金占{{ tables.sectors['冶金'].share('output') | pct }}，依次为"
        "{% for r in tables.sectors %}{{ r.name }}{{ r.share('output') | pct }}、{% endfor %}"
        "增速{{ facts.growth | pct }}。\n"
    )
    ledger = prepare(make_project(tmp_path, body)).composition.ledger
    assert [(e.text, e.expression) for e in ledger] == [
        ("79.6%", "tables.sectors['冶金'].share('output') | pct"),
        ("冶金", "r.name"), ("79.6%", "r.share('output') | pct"),
        ("装备", "r.name"), ("8.8%", "r.share('output') | pct"),
        ("建材", "r.name"), ("11.7%", "r.share('output') | pct"),
        ("5.5%", "facts.growth | pct"),
    ]
    assert {e.line for e in ledger} == {1}


def test_markdown_becomes_numbered_blocks(tmp_path: Path) -> None:
    body = (
        "引言段落，跨行\n写的中文不会多出空格。\n\n# 基本情况\n\n## 优势\n\n### 区位\n\n正文。\n\n"
        "### 资源\n\n## 企业\n\n# 问题\n\n: 表的标题\n\n| 行业 | 产值 |\n|---|--:|\n| 冶金 | 567.2 |\n\n"
        "> 注：一个说明。\n"
    )
    blocks = prepare(make_project(tmp_path, body)).document.body
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "引言段落，跨行写的中文不会多出空格。"
    numbers = [b.number for b in blocks if isinstance(b, Heading)]
    assert numbers == ["一、", "（一）", "1.", "2.", "（二）", "二、"]
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.caption == "表的标题" and table.rows == [["冶金", "567.2"]]
    assert table.align[1] == "right"
    note = blocks[-1]
    assert isinstance(note, Note) and note.label == "注：" and note.inlines[0].text == "一个说明。"


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("第一行\n\n{{ facts.nothing | yi }}\n", 3, "no fact named 'nothing'"),
        ("一\n二\n{{ unknown_name }}\n", 3, "undefined name"),
        ("{% for x in %}\n", 1, "syntax error"),
        ("\n{{ ''.__class__ }}\n", 2, "not allowed"),
        ("{{ facts.output.__class__.__mro__ }}", 1, "not allowed"),
        ("{{ tables.sectors['钢铁'].output | yi }}", 1, "no row '钢铁'"),
        ("{{ chart('nope') }}", 1, "not declared"),
        ("{{ facts.growth | yi }}", 1, "not money"),
    ],
)
def test_template_mistakes_name_file_and_line(tmp_path: Path, body: str, line: int, words: str) -> None:
    brief = make_project(tmp_path, body)
    with pytest.raises(BriefError) as info:
        prepare(brief)
    err = info.value
    assert err.file and err.file.endswith("body.md")
    assert err.line == line
    assert words in err.message
    assert "\n" not in err.one_line()


def test_cli_reports_template_error_in_one_line_and_writes_nothing(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "正文\n{{ facts.outptu | yi }}\n")
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("briefgen: error: briefs/b/body.md:2:")
    assert "outptu" in lines[0]
    assert not out.exists() or not any(out.iterdir())


def test_a_docx_builds_from_the_small_project(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "# 标题\n\n正文{{ facts.output | yi }}。\n")
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_file())
    assert files == ["b.docx"]


def test_a_markdown_table_becomes_an_editable_word_table(tmp_path: Path) -> None:
    import docx

    body = (
        "# 标题\n\n: 六大行业产值\n\n| 行业 | 产值（亿元） |\n|:---|---:|\n"
        "{% for r in tables.sectors %}| {{ r.name }} | {{ r.output | num }} |\n{% endfor %}\n"
    )
    brief = make_project(tmp_path, body)
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 0, result.stderr
    d = docx.Document(str(tmp_path / "out" / "b.docx"))
    caption = next(p for p in d.paragraphs if p.text.startswith("表1"))
    assert caption.style.name == "Table Caption" and caption.text == "表1\u3000六大行业产值"
    table = d.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [["行业", "产值（亿元）"], ["冶金", "567.2"], ["装备", "62.5"], ["建材", "83.2"]]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert table.rows[1].cells[1].paragraphs[0].alignment == 2  # right, as the Markdown says


def test_arithmetic_works_both_ways_and_keeps_units_honest(tmp_path: Path) -> None:
    text = compose_text(
        tmp_path,
        "{{ (100 - facts.urban) | pct }}|{{ (-facts.drop) | growth }}|{{ abs(facts.drop) | pct }}|"
        "{{ facts.drop | abs | pct }}|{{ (facts.growth > facts.national) }}|{{ (5 < facts.growth) }}|"
        "{{ (facts.fund / 10000) | q(2) }}|{{ (facts.growth - facts.national) | q }}|"
        "{{ (facts.pop * 2) | q }}|{{ (facts.output + 0.05) | yi(2) }}",
    )
    assert text.split("|") == [
        "48.88%", "增长2.14%", "2.14%", "2.14%", "True", "True",
        "52.90", "0.9个百分点", "559.6", "982.75亿元",
    ]


def test_per_mille_has_its_own_filters(tmp_path: Path) -> None:
    text = compose_text(
        tmp_path,
        "{{ facts.birth | pm }}|{{ (facts.birth - facts.natural) | pmp }}|{{ facts.natural | growth }}|"
        "{{ (facts.urban - facts.growth) | pp }}",
    )
    assert text.split("|") == ["4.82‰", "11.99个千分点", "下降7.17‰", "45.62个百分点"]


def test_money_filters_convert_and_round_half_up(tmp_path: Path) -> None:
    text = compose_text(
        tmp_path,
        "{{ facts.fund | wan }}|{{ facts.output | wan }}|{{ facts.fund | yi(2) }}|"
        "{{ 0.125 | pct(2) }}|{{ 2.5 | num(0) }}|{{ 14 | cn }}",
    )
    assert text.split("|") == ["529000万元", "9827000万元", "52.90亿元", "0.13%", "3", "十四"]


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("facts.birth | pct", "'pct' on '出生率', which is in ‰ (use 'pm'"),
        ("(facts.birth - facts.birth) | pp", "'pp' on"),
        ("facts.urban | pm", "'pm' on '城镇化率', which is in %"),
        ("(facts.fund / 10000) | yi", "without a unit, not money"),
        ("facts.output + facts.pop", "cannot add"),
        ("'总量' + facts.output", "cannot compute with the text"),
        ("facts.output / (facts.output - facts.output)", "division by zero"),
        ("facts.output | num(99)", "decimal places"),
        ("100 | cn", "'cn' writes 0–99"),
    ],
)
def test_a_filter_refuses_a_wrong_unit_in_one_line(tmp_path: Path, expression: str, words: str) -> None:
    brief = make_project(tmp_path, "第一行\n值{{ " + expression + " }}。\n")
    with pytest.raises(BriefError) as info:
        prepare(brief)
    err = info.value
    assert err.file is not None and err.file.endswith("body.md") and err.line == 2
    assert words in err.one_line()
    assert "\n" not in err.one_line()


def test_a_value_prints_with_the_places_its_cell_was_typed_with() -> None:
    from briefgen.compose.filters import f_growth, f_num, f_q
    from briefgen.data import Value

    typed = Value(9.0, unit="万人", label="人口", decimals=1)  # a cell typed "9.0"
    assert f_q(typed) == "9.0万人" and f_num(typed) == "9.0" and f_growth(typed) == "增长9.0%"
    assert type(f_q(typed) + "") is str  # plain text in string operations


def test_brief_yaml_text_is_composed_through_the_same_filters(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "正文。\n")
    yaml = (brief / "brief.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("title: 测试简报", "title: '{{ brief.date.year - 1 }}年{{ place }}产值{{ facts.output | yi }}'")
    yaml += "note: 注：增速{{ facts.growth | growth }}。\n"
    (brief / "brief.yaml").write_text(yaml, encoding="utf-8")
    prepared = prepare(brief)
    assert prepared.document.title == "2023年朝阳市产值982.7亿元"
    assert prepared.document.meta.title == "2023年朝阳市产值982.7亿元"
    assert prepared.document.end.note == "注：增速增长5.5%。"
    entries = [(e.text, e.file, e.line) for e in prepared.composition.ledger]
    assert ("982.7亿元", "briefs/b/brief.yaml", 1) in [
        (t, f.replace(str(tmp_path) + "/", ""), n) for t, f, n in entries]


def test_a_mistake_in_brief_yaml_text_names_its_line(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "正文。\n")
    yaml = (brief / "brief.yaml").read_text(encoding="utf-8") + "note: 注：{{ facts.nothing | pct }}\n"
    (brief / "brief.yaml").write_text(yaml, encoding="utf-8")
    with pytest.raises(BriefError) as info:
        prepare(brief)
    assert info.value.file is not None and info.value.file.endswith("brief.yaml")
    assert info.value.line == len(yaml.splitlines()) and "nothing" in info.value.message
