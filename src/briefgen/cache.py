"""Where slow results (drawn charts, converted font subsets) are kept between builds."""

from __future__ import annotations

import functools
import os
from pathlib import Path


def cache_root() -> Path:
    """$BRIEFGEN_CACHE, else the user's cache folder; never inside an output folder."""
    env = os.environ.get("BRIEFGEN_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"


@functools.cache  # the code does not change while a process runs; asked once per format
def code_fingerprint() -> str:
    """What the rendering code is: briefgen's own sources and the writer libraries' files."""
    import hashlib
    from importlib.util import find_spec

    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        h.update(source.relative_to(package).as_posix().encode())
        h.update(source.read_bytes())
    for library in ("docx", "reportlab", "svglib", "lxml"):
        spec = find_spec(library)
        if spec and spec.origin:
            st = Path(spec.origin).stat()
            h.update(f"{library}|{spec.origin}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()
