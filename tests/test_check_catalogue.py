"""The catalogue: editor mistakes injected one at a time into a copy of the sample, each
an error at the right file and line; legitimate numbers and true sentences, none an error
and few warnings. Recall and precision are printed by test_the_scores."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefgen.analysis.check import check_folder
from briefgen.analysis.check.findings import ERROR, WARNING, Finding

from .conftest import ROOT, SAMPLE

BRIEF = "briefs/2024-05-chaoyang"
DATA = "data/chaoyang/2023"
CHECKS_YAML = """\
identities:
  - {rate: urbanisation_rate, part: population_urban, whole: population, tolerance: 0.05}
"""


def copy_sample(root: Path) -> Path:
    shutil.copytree(ROOT / SAMPLE, root / BRIEF)
    shutil.copytree(ROOT / DATA, root / DATA)
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / DATA / "checks.yaml").write_text(CHECKS_YAML, encoding="utf-8")
    return root / BRIEF


def append(path: Path, sentence: str) -> int:
    """Add a paragraph at the end of a file; its line."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + sentence + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def replace(path: Path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@dataclass
class Mistake:
    name: str
    file: str  # relative to the project
    old: str  # "" to append `new` as a paragraph
    new: str
    line_of: str = ""  # the expected line is the line holding this text ("" = the edit's line)


P, B, S = f"{BRIEF}/sections/problems.md", f"{BRIEF}/sections/basics.md", f"{BRIEF}/sections/strengths.md"
SHARE = "{{ metallurgy.share('output', facts.industry_output)|pct }}"
MISTAKES = [
    Mistake("share over 60%", P, SHARE, "60%以上"),
    Mistake("share 六成以上", P, SHARE, "六成以上"),
    Mistake("share one digit", P, SHARE, "58.7%"),
    Mistake("share typed wrong", P, "", "冶金行业产值占规上工业总产值的比重为59.7%。"),
    Mistake("share of 石化", P, "", "石化行业产值占规上工业总产值的9.8%。"),
    Mistake("share of 装备 transposed", P, "", "装备行业产值占规上工业总产值的4.6%。"),
    Mistake("share of 能源", P, "", "能源行业产值占规上工业总产值的5.7%。"),
    Mistake("output transposed", P, "", "冶金行业实现产值576.2亿元。"),
    Mistake("output ×10", P, "", "冶金行业实现产值5672亿元。"),
    Mistake("output ÷10", P, "", "冶金行业实现产值56.72亿元。"),
    Mistake("output 万元 for 亿元", P, "", "冶金行业实现产值567.2万元。"),
    Mistake("population transposed", P, "", "全市常住人口为297.8万人。"),
    Mistake("population ×10", P, "", "全市常住人口为2798万人。"),
    Mistake("population one digit", P, "", "全市常住人口为289.8万人。"),
    Mistake("enterprises transposed", P, "", "全市规上工业企业463户。"),
    Mistake("total output 万元", P, "", "全市规上工业总产值982.7万元。"),
    Mistake("total output transposed", P, "", "全市规上工业总产值928.7亿元。"),
    Mistake("total output ×10", P, "", "全市规上工业总产值9827亿元。"),
    Mistake("tech investment transposed", P, "", "全年工业技改投资25.9亿元。"),
    Mistake("tech investment ×10", P, "", "全年工业技改投资529亿元。"),
    Mistake("growth sign", P, "", "石化行业产值比上年下降21.4%。"),
    Mistake("growth transposed", P, "", "装备行业产值比上年增长24.9%。"),
    Mistake("growth transposed 2", P, "", "农产品加工业产值比上年增长17.1%。"),
    Mistake("growth ×10", P, "", "冶金行业产值比上年增长0.4%。"),
    Mistake("total growth sign", P, "", "规上工业总产值增速为下降4.8%。"),
    Mistake("total growth transposed", P, "", "规上工业总产值增速为8.4%。"),
    Mistake("renewables 千瓦 for 万千瓦", P, "", "风电光伏装机理论可开发量9700千瓦。"),
    Mistake("manganese transposed", P, "", "锰矿探明储量4740万吨。"),
    Mistake("iron ÷10", P, "", "铁矿查明储量9039.49万吨。"),
    Mistake("urbanisation conflict", P, "", "全市常住人口城镇化率为45.82%。"),
    Mistake("urbanisation one digit", P, "", "全市城镇化率为52.12%。"),
    Mistake("component subject transposed", P, "", "全市规上工业企业中，冶金行业规上企业131户。"),
    Mistake("石化 enterprises transposed", P, "", "石化行业共有规上企业82户。"),
    Mistake("能源 output transposed", P, "", "能源行业实现产值47.5亿元。"),
    Mistake("建材 output ×10", P, "", "建材行业实现产值832亿元。"),
    Mistake("clusters output transposed", P, "", "重点产业集群实现产值819.5亿元。"),
    Mistake("clusters enterprises transposed", P, "", "重点产业集群集聚规上企业363户。"),
    Mistake("higher for lower (national)", P, "{{ gap_nation|higher }}", "高于"),
    Mistake("higher for lower (province)", P, "{{ gap_province|higher }}", "高于"),
    Mistake("gap in % not points", P, "", "全市城镇化率低于全国平均水平16.99%。"),
    Mistake("rise in % not points", P, "", "规上工业增加值增速比上年提高12.2%。"),
    Mistake("rate in points", P, "", "全市规上工业增加值增长5.5个百分点。"),
    Mistake("gap to nation in %", P, "", "规上工业增加值增速快于全国平均水平0.9%。"),
    Mistake("gap to province in %", P, "", "规上工业增加值增速快于全省平均水平0.5%。"),
    Mistake("urbanisation gap sign (nation)", P, "", "全市城镇化率高于全国平均水平16.99个百分点。"),
    Mistake("urbanisation gap sign (province)", P, "", "全市城镇化率高于全省平均水平9.48个百分点。"),
    Mistake("growth gap sign", P, "", "规上工业增加值增速慢于全国平均水平0.9个百分点。"),
    Mistake("double negative", P, "", "2022年规上工业增加值增速下降-6.7%。"),
    Mistake("四个县", B, "{{ facts.counties|q }}县", "四个县"),
    Mistake("三个市辖区", B, "{{ facts.districts|q }}市辖区", "三个市辖区"),
    Mistake("rank 第五", P, "", "规上工业增加值增速在全省排名第五。"),
    Mistake("molybdenum rank", S, "{{ facts.molybdenum_rank_province|rank }}", "第三"),
    Mistake("iron rank", S, "{{ facts.iron_rank_province|rank }}", "第五"),
    Mistake("urban population slip in the data", f"{DATA}/facts.yaml",
            "population_urban: {value: 143,", "population_urban: {value: 134,",
            "urbanisation_rate: {value"),
    Mistake("urbanisation rate slip in the data", f"{DATA}/facts.yaml",
            "urbanisation_rate: {value: 51.12,", "urbanisation_rate: {value: 15.12,"),
    Mistake("land use slip in the data", f"{DATA}/land_use.csv", "1315366.36", "1351366.36",
            "total: {column: area"),
    Mistake("share over 100 in the data", f"{DATA}/facts.yaml",
            "mountain_hill_share: {value: 73.3,", "mountain_hill_share: {value: 733,"),
    Mistake("share over 100 in the data 2", f"{DATA}/facts.yaml",
            "tech_invest_share: {value: 23.6,", "tech_invest_share: {value: 236,"),
    Mistake("share over 100 in the data 3", f"{DATA}/facts.yaml",
            "manganese_share_province: {value: 99.2,", "manganese_share_province: {value: 992,"),
    Mistake("note in brief.yaml", f"{BRIEF}/brief.yaml", "特此致谢。", "特此致谢。全市规上工业总产值928.7亿元。"),
    Mistake("chart title in brief.yaml", f"{BRIEF}/brief.yaml", "title: 朝阳市规上工业六大行业产值及增速",
            "title: 朝阳市规上工业六大行业产值976.8亿元及增速"),
    Mistake("stale population", P, "", "全市常住人口为282.5万人。"),
    Mistake("stale output", P, "", "全市规上工业总产值939.4亿元。"),
]

PREVIOUS = {"population: {value: 279.8,": "population: {value: 282.5,",
            "industry_output: {value: 982.7,": "industry_output: {value: 939.4,"}


def inject(root: Path, mistake: Mistake) -> tuple[str, int]:
    brief = copy_sample(root)
    previous = root / "data/chaoyang/2022"
    shutil.copytree(root / DATA, previous)
    facts = previous / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    for old, new in PREVIOUS.items():
        text = text.replace(old, new)
    facts.write_text(text, encoding="utf-8")
    replace(brief / "brief.yaml", "  folder: ../../data/chaoyang/2023\n",
            "  folder: ../../data/chaoyang/2023\n  previous: ../../data/chaoyang/2022\n")
    path = root / mistake.file
    line = append(path, mistake.new) if not mistake.old else replace(path, mistake.old, mistake.new)
    expected = mistake.file
    if mistake.line_of:
        lines = (root / (f"{DATA}/tables.yaml" if "total" in mistake.line_of else mistake.file)
                 ).read_text(encoding="utf-8").splitlines()
        line = next(i + 1 for i, x in enumerate(lines) if mistake.line_of in x)
        if "total" in mistake.line_of:
            expected = f"{DATA}/tables.yaml"
    return expected, line


def errors_at(findings: list[Finding], root: Path, file: str, line: int) -> list[Finding]:
    want = str((root / file).resolve())
    return [f for f in findings if f.level == ERROR and f.file
            and str((root / f.file).resolve() if not Path(f.file).is_absolute() else Path(f.file)) == want
            and f.line == line]


OUTCOMES: dict[str, bool] = {}


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_an_injected_mistake_is_an_error_at_its_line(
        tmp_path: Path, mistake: Mistake, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    file, line = inject(tmp_path, mistake)
    findings = check_folder(Path(BRIEF))
    hits = errors_at(findings, tmp_path, file, line)
    OUTCOMES[mistake.name] = bool(hits)
    assert hits, [f.one_line() for f in findings if f.level == ERROR] or "no error"


LEGITIMATE = [
    "依据《关于推进工业高质量发展的实施意见》（朝政发〔2023〕12号）推进。",
    "按照辽政办发〔2022〕35号文件要求落实。",
    "力争1至2年内完成改造。", "用3～5年时间建成示范基地。", "计划在2～3年内见效。",
    "咨询电话：024-62602446。", "开通12345政务服务便民热线。", "提供7×24小时在线服务。",
    "推动企业通过ISO 9001质量管理体系认证。", "落实GB/T 29490知识产权管理规范。",
    "PM2.5平均浓度持续改善。", "加快5G基站建设。", "推进“十四五”规划实施。",
    "承办第19届中国国际装备制造业博览会。", "具体名单见附件2。", "详见附表3。",
    "对35周岁以下的青年人才给予2000元生活补贴。", "每年评选10名优秀企业家给予奖励。",
    "2024年5月14日召开推进会。", "会议于2023年9月7日召开。", "自2025年1月1日起施行。",
    "到2025年，建成一批智能工厂。", "到2027年，培育一批专精特新企业。",
    "2023—2025年持续推进。", "在2024年底前完成。", "自2018年以来持续推进。",
    "第一条　为推动工业高质量发展，制定本办法。", "第3期简报已印发。", "开展第二批试点。",
    "实施“1+N”政策体系。", "构建“一核两带三区”布局。", "坚持“一县一业”。",
    "推进“三区三线”划定。", "落实“两个毫不动摇”。", "实现“四个转变”。",
    "V2.0版本平台上线。", "采用H.264编码。", "部署IPv6网络。", "推进Wi-Fi 6覆盖。",
    "执行GB 50016标准。", "对标ISO 14001环境管理体系。", "推广3D打印技术。",
    "发展4K超高清视频产业。", "建设F5G千兆光网。", "引进A股上市公司。",
    "邮编122000。", "传真024-62602447。", "联系电话0421-2612345。", "拨打110或120。",
    "办公地点在朝阳大街3段。", "会议室在3楼301室。", "（1）加强组织领导。",
    "（2）强化要素保障。", "（3）优化营商环境。", "1.完善政策体系。",
    "如图1所示，结构持续优化。", "见表2。", "参见图3。", "按照第4条执行。",
    "培育10个以上特色产业园区，给予每个园区不低于500万元的奖励。",
    "力争培育年营业收入超100亿元的企业3家。", "设立1亿元产业引导基金。",
    "对新认定的国家级企业技术中心一次性奖励100万元。", "建设标准厂房20万平方米。",
    "建成500个5G基站。", "新增就业岗位2000个的目标。", "实施50个重点技改项目的计划。",
    "年内组织3次对接活动。", "每季度召开1次调度会。", "每月开展2次专项检查。",
    "建立“周调度、月通报”机制。", "推行“3+2”帮扶模式。", "实行24小时值班制度。",
    "安排专人，确保一周内回复。", "企业诉求48小时内响应。", "全年受理事项100%按时办结的目标。",
    "发放稳岗补贴每人1500元。", "给予最高30万元的创业担保贷款。", "提供最长3年的租金减免。",
    "建立“1名领导+1个专班+1套方案”的推进机制。", "落实“放管服”改革。",
    "打造“15分钟便民生活圈”。", "推进“一网通办”。", "实现“最多跑一次”。",
    "年满18周岁的居民均可申请。", "60岁以上老人免费乘车。", "3岁以下婴幼儿照护服务。",
    "朝阳市位于东经118°50′至121°17′之间。", "海拔高度在200米至500米之间。",
    "距沈阳约300公里。", "乘高铁约2小时可达北京。", "每年5月举办招商会。",
    "第二个百年奋斗目标。", "第一个五年。", "二三产业协同发展。", "一手抓传统产业。",
    "实施“百千万工程”。", "建设“千企百校”对接平台。", "开展“万企兴万村”行动。",
    "落实《中华人民共和国中小企业促进法》第十条。", "第十四届全国人大。",
]

TRUE_SENTENCES = [
    "2020年，全市常住人口城镇化率为48.94%。",
    "凌源市常住人口城镇化率为45.82%。",
    "石化行业实现产值89.4亿元，其中炼油产值52.1亿元。",
    "装备行业增加值占规上工业增加值的比重为12.6%。",
    "农产品加工业产值占规上工业总产值的9.2%。",
    "全国常住人口城镇化率为66.16%。",
    "全省规上工业增加值增速为5.0%，全国为4.6%。",
]


@pytest.fixture(scope="module")
def legitimate_findings(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, int], list[Finding]]:
    root = tmp_path_factory.mktemp("legit")
    brief = copy_sample(root)
    lines: dict[str, int] = {}
    for sentence in LEGITIMATE:
        lines[sentence] = append(brief / "sections/countermeasures.md", sentence)
    for sentence in TRUE_SENTENCES:
        lines[sentence] = append(brief / "sections/problems.md", sentence)
    return lines, check_folder(brief)


def _at(findings: list[Finding], sentence: str, line: int, level: str) -> list[Finding]:
    file = "problems.md" if sentence in TRUE_SENTENCES else "countermeasures.md"
    return [f for f in findings if f.level == level and f.line == line
            and (f.file or "").endswith(file)]


def test_the_catalogue_is_big_enough() -> None:
    assert len(MISTAKES) >= 60 and len(LEGITIMATE) >= 100 and len(TRUE_SENTENCES) == 7
    assert len(set(LEGITIMATE)) == len(LEGITIMATE)


@pytest.mark.parametrize("sentence", LEGITIMATE + TRUE_SENTENCES)
def test_a_legitimate_number_is_no_error(
        sentence: str, legitimate_findings: tuple[dict[str, int], list[Finding]]) -> None:
    lines, findings = legitimate_findings
    assert not _at(findings, sentence, lines[sentence], ERROR), sentence


def test_at_most_one_warning_per_ten_legitimate_numbers(
        legitimate_findings: tuple[dict[str, int], list[Finding]]) -> None:
    lines, findings = legitimate_findings
    warned = [s for s in lines if _at(findings, s, lines[s], WARNING)]
    assert len(warned) * 10 <= len(lines), warned


def test_the_sample_itself_has_no_errors_with_identities(tmp_path: Path) -> None:
    brief = copy_sample(tmp_path)
    assert [f.one_line() for f in check_folder(brief) if f.level == ERROR] == []
