"""Forked helpers: the charts drawn and the .docx written alongside the build's own work.

A helper only makes files; when it fails, the build does its task itself, so the
result (and any error) is the same as without helpers (BRIEFGEN_HELPERS=0).
"""

from __future__ import annotations

import os
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from briefgen import forking
from briefgen.app import writing
from briefgen.app.pipeline import build
from briefgen.charts import ahead

from .conftest import SAMPLE

NAME = Path(SAMPLE).name


def _write_file(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def test_a_helper_does_its_task_and_says_whether_it_was_done(tmp_path: Path) -> None:
    done = forking.start_helper(lambda: _write_file(tmp_path / "made", "yes"))
    assert done.process is not None
    assert done.join() is True and (tmp_path / "made").read_text("utf-8") == "yes"

    failed = forking.start_helper(lambda: 1 / 0)  # type: ignore[func-returns-value]
    assert failed.join() is False  # the caller then does the task itself


def test_a_failing_helper_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    def boom() -> None:
        raise RuntimeError("in the helper")

    assert forking.start_helper(boom).join() is False
    captured = capfd.readouterr()
    assert "RuntimeError" not in captured.err and "Traceback" not in captured.err


def test_a_waiting_helper_runs_what_it_is_given_and_reports(tmp_path: Path) -> None:
    helper = forking.start_waiting(lambda: None)
    assert helper.waiting
    helper.submit(_report_then_write, tmp_path / "after")
    assert helper.wait_for("half") is True
    assert helper.join() is True and (tmp_path / "after").read_text("utf-8") == "done"


def _report_then_write(path: Path) -> None:
    forking.report("half")
    path.write_text("done", "utf-8")


def test_a_waiting_helper_given_nothing_is_stopped_at_once() -> None:
    helper = forking.start_waiting(lambda: time.sleep(30))
    started = time.monotonic()
    assert helper.join() is False
    assert time.monotonic() - started < 5


def test_no_helper_when_they_are_turned_off(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_HELPERS", "0")
    helper = forking.start_helper(lambda: _write_file(tmp_path / "made", "yes"))
    assert helper.process is None and helper.join() is False
    assert not (tmp_path / "made").exists()
    assert forking.start_waiting(lambda: None).process is None


def _killed(*args: object) -> None:
    """A chart helper killed before it drew anything (given by name: it is pickled)."""
    os._exit(3)


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _docx_parts(docx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(docx) as z:
        return {n: z.read(n) for n in sorted(z.namelist()) if not n.startswith("docProps/")}


def _build(project: Path, out: str, cache: str, monkeypatch: pytest.MonkeyPatch,
           helpers: bool) -> tuple[str, dict[str, bytes]]:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(project / cache))
    monkeypatch.setenv("BRIEFGEN_HELPERS", "1" if helpers else "0")
    drawer = forking.start_waiting(lambda: None) if helpers else None
    build(project / SAMPLE, project / out, drawer=drawer)
    return (_pdf_text(project / out / f"{NAME}.pdf"),
            _docx_parts(project / out / f"{NAME}.docx"))


def test_helpers_make_the_same_files_as_one_process(project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _build(project, "alone", "cache-alone", monkeypatch, helpers=False)
    helped = _build(project, "helped", "cache-helped", monkeypatch, helpers=True)
    assert helped[0] == alone[0]
    assert helped[1] == alone[1]  # the same Word parts, the charts' PNGs included
    assert any(n.startswith("word/media/") for n in helped[1])


def test_when_the_chart_helper_fails_the_build_draws_the_charts(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _build(project, "alone", "cache-alone", monkeypatch, helpers=False)
    monkeypatch.setattr(ahead, "_draw_all", _killed)
    helped = _build(project, "helped", "cache-helped", monkeypatch, helpers=True)
    assert helped == alone


def test_when_the_word_helper_fails_the_build_writes_the_docx(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _build(project, "alone", "cache-alone", monkeypatch, helpers=False)
    made: list[int] = []

    def failing(task: object) -> forking.Helper:
        made.append(1)
        return forking.start_helper(lambda: os._exit(3))

    monkeypatch.setattr(writing, "start_helper", failing)
    helped = _build(project, "helped", "cache-helped", monkeypatch, helpers=True)
    assert made == [1] and helped == alone


def test_the_pdf_reads_the_charts_drawings_only_when_it_draws_them(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF writer lays out the pages before a chart while its helper still draws it:
    the drawings are read once, after `before_drawings` (here: they appear only then)."""
    from briefgen.app.pipeline import prepare
    from briefgen.writers.pdf import write_pdf

    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path / "cache"))
    prepared = prepare(project / SAMPLE, tmp_path / "charts")
    figures = prepared.document.figures()
    assert len(figures) == 3 and all(f.ops is not None and f.ops.is_file() for f in figures)
    house = prepared.spec.house
    plain = write_pdf(prepared.document, house, tmp_path / "plain.pdf")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for f in figures:
        assert f.ops is not None
        f.ops.rename(hidden / f.ops.name)
    from briefgen.writers.pdf import flowables

    calls: list[str] = []
    wrap = flowables.Picture.wrap

    def wrapped(self: flowables.Picture, aw: float, ah: float) -> tuple[float, float]:
        calls.append("wrap")
        return wrap(self, aw, ah)

    monkeypatch.setattr(flowables.Picture, "wrap", wrapped)

    def drawn() -> None:  # what the charts' helper does meanwhile
        calls.append("drawn")
        for f in figures:
            assert f.ops is not None
            (hidden / f.ops.name).rename(f.ops)

    late = write_pdf(prepared.document, house, tmp_path / "late.pdf", before_drawings=drawn)
    assert calls.count("drawn") == 1
    assert calls[0] == "wrap"  # laid out before the drawings were there
    assert _pages(late, tmp_path / "late") == _pages(plain, tmp_path / "plain")


def _pages(pdf: Path, prefix: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(prefix.parent.glob(f"{prefix.name}-*.png"))]
