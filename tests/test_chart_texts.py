"""What a chart says in words: its title as composed, and the cells it leaves out.

A chart title with {{ }} is composed like the prose (sandbox, filters, ledger) and
every caption prints the composed text, so the next issue's caption carries the
new data. A chart over a cell not published leaves that bar, point or slice out,
builds, warns naming the cell, and says so in a note under the figure.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from pathlib import Path

import pytest

from briefgen import charts
from briefgen.compose import compose
from briefgen.config.brief import load_spec
from briefgen.data import load_data

from .conftest import run_cli
from .test_charts import KINDS, _figure_of, make_project
from .test_sample2 import BRIEF, NEXT, next_year


def pdf_text(path: Path) -> str:
    """The PDF's text without white space (lines and the caption gap gone)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r"\s+", "", out)


def docx_paragraphs(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


def docx_captions(path: Path) -> list[str]:
    """The text of each paragraph in the Caption style (图N with N a SEQ field's result)."""
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs
            if p.style is not None and p.style.name == "Caption"]


# ---- a title with {{ }} ---------------------------------------------------------------------

TITLE = "城镇化率比较"  # the sample's chart title ends so


def titled(project: Path) -> Path:
    """The second sample with its first chart's title made from the data's year."""
    brief = project / BRIEF / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    typed = "title: 沈阳市与全省、全国常住人口城镇化率比较"
    assert typed in text
    brief.write_text(text.replace(
        typed, 'title: "{{ facts.year }}年沈阳市与全省、全国常住人口𠀋城镇化率比较"'),
        encoding="utf-8")
    return brief


def test_a_templated_chart_title_prints_the_year_and_the_next_issue_the_new_one(
        project: Path) -> None:
    titled(project)
    expected = "2023年沈阳市与全省、全国常住人口𠀋城镇化率比较"
    built = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert built.code == 0, built.stderr
    out = project / "out"
    assert docx_captions(out / "2024-05-shenyang-population.docx")[0] == f"图1\u3000{expected}"
    assert f"图1{expected}" in pdf_text(out / "2024-05-shenyang-population.pdf")
    assert "{{" not in pdf_text(out / "2024-05-shenyang-population.pdf")

    next_year(project)
    made = run_cli("new", NEXT, "--from", BRIEF, "--data", "data/shenyang/2024", cwd=project)
    assert made.code == 0, made.stderr
    built = run_cli("build", NEXT, "-o", "out2", cwd=project)
    assert built.code == 0, built.stderr
    new = expected.replace("2023年", "2024年")
    captions = docx_captions(project / "out2" / "2025-05-shenyang-population.docx")
    assert captions[0] == f"图1\u3000{new}"
    text = pdf_text(project / "out2" / "2025-05-shenyang-population.pdf")
    assert f"图1{new}" in text and expected not in text


def test_a_figure_in_a_chart_title_is_in_the_ledger_and_check_passes(project: Path) -> None:
    brief = titled(project)
    line = next(i for i, text in enumerate(brief.read_text(encoding="utf-8").splitlines(), 1)
                if "{{ facts.year }}" in text)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        spec = load_spec(Path(BRIEF))
        composition = compose(spec, load_data(spec.data_folder()))
    finally:
        os.chdir(cwd)
    assert composition.texts["chart:urbanisation:title"].startswith("2023年沈阳市")
    entries = [e for e in composition.ledger
               if e.file == f"{BRIEF}/brief.yaml" and e.line == line]
    assert [(e.text, e.value, e.label) for e in entries] == [("2023", 2023, "统计年度")]
    assert entries[0].sources and entries[0].sources[0].file.endswith("facts.yaml")
    checked = run_cli("check", BRIEF, "--strict", cwd=project)
    assert checked.code == 0, checked.stdout + checked.stderr


# ---- cells not published ---------------------------------------------------------------------

# One cell of each table left unpublished, each marked the way a bureau marks it.
GAPS = {
    "regions.csv": ("region,va\n朝阳市,5.5\n全国,4.6\n辽宁省,5\n",
                    "region,va\n朝阳市,5.5\n全国,4.6\n辽宁省,未发布\n"),
    "years.csv": ("year,city,province\n2021,6.0,5.8\n2022,-6.7,-1.5\n2023,5.5,5\n",
                  "year,city,province\n2021,6.0,5.8\n2022,—,-1.5\n2023,5.5,5\n"),
    "land.csv": ("use,area\n农用地,1315366.36\n建设用地,106375.38\n未利用地,548083.46\n",
                 "use,area\n农用地,1315366.36\n建设用地,\n未利用地,548083.46\n"),
}

WARNINGS = {
    "regions": "data/test/2023/regions.csv:4: warning: chart 'regions' leaves out row '辽宁省', "
               "column 'va' (未发布: not published): its bar is left out",
    "grouped": "data/test/2023/years.csv:3: warning: chart 'grouped' leaves out row '2022', "
               "column 'city' (—: not published): its bar is left out",
    "stacked": "data/test/2023/years.csv:3: warning: chart 'stacked' leaves out row '2022', "
               "column 'city' (—: not published): its part of the stack is left out",
    "trend": "data/test/2023/years.csv:3: warning: chart 'trend' leaves out row '2022', "
             "column 'city' (—: not published): the line breaks there",
    "land": "data/test/2023/land.csv:3: warning: chart 'land' leaves out row '建设用地', "
            "column 'area' (blank: not published): its slice is left out",
    "land-pie": "data/test/2023/land.csv:3: warning: chart 'land-pie' leaves out row '建设用地', "
                "column 'area' (blank: not published): its slice is left out",
}

NOTES = {
    "regions": "注：辽宁省数据未发布。",
    "grouped": "注：2022朝阳市数据未发布。",  # the category and the column's label
    "stacked": "注：2022朝阳市数据未发布。",
    "trend": "注：2022朝阳市数据未发布。",
    "land": "注：建设用地数据未发布。",
    "land-pie": "注：建设用地数据未发布。",
}


LEFT_OUT = {"regions": 5.0, "grouped": -6.7, "stacked": -6.7}  # the bar that goes


def gapped(root: Path) -> Path:
    brief = make_project(root)
    data = brief.parents[1] / "data" / "test" / "2023"
    for name, (full, gap) in GAPS.items():
        assert (data / name).read_text(encoding="utf-8") == full
        (data / name).write_text(gap, encoding="utf-8")
    return brief


def drawn(brief: Path, chart_id: str) -> list[float]:
    """The values the chart's drawing shows: bar heights (widths), finite line points,
    slice angles, as the matplotlib figure has them after layout."""
    from matplotlib.container import BarContainer
    from matplotlib.patches import Wedge

    fig, _labels = _figure_of(brief, chart_id)
    ax = fig.axes[0]
    bars = [p for c in ax.containers if isinstance(c, BarContainer) for p in c.patches]
    if bars:
        horizontal = chart_id == "ranked"
        return [p.get_width() if horizontal else p.get_height() for p in bars]
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    if wedges:
        return [w.theta2 - w.theta1 for w in wedges]
    return [float(y) for line in ax.lines for y in line.get_ydata() if math.isfinite(y)]


@pytest.mark.parametrize("chart_id", ["regions", "grouped", "stacked", "trend", "land",
                                      "land-pie"])
def test_a_chart_over_a_cell_not_published_draws_one_less(tmp_path: Path, chart_id: str) -> None:
    full = drawn(make_project(tmp_path / "full"), chart_id)
    gap = drawn(gapped(tmp_path / "gap"), chart_id)
    assert len(gap) == len(full) - 1, (full, gap)
    if chart_id in LEFT_OUT:  # the bars that stay are the same bars
        full.remove(LEFT_OUT[chart_id])
        assert sorted(gap) == sorted(full)


def test_a_line_breaks_at_the_missing_point(tmp_path: Path) -> None:
    fig, labels = _figure_of(gapped(tmp_path / "proj"), "trend")
    city = fig.axes[0].lines[0]
    ys = list(city.get_ydata())
    assert ys[0] == 6.0 and math.isnan(ys[1]) and ys[2] == 5.5  # no segment to or from 2022
    assert "-6.7" not in [item.text.get_text() for item in labels.items]


def test_bound_data_names_what_it_leaves_out(tmp_path: Path) -> None:
    brief = gapped(tmp_path / "proj")
    spec = load_spec(brief)
    bound = charts.bind_charts(spec, load_data(spec.data_folder()))
    regions = bound["regions"]
    assert regions.categories == ("朝阳市", "全国")  # nothing left to draw in its row
    [gap] = regions.missing
    assert (gap.key, gap.column, gap.category) == ("辽宁省", "va", "辽宁省")
    assert gap.cell is not None and (gap.cell.row, gap.cell.text) == (4, "未发布")
    grouped = bound["grouped"]
    assert grouped.categories == ("2021", "2022", "2023")  # 2022's 辽宁省 bar stays
    assert grouped.series[0].values == (6.0, None, 5.5)


def test_a_brief_over_cells_not_published_builds_warns_and_notes_it(tmp_path: Path) -> None:
    brief = gapped(tmp_path / "proj")
    project = brief.parents[1]
    built = run_cli("build", "briefs/test", "-o", "out", cwd=project)
    assert built.code == 0, built.stderr
    lines = built.stderr.splitlines()
    for chart_id, warning in WARNINGS.items():
        number = KINDS.index(chart_id) + 1
        assert f"{warning}; a note under figure {number} says so" in lines, built.stderr
    assert len(lines) == len(WARNINGS)
    paragraphs = docx_paragraphs(project / "out" / "test.docx")
    text = pdf_text(project / "out" / "test.pdf")
    titles = {"regions": "增速比较", "grouped": "分组", "stacked": "堆叠", "trend": "历年增速",
              "land": "土地利用结构", "land-pie": "土地利用结构"}
    for chart_id, note in NOTES.items():
        caption = f"图{KINDS.index(chart_id) + 1}\u3000{titles[chart_id]}"
        at = paragraphs.index(caption)
        assert paragraphs[at + 1] == note, paragraphs[at: at + 2]
        assert caption.replace("\u3000", "") + note in text
    # a chart with nothing left out has no note
    assert "图1\u3000六大行业产值及增速" in paragraphs
    output = paragraphs.index("图1\u3000六大行业产值及增速")
    assert paragraphs[output + 1] == "数据来源：朝阳市统计局"
    assert not paragraphs[output + 2].startswith("注：")

    # staff's Word file built again keeps each note under its figure
    again = run_cli("build", "out/test.docx", "-o", "again", "--format", "pdf", cwd=project)
    assert again.code == 0, again.stderr
    again_text = pdf_text(project / "again" / "test.pdf")
    for chart_id, note in NOTES.items():
        caption = f"图{KINDS.index(chart_id) + 1}{titles[chart_id]}"
        assert caption + note in again_text


def test_prose_that_prints_a_cell_not_published_still_stops_the_build(tmp_path: Path) -> None:
    brief = gapped(tmp_path / "proj")
    body = brief / "body.md"
    body.write_text(body.read_text(encoding="utf-8")
                    + "辽宁省增速{{ tables.regions['辽宁省'].va }}。\n", encoding="utf-8")
    built = run_cli("build", "briefs/test", "-o", "out", cwd=brief.parents[1])
    assert built.code == 2
    assert built.stderr.strip().splitlines()[-1].startswith(
        "briefgen: error: data/test/2023/regions.csv:4: column 'va' is a missing number")
    assert not (brief.parents[1] / "out" / "test.pdf").exists()
