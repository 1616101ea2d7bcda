"""A chart as PDF page operators, straight from matplotlib: the PDF vector without svglib.

A small matplotlib renderer writes every path the figure draws (text outlined)
as PDF operators in points, origin at the bottom left (a text's outline in font
units under a ``cm``, kept per text and font): moves,
lines and curves, fills and strokes in RGB, line widths, caps, joins, dashes and
clips, each path in its own ``q … Q``. Nothing names a page resource (no font,
image or graphics state), so the operators can be copied into any page. A
drawing that would need one (an image, a hatch, transparency) has no operators
(`Unsupported`); the PDF writer places its PNG instead.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.backend_bases import RendererBase
from matplotlib.path import Path as MplPath
from matplotlib.transforms import IdentityTransform

from briefgen.charts.ops import PdfOps

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


class Unsupported(Exception):
    """The drawing needs a page resource: it cannot be plain operators."""


def _n(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


RGB = tuple[float, float, float]


def _opaque(rgba: Any) -> RGB | None:
    """An RGB colour; None for a transparent one; Unsupported for a translucent one."""
    r, g, b, *rest = rgba
    alpha = rest[0] if rest else 1.0
    if alpha <= 0:
        return None
    if alpha < 0.999:
        raise Unsupported("transparency")
    return float(r), float(g), float(b)


Point = tuple[float, float]


def _move(v: Any, last: Point) -> tuple[str, Point]:
    return f"{_n(v[0])} {_n(v[1])} m", (v[0], v[1])


def _line(v: Any, last: Point) -> tuple[str, Point]:
    return f"{_n(v[0])} {_n(v[1])} l", (v[0], v[1])


def _quadratic(v: Any, last: Point) -> tuple[str, Point]:
    """A quadratic curve raised to the cubic PDF draws."""
    (qx, qy), (x, y) = (v[0], v[1]), (v[2], v[3])
    c1 = (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]))
    c2 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
    return " ".join(_n(p) for p in (*c1, *c2, x, y)) + " c", (x, y)


def _cubic(v: Any, last: Point) -> tuple[str, Point]:
    return " ".join(_n(p) for p in v[:6]) + " c", (v[4], v[5])


def _close(v: Any, last: Point) -> tuple[str, Point]:
    return "h", last


_SEGMENTS = {MplPath.MOVETO: _move, MplPath.LINETO: _line, MplPath.CURVE3: _quadratic,
             MplPath.CURVE4: _cubic, MplPath.CLOSEPOLY: _close}


def path_ops(path: Any, transform: Any) -> list[str]:
    """A path's segments as operators (quadratic curves raised to cubic)."""
    out: list[str] = []
    last: Point = (0.0, 0.0)
    for verts, code in path.iter_segments(transform, remove_nans=True, simplify=False,
                                          curves=True):
        segment = _SEGMENTS.get(code)
        if segment is not None:
            op, last = segment(verts, last)
            out.append(op)
    return out


# How a path is painted: by whether it is filled and whether it is stroked.
_PAINT = {(True, True): "B", (True, False): "f", (False, True): "S"}


class OpsRenderer(RendererBase):
    """Collects the operators of a figure drawn at 72 dpi (one pixel is one point)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width, self.height = width, height
        self.ops: list[str] = []

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: Any) -> Any:
        return points

    def flipy(self) -> bool:
        return False

    def draw_path(self, gc: Any, path: Any, transform: Any, rgbFace: Any = None) -> None:
        if gc.get_hatch() is not None:
            raise Unsupported("hatch")
        fill = _opaque(rgbFace) if rgbFace is not None else None
        width = gc.get_linewidth()
        stroke = _opaque(gc.get_rgb()) if width > 0 else None
        if fill is None and stroke is None:
            return
        self.ops += ["q", *self._clip(gc), *self._paint_state(gc, fill, stroke, width),
                     *path_ops(path, transform), _PAINT[(fill is not None, stroke is not None)],
                     "Q"]

    def _paint_state(self, gc: Any, fill: RGB | None, stroke: RGB | None,
                     width: float) -> list[str]:
        ops = [f"{_n(fill[0])} {_n(fill[1])} {_n(fill[2])} rg"] if fill is not None else []
        if stroke is not None:
            ops += self._stroke_state(gc, stroke, width)
        return ops

    def _stroke_state(self, gc: Any, rgb: RGB, width: float) -> list[str]:
        ops = [f"{_n(rgb[0])} {_n(rgb[1])} {_n(rgb[2])} RG", f"{_n(width)} w",
               f"{_CAPS.get(gc.get_capstyle(), 0)} J", f"{_JOINS.get(gc.get_joinstyle(), 0)} j"]
        offset, dashes = gc.get_dashes()
        if dashes:
            ops.append(f"[{' '.join(_n(d) for d in dashes)}] {_n(offset or 0)} d")
        return ops

    def _clip(self, gc: Any) -> list[str]:
        ops = []
        rect = gc.get_clip_rectangle()
        if rect is not None:
            x, y, w, h = rect.bounds
            ops.append(f"{_n(x)} {_n(y)} {_n(w)} {_n(h)} re W n")
        tpath, affine = gc.get_clip_path()
        if tpath is not None:
            ops += [*path_ops(tpath, affine), "W n"]
        return ops

    def draw_text(self, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
                  ismath: Any = False, mtext: Any = None) -> None:
        """Text as its outline, filled: the outline in font units, kept per text and font
        (`_outline`), placed by a ``cm``: a label drawn again costs no outline again."""
        if ismath or gc.get_hatch() is not None:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return
        fill = _opaque(gc.get_rgb())
        if fill is None:
            return
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        outline = _outline(self._text2path, prop, s, features, language)
        if not outline:
            return
        size = self.points_to_pixels(prop.get_size_in_points()) / self._text2path.FONT_SCALE
        turn = math.radians(angle)
        a, b = size * math.cos(turn), size * math.sin(turn)
        self.ops += ["q", *self._clip(gc), f"{_n(fill[0])} {_n(fill[1])} {_n(fill[2])} rg",
                     f"{_n(a)} {_n(b)} {_n(-b)} {_n(a)} {_n(x)} {_n(y)} cm", outline, "f", "Q"]

    def draw_image(self, gc: Any, x: float, y: float, im: Any, transform: Any = None) -> None:
        raise Unsupported("image")

    def draw_gouraud_triangles(self, gc: Any, triangles_array: Any, colors_array: Any,
                               transform: Any) -> None:
        raise Unsupported("gradient")


# A text's outline operators in font units, by font and text: the preview draws the same
# tick labels and legends at every edit, and its helpers inherit what it has outlined.
_OUTLINES: dict[tuple[Any, ...], str] = {}
_MOST_OUTLINES = 4096


def _outline(text2path: Any, prop: Any, s: str, features: Any, language: Any) -> str:
    key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
           prop.get_stretch(), prop.get_file(), s,
           tuple(features) if features else None, language)
    found = _OUTLINES.get(key)
    if found is None:
        verts, codes = text2path.get_text_path(prop, s, features=features, language=language)
        found = " ".join(path_ops(MplPath(verts, codes), IdentityTransform())) if len(verts) else ""
        if len(_OUTLINES) >= _MOST_OUTLINES:
            _OUTLINES.clear()
        _OUTLINES[key] = found
    return found


def figure_ops(fig: Any) -> PdfOps | None:
    """The figure (laid out, layout engine off) as operators; None if it needs resources."""
    dpi = fig.dpi
    width, height = fig.get_figwidth() * 72, fig.get_figheight() * 72
    fig.set_dpi(72)
    try:
        renderer = OpsRenderer(width, height)
        fig.draw(renderer)
        return PdfOps(width, height, "\n".join(renderer.ops))
    except Unsupported:
        return None
    finally:
        fig.set_dpi(dpi)
