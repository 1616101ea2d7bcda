"""Benchmark: briefgen's builds against LibreOffice and pandoc -> typst, in one run.

Not a test: `make bench` or `.venv/bin/python bench/bench.py [--runs 5]`. Every
case is a whole process as a user runs it, paired with its peers (runs
alternated, medians printed, ratios ours / peer), on this machine as it is (say
whether it was shared when you quote the numbers):

* the editor's loop: one cell of sectors.csv changed, both files built again;
* cold (empty caches), warm (caches filled, both files rendered), repeat (an
  unchanged brief: the render cache copies both files);
* x1 / x4 / x16 prose: warm builds of the sample with its prose repeated, the
  cost per page and its ratio to x1's;
* the heavy modules a warm build imports, and peak memory (ru_maxrss).

The batch cases are in `bench_batch.py` (run by `make bench` too, after this).
Peers: LibreOffice converting our .docx (`soffice --headless --convert-to pdf`,
profile made beforehand) and pandoc -> typst of the same composed Markdown (the
`bench` extra: `pip install -e '.[bench]'`); a peer that is not installed is
skipped and said so. Bytecode is compiled before the timed runs (its own
PYTHONPYCACHEPREFIX), as for an installed program.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT,
    Run,
    Series,
    base_env,
    change_cell,
    make_project,
    measure,
    page_count,
    paired,
    report,
)
from peers import LibreOffice, Typst, composed_markdown, soffice, typst_available  # noqa: E402

HEAVY = ("matplotlib", "pandas", "numpy", "fontTools", "PIL")
LENGTHS = (1, 4, 16)


class Bench:
    def __init__(self, work: Path, runs: int) -> None:
        self.work = work
        self.runs = runs
        self.env = base_env(work)
        self.project = work / "project"
        self.briefs = make_project(self.project, {f"x{n}": n for n in LENGTHS})
        self.lo = LibreOffice(work, self.env) if soffice() else None
        self.typst = Typst(work, self.env) if typst_available() else None
        self.warm_cache = work / "cache-warm"

    def build(self, brief: str, out: str, cache: Path, render_cache: bool = True,
              fmt: str | None = None) -> Run:
        env = {**self.env, "BRIEFGEN_CACHE": str(cache)}
        if not render_cache:
            env["BRIEFGEN_RENDER_CACHE"] = "0"
        cmd = [sys.executable, "-m", "briefgen", "build", brief, "-o", out]
        return measure(cmd + (["--format", fmt] if fmt else []), env, self.project)

    def peers(self, name: str = "x1") -> dict[str, object]:
        found: dict[str, object] = {}
        docx = self.project / "out-warm" / f"{name}.docx"
        if self.lo is not None:
            found["LibreOffice docx -> pdf"] = lambda i: self.lo.convert(docx)  # type: ignore[union-attr]
        if self.typst is not None:
            # the brief's own prose is already repeated (make_project): composed once over
            md = self.typst.prepare(name, composed_markdown(
                self.project / self.briefs[name], 1, self.warm_cache))
            found["pandoc -> typst"] = lambda i, md=md: self.typst.build(md)  # type: ignore[union-attr]
        return found

    def prime(self) -> None:
        """Compile the bytecode of everything a build imports, fill the warm cache."""
        self.build(self.briefs["x1"], "out-prime", self.work / "cache-prime")
        for n in LENGTHS:
            self.build(self.briefs[f"x{n}"], "out-warm", self.warm_cache)

    def cases(self) -> None:
        x1 = self.briefs["x1"]
        print("the editor's loop and the caches (sample brief, Word and PDF):")

        def loop(i: int) -> Run:
            change_cell(self.project, i)
            return self.build(x1, "out-warm", self.warm_cache)

        report(*paired(self.runs, loop, self.peers(), "editor's loop: one cell changed"))
        report(*paired(self.runs, lambda i: self.build(x1, f"out-cold-{i}",
                                                       self.work / f"cache-cold-{i}"),
                       self.peers(), "cold build (empty caches)"))
        report(*paired(self.runs, lambda i: self.build(x1, "out-warm", self.warm_cache, False),
                       self.peers(), "warm build, both rendered"))
        report(*paired(self.runs, lambda i: self.build(x1, "out-warm", self.warm_cache),
                       self.peers(), "repeat build, unchanged brief"))
        for fmt in ("pdf", "docx"):
            s = Series(f"warm, {fmt} alone")
            s.runs = [self.build(x1, "out-warm", self.warm_cache, False, fmt)
                      for _ in range(self.runs)]
            report(s, {})

    def lengths(self) -> None:
        print("length: the sample's prose repeated (warm, both rendered):")
        per_page: dict[int, tuple[float, float]] = {}
        for n in LENGTHS:
            name = f"x{n}"
            mine, theirs = paired(max(3, self.runs // 2), lambda i, b=self.briefs[name]: self.build(
                b, "out-warm", self.warm_cache, False), self.peers(name), f"x{n} prose")
            pages = page_count(self.project / "out-warm" / f"{name}.pdf")
            typst_pages = page_count(self.work / f"{name}.pdf") if self.typst else 0
            report(mine, theirs)
            peer = theirs.get("pandoc -> typst")
            per_page[n] = (mine.median / pages, peer.median / typst_pages if peer else 0.0)
            print(f"    {pages} pages: {per_page[n][0] * 1000:.0f} ms per page"
                  + (f"; typst {typst_pages} pages, {per_page[n][1] * 1000:.0f} ms per page"
                     if peer else ""))
        base = per_page[1]
        for n in LENGTHS[1:]:
            ours, theirs_pp = per_page[n]
            print(f"  cost per page x{n} / x1: ours {ours / base[0]:.2f}"
                  + (f", typst {theirs_pp / base[1]:.2f}" if base[1] else "")
                  + "  (target: ours <= 1.5)")

    def imports(self) -> None:
        env = {**self.env, "BRIEFGEN_CACHE": str(self.warm_cache), "BRIEFGEN_RENDER_CACHE": "0"}
        err = subprocess.run([sys.executable, "-X", "importtime", "-m", "briefgen", "build",
                              self.briefs["x1"], "-o", "out-warm"], cwd=self.project, env=env,
                             capture_output=True, text=True).stderr
        loaded = sorted({m for m in HEAVY if re.search(rf"\|\s+{m}$", err, re.M)})
        print(f"heavy modules a warm build imports: {', '.join(loaded) or 'none'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs of each measurement (median)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as tmp:
        bench = Bench(Path(tmp), args.runs)
        print(f"briefgen bench: {ROOT.name}, {args.runs} paired runs each, "
              f"ratios are ours / peer; peers: "
              f"{'LibreOffice' if bench.lo else 'no LibreOffice'}, "
              f"{'pandoc -> typst' if bench.typst else 'no typst (pip install -e .[bench])'}")
        bench.prime()
        bench.cases()
        bench.lengths()
        bench.imports()
    return 0


if __name__ == "__main__":
    sys.exit(main())
