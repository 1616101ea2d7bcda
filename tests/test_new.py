"""new: the next issue from new data; the acceptance test of the editor's loop."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from briefgen.compose import compose
from briefgen.compose.marks import split_marks
from briefgen.config.brief import load_spec
from briefgen.data import load_data
from briefgen.numbers import fixed

from .conftest import run_cli
from .minibrief import BRIEF_YAML, make_data, make_project

OLD = "briefs/2024-05-chaoyang"
NEW = "briefs/2025-05-chaoyang"

# A made-up next year: test data written by the test into its temporary project,
# never shipped. Order of the sectors and the signs of every gap stay as in 2023,
# so the prose around the figures must not change.
FACT_EDITS = {
    "year": ("2023", "2024"),
    "population": ("279.8", "276.5"),
    "population_urban": ("143", "144.2"),
    "urbanisation_rate": ("51.12", "52.15"),
    "industry_enterprises": ("436", "452"),
    "industry_output": ("982.7", "1010.4"),
    "va_growth_rank_province": ("8", "6"),
}
SECTOR_EDITS = {
    "冶金,冶金行业,113,567.2,": "冶金,冶金行业,113,580.0,",
    "装备,装备行业,96,62.5,": "装备,装备行业,101,70.1,",
}


def next_year_data(project: Path, sector_edits: dict[str, str] = SECTOR_EDITS) -> Path:
    old, new = project / "data/chaoyang/2023", project / "data/chaoyang/2024"
    shutil.copytree(old, new)
    facts = (new / "facts.yaml").read_text(encoding="utf-8")
    for name, (was, now) in FACT_EDITS.items():
        facts, n = re.subn(rf"^({name}: \{{value: ){re.escape(was)}\b", rf"\g<1>{now}", facts,
                           flags=re.M)
        assert n == 1, name
    (new / "facts.yaml").write_text(facts, encoding="utf-8")
    sectors = (new / "sectors.csv").read_text(encoding="utf-8")
    for was, now in sector_edits.items():
        assert was in sectors
        sectors = sectors.replace(was, now)
    (new / "sectors.csv").write_text(sectors, encoding="utf-8")
    return new


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def marked_figures(project: Path, brief: str) -> tuple[list[str], list[tuple[str, object]]]:
    """Each section's text with the figures cut out, and the figures (text, value) in order."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        spec = load_spec(Path(brief))
        data = load_data(spec.data_folder())
        composition = compose(spec, data)
    finally:
        os.chdir(cwd)
    skeletons, figures = [], []
    for section in composition.sections:
        runs = list(split_marks(section.markdown))
        skeletons.append("".join("⟨⟩" if fid is not None else text for text, fid in runs))
        for _, fid in runs:
            if fid is not None:
                entry = composition.ledger[fid]
                figures.append((entry.text, entry))
    return skeletons, figures


def changed_cells(project: Path) -> set[tuple[str, int | None, str | None]]:
    old = dict(load_data(project / "data/chaoyang/2023").all_values())
    new = dict(load_data(project / "data/chaoyang/2024").all_values())
    keys = set()
    for name, v in new.items():
        if old[name].value != v.value:
            keys |= {(Path(c.file).name, c.row, c.column) for c in v.sources}
    return keys


def test_next_issue_changes_every_bound_figure_and_nothing_else(project: Path) -> None:
    next_year_data(project)
    made = run_cli("new", NEW, "--from", OLD, "--data", "data/chaoyang/2024", cwd=project)
    assert made.code == 0, made.stderr
    built = run_cli("build", OLD, NEW, "-o", "out", "--format", "docx", cwd=project)
    assert built.code == 0, built.stderr + built.stdout

    # The prose around the figures is the same; the figures line up one to one.
    old_skeleton, old_figures = marked_figures(project, OLD)
    new_skeleton, new_figures = marked_figures(project, NEW)
    assert new_skeleton == old_skeleton
    assert len(new_figures) == len(old_figures) > 80

    # A figure changed exactly when a cell it was computed from changed.
    changed = changed_cells(project)
    moved = 0
    for (old_text, _), (new_text, value) in zip(old_figures, new_figures, strict=True):
        depends = any((Path(c.file).name, c.row, c.column) in changed for c in value.sources)
        assert (old_text != new_text) == depends, (old_text, new_text, value.label)
        moved += depends
    assert moved >= 20

    # The Word text: the old issue's with each figure replaced, date and number advanced.
    old_doc = docx_text(project / "out" / "2024-05-chaoyang.docx")
    new_doc = docx_text(project / "out" / "2025-05-chaoyang.docx")
    expected, cursor = [], 0
    for (old_text, _), (new_text, _) in zip(old_figures, new_figures, strict=True):
        at = old_doc.find(old_text, cursor)
        assert at >= 0, old_text
        expected.append(old_doc[cursor:at] + new_text)
        cursor = at + len(old_text)
    expected.append(old_doc[cursor:])
    masthead = "".join(expected).replace("第5期\t2024年5月14日", "第6期\t2025年5月14日", 1)
    assert new_doc == masthead

    # Figures worked out here from the test data, not by briefgen.
    # The cell was typed 580.0: it prints with the place it was typed with.
    share = fixed(580.0 / 1010.4 * 100, 1)
    assert f"产值580.0亿元，占规上工业总产值的{share}%" in new_doc
    assert f"占规上工业总产值的{fixed((580.0 + 91 + 89.4 + 83.2 + 74.5 + 70.1) / 1010.4 * 100, 1)}%" in new_doc
    assert "在全省排名第6位" in new_doc and "第8位" not in new_doc
    assert "常住人口为276.5万人" in new_doc and f"{fixed(144.2 / 276.5 * 100, 1)}%" in new_doc
    assert "企业452户。2024年，规上工业实现总产值1010.4亿元" in new_doc
    assert f"约占全市规上工业企业的{fixed(336 / 452 * 100, 0)}%" in new_doc


def test_a_new_leader_reorders_the_sectors(project: Path) -> None:
    edits = dict(SECTOR_EDITS)
    edits["装备,装备行业,96,62.5,"] = "装备,装备行业,96,95.0,"  # now second by output
    next_year_data(project, edits)
    assert run_cli("new", NEW, "--from", OLD, "--data", "data/chaoyang/2024", cwd=project).code == 0
    built = run_cli("build", NEW, "-o", "out", "--format", "docx", cwd=project)
    assert built.code == 0, built.stderr
    text = docx_text(project / "out" / "2025-05-chaoyang.docx")
    paragraph = next(p for p in text.split("\n") if "重点支柱产业" in p)
    outputs = {"冶金行业": 580.0, "农产品加工业": 91.0, "石化行业": 89.4, "建材行业": 83.2,
               "能源行业": 74.5, "装备行业": 95.0}
    order = sorted(outputs, key=outputs.get, reverse=True)
    positions = [paragraph.index(name + ("是" if i == 0 else "有")) for i, name in enumerate(order)]
    assert positions == sorted(positions)
    for name in order[1:]:
        share = fixed(outputs[name] / 1010.4 * 100, 1)
        assert re.search(rf"{name}有规上企业\d+户，产值[\d.]+亿元，占{share}%", paragraph), name


def test_new_edits_brief_yaml_as_text(project: Path) -> None:
    next_year_data(project)
    old_text = (project / OLD / "brief.yaml").read_text(encoding="utf-8")
    result = run_cli("new", NEW, "--from", OLD, "--data", "data/chaoyang/2024", cwd=project)
    assert result.code == 0, result.stderr
    assert "issue 6" in result.stdout and "2025-05-14" in result.stdout
    new_text = (project / NEW / "brief.yaml").read_text(encoding="utf-8")
    expected = (
        old_text.replace("date: 2024-05-14", "date: 2025-05-14")
        .replace("issue: 5", "issue: 6")
        .replace("  folder: ../../data/chaoyang/2023\n",
                 "  folder: ../../data/chaoyang/2024\n"
                 "  previous: ../../data/chaoyang/2023   # the previous issue's data, for check\n")
    )
    assert new_text == expected  # comments, order and layout as the editor wrote them
    raw = yaml.safe_load(new_text)
    assert raw["data"] == {"folder": "../../data/chaoyang/2024", "previous": "../../data/chaoyang/2023"}
    for section in (project / OLD / "sections").iterdir():  # the prose is kept
        assert (project / NEW / "sections" / section.name).read_bytes() == section.read_bytes()
    check = run_cli("check", NEW, cwd=project)
    assert check.code == 0, check.stdout


def test_date_issue_and_flow_style(tmp_path: Path) -> None:
    yaml_text = BRIEF_YAML.replace(
        "data:\n  folder: ../../data/x/2023   # this year's statistics\n",
        "issue_total: 41\ndata: {folder: ../../data/x/2023}  # flow style\n",
    )
    make_project(tmp_path, "正文 {{ facts.population | q }}。\n", brief_yaml=yaml_text)
    make_data(tmp_path, "2024")
    result = run_cli("new", "briefs/next", "--from", "briefs/b", "--data", "data/x/2024",
                     "--date", "2025-06-01", "--issue", "1", cwd=tmp_path)
    assert result.code == 0, result.stderr
    text = (tmp_path / "briefs/next/brief.yaml").read_text(encoding="utf-8")
    assert "data: {folder: ../../data/x/2024, previous: ../../data/x/2023}  # flow style" in text
    assert "date: 2025-06-01   # the day it went out" in text
    raw = yaml.safe_load(text)
    assert (raw["issue"], raw["issue_total"], raw["date"]) == (1, 42, dt.date(2025, 6, 1))


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    make_project(tmp_path, "正文。\n")
    make_project(tmp_path, "别的。\n", name="next")
    make_data(tmp_path, "2024")
    result = run_cli("new", "briefs/next", "--from", "briefs/b", "--data", "data/x/2024", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "briefgen: error: briefs/next: folder already exists "
        "(briefgen new never overwrites; choose another folder)"
    )
    assert (tmp_path / "briefs/next/body.md").read_text(encoding="utf-8") == "别的。\n"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("{{ facts.urbanization | pct }}", "no fact named 'urbanization'"),
        ("{{ tables.sectors['冶金'].growth | pct }}", "has no column 'growth'"),
        ("{{ tables.sectors['冶金'].output | yi }}", "has no row '冶金'"),
    ],
)
def test_missing_data_is_named_and_nothing_is_written(tmp_path: Path, body: str, words: str) -> None:
    make_project(tmp_path, f"第一行。\n{body}\n")
    facts = "population: {value: 276.5, unit: 万人, label: 常住人口}\nsix_output: {value: 1, label: x}\n"
    data = make_data(tmp_path, "2024", facts=facts,
                     sectors="name,firms,output,growth\n装备,96,62.5,29.4\n")
    if "growth" in words:
        (data / "tables.yaml").write_text(
            (data / "tables.yaml").read_text(encoding="utf-8").replace(
                "    growth: {label: 产值增速, unit: '%'}\n", ""), encoding="utf-8")
        (data / "sectors.csv").write_text("name,firms,output\n冶金,113,567.2\n", encoding="utf-8")
    before = sorted(p.name for p in (tmp_path / "briefs").iterdir())
    result = run_cli("new", "briefs/next", "--from", "briefs/b", "--data", "data/x/2024", cwd=tmp_path)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("briefgen: error: briefs/b/body.md:2: the new data lacks what the brief uses")
    assert words in line
    assert sorted(p.name for p in (tmp_path / "briefs").iterdir()) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--data", "data/x/nope"], "data folder not found"),
        (["--data", "/tmp"], "leaves the project"),
        (["--data", "data/x/2023", "--date", "2025-02-30"], "is not a date"),
        (["--data", "data/x/2023", "--issue", "0"], "--issue must be 1 or more"),
        (["--data", "data/x/2023"], "the new issue's data is the old issue's data"),
    ],
)
def test_user_mistakes(tmp_path: Path, args: list[str], words: str) -> None:
    make_project(tmp_path, "正文。\n")
    result = run_cli("new", "briefs/next", "--from", "briefs/b", *args, cwd=tmp_path)
    assert result.code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert not (tmp_path / "briefs/next").exists()
    assert [p.name for p in (tmp_path / "briefs").iterdir()] == ["b"]


def test_a_chart_the_new_data_cannot_draw_is_named(project: Path) -> None:
    data = next_year_data(project)
    compare = data / "growth_compare.csv"
    lines = compare.read_text(encoding="utf-8").splitlines(keepends=True)
    compare.write_text("".join(line for line in lines if not line.startswith("全国,")), encoding="utf-8")
    result = run_cli("new", NEW, "--from", OLD, "--data", "data/chaoyang/2024", cwd=project)
    assert result.code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"briefgen: error: {OLD}/brief.yaml:")
    assert "chart 'va-growth'" in line and "no row '全国'" in line
    assert not (project / NEW).exists()
