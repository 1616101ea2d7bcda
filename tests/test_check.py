"""check: typed numbers, one label with two values, totals, shares, moves since last issue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.analysis.check import CheckOptions, check_folder

from .conftest import ROOT, SAMPLE, run_cli
from .minibrief import BRIEF_YAML, SECTORS, make_data, make_project

URBAN_TWICE = """\
# 基本情况

全市常住人口 {{ facts.population | q }}，城镇化率 51.12%。

# 问题

受人口流失影响，城镇化水平偏低。全市城镇化率仅为45.82%，低于全国平均水平。
"""


def codes(findings, level=None):
    return [f.code for f in findings if level is None or f.level == level]


def test_one_label_two_values_reports_both_places(tmp_path: Path) -> None:
    brief = make_project(tmp_path, URBAN_TWICE)
    findings = check_folder(brief)
    (conflict,) = [f for f in findings if f.code == "conflict"]
    assert conflict.level == "error"
    assert conflict.file.endswith("body.md") and conflict.line == 7
    assert "城镇化率" in conflict.message
    assert "45.82%" in conflict.message and "51.12%" in conflict.message
    assert "body.md:3" in conflict.message
    assert [r["line"] for r in conflict.related] == [3, 7]


def test_conflict_through_the_cli_exits_1_and_names_both_lines(tmp_path: Path) -> None:
    brief = make_project(tmp_path, URBAN_TWICE)
    result = run_cli("check", brief, cwd=tmp_path)
    assert result.code == 1, result.stderr
    line = next(x for x in result.stdout.splitlines() if "error" in x)
    assert line.startswith("briefs/b/body.md:7: error:")
    assert "briefs/b/body.md:3" in line


def test_bound_value_and_typed_value_conflict(tmp_path: Path) -> None:
    body = "城镇化率 {{ facts.urbanization | pct }}。\n\n后文：全市城镇化率仅为 45.82%。\n"
    findings = check_folder(make_project(tmp_path, body))
    (conflict,) = [f for f in findings if f.code == "conflict"]
    assert conflict.line == 3
    assert "facts.yaml" in conflict.suggestion  # the data's value is named


def test_the_same_value_at_another_precision_is_no_conflict(tmp_path: Path) -> None:
    body = "城镇化率 {{ facts.urbanization | pct }}。\n\n全市城镇化率约为51.1%，城镇化率 51.1%。\n"
    assert "conflict" not in codes(check_folder(make_project(tmp_path, body)))


def test_national_and_local_rates_are_different_labels(tmp_path: Path) -> None:
    body = "城镇化率 {{ facts.urbanization | pct }}，全国城镇化率 66.16%，全省城镇化率 72.0%。\n"
    assert "conflict" not in codes(check_folder(make_project(tmp_path, body)))


def test_values_for_different_sectors_are_no_conflict(tmp_path: Path) -> None:
    body = (
        "冶金行业实现产值 {{ tables.sectors['冶金'].output | yi }}；"
        "装备行业实现产值 {{ tables.sectors['装备'].output | yi }}。\n\n"
        "全市累计实现产值 {{ facts.output | yi }}，六大行业累计完成产值 967.8 亿元。\n"
    )
    assert "conflict" not in codes(check_folder(make_project(tmp_path, body)))


def test_typed_number_with_data_gets_the_expression(tmp_path: Path) -> None:
    body = "全市常住人口 279.8 万人，冶金行业实现产值 567.2 亿元，占全部规上的 57.7%。\n"
    findings = check_folder(make_project(tmp_path, body))
    suggestions = {f.message.split(" ")[0].rstrip("万人亿元"): f.suggestion for f in findings if f.code == "bindable"}
    assert suggestions["279.8"] == "write {{ facts.population | q }}"
    assert suggestions["567.2"] == "write {{ tables.sectors['冶金'].output | yi }}"
    assert suggestions["57.7%"] == "write {{ tables.sectors.share('冶金', 'output', facts.output) | pct }}"
    assert all(f.level == "warning" and f.line == 1 for f in findings)


def test_typed_number_no_data_backs_is_a_warning(tmp_path: Path) -> None:
    body = ("全年技改投资 52.9 亿元，占比 23.6%，现已发现各类有益矿产 53 种。"
            "2023 年 5 月 14 日，第 3 期。\n\n1. 要点\n")
    findings = check_folder(make_project(tmp_path, body))
    assert [(f.code, f.level) for f in findings] == [("unbacked", "warning")] * 2
    assert "52.9亿元" in findings[0].message and "23.6%" in findings[1].message


def test_bound_numbers_are_not_flagged(tmp_path: Path) -> None:
    body = (
        "{% for r in tables.sectors %}{{ r.name }}行业实现产值 {{ r.output | yi }}，"
        "占全部规上的 {{ r.share('output', facts.output) | pct }}；{% endfor %}\n"
    )
    assert check_folder(make_project(tmp_path, body)) == []


def test_share_over_60_percent_disagrees_with_577(tmp_path: Path) -> None:
    body = (
        "冶金行业实现产值 {{ tables.sectors['冶金'].output | yi }}，"
        "占全部规上的 {{ tables.sectors.share('冶金', 'output', facts.output) | pct }}。\n\n"
        "偏铁偏矿问题突出，冶金行业占比仍然高达 60% 以上。\n"
    )
    findings = check_folder(make_project(tmp_path, body))
    (share,) = [f for f in findings if f.code == "share"]
    assert share.level == "error" and share.line == 3
    assert "冶金" in share.message and "60%以上" in share.message
    assert "tables.sectors.share('冶金'" in share.suggestion


@pytest.mark.parametrize(
    "phrase", ["占全部规上的 57.7%", "占比近 60%", "占比约 58%", "占比超过 55%", "占比 57.72%"]
)
def test_shares_that_agree_pass(tmp_path: Path, phrase: str) -> None:
    body = f"冶金行业{phrase}。\n"
    assert "share" not in codes(check_folder(make_project(tmp_path, body)))


def test_a_share_after_a_list_of_sectors_is_not_pinned_on_the_last(tmp_path: Path) -> None:
    body = "主导产业为冶金、农产品加工、石化、建材、能源、装备“六大行业”，占全部规上的 98.5%。\n"
    assert "share" not in codes(check_folder(make_project(tmp_path, body)))


def test_parts_that_do_not_add_up_to_their_total(tmp_path: Path) -> None:
    make_data(tmp_path, sectors=SECTORS.replace("冶金,113,567.2", "冶金,113,577.2"))
    brief = make_project(tmp_path, "正文。\n")
    (total,) = check_folder(brief)
    assert total.code == "total" and total.level == "error"
    assert total.file.endswith("tables.yaml") and total.line == 10
    assert "977.8" in total.message and "967.8" in total.message


def test_a_figure_that_moved_more_than_the_factor(tmp_path: Path) -> None:
    make_data(tmp_path, "2022", sectors=SECTORS.replace("装备,96,62.5", "装备,96,6.25"))
    yaml = BRIEF_YAML.replace(
        "  folder: ../../data/x/2023   # this year's statistics\n",
        "  folder: ../../data/x/2023   # this year's statistics\n  previous: ../../data/x/2022\n",
    )
    brief = make_project(tmp_path, "正文。\n", brief_yaml=yaml)
    (moved,) = check_folder(brief)
    assert moved.code == "moved" and moved.level == "warning"
    assert moved.file.endswith("2023/sectors.csv") and moved.line == 7
    assert "装备产值" in moved.message and "×10.00" in moved.message
    assert check_folder(brief, CheckOptions(factor=20)) == []


def test_strict_and_json(tmp_path: Path) -> None:
    brief = make_project(tmp_path, "全年技改投资 52.9 亿元。\n")
    assert run_cli("check", brief, cwd=tmp_path).code == 0
    strict = run_cli("check", brief, "--strict", "--format", "json", cwd=tmp_path)
    assert strict.code == 1
    report = json.loads(strict.stdout)
    assert report["errors"] == 0 and report["warnings"] == 1
    (finding,) = report["findings"]
    assert finding["file"] == "briefs/b/body.md" and finding["line"] == 1
    assert finding["level"] == "warning" and finding["code"] == "unbacked"


def test_no_such_folder_is_a_user_error(tmp_path: Path) -> None:
    result = run_cli("check", tmp_path / "nope", cwd=tmp_path)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "not found" in result.stderr


def test_build_refuses_a_brief_with_errors(tmp_path: Path) -> None:
    brief = make_project(tmp_path, URBAN_TWICE)
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "docx", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("briefgen: error: briefs/b/body.md:7: check found an error")
    assert "城镇化率" in line
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("helpers", ["1", "0"])
def test_a_build_of_both_formats_refuses_a_brief_with_errors(tmp_path: Path, helpers: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """With helpers the checks run while the files are written: the same one line, and
    no file is given its final name."""
    monkeypatch.setenv("BRIEFGEN_HELPERS", helpers)
    brief = make_project(tmp_path, URBAN_TWICE)
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("briefgen: error: briefs/b/body.md:7: check found an error")
    assert not out.exists()


def test_the_sample_has_no_errors() -> None:
    findings = check_folder(ROOT / SAMPLE)
    assert [f.one_line() for f in findings if f.level == "error"] == []


def test_the_seed_urbanisation_conflict_in_the_sample(project: Path) -> None:
    problems = project / SAMPLE / "sections" / "problems.md"
    text = problems.read_text(encoding="utf-8")
    problems.write_text(text.replace("{{ rate|pct }}", "45.82%", 1), encoding="utf-8")
    result = run_cli("check", SAMPLE, "--format", "json", cwd=project)
    assert result.code == 1
    (conflict,) = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "conflict"]
    places = [(Path(r["file"]).name, r["text"]) for r in conflict["related"]]
    assert places == [("basics.md", "51.12%"), ("problems.md", "45.82%")]
    assert conflict["file"].endswith("problems.md") and conflict["line"]


def test_the_seeds_own_two_slips_typed_into_the_sample(project: Path) -> None:
    """The seed's words: 城镇化率 45.82% against the bound 常住人口城镇化率 51.12%, and
    metallurgy 'over 60%' of the total output against the computed 57.7%."""
    problems = project / SAMPLE / "sections" / "problems.md"
    text = problems.read_text(encoding="utf-8")
    bound = "{{ metallurgy.share('output', facts.industry_output)|pct }}"
    assert bound in text
    text = text.replace(bound, "60%以上", 1) + "\n全市城镇化率仅为45.82%。\n"
    problems.write_text(text, encoding="utf-8")
    findings = check_folder(project / SAMPLE)
    errors = {f.code: f for f in findings if f.level == "error"}
    assert set(errors) == {"conflict", "share"}
    assert "45.82%" in errors["conflict"].message and "51.12%" in errors["conflict"].message
    assert "basics.md:" in errors["conflict"].message
    assert "57.7%" in errors["share"].message and "60%以上" in errors["share"].message
    assert "facts.industry_output" in errors["share"].suggestion


def test_figure_references_are_not_figures(tmp_path: Path) -> None:
    body = "如图1所示，见表2。\n"
    assert check_folder(make_project(tmp_path, body)) == []


def test_a_missing_previous_folder_names_the_line(tmp_path: Path) -> None:
    yaml = BRIEF_YAML.replace(
        "  folder: ../../data/x/2023   # this year's statistics\n",
        "  folder: ../../data/x/2023   # this year's statistics\n  previous: ../../data/x/1999\n",
    )
    make_project(tmp_path, "正文。\n", brief_yaml=yaml)
    result = run_cli("check", "briefs/b", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.startswith("briefgen: error: briefs/b/brief.yaml:9: the previous issue's")


def test_a_magnitude_after_a_direction_word_is_not_a_wrong_direction(project: Path) -> None:
    """低于全国{{ (a - b)|abs|q }}: abs() took the sign off on purpose; the word carries it."""
    section = project / "briefs/2024-05-chaoyang/sections/intro.md"
    section.write_text(
        section.read_text(encoding="utf-8")
        + "\n\n全市城镇化率{{ (facts.urbanisation_rate - facts.urbanisation_rate_national)|higher }}"
        "全国{{ (facts.urbanisation_rate - facts.urbanisation_rate_national)|abs|pp }}。\n",
        encoding="utf-8",
    )
    findings = check_folder(project / "briefs/2024-05-chaoyang")
    assert not [f for f in findings if f.level == "error"], [f.one_line() for f in findings]


def test_a_column_named_share_builds_and_checks(tmp_path: Path) -> None:
    """A column may be called `share` (or `rank`): it is read by subscript, the table's
    methods stay methods, and check suggests the subscript form."""
    data = make_data(tmp_path)
    tables = (data / "tables.yaml").read_text(encoding="utf-8")
    (data / "tables.yaml").write_text(
        tables.replace("    growth: {label: 产值增速, unit: '%'}",
                       "    growth: {label: 产值增速, unit: '%'}\n    share: {label: 产值占比, unit: '%'}"),
        encoding="utf-8")
    rows = SECTORS.strip().splitlines()
    shares = ["share", "58.6", "9.4", "9.2", "8.6", "7.7", "6.5"]
    (data / "sectors.csv").write_text(
        "\n".join(f"{r},{s}" for r, s in zip(rows, shares, strict=True)) + "\n", encoding="utf-8")
    body = ("冶金产值占比{{ tables.sectors['冶金']['share'] | pct }}，"
            "按产值计占六大行业的{{ tables.sectors.share('冶金', 'output') | pct }}。\n")
    brief = make_project(tmp_path, body)
    built = run_cli("build", brief, "-o", "out", "--format", "pdf", cwd=tmp_path)
    assert built.code == 0, built.stderr
    checked = run_cli("check", brief, cwd=tmp_path)
    assert checked.code == 0, checked.stdout + checked.stderr
