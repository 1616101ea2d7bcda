"""The charts stage: chart specs + DataContext in, image files out.

Each chart declared under ``charts:`` in brief.yaml is bound to a table of the
DataContext and checked (`bind`), then drawn once in the house chart style
(`draw`, `look`, one module per kind: `bars`, `lines`, `pie`; value labels placed
so none overlap: `labels`; a cell not published is left out, and `missing` words
the warning and the figure's note) into

* a PNG of at least 300 dpi, for the Word writer, and
* the same drawing as PDF operators, text outlined (`pdfops`), for the PDF writer
  (a drawing that needs a page resource has none: the PDF places its PNG).

Drawings are kept in the cache's ``charts`` area (``cache_dir``: the build passes
the area's folder, never the output folder), verified entries under a content
hash of what decides their look (`files`), so only a chart whose data or style
changed is drawn again. The caption is the title as composed (its {{ }} filled in
from the data, `chart_title`), never drawn into the chart.
matplotlib is imported only when a chart has to be drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.cache import Area, area
from briefgen.charts.bind import Bound, Series, bind_charts
from briefgen.charts.files import (
    DRAWING_VERSION,
    OPS,
    ChartFont,
    Drawing,
    chart_hash,
    drawing_files,
    resolve_chart_font,
)
from briefgen.charts.missing import missing_note, missing_warnings
from briefgen.charts.ops import PdfOps
from briefgen.config.brief import ChartSpec, Spec
from briefgen.config.house import ChartStyle, House
from briefgen.data import DataContext
from briefgen.errors import BriefError
from briefgen.model import Figure

__all__ = [
    "DRAWING_VERSION", "DRAWN", "BriefError", "Bound", "ChartFont", "PdfOps", "Planned",
    "Series", "bind_charts", "chart_hash", "chart_title", "draw_charts", "pdf_operators",
    "plan", "resolve_chart_font",
]

# Chart ids drawn (not taken from the cache) in this process, in order: for tests and logs.
DRAWN: list[str] = []


def chart_title(chart: ChartSpec, texts: Mapping[str, str]) -> str:
    """The chart's title as composed (`Composition.texts`, its {{ }} filled in); as typed
    when it was not composed."""
    return texts.get(f"chart:{chart.id}:title", chart.title)


def draw_charts(
    spec: Spec,
    data: DataContext,
    order: Sequence[str],
    cache_dir: Path | None,
    use_cache: bool = True,
    texts: Mapping[str, str] | None = None,
    warnings: list[str] | None = None,
    later: list[Callable[[], None]] | None = None,
    ahead: Collection[str] = (),
) -> dict[str, Figure]:
    """Draw the placed charts; return a Figure per chart id, numbered by `order`.

    Every declared chart is checked against the data first, placed or not, so a
    bad column fails before anything is drawn or written. Captions are the titles
    as composed (`texts`: Composition.texts); a placed chart that leaves out a cell
    not published adds a line to `warnings` per cell, and a note to its figure.
    With `later`, the PNGs only Word needs are written by the tasks appended to it
    (`draw.draw`): run them all before a figure's PNG is read. The charts in `ahead` are
    being drawn by a helper (`charts.ahead`): their files are not looked at here.
    """
    bound = bind_charts(spec, data)
    if not order:
        return {}
    font = resolve_chart_font(spec.house)
    folder = cache_dir if cache_dir is not None else area("charts").folder
    titles = texts or {}
    figures = {chart_id: _figure(spec, bound[chart_id], number, font, folder, use_cache,
                                 chart_title(bound[chart_id].chart, titles), later, ahead)
               for number, chart_id in enumerate(order, start=1)}
    _warn_missing(bound, figures, warnings)
    return figures


def _warn_missing(bound: Mapping[str, Bound], figures: Mapping[str, Figure],
                  warnings: list[str] | None) -> None:
    """A warning per cell a placed chart leaves out, in the order the charts are placed."""
    if warnings is None:
        return
    for chart_id, figure in figures.items():
        warnings += missing_warnings(bound[chart_id], figure.number)


@dataclass(frozen=True)
class Planned:
    """Where one chart's drawing is kept and how large it is drawn."""

    bound: Bound
    files: Drawing
    width: float  # the share of the text width
    aspect: float
    size: tuple[float, float]  # inches

    def draw(self, style: ChartStyle, font: ChartFont,
             later: list[Callable[[], None]] | None = None) -> None:
        from briefgen.charts.draw import draw

        draw(self.bound, style, font, self.size, self.files, later)
        DRAWN.append(self.bound.chart.id)


def plan(house: House, b: Bound, font: ChartFont, folder: Path) -> Planned:
    """The chart's drawing files (named by its content hash) and its size."""
    style, chart = house.chart, b.chart
    width = chart.width if chart.width is not None else style.width_ratio
    aspect = chart.aspect if chart.aspect is not None else style.aspect
    text_width_mm = house.page.text_width_mm
    files = drawing_files(folder, chart.id, chart_hash(b, style, text_width_mm, font))
    size = (text_width_mm * width / 25.4, text_width_mm * width * aspect / 25.4)
    return Planned(b, files, width, aspect, size)


def _figure(spec: Spec, b: Bound, number: int, font: ChartFont, folder: Path,
            use_cache: bool, caption: str, later: list[Callable[[], None]] | None,
            ahead: Collection[str]) -> Figure:
    """One placed chart: drawn unless its drawing is in the cache or a helper draws it
    (`ahead`: the ids of those)."""
    house = spec.house
    planned = plan(house, b, font, folder)
    if b.chart.id not in ahead and not (use_cache and planned.files.exists()):
        planned.draw(house.chart, font, later)
    return Figure(
        chart_id=b.chart.id,
        number=number,
        caption=caption,
        png=planned.files.png,
        ops=planned.files.ops,
        source=_source(b.chart, house.source_label),
        note=missing_note(b, house),
        width_ratio=planned.width,
        aspect=planned.aspect,
    )


def _source(chart: ChartSpec, label: str) -> str:
    source = chart.source.strip()
    if source and not source.startswith(label):
        source = label + source
    return source


def pdf_operators(figure: Figure) -> PdfOps | None:
    """A drawn chart as PDF operators (`PdfOps`: width and height in points, the operators),
    to copy into a PDF page as they are; None when its drawing has none (its PNG then)."""
    if figure.ops is None:
        return None
    entry = Area("charts", figure.ops.parent).get(figure.ops.name.removesuffix(f".{OPS}"), OPS)
    return PdfOps.load(entry) if entry is not None else None
