"""Shared test helpers: a throw-away copy of the project, and the CLI as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.config.house import House, load_house

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "briefs/2024-05-chaoyang"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 300) -> Run:
    """Run `briefgen ARGS` in a fresh process, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, args)],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def house() -> House:
    """The project's own house file, loaded once per test module."""
    return load_house(ROOT / "templates" / "house.yaml")


@pytest.fixture
def shared_font_cache(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    """One cache for the whole session: fonts are parsed and subset once, not per test."""
    monkeypatch.setenv("BRIEFGEN_CACHE", str(tmp_path_factory.getbasetemp() / "font-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of briefs/, data/ and templates/ in a temporary project folder."""
    for name in ("briefs", "data", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "fonts").mkdir()
    return tmp_path


@pytest.fixture
def cli():
    return run_cli
