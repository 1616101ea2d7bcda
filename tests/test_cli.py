"""The command line loads only what the command being run needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from briefgen.app.cli import EXTRA_COMMANDS

from .conftest import ROOT, SAMPLE, run_cli

# Run the command line in a fresh process, then say which modules it had imported.
_MODULES_AFTER = (
    "import sys, json\n"
    "from briefgen.app.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
)


def _modules_after(*args: str, cache: Path, helpers: bool = False) -> tuple[int, set[str]]:
    # without helpers, one process does all the work: its modules are all a build imports
    env = {**os.environ, "BRIEFGEN_CACHE": str(cache), "BRIEFGEN_HELPERS": "1" if helpers else "0"}
    proc = subprocess.run([sys.executable, "-c", _MODULES_AFTER, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    return got["code"], set(got["modules"])


def test_a_build_imports_no_other_command_nor_pyplot_nor_pandas(tmp_path: Path) -> None:
    code, modules = _modules_after("build", SAMPLE, "-o", str(tmp_path / "out"),
                                   cache=tmp_path / "cache")
    assert code == 0 and (tmp_path / "out" / "2024-05-chaoyang.pdf").is_file()
    assert "briefgen.writers.pdf" in modules and "briefgen.writers.docx" in modules
    others = {m for m in EXTRA_COMMANDS.values() if m != "briefgen.analysis.check.cli"}
    # (a build refuses a brief with check errors, so the check itself is loaded)
    assert not others & modules
    assert not {"matplotlib.pyplot", "pandas", "svglib"} & modules


def test_with_helpers_the_charts_and_the_word_file_are_made_by_them(tmp_path: Path) -> None:
    """A cold build: the charts drawn and the .docx written by forked helpers (both files
    still written), so the build's own process never imports matplotlib nor the Word writer."""
    code, modules = _modules_after("build", SAMPLE, "-o", str(tmp_path / "out"),
                                   cache=tmp_path / "cache", helpers=True)
    out = tmp_path / "out"
    assert code == 0 and (out / "2024-05-chaoyang.pdf").is_file()
    assert (out / "2024-05-chaoyang.docx").is_file()
    assert "briefgen.writers.pdf" in modules
    assert not {"matplotlib", "briefgen.writers.docx"} & modules
    assert list((tmp_path / "cache").glob("charts-v*/*.png"))


def test_the_help_names_every_command_and_each_command_has_its_own() -> None:
    general = run_cli("--help")
    assert general.code == 0
    for name in ("build", "reference-doc", *EXTRA_COMMANDS):
        assert name in general.stdout, name
    for name in EXTRA_COMMANDS:
        own = run_cli(name, "--help")
        assert own.code == 0 and f"usage: briefgen {name}" in own.stdout, name


def test_an_unknown_command_lists_the_commands() -> None:
    got = run_cli("bulid")
    assert got.code == 2
    assert "invalid choice: 'bulid'" in got.stderr and "proof" in got.stderr
