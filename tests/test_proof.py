"""proof: one self-contained HTML page with every bound figure and its cells."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import SAMPLE, run_cli


def test_the_sample_proof_lists_every_bound_figure_with_its_cells(project: Path) -> None:
    result = run_cli("proof", SAMPLE, "-o", "out/proof", cwd=project)
    assert result.code == 0, result.stderr
    page = (project / "out/proof/2024-05-chaoyang.proof.html").read_text(encoding="utf-8")
    marks = set(re.findall(r'<mark id="t(\d+)">', page))
    rows = set(re.findall(r'<tr id="f(\d+)">', page))
    assert rows and marks <= rows  # every marked figure has its row
    assert "http" not in page.replace("http-equiv", "")  # no network
    row = re.search(r'<tr id="f\d+">(?:(?!</tr>).)*城镇化率(?:(?!</tr>).)*</tr>', page).group(0)
    assert "51.12%" in row and "facts.yaml:" in row and "= 51.12" in row
    assert "朝阳市统计局" in row  # the data's declared source
    assert "sections/basics.md:4" in row  # the template line


def test_typed_numbers_are_listed_with_checks_verdict(project: Path) -> None:
    problems = project / SAMPLE / "sections" / "problems.md"
    problems.write_text(problems.read_text(encoding="utf-8") + "\n全市城镇化率为45.82%。依据〔2023〕12号文件。\n",
                        encoding="utf-8")
    assert run_cli("proof", SAMPLE, "-o", "out", cwd=project).code == 0
    page = (project / "out/2024-05-chaoyang.proof.html").read_text(encoding="utf-8")
    typed = page.split("手工录入的数字")[1]
    assert re.search(r"45\.82%.*?error: [^<]*城镇化率 is given as 45\.82%", typed)
    assert "not a statistic (year)" in typed


def test_a_missing_brief_is_one_line(tmp_path: Path) -> None:
    result = run_cli("proof", tmp_path / "nope", "-o", tmp_path / "out", cwd=tmp_path)
    assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1
