"""The preview's builder: what a changed data cell makes it read again, and what not."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from briefgen.app.preview.session import Session

from .conftest import SAMPLE

SECTORS = Path("data/chaoyang/2023/sectors.csv")


def _set_output(project: Path, value: str) -> Path:
    """冶金's output (printed in the prose) written as `value`."""
    path = project / SECTORS
    text = path.read_text("utf-8")
    path.write_text(text.replace("冶金,冶金行业,113,567.2,", f"冶金,冶金行业,113,{value},", 1)
                    if "567.2" in text else text, "utf-8")
    return path


def _text(pdf: bytes, tmp: Path) -> str:
    (tmp / "seen.pdf").write_bytes(pdf)
    return subprocess.run(["pdftotext", str(tmp / "seen.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_changed_cell_reads_the_data_again_but_not_the_brief_and_house(
        project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    session = Session(project / SAMPLE, tmp_path / "out", log=io.StringIO())
    first = session.build(set())
    assert first.status == "ready" and session.prepared is not None
    spec = session.prepared.spec

    changed = session.build({_set_output(project, "571.3")})
    assert changed.status == "ready" and changed.pdf is not None
    assert "571.3" in _text(changed.pdf, tmp_path)
    assert session.prepared.spec is spec  # brief.yaml and house.yaml were not read again

    brief = project / SAMPLE / "brief.yaml"
    brief.write_text(brief.read_text("utf-8") + "# a comment\n", "utf-8")
    again = session.build({brief})
    assert again.status == "ready" and session.prepared.spec is not spec


def test_after_a_failed_build_a_changed_cell_reads_everything_again(
        project: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    session = Session(project / SAMPLE, tmp_path / "out", log=io.StringIO())
    assert session.build(set()).status == "ready"
    brief = project / SAMPLE / "brief.yaml"
    good = brief.read_text("utf-8")
    brief.write_text(good.replace("title:", "titel:", 1), "utf-8")
    broken = session.build({brief})
    assert broken.status == "error" and broken.error is not None
    # the brief is still broken: a change of the data must not build from the old brief
    still = session.build({_set_output(project, "571.3")})
    assert still.status == "error" and still.error is not None
    assert "titel" in still.error.message and still.error.file.endswith("brief.yaml")
    brief.write_text(good, "utf-8")
    assert session.build({brief}).status == "ready"


def test_a_redrawn_chart_is_drawn_by_a_helper_and_its_png_is_the_cli_s(
        project: Path, tmp_path: Path, monkeypatch) -> None:
    import zipfile

    from briefgen import charts as charts_stage
    from briefgen.app import pipeline

    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    charts = tmp_path / "cache" / "charts"  # the preview's chart folder (adapter.prepare)
    session = Session(project / SAMPLE, tmp_path / "out", log=io.StringIO())
    assert session.build(set()).status == "ready"
    before = set(charts.glob("*.png"))
    seen: list[tuple[bool, set[Path]]] = []
    publish = session._publish

    def watch(**changes: object) -> object:
        if "pdf" in changes:  # the new PDF is served from here on
            seen.append((changes.get("docx_pending") is True, set(charts.glob("*.png"))))
        return publish(**changes)

    monkeypatch.setattr(session, "_publish", watch)
    charts_stage.DRAWN.clear()
    state = session.build({_set_output(project, "571.3")})
    assert state.status == "ready" and not state.docx_pending and state.docx is not None
    assert [pending for pending, _ in seen] == [True]  # the PDF is out before the .docx
    assert charts_stage.DRAWN == []  # drawn by a helper while the text was composed
    new = set(charts.glob("*.png")) - before
    assert len(new) == 1  # the chart of sectors' output, drawn again
    png = new.pop()
    assert (tmp_path / "out" / "brief.docx").read_bytes() == state.docx
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as docx:
        assert png.read_bytes() in {docx.read(n) for n in docx.namelist() if n.endswith(".png")}
    # The same PNG, byte for byte, as a build that writes it at once.
    plain = pipeline.prepare(project / SAMPLE, tmp_path / "plain", use_cache=False)
    assert not plain.pending_pngs
    assert (tmp_path / "plain" / png.name).read_bytes() == png.read_bytes()
