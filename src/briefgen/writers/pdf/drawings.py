"""A chart's SVG made ready for the PDF: compiled to operators once, kept in the cache."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import Version

from briefgen.cache import Area, area
from briefgen.errors import InputError, display_path
from briefgen.model import Figure
from briefgen.writers.pdf import rl_compat

DRAWING_VERSION = 1
# Operators of text, or that name a page resource (a font, an image, a graphics state,
# a shading, a colour space): a drawing with any cannot be copied into a page as text.
_RESOURCE_OPS = re.compile(r"(?<![\w/])(?:BT|Tf|Tj|TJ|Do|gs|sh|BI|cs|CS|scn|SCN)(?![\w])")
# renderPDF starts every drawing by selecting its initial font in an empty text object
_INITIAL_FONT = re.compile(r"^BT /\S+ [\d.]+ Tf [\d.]+ TL ET$")


@dataclass
class CompiledDrawing:
    """An SVG drawing as the PDF operators ReportLab draws it with, ready to be copied.

    Made once per SVG (keyed by its content hash and the converters' versions) and
    kept in the cache: a repeat build neither imports svglib nor converts the SVG.
    Only a drawing that uses no page resource (fonts, images, transparency) is kept
    so; a chart's text is outlined (``svg.fonttype='path'``).
    """

    width: float
    height: float
    ops: str


@dataclass
class SvgDrawing:
    """A reportlab Drawing (svglib's) that has text or resources: drawn by renderPDF."""

    drawing: Any


Drawing = CompiledDrawing | SvgDrawing


def _converter_tag() -> str:
    """What the operators depend on besides the SVG: our code, ReportLab, svglib."""
    tag = f"{DRAWING_VERSION}|{Version}"
    spec = importlib.util.find_spec("svglib")
    if spec is not None and spec.origin:
        st = Path(spec.origin).stat()
        tag += f"|{spec.origin}|{st.st_size}|{st.st_mtime_ns}"
    return tag


def compile_drawing(drawing: Any) -> CompiledDrawing | None:
    """The operators of a drawing with no text and no resources; None for any other."""
    lines = [ln for ln in rl_compat.drawing_ops(drawing) if not _INITIAL_FONT.match(ln)]
    ops = "\n".join(lines)
    if _RESOURCE_OPS.search(ops):
        return None
    return CompiledDrawing(float(drawing.width), float(drawing.height), ops)


def _cached(entries: Area, key: str) -> CompiledDrawing | None:
    data = entries.get_bytes(key, "json")  # whole, or None (a damaged entry is removed)
    if data is None:
        return None
    try:
        d = json.loads(data.decode("utf-8"))
        return CompiledDrawing(d["width"], d["height"], d["ops"])
    except (ValueError, KeyError, TypeError):
        return None


def load_svg(fig: Figure, cache: Path | None = None, use_cache: bool = True) -> Drawing | None:
    """The figure's SVG as a CompiledDrawing (from the cache's drawings area when it was
    made before), as an SvgDrawing when it has text or resources, or None when there is
    none. `cache` is the cache's root."""
    vector = fig.vector
    if vector is None or Path(vector).suffix.lower() != ".svg" or not Path(vector).is_file():
        return None
    data = Path(vector).read_bytes()
    key = hashlib.sha256(_converter_tag().encode() + b"|" + data).hexdigest()[:32]
    entries = area("drawings", cache)
    if use_cache:
        got = _cached(entries, key)
        if got is not None:
            return got
    from svglib.svglib import svg2rlg  # only when a drawing is made: svglib is slow to import

    drawing = svg2rlg(str(vector))
    if drawing is None:
        raise InputError(f"the drawing of chart '{fig.chart_id}' cannot be read",
                         display_path(vector))
    compiled = compile_drawing(drawing)
    if compiled is None:
        return SvgDrawing(drawing)
    entries.put_bytes(key, "json", json.dumps({"width": compiled.width, "height": compiled.height,
                                               "ops": compiled.ops}).encode("utf-8"))
    return compiled
