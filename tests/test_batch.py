"""Batch builds: several briefs, parallel processes, failures that do not stop the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import run_cli
from .minibrief import make_project


def three_briefs(tmp_path: Path) -> list[str]:
    make_project(tmp_path, "# 标题\n\n正文{{ facts.output | yi }}。\n", name="a")
    for name in ("b", "c"):
        shutil.copytree(tmp_path / "briefs/a", tmp_path / "briefs" / name)
    return ["briefs/a", "briefs/b", "briefs/c"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_builds_every_brief(tmp_path: Path, jobs: str) -> None:
    briefs = three_briefs(tmp_path)
    result = run_cli("build", *briefs, "-o", "out", "--format", "docx", "--jobs", jobs, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "b.docx", "c.docx"]
    assert result.stdout.splitlines()[-1].startswith("built 3 of 3 briefs in ")
    assert f"({jobs} job" in result.stdout


def test_several_briefs_build_one_per_core_by_default(tmp_path: Path) -> None:
    import os

    briefs = three_briefs(tmp_path)
    result = run_cli("build", *briefs, "-o", "out", "--format", "docx", cwd=tmp_path)
    assert result.code == 0, result.stderr
    jobs = min(3, len(os.sched_getaffinity(0)))
    assert f"({jobs} job{'s' if jobs > 1 else ''})" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_one_failure_does_not_stop_the_others(tmp_path: Path, jobs: str) -> None:
    briefs = three_briefs(tmp_path)
    (tmp_path / "briefs/b/body.md").write_text("正文{{ facts.outptu | yi }}。\n", encoding="utf-8")
    result = run_cli("build", *briefs, "-o", "out", "--format", "docx", "--jobs", jobs, cwd=tmp_path)
    assert result.code == 2  # every failure was the user's
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "c.docx"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("briefgen: error:")]
    assert errors == [errors[0]] and "briefs/b/body.md:1" in errors[0] and "outptu" in errors[0]
    assert result.stdout.splitlines()[-1].endswith("1 failed: briefs/b")


def test_a_bug_in_one_brief_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.app import batch
    from briefgen.app import pipeline as build

    briefs = three_briefs(tmp_path)
    real = build.build

    def flaky(folder: Path, *args, **kwargs):
        if folder.name == "c":
            raise RuntimeError("a bug")
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(build, "build", flaky)
    monkeypatch.chdir(tmp_path)
    code = batch.build_many([Path(b) for b in briefs], Path("out"), ["docx"], jobs=1)
    assert code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.docx", "b.docx"]


def test_missing_brief_and_bad_jobs(tmp_path: Path) -> None:
    briefs = three_briefs(tmp_path)
    result = run_cli("build", briefs[0], "briefs/nope", "-o", "out", "--format", "docx", "--jobs",
                     "2", cwd=tmp_path)
    assert result.code == 2
    assert "briefgen: error: briefs/nope: brief folder not found" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.docx"]
    bad = run_cli("build", *briefs, "-o", "out2", "--jobs", "0", cwd=tmp_path)
    assert bad.code == 2 and "--jobs must be 1 or more" in bad.stderr
    assert not (tmp_path / "out2").exists()


def test_two_briefs_with_one_name_are_refused(tmp_path: Path) -> None:
    three_briefs(tmp_path)
    shutil.copytree(tmp_path / "briefs/a", tmp_path / "other/a")
    result = run_cli("build", "briefs/a", "other/a", "-o", "out", cwd=tmp_path)
    assert result.code == 2
    assert "same files (a.*)" in result.stderr
    assert not (tmp_path / "out").exists()
