"""Work handed to a forked helper process, so the build's two halves use both cores.

A helper runs one task that only writes files (cache entries, a staged output),
never prints, and ignores Ctrl-C (the build reports the interrupt). Its caller
`join`s it before it needs those files and, when the helper failed, does the
task itself: the error then arises in the build, where it is reported with its
file and line. No helper is started where forking is not safe or not useful:
off Linux, inside a worker of `briefgen batch` (its workers already share the
cores), or with BRIEFGEN_HELPERS=0. As a context, a helper is stopped when the
build fails, or when it was never given its task, so nothing is left running.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

WAIT_SECONDS = 120.0  # a helper that takes longer is stopped: its caller does the work


class Helper:
    """A forked process running one task (or none: `Helper(None)` does nothing).

    A helper started by `start_waiting` is given its task later (`submit`)."""

    def __init__(self, process: multiprocessing.process.BaseProcess | None,
                 tasks: Connection | None = None, reports: Connection | None = None) -> None:
        self.process = process
        self.tasks = tasks  # where a waiting helper's task is sent; None once sent
        self.reports = reports  # what the task says of its progress (`report`)

    def wait_for(self, message: str, timeout: float = WAIT_SECONDS) -> bool:
        """Wait until the task reports `message`; False when it ended without saying it."""
        if self.reports is None:
            return False
        try:
            while self.reports.poll(timeout):
                if self.reports.recv() == message:
                    return True
        except (EOFError, OSError):
            pass
        return False

    @property
    def waiting(self) -> bool:
        """Started by `start_waiting`, and not given its task yet."""
        return self.process is not None and self.tasks is not None

    def submit(self, task: Callable[..., None], *args: Any) -> None:
        """Give a waiting helper its task: a function of a module and picklable arguments."""
        assert self.tasks is not None, "a helper runs one task"
        try:
            self.tasks.send((task, args))
        except OSError:
            pass  # the helper is gone: `join` says it did not do the task
        self.tasks.close()
        self.tasks = None

    def join(self, timeout: float = WAIT_SECONDS) -> bool:
        """Wait for the task; whether it was done whole (False without a helper).

        A waiting helper that was given no task is stopped at once."""
        if self.process is None:
            return False
        if self.tasks is not None:
            self.tasks.close()
            self.tasks = None
            timeout = 0
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        done = self.process.exitcode == 0
        self.process = None
        if self.reports is not None:
            self.reports.close()
            self.reports = None
        return done

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.join(0 if exc[0] is not None else WAIT_SECONDS)


def helpers_allowed() -> bool:
    """Whether this process may fork helpers (see the module's docstring)."""
    return (sys.platform.startswith("linux") and multiprocessing.parent_process() is None
            and os.environ.get("BRIEFGEN_HELPERS", "1") != "0")


# In a helper: where `report` sends its messages (the caller's `Helper.wait_for`).
_REPORTS: Connection | None = None


def report(message: str) -> None:
    """Tell the caller how far the task got (in a helper; nothing elsewhere)."""
    if _REPORTS is not None:
        _REPORTS.send(message)


def _run_quietly(task: Callable[[], None], reports: Connection, theirs: Connection) -> None:
    import signal

    global _REPORTS
    theirs.close()
    _REPORTS = reports
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to report
    try:
        task()
    except BaseException:  # noqa: BLE001  # said by the caller, which does the task again
        os._exit(1)


def _wait_for_task(prepare: Callable[[], None], tasks: Connection, ours: Connection) -> None:
    ours.close()  # the caller's end: when the caller is gone, recv ends
    prepare()
    try:
        task, args = tasks.recv()
    except EOFError:  # given nothing to do
        return
    task(*args)


def start_waiting(prepare: Callable[[], None]) -> Helper:
    """A helper that runs `prepare` (imports, say) at once, then waits for its task
    (`Helper.submit`): the build forks it before it knows the task, so the helper's
    start overlaps the build's own. `Helper(None)` where none may be forked."""
    if not helpers_allowed():
        return Helper(None)
    receive, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    helper = _fork(lambda: _wait_for_task(prepare, receive, send))
    receive.close()
    helper.tasks = send
    return helper


def start_helper(task: Callable[[], None]) -> Helper:
    """Run `task` in a forked helper, or return `Helper(None)` where none may be forked."""
    if not helpers_allowed():
        return Helper(None)
    return _fork(task)


def _fork(task: Callable[[], None]) -> Helper:
    ctx = multiprocessing.get_context("fork")
    heard, said = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run_quietly, args=(task, said, heard), daemon=True)
    process.start()
    said.close()
    return Helper(process, reports=heard)
