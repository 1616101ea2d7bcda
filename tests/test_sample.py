"""The sample issue (briefs/2024-05-chaoyang) composes, carries every figure of
the reference issue's basics, numbers its headings, and follows its data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.app.pipeline import prepare
from briefgen.model import Paragraph

from .conftest import ROOT, SAMPLE

# Every figure of the reference issue's section 一 (基本情况), through the sector
# and cluster paragraphs, as the composed text must print it.
BASICS_FIGURES = [
    # land, administration, population
    "1969914.36公顷", "近七分之一", "14个地级市", "排名第一",
    "2个市辖区", "3个县", "2个县级市",
    "279.8万人", "143万人", "136.8万人", "51.1%", "48.9%", "51.12%",
    # industry as a whole
    "436户", "982.7亿元", "增长4.8%", "增长5.5%", "12.2个百分点",
    "0.9个百分点", "4.6%", "0.5个百分点", "全省为5%", "第8位",
    # the six sectors
    "967.8亿元", "98.5%",
    "113户", "567.2亿元", "57.7%", "增长0.04%",
    "41户", "91亿元", "9.3%", "增长11.7%",
    "28户", "89.4亿元", "9.1%", "增长21.4%",
    "65户", "83.2亿元", "8.5%", "增长3.9%",
    "50户", "74.5亿元", "7.6%", "增长2.5%",
    "96户", "62.5亿元", "6.4%", "增长29.4%",
    # the clusters
    "重点产业集群14个", "优势明显产业集群5个", "战略性新兴产业集群6个",
    "培育壮大产业集群3个", "336户", "77%", "891.5亿元", "90.7%",
]

EXPECTED_HEADINGS = [
    (1, "一、", "朝阳市工业发展基本情况"),
    (2, "（一）", "优势资源"),
    (3, "1.", "区位优势明显，土地资源总量大"),
    (3, "2.", "风光资源富集，开发空间广阔"),
    (3, "3.", "矿产资源丰富，矿种较为齐全"),
    (2, "（二）", "优秀企业"),
    (2, "（三）", "优秀产品"),
    (1, "二、", "朝阳市工业发展存在的问题"),
    (2, "（一）", "工业结构不够合理，增量支撑明显不足"),
    (2, "（二）", "新旧动能转换偏慢，城市辐射带动能力不足"),
    (2, "（三）", "引资引技难度较大，创新发展基础薄弱"),
    (1, "三、", "朝阳市工业高质量发展的对策建议"),
    (2, "（一）", "坚持因地制宜，改造提升传统工业体系"),
    (3, "1.", "加快设备制造业改造升级"),
    (3, "2.", "促进金属新材料产业提档升级"),
    (3, "3.", "扶持特色资源产业创新发展"),
    (3, "4.", "大力引进工业领军企业"),
    (2, "（二）", "发挥资源禀赋优势，优化调整制造业结构"),
    (3, "1.", "加快承接新质产业转移"),
    (3, "2.", "推动产业结构优化升级"),
    (3, "3.", "加快建设清洁能源基地"),
    (2, "（三）", "推动数智深度融合，构建现代化工业体系"),
    (3, "1.", "以人工智能赋能工业制造"),
    (3, "2.", "以数据要素赋能工业制造"),
    (2, "（四）", "集聚科技人才资源，增强创新驱动动力"),
    (3, "1.", "对接京津冀科技资源，建设区域创新中心"),
    (3, "2.", "主动作为，打造人才“磁场”"),
]


@pytest.fixture(scope="module")
def sample():
    return prepare(ROOT / SAMPLE)


def _basics(markdown: str) -> str:
    """The composed basics section: from its heading to the first strength."""
    start = markdown.index("# 朝阳市工业发展基本情况")
    return markdown[start : markdown.index("## 优势资源", start)]


@pytest.mark.parametrize("figure", BASICS_FIGURES)
def test_every_basics_figure_of_the_seed_is_printed(sample, figure: str) -> None:
    assert figure in _basics(sample.composition.markdown)


def test_basics_figures_come_from_the_data_not_the_prose(sample) -> None:
    """The sector and cluster figures are printed by filters, so the ledger has them."""
    traced = {t.text for t in sample.composition.ledger}
    for figure in ("567.2亿元", "57.7%", "967.8亿元", "98.5%", "14个", "90.7%", "136.8万人"):
        assert figure in traced, figure


def test_seed_inconsistencies_are_fixed(sample) -> None:
    text = sample.composition.markdown
    assert "45.82%" not in text  # the seed's second urbanisation rate
    assert "60%以上" not in text  # the seed's "over 60%" for metallurgy
    assert "冶金行业产值占规上工业总产值的比重仍高达57.7%" in text
    # gaps to the national (68.11%) and provincial (60.60%) rates, from 51.12%
    assert "低于全国平均水平16.99个百分点" in text
    assert "低于全省平均水平9.48个百分点" in text


def test_headings_are_numbered_in_order(sample) -> None:
    got = [(h.level, h.number, h.text) for h in sample.document.headings()]
    assert got == EXPECTED_HEADINGS


def test_intro_comes_before_the_first_heading_without_one(sample) -> None:
    first = sample.document.body[0]
    assert isinstance(first, Paragraph)
    assert first.text.startswith("习近平总书记于2023年9月7日")


def _sector(markdown: str, name: str) -> str:
    """The clause of the sectors paragraph about one sector."""
    m = re.search(name + r"[^；。]*[；。]", _basics(markdown))
    assert m, name
    return m.group(0)


def test_changing_a_sector_changes_its_share_and_the_total(project: Path) -> None:
    before = prepare(project / SAMPLE).composition.markdown
    assert "装备行业有规上企业96户，产值62.5亿元，占6.4%" in _sector(before, "装备行业有")
    assert "六大行业共实现产值967.8亿元，占规上工业总产值的98.5%" in before

    csv = project / "data/chaoyang/2023/sectors.csv"
    text = csv.read_text(encoding="utf-8")
    assert "装备,装备行业,96,62.5,29.4" in text
    csv.write_text(text.replace("装备,装备行业,96,62.5,29.4", "装备,装备行业,96,72.5,29.4"),
                   encoding="utf-8")

    after = prepare(project / SAMPLE).composition.markdown
    clause = _sector(after, "装备行业有")
    assert "产值72.5亿元" in clause
    assert "占7.4%" in clause  # 72.5 / 982.7
    assert "六大行业共实现产值977.8亿元，占规上工业总产值的99.5%" in after
    assert "967.8亿元" not in after
    assert "62.5亿元" not in after
    # the other sectors are untouched
    assert "产值567.2亿元，占规上工业总产值的57.7%" in after
