"""A small project made by the tests: one brief, one data year, the project's templates.

The figures echo the reference issue but are test data, not statistics.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import ROOT

BRIEF_YAML = """\
# A test brief.
title: 测试简报
date: 2024-05-14   # the day it went out
issue: 3
place: 朝阳市
authors: [{name: 张三, bio: 研究员。}]
data:
  folder: ../../data/x/2023   # this year's statistics
sections:
  - file: body.md
"""

FACTS = """\
population: {value: 279.8, unit: 万人, label: 常住人口}
urbanization: {value: 51.12, unit: '%', label: 城镇化率}
output: {value: 982.7, unit: 亿元, label: 规上工业产值}
six_output: {value: 967.8, unit: 亿元, label: 六大行业产值}
enterprises: {value: 436, unit: 户, label: 规上工业企业}
"""

TABLES = """\
sectors:
  file: sectors.csv
  title: 六大行业
  key: name
  columns:
    name: {label: 行业, type: text}
    firms: {label: 企业数, unit: 户, type: int}
    output: {label: 产值, unit: 亿元}
    growth: {label: 产值增速, unit: '%'}
  total: {column: output, fact: six_output}
"""

SECTORS = """\
name,firms,output,growth
冶金,113,567.2,0.04
农产品加工,41,91.0,11.7
石化,28,89.4,21.4
建材,65,83.2,3.9
能源,50,74.5,2.5
装备,96,62.5,29.4
"""


def make_data(root: Path, year: str = "2023", facts: str = FACTS, sectors: str = SECTORS) -> Path:
    data = root / "data" / "x" / year
    data.mkdir(parents=True)
    (data / "facts.yaml").write_text(facts, encoding="utf-8")
    (data / "tables.yaml").write_text(TABLES, encoding="utf-8")
    (data / "sectors.csv").write_text(sectors, encoding="utf-8")
    return data


def make_project(root: Path, body: str, brief_yaml: str = BRIEF_YAML, name: str = "b") -> Path:
    """A project under `root` with one brief whose only section is `body`; the brief folder."""
    if not (root / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    if not (root / "data" / "x" / "2023").exists():
        make_data(root)
    brief = root / "briefs" / name
    brief.mkdir(parents=True)
    (brief / "brief.yaml").write_text(brief_yaml, encoding="utf-8")
    (brief / "body.md").write_text(body, encoding="utf-8")
    return brief
