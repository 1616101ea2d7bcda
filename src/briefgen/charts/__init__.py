"""The charts stage: chart specs + DataContext in, image files out.

Each chart declared under ``charts:`` in brief.yaml is bound to a table of the
DataContext, checked (a table or column that does not exist is one clear error
naming brief.yaml, its line, the chart and the column), and drawn by matplotlib
in the house chart style as

* a PNG of at least 300 dpi, for the Word writer, and
* an SVG whose text is outlined (``svg.fonttype='path'``), for the PDF writer,
  which draws it as vector graphics through svglib.

Drawings are cached in ``cache_dir`` (the build passes the user's cache folder,
never the output folder) under a content hash of what decides their look: the
chart spec, the bound data values, the house chart style, the font file and the
matplotlib version. matplotlib is imported only when a chart has to be drawn.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from briefgen.config.brief import ChartSpec, Spec
from briefgen.config.house import ChartStyle, House
from briefgen.config.yamlpos import line_of
from briefgen.data import DataContext, DataTable, plain_number
from briefgen.errors import BriefError, display_path
from briefgen.model import Figure

# Bump when the drawing code changes how a chart looks, so cached drawings are redrawn.
DRAWING_VERSION = "3"

# Chart ids drawn (not taken from the cache) in this process, in order: for tests and logs.
DRAWN: list[str] = []


# ---- binding a chart to its data ---------------------------------------------------------


@dataclass(frozen=True)
class Series:
    column: str
    label: str  # the column's label from tables.yaml, for legends
    unit: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Bound:
    """A chart's data: category labels and the series drawn over them."""

    chart: ChartSpec
    categories: tuple[str, ...]
    keys: tuple[str, ...]  # the rows' keys, for highlight
    series: tuple[Series, ...]  # bars, slices or lines
    line: Series | None  # bar_line: the series on the second axis
    unit: str
    unit2: str

    def payload(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "keys": list(self.keys),
            "series": [
                [s.column, s.label, s.unit, list(s.values)]
                for s in (*self.series, *([self.line] if self.line else []))
            ],
            "unit": self.unit,
            "unit2": self.unit2,
        }


def bind_charts(spec: Spec, data: DataContext) -> dict[str, Bound]:
    """Check every declared chart against the data and bind it; errors name brief.yaml."""
    return {chart.id: _bind(spec, data, i, chart) for i, chart in enumerate(spec.brief.charts)}


def _bind(spec: Spec, data: DataContext, i: int, chart: ChartSpec) -> Bound:
    def fail(message: str, key: tuple[str | int, ...], hint: str = "") -> BriefError:
        line = line_of(spec.lines, ("charts", i, *key))
        return BriefError(f"chart '{chart.id}': {message}", spec.brief_file, line, hint=hint)

    if chart.table not in data.tables:
        known = ", ".join(name for name, _ in data.tables.items()) or "none"
        raise fail(
            f"table '{chart.table}' does not exist",
            ("table",),
            hint=f"tables in {display_path(data.folder / 'tables.yaml')}: {known}",
        )
    table: DataTable = data.tables[chart.table]

    def column(name: str, key: tuple[str | int, ...], numeric: bool) -> str:
        if name not in table.spec.columns:
            raise fail(
                f"table '{chart.table}' has no column '{name}'",
                key,
                hint=f"its columns: {', '.join(table.columns)}",
            )
        if numeric and table.spec.columns[name].type == "text":
            raise fail(f"column '{name}' of table '{chart.table}' is text, not numbers", key)
        return name

    column(chart.x, ("x",), numeric=False)
    y_key = (lambda j: ("y", j)) if len(chart.y) > 1 or ("charts", i, "y", 0) in spec.lines else (
        lambda j: ("y",)
    )
    ys = [column(name, y_key(j), numeric=True) for j, name in enumerate(chart.y)]
    y2 = column(chart.y2, ("y2",), numeric=True) if chart.y2 else None
    if chart.kind == "bar_line" and y2 is None:
        raise fail("a bar_line chart needs 'y2', the column drawn as a line", ("kind",))
    if chart.kind != "bar_line" and y2 is not None:
        raise fail(f"'y2' is only for bar_line charts, not {chart.kind}", ("y2",))
    if chart.kind in ("pie", "donut", "bar_line") and len(ys) != 1:
        raise fail(f"a {chart.kind} chart takes one 'y' column, not {len(ys)}", ("y",))

    rows = list(table.rows)
    if chart.rows is not None:
        by_key = {r.key: r for r in table.rows}
        for j, key in enumerate(chart.rows):
            if key not in by_key:
                raise fail(
                    f"table '{chart.table}' has no row '{key}'",
                    ("rows", j),
                    hint=f"its rows: {'、'.join(by_key)}",
                )
        rows = [by_key[key] for key in chart.rows]
    keys = {r.key for r in rows}
    for j, key in enumerate(chart.highlight):
        if key not in keys:
            raise fail(f"highlight names row '{key}', which the chart does not draw", ("highlight", j))
    if chart.sort != "none":
        rows.sort(key=lambda r: r[ys[0]].number(), reverse=chart.sort == "desc")
    if not rows:
        raise fail("no rows to draw", ("rows",))

    def series(name: str) -> Series:
        cspec = table.spec.columns[name]
        return Series(name, cspec.label, cspec.unit, tuple(r[name].number() for r in rows))

    bars = tuple(series(name) for name in ys)
    line = series(y2) if y2 else None
    if chart.kind in ("pie", "donut"):
        values = bars[0].values
        if any(v < 0 for v in values) or sum(values) <= 0:
            raise fail(f"a {chart.kind} chart needs parts that are not negative", ("y",))
    return Bound(
        chart=chart,
        categories=tuple(_label(r[chart.x].value) for r in rows),
        keys=tuple(r.key for r in rows),
        series=bars,
        line=line,
        unit=chart.unit or bars[0].unit,
        unit2=chart.unit2 or (line.unit if line else ""),
    )


def _label(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return plain_number(float(value))
    return str(value)


# ---- the font ------------------------------------------------------------------------------


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
        raise BriefError(
            f"chart font role '{role}' is not defined under 'fonts'",
            display_path(house.folder / "house.yaml"),
            hint=f"set chart.font to one of: {', '.join(house.fonts)}",
        )
    found = resolve_font_file(house, role)
    return ChartFont(Path(found.path), int(found.face_index))


# ---- cache ----------------------------------------------------------------------------------


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
        "matplotlib": package_version("matplotlib"),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _atomic_save(fig: Any, path: Path, **kwargs: Any) -> None:
    from briefgen.fsio import atomic_output

    with atomic_output(path, "the chart cache", "set BRIEFGEN_CACHE to a folder you can write to") as tmp:
        fig.savefig(tmp, **kwargs)


# ---- the stage --------------------------------------------------------------------------------


def draw_charts(
    spec: Spec,
    data: DataContext,
    order: Sequence[str],
    cache_dir: Path | None,
    use_cache: bool = True,
) -> dict[str, Figure]:
    """Draw the placed charts; return a Figure per chart id, numbered by `order`.

    Every declared chart is checked against the data first, placed or not, so a
    bad column fails before anything is drawn or written.
    """
    bound = bind_charts(spec, data)
    if not order:
        return {}
    house = spec.house
    style = house.chart
    font = resolve_chart_font(house)
    if cache_dir is None:
        from briefgen.cache import cache_root

        cache_dir = cache_root() / "charts"
    folder = cache_dir  # made, if need be, by the first drawing written into it
    text_width_mm = house.page.text_width_mm
    figures: dict[str, Figure] = {}
    for number, chart_id in enumerate(order, start=1):
        b = bound[chart_id]
        chart = b.chart
        width = chart.width if chart.width is not None else style.width_ratio
        aspect = chart.aspect if chart.aspect is not None else style.aspect
        digest = chart_hash(b, style, text_width_mm, font)[:20]
        png = folder / f"{chart_id}-{digest}.png"
        svg = folder / f"{chart_id}-{digest}.svg"
        if not (use_cache and png.exists() and svg.exists()):
            size = (text_width_mm * width / 25.4, text_width_mm * width * aspect / 25.4)
            _draw(b, style, font, size, png, svg)
            DRAWN.append(chart_id)
        source = chart.source.strip()
        if source and not source.startswith(house.source_label):
            source = house.source_label + source
        figures[chart_id] = Figure(
            chart_id=chart_id,
            number=number,
            caption=chart.title,
            png=png,
            vector=svg,
            source=source,
            width_ratio=width,
            aspect=aspect,
        )
    return figures


# ---- drawing --------------------------------------------------------------------------------


def _hex(color: str) -> str:
    return "#" + color.lstrip("#")


def _lightness(color: str) -> float:
    c = color.lstrip("#")
    r, g, b = (int(c[k : k + 2], 16) / 255 for k in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def _fmt(value: float, decimals: int | None, unit: str = "") -> str:
    text = plain_number(round(value, decimals)) if decimals is not None else plain_number(value)
    if decimals is not None and "." not in text and decimals > 0:
        text = f"{value:.{decimals}f}"
    return text + ("%" if unit == "%" else "")


@contextmanager
def _matplotlib(style: ChartStyle, font: ChartFont) -> Iterator[Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    family = _family(font_manager, font)
    rc = {
        "font.family": [family, "DejaVu Sans"],
        "font.size": style.font_size_pt,
        "axes.unicode_minus": False,
        "axes.linewidth": style.axis_width_pt,
        "axes.edgecolor": _hex(style.axis_color),
        "axes.labelcolor": _hex(style.text_color),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": style.title_size_pt,
        "xtick.color": _hex(style.axis_color),
        "ytick.color": _hex(style.axis_color),
        "xtick.labelcolor": _hex(style.text_color),
        "ytick.labelcolor": _hex(style.text_color),
        "xtick.labelsize": style.font_size_pt,
        "ytick.labelsize": style.font_size_pt,
        "xtick.major.width": style.axis_width_pt,
        "ytick.major.width": style.axis_width_pt,
        "text.color": _hex(style.text_color),
        "legend.frameon": False,
        "legend.fontsize": style.font_size_pt,
        "lines.linewidth": style.line_width_pt,
        "svg.fonttype": "path",
        "svg.hashsalt": "briefgen",
        "figure.dpi": 100,
        "savefig.dpi": style.dpi,
        "savefig.facecolor": "white",
    }
    # matplotlib warns when a face's weight is not exactly "normal"; the face is still right.
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(rc):
            yield plt
    finally:
        logger.setLevel(level)


def _family(font_manager: Any, font: ChartFont) -> str:
    """The family name matplotlib knows the font file by (registering it if needed)."""
    wanted = str(font.path.resolve())

    def lookup() -> str | None:
        for entry in font_manager.fontManager.ttflist:
            if str(Path(entry.fname).resolve()) == wanted and int(getattr(entry, "index", 0) or 0) == font.index:
                return entry.name
        return None

    name = lookup()
    if name is None:
        font_manager.fontManager.addfont(str(font.path))
        name = lookup()
    if name is None:  # a collection face matplotlib did not list; take the file's first name
        name = font_manager.FontProperties(fname=str(font.path)).get_name()
    return name


def _draw(b: Bound, style: ChartStyle, font: ChartFont, size: tuple[float, float], png: Path, svg: Path) -> None:
    with _matplotlib(style, font) as plt:
        fig = plt.figure(figsize=size, layout="constrained")
        try:
            kind = b.chart.kind
            if kind in ("pie", "donut"):
                _pie(fig, b, style)
            elif kind == "bar_line":
                _bar_line(fig, b, style)
            elif kind == "line":
                _line(fig, b, style)
            elif kind == "hbar":
                _hbar(fig, b, style)
            else:
                _bars(fig, b, style, stacked=kind == "stacked")
            _atomic_save(fig, svg, format="svg", metadata={"Date": None})
            _atomic_save(fig, png, format="png", dpi=style.dpi, metadata={"Software": None})
        finally:
            plt.close(fig)


def _colors(style: ChartStyle, n: int) -> list[str]:
    return [_hex(style.palette[i % len(style.palette)]) for i in range(n)]


def _edge(style: ChartStyle, color: str) -> str:
    """Very light fills get a hairline edge so they stand out from the white page."""
    return _hex(style.axis_color) if _lightness(color) > 0.8 else color


def _value_axis(ax: Any, style: ChartStyle, axis: str = "y") -> None:
    ax.grid(axis=axis, color=_hex(style.grid_color), linewidth=style.grid_width_pt)
    ax.set_axisbelow(True)


def _unit(ax: Any, unit: str, side: str = "left") -> None:
    """The unit over the value axis, as Chinese charts print it (亿元, %)."""
    if not unit:
        return
    x, ha = (0, "right") if side == "left" else (1, "left")
    ax.annotate(
        unit,
        xy=(x, 1),
        xycoords="axes fraction",
        xytext=(0, 6),
        textcoords="offset points",
        ha=ha,
        va="bottom",
    )


def _wrap(label: str, max_chars: int) -> str:
    """Break a long category label into lines (characters of Chinese, words of Latin)."""
    if max_chars < 2 or len(label) <= max_chars:
        return label
    if " " in label:
        words, lines, cur = label.split(), [], ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > max_chars:
                lines.append(cur)
                cur = w
            else:
                cur = f"{cur} {w}" if cur else w
        return "\n".join([*lines, cur])
    n = -(-len(label) // max_chars)
    per = -(-len(label) // n)
    return "\n".join(label[k : k + per] for k in range(0, len(label), per))


def _slot_chars(fig: Any, n: int, style: ChartStyle) -> int:
    width_pt = fig.get_figwidth() * 72 * 0.85  # the plot, without the axis labels
    return max(2, int(width_pt / max(n, 1) / style.font_size_pt))


def _legend(fig: Any, handles: list[Any], labels: list[str]) -> None:
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4),
               handlelength=1.6, columnspacing=1.6)


def _bars(fig: Any, b: Bound, style: ChartStyle, stacked: bool) -> None:
    import numpy as np

    ax = fig.add_subplot()
    n = len(b.categories)
    x = np.arange(n)
    k = len(b.series)
    colors = _colors(style, k)
    handles = []
    if stacked:
        pos = np.zeros(n)
        neg = np.zeros(n)
        for s, color in zip(b.series, colors, strict=True):
            vals = np.array(s.values)
            bottom = np.where(vals >= 0, pos, neg)
            bars = ax.bar(x, vals, style.bar_width, bottom=bottom, color=color,
                          edgecolor="white", linewidth=0.6, label=s.label)
            handles.append(bars)
            if b.chart.labels:
                text = "#ffffff" if _lightness(color) < 0.55 else _hex(style.text_color)
                labels = [_fmt(v, b.chart.decimals) if abs(v) >= _min_inside(ax, vals) else ""
                          for v in vals]
                ax.bar_label(bars, labels=labels, label_type="center", color=text,
                             fontsize=style.label_size_pt)
            pos = pos + np.where(vals >= 0, vals, 0)
            neg = neg + np.where(vals < 0, vals, 0)
        # Totals over the stacks; with negative parts a stack has no single top to mark.
        if b.chart.labels and k > 1 and not neg.any():
            for xi, total in zip(x, pos, strict=True):
                ax.annotate(_fmt(float(total), b.chart.decimals), (xi, float(max(total, 0))),
                            xytext=(0, 3), textcoords="offset points", ha="center", va="bottom",
                            fontsize=style.label_size_pt)
    else:
        handles = _grouped(ax, ax.bar, x, b, style, colors, padding=2)
    ax.set_xticks(x, [_wrap(c, _slot_chars(fig, n, style)) for c in b.categories])
    ax.tick_params(axis="x", length=0)
    ax.margins(y=0.14)
    if any(v < 0 for s in b.series for v in s.values):
        ax.axhline(0, color=_hex(style.axis_color), linewidth=style.axis_width_pt)
    else:
        ax.set_ylim(bottom=0)
    _value_axis(ax, style)
    _unit(ax, b.unit)
    if k > 1:
        _legend(fig, handles, [s.label for s in b.series])


def _grouped(ax: Any, draw: Any, slots: Any, b: Bound, style: ChartStyle, colors: list[str],
             padding: float) -> list[Any]:
    """Side-by-side bars, one set per series (`draw` is ax.bar or ax.barh)."""
    k = len(b.series)
    thickness = style.bar_width / k
    handles = []
    for j, (s, color) in enumerate(zip(b.series, colors, strict=True)):
        offset = (j - (k - 1) / 2) * thickness
        fill = _fills(b, style, color, k)
        bars = draw(slots + offset, s.values, thickness * (0.92 if k > 1 else 1), color=fill,
                    edgecolor=[_edge(style, c) for c in fill], linewidth=0.5, label=s.label)
        handles.append(bars)
        if b.chart.labels:
            ax.bar_label(bars, labels=[_fmt(v, b.chart.decimals) for v in s.values],
                         padding=padding, fontsize=style.label_size_pt)
    return handles


def _fills(b: Bound, style: ChartStyle, color: str, k: int) -> list[str]:
    """A colour per bar: with one series, rows not highlighted are muted."""
    highlight = set(b.chart.highlight)
    if k == 1 and highlight:
        return [color if key in highlight else _hex(style.muted) for key in b.keys]
    return [color] * len(b.keys)


def _min_inside(ax: Any, vals: Any) -> float:
    """Segments thinner than this get no label inside them (it would not fit)."""
    import numpy as np

    top = float(np.max(np.abs(vals))) if len(vals) else 0
    return top * 0.06


def _hbar(fig: Any, b: Bound, style: ChartStyle) -> None:
    import numpy as np

    ax = fig.add_subplot()
    n = len(b.categories)
    y = np.arange(n)
    k = len(b.series)
    colors = _colors(style, k)
    handles = _grouped(ax, ax.barh, y, b, style, colors, padding=3)
    ax.set_yticks(y, list(b.categories))
    ax.invert_yaxis()  # the first row on top
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.12)
    if any(v < 0 for s in b.series for v in s.values):
        ax.axvline(0, color=_hex(style.axis_color), linewidth=style.axis_width_pt)
    else:
        ax.set_xlim(left=0)
    _value_axis(ax, style, "x")
    if b.unit:
        ax.set_xlabel(b.unit, loc="right")
    if k > 1:
        _legend(fig, handles, [s.label for s in b.series])


def _line(fig: Any, b: Bound, style: ChartStyle) -> None:
    import numpy as np

    ax = fig.add_subplot()
    n = len(b.categories)
    x = np.arange(n)
    colors = _colors(style, len(b.series))
    handles = []
    for j, (s, color) in enumerate(zip(b.series, colors, strict=True)):
        (h,) = ax.plot(x, s.values, color=color, linestyle=style.dashes[j % len(style.dashes)],
                       marker=style.markers[j % len(style.markers)], markersize=4,
                       markerfacecolor=color, markeredgecolor=color, label=s.label)
        handles.append(h)
    if b.chart.labels and len(b.series) <= 2:
        for s, sides in zip(b.series, _label_sides(b.series), strict=True):
            for xi, v, above in zip(x, s.values, sides, strict=True):
                ax.annotate(_fmt(v, b.chart.decimals, b.unit), (xi, v),
                            xytext=(0, 5 if above else -6), textcoords="offset points",
                            ha="center", va="bottom" if above else "top",
                            fontsize=style.label_size_pt, color=_hex(style.text_color))
    ax.set_xticks(x, [_wrap(c, _slot_chars(fig, n, style)) for c in b.categories])
    ax.margins(x=0.06, y=0.16)
    _value_axis(ax, style)
    _unit(ax, b.unit)
    if len(b.series) > 1:
        _legend(fig, handles, [s.label for s in b.series])


def _label_sides(series: Sequence[Series]) -> list[list[bool]]:
    """For each point, whether its label goes above it (True) or below.

    A label goes on the outside of the bend (above a peak, below a trough), so the
    line does not run through it; where two series meet, the higher one's label goes
    above and the lower one's below.
    """
    sides = []
    for s in series:
        v = s.values
        row = []
        for i, y in enumerate(v):
            neighbours = [v[k] for k in (i - 1, i + 1) if 0 <= k < len(v)]
            row.append(not neighbours or y >= sum(neighbours) / len(neighbours))
        sides.append(row)
    if len(series) == 2:
        every = [y for s in series for y in s.values]
        close = (max(every) - min(every)) * 0.12
        for i, (a, b) in enumerate(zip(series[0].values, series[1].values, strict=True)):
            if abs(a - b) <= close:
                sides[0][i], sides[1][i] = a >= b, a < b
    return sides


def _bar_line(fig: Any, b: Bound, style: ChartStyle) -> None:
    """Bars for a value on the left axis and a line for its growth on the right one.

    The bars keep the lower part of the plot and the line the upper band, so the
    numbers on the bars and on the points never sit on each other.
    """
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    assert b.line is not None
    ax = fig.add_subplot()
    n = len(b.categories)
    x = np.arange(n)
    bar_color, line_color = _colors(style, 3)[0], _colors(style, 3)[2]
    s = b.series[0]
    bars = ax.bar(x, s.values, style.bar_width, color=bar_color, edgecolor=bar_color,
                  linewidth=0.5, label=_legend_label(s.label, b.unit))
    if b.chart.labels:
        ax.bar_label(bars, labels=[_fmt(v, b.chart.decimals) for v in s.values], padding=2,
                     fontsize=style.label_size_pt)
    lo_bar = min(0.0, *s.values)
    hi_bar = max(0.0, *s.values)
    ax.set_ylim(lo_bar, lo_bar + (hi_bar - lo_bar) / 0.56 if hi_bar > lo_bar else 1)
    ax.set_xticks(x, [_wrap(c, _slot_chars(fig, n, style)) for c in b.categories])
    ax.tick_params(axis="x", length=0)
    _value_axis(ax, style)
    _unit(ax, b.unit)

    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    ax2.spines["top"].set_visible(False)
    values = b.line.values
    (h,) = ax2.plot(x, values, color=line_color, marker=style.markers[0], markersize=4,
                    label=_legend_label(b.line.label, b.unit2))
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span = (hi - lo) / 0.24  # the line takes the band from 70% to 94% of the height
    bottom = lo - 0.70 * span
    ax2.set_ylim(bottom, bottom + span)
    ticks = [t for t in MaxNLocator(nbins=3).tick_values(lo, hi) if bottom <= t <= bottom + span]
    ax2.set_yticks(ticks)
    if ticks:
        ax2.spines["right"].set_bounds(min(ticks[0], lo), max(ticks[-1], hi))
    if b.chart.labels:
        for xi, v in zip(x, values, strict=True):
            ax2.annotate(_fmt(v, b.chart.decimals, b.unit2), (xi, v), xytext=(0, 5),
                         textcoords="offset points", ha="center", va="bottom",
                         fontsize=style.label_size_pt, color=_hex(style.text_color))
    _unit(ax2, b.unit2, "right")
    ax.set_xlim(-0.6, n - 0.4)
    _legend(fig, [bars, h], [bars.get_label(), h.get_label()])


def _legend_label(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit and unit not in label else label


def _pie(fig: Any, b: Bound, style: ChartStyle) -> None:
    ax = fig.add_subplot()
    s = b.series[0]
    total = sum(s.values)
    colors = _colors(style, len(s.values))
    donut = b.chart.kind == "donut"
    decimals = 1 if b.chart.decimals is None else b.chart.decimals
    labels = [
        f"{c}\n{_fmt(v / total * 100, decimals, '%')}" if b.chart.labels else c
        for c, v in zip(b.categories, s.values, strict=True)
    ]
    wedges, texts = ax.pie(
        s.values,
        labels=labels,
        colors=colors,
        startangle=90,
        counterclock=False,
        labeldistance=1.08,
        wedgeprops={"linewidth": 1.2, "edgecolor": "white", **({"width": 0.42} if donut else {})},
        textprops={"fontsize": style.font_size_pt, "color": _hex(style.text_color),
                   "linespacing": 1.25},
    )
    ax.set_aspect("equal")
