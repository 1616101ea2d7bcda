"""The package parts around the text: settings, app.xml, theme, font table, stale parts.

python-docx's default template is a Word 2010 file from a Mac with Japanese as
the theme's East Asian language. Before saving, every brief's package is made
true and current: compatibility mode 15, zoom with its percent, Chinese
punctuation compression, app.xml naming briefgen, the theme's East Asian fonts
for zh-CN with the house faces, a font table of the faces the file uses, and
no stylesWithEffects.xml or thumbnail left over from the template.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.oxml.ns import qn
from lxml import etree

from briefgen import __version__
from briefgen.config.house import House
from briefgen.writers.docx.oxml import get_or_put, make, put, reorder

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_URI = "http://schemas.microsoft.com/office/word"
STALE_RELS = ("stylesWithEffects", "thumbnail")


def settings(doc: Any) -> None:
    """Compatibility mode 15 (no 兼容模式), a valid zoom, Chinese punctuation compression."""
    el = doc.settings.element
    zoom = get_or_put(el, "w:zoom")
    zoom.attrib.pop(qn("w:val"), None)
    zoom.set(qn("w:percent"), "100")
    # 标点挤压: compress full-width punctuation, as the PDF squeezes adjacent marks.
    put(el, make("w:characterSpacingControl", val="compressPunctuation"))
    put(el, make("w:themeFontLang", val="en-US", eastAsia="zh-CN"))
    compat = get_or_put(el, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            compat.remove(setting)
    mode = make("w:compatSetting", name="compatibilityMode", uri=WORD_URI, val=15)
    first = compat.find(qn("w:compatSetting"))
    if first is not None:
        first.addprevious(mode)
    else:
        compat.append(mode)


def source_map(doc: Any, sources: dict[str, str]) -> None:
    """Where each body block came from, as document variables (w:docVars in settings.xml):
    `bg_b12` = "sections/problems.md:12" beside the block's bookmark `_bg_b12`. Word keeps
    them through edits and shows them nowhere; a reader maps paragraphs back with them."""
    if not sources:
        return
    group = make("w:docVars")
    for name, where in sources.items():
        group.append(make("w:docVar", name=name, val=where))
    put(doc.settings.element, group)


def drop_stale_parts(doc: Any) -> None:
    """No stylesWithEffects.xml (Word 2010's copy of styles.xml) nor template thumbnail."""
    for owner in (doc.part, doc.part.package):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in STALE_RELS:
                del owner.rels[rid]


def _part(owner: Any, kind: str) -> Any:
    for rel in owner.rels.values():
        if rel.reltype.rsplit("/", 1)[-1] == kind:
            return rel.target_part
    return None


def app_properties(doc: Any, house: House) -> None:
    """docProps/app.xml that says what made the file, and nothing it does not know."""
    part = _part(doc.part.package, "extended-properties")
    if part is None:
        return
    part._blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">'
        f"<Application>briefgen {escape(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity>"
        f"<Company>{escape(house.institute)}</Company>"
        "</Properties>"
    ).encode()


def _roles(house: House, *elements: str) -> list[str]:
    return [house.fonts[house.style(e).font].word for e in elements]


def theme(doc: Any, house: House) -> None:
    """The theme's Chinese (Hans) fonts: the heading face for major, the body face for minor."""
    part = _part(doc.part, "theme")
    if part is None:
        return
    root = etree.fromstring(part.blob)
    heading, body = _roles(house, "heading1", "body")
    for kind, face in (("majorFont", heading), ("minorFont", body)):
        _set_hans_typeface(root, kind, face)
    _store(part, root)


def _set_hans_typeface(root: Any, kind: str, face: str) -> None:
    for group in root.iter(f"{{{A}}}{kind}"):
        for font in group.findall(f"{{{A}}}font"):
            if font.get("script") == "Hans":
                font.set("typeface", face)


def _store(part: Any, root: Any) -> None:
    """The part's XML made again from its edited tree."""
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def font_table(doc: Any, house: House) -> None:
    """The fonts the styles name: the house's Chinese faces (GB2312 charset) and Latin faces."""
    part = _part(doc.part, "fontTable")
    if part is None:
        return
    root = etree.fromstring(part.blob)
    _drop_japanese_fonts(root)
    present = {font.get(f"{{{W}}}name") for font in root}
    for role in house.fonts.values():
        if role.word in present:
            continue
        present.add(role.word)
        root.append(_font_entry(role.word, _alt_name(role.candidates), role.word.isascii()))
    _store(part, root)


def _drop_japanese_fonts(root: Any) -> None:
    """The Japanese ＭＳ faces (ＭＳ 明朝 and the like) a template may list."""
    for font in list(root):
        if font.get(f"{{{W}}}name", "").startswith("ＭＳ"):
            root.remove(font)


def _alt_name(candidates: list[str]) -> str:
    """The face's Latin name (SimHei for 黑体), for Word on a system without the Chinese name."""
    for name in candidates:
        if name.isascii() and not name.lower().endswith((".ttf", ".otf", ".ttc")):
            return name.split(":")[0]
    return ""


def _font_entry(name: str, alt: str, latin: bool) -> Any:
    font = etree.Element(f"{{{W}}}font", {f"{{{W}}}name": name})
    if alt and alt != name:
        etree.SubElement(font, f"{{{W}}}altName", {f"{{{W}}}val": alt})
    for tag, value in _LATIN_FONT.items() if latin else _CHINESE_FONT.items():
        etree.SubElement(font, f"{{{W}}}{tag}", {f"{{{W}}}val": value})
    return font


# a font table entry's charset (ANSI, GB2312), family and pitch
_LATIN_FONT = {"charset": "00", "family": "roman", "pitch": "variable"}
_CHINESE_FONT = {"charset": "86", "family": "modern", "pitch": "fixed"}


def finish_package(doc: Any, house: House) -> None:
    """Everything above, once, just before the package is saved."""
    # Parts a staff reference doc brought in, possibly out of schema order.
    for root in (doc.part.numbering_part.element, doc.styles.element, doc.settings.element,
                 doc.element):
        reorder(root)
    settings(doc)
    drop_stale_parts(doc)
    app_properties(doc, house)
    theme(doc, house)
    font_table(doc, house)
