"""diff: the figures that changed between two issues' data."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli
from .minibrief import FACTS, SECTORS, make_data, make_project

YEAR = "year: {value: 2023, label: 统计年度}\n"


def project_with_two_years(tmp_path: Path, body: str = "正文。\n") -> None:
    make_project(tmp_path, body)
    (tmp_path / "data/x/2023/facts.yaml").write_text(FACTS + YEAR, encoding="utf-8")
    make_data(
        tmp_path, "2024",
        facts=FACTS.replace("value: 279.8", "value: 276.5").replace("value: 967.8", "value: 990.7")
        .replace("label: 常住人口", "label: 年末常住人口")
        + "new_fact: {value: 7, unit: 个, label: 新指标}\n" + YEAR.replace("2023", "2024"),
        sectors=SECTORS.replace("冶金,113,567.2,0.04", "冶金,110,590.1,4.04"),
    )


def test_changed_figures_with_each_sides_labels(tmp_path: Path) -> None:
    project_with_two_years(tmp_path)
    result = run_cli("diff", "data/x/2023", "data/x/2024", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {f["label"]: f for f in report["figures"]}
    population = rows["年末常住人口"]  # the new issue's label, and the old issue's own
    assert population["old_label"] == "常住人口"
    assert population["old"] == 279.8 and population["new"] == 276.5
    assert population["change"] == "−3.3万人（−1.2%）"
    assert rows["冶金产值"]["change"] == "+22.9亿元（+4.0%）"
    assert rows["冶金产值增速"]["change"] == "+4.00个百分点"
    assert rows["冶金企业数"]["change"] == "−3户（−2.7%）"
    assert rows["新指标"]["status"] == "new" and rows["新指标"]["old"] is None
    # derived figures: the six-sector sum, a share, a rank; the title is not doubled
    assert rows["六大行业产值合计"]["new"] == 990.7
    assert "冶金产值占六大行业产值合计比重" in rows
    # neither the statistical year nor the rank of a growth rate is a figure
    labels = [f["label"] for f in report["figures"]]
    assert "统计年度" not in labels and not any("增速排名" in x for x in labels)
    # unchanged figures are left out unless asked for
    assert "城镇化率" not in rows
    assert report["counts"]["same"] > 0
    everything = json.loads(run_cli("diff", "data/x/2023", "data/x/2024", "--all", "--format",
                                    "json", cwd=tmp_path).stdout)
    assert any(f["label"] == "城镇化率" and f["status"] == "same" for f in everything["figures"])
    assert not any(f["label"] == "统计年度" for f in everything["figures"])
    ranks = {f["label"]: f for f in everything["figures"] if f["label"].endswith("排名")}
    assert ranks["冶金产值排名"]["old"] == 1 and ranks["冶金产值排名"]["status"] == "same"
    assert not any("增速" in label for label in ranks)


BODY = """\
{{ facts.year|num }}年，常住人口{{ facts.population|q }}，冶金产值{{ tables.sectors['冶金'].output|yi }}，占六大行业的{{ tables.sectors['冶金'].share('output')|pct }}。
"""


def test_brief_folders_compare_only_what_the_briefs_print(tmp_path: Path) -> None:
    project_with_two_years(tmp_path, BODY)
    (tmp_path / "briefs/b2").mkdir()
    (tmp_path / "briefs/b2/brief.yaml").write_text(
        (tmp_path / "briefs/b/brief.yaml").read_text(encoding="utf-8").replace("x/2023", "x/2024"),
        encoding="utf-8",
    )
    (tmp_path / "briefs/b2/body.md").write_text(BODY, encoding="utf-8")
    result = run_cli("diff", "briefs/b", "briefs/b2", "--all", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    figures = {f["name"]: f for f in json.loads(result.stdout)["figures"]}
    assert sorted(figures) == sorted([
        "facts.population", "sectors[冶金].output", "share(sectors[冶金].output, sum(sectors.output))",
    ])
    share = figures["share(sectors[冶金].output, sum(sectors.output))"]
    assert share["status"] == "changed" and share["old"] != share["new"]
    table = run_cli("diff", "briefs/b", "briefs/b2", cwd=tmp_path)
    assert table.code == 0, table.stderr
    for words in ("指标", "旧值", "新值", "变化", "年末常住人口（原：常住人口）", "279.8万人", "276.5万人",
                  "冶金产值"):
        assert words in table.stdout, words
    assert "changed" in table.stdout.splitlines()[-1]


def test_not_a_folder_is_a_user_error(tmp_path: Path) -> None:
    make_project(tmp_path, "正文。\n")
    for args in (["briefs/b", "briefs/nope"], ["briefs/b", "templates"]):
        result = run_cli("diff", *args, cwd=tmp_path)
        assert result.code == 2
        assert len(result.stderr.strip().splitlines()) == 1
