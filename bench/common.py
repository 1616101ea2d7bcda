"""What every bench case needs: a throw-away project, timed processes, paired runs, peers.

Everything runs as whole processes, as a user runs them. Each timed command runs
under a small Python wrapper that reports its wall time and its peak memory
(ru_maxrss of the command alone). Pairs alternate ours and the peer's run, so a
machine shared with other work slows both alike; medians are printed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "briefs/2024-05-chaoyang"

# Runs a command; prints its wall time and its peak memory (MB) as JSON.
_WRAPPER = (
    "import json,resource,subprocess,sys,time\n"
    "t=time.perf_counter()\n"
    "p=subprocess.run(sys.argv[2:],cwd=sys.argv[1],stdout=subprocess.DEVNULL,"
    "stderr=subprocess.PIPE,text=True)\n"
    "s=time.perf_counter()-t\n"
    "m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024\n"
    "print(json.dumps({'s':s,'mb':m,'rc':p.returncode,'err':p.stderr[-2000:]}))\n"
)


@dataclass
class Run:
    seconds: float
    peak_mb: float


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Wall time and peak memory of one command; a failing command ends the bench."""
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(cwd), *cmd], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench wrapper failed: {proc.stderr}")
    got = json.loads(proc.stdout)
    if got["rc"] != 0:
        sys.exit(f"failed ({got['rc']}): {' '.join(cmd)}\n{got['err']}")
    return Run(got["s"], got["mb"])


@dataclass
class Series:
    """The runs of one measurement."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak(self) -> float:
        return max(r.peak_mb for r in self.runs)

    def spread(self) -> str:
        return ", ".join(f"{r.seconds:.2f}" for r in self.runs)


def paired(runs: int, ours: Callable[[int], Run], peers: dict[str, Callable[[int], Run]],
           name: str) -> tuple[Series, dict[str, Series]]:
    """Alternate ours and each peer `runs` times."""
    mine = Series(name)
    theirs = {p: Series(p) for p in peers}
    for i in range(runs):
        mine.runs.append(ours(i))
        for p, run in peers.items():
            theirs[p].runs.append(run(i))
    return mine, theirs


def report(mine: Series, theirs: dict[str, Series]) -> None:
    print(f"  {mine.name:<34} {mine.median:7.3f} s  peak {mine.peak:4.0f} MB  ({mine.spread()})")
    for p, s in theirs.items():
        ratio = mine.median / s.median
        word = "slower" if ratio > 1 else "faster"
        shown = ratio if ratio > 1 else 1 / ratio
        print(f"    vs {p:<30} {s.median:7.3f} s  peak {s.peak:4.0f} MB  "
              f"ours {shown:.2f}x {word}  ({s.spread()})")


def base_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("BRIEFGEN_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def make_project(where: Path, copies: dict[str, int]) -> dict[str, str]:
    """A copy of the project's data, templates and the sample, its prose repeated.

    `copies` maps a brief name to how many times its section files' prose is
    repeated (the charts placed in the first copy only). Returns name -> folder.
    """
    for name in ("data", "templates"):
        if not (where / name).exists():
            shutil.copytree(ROOT / name, where / name)
    made = {}
    for name, times in copies.items():
        folder = where / "briefs" / name
        shutil.copytree(ROOT / SAMPLE, folder)
        for md in (folder / "sections").glob("*.md"):
            md.write_text(repeat_prose(md.read_text("utf-8"), times), "utf-8")
        made[name] = f"briefs/{name}"
    return made


_CHART = re.compile(r"^\s*\{\{\s*chart\(.*\)\s*\}\}\s*$", re.M)


_NOTE = re.compile(r"\[\^([^\]\s]+)\]")


def repeat_prose(text: str, times: int) -> str:
    """The text `times` over; the chart placements only in the first, each copy's
    footnotes under labels of their own (a note is referenced once)."""
    rest = _CHART.sub("", text)
    copies = [_NOTE.sub(lambda m, k=k: f"[^{m.group(1)}-{k}]", rest) for k in range(1, times)]
    return "\n\n".join([text, *copies])


def change_cell(project: Path, i: int) -> None:
    """One cell of sectors.csv changed to a value no earlier run had (a real edit)."""
    csv = project / "data" / "chaoyang" / "2023" / "sectors.csv"
    text = csv.read_text("utf-8")
    new = re.sub(r",62\.\d+,", f",62.{i + 1:02d},", text, count=1)
    if new == text:
        sys.exit("bench: sectors.csv has no value 62.x (装备) to change")
    csv.write_text(new, "utf-8")


def page_count(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)
