"""Charts drawn ahead: a helper process draws the charts the cache lacks while the build
composes, parses and checks its text.

A chart's drawing depends on its data and the house's chart style only (its caption
is composed text, set by the writers), so it can start as soon as the data is
loaded. `start_drawing` binds the declared charts (a bad column is still one error
naming brief.yaml, raised here), and forks a helper (`briefgen.forking`) that draws
every one whose drawing is not in the cache: operators first, then the PNGs. The
build goes on with `draw_charts(..., ahead=ahead.charts)`, which names the files
without waiting; `ChartsAhead.ops_ready` (for the PDF) and `ready` (for the .docx) wait
before a writer reads them, and draw here whatever the helper did not leave whole, so a
drawing's error is raised in the build.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from briefgen.cache import area
from briefgen.charts import Planned, bind_charts, plan, resolve_chart_font
from briefgen.charts.files import ChartFont
from briefgen.config.brief import Spec
from briefgen.config.house import ChartStyle
from briefgen.data import DataContext
from briefgen.forking import Helper, helpers_allowed, report, start_helper

# The helper's reports: every drawing's operators are in the cache; every drawing is.
OPS_DONE, ALL_DONE = "ops", "all"


class ChartsAhead:
    """The charts a helper is drawing (`charts`: their ids), and the wait for them."""

    def __init__(self, helper: Helper, todo: list[Planned], style: ChartStyle | None = None,
                 font: ChartFont | None = None) -> None:
        self.helper = helper
        self.todo = todo
        self.style = style
        self.font = font
        self.charts = frozenset(p.bound.chart.id for p in todo)
        self.ops_seen = False

    def ops_ready(self, placed: Collection[str]) -> None:
        """Wait until the helper has every drawing's operators (or its PNG, for a drawing
        without any): what the PDF reads; draw here each placed chart it did not leave."""
        if not self.todo or self.ops_seen:
            return
        self.ops_seen = self.helper.wait_for(OPS_DONE)  # its report is read once
        for planned in self.todo:
            if planned.bound.chart.id in placed and not planned.files.has_ops():
                self.ready(placed)
                return

    def ready(self, placed: Collection[str]) -> None:
        """Wait until the helper has drawn every chart whole (from any process forked from
        the build: the .docx's helper waits here too); draw here each placed chart it did
        not leave whole."""
        if not self.todo:
            return
        self.helper.wait_for(ALL_DONE)
        for planned in self.todo:
            if planned.bound.chart.id in placed and not planned.files.exists():
                assert self.style is not None and self.font is not None
                planned.draw(self.style, self.font)
        self.todo = []

    def stop(self) -> None:
        """The build failed: stop the helper (its finished drawings stay in the cache)."""
        self.helper.join(0)
        self.todo = []


NOTHING = ChartsAhead(Helper(None), [])


def start_drawing(spec: Spec, data: DataContext, cache_dir: Path | None,
                  use_cache: bool, drawer: Helper | None = None) -> ChartsAhead:
    """Have a helper draw the declared charts the cache lacks (see the module's docstring):
    `drawer` when it is waiting (`forking.start_waiting`, forked at the build's start: it
    imported the drawing code while the build imported its own), else one forked now. NOTHING when
    none is missing or no helper may be forked."""
    if not spec.brief.charts or not use_cache or not helpers_allowed():
        return NOTHING
    house = spec.house
    font = resolve_chart_font(house)
    folder = cache_dir if cache_dir is not None else area("charts").folder
    todo = [planned for b in bind_charts(spec, data).values()
            if not (planned := plan(house, b, font, folder)).files.exists()]
    if not todo:
        return NOTHING
    if drawer is not None and drawer.waiting:
        drawer.submit(_draw_all, todo, house.chart, font)
        return ChartsAhead(drawer, todo, house.chart, font)
    return ChartsAhead(start_helper(lambda: _draw_all(todo, house.chart, font)), todo,
                   house.chart, font)


def _draw_all(todo: list[Planned], style: ChartStyle, font: ChartFont) -> None:
    """Each chart's operators (the PDF's), then the PNGs (Word's)."""
    later: list[Callable[[], None]] = []
    for planned in todo:
        planned.draw(style, font, later)
    report(OPS_DONE)
    for png in later:
        png()
    report(ALL_DONE)
