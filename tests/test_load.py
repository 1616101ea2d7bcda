"""brief.yaml mistakes are named by line and key, with the likely fix."""

from __future__ import annotations

from pathlib import Path

from .conftest import SAMPLE, run_cli


def edit(project: Path, old: str, new: str) -> None:
    path = project / SAMPLE / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_misspelt_key_is_named_with_the_key_it_meant(project: Path) -> None:
    edit(project, "\ntitle: ", "\ntitel: ")
    result = run_cli("build", SAMPLE, "-o", "out", cwd=project)
    assert result.code == 2
    line = result.stderr.strip()
    assert "brief.yaml:" in line and "unknown key 'titel'" in line and "did you mean 'title'?" in line
    assert not (project / "out").exists()


def test_title_lines_must_spell_the_title(project: Path) -> None:
    edit(project, "促进工业高质量发展的对策建议]", "促进工业发展的对策建议]")
    result = run_cli("build", SAMPLE, "-o", "out", cwd=project)
    assert result.code == 2
    assert "title_lines do not spell the title" in result.stderr
    number = int(result.stderr.split("brief.yaml:")[1].split(":")[0])
    text = (project / SAMPLE / "brief.yaml").read_text(encoding="utf-8").splitlines()
    assert text[number - 1].startswith("title_lines:")


def test_a_folder_without_brief_yaml_is_named(project: Path) -> None:
    (project / "briefs" / "empty").mkdir()
    result = run_cli("build", "briefs/empty", "-o", "out", cwd=project)
    assert result.code == 2
    assert result.stderr.strip() == (
        "briefgen: error: briefs/empty: no brief.yaml in this folder (is this a brief folder?)"
    )
    assert not (project / "out").exists()


def test_outputs_are_readable_by_others_as_files_usually_are(project: Path) -> None:
    import os

    result = run_cli("build", SAMPLE, "-o", "out", cwd=project)
    assert result.code == 0, result.stderr
    umask = os.umask(0)
    os.umask(umask)
    for path in (project / "out").iterdir():
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path.name


def test_an_unwritable_cache_is_one_clear_line(project: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should go\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", SAMPLE, "-o", "out"],
        cwd=project, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, BRIEFGEN_CACHE=str(blocker / "cache")),
    )
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert "cannot write to the chart cache" in line and "BRIEFGEN_CACHE" in line
    assert not (project / "out").exists()
