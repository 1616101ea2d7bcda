"""The render cache: an unchanged document is copied, any change renders anew."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefgen.cache import Area, area

from .conftest import Run

SAMPLE = "briefs/2024-05-chaoyang"


def build(project: Path, out: Path, cache: Path, **env: str) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", SAMPLE, "-o", str(out)],
        cwd=project, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, BRIEFGEN_CACHE=str(cache), **env),
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def entries(cache: Path) -> list[str]:
    """The render cache's entries (without their sum files)."""
    return sorted(p.name for p in area("render", cache).folder.iterdir() if p.suffix != ".sum")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_unchanged_brief_is_copied_and_changes_render_anew(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert build(project, tmp_path / "a", cache).code == 0
    renders = entries(cache)
    assert len(renders) == 2  # one .docx, one .pdf
    assert build(project, tmp_path / "b", cache).code == 0
    for suffix in ("docx", "pdf"):
        a = (tmp_path / "a" / f"2024-05-chaoyang.{suffix}").read_bytes()
        b = (tmp_path / "b" / f"2024-05-chaoyang.{suffix}").read_bytes()
        assert a == b
    assert entries(cache) == renders

    # A word of prose changes: both files are rendered again and carry it.
    intro = project / SAMPLE / "sections" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\n新增的一句话。\n", encoding="utf-8")
    assert build(project, tmp_path / "c", cache).code == 0
    assert "新增的一句话。" in pdf_text(tmp_path / "c" / "2024-05-chaoyang.pdf")
    assert len(entries(cache)) == 4

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
    assert not area("render", cache).folder.exists()
    assert build(project, tmp_path / "b", cache, BRIEFGEN_RENDER_CACHE="0").code == 0
    assert pdf_text(tmp_path / "a" / "2024-05-chaoyang.pdf") == pdf_text(
        tmp_path / "b" / "2024-05-chaoyang.pdf")


def test_a_truncated_render_is_rebuilt_not_served(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert build(project, tmp_path / "a", cache).code == 0
    whole = (tmp_path / "a" / "2024-05-chaoyang.pdf").read_bytes()
    (entry,) = [p for p in area("render", cache).folder.glob("*.pdf")]
    entry.write_bytes(whole[: len(whole) // 2])
    assert build(project, tmp_path / "b", cache).code == 0
    rebuilt = tmp_path / "b" / "2024-05-chaoyang.pdf"
    assert len(rebuilt.read_bytes()) > len(whole) * 0.9
    assert pdf_text(rebuilt) == pdf_text(tmp_path / "a" / "2024-05-chaoyang.pdf")
    # and the cache holds a whole file again
    assert area("render", cache).get(entry.stem, "pdf") == entry
    assert entry.read_bytes() == rebuilt.read_bytes()


def test_an_entry_is_served_only_while_it_matches_its_sum(tmp_path: Path) -> None:
    renders = area("render", tmp_path)
    assert renders.get("k1", "pdf") is None
    path = renders.put_bytes("k1", "pdf", b"%PDF-1.4 whole")
    assert path is not None and renders.get("k1", "pdf") == path
    path.write_bytes(b"%PDF-1.4 wholX")  # same size, other content
    assert renders.get("k1", "pdf") is None
    assert not path.exists()  # a damaged entry is removed
    renders.put_bytes("k2", "pdf", b"abc")
    (renders.folder / "k2.pdf.sum").unlink()  # killed between the entry and its sum
    assert renders.get("k2", "pdf") is None


def test_an_unwritable_cache_costs_speed_only(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should go\n", encoding="utf-8")
    assert area("charts", blocker).put_bytes("k", "png", b"x") is None

    def fails(tmp: Path) -> None:
        raise OSError(28, "No space left on device")

    charts = area("charts", tmp_path)
    assert charts.put("k", "png", fails) is None
    assert sorted(charts.folder.iterdir()) == []  # no part file, no entry


def test_each_area_has_its_own_versioned_folder(tmp_path: Path) -> None:
    folders = {area(n, tmp_path).folder for n in ("render", "charts", "fonts", "index", "media")}
    assert len(folders) == 5 and all(f.parent == tmp_path for f in folders)
    assert Area("x", tmp_path).path("a" * 64, "json").name == "a" * 64 + ".json"


def test_part_files_a_killed_build_left_in_the_cache_are_swept(tmp_path: Path) -> None:
    charts = area("charts", tmp_path)
    charts.folder.mkdir(parents=True)
    old, fresh = charts.folder / ".k.abcd1234.png.part", charts.folder / ".j.abcd1234.png.part"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (0, 0))
    charts.put_bytes("k", "png", b"whole")
    assert not old.exists()
    assert fresh.exists()  # it may belong to a build running now
