"""Benchmark: `briefgen build` of 8 briefs with --jobs 2 against --jobs 1.

Eight copies of the sample brief in a throw-away project; each run builds them
(Word and PDF) into a fresh output folder, through the command line as a user
runs it. Prints the wall-clock times (best of a few rounds) and the ratio; the
target is a ratio of at least 1.6 on a machine with two or more cores.

The copies are one document, so the render cache would copy seven of the eight
files pairs: it is turned off here (BRIEFGEN_RENDER_CACHE=0), so every brief is
rendered, as when each issue has its own text; fonts and charts stay cached.

    .venv/bin/python bench/bench_batch.py [--rounds 3] [--briefs 8]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "briefs" / "2024-05-chaoyang"


def make_project(where: Path, count: int) -> list[str]:
    for name in ("data", "templates"):
        shutil.copytree(ROOT / name, where / name)
    names = []
    for i in range(1, count + 1):
        name = f"briefs/copy-{i:02d}"
        shutil.copytree(SAMPLE, where / name)
        names.append(name)
    return names


def run(project: Path, briefs: list[str], jobs: int, out: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "briefgen", "build", *briefs, "-o", out, "--jobs", str(jobs)],
        cwd=project, capture_output=True, text=True,
        env=dict(os.environ, BRIEFGEN_RENDER_CACHE="0"),
    )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build --jobs {jobs} failed ({proc.returncode}):\n{proc.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--briefs", type=int, default=8)
    args = parser.parse_args()
    if not SAMPLE.exists():
        sys.exit(f"the sample brief {SAMPLE} is missing")
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        project = Path(tmp)
        briefs = make_project(project, args.briefs)
        run(project, briefs[:1], 1, "warmup")  # fill the font and chart caches once
        times: dict[int, list[float]] = {1: [], 2: []}
        for r in range(args.rounds):
            for jobs in (1, 2):
                times[jobs].append(run(project, briefs, jobs, f"out-{jobs}-{r}"))
        built = len(list((project / "out-2-0").glob("*.pdf")))
    one, two = min(times[1]), min(times[2])
    print(f"briefs: {args.briefs} (copies of {SAMPLE.relative_to(ROOT)}), Word and PDF, "
          f"cores: {os.cpu_count()}, rounds: {args.rounds} (best of)")
    print(f"--jobs 1: {one:.2f} s   (all: {', '.join(f'{t:.2f}' for t in times[1])})")
    print(f"--jobs 2: {two:.2f} s   (all: {', '.join(f'{t:.2f}' for t in times[2])})")
    print(f"ratio: {one / two:.2f}x (target >= 1.6x); PDFs built with --jobs 2: {built}")


if __name__ == "__main__":
    main()
