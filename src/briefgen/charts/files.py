"""Where drawings are kept: the chart font's identity, the content hash, the file names.

A drawing is kept in the cache's ``charts`` area (verified entries), named by a
hash of what decides its look (the chart spec, the bound data, the house chart
style, the text width, the font file, the drawing code's version and
matplotlib's), so an unchanged chart is never drawn again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from briefgen.cache import Area
from briefgen.charts.bind import Bound
from briefgen.config.house import ChartStyle, House
from briefgen.errors import InputError, OutputError, display_path

OPS = "ops.json"  # the suffix of a drawing's PDF operators, beside its PNG

# Bump when the drawing code changes how a chart looks, so cached drawings are redrawn.
DRAWING_VERSION = "6"


@dataclass(frozen=True)
class ChartFont:
    path: Path
    index: int = 0  # the face in a .ttc collection

    def identity(self) -> list[Any]:
        try:
            st = self.path.stat()
            return [str(self.path), self.index, st.st_size, st.st_mtime_ns]
        except OSError:
            return [str(self.path), self.index]


def resolve_chart_font(house: House) -> ChartFont:
    """The font file for chart labels: the house chart role's face, from the font resolver."""
    from briefgen.fonts import resolve_font_file

    role = house.chart.font
    if role not in house.fonts:
        raise InputError(
            f"chart font role '{role}' is not defined under 'fonts'",
            display_path(house.folder / "house.yaml"),
            hint=f"set chart.font to one of: {', '.join(house.fonts)}",
        )
    found = resolve_font_file(house, role)
    return ChartFont(Path(found.path), int(found.face_index))


@functools.cache  # read from the installed metadata: once per process, not once per chart
def _matplotlib_version() -> str:
    return package_version("matplotlib")


def chart_hash(bound: Bound, style: ChartStyle, text_width_mm: float, font: ChartFont) -> str:
    """The content hash that decides whether a cached drawing can be reused."""
    payload = {
        "drawing": DRAWING_VERSION,
        # The title and source are set by the writers under the figure, not drawn in it.
        "spec": bound.chart.model_dump(mode="json", exclude={"id", "title", "source"}),
        "data": bound.payload(),
        "style": style.model_dump(mode="json"),
        "text_width_mm": text_width_mm,
        "font": font.identity(),
        "matplotlib": _matplotlib_version(),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Drawing:
    """The entries of one drawing in the chart area: a 300-dpi PNG (Word, and the PDF when
    the drawing has no operators) and the same drawing as PDF operators (`OPS`, or
    `ops.NO_OPS` when it needs a page resource)."""

    store: Area
    key: str

    @property
    def png(self) -> Path:
        return self.store.path(self.key, "png")

    @property
    def ops(self) -> Path:
        return self.store.path(self.key, OPS)

    def exists(self) -> bool:
        """Both entries are in the cache, whole (a damaged entry is removed)."""
        return (self.store.get(self.key, "png") is not None
                and self.store.get(self.key, OPS) is not None)

    def has_ops(self) -> bool:
        """What the PDF reads is in the cache, whole: the operators, or the PNG when the
        drawing has none (`ops.NO_OPS`)."""
        entry = self.store.get(self.key, OPS)
        if entry is None:
            return False
        from briefgen.charts.ops import NO_OPS

        return entry.read_bytes() != NO_OPS or self.store.get(self.key, "png") is not None

    def put(self, suffix: str, write: Callable[[Path], None]) -> None:
        """Keep one file of the drawing; the writers read it, so it must be written."""
        if self.store.put(self.key, suffix, write) is None:
            raise OutputError("cannot write to the chart cache", display_path(self.store.folder),
                              hint="set BRIEFGEN_CACHE to a folder you can write to")


def drawing_files(folder: Path, chart_id: str, digest: str) -> Drawing:
    return Drawing(Area("charts", folder), f"{chart_id}-{digest[:20]}")
