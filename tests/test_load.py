"""brief.yaml mistakes are named by line and key, with the likely fix."""

from __future__ import annotations

import re
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
    # the first cache the build writes to says it (the fonts': the charts are drawn meanwhile)
    assert re.search(r"cannot write to the (font|chart) cache", line), line
    assert "BRIEFGEN_CACHE" in line and str(blocker) in line
    assert not (project / "out").exists()


def _yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_line_map_does_not_expand_aliases(tmp_path: Path) -> None:
    from briefgen.config.yamlpos import load_yaml

    rows = ['a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9]']
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 4)]
    data, lines = load_yaml(_yaml(tmp_path, "\n".join(rows) + "\n"))
    assert len(data["a3"]) == 9 and data["a3"][0][0][0] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    # 9**4 = 6561 values once expanded; the map holds each node once.
    assert len(lines) < 60
    assert lines[("a3",)] == 4


def test_a_key_given_twice_in_a_list_of_mappings_names_the_second(tmp_path: Path) -> None:
    from briefgen.config.yamlpos import load_yaml
    from briefgen.errors import InputError

    path = _yaml(tmp_path, "items:\n  - name: a\n    unit: x\n  - name: b\n    name: c\n")
    try:
        load_yaml(path)
    except InputError as exc:
        assert exc.line == 5 and "key 'name' appears twice (first at line 4)" in exc.message
    else:
        raise AssertionError("a duplicate key was accepted")


def test_text_checks_allow_tabs_newlines_and_any_real_character(tmp_path: Path) -> None:
    from briefgen.config.yamlwalk import first_bad_char

    assert first_bad_char("朝阳\t市\n第２期 ①—“引号” 😀 عربي e\u0301 a\u200db") is None
    for bad in ("\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\ufffe", "\uffff",
                "\ufdd0", "\U0001fffe", "\U0010ffff"):
        assert first_bad_char(f"ok{bad}ok") == bad, repr(bad)


def test_core_property_cuts_at_255_characters() -> None:
    from briefgen.config.brief import core_property

    assert core_property("短标题") == "短标题"
    long = "长" * 300
    assert len(core_property(long)) == 255 and core_property(long).endswith("…")
    assert core_property("长" * 255) == "长" * 255
