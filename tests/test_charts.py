"""Charts: drawn from the data in the house style, cached by content, checked like the spec."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image

from briefgen import charts
from briefgen.cache import area
from briefgen.charts import draw_charts
from briefgen.config.brief import load_spec
from briefgen.data import load_data

from .conftest import ROOT, SAMPLE, run_cli

TABLES = """\
sectors:
  file: sectors.csv
  title: 六大行业
  key: name
  columns:
    name: {label: 行业, type: text}
    output: {label: 产值, unit: 亿元}
    growth: {label: 增速, unit: "%"}
land:
  file: land.csv
  title: 土地利用
  key: use
  columns:
    use: {label: 地类, type: text}
    area: {label: 面积, unit: 公顷}
regions:
  file: regions.csv
  title: 增速比较
  key: region
  columns:
    region: {label: 地区, type: text}
    va: {label: 增加值增速, unit: "%"}
years:
  file: years.csv
  title: 历年增速
  key: year
  columns:
    year: {label: 年份, type: int}
    city: {label: 朝阳市, unit: "%"}
    province: {label: 辽宁省, unit: "%"}
"""

CSV = {
    "sectors.csv": "name,output,growth\n冶金,567.2,0.04\n农产品加工,91,11.7\n石化,89.4,21.4\n"
    "建材,83.2,3.9\n能源,74.5,2.5\n装备,62.5,29.4\n",
    "land.csv": "use,area\n农用地,1315366.36\n建设用地,106375.38\n未利用地,548083.46\n",
    "regions.csv": "region,va\n朝阳市,5.5\n全国,4.6\n辽宁省,5\n",
    "years.csv": "year,city,province\n2021,6.0,5.8\n2022,-6.7,-1.5\n2023,5.5,5\n",
}

CHARTS = """\
charts:
  - id: output
    kind: bar_line
    table: sectors
    x: name
    y: output
    y2: growth
    title: 六大行业产值及增速
    source: 朝阳市统计局
  - {id: land, kind: donut, table: land, x: use, y: area, title: 土地利用结构, width: 0.6}
  - {id: land-pie, kind: pie, table: land, x: use, y: area, title: 土地利用结构}
  - {id: regions, kind: bar, table: regions, x: region, y: va, title: 增速比较,
     rows: [朝阳市, 辽宁省, 全国], highlight: [朝阳市], decimals: 1}
  - {id: ranked, kind: hbar, table: sectors, x: name, y: output, sort: desc, title: 产值排序}
  - {id: stacked, kind: stacked, table: years, x: year, y: [city, province], title: 堆叠}
  - {id: grouped, kind: bar, table: years, x: year, y: [city, province], title: 分组}
  - {id: trend, kind: line, table: years, x: year, y: [city, province], title: 历年增速}
"""

KINDS = ["output", "land", "land-pie", "regions", "ranked", "stacked", "grouped", "trend"]


def make_project(root: Path, charts_yaml: str = CHARTS, placed: list[str] | None = None) -> Path:
    """A small project: the house style, a data folder and a brief that places charts."""
    (root / "templates").mkdir(parents=True, exist_ok=True)
    for item in (ROOT / "templates").iterdir():
        if item.is_file():
            shutil.copy(item, root / "templates" / item.name)
    data = root / "data" / "test" / "2023"
    data.mkdir(parents=True)
    (data / "tables.yaml").write_text(TABLES, encoding="utf-8")
    for name, text in CSV.items():
        (data / name).write_text(text, encoding="utf-8")
    brief = root / "briefs" / "test"
    brief.mkdir(parents=True)
    (brief / "brief.yaml").write_text(
        "title: 图表测试\ndate: 2024-05-14\nissue: 1\nplace: 朝阳市\n"
        "authors: [{name: 某某}]\ndata: {folder: ../../data/test/2023}\n"
        "sections: [{file: body.md}]\n" + charts_yaml,
        encoding="utf-8",
    )
    placed = KINDS if placed is None else placed
    body = "# 基本情况\n\n" + "".join(
        f"正文见{{{{ fig('{c}') }}}}。\n\n{{{{ chart('{c}') }}}}\n\n" for c in placed
    )
    (brief / "body.md").write_text(body, encoding="utf-8")
    return brief


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def draw(brief: Path, cache: Path, order: list[str] | None = None, use_cache: bool = True):
    spec = load_spec(brief)
    data = load_data(spec.data_folder())
    return draw_charts(spec, data, KINDS if order is None else order, cache, use_cache)


# ---- each kind, drawn -------------------------------------------------------------------


def test_every_kind_gives_a_300_dpi_png_and_pdf_operators(small: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figures = draw(small, tmp_path / "cache")
    missing_glyphs = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing_glyphs, missing_glyphs
    assert list(figures) == KINDS
    for chart_id, fig in figures.items():
        assert fig.png.is_file() and fig.ops is not None and fig.ops.is_file(), chart_id
        assert fig.ops.name == fig.png.stem + ".ops.json", chart_id
        with Image.open(fig.png) as im:
            dpi = im.info["dpi"]
            assert min(dpi) >= 299.5, (chart_id, dpi)
            # The pixels match the size the figure is placed at: the text width × width_ratio.
            text_width_in = 156 / 25.4
            assert im.size[0] / (text_width_in * fig.width_ratio) >= 299
            assert abs(im.size[1] / im.size[0] - fig.aspect) < 0.01
    # Nothing else is drawn: no SVG (the PDF copies the operators), nothing but the entries.
    kept = {p.name.split(".", 1)[1] for p in (tmp_path / "cache").iterdir()}
    assert kept == {"png", "png.sum", "ops.json", "ops.json.sum"}, kept


def test_chinese_labels_are_drawn_with_a_chinese_font(small: Path, tmp_path: Path) -> None:
    from matplotlib import font_manager
    from matplotlib.text import Text

    from briefgen.charts.draw import figure
    from briefgen.charts.look import house_settings

    spec = load_spec(small)
    bound = charts.bind_charts(spec, load_data(spec.data_folder()))["output"]
    style, font = spec.house.chart, charts.resolve_chart_font(spec.house)
    with house_settings(style, font):
        fig, _ = figure(bound, style, (6.0, 3.6))
        labels = [t for t in fig.findobj(Text) if t.get_text() == "冶金"]
        assert labels, "the label 冶金 is not in the drawing"
        path = font_manager.findfont(labels[0].get_fontproperties(), fallback_to_default=False)
    assert "DejaVu" not in path, f"冶金 was drawn with {path}"
    face = font_manager.get_font(path)
    glyphs = [face.get_char_index(ord(c)) for c in "冶金"]
    # Two different glyphs, neither the empty box a missing character would be.
    assert 0 not in glyphs and glyphs[0] != glyphs[1], glyphs


# ---- cache ------------------------------------------------------------------------------


def test_cache_reuses_unchanged_charts_and_redraws_changed_ones(small: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = draw(small, cache)
    stamps = {k: f.png.stat().st_mtime_ns for k, f in first.items()}

    charts.DRAWN.clear()
    again = draw(small, cache)
    assert charts.DRAWN == []
    assert {k: f.png for k, f in again.items()} == {k: f.png for k, f in first.items()}
    assert {k: f.png.stat().st_mtime_ns for k, f in again.items()} == stamps

    # One value of the sectors table changes: the two charts drawn from it are redrawn.
    csv = small.parents[1] / "data" / "test" / "2023" / "sectors.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("62.5", "65.1"), encoding="utf-8")
    charts.DRAWN.clear()
    changed = draw(small, cache)
    assert sorted(charts.DRAWN) == ["output", "ranked"]
    assert changed["output"].png != first["output"].png
    assert changed["land"].png == first["land"].png

    # --no-cache draws everything again.
    charts.DRAWN.clear()
    draw(small, cache, use_cache=False)
    assert charts.DRAWN == KINDS


def test_cache_key_covers_the_house_chart_style(small: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = draw(small, cache, ["regions"])["regions"].png
    house = small.parents[1] / "templates" / "house.yaml"
    text = house.read_text(encoding="utf-8")
    house.write_text(text.replace('muted: "A6A6A6"', 'muted: "BFBFBF"'), encoding="utf-8")
    after = draw(small, cache, ["regions"])["regions"].png
    assert after != before


def test_charts_not_placed_are_checked_but_not_drawn(small: Path, tmp_path: Path) -> None:
    charts.DRAWN.clear()
    figures = draw(small, tmp_path / "cache", ["land"])
    assert list(figures) == ["land"] and charts.DRAWN == ["land"]


# ---- errors -------------------------------------------------------------------------------

BAD = [
    ("y: output\n", "y: outptu\n", "column 'outptu'"),
    ("table: sectors\n", "table: sectorz\n", "table 'sectorz'"),
    ("y2: growth\n", "y2: growht\n", "column 'growht'"),
]


@pytest.mark.parametrize(("old", "new", "named"), BAD)
def test_missing_table_or_column_is_one_line_exit_2_and_nothing_written(
    tmp_path: Path, old: str, new: str, named: str
) -> None:
    brief = make_project(tmp_path / "proj", CHARTS.replace(old, new, 1))
    out = tmp_path / "out"
    result = run_cli("build", brief, "-o", out, "--format", "docx", cwd=tmp_path / "proj")
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert "Traceback" not in result.stderr
    yaml_lines = (brief / "brief.yaml").read_text(encoding="utf-8").splitlines()
    bad_line = next(i for i, text in enumerate(yaml_lines, 1) if text.strip() == new.strip())
    assert f"brief.yaml:{bad_line}:" in line
    assert "chart 'output'" in line and named in line
    assert not list(out.glob("*.docx")) and not list(out.glob("*.pdf"))


def test_a_bad_chart_fails_even_when_no_section_places_it(tmp_path: Path) -> None:
    brief = make_project(tmp_path / "proj", CHARTS.replace("y: area, title: 土地利用结构}",
                                                           "y: size, title: 土地利用结构}"),
                         placed=["output"])
    result = run_cli("build", brief, "-o", tmp_path / "out", "--format", "docx",
                     cwd=tmp_path / "proj")
    assert result.code == 2
    assert "chart 'land-pie'" in result.stderr and "column 'size'" in result.stderr


def test_kind_specific_mistakes_are_user_errors(tmp_path: Path) -> None:
    cases = {
        "a bar_line chart needs 'y2'": CHARTS.replace("    y2: growth\n", ""),
        "takes one 'y' column": CHARTS.replace("y: area, title: 土地利用结构, width", "y: [area, area], title: x, width"),
        "has no row '江苏省'": CHARTS.replace("rows: [朝阳市, 辽宁省, 全国]", "rows: [朝阳市, 江苏省]"),
        "is text, not numbers": CHARTS.replace("y: output\n", "y: name\n"),
    }
    for i, (message, yaml_text) in enumerate(cases.items()):
        brief = make_project(tmp_path / f"p{i}", yaml_text)
        spec = load_spec(brief)
        with pytest.raises(charts.BriefError) as err:
            charts.bind_charts(spec, load_data(spec.data_folder()))
        assert message in str(err.value)
        assert "brief.yaml:" in str(err.value)


# ---- lazy import ---------------------------------------------------------------------------


def test_a_brief_without_charts_does_not_import_matplotlib(tmp_path: Path) -> None:
    brief = make_project(tmp_path / "proj", "", placed=[])
    code = (
        "import sys; from pathlib import Path; from briefgen.app.pipeline import prepare; "
        f"prepare(Path({str(brief)!r})); print('matplotlib' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


def test_a_build_from_cached_charts_does_not_import_matplotlib(small: Path, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen.app.pipeline import prepare; "
        f"prepare(Path({str(small)!r}), Path({str(tmp_path / 'cache')!r})); "
        "print('matplotlib' in sys.modules)"
    )

    def run() -> str:
        # no helpers: the charts are drawn (or not) in the one process looked at
        env = {**os.environ, "BRIEFGEN_HELPERS": "0"}
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              cwd=tmp_path, timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    assert run() == "True"  # the first build draws
    assert run() == "False"  # the second takes every chart from the cache


def test_an_unknown_chart_font_role_names_the_house_file(small: Path, tmp_path: Path) -> None:
    house = small.parents[1] / "templates" / "house.yaml"
    text = house.read_text(encoding="utf-8")
    house.write_text(text.replace("  font: hei ", "  font: heiti "), encoding="utf-8")
    with pytest.raises(charts.BriefError) as err:
        draw(small, tmp_path / "cache", ["land"])
    assert "house.yaml" in str(err.value) and "'heiti'" in str(err.value)


# ---- the sample brief, through the CLI -------------------------------------------------------


def _sample_chart_ids() -> list[str]:
    spec = load_spec(ROOT / SAMPLE)
    return [c.id for c in spec.brief.charts]


def test_sample_declares_the_three_charts_the_seed_supports() -> None:
    spec = load_spec(ROOT / SAMPLE)
    kinds = {c.id: (c.kind, c.table) for c in spec.brief.charts}
    assert kinds["industry-output"] == ("bar_line", "sectors")
    assert kinds["land-use"][0] in ("pie", "donut") and kinds["land-use"][1] == "land_use"
    assert kinds["va-growth"] == ("bar", "growth_compare")


def test_sample_rebuild_reuses_charts_until_the_data_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(project / "cache"))
    out = project / "out"
    result = run_cli("build", SAMPLE, "-o", out, "--format", "docx", cwd=project)
    assert result.code == 0, result.stderr
    folder = area("charts", project / "cache").folder
    assert not (out / ".cache").exists()  # the cache is never inside the output folder
    first = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")}
    assert {name.rsplit("-", 1)[0] for name in first} >= {"industry-output", "land-use", "va-growth"}

    result = run_cli("build", SAMPLE, "-o", out, "--format", "docx", cwd=project)
    assert result.code == 0, result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")} == first

    csv = project / "data" / "chaoyang" / "2023" / "sectors.csv"
    text = csv.read_text(encoding="utf-8")
    assert ",62.5," in text
    csv.write_text(text.replace(",62.5,", ",62.6,"), encoding="utf-8")
    result = run_cli("build", SAMPLE, "-o", out, "--format", "docx", cwd=project)
    assert result.code == 0, result.stderr
    now = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.png")}
    new = sorted(set(now) - set(first))
    assert [name.rsplit("-", 1)[0] for name in new] == ["industry-output"]
    for name, stamp in first.items():  # the others were not touched
        assert now[name] == stamp


@pytest.mark.parametrize(
    ("old", "new", "chart", "named"),
    [
        ("    table: land_use\n", "    table: land_usage\n", "land-use", "table 'land_usage'"),
        ("    y2: growth\n", "    y2: grwth\n", "industry-output", "column 'grwth'"),
    ],
)
def test_sample_with_a_bad_chart_spec_fails_cleanly(
    project: Path, old: str, new: str, chart: str, named: str
) -> None:
    brief_yaml = project / SAMPLE / "brief.yaml"
    text = brief_yaml.read_text(encoding="utf-8")
    assert text.count(old) == 1
    brief_yaml.write_text(text.replace(old, new), encoding="utf-8")
    line = text.splitlines().index(old.rstrip("\n")) + 1
    out = project / "out"
    result = run_cli("build", SAMPLE, "-o", out, cwd=project)
    assert result.code == 2
    assert result.stderr.count("\n") == 1
    assert f"{SAMPLE}/brief.yaml:{line}: chart '{chart}': " in result.stderr
    assert named in result.stderr
    assert not out.exists() or not any(out.iterdir())


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample")
    built: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRIEFGEN_CACHE", str(out / "cache"))
        result = run_cli("build", SAMPLE, "-o", out, "--format", "docx")
        assert result.code == 0, result.stderr
        built["docx"] = out / "2024-05-chaoyang.docx"
        result = run_cli("build", SAMPLE, "-o", out, "--format", "pdf")
        assert result.code == 0, result.stderr
        built["pdf"] = out / "2024-05-chaoyang.pdf"
    return built


def _docx_figures(path: Path) -> list[str]:
    """The caption under each inline picture of the .docx, in order."""
    import docx
    from docx.oxml.ns import qn

    paragraphs = docx.Document(str(path)).paragraphs
    captions = []
    for i, p in enumerate(paragraphs):
        if p._p.findall(f".//{qn('wp:inline')}"):
            assert i + 1 < len(paragraphs), "a picture is the last paragraph"
            captions.append(paragraphs[i + 1].text)
    return captions


def test_sample_docx_has_numbered_figures_under_inline_pictures(sample_builds: dict[str, Path]) -> None:
    captions = _docx_figures(sample_builds["docx"])
    assert len(captions) >= 3
    for n, caption in enumerate(captions, 1):
        assert re.match(rf"图{n}\s", caption), caption
    assert len(captions) == len(_sample_chart_ids())


def test_sample_pdf_has_the_same_captions_in_the_same_order(sample_builds: dict[str, Path]) -> None:
    assert shutil.which("pdftotext"), "pdftotext is required (apt-get install poppler-utils)"
    text = subprocess.run(["pdftotext", "-layout", str(sample_builds["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    captions = [re.sub(r"\s+", "", c) for c in _docx_figures(sample_builds["docx"])]
    position = 0
    for caption in captions:
        found = flat.find(caption, position)
        assert found >= 0, f"{caption} is not in the PDF after the previous caption"
        position = found + len(caption)


# ---- labels as drawn: none overlap ---------------------------------------------------------


def _figure_of(brief: Path, chart_id: str):
    """The chart laid out and its labels placed, in this process (as the drawing makes it)."""
    from briefgen.charts.draw import figure
    from briefgen.charts.files import resolve_chart_font
    from briefgen.charts.look import house_settings

    spec = load_spec(brief)
    bound = charts.bind_charts(spec, load_data(spec.data_folder()))[chart_id]
    style = spec.house.chart
    with house_settings(style, resolve_chart_font(spec.house)):
        fig, labels = figure(bound, style, (156 * 0.92 / 25.4, 156 * 0.92 * 0.58 / 25.4))
    return fig, labels


def _text_box(fig, text):
    """A label's text as drawn (an Annotation's own extent would include its leader line)."""
    from matplotlib.text import Text

    return Text.get_window_extent(text, fig.canvas.get_renderer())


def _shown(fig, labels) -> list:
    return [(item.text.get_text(), _text_box(fig, item.text))
            for item in labels.items if item.text.get_visible()]


def _meet(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_crowded_grouped_bar_labels_never_overlap(tmp_path: Path) -> None:
    brief = make_project(tmp_path / "proj")
    years = brief.parents[1] / "data" / "test" / "2023" / "years.csv"
    rows = [(2016 + i, 911.8 + i * 3.1, 920.4 + i * 2.7) for i in range(8)]
    years.write_text("year,city,province\n" + "".join(
        f"{y},{a:.1f},{b:.1f}\n" for y, a, b in rows), encoding="utf-8")
    fig, labels = _figure_of(brief, "grouped")
    shown = _shown(fig, labels)
    boxes = [box for _, box in shown]
    clashes = [(shown[i][0], shown[j][0]) for i in range(len(boxes))
               for j in range(i + 1, len(boxes)) if _meet(boxes[i], boxes[j])]
    assert clashes == []
    # the case is crowded: side by side at their bars' tops the two labels would meet
    assert len(shown) >= 8  # at least one label per category stays
    moved = [item for item in labels.items if item.text.xyann[1] > 2.5]
    assert moved or len(shown) < 16
    frame = fig.bbox
    for _, box in shown:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and box.y1 <= frame.y1


def test_a_small_donut_slice_is_labelled_outside_on_a_leader_line(tmp_path: Path) -> None:
    import math

    brief = make_project(tmp_path / "proj")
    land = brief.parents[1] / "data" / "test" / "2023" / "land.csv"
    land.write_text("use,area\n农用地,700\n建设用地,20\n水域,15\n未利用地,265\n",
                    encoding="utf-8")
    fig, labels = _figure_of(brief, "land")
    shown = _shown(fig, labels)
    assert len(shown) == 4  # every slice keeps its label
    boxes = [box for _, box in shown]
    assert not any(_meet(boxes[i], boxes[j]) for i in range(4) for j in range(i + 1, 4))
    ax = fig.axes[0]
    centre = ax.transData.transform((0, 0))
    radius = ax.transData.transform((1, 0))[0] - centre[0]
    for item in labels.items:
        text = item.text.get_text()
        box = _text_box(fig, item.text)
        # the nearest point of the label's box lies outside the ring
        nx = min(max(centre[0], box.x0), box.x1)
        ny = min(max(centre[1], box.y0), box.y1)
        assert math.hypot(nx - centre[0], ny - centre[1]) > radius, text
        small = text.startswith(("建设用地", "水域"))  # 2% and 1.5%
        assert (item.text.arrow_patch is not None) == small, text


# ---- the PDF operators: the same drawing, without svglib ------------------------------------

_RESOURCE_OPS = re.compile(r"(?<![\w/])(?:BT|Tf|Tj|TJ|Do|gs|sh|BI|cs|CS|scn|SCN)(?![\w])")


def test_every_kind_has_pdf_operators_that_draw_what_the_png_shows(small: Path,
                                                                  tmp_path: Path) -> None:
    import numpy as np
    from reportlab.pdfgen.canvas import Canvas

    assert shutil.which("pdftoppm"), "pdftoppm is required (apt-get install poppler-utils)"
    figures = draw(small, tmp_path / "cache")
    for chart_id, fig in figures.items():
        ops = charts.pdf_operators(fig)
        assert ops is not None, chart_id
        assert not _RESOURCE_OPS.search(ops.ops), chart_id  # no font, image or state named
        with Image.open(fig.png) as im:  # the same page size as the PNG, in points
            assert abs(ops.width / 72 * 300 - im.size[0]) < 2
            assert abs(ops.height / 72 * 300 - im.size[1]) < 2
        pdf = tmp_path / f"{chart_id}.pdf"
        canvas = Canvas(str(pdf), pagesize=(ops.width, ops.height))
        canvas.addLiteral(ops.ops)
        canvas.save()
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf),
                        str(tmp_path / chart_id)], check=True)
        with Image.open(tmp_path / f"{chart_id}.png") as drawn, Image.open(fig.png) as png:
            a = np.asarray(drawn.convert("L"), float)
            b = np.asarray(png.convert("L").resize(drawn.size), float)
        diff = np.abs(a - b)
        assert diff.mean() < 6 and (diff > 64).mean() < 0.04, (chart_id, diff.mean())
        assert (a < 128).mean() > 0.01, chart_id  # something dark was drawn: bars, text


def test_a_drawing_with_transparency_has_no_operators() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    from briefgen.charts.pdfops import figure_ops

    fig = MplFigure(figsize=(2, 1))
    FigureCanvasAgg(fig)
    fig.add_subplot().bar([0, 1], [1, 2], alpha=0.5)
    assert figure_ops(fig) is None
    solid = MplFigure(figsize=(2, 1))
    FigureCanvasAgg(solid)
    solid.add_subplot().bar([0, 1], [1, 2])
    ops = figure_ops(solid)
    assert ops is not None and " re" in ops.ops and ops.width == 144 and ops.height == 72


def test_a_damaged_cached_drawing_is_drawn_again(small: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = draw(small, cache, ["land"])["land"]
    data = first.png.read_bytes()
    first.png.write_bytes(data[: len(data) // 2])  # a drawing cut short (a full disk, a kill)
    charts.DRAWN.clear()
    again = draw(small, cache, ["land"])["land"]
    assert charts.DRAWN == ["land"]
    assert again.png == first.png and again.png.read_bytes() == data
    assert charts.pdf_operators(again) is not None
    again.ops.write_text("{}", "utf-8")  # damaged operators
    assert charts.pdf_operators(again) is None  # the PDF writer then places the PNG
    charts.DRAWN.clear()
    assert charts.pdf_operators(draw(small, cache, ["land"])["land"]) is not None
    assert charts.DRAWN == ["land"]  # and the next build draws it again


def test_a_drawing_without_operators_is_kept_and_placed_as_its_png(small: Path,
                                                                    tmp_path: Path) -> None:
    from briefgen.cache import Area
    from briefgen.charts.ops import NO_OPS

    cache = tmp_path / "cache"
    first = draw(small, cache, ["land"])["land"]
    assert first.ops is not None
    # What the charts stage keeps for a drawing that needs page resources (transparency).
    Area("charts", cache).put_bytes(first.png.stem, "ops.json", NO_OPS)
    charts.DRAWN.clear()
    again = draw(small, cache, ["land"])["land"]
    assert charts.DRAWN == []  # a whole entry: not drawn again
    assert charts.pdf_operators(again) is None  # the PDF writer places the PNG


def test_a_text_is_outlined_once_and_placed_where_matplotlib_puts_it() -> None:
    """Text becomes its outline in font units, kept per text and font, and is placed by a
    `cm`: drawing the same labels again outlines nothing again (the preview's edits)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure
    from matplotlib.textpath import TextToPath

    from briefgen.charts import pdfops

    def labelled() -> MplFigure:
        fig = MplFigure(figsize=(2, 1))
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.bar([0, 1], [1, 2])
        ax.set_title("Chaoyang 2023: 62.5%")
        return fig

    outlined: list[str] = []
    real = TextToPath.get_text_path

    def counted(self: TextToPath, prop: object, s: str, *args: object, **kw: object) -> object:
        outlined.append(s)
        return real(self, prop, s, *args, **kw)  # type: ignore[arg-type]

    pdfops._OUTLINES.clear()
    TextToPath.get_text_path = counted  # type: ignore[method-assign]
    try:
        first = pdfops.figure_ops(labelled())
        seen = len(outlined)
        again = pdfops.figure_ops(labelled())
    finally:
        TextToPath.get_text_path = real  # type: ignore[method-assign]
    assert first is not None and again is not None
    assert "Chaoyang 2023: 62.5%" in outlined and len(outlined) == seen  # none the second time
    assert first.ops == again.ops and " cm\n" in first.ops
    assert not _RESOURCE_OPS.search(first.ops)
