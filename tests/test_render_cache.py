"""The render cache: an unchanged document is copied, any change renders anew."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import Run

SAMPLE = "briefs/2024-05-chaoyang"


def build(project: Path, out: Path, cache: Path, **env: str) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", SAMPLE, "-o", str(out)],
        cwd=project, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, BRIEFGEN_CACHE=str(cache), **env),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_unchanged_brief_is_copied_and_changes_render_anew(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert build(project, tmp_path / "a", cache).code == 0
    renders = sorted(p.name for p in (cache / "render").iterdir())
    assert len(renders) == 2  # one .docx, one .pdf
    assert build(project, tmp_path / "b", cache).code == 0
    for suffix in ("docx", "pdf"):
        a = (tmp_path / "a" / f"2024-05-chaoyang.{suffix}").read_bytes()
        b = (tmp_path / "b" / f"2024-05-chaoyang.{suffix}").read_bytes()
        assert a == b
    assert sorted(p.name for p in (cache / "render").iterdir()) == renders

    # A word of prose changes: both files are rendered again and carry it.
    intro = project / SAMPLE / "sections" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n新增的一句话。\n", encoding="utf-8")
    assert build(project, tmp_path / "c", cache).code == 0
    assert "新增的一句话。" in pdf_text(tmp_path / "c" / "2024-05-chaoyang.pdf")
    assert len(list((cache / "render").iterdir())) == 4

    # The house changes (the masthead red): the PDF and the Word file differ.
    house = project / "templates" / "house.yaml"
    house.write_text(house.read_text(encoding="utf-8").replace('red: "E60012"', 'red: "C00000"'),
                     encoding="utf-8")
    assert build(project, tmp_path / "d", cache).code == 0
    for suffix in ("docx", "pdf"):
        c = (tmp_path / "c" / f"2024-05-chaoyang.{suffix}").read_bytes()
        d = (tmp_path / "d" / f"2024-05-chaoyang.{suffix}").read_bytes()
        assert c != d


def test_render_cache_can_be_turned_off(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert build(project, tmp_path / "a", cache, BRIEFGEN_RENDER_CACHE="0").code == 0
    assert not (cache / "render").exists()
    assert build(project, tmp_path / "b", cache, BRIEFGEN_RENDER_CACHE="0").code == 0
    assert pdf_text(tmp_path / "a" / "2024-05-chaoyang.pdf") == pdf_text(
        tmp_path / "b" / "2024-05-chaoyang.pdf")
