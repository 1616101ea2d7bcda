"""Parse on the composed sections: errors at the section's own line, Bound figures, caps."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.app.pipeline import prepare
from briefgen.compose import compose
from briefgen.config.brief import load_spec
from briefgen.data import load_data
from briefgen.errors import TemplateError
from briefgen.model import Bound, Heading, Paragraph, Table, walk_inlines

from .conftest import run_cli
from .minibrief import BRIEF_YAML, make_project

CHARTS = BRIEF_YAML.replace(
    "sections:\n",
    "charts:\n  - id: sectors\n    kind: bar\n    table: sectors\n    x: name\n    y: output\n"
    "    title: 六大行业产值\nsections:\n  - file: first.md\n",
)


def _compose(brief: Path):  # type: ignore[no-untyped-def]
    spec = load_spec(brief)
    return compose(spec, load_data(spec.data_folder()))


def _error(brief: Path) -> TemplateError:
    with pytest.raises(TemplateError) as info:
        prepare(brief)
    return info.value


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("# 一\n\n正文。\n\n##### 太深\n", 5, "heading level 5"),
        ("# 一\n\n### 跳级\n", 3, "no level-2 heading"),
        ("# 一\n\n正文{{ facts.output | yi }}。\n\n: 悬空的表题\n\n正文。\n", 5, "has no table after it"),
        ("{% set x = 1 %}\n{# 注释 #}\n# 一\n\n" + "| a |\n|---|\n| 1 |\n" * 0 + "\n#####  深\n",
         6, "heading level 5"),
    ],
)
def test_parse_errors_name_the_section_file_and_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    err = _error(make_project(tmp_path, body))
    assert err.file is not None and err.file.endswith("briefs/b/body.md")
    assert err.line == line
    assert words in err.message


def test_the_second_section_is_named_not_brief_yaml(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "# 二\n\n正文。\n\n##### 深\n", brief_yaml=CHARTS)
    (brief / "first.md").write_text("# 一\n\n第一节。\n", encoding="utf-8")
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "briefs/b/body.md:5:" in line and "heading level 5" in line


def test_a_chart_placed_twice_names_the_second_place(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "正文。\n\n{{ chart('sectors') }}\n", brief_yaml=CHARTS)
    (brief / "first.md").write_text("# 一\n\n{{ chart('sectors') }}\n", encoding="utf-8")
    err = _error(brief)
    assert "placed twice" in err.message
    assert err.file is not None and err.file.endswith("body.md") and err.line == 3


def test_a_reference_to_an_unplaced_chart_names_its_line(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "一\n\n二（见{{ fig('sectors') }}）。\n", brief_yaml=CHARTS)
    (brief / "first.md").write_text("# 一\n", encoding="utf-8")
    err = _error(brief)
    assert "which no section places" in err.message
    assert err.file is not None and err.file.endswith("body.md") and err.line == 3


def test_figures_are_bound_in_the_model_and_plain_in_strings(tmp_path: Path) -> None:
    body = (
        "# {{ place }}概况\n\n"
        "产值{{ facts.output | yi }}，城镇化率{{ facts.urbanization | pct }}，𠀋喆GB/T 29490。\n\n"
        "{% set s = facts.output | yi %}长度{{ s | length }}，{{ s ~ '整' }}，{{ s.replace('亿', 'X') }}\n\n"
        ": 表 { #t1 }\n\n| 项 | 值 |\n|---|---|\n| 人口 | {{ facts.population | q }} |\n"
    )
    prepared = prepare(make_project(tmp_path, body))
    ledger = prepared.composition.ledger
    para = next(b for b in prepared.document.body if isinstance(b, Paragraph))
    bound = [t for t in walk_inlines(para.inlines) if isinstance(t, Bound)]
    assert [b.text for b in bound] == ["982.7亿元", "51.12%"]
    assert [ledger[b.figure].text for b in bound] == ["982.7亿元", "51.12%"]
    assert para.text == "产值982.7亿元，城镇化率51.12%，𠀋喆GB/T 29490。"
    assert para.where.endswith("body.md:3")
    second = [b for b in prepared.document.body if isinstance(b, Paragraph)][1]
    # string operations see the plain text: no hidden characters
    assert second.text == "长度7，982.7亿元整，982.7X元"
    table = next(b for b in prepared.document.body if isinstance(b, Table))
    assert table.rows == [["人口", "279.8万人"]] and table.id == "t1" and table.caption == "表"
    heading = next(b for b in prepared.document.body if isinstance(b, Heading))
    assert heading.text == "朝阳市概况" and heading.where.endswith("body.md:1")
    assert "\ue0f0" not in prepared.composition.markdown


def test_the_ledger_knows_lines_in_includes_and_macros(tmp_path: Path) -> None:
    body = (
        "{% macro out(v) %}{{ v | yi }}{% endmacro %}\n"
        "第二行\n"
        "{% include 'part.md' %}\n"
        "宏{{ out(facts.output) }}\n"
    )
    brief = make_project(tmp_path, body)
    (brief / "part.md").write_text("\n\n人口{{ facts.population | q }}\n", encoding="utf-8")
    ledger = _compose(brief).ledger
    where = {(Path(e.file).name, e.line, e.text) for e in ledger}
    assert ("part.md", 3, "279.8万人") in where
    assert ("body.md", 1, "982.7亿元") in where


def test_caps_on_headings_and_columns(tmp_path: Path) -> None:
    many = "".join(f"# 第{i}章\n\n" for i in range(1000))
    err = _error(make_project(tmp_path / "a", many))
    assert "more than 400 headings" in err.message and err.line == 801
    wide = "| " + " | ".join(f"c{i}" for i in range(60)) + " |\n|" + "---|" * 60 + "\n"
    err = _error(make_project(tmp_path / "b", "正文\n\n" + wide))
    assert "60 columns" in err.message and err.line == 3


def test_control_characters_name_the_place_and_code_point(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "第一行\n第二行\x07响铃\n")
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "body.md:2:" in line and "U+0007" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("char", ["\uffff", "\x00", "\ud800"])
def test_unprintable_characters_from_data_name_the_template_line(tmp_path: Path, char: str) -> None:
    brief = make_project(tmp_path, "一\n二\n{{ bad }}\n")
    spec = load_spec(brief)
    from briefgen.compose import Composer

    composer = Composer(spec, load_data(spec.data_folder()))
    composer.env.globals["bad"] = f"文{char}字"
    with pytest.raises(TemplateError) as info:
        compose(spec, composer.data, composer)
    assert info.value.line == 3 and f"U+{ord(char):04X}" in info.value.message


def test_zero_width_characters_are_dropped_with_a_warning(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "正文\n中\u200b文，家庭👨\u200d👩\u200d👧。\n")
    composition = _compose(brief)
    assert "中文，家庭👨\u200d👩\u200d👧。" in composition.markdown
    (warning,) = composition.warnings
    assert "body.md:2" in warning and "U+200B" in warning


def test_tab_numbers_tables_by_their_caption_id(tmp_path: Path) -> None:
    table = "| 项 | 值 |\n|---|---|\n| 甲 | 1 |\n"
    body = (
        "如{{ tab('late') }}和{{ tab('early') }}所示。\n\n: 无编号的表\n\n" + table
        + "\n: 先出现 { #early }\n\n" + table + "\n- 见{{ tab('late') }}\n\n: 后出现 { #late }\n\n" + table
    )
    blocks = prepare(make_project(tmp_path, body)).document.body
    para = next(b for b in blocks if isinstance(b, Paragraph))
    assert para.text == "如表3和表2所示。"
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [(t.number, t.id, t.caption) for t in tables] == [
        (1, "", "无编号的表"), (2, "early", "先出现"), (3, "late", "后出现")]


def test_tab_of_an_unknown_id_names_its_line(tmp_path: Path) -> None:
    err = _error(make_project(tmp_path, "第一行\n\n见{{ tab('nope') }}。\n"))
    assert "table 'nope', which no caption names" in err.message
    assert err.file is not None and err.file.endswith("body.md") and err.line == 3


def test_a_control_character_in_the_title_names_brief_yaml(tmp_path: Path) -> None:
    yaml = BRIEF_YAML.replace("title: 测试简报", 'title: "测试\\a简报"')  # a YAML escape
    brief = make_project(tmp_path, "正文。\n", brief_yaml=yaml)
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert "brief.yaml:2:" in line and "U+0007" in line


def test_captured_output_has_no_hidden_characters_in_string_operations(tmp_path: Path) -> None:
    body = (
        "{% macro out(v) %}{{ v | yi }}{% endmacro %}{% set s %}{{ facts.output | yi }}{% endset %}"
        "{{ out(facts.output) | length }}，{{ s | length }}，{{ s.replace('亿', '万') }}，"
        "{{ s + '整' }}，{{ out(facts.output) }}\n"
    )
    prepared = prepare(make_project(tmp_path, body))
    para = next(b for b in prepared.document.body if isinstance(b, Paragraph))
    assert para.text == "7，7，982.7万元，982.7亿元整，982.7亿元"
    assert [t.text for t in walk_inlines(para.inlines) if isinstance(t, Bound)] == ["982.7亿元"]
