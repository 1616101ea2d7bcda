"""Benchmark of single builds against LibreOffice and pandoc -> typst: see bench.py.

Kept under this name for `make bench`, which runs it, then bench_preview.py and bench_batch.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
