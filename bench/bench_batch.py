"""Benchmark: `briefgen build` of 8 and 32 briefs, --jobs 2 against --jobs 1 and a yardstick.

Copies of the sample brief in a throw-away project, built (Word and PDF) into a
fresh output folder through the command line. The render cache is off
(BRIEFGEN_RENDER_CACHE=0): the copies are one document, and each issue has its own
text; fonts and charts stay cached. Rounds alternate --jobs 1, --jobs 1 in one process
(BRIEFGEN_HELPERS=0) and --jobs 2.

A brief built alone forks helpers (its charts, its .docx), so `--jobs 1` already uses
part of a second core; the yardstick's baseline is a pool of one process, so --jobs 2
is held to its target against --jobs 1 in one process, and its ratio to --jobs 1 as
users run it is printed beside.

The yardstick is perfectly parallel work: as many CPU-bound tasks as briefs, each
as long as one brief's build, in a pool of one process and then of two; its ratio
is what this machine, as loaded now, can give. Also measured: the serial start of
a batch, from the command's launch to the first worker's submission (imports,
warming, reading the first brief's data), against one brief's whole build.

    .venv/bin/python bench/bench_batch.py [--rounds 2] [--sizes 8,32]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import base_env, make_project, measure  # noqa: E402

_YARDSTICK = (
    "import sys, time\n"
    "from concurrent.futures import ProcessPoolExecutor\n"
    "def work(seconds):\n"
    "    end = time.process_time() + seconds\n"
    "    n = 0\n"
    "    while time.process_time() < end:\n"
    "        n += sum(range(1000))\n"
    "    return n\n"
    "if __name__ == '__main__':\n"
    "    jobs, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])\n"
    "    with ProcessPoolExecutor(jobs) as pool:\n"
    "        list(pool.map(work, [seconds] * count))\n"
)

# Runs `briefgen build`, writing the time of the first ProcessPoolExecutor.submit to a file.
_FIRST_SUBMIT = (
    "import sys, time\n"
    "from concurrent.futures import ProcessPoolExecutor\n"
    "mark, args = sys.argv[1], sys.argv[2:]\n"
    "real = ProcessPoolExecutor.submit\n"
    "def submit(self, *a, **k):\n"
    "    if not getattr(submit, 'done', False):\n"
    "        submit.done = True\n"
    "        open(mark, 'w').write(repr(time.time()))\n"
    "    return real(self, *a, **k)\n"
    "ProcessPoolExecutor.submit = submit\n"
    "sys.argv = ['briefgen', *args]\n"
    "from briefgen.__main__ import run\n"
    "sys.exit(run())\n"
)


def build(project: Path, env: dict[str, str], briefs: list[str], jobs: int, out: str) -> float:
    """One batch build's wall time (`env` with BRIEFGEN_HELPERS=0: in one process)."""
    cmd = [sys.executable, "-m", "briefgen", "build", *briefs, "-o", out, "--jobs", str(jobs)]
    return measure(cmd, env, project).seconds


def yardstick(env: dict[str, str], work: Path, jobs: int, count: int, seconds: float) -> float:
    cmd = [sys.executable, "-c", _YARDSTICK, str(jobs), str(count), f"{seconds:.3f}"]
    return measure(cmd, env, work).seconds


def serial_start(project: Path, env: dict[str, str], briefs: list[str], work: Path) -> float:
    mark = work / "first-submit"
    mark.unlink(missing_ok=True)
    launched = time.time()
    subprocess.run([sys.executable, "-c", _FIRST_SUBMIT, str(mark), "build", *briefs, "-o",
                    "out-start", "--jobs", "2"], cwd=project, env=env, check=True,
                   capture_output=True)
    return float(mark.read_text()) - launched


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--sizes", default="8,32")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-batch-") as tmp:
        work = Path(tmp)
        project = work / "project"
        names = list(make_project(project, {f"copy-{i:02d}": 1 for i in range(max(sizes))})
                     .values())
        env = {**base_env(work), "BRIEFGEN_CACHE": str(work / "cache"),
               "BRIEFGEN_RENDER_CACHE": "0"}
        build(project, env, names[:1], 1, "warmup")  # bytecode, fonts and charts cached
        one = statistics.median(build(project, env, names[:1], 1, f"one-{i}") for i in range(3))
        starts = [serial_start(project, env, names[:8], work) for _ in range(3)]
        print(f"batch bench: copies of the sample, Word and PDF, {os.cpu_count()} cores, "
              f"{args.rounds} rounds (medians), render cache off")
        print(f"  one brief alone                  {one:6.2f} s")
        print(f"  serial start before the first worker {statistics.median(starts):6.2f} s "
              f"({', '.join(f'{s:.2f}' for s in starts)}; target: under one brief)")
        for size in sizes:
            t1: list[float] = []
            t1p: list[float] = []
            t2: list[float] = []
            y1: list[float] = []
            y2: list[float] = []
            for r in range(args.rounds):
                t1.append(build(project, env, names[:size], 1, f"out-{size}-1-{r}"))
                t1p.append(build(project, {**env, "BRIEFGEN_HELPERS": "0"}, names[:size], 1,
                                 f"out-{size}-1p-{r}"))
                t2.append(build(project, env, names[:size], 2, f"out-{size}-2-{r}"))
                y1.append(yardstick(env, work, 1, size, one))
                y2.append(yardstick(env, work, 2, size, one))
            two = statistics.median(t2)
            ours = statistics.median(t1p) / two
            ideal = statistics.median(y1) / statistics.median(y2)
            print(f"  {size:>2} briefs: --jobs 1 in one process {statistics.median(t1p):6.2f} s, "
                  f"--jobs 2 {two:6.2f} s: {ours:.2f}x; yardstick {ideal:.2f}x; ours "
                  f"{ours / ideal:.0%} of it (target >= 1.8x or >= 90%)")
            print(f"            --jobs 1 with its helpers {statistics.median(t1):6.2f} s: --jobs 2 "
                  f"is {statistics.median(t1) / two:.2f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
