"""Written exceptions: a prose comment or brief.yaml check.ignore turns a finding into a note."""

from __future__ import annotations

from pathlib import Path

from briefgen.analysis.check import check_folder

from .conftest import run_cli
from .minibrief import BRIEF_YAML, make_project

SLIP = "城镇化率 {{{{ facts.urbanization | pct }}}}。\n\n全市城镇化率仅为45.82%。{}\n"


def test_a_prose_mark_with_a_reason_makes_the_error_a_note(tmp_path: Path) -> None:
    brief = make_project(tmp_path, SLIP.format("<!-- check: ignore 45.82% 来源原文如此，另行核实 -->"))
    findings = [f for f in check_folder(brief) if "45.82%" in f.message]
    assert [f.level for f in findings] == ["note"]
    assert "来源原文如此" in findings[0].suggestion


def test_without_the_mark_it_is_an_error(tmp_path: Path) -> None:
    findings = check_folder(make_project(tmp_path, SLIP.format("")))
    assert [f.level for f in findings if "45.82%" in f.message] == ["error"]


def test_a_mark_without_a_reason_is_one_line(tmp_path: Path) -> None:
    brief = make_project(tmp_path, SLIP.format("<!-- check: ignore 45.82% -->"))
    result = run_cli("check", brief, cwd=tmp_path)
    assert result.code == 2 and "needs a reason" in result.stderr
    assert "body.md:3" in result.stderr


def test_brief_yaml_ignore(tmp_path: Path) -> None:
    yaml = BRIEF_YAML + "check:\n  ignore:\n    - {text: 45.82%, reason: 另一口径}\n"
    findings = [f for f in check_folder(make_project(tmp_path, SLIP.format(""), brief_yaml=yaml))
                if "45.82%" in f.message]
    assert [f.level for f in findings] == ["note"]
    assert "另一口径" in findings[0].suggestion
