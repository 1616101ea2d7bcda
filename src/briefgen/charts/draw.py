"""One drawing of a chart serves both outputs: laid out once, labels placed, then saved.

The figure is made with matplotlib's object-oriented API (no pyplot), laid out
once (constrained layout, run without rendering), its value labels placed so no
two meet (`labels`), the layout frozen, then rendered once by Agg for the 300-dpi
PNG (written by Pillow from the canvas), and once as PDF operators (`pdfops`),
which a PDF writer copies into its page as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefgen.charts.bars import bars, hbar
from briefgen.charts.bind import Bound
from briefgen.charts.files import OPS, ChartFont, Drawing
from briefgen.charts.labels import Labels, declutter
from briefgen.charts.lines import bar_line, line
from briefgen.charts.look import house_settings
from briefgen.charts.ops import NO_OPS
from briefgen.charts.pie import pie
from briefgen.config.house import ChartStyle

KINDS: dict[str, Callable[[Any, Bound, ChartStyle], Labels]] = {
    "bar": bars,
    "stacked": bars,
    "hbar": hbar,
    "line": line,
    "bar_line": bar_line,
    "pie": pie,
    "donut": pie,
}


def import_drawing() -> None:
    """Import what drawing needs (matplotlib's figure, Agg and font list; Pillow; the operator
    writer): a helper does it before it is given its charts (`charts.ahead`)."""
    import importlib

    for name in ("matplotlib.figure", "matplotlib.backends.backend_agg", "PIL.Image",
                 "briefgen.charts.pdfops"):
        importlib.import_module(name)
    from matplotlib import font_manager

    assert font_manager.fontManager.ttflist is not None  # the font list, loaded


def figure(b: Bound, style: ChartStyle, size: tuple[float, float]) -> tuple[Any, Labels]:
    """The chart drawn and laid out, its labels placed (call inside `house_settings`)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=style.dpi, layout="constrained")
    FigureCanvasAgg(fig)
    labels = KINDS[b.chart.kind](fig, b, style)
    fig.draw_without_rendering()  # the layout, without painting a pixel
    fig.set_layout_engine("none")  # frozen: the same positions in the PNG and the operators
    declutter(fig, labels)
    return fig, labels


def draw(b: Bound, style: ChartStyle, font: ChartFont, size: tuple[float, float],
         out: Drawing, later: list[Callable[[], None]] | None = None) -> None:
    """Draw a chart into its PNG and its PDF operators.

    With `later`, a drawing that has operators keeps its figure and appends the task
    that writes its PNG (for Word only): the PDF need not wait for it.
    """
    with house_settings(style, font):
        fig, _labels = figure(b, style, size)
        if later is None:
            _save_png(fig, out, style.dpi)
            _save_ops(fig, out)
            return
        if not _save_ops(fig, out):
            _save_png(fig, out, style.dpi)  # the PDF places this PNG
            return

    def png() -> None:
        with house_settings(style, font):
            _save_png(fig, out, style.dpi)

    later.append(png)


def _save_ops(fig: Any, out: Drawing) -> bool:
    """The drawing as PDF operators beside the PNG (the entry says "none" when it needs
    page resources: the PDF writer then places the PNG); whether it has operators."""
    from briefgen.charts.pdfops import figure_ops

    ops = figure_ops(fig)
    data = NO_OPS if ops is None else ops.to_bytes()

    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    out.put(OPS, write)
    return ops is not None


def _save_png(fig: Any, out: Drawing, dpi: int) -> None:
    """The Agg rendering of the figure as a PNG, at the figure's own dpi."""
    from PIL import Image

    fig.canvas.draw()
    rgba = fig.canvas.buffer_rgba()
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), rgba, "raw", "RGBA", 0, 1)
    rgb = image.convert("RGB")
    out.put("png", lambda tmp: rgb.save(tmp, format="PNG", dpi=(dpi, dpi)))
