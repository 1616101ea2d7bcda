"""Building many briefs: in parallel processes, with a progress bar and a summary.

One brief failing does not stop the others. The exit code is 0 when every brief
was built, 2 when every failure was a user's mistake (a BriefError), 1 when any
failure was a bug.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.errors import BriefError, display_path

OK, USER, BUG = "ok", "user", "bug"

# Modules every build needs; imported once in the parent so forked workers start warm.
WARM = ("briefgen.app.pipeline", "briefgen.analysis.check", "briefgen.charts", "briefgen.writers.docx",
        "briefgen.writers.pdf")


@dataclass
class Outcome:
    brief: str  # the folder as the user named it
    status: str  # ok, user, bug
    message: str = ""  # the one-line error, or the bug's traceback
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build_one(folder: Path, out: Path, formats: Sequence[str], use_cache: bool,
              reference_doc: Path | None = None, allow: Sequence[Path] = ()) -> Outcome:
    """Build one brief; never raise (but for an interrupt): say how it went."""
    from briefgen.app.pipeline import build

    shown = display_path(folder)
    start = time.perf_counter()
    try:
        written = build(folder, out, formats, use_cache=use_cache, reference_doc=reference_doc,
                        allow=allow)
    except BriefError as exc:
        return Outcome(shown, USER, exc.one_line(), seconds=time.perf_counter() - start)
    except Exception:  # a bug: keep its traceback for the report
        return Outcome(shown, BUG, traceback.format_exc().rstrip(),
                       seconds=time.perf_counter() - start)
    return Outcome(shown, OK, files=[display_path(p) for p in written],
                   seconds=time.perf_counter() - start)


def _warm(first: Path) -> None:
    """Import what a build needs before the workers are forked, so each starts warm:
    the stages' modules, and whatever reading the first brief's data pulls in."""
    import importlib

    for name in WARM:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    from briefgen.config.brief import load_spec
    from briefgen.data import load_data

    try:
        load_data(load_spec(first).data_folder())
    except BriefError:
        pass  # that brief's own build reports it


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers with the parent's modules already imported; where it is not
    # safe (macOS, Windows) the platform's default is used.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def build_many(
    briefs: Sequence[Path],
    out: Path,
    formats: Sequence[str],
    jobs: int = 1,
    use_cache: bool = True,
    reference_doc: Path | None = None,
    allow: Sequence[Path] = (),
) -> int:
    """Build every brief into `out`; print a line per brief and a summary; the exit code.

    An interrupt stops every worker and removes what this batch wrote.
    """
    if jobs < 1:
        raise BriefError(f"--jobs must be 1 or more, not {jobs}")
    seen: dict[str, Path] = {}
    for folder in briefs:
        name = folder.resolve().name
        if name in seen:
            raise BriefError(
                f"two briefs would write the same files ({name}.*)",
                display_path(folder),
                hint=f"{display_path(seen[name])} has the same folder name",
            )
        seen[name] = folder
    outcomes: list[Outcome] = []
    started = time.perf_counter()
    workers = min(jobs, len(briefs))
    job = _Job(out, tuple(formats), use_cache, reference_doc, tuple(allow))
    try:
        with _Reporter(len(briefs), outcomes) as report:
            if workers == 1:
                for folder in briefs:
                    report(build_one(folder, out, formats, use_cache, reference_doc, allow))
            else:
                _in_workers(briefs, job, workers, report)
    except KeyboardInterrupt:
        _take_back(outcomes)
        raise
    return _summary(outcomes, briefs, time.perf_counter() - started, workers)


@dataclass(frozen=True)
class _Job:
    """What every brief of a batch is built with."""

    out: Path
    formats: tuple[str, ...]
    use_cache: bool
    reference_doc: Path | None
    allow: tuple[Path, ...]


class _Reporter:
    """A progress bar (on a terminal) and a line per brief as each one ends."""

    def __init__(self, total: int, outcomes: list[Outcome]) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True)
        self.outcomes = outcomes
        self.total = total
        self.progress = Progress(
            TextColumn("[bold]building"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=console,
            disable=not console.is_terminal, transient=False,
        )

    def __enter__(self) -> _Reporter:
        self.progress.__enter__()
        self.task = self.progress.add_task("", total=self.total)
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)

    def __call__(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        self.progress.advance(self.task)
        self.progress.update(self.task, description=outcome.brief)
        if outcome.status == OK:
            for path in outcome.files:
                print(f"wrote {path}", flush=True)  # above the bar: rich redirects stdout
        elif outcome.status == USER:
            print(f"briefgen: error: {outcome.message}", file=sys.stderr, flush=True)
        else:
            print(f"briefgen: bug while building {outcome.brief}:\n{outcome.message}",
                  file=sys.stderr, flush=True)


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C reaches the whole process group; the parent alone handles it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_workers(briefs: Sequence[Path], job: _Job, workers: int, report: _Reporter) -> None:
    _warm(briefs[0])
    import gc

    gc.freeze()  # keep the warm modules' objects out of the workers' collections
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                               initializer=_ignore_interrupts)
    try:
        futures: dict[Future[Outcome], Path] = {
            pool.submit(build_one, folder, job.out, job.formats, job.use_cache,
                        job.reference_doc, job.allow): folder
            for folder in briefs
        }
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (killed, out of memory)
                outcome = Outcome(display_path(futures[future]), BUG,
                                  f"the worker process failed: {type(exc).__name__}: {exc}")
            report(outcome)
    except KeyboardInterrupt:
        _stop(pool, briefs, job.out)
        raise
    pool.shutdown()


def _stop(pool: ProcessPoolExecutor, briefs: Sequence[Path], out: Path) -> None:
    """Kill the workers at once and remove the part files they were writing."""
    from briefgen.fsio import clean_stale_parts

    processes = list(getattr(pool, "_processes", {}).values())  # no public way before 3.14
    for process in processes:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
    for folder in briefs:
        clean_stale_parts(out, folder.resolve().name)


def _take_back(outcomes: Sequence[Outcome]) -> None:
    """After an interrupt, remove the files of the briefs already built: all or nothing."""
    for outcome in outcomes:
        for name in outcome.files:
            with contextlib.suppress(OSError):
                Path(name).unlink()


def _summary(outcomes: list[Outcome], briefs: Sequence[Path], seconds: float, workers: int) -> int:
    failed = [o for o in outcomes if o.status != OK]
    built = len(outcomes) - len(failed)
    jobs = f"{workers} job{'s' if workers != 1 else ''}"
    line = f"built {built} of {len(briefs)} brief{'s' if len(briefs) != 1 else ''} in {seconds:.1f} s ({jobs})"
    if failed:
        order = {display_path(b): i for i, b in enumerate(briefs)}
        names = ", ".join(o.brief for o in sorted(failed, key=lambda o: order.get(o.brief, 0)))
        line += f"; {len(failed)} failed: {names}"
    print(line, flush=True)
    if not failed:
        return 0
    return 2 if all(o.status == USER for o in failed) else 1
