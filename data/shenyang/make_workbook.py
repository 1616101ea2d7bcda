"""Make population.xlsx for a year's data folder, in the form the bureau sends it.

    python data/shenyang/make_workbook.py            # writes data/shenyang/2023/population.xlsx

One sheet, 人口主要指标: a title row, a two-row header (the year merged over its
columns, then each indicator with its unit in brackets), the rows, a blank row
and the notes. The 2023 figures and their sources are in FIGURES_2023 below;
`write_workbook` takes any year's figures (the tests make a 2024 workbook with it).

Sources (all public):
  沈阳市2023年国民经济和社会发展统计公报 and 沈阳统计年鉴2024 (Shenyang: resident
    population 920.4万人, urbanisation 85.12%; births, deaths and natural growth
    per 1000 of the registered (户籍) population: 5.28‰, 10.75‰, −5.47‰);
  沈阳市2022年统计公报 (resident population at the end of 2022: 914.7万人);
  辽宁省2023年国民经济和社会发展统计公报 (4182万人, 73.51%, 4.06‰, 9.69‰, −5.63‰;
    2022: 4197万人, and urbanisation up 0.51 points, so 73.00% in 2022);
  中华人民共和国2023年国民经济和社会发展统计公报 (140967万人, 66.16%, 6.39‰, 7.87‰,
    −1.48‰; 2022: 141175万人, 65.22%).
Shenyang's 2022 urbanisation rate is left blank: we have no figure for it we are
sure of, and a blank cell is how the bureau's sheets mark a figure not given.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

INDICATORS = [  # (header text under the year, number format: the places the bureau prints)
    ("年末常住人口（万人）", "0.0"),
    ("城镇化率（%）", "0.00"),
    ("出生率（‰）", "0.00"),
    ("死亡率（‰）", "0.00"),
    ("自然增长率（‰）", "0.00"),
]
PREVIOUS = INDICATORS[:2]  # last year's columns: population and urbanisation

Row = tuple[str, list[float | str | None], list[float | str | None]]

FIGURES_2023: list[Row] = [
    ("沈阳市", [920.4, 85.12, 5.28, 10.75, -5.47], [914.7, None]),
    ("辽宁省", [4182, 73.51, 4.06, 9.69, -5.63], [4197, 73.00]),
    ("全国", [140967, 66.16, 6.39, 7.87, -1.48], [141175, 65.22]),
]
NOTES = [
    "注：1.沈阳市出生率、死亡率、自然增长率按户籍人口计算。2.空白表示未取得该数据。",
    "资料来源：沈阳市、辽宁省及国家2023年国民经济和社会发展统计公报，沈阳统计年鉴2024。",
]


def write_workbook(path: Path, year: int, rows: list[Row], notes: list[str] = NOTES) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "人口主要指标"
    width = 1 + len(INDICATORS) + len(PREVIOUS)
    ws.append([f"表1  沈阳市与全省、全国人口主要指标（{year - 1}—{year}年）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.append(["地区", f"{year}年"] + [None] * (len(INDICATORS) - 1) + [f"{year - 1}年", None])
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=1 + len(INDICATORS))
    ws.merge_cells(start_row=2, start_column=2 + len(INDICATORS), end_row=2, end_column=width)
    ws.append([None] + [h for h, _ in INDICATORS] + [h for h, _ in PREVIOUS])
    ws.merge_cells(start_row=2, start_column=1, end_row=3, end_column=1)
    formats = [f for _, f in INDICATORS] + [f for _, f in PREVIOUS]
    for region, now, before in rows:
        ws.append([region, *now, *before])
        for cell, number_format in zip(ws[ws.max_row][1:], formats, strict=True):
            # whole numbers (the province's 4182万人) are printed without places
            cell.number_format = "0" if isinstance(cell.value, int) else number_format
    ws.append([])
    for note in notes:
        ws.append([note])
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wb.save(path)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else here / "2023" / "population.xlsx"
    write_workbook(target, 2023, FIGURES_2023)
    print(f"wrote {target}")
