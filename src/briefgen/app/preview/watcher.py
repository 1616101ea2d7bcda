"""Watch the files a brief is made of, and ask the session to rebuild when one is saved.

The watched folders (brief, data, templates, house) come from the last good build,
so re-pointing `data.folder` in brief.yaml moves the watch along with it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

# What a brief is made of; editors' backup and lock files are not.
SOURCES = {".yaml", ".yml", ".md", ".j2", ".csv", ".xlsx", ".xls", ".docx", ".ttf", ".otf", ".ttc"}
_DEFAULT = watchfiles.DefaultFilter()


def relevant(change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    if name.startswith((".~lock", "~$", ".#")):
        return False
    return Path(path).suffix.lower() in SOURCES and _DEFAULT(change, path)


class _Either:
    """Set when either event is: the watch stops for good, or to follow new folders."""

    def __init__(self, a: threading.Event, b: threading.Event) -> None:
        self.a, self.b = a, b

    def is_set(self) -> bool:
        return self.a.is_set() or self.b.is_set()


class Watcher:
    """A thread that turns saves under `folders()` into `on_change(paths)` calls."""

    def __init__(
        self,
        folders: Callable[[], set[Path]],
        on_change: Callable[[set[Path]], None],
        stop: threading.Event,
    ) -> None:
        self.folders = folders
        self.on_change = on_change
        self.stop = stop
        self._restart = threading.Event()
        self._watching: set[Path] = set()
        self.thread = threading.Thread(target=self._run, name="preview-watcher", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def follow(self) -> None:
        """Watch the folders the brief now names, if they differ from those watched."""
        if self.folders() != self._watching:
            self._restart.set()

    def _run(self) -> None:
        first = True
        while not self.stop.is_set():
            self._restart.clear()
            self._watching = self.folders()
            existing = sorted(p for p in self._watching if p.is_dir())
            if not first:
                self.on_change(set())  # a save may have fallen between the two watches
            first = False
            if not existing:  # the brief folder itself is gone: look again shortly
                self.stop.wait(0.5)
                continue
            try:
                for changes in watchfiles.watch(
                    *existing,
                    watch_filter=relevant,
                    step=20,  # a save is one batch once 20 ms pass with nothing new
                    debounce=400,
                    stop_event=_Either(self.stop, self._restart),
                    rust_timeout=500,
                    raise_interrupt=False,
                ):
                    self.on_change({Path(p) for _, p in changes})
            except OSError:  # a watched folder went away while watched
                self.stop.wait(0.5)
