"""The wheel is the product: installed in a fresh venv outside the checkout, it builds a brief.

The wheel is built from a clean copy of the checkout (a stale build/ folder could hide a
module the wheel lacks), installed with its dependencies from the index as on CI, and
run with a working folder and an environment that cannot see the checkout's src/. The
brief is copied with its data and without templates/, so the house file, the reference
document and the genre templates must come from the installed package.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

TITLE = "推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
# The first figure's caption, and a figure printed from facts.yaml (常住人口 279.8万人).
CAPTION = "图1　朝阳市与全省、全国规上工业增加值增速比较"
FIGURE = "279.8万人"
SHIPPED = ["house.yaml", "reference.docx", "sections/basics.md.j2", "sections/basics-industry.md.j2",
           "sections/strengths.md.j2", "sections/strengths-industry.md.j2",
           "sections/problems.md.j2", "sections/countermeasures.md.j2"]
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "dist", "out", "__pycache__",
                                    "*.egg-info", ".pytest_cache", ".ruff_cache", ".mypy_cache",
                                    ".cache")


def run(args: list[str | Path], cwd: Path, env: dict[str, str], timeout: float) -> str:
    """A command that must succeed; its output is the failure message when it does not."""
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args[:3]} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def clean_env(tmp: Path, venv: Path | None = None) -> dict[str, str]:
    """The caller's environment without anything pointing Python at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE", "BRIEFGEN_"))}
    env["BRIEFGEN_CACHE"] = str(tmp / "cache")  # nothing drawn by the checkout is reused
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(venv)
    return env


def copy_brief(project: Path) -> Path:
    """The sample brief and the data folder its brief.yaml names, as a project of their own."""
    brief = project / SAMPLE
    shutil.copytree(ROOT / SAMPLE, brief)
    folder = re.search(r"^\s*folder:\s*(\S+)", (brief / "brief.yaml").read_text("utf-8"), re.M)
    assert folder, "brief.yaml names no data folder"
    data = (ROOT / SAMPLE / folder.group(1)).resolve()
    shutil.copytree(data, (brief / folder.group(1)).resolve())
    assert not (project / "templates").exists()
    return brief


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(the venv, the project folder, the output folder) after building the sample brief."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.resolve().is_relative_to(ROOT.resolve())
    source, wheels, venv, out = tmp / "source", tmp / "wheels", tmp / "venv", tmp / "out"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    env = clean_env(tmp)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source],
        tmp, env, timeout=600)
    (wheel,) = wheels.glob("briefgen-*.whl")
    base = getattr(sys, "_base_executable", sys.executable)
    run([base, "-m", "venv", venv], tmp, env, timeout=300)
    env = clean_env(tmp, venv)
    # Dependencies from the index: no skip when it cannot be reached, pip's error fails the test.
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheel], tmp, env, timeout=1200)
    project = tmp / "project"
    brief = copy_brief(project)
    run([venv / "bin" / "briefgen", "build", brief, "-o", out], project, env, timeout=600)
    return venv, project, out


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_package_imports_from_the_venv_not_the_checkout(
        installed: tuple[Path, Path, Path]) -> None:
    venv, project, _ = installed
    code = ("import briefgen, briefgen.resources as r; "
            "print(briefgen.__file__); print(r.package_templates())")
    where, templates = run([venv / "bin" / "python", "-c", code], project,
                           clean_env(project.parent, venv), timeout=120).split()
    site = next((venv / "lib").glob("python3*/site-packages"))
    assert Path(where).is_relative_to(site), where
    assert Path(templates) == site / "briefgen" / "templates"
    assert not Path(where).resolve().is_relative_to(ROOT.resolve())


def test_the_templates_ship_inside_the_installed_package(
        installed: tuple[Path, Path, Path]) -> None:
    venv, _, _ = installed
    shipped = next((venv / "lib").glob("python3*/site-packages")) / "briefgen" / "templates"
    for name in SHIPPED:
        assert (shipped / name).is_file(), name
        assert (shipped / name).read_bytes() == (ROOT / "templates" / name).read_bytes(), name


def test_the_installed_briefgen_builds_a_word_file_and_a_pdf(
        installed: tuple[Path, Path, Path]) -> None:
    import docx

    _, _, out = installed
    name = Path(SAMPLE).name
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.docx", f"{name}.pdf"]
    word = docx.Document(str(out / f"{name}.docx"))
    word_text = "\n".join(p.text for p in word.paragraphs)
    pdf_text = subprocess.run(["pdftotext", str(out / f"{name}.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
    for text in (word_text, pdf_text):
        assert TITLE in squeezed(text)
        assert squeezed(CAPTION) in squeezed(text)
        assert FIGURE in squeezed(text)
