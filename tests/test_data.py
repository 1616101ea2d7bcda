"""The data layer: cells keep their text, units are read from headers, bureau sheets are read.

Every figure here is test data written by the tests, not statistics.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from briefgen.data import DataContext, Value, load_data
from briefgen.errors import DataError

from .conftest import run_cli
from .minibrief import make_project


def folder(tmp_path: Path, tables: str, facts: str = "", **files: str) -> Path:
    data = tmp_path / "d"
    data.mkdir(exist_ok=True)
    (data / "tables.yaml").write_text(tables, encoding="utf-8")
    if facts:
        (data / "facts.yaml").write_text(facts, encoding="utf-8")
    for name, text in files.items():
        (data / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return data


def sheet(path: Path, rows: list[list[object]], name: str = "Sheet", formats: dict[str, str] | None = None,
          book: Workbook | None = None) -> Workbook:
    wb = book or Workbook()
    ws = wb.active if book is None else wb.create_sheet()
    ws.title = name
    for row in rows:
        ws.append(row)
    for ref, number_format in (formats or {}).items():
        ws[ref].number_format = number_format
    wb.save(path)
    return wb


SIMPLE = """\
t:
  file: t.csv
  title: 测试表
  key: name
  columns:
    name: {label: 地区, type: text}
    rate: {label: 增速, unit: '%'}
"""


# ---- a value keeps the text it was typed as --------------------------------------------------


def test_csv_yaml_and_xlsx_keep_the_places_typed(tmp_path: Path) -> None:
    data = folder(tmp_path, SIMPLE.replace("t.csv", "t.xlsx") + SIMPLE.replace("t:\n", "c:\n", 1),
                  facts="growth: {value: 6.0, unit: '%', label: 增速}\nplain: 13.0\nn: {value: 436, label: 户}\n",
                  t_csv="name,rate\n甲,9.0\n乙,1\n")
    sheet(data / "t.xlsx", [["name", "rate"], ["甲", 13.0], ["乙", "13.0"], ["丙", 0.5]],
          formats={"B2": "0.0", "B4": "0.00"})
    d = load_data(data)
    assert str(d.tables.c["甲"].rate) == "9.0" and d.tables.c["甲"].rate.decimals == 1
    assert str(d.tables.c["乙"].rate) == "1"
    assert str(d.facts.growth) == "6.0" and d.facts.growth.decimals == 1
    assert str(d.facts.plain) == "13.0" and str(d.facts.n) == "436"
    assert [str(r.rate) for r in d.tables.t] == ["13.0", "13.0", "0.50"]
    assert d.tables.t["甲"].rate.text == "13.0"


def test_a_percent_formatted_cell_reads_as_percent(tmp_path: Path) -> None:
    data = folder(tmp_path, SIMPLE.replace("t.csv", "t.xlsx"))
    sheet(data / "t.xlsx", [["name", "rate"], ["甲", 0.5112]], formats={"B2": "0.00%"})
    v = load_data(data).tables.t["甲"].rate
    assert v.number() == pytest.approx(51.12) and str(v) == "51.12"


def test_units_and_arithmetic() -> None:
    a = Value(4.82, "‰", "出生率", text="4.82")
    b = Value(6.39, "‰", "全国出生率", text="6.39")
    gap = a - b
    assert gap.unit == "个千分点" and str(gap) == "-1.57"
    assert (Value(51.12, "%", "城镇化率") - Value(60.6, "%", "全省")).unit == "个百分点"
    rural = 100 - Value(51.12, "%", "城镇化率", text="51.12")
    assert rural.number() == pytest.approx(48.88) and rural.unit == "%" and str(rural) == "48.88"
    assert (-a).number() == -4.82 and abs(-a).number() == 4.82
    assert (2 * a).number() == pytest.approx(9.64) and (a + 1).number() == pytest.approx(5.82)
    assert (10 / Value(4.0, "万人", "x")).number() == 2.5
    with pytest.raises(TypeError, match="text"):
        Value("近七分之一", label="占比").number()
    with pytest.raises(TypeError, match="cannot compute"):
        _ = a - "x"


# ---- not published ----------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["未发布", "—", "…", "", "-"])
def test_a_cell_not_published_is_a_missing_value_naming_its_cell(tmp_path: Path, mark: str) -> None:
    data = folder(tmp_path, SIMPLE, t_csv=f"name,rate\n甲,9.0\n乙,{mark}\n")
    t = load_data(data).tables.t
    v = t["乙"].rate
    assert v.is_missing and not t["甲"].rate.is_missing
    with pytest.raises(DataError) as err:
        v.number()
    assert err.value.file == "d/t.csv" or err.value.file.endswith("d/t.csv")
    assert err.value.line == 3 and "column 'rate'" in err.value.message
    with pytest.raises(DataError):
        str(v)
    assert [r.key for r in t.sorted("rate")] == ["甲", "乙"]  # unpublished last
    assert t.rank("甲", "rate").number() == 1
    with pytest.raises(DataError):
        t.rank("乙", "rate")
    with pytest.raises(DataError):
        t.sum("rate")


def test_prose_that_prints_a_missing_cell_is_one_line_naming_it(tmp_path: Path) -> None:
    make_project(tmp_path, "冶金产值{{ tables.sectors['冶金'].output|yi }}。\n")
    sectors = tmp_path / "data/x/2023/sectors.csv"
    sectors.write_text(sectors.read_text(encoding="utf-8").replace("567.2", "未发布"), encoding="utf-8")
    result = run_cli("build", "briefs/b", "-o", "out", cwd=tmp_path)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("briefgen: error: data/x/2023/sectors.csv:2: column 'output'"), lines
    assert "未发布" in lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_missing_fact(tmp_path: Path) -> None:
    data = folder(tmp_path, "{}\n", facts="a: {value: 未发布, unit: '%', label: 甲}\nb: {value: null, label: 乙}\n")
    d = load_data(data)
    assert d.facts.a.is_missing and d.facts.b.is_missing
    with pytest.raises(DataError, match="missing number"):
        d.facts.a.number()
    assert DataContext.all_values(d) == []


# ---- headers as the bureau writes them ---------------------------------------------------------


YEARS = """\
p:
  file: p.xlsx
  sheet: 人口
  header_row: 2
  header_rows: 2
  title: 人口
  key: region
  columns:
    region: {header: 地区, type: text}
    population: {header: "{year}年常住人口（万人）", label: 常住人口}
    rate: {header: "{year}年出生率（‰）"}
"""


def year_book(path: Path, year: int, rows: list[list[object]]) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("人口")
    ws.append([f"表1 {year}年人口"])
    ws.merge_cells("A1:E1")
    ws.append(["地区", f"{year}年", None, f"{year - 1}年", None])
    ws.merge_cells("B2:C2")
    ws.merge_cells("D2:E2")
    ws.append([None, "常住人口（万人）", "出生率（‰）", "常住人口（万人）", "出生率（‰）"])
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append(["注：出生率按户籍人口计算。"])
    ws.append(["资料来源：测试。", 12345])
    wb.save(path)


def test_years_side_by_side_under_merged_headers(tmp_path: Path) -> None:
    data = folder(tmp_path, YEARS)
    year_book(data / "p.xlsx", 2023, [["甲市", 920.4, 5.28, 914.7, 5.5], ["乙市", 13.0, 4.1, 12.5, "未发布"]])
    t = load_data(data).tables.p
    assert str(t.year) == "2023" and str(t.prev_year) == "2022"
    assert t.columns == ["region", "population", "population_prev", "rate", "rate_prev"]
    assert [r.key for r in t] == ["甲市", "乙市"]  # the notes are not rows
    spec = t.spec.columns
    assert spec["population"].unit == "万人" and spec["population"].label == "常住人口"
    assert spec["rate"].unit == "‰" and spec["rate"].label == "出生率"
    assert spec["population_prev"].label == "2022年常住人口"
    row = t["甲市"]
    assert row.population.number() == 920.4 and row.population_prev.number() == 914.7
    assert str(row.change("population")) == "5.7" and row.change("population").unit == "万人"
    assert row.change("rate").unit == "个千分点"
    assert row.change_pct("population").number() == pytest.approx((920.4 - 914.7) / 914.7 * 100)
    assert t["乙市"].rate_prev.is_missing
    cell = row.population.sources[0]
    assert (cell.row, cell.column) == (4, "2023年常住人口（万人） (B)")


def test_next_years_sheet_is_read_by_the_same_description(tmp_path: Path) -> None:
    data = folder(tmp_path, YEARS)
    year_book(data / "p.xlsx", 2024, [["甲市", 930.0, 5.1, 920.4, 5.28]])
    t = load_data(data).tables.p
    assert str(t.year) == "2024" and t["甲市"].population_prev.number() == 920.4
    assert str(t["甲市"].population) == "930"  # a General cell shows 930.0 as Excel does: 930


def test_a_sheet_per_year(tmp_path: Path) -> None:
    data = folder(tmp_path, """\
p:
  file: p.xlsx
  sheet: "{year}年"
  title: 人口
  key: region
  columns:
    region: {header: 地区, type: text}
    population: {header: 常住人口（万人）}
""")
    wb = sheet(data / "p.xlsx", [["地区", "常住人口（万人）"], ["甲市", 914.7], ["乙市", 13]], name="2022年")
    sheet(data / "p.xlsx", [["地区", "常住人口（万人）"], ["乙市", 12], ["甲市", 920.4], ["丙市", 1]],
          name="2023年", book=wb)
    t = load_data(data).tables.p
    assert str(t.year) == "2023" and [r.key for r in t] == ["乙市", "甲市", "丙市"]
    assert t["甲市"].population_prev.number() == 914.7
    assert t["乙市"].change("population").number() == -1
    assert t["丙市"].population_prev.is_missing  # not in last year's sheet
    assert t["甲市"].population_prev.sources[0].column == "2022年!常住人口（万人） (B)"


@pytest.mark.parametrize("tables, words", [
    (YEARS.replace("header_row: 2", "header_row: 1"), "column 'region'"),
    (YEARS.replace("人口\n  header_row", "人 口 表\n  header_row"), "no sheet"),
    (YEARS.replace("label: 常住人口}", "label: 常住人口, unit: 人}"), "unit '人' but its header says '万人'"),
    (YEARS.replace("{year}年出生率（‰）", "{year}年死亡率（‰）"), "column 'rate'"),
])
def test_description_mistakes_are_one_line(tmp_path: Path, tables: str, words: str) -> None:
    data = folder(tmp_path, tables)
    year_book(data / "p.xlsx", 2023, [["甲市", 920.4, 5.28, 914.7, 5.5]])
    with pytest.raises(DataError) as err:
        load_data(data)
    assert words in err.value.one_line() and "\n" not in err.value.one_line()


def test_headers_by_text_with_spaces_and_full_width_brackets(tmp_path: Path) -> None:
    data = folder(tmp_path, """\
t:
  file: t.csv
  title: 测试
  key: name
  columns:
    name: {header: 地区, type: text}
    output: {header: 产值(亿元)}
""", t_csv="地 区,产值（亿元）\n甲,1.50\n")
    t = load_data(data).tables.t
    assert t.spec.columns["output"].unit == "亿元" and str(t["甲"].output) == "1.50"


# ---- bounded work -----------------------------------------------------------------------------


def test_too_many_rows_is_one_line(tmp_path: Path) -> None:
    body = "".join(f"r{i},{i}\n" for i in range(100_001))
    data = folder(tmp_path, SIMPLE, t_csv="name,rate\n" + body)
    with pytest.raises(DataError, match="more than 100,000 rows") as err:
        load_data(data)
    assert err.value.line == 100_001  # the first row past the cap (the header is line 1)


def test_too_many_columns_is_one_line(tmp_path: Path) -> None:
    data = folder(tmp_path, SIMPLE.replace("t.csv", "t.xlsx"))
    sheet(data / "t.xlsx", [["name", "rate", *[f"c{i}" for i in range(250)]], ["甲", 1]])
    with pytest.raises(DataError, match="more than 200 columns"):
        load_data(data)


def test_ranking_every_row_of_a_long_table_is_linear(tmp_path: Path) -> None:
    body = "".join(f"r{i},{(i * 7919) % 50_000}\n" for i in range(50_000))
    t = load_data(folder(tmp_path, SIMPLE, t_csv="name,rate\n" + body)).tables.t
    start = time.perf_counter()
    ranks = [t.rank(row, "rate").number() for row in t]
    assert time.perf_counter() - start < 5  # one sort, not one per row (that took minutes)
    assert sorted(ranks) == list(range(1, 50_001))


def test_equal_values_share_a_rank(tmp_path: Path) -> None:
    t = load_data(folder(tmp_path, SIMPLE, t_csv="name,rate\n甲,3\n乙,5\n丙,5\n丁,1\n")).tables.t
    assert [t.rank(k, "rate").number() for k in "甲乙丙丁"] == [3, 1, 1, 4]
    assert [t.rank(k, "rate", descending=False).number() for k in "甲乙丙丁"] == [2, 3, 3, 1]


def test_tables_hold_no_path_and_no_frame(tmp_path: Path) -> None:
    t = load_data(folder(tmp_path, SIMPLE, t_csv="name,rate\n甲,3\n")).tables.t
    assert isinstance(t.file, str) and isinstance(t.path, str)
    assert not hasattr(t, "frame")
