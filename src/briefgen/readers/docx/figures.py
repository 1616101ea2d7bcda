"""A picture of a Word paragraph as a model Figure: the chart it was, or the image staff put there.

A picture whose bytes are a drawn chart's PNG (found by its file name in the chart
folders) keeps that chart's PDF operators (the ``.ops.json`` entry beside it, as the
charts stage names it); any other picture is placed as given,
saved under the media folder by its content hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.cache import Area
from briefgen.fsio import atomic_output

CHART_PNG = re.compile(r"^(?P<id>[A-Za-z0-9_-]+)-[0-9a-f]{20}\.png$")
CHART_OPS = "ops.json"  # the suffix of a drawn chart's PDF operators (charts.files.OPS)
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
PIC = "{http://schemas.openxmlformats.org/drawingml/2006/picture}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
R_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"


@dataclass
class Picture:
    chart_id: str  # "" when the picture is not a chart briefgen drew
    png: Path
    ops: Path | None  # the chart's PDF operators, when it is a drawn chart that has them
    cx: int  # EMU
    cy: int


def drawing_of(p: Any) -> Any | None:
    """The first picture (wp:inline or wp:anchor) in a w:p element, or None."""
    for el in p.iter(WP + "inline", WP + "anchor"):
        if el.find(f".//{A}blip") is not None:
            return el
    return None


def read_picture(drawing: Any, part: Any, chart_dirs: Sequence[Path], media_dir: Path) -> Picture:
    blip = drawing.find(f".//{A}blip")
    rid = blip.get(R_EMBED, "") if blip is not None else ""
    image = part.related_parts.get(rid)
    blob: bytes = image.blob if image is not None else b""
    extent = drawing.find(WP + "extent")
    cx = int(extent.get("cx", "0")) if extent is not None else 0
    cy = int(extent.get("cy", "0")) if extent is not None else 0
    cnv = drawing.find(f".//{PIC}cNvPr")
    name = cnv.get("name", "") if cnv is not None else ""
    m = CHART_PNG.match(name)
    found = _chart_png(name, blob, chart_dirs) if m else None
    found = found or _chart_png_by_bytes(blob, chart_dirs)  # LibreOffice renames pictures
    if found is not None:
        return _chart_picture(found, cx, cy)
    return Picture(m.group("id") if m else "", _save(blob, image, media_dir), None, cx, cy)


def _chart_picture(png: Path, cx: int, cy: int) -> Picture:
    """A drawn chart's PNG, with the PDF operators kept beside it (if they are whole)."""
    chart = CHART_PNG.match(png.name)
    ops = Area("charts", png.parent).get(png.stem, CHART_OPS)
    return Picture(chart.group("id") if chart else "", png, ops, cx, cy)


def _chart_png(name: str, blob: bytes, chart_dirs: Sequence[Path]) -> Path | None:
    for folder in chart_dirs:
        png = folder / name
        if png.is_file() and png.read_bytes() == blob:
            return png
    return None


def _chart_png_by_bytes(blob: bytes, chart_dirs: Sequence[Path]) -> Path | None:
    """A drawn chart with exactly these bytes, whatever the picture is now called."""
    for folder in chart_dirs:
        for png in sorted(folder.glob("*.png")) if folder.is_dir() else ():
            if CHART_PNG.match(png.name) and png.stat().st_size == len(blob) \
                    and png.read_bytes() == blob:
                return png
    return None


def _save(blob: bytes, image: Any, media_dir: Path) -> Path:
    ext = Path(str(getattr(image, "partname", "x.png"))).suffix or ".png"
    path = media_dir / f"{hashlib.sha256(blob).hexdigest()[:20]}{ext}"
    if not path.is_file():
        with atomic_output(path) as tmp:
            tmp.write_bytes(blob)
    return path


def alt_text(drawing: Any) -> str:
    doc_pr = drawing.find(WP + "docPr")
    return doc_pr.get("descr", "") if doc_pr is not None else ""


def has_picture(p: Any) -> bool:
    return drawing_of(p) is not None


__all__ = ["Picture", "alt_text", "drawing_of", "has_picture", "read_picture"]
