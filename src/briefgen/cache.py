"""Where slow results (drawn charts, converted font subsets) are kept between builds."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """$BRIEFGEN_CACHE, else the user's cache folder; never inside an output folder."""
    env = os.environ.get("BRIEFGEN_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "briefgen"
