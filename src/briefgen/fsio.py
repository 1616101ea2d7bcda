"""Files on disk: every write is atomic (a temporary name renamed into place on success)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from briefgen.errors import BriefError, display_path


@contextlib.contextmanager
def atomic_output(
    path: Path,
    folder_name: str = "the output folder",
    hint: str = "choose a folder you can write to with -o",
) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only on success.

    Every file briefgen writes (outputs and caches alike) goes through here, so a
    reader never sees half a file.
    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".part", dir=folder)
    except OSError as exc:
        raise BriefError(
            f"cannot write to {folder_name}: {exc.strerror}",
            display_path(folder),
            hint=hint,
        ) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp makes the file private; a brief gets the usual mode (0644 under umask 022).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
