"""A catalogue of broken inputs. Each one, built through the command line, ends in one
clear line naming the file (and the line where there is one), exit code 2, and
nothing in the output folder: no .docx, no .pdf, no half-written part file.

Every case breaks a copy of the sample brief (the `project` fixture).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import run_cli

BRIEF = "briefs/2024-05-chaoyang"
DATA = "data/chaoyang/2023"


def edit(project: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(project: Path, name: str, words: str) -> int:
    lines = (project / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if words in line)


@dataclass
class Case:
    id: str
    breaks: Callable[[Path], object]  # breaks the project; may return extra CLI arguments
    file: str  # the file the message must name
    line: Callable[[Path], int] | int | None  # the line it must name (None: no line)
    words: str  # a regular expression the message must match


def _brief(old: str, new: str) -> Callable[[Path], None]:
    return lambda p: edit(p, f"{BRIEF}/brief.yaml", old, new)


def _data(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda p: edit(p, f"{DATA}/{name}", old, new)


def _section(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda p: edit(p, f"{BRIEF}/sections/{name}", old, new)


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (p / name).write_bytes(raw)
    return go


def _gbk(p: Path) -> None:
    path = p / DATA / "sectors.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def _gbk_section(p: Path) -> None:
    path = p / BRIEF / "sections" / "intro.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def _merged_header_xlsx(p: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["地类与面积", None])  # one title cell merged across both columns
    ws.merge_cells("A1:B1")
    ws.append(["key", "area"])
    for row in (p / DATA / "land_use.csv").read_text(encoding="utf-8").splitlines()[1:]:
        key, area = row.split(",")
        ws.append([key, float(area)])
    wb.save(p / DATA / "land_use.xlsx")
    edit(p, f"{DATA}/tables.yaml", "file: land_use.csv", "file: land_use.xlsx")


def _unwritable(p: Path) -> list[str]:
    (p / "blocker").write_text("a file where the output folder should go\n", encoding="utf-8")
    return ["-o", "blocker/out"]


def _chart(key: str, value: str) -> Callable[[Path], None]:
    """Set `key` of the brief's first chart (adding a chart if the brief has none)."""

    def go(p: Path) -> None:
        path = p / BRIEF / "brief.yaml"
        text = path.read_text(encoding="utf-8")
        if not re.search(r"^charts:", text, re.M):
            text = text.replace("sections:\n", "charts:\n  - id: sectors\n    kind: bar\n"
                                "    table: sectors\n    x: key\n    y: output\n"
                                "    title: 六大行业产值\nsections:\n", 1)
        head, _, rest = text.partition("\ncharts:\n")
        rest, n = re.subn(rf"^(\s+(?:- )?){key}: .*$", rf"\g<1>{key}: {value}", rest, count=1,
                          flags=re.M)
        assert n == 1
        path.write_text(f"{head}\ncharts:\n{rest}", encoding="utf-8")

    return go


def _brief_line(words: str) -> Callable[[Path], int]:
    return lambda p: line_of(p, f"{BRIEF}/brief.yaml", words)


def _data_line(name: str, words: str) -> Callable[[Path], int]:
    return lambda p: line_of(p, f"{DATA}/{name}", words)


def _section_line(name: str, words: str) -> Callable[[Path], int]:
    return lambda p: line_of(p, f"{BRIEF}/sections/{name}", words)


B, S, D = f"{BRIEF}/brief.yaml", f"{BRIEF}/sections", DATA

CASES = [
    # ---- brief.yaml ----
    Case("yaml-syntax", _brief("issue: 5\n", "issue: [5\n"), B, None, "YAML syntax error"),
    Case("unknown-key", _brief("issue: 5\n", "issue: 5\ncolour: red\n"), B, _brief_line("colour"),
         "unknown key 'colour'"),
    Case("wrong-type", _brief("issue: 5\n", "issue: five\n"), B, _brief_line("issue:"), "issue"),
    Case("missing-field", _brief("issue: 5\n", ""), B, None, "missing key 'issue'"),
    Case("bad-date", _brief("date: 2024-05-14", "date: 2024-13-45"), B, _brief_line("date:"), "date"),
    Case("data-folder-leaves-project", _brief("folder: ../../data/chaoyang/2023",
                                              "folder: ../../../../etc/passwd"),
         B, _brief_line("folder:"), "leaves the project"),
    Case("section-leaves-folder", _brief("- file: sections/intro.md",
                                         "- file: ../../../../etc/passwd"),
         B, _brief_line("etc/passwd"), "outside the brief folder"),
    Case("section-file-missing", _brief("- file: sections/intro.md", "- file: sections/intro2.md"),
         B, _brief_line("intro2"), "not found"),
    Case("genre-template-missing", _brief("- template: basics", "- template: basic"),
         B, _brief_line("template: basic"), "no genre template 'basic-industry'"),
    Case("house-file-missing", _brief("issue: 5\n", "issue: 5\nhouse: nohouse.yaml\n"),
         f"{BRIEF}/nohouse.yaml", None, "not found"),
    Case("chart-missing-column", _chart("y", "nosuch"), B, _brief_line("y: nosuch"), "nosuch"),
    Case("chart-unknown-kind", _chart("kind", "radar"), B, _brief_line("kind: radar"), "kind"),
    # ---- data ----
    Case("data-file-missing", lambda p: (p / D / "sectors.csv").unlink(), f"{D}/sectors.csv", None,
         "not found"),
    Case("missing-column", _data("sectors.csv", "key,name,enterprises,output,growth",
                                 "key,name,enterprises,产出,growth"),
         f"{D}/sectors.csv", 1, "column 'output'"),
    Case("text-in-number-column", _data("sectors.csv", "567.2", "五百六十七点二"), f"{D}/sectors.csv",
         2, "not a number"),
    Case("gbk-csv", _gbk, f"{D}/sectors.csv", 2, "not UTF-8"),
    Case("xlsx-merged-header", _merged_header_xlsx, f"{D}/land_use.xlsx", 1, "merged"),
    Case("empty-table", _write(f"{D}/sectors.csv", "key,name,enterprises,output,growth\n"),
         f"{D}/sectors.csv", None, "no rows"),
    Case("empty-file", _write(f"{D}/sectors.csv", b""), f"{D}/sectors.csv", None, "empty"),
    Case("nan-cell", _data("sectors.csv", "567.2", "NaN"), f"{D}/sectors.csv", 2, "missing number"),
    Case("empty-cell", _data("sectors.csv", ",567.2,", ",,"), f"{D}/sectors.csv", 2,
         "missing number"),
    Case("duplicate-key", _data("sectors.csv", "农产品加工,", "冶金,"), f"{D}/sectors.csv", 3,
         "appears twice"),
    Case("zero-total", _data("facts.yaml", "total_area: {value: 1969914.36", "total_area: {value: 0"),
         f"{D}/facts.yaml", _data_line("facts.yaml", "total_area:"), "positive"),
    Case("negative-total", _data("facts.yaml", "total_area: {value: 1969914.36",
                                 "total_area: {value: -1969914.36"),
         f"{D}/facts.yaml", _data_line("facts.yaml", "total_area:"), "positive"),
    Case("parts-off-their-total", _data("land_use.csv", "1315366.36", "1415366.36"),
         f"{D}/tables.yaml", _data_line("tables.yaml", "total: {column: area"), "add up to"),
    Case("fact-not-finite", _data("facts.yaml", "value: 279.8", "value: .nan"), f"{D}/facts.yaml",
         _data_line("facts.yaml", "population:"), "finite"),
    Case("tables-unknown-key", _data("tables.yaml", "  key: key\n", "  key: key\n  keys: key\n"),
         f"{D}/tables.yaml", _data_line("tables.yaml", "keys: key"), "unknown key 'keys'"),
    Case("data-file-outside", _data("tables.yaml", "file: sectors.csv", "file: ../../../../etc/passwd"),
         f"{D}/tables.yaml", _data_line("tables.yaml", "sectors:"), "outside the data folder"),
    Case("unsupported-data-file", _data("tables.yaml", "file: sectors.csv", "file: facts.yaml"),
         f"{D}/facts.yaml", None, "unsupported"),
    # ---- templates and prose ----
    Case("template-typo", _section("basics.md", "{{ facts.total_area|q }}",
                                   "{{ facts.total_aera|q }}"),
         f"{S}/basics.md", _section_line("basics.md", "total_aera"), "total_aera"),
    Case("undefined-name", _section("problems.md", "{{ place }}", "{{ plaec }}"),
         f"{S}/problems.md", _section_line("problems.md", "plaec"), "undefined"),
    Case("sandbox-escape", _section("intro.md", "\n", "\n{{ ''.__class__ }}\n"),
         f"{S}/intro.md", 2, "not allowed"),
    Case("sandbox-escape-mro", _section("intro.md", "\n", "\n{{ facts.year.__class__.__mro__ }}\n"),
         f"{S}/intro.md", 2, "not allowed"),
    Case("template-syntax", _section("intro.md", "\n", "\n{% if %}\n"), f"{S}/intro.md", 2,
         "syntax error"),
    Case("unknown-filter", _section("problems.md", "|pct }}", "|pcnt }}"), f"{S}/problems.md",
         _section_line("problems.md", "pcnt"), "pcnt"),
    Case("missing-row", _section("problems.md", "tables.sectors['冶金']", "tables.sectors['钢铁']"),
         f"{S}/problems.md", 1, "no row '钢铁'"),
    Case("section-not-utf8", _gbk_section, f"{S}/intro.md", 1, "not UTF-8"),
    Case("numbers-contradict", _section("problems.md", "{{ rate|pct }}", "45.82%"),
         f"{S}/problems.md", _section_line("problems.md", "45.82%"), "check found an error"),
    # ---- house style and fonts ----
    Case("house-unknown-font-role",
         lambda p: edit(p, "templates/house.yaml", "body:        {font: fangsong",
                        "body:        {font: fangsongg"),
         "templates/house.yaml", lambda p: line_of(p, "templates/house.yaml", "fangsongg"),
         "font role 'fangsongg'"),
    Case("house-yaml-syntax", lambda p: edit(p, "templates/house.yaml", "styles:\n", "styles: [\n"),
         "templates/house.yaml", None, "YAML syntax error"),
    # ---- output ----
    Case("unwritable-output", _unwritable, "blocker", None, "output"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_ends_in_one_line(project: Path, case: Case) -> None:
    extra = case.breaks(project) or ["-o", "out"]
    result = run_cli("build", BRIEF, *extra, cwd=project)
    assert result.code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    message = lines[0]
    assert message.startswith("briefgen: error: "), message
    assert "Traceback" not in result.stderr
    line = case.line(project) if callable(case.line) else case.line
    where = f"{case.file}:{line}:" if line else f"{case.file}"
    assert message.startswith(f"briefgen: error: {where}"), (message, where)
    assert re.search(case.words, message), (message, case.words)
    out = project / "out"
    left = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    assert left == [], left
    if case.id == "unwritable-output":
        assert (project / "blocker").is_file()


def test_the_catalogue_is_long_enough() -> None:
    assert len(CASES) + 1 >= 25  # and the BOM case below, which must build


def test_csv_with_a_byte_order_mark_builds(project: Path) -> None:
    path = project / DATA / "sectors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert result.code == 0, result.stderr
    assert sorted(p.name for p in (project / "out").iterdir()) == [
        "2024-05-chaoyang.docx", "2024-05-chaoyang.pdf"
    ]
