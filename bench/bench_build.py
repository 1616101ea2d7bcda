"""Benchmark: `briefgen build` of the sample (both formats) against LibreOffice's conversion.

Not a test: run it by hand (`make bench` or `.venv/bin/python bench/bench_build.py`).
Everything runs as whole processes, on this machine, in one run:

* cold: `briefgen build` with an empty font cache and a fresh output folder (no chart
  cache either), so fonts are subset/converted and charts drawn;
* warm: the same build again, caches filled;
* LibreOffice: `soffice --headless --convert-to pdf` of the .docx we just wrote
  (its profile made once beforehand, so its first-start set-up is not counted).

It prints the median wall times, the ratios against LibreOffice, the peak memory of a
build (ru_maxrss of the finished child processes), the warm time of each format alone
and which heavy modules a warm build imports. Targets (issue 3): warm >= 3x faster than
LibreOffice, cold no slower, peak < 400 MB.

Python's bytecode is compiled once beforehand (into the bench's own folder, through
PYTHONPYCACHEPREFIX), as it is for an installed program: where PYTHONDONTWRITEBYTECODE
is set, every run would otherwise compile briefgen's modules again (≈ 0.05 s).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "briefs/2024-05-chaoyang"
HEAVY = ("matplotlib", "pandas", "numpy", "fontTools", "svglib", "PIL")


def timed(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return elapsed


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each measurement (median)")
    ap.add_argument("--brief", default=SAMPLE)
    args = ap.parse_args()

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith("BRIEFGEN_") and k != "PYTHONDONTWRITEBYTECODE"}
    base_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    build = [sys.executable, "-m", "briefgen", "build", args.brief]
    # compile the bytecode of everything a build imports (matplotlib too), then forget
    # that build's caches
    timed([*build, "-o", str(work / "out-prime")], {**base_env, "BRIEFGEN_CACHE": str(work / "prime")})
    shutil.rmtree(work / "prime", ignore_errors=True)

    cold: list[float] = []
    for i in range(args.runs):
        env = {**base_env, "BRIEFGEN_CACHE": str(work / f"cache-cold-{i}")}
        cold.append(timed([*build, "-o", str(work / f"out-cold-{i}")], env))

    warm_env = {**base_env, "BRIEFGEN_CACHE": str(work / "cache-warm")}
    warm_out = work / "out-warm"
    timed([*build, "-o", str(warm_out)], warm_env)  # fill the caches
    # A repeat build of an unchanged brief: the render cache copies both files.
    repeat = [timed([*build, "-o", str(warm_out)], warm_env) for _ in range(args.runs)]
    # A warm build that renders both files (as after an edit): fonts and charts cached.
    render_env = {**warm_env, "BRIEFGEN_RENDER_CACHE": "0"}
    warm = [timed([*build, "-o", str(warm_out)], render_env) for _ in range(args.runs)]
    ours_peak = peak_mb()
    alone = {fmt: statistics.median(
        timed([*build, "-o", str(warm_out), "--format", fmt], render_env) for _ in range(args.runs))
        for fmt in ("pdf", "docx")}

    imports = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefgen", "build",
                              args.brief, "-o", str(warm_out)], cwd=ROOT, env=warm_env,
                             capture_output=True, text=True).stderr
    loaded = sorted({m for m in HEAVY if re.search(rf"\|\s+{m}$", imports, re.M)})

    lo: list[float] = []
    if soffice:
        docx = next(warm_out.glob("*.docx"))
        profile = work / "lo-profile"
        lo_cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                  "--convert-to", "pdf", "--outdir", str(work / "lo"), str(docx)]
        timed(lo_cmd, base_env)  # make the profile once
        lo = [timed(lo_cmd, base_env) for _ in range(args.runs)]

    c, w, r = statistics.median(cold), statistics.median(warm), statistics.median(repeat)
    print(f"briefgen bench: {args.brief}, both formats, median of {args.runs} runs, {os.cpu_count()} cores")
    print(f"  cold build (empty caches)       {c:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in cold)})")
    print(f"  warm build, both rendered       {w:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in warm)})")
    print(f"  repeat build, unchanged brief   {r:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in repeat)})")
    if lo:
        o = statistics.median(lo)
        print(f"  LibreOffice docx -> pdf alone   {o:6.3f} s   (runs: {', '.join(f'{x:.2f}' for x in lo)})")
        print(f"  repeat speed-up vs LibreOffice  {o / r:6.2f} x   (target >= 3)")
        print(f"  warm rendering vs LibreOffice   {o / w:6.2f} x")
        print(f"  cold speed-up vs LibreOffice    {o / c:6.2f} x   (target >= 1)")
    else:
        print("  LibreOffice: soffice not found, no comparison")
    print(f"  warm, PDF alone / Word alone    {alone['pdf']:6.3f} s / {alone['docx']:.3f} s")
    print(f"  peak memory of a build          {ours_peak:6.0f} MB  (target < 400)")
    print(f"  heavy modules a warm build imports: {', '.join(loaded) or 'none'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
