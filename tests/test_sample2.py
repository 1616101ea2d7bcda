"""The second sample: Shenyang's population, from a workbook in the bureau's form.

The 2023 figures are the sample's (data/shenyang/make_workbook.py names their
sources); the 2024 workbook is test data made here, not statistics.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path
from types import ModuleType

from briefgen.compose import compose
from briefgen.config.brief import load_spec
from briefgen.data import load_data
from briefgen.numbers import fixed

from .conftest import ROOT, run_cli

BRIEF = "briefs/2024-05-shenyang-population"
NEXT = "briefs/2025-05-shenyang-population"


def workbook_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_workbook", ROOT / "data/shenyang/make_workbook.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def composed(project: Path, brief: str) -> str:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        spec = load_spec(Path(brief))
        return compose(spec, load_data(spec.data_folder())).markdown
    finally:
        os.chdir(cwd)


def test_the_workbook_in_the_repo_is_what_the_script_makes(tmp_path: Path) -> None:
    made = tmp_path / "population.xlsx"
    workbook_script().write_workbook(made, 2023, workbook_script().FIGURES_2023)
    import openpyxl

    def cells(path: Path) -> list[tuple[object, ...]]:
        book = openpyxl.load_workbook(path)
        ws = book["人口主要指标"]
        return [tuple((c.value, c.number_format) for c in row) for row in ws.iter_rows()]

    assert cells(made) == cells(ROOT / "data/shenyang/2023/population.xlsx")


def test_the_sample_prints_the_bulletin_figures_as_typed() -> None:
    text = composed(ROOT, BRIEF)
    # Worked out here from the workbook's figures, not by briefgen.
    for words in (
        "常住人口920.4万人，比上年末增加5.7万人，增长0.6%",
        "全省常住人口4182万人，比上年末减少15万人",
        f"占全省的{fixed(920.4 / 4182 * 100, 1)}%",
        "城镇化率为85.12%，高于全省平均水平11.61个百分点，高于全国平均水平18.96个百分点",
        "全省城镇化率比上年提高0.51个百分点，全国提高0.94个百分点",
        "人口出生率为5.28‰，死亡率为10.75‰，自然增长率为-5.47‰",
        "出生率高于全省1.22个千分点、低于全国1.11个千分点；死亡率高于全省1.06个千分点",
        "| 沈阳市 | 920.4 | 85.12 | — | 5.28 | 10.75 | -5.47 |",
        "| 辽宁省 | 4182 | 73.51 | 73.00 | 4.06 | 9.69 | -5.63 |",
        "2022年城镇化率（%）",
        "# 沈阳市人口发展基本情况",
    ):
        assert words in text, words


def test_the_sample_builds_and_checks_clean(project: Path) -> None:
    built = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert built.code == 0, built.stderr
    pdf = project / "out" / "2024-05-shenyang-population.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = "".join(text.split())
    assert "自然增长率为-5.47‰" in squeezed and "1.22个千分点" in squeezed
    assert "表1" in squeezed and "—" in squeezed
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout
    # The table's first column is as wide as its names: 沈阳市 stays on its row's line.
    assert any("沈阳市" in line and "920.4" in line for line in layout.splitlines())
    checked = run_cli("check", BRIEF, "--strict", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr


def next_year(project: Path) -> Path:
    """A 2024 data folder as next year's bureau sends it: the headers carry 2024 and 2023."""
    old, new = project / "data/shenyang/2023", project / "data/shenyang/2024"
    new.mkdir()
    shutil.copy(old / "tables.yaml", new / "tables.yaml")  # not one key renamed
    (new / "facts.yaml").write_text(
        (old / "facts.yaml").read_text(encoding="utf-8")
        .replace("{value: 2023,", "{value: 2024,")
        .replace("{value: 783.4,", "{value: 790.7,")
        .replace("{value: 137,", "{value: 133.6,"),
        encoding="utf-8",
    )
    rows = [
        ("沈阳市", [924.3, 85.55, 5.45, 8.87, -3.42], [920.4, 85.12]),
        ("辽宁省", [4155, 73.8, 4.0, 9.8, -5.8], [4182, 73.51]),
        ("全国", [140828, 67.0, 6.77, 7.76, -0.99], [140967, 66.16]),
    ]
    workbook_script().write_workbook(new / "population.xlsx", 2024, rows)
    return new


def test_next_issue_from_a_2024_workbook_renaming_nothing(project: Path) -> None:
    next_year(project)
    made = run_cli("new", NEXT, "--from", BRIEF, "--data", "data/shenyang/2024", cwd=project)
    assert made.code == 0, made.stderr
    assert (project / "data/shenyang/2024/tables.yaml").read_bytes() == (
        project / "data/shenyang/2023/tables.yaml").read_bytes()
    text = composed(project, NEXT)
    for words in (
        "2024年末，沈阳市常住人口924.3万人，比上年末增加3.9万人",
        "全省常住人口4155万人，比上年末减少27万人",
        "城镇化率为85.55%",
        "| 沈阳市 | 924.3 | 85.55 | 85.12 | 5.45 | 8.87 | -3.42 |",
        "2023年城镇化率（%）",
        "自然增长率为-3.42‰",
    ):
        assert words in text, words
    assert "2022年" not in text
    built = run_cli("build", NEXT, "-o", "out", "--format", "docx", cwd=project)
    assert built.code == 0, built.stderr


def test_diff_of_the_two_issues_lists_what_they_print(project: Path) -> None:
    import json

    next_year(project)
    assert run_cli("new", NEXT, "--from", BRIEF, "--data", "data/shenyang/2024", cwd=project).code == 0
    result = run_cli("diff", BRIEF, NEXT, "--format", "json", cwd=project)
    assert result.code == 0, result.stderr
    figures = {f["name"]: f for f in json.loads(result.stdout)["figures"]}
    population = figures["regions[沈阳市].population"]
    assert (population["old"], population["new"], population["label"]) == (920.4, 924.3, "沈阳市年末常住人口")
    assert figures["regions[沈阳市].natural_growth"]["change"] == "+2.05个千分点"
    assert figures["change(regions[沈阳市].population)"]["label"] == "沈阳市年末常住人口比上年增减"
    # last year's column keeps each side's year in its label
    prev = figures["regions[辽宁省].urbanisation_prev"]
    assert (prev["old_label"], prev["label"]) == ("辽宁省2022年常住人口城镇化率", "辽宁省2023年常住人口城镇化率")
    assert not any(f["label"] == "统计年度" or "排名" in f["label"] for f in figures.values())
