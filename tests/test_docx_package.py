"""The .docx package is valid, current OOXML: ISO/IEC 29500 schemas, the Open XML SDK's
rules, and the parts Word reads before the text (settings, theme, fonts, app.xml)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import OpenXmlValidator

from . import validate_docx
from .conftest import ROOT, SAMPLE, run_cli
from .minibrief import make_project

XSD = Path(__file__).parent / "ooxml-xsd"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

TABLE_BODY = """\
# 基本情况

“规上工业”产值——见表1。

: 六大行业产值

| 行业 | 产值 |
| --- | ---: |
{% for row in tables.sectors %}| {{ row.name }} | {{ row.output | num }} |
{% endfor %}
"""


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pkg")
    result = run_cli("build", SAMPLE, "-o", out, "--format", "docx")
    assert result.code == 0, result.stderr
    return out / "2024-05-chaoyang.docx"


@pytest.fixture(scope="module")
def table_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tbl")
    brief = make_project(root, TABLE_BODY)
    result = run_cli("build", brief, "-o", root / "out", "--format", "docx", cwd=root)
    assert result.code == 0, result.stderr
    return root / "out" / "b.docx"


def _schema_errors(path: Path) -> dict[str, list[str]]:
    schema = validate_docx.wrapper_schema(str(XSD))
    result = validate_docx.validate(str(path), schema)
    return {name: part.get("errors", []) + part.get("unknown_namespace", [])
            for name, part in result["parts"].items() if part["status"] == "invalid"}


def _part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


@pytest.mark.parametrize("which", ["sample_docx", "table_docx"])
def test_no_schema_errors(which: str, request: pytest.FixtureRequest) -> None:
    path = request.getfixturevalue(which)
    assert _schema_errors(path) == {}


def test_the_validator_finds_the_errors_it_should(tmp_path: Path, sample_docx: Path) -> None:
    """A w:tblBorders after w:tblLook (the old board table) is reported."""
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(sample_docx) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = re.sub(rb"(<w:tblBorders>.*?</w:tblBorders>)(.*?)(</w:tblPr>)",
                              rb"\2\1\3", data, count=1, flags=re.S)
            dst.writestr(item, data)
    assert "word/document.xml" in _schema_errors(broken)


@pytest.mark.parametrize("which", ["sample_docx", "table_docx"])
def test_open_xml_sdk_rules_find_nothing_to_repair(which: str,
                                                   request: pytest.FixtureRequest) -> None:
    result = OpenXmlValidator().validate(request.getfixturevalue(which))
    assert result.is_valid, [str(e) for e in result.errors]


def test_settings_are_current_and_chinese(sample_docx: Path) -> None:
    settings = _part(sample_docx, "word/settings.xml")
    modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting")
             if s.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]
    assert settings.find(f"{W}zoom").get(f"{W}percent") == "100"
    assert settings.find(f"{W}themeFontLang").get(f"{W}eastAsia") == "zh-CN"
    assert settings.find(f"{W}characterSpacingControl").get(f"{W}val") == "compressPunctuation"


def test_no_stale_template_parts_and_app_xml_names_briefgen(sample_docx: Path) -> None:
    with zipfile.ZipFile(sample_docx) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert "word/stylesWithEffects.xml" not in names
    assert not any("thumbnail" in n for n in names)
    assert "<Application>briefgen" in app and "Macintosh" not in app


def test_theme_east_asian_fonts_are_the_house_faces(sample_docx: Path) -> None:
    """Heading 1 Char (linked, eastAsiaTheme majorEastAsia) resolves to 黑体, not ＭＳ ゴシック."""
    theme = _part(sample_docx, "word/theme/theme1.xml")
    major = {f.get("script"): f.get("typeface") for f in theme.find(f".//{A}majorFont")}
    minor = {f.get("script"): f.get("typeface") for f in theme.find(f".//{A}minorFont")}
    assert major["Hans"] == "黑体" and minor["Hans"] == "仿宋"
    fonts = _part(sample_docx, "word/fontTable.xml")
    names = {f.get(f"{W}name"): f for f in fonts}
    for face in ("仿宋", "黑体", "楷体", "宋体", "方正小标宋简体", "Times New Roman"):
        assert face in names, face
    assert names["黑体"].find(f"{W}altName").get(f"{W}val") == "SimHei"
    assert names["黑体"].find(f"{W}charset").get(f"{W}val") == "86"
    assert not any(n.startswith("ＭＳ") for n in names)


def test_pictures_carry_their_caption_as_alt_text(sample_docx: Path) -> None:
    d = docx.Document(str(sample_docx))
    paragraphs = d.paragraphs
    described = 0
    for i, p in enumerate(paragraphs):
        for doc_pr in p._p.iter(qn("wp:docPr")):
            assert doc_pr.get("descr") == paragraphs[i + 1].text
            described += 1
    assert described == 3


def test_runs_with_shared_marks_are_hinted_east_asian(table_docx: Path) -> None:
    d = docx.Document(str(table_docx))
    runs = [r for p in d.paragraphs for r in p.runs]
    marked = [r for r in runs if re.search("[“”—…]", r.text)]
    assert marked
    for run in marked:
        assert run._r.rPr.rFonts.get(qn("w:hint")) == "eastAsia", run.text
    plain = [r for r in runs if r.text and not re.search("[“”‘’—…·]", r.text)]
    assert all(r._r.rPr is None or r._r.rPr.rFonts is None for r in plain)


def test_house_styles_have_chinese_names(sample_docx: Path) -> None:
    d = docx.Document(str(sample_docx))
    aliases = {s.name: s.element.find(qn("w:aliases")) for s in d.styles}
    for name, chinese in (("Heading 1", "标题 1"), ("Body Text", "正文文本"),
                          ("Caption", "题注"), ("Normal", "正文"), ("Board", "编委会")):
        assert aliases[name] is not None and aliases[name].get(qn("w:val")) == chinese


def test_committed_reference_doc_is_valid_too() -> None:
    assert _schema_errors(ROOT / "templates" / "reference.docx") == {}


def test_data_tables_have_the_houses_rules_not_table_grid(table_docx: Path) -> None:
    """三线表 as the PDF draws it: house.board_rules thick above and below, thin under the
    header, no grid."""
    from briefgen.config.house import load_house

    house = load_house(ROOT / "templates" / "house.yaml")
    rules = house.board_rules
    d = docx.Document(str(table_docx))
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["行业", "产值"]
    tbl_pr = table._tbl.tblPr
    assert tbl_pr.find(qn("w:tblStyle")) is None
    sides = {local.tag.split("}")[1]: local for local in tbl_pr.find(qn("w:tblBorders"))}
    eighths = {name: round(mm / 25.4 * 72 * 8) for name, mm in
               (("thick", rules.thick_mm), ("thin", rules.thin_mm))}
    for side in ("top", "bottom"):
        assert sides[side].get(qn("w:val")) == "single"
        assert int(sides[side].get(qn("w:sz"))) == eighths["thick"]
        assert sides[side].get(qn("w:color")) == house.color(rules.color)
    for side in ("left", "right", "insideH", "insideV"):
        assert sides[side].get(qn("w:val")) == "nil"
    for cell in table.rows[0].cells:
        bottom = cell._tc.tcPr.find(f"{qn('w:tcBorders')}/{qn('w:bottom')}")
        assert int(bottom.get(qn("w:sz"))) == eighths["thin"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) is None


def test_child_order_table_agrees_with_the_schema() -> None:
    """oxml.CHILD_ORDER, the one table of child order, is the order wml.xsd declares."""
    from briefgen.writers.docx.oxml import CHILD_ORDER

    xs = "{http://www.w3.org/2001/XMLSchema}"
    root = etree.parse(str(XSD / "wml.xsd")).getroot()
    types = {t.get("name"): t for t in root if t.tag in (xs + "complexType", xs + "group")}

    def sequence(name: str) -> list[str]:
        out: list[str] = []
        for el in types[name].iter():
            if el.tag == xs + "element" and el.get("name"):
                out.append(el.get("name"))
            elif el.tag == xs + "group" and el.get("ref"):
                out += sequence(el.get("ref").split(":")[-1])
            elif el.tag == xs + "extension":
                out = sequence(el.get("base").split(":")[-1]) + out
        return out

    types_of = {"pPr": "CT_PPr", "rPr": "CT_RPr", "tblPr": "CT_TblPr", "tcPr": "CT_TcPr",
                "trPr": "CT_TrPr", "sectPr": "CT_SectPr", "style": "CT_Style",
                "settings": "CT_Settings", "lvl": "CT_Lvl", "abstractNum": "CT_AbstractNum", "numbering": "CT_Numbering",
                "tblBorders": "CT_TblBorders", "tcBorders": "CT_TcBorders", "pBdr": "CT_PBdr"}
    assert set(types_of) == set(CHILD_ORDER)
    for parent, order in CHILD_ORDER.items():
        declared = [n for n in sequence(types_of[parent]) if n in order]
        ranks = [order.index(n) for n in dict.fromkeys(declared)]
        assert ranks == sorted(ranks), parent
        assert set(order) - {"mathPr", "schemaLibrary"} <= set(declared), parent
