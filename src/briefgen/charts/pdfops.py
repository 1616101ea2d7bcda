"""A chart as PDF page operators, straight from matplotlib: the PDF vector without svglib.

A small matplotlib renderer writes every path the figure draws (text outlined,
as in the SVG) as PDF operators in points, origin at the bottom left: moves,
lines and curves, fills and strokes in RGB, line widths, caps, joins, dashes and
clips, each path in its own ``q … Q``. Nothing names a page resource (no font,
image or graphics state), so the operators can be copied into any page. A
drawing that would need one (an image, a hatch, transparency) has no operators
(`Unsupported`); the SVG is still there for it.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backend_bases import RendererBase
from matplotlib.path import Path as MplPath

from briefgen.charts.ops import PdfOps

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


class Unsupported(Exception):
    """The drawing needs a page resource: it cannot be plain operators."""


def _n(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _opaque(rgba: Any) -> tuple[float, float, float] | None:
    """An RGB colour; None for a transparent one; Unsupported for a translucent one."""
    r, g, b, *rest = rgba
    alpha = rest[0] if rest else 1.0
    if alpha <= 0:
        return None
    if alpha < 0.999:
        raise Unsupported("transparency")
    return float(r), float(g), float(b)


def path_ops(path: Any, transform: Any) -> list[str]:
    """A path's segments as operators (quadratic curves raised to cubic)."""
    out: list[str] = []
    last = (0.0, 0.0)
    for verts, code in path.iter_segments(transform, remove_nans=True, simplify=False,
                                          curves=True):
        if code == MplPath.MOVETO:
            last = (verts[0], verts[1])
            out.append(f"{_n(verts[0])} {_n(verts[1])} m")
        elif code == MplPath.LINETO:
            last = (verts[0], verts[1])
            out.append(f"{_n(verts[0])} {_n(verts[1])} l")
        elif code == MplPath.CURVE3:
            (qx, qy), (x, y) = (verts[0], verts[1]), (verts[2], verts[3])
            c1 = (last[0] + 2 / 3 * (qx - last[0]), last[1] + 2 / 3 * (qy - last[1]))
            c2 = (x + 2 / 3 * (qx - x), y + 2 / 3 * (qy - y))
            out.append(" ".join(_n(v) for v in (*c1, *c2, x, y)) + " c")
            last = (x, y)
        elif code == MplPath.CURVE4:
            out.append(" ".join(_n(v) for v in verts[:6]) + " c")
            last = (verts[4], verts[5])
        elif code == MplPath.CLOSEPOLY:
            out.append("h")
    return out


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
        ops = ["q", *self._clip(gc)]
        if fill is not None:
            ops.append(f"{_n(fill[0])} {_n(fill[1])} {_n(fill[2])} rg")
        if stroke is not None:
            ops += self._stroke_state(gc, stroke, width)
        ops += path_ops(path, transform)
        ops.append("B" if fill and stroke else "f" if fill else "S")
        ops.append("Q")
        self.ops += ops

    def _stroke_state(self, gc: Any, rgb: tuple[float, float, float], width: float) -> list[str]:
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

    def draw_image(self, gc: Any, x: float, y: float, im: Any, transform: Any = None) -> None:
        raise Unsupported("image")

    def draw_gouraud_triangles(self, gc: Any, triangles_array: Any, colors_array: Any,
                               transform: Any) -> None:
        raise Unsupported("gradient")


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
