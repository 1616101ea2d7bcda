"""Benchmark: compose + parse of the sample's prose repeated ×1, ×4, ×16 (and one huge paragraph).

Not a test: run it by hand (`.venv/bin/python bench/bench_compose.py`). Compose
(sandbox, ledger, source map) and parse should grow linearly with the text: the
time per ×1 stays about the same. The last line times a 100,000-word paragraph
(what `{{ lipsum(100000) }}` used to make), which was quadratic in `_inlines`.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CHART = re.compile(r"\{\{\s*(?:chart|fig)\([^)]*\)\s*\}\}")

from briefgen.compose import compose  # noqa: E402
from briefgen.config.brief import load_spec  # noqa: E402
from briefgen.data import load_data  # noqa: E402
from briefgen.readers.markdown import parse, parse_sections  # noqa: E402


def _copy(tmp: Path, times: int) -> Path:
    for name in ("briefs", "data", "templates"):
        shutil.copytree(ROOT / name, tmp / name, dirs_exist_ok=True)
    brief = tmp / "briefs" / "2024-05-chaoyang"
    for path in (tmp / "templates" / "sections").glob("*.j2"):
        path.write_text(CHART.sub("图", path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in (brief / "sections").glob("*.md"):
        text = CHART.sub("图", path.read_text(encoding="utf-8"))  # no figure placed twice
        head, sep, rest = text.partition("\n#")
        body = sep.lstrip("\n") + rest if sep else text
        path.write_text(head + ("\n\n" + body) * times if sep else text * times,
                        encoding="utf-8")
    return brief


def _time(brief: Path) -> tuple[float, int]:
    spec = load_spec(brief)
    data = load_data(spec.data_folder())
    start = time.perf_counter()
    composition = compose(spec, data)
    blocks = parse_sections(composition.sections, {})
    return time.perf_counter() - start, len(blocks)


def main() -> None:
    base = None
    for times in (1, 4, 16):
        with tempfile.TemporaryDirectory() as tmp:
            brief = _copy(Path(tmp), times)
            try:
                seconds, blocks = _time(brief)
            except Exception as exc:  # noqa: BLE001 — a figure placed twice, etc.
                print(f"×{times}: {exc}")
                continue
        base = base or seconds
        print(f"×{times:<3} {seconds * 1000:8.1f} ms  {blocks:5d} blocks  "
              f"{seconds / times * 1000:6.1f} ms per ×1")
    words = " ".join("lorem ipsum dolor sit amet" for _ in range(20_000))
    start = time.perf_counter()
    parse(words + "\n", {})
    print(f"one 100,000-word paragraph: {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
