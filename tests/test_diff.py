"""diff: the figures that changed between two issues' data."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli
from .minibrief import FACTS, SECTORS, make_data, make_project


def project_with_two_years(tmp_path: Path) -> None:
    make_project(tmp_path, "正文。\n")
    make_data(
        tmp_path, "2024",
        facts=FACTS.replace("value: 279.8", "value: 276.5").replace("value: 967.8", "value: 990.7")
        + "new_fact: {value: 7, unit: 个, label: 新指标}\n",
        sectors=SECTORS.replace("冶金,113,567.2,0.04", "冶金,110,590.1,4.04"),
    )


def test_changed_figures_with_chinese_labels(tmp_path: Path) -> None:
    project_with_two_years(tmp_path)
    result = run_cli("diff", "data/x/2023", "data/x/2024", "--format", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {f["label"]: f for f in report["figures"]}
    assert rows["常住人口"]["old"] == 279.8 and rows["常住人口"]["new"] == 276.5
    assert rows["常住人口"]["change"] == "−3.3万人（−1.2%）"
    assert rows["冶金产值"]["change"] == "+22.9亿元（+4.0%）"
    assert rows["冶金产值增速"]["change"] == "+4.00个百分点"
    assert rows["冶金企业数"]["change"] == "−3户（−2.7%）"
    assert rows["新指标"]["status"] == "new" and rows["新指标"]["old"] is None
    # derived figures: the six-sector sum, a share, a rank
    assert rows["六大行业产值合计"]["new"] == 990.7
    assert "冶金产值占六大行业合计比重" in rows
    assert rows["冶金产值增速排名"]["old"] == 6 and rows["冶金产值增速排名"]["new"] == 4
    # unchanged figures are left out unless asked for
    assert "城镇化率" not in rows
    assert report["counts"]["same"] > 0
    everything = json.loads(run_cli("diff", "data/x/2023", "data/x/2024", "--all", "--format",
                                    "json", cwd=tmp_path).stdout)
    assert any(f["label"] == "城镇化率" and f["status"] == "same" for f in everything["figures"])


def test_brief_folders_and_the_table(tmp_path: Path) -> None:
    project_with_two_years(tmp_path)
    (tmp_path / "briefs/b2").mkdir()
    (tmp_path / "briefs/b2/brief.yaml").write_text(
        (tmp_path / "briefs/b/brief.yaml").read_text(encoding="utf-8").replace("x/2023", "x/2024"),
        encoding="utf-8",
    )
    result = run_cli("diff", "briefs/b", "briefs/b2", cwd=tmp_path)
    assert result.code == 0, result.stderr
    for words in ("指标", "旧值", "新值", "变化", "常住人口", "279.8万人", "276.5万人", "冶金产值"):
        assert words in result.stdout, words
    assert "changed" in result.stdout.splitlines()[-1]


def test_not_a_folder_is_a_user_error(tmp_path: Path) -> None:
    make_project(tmp_path, "正文。\n")
    for args in (["briefs/b", "briefs/nope"], ["briefs/b", "templates"]):
        result = run_cli("diff", *args, cwd=tmp_path)
        assert result.code == 2
        assert len(result.stderr.strip().splitlines()) == 1
