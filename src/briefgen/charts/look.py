"""The house look of a chart: matplotlib's settings, colours, number labels, axes, legends.

Only the parts of matplotlib a drawing needs are imported (the object-oriented
``Figure`` with the Agg canvas; never pyplot), and only when a chart is drawn.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from briefgen.charts.bind import Bound
from briefgen.charts.files import ChartFont
from briefgen.config.house import ChartStyle
from briefgen.data import plain_number


def hexc(color: str) -> str:
    return "#" + color.lstrip("#")


def lightness(color: str) -> float:
    c = color.lstrip("#")
    r, g, b = (int(c[k : k + 2], 16) / 255 for k in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def fmt(value: float, decimals: int | None, unit: str = "") -> str:
    """A value label: its digits (with `decimals` places, else as it is), % for a percentage."""
    return _digits(value, decimals) + ("%" if unit == "%" else "")


def _digits(value: float, decimals: int | None) -> str:
    if decimals is None:
        return plain_number(value)
    text = plain_number(round(value, decimals))
    return f"{value:.{decimals}f}" if "." not in text and decimals > 0 else text


def _rc(style: ChartStyle, family: str) -> dict[str, Any]:
    return {
        "font.family": [family, "DejaVu Sans"],
        "font.size": style.font_size_pt,
        "axes.unicode_minus": False,
        "axes.linewidth": style.axis_width_pt,
        "axes.edgecolor": hexc(style.axis_color),
        "axes.labelcolor": hexc(style.text_color),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": style.title_size_pt,
        "xtick.color": hexc(style.axis_color),
        "ytick.color": hexc(style.axis_color),
        "xtick.labelcolor": hexc(style.text_color),
        "ytick.labelcolor": hexc(style.text_color),
        "xtick.labelsize": style.font_size_pt,
        "ytick.labelsize": style.font_size_pt,
        "xtick.major.width": style.axis_width_pt,
        "ytick.major.width": style.axis_width_pt,
        "text.color": hexc(style.text_color),
        "legend.frameon": False,
        "legend.fontsize": style.font_size_pt,
        "lines.linewidth": style.line_width_pt,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
    }


@contextmanager
def house_settings(style: ChartStyle, font: ChartFont) -> Iterator[None]:
    """matplotlib's settings in the house chart style, for the drawings made inside."""
    import matplotlib
    from matplotlib import font_manager

    # matplotlib warns when a face's weight is not exactly "normal"; the face is still right.
    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        settings: Any = _rc(style, _family(font_manager, font))
        with matplotlib.rc_context(settings):
            yield
    finally:
        logger.setLevel(level)


def _family(font_manager: Any, font: ChartFont) -> str:
    """The family name matplotlib knows the font file by (registering it if needed)."""
    wanted = str(font.path.resolve())

    def lookup() -> str | None:
        for entry in font_manager.fontManager.ttflist:
            same_file = str(Path(entry.fname).resolve()) == wanted
            if same_file and int(getattr(entry, "index", 0) or 0) == font.index:
                return str(entry.name)
        return None

    name = lookup()
    if name is None:
        font_manager.fontManager.addfont(str(font.path))
        name = lookup()
    if name is None:  # a collection face matplotlib did not list; take the file's first name
        name = str(font_manager.FontProperties(fname=str(font.path)).get_name())
    return name


def colors(style: ChartStyle, n: int) -> list[str]:
    return [hexc(style.palette[i % len(style.palette)]) for i in range(n)]


def edge(style: ChartStyle, color: str) -> str:
    """Very light fills get a hairline edge so they stand out from the white page."""
    return hexc(style.axis_color) if lightness(color) > 0.8 else color


def fills(b: Bound, style: ChartStyle, color: str, k: int) -> list[str]:
    """A colour per bar: with one series, rows not highlighted are muted."""
    highlight = set(b.chart.highlight)
    if k == 1 and highlight:
        return [color if key in highlight else hexc(style.muted) for key in b.keys]
    return [color] * len(b.keys)


def value_axis(ax: Any, style: ChartStyle, axis: str = "y") -> None:
    ax.grid(axis=axis, color=hexc(style.grid_color), linewidth=style.grid_width_pt)
    ax.set_axisbelow(True)


def unit_label(ax: Any, unit: str, side: str = "left") -> Any:
    """The unit over the value axis, as Chinese charts print it (亿元, %)."""
    if not unit:
        return None
    x, ha = (0, "right") if side == "left" else (1, "left")
    return ax.annotate(unit, xy=(x, 1), xycoords="axes fraction", xytext=(0, 6),
                       textcoords="offset points", ha=ha, va="bottom")


def wrap(label: str, max_chars: int) -> str:
    """Break a long category label into lines (characters of Chinese, words of Latin)."""
    if max_chars < 2 or len(label) <= max_chars:
        return label
    return _wrap_words(label, max_chars) if " " in label else _wrap_chars(label, max_chars)


def _wrap_words(label: str, max_chars: int) -> str:
    """Latin: whole words on each line, as many as fit."""
    lines: list[str] = []
    cur = ""
    for w in label.split():
        if cur and len(cur) + 1 + len(w) > max_chars:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return "\n".join([*lines, cur])


def _wrap_chars(label: str, max_chars: int) -> str:
    """Chinese: the characters in lines of (nearly) equal length."""
    n = -(-len(label) // max_chars)
    per = -(-len(label) // n)
    return "\n".join(label[k : k + per] for k in range(0, len(label), per))


def slot_chars(fig: Any, n: int, style: ChartStyle) -> int:
    width_pt = fig.get_figwidth() * 72 * 0.85  # the plot, without the axis labels
    return max(2, int(width_pt / max(n, 1) / style.font_size_pt))


def category_ticks(ax: Any, fig: Any, b: Bound, style: ChartStyle, x: Any) -> None:
    ax.set_xticks(x, [wrap(c, slot_chars(fig, len(b.categories), style)) for c in b.categories])


def legend(fig: Any, handles: list[Any], labels: list[str]) -> Any:
    return fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4),
                      handlelength=1.6, columnspacing=1.6)


def series_legend(fig: Any, b: Bound, handles: list[Any]) -> Any:
    """The legend below a chart of several series (None for one)."""
    return legend(fig, handles, [s.label for s in b.series]) if len(b.series) > 1 else None


def legend_label(label: str, unit: str) -> str:
    return f"{label}（{unit}）" if unit and unit not in label else label
