"""Benchmark: the editor's loop in `briefgen preview`, against the same loop on the CLI.

Not a test: run it by hand (`.venv/bin/python bench/bench_preview.py [--runs 9]`).
On a copy of the sample project it starts `briefgen preview` once (one warm
process), waits for its first build, then, runs times, changes one cell of
sectors.csv (冶金's output, printed in the prose and drawn in 图2) and measures:

* to /brief.pdf: from the saved file to the first GET of /brief.pdf that returns the
  new PDF (polled every 10 ms with If-None-Match, so an unchanged poll costs no body);
  the new value is then looked for in that PDF's text;
* to the page: from the saved file to the event that carries the rebuilt pages and
  `check`'s findings (what the open browser page redraws from);
* paired with each preview run, once the preview is idle again (its Word file
  written), the CLI's loop: the same kind of change, then `briefgen build --format
  pdf` as a fresh process; and the peers of `bench.py` (`peers.py`): LibreOffice
  converting the sample's .docx, pandoc -> typst of its composed Markdown.

It prints the medians (target, issue 13: /brief.pdf within 0.5 s) and the preview
process's peak memory (VmHWM; target under 300 MB).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pypdfium2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import base_env  # noqa: E402
from peers import LibreOffice, Typst, composed_markdown, soffice, typst_available  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "briefs/2024-05-chaoyang"
SECTORS = "data/chaoyang/2023/sectors.csv"
ORIGINAL = "冶金,冶金行业,113,567.2,"


def set_output(project: Path, value: str) -> float:
    """Write 冶金's output as `value`; return the time the file was saved."""
    path = project / SECTORS
    text = path.read_text(encoding="utf-8")
    lines = [f"冶金,冶金行业,113,{value}," + line.split(",", 4)[4]
             if line.startswith("冶金,") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return time.perf_counter()


class Events(threading.Thread):
    """The preview's event stream, as the page reads it: (arrival time, state) per event."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.states: list[tuple[float, dict[str, object]]] = []
        self.arrived = threading.Condition()

    def run(self) -> None:
        with urllib.request.urlopen(self.url + "events", timeout=600) as stream:
            for raw in stream:
                line = raw.decode("utf-8")
                if line.startswith("data: "):
                    state = json.loads(line[6:])
                    with self.arrived:
                        self.states.append((time.perf_counter(), state))
                        self.arrived.notify_all()

    def ready_after(self, generation: int, timeout: float = 60) -> tuple[float, dict[str, object]]:
        """The first event past `generation` whose status is ready or error."""
        return self.first(lambda s: int(str(s["generation"])) > generation
                          and s["status"] in ("ready", "error"), timeout)

    def first(self, wanted: Callable[[dict[str, object]], bool],
              timeout: float = 120) -> tuple[float, dict[str, object]]:
        """The first event (arrival time, state) that is `wanted`."""
        end = time.monotonic() + timeout
        with self.arrived:
            while True:
                for at, state in self.states:
                    if wanted(state):
                        return at, state
                left = end - time.monotonic()
                if left <= 0:
                    raise SystemExit("bench: no rebuilt state arrived within the timeout")
                self.arrived.wait(left)

    def quiet(self, gap: float = 1.0) -> None:
        """Wait until the preview is idle: ready, its Word file written, nothing new for `gap` s."""
        while True:
            with self.arrived:
                count = len(self.states)
                self.arrived.wait(gap)
                at, state = self.states[-1]
                if (len(self.states) == count and state["status"] == "ready"
                        and not state["docx_pending"]):
                    return

    def generation(self) -> int:
        with self.arrived:
            return int(str(self.states[-1][1]["generation"])) if self.states else -1


def get_pdf(url: str, etag: str | None) -> tuple[str | None, bytes | None]:
    request = urllib.request.Request(url + "brief.pdf")
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.headers.get("ETag"), response.read()
    except urllib.error.HTTPError as exc:
        if exc.code in (304, 503):
            return etag, None
        raise


def new_pdf(url: str, etag: str | None, timeout: float = 60) -> tuple[float, str | None, bytes]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        tag, body = get_pdf(url, etag)
        if body is not None:
            return time.perf_counter(), tag, body
        time.sleep(0.01)
    raise SystemExit("bench: /brief.pdf did not change within the timeout")


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peers(work: Path, env: dict[str, str], project: Path,
           briefgen: list[str]) -> dict[str, Callable[[], float]]:
    """The peers a run of the loop is paired with, on the sample as the CLI builds it."""
    out = work / "peer-out"
    subprocess.run([*briefgen, "build", SAMPLE, "-o", str(out)], cwd=project, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    found: dict[str, Callable[[], float]] = {}
    if soffice():
        lo = LibreOffice(work, env)
        docx = out / f"{Path(SAMPLE).name}.docx"
        found["LibreOffice docx -> pdf"] = lambda: lo.convert(docx).seconds
    else:
        print("LibreOffice not installed: not paired")
    if typst_available():
        typst = Typst(work, env)
        md = typst.prepare("sample", composed_markdown(project / SAMPLE, 1, work / "cache"))
        found["pandoc -> typst"] = lambda: typst.build(md).seconds
    else:
        print("pandoc -> typst not installed (the bench extra): not paired")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-cli", action="store_true",
                        help="time the preview alone (no CLI build, no peers)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    project, cli_project = work / "project", work / "cli-project"  # the CLI's own copy,
    for name in ("briefs", "data", "templates"):  # so the preview does not rebuild for it
        shutil.copytree(ROOT / name, project / name)
        shutil.copytree(ROOT / name, cli_project / name)
    assert ORIGINAL in (project / SECTORS).read_text(encoding="utf-8"), "the sample changed"
    # base_env: bytecode kept in the bench's own prefix (and written: without it every CLI
    # run would compile matplotlib and pandas again)
    env = dict(base_env(work), BRIEFGEN_CACHE=str(work / "cache"), PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=env,
                   check=True)
    briefgen = [sys.executable, "-m", "briefgen"]
    peers = {} if args.no_cli else _peers(work, env, cli_project, briefgen)
    proc = subprocess.Popen([*briefgen, "preview", SAMPLE, "--port", "0"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = first[first.index("http://"):].split()[0]
        log: list[str] = []  # the preview's own lines: "PDF in 0.31 s, page in 0.52 s after ..."
        threading.Thread(target=lambda: log.extend(proc.stdout or ()), daemon=True).start()
        events = Events(url)
        events.start()
        started = time.perf_counter()
        _, state = events.ready_after(-1, timeout=300)
        if state["status"] != "ready":
            raise SystemExit(f"bench: the first build failed: {state['error']}")
        print(f"first build {time.perf_counter() - started:.2f} s ({state['status']})")
        events.first(lambda s: bool(s["warm"]) and s["status"] == "ready")
        print(f"warm {time.perf_counter() - started:.2f} s")
        events.quiet()  # the rebuild after the watcher moved to the data folder, if any
        etag, _ = get_pdf(url, None)

        to_pdf, to_page, cli = [], [], []
        theirs: dict[str, list[float]] = {name: [] for name in peers}
        for run in range(args.runs):
            value = f"56{run % 10}.{run % 9 + 1}"  # one place, never .0 (which prints as 560)
            generation = events.generation()
            saved = set_output(project, value)
            at, etag, pdf = new_pdf(url, etag)
            to_pdf.append(at - saved)
            page_at, _ = events.ready_after(generation)
            to_page.append(page_at - saved)
            if f"{value}亿元" not in pdf_text(pdf):
                raise SystemExit(f"bench: the new PDF does not print {value}亿元")
            events.quiet(0.5)  # its Word file written: the next run starts from an idle preview
            if not args.no_cli:
                t0 = set_output(cli_project, value)
                subprocess.run([*briefgen, "build", SAMPLE, "-o", str(work / "out"),
                                "--format", "pdf"], cwd=cli_project, env=env, check=True,
                               stdout=subprocess.DEVNULL)
                cli.append(time.perf_counter() - t0)
                for name, peer in peers.items():
                    theirs[name].append(peer())
            print(f"run {run + 1}: /brief.pdf {to_pdf[-1]:.3f} s, page {to_page[-1]:.3f} s"
                  + (f", CLI build {cli[-1]:.3f} s" if cli else ""), flush=True)

        print()
        print(f"preview, changed cell -> new /brief.pdf: median {statistics.median(to_pdf):.3f} s"
              f" (min {min(to_pdf):.3f}, max {max(to_pdf):.3f}; target 0.5 s)")
        print(f"preview, changed cell -> page redrawn:   median {statistics.median(to_page):.3f} s")
        if cli:
            print(f"CLI, changed cell -> briefgen build --format pdf: median "
                  f"{statistics.median(cli):.3f} s "
                  f"(preview is {statistics.median(cli) / statistics.median(to_pdf):.1f}x faster)")
        preview = statistics.median(to_pdf)
        for name, runs in theirs.items():
            peer = statistics.median(runs)
            print(f"{name}: median {peer:.3f} s (preview to /brief.pdf is "
                  f"{peer / preview:.1f}x faster)" if peer >= preview else
                  f"{name}: median {peer:.3f} s (preview to /brief.pdf is "
                  f"{preview / peer:.1f}x slower)")
        inside = [float(m.group(1)) for line in log if "sectors.csv" in line
                  and (m := re.search(r"PDF in ([0-9.]+) s", line))]
        if inside:
            print(f"  of which the build itself (load to PDF written): median "
                  f"{statistics.median(inside):.3f} s; the rest is the watch and the HTTP poll")
        print(f"preview process peak memory {peak_mb(proc.pid):.0f} MB (target < 300 MB)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
