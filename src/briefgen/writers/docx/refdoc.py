"""The Word reference document: the house style as Word styles, made from house.yaml.

Like pandoc's --reference-doc, the Word writer starts every brief from this
document and only names styles; staff can restyle briefs by editing the
styles of templates/reference.docx in Word. `briefgen reference-doc` (make
reference) makes it again from house.yaml, so how it is made stays reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.config.house import ElementStyle, House, load_house

# House element -> Word style name. Built-in names where Word has one, so the
# navigation pane, the table of contents and captions work as staff expect.
WORD_STYLES: dict[str, str] = {
    "body": "Body Text",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "title": "Title",
    "caption": "Caption",
    "page_number": "Footer",
    "institute": "Masthead Institute",
    "series": "Masthead Series",
    "slogan": "Masthead Slogan",
    "issue": "Masthead Issue",
    "author": "Author Line",
    "table_caption": "Table Caption",
    "source": "Figure Source",
    "table": "Table Text",
    "note": "Note",
    "bio": "Author Bio",
    "board_title": "Board Title",
    "board": "Board",
    "disclaimer": "Disclaimer",
}
FIGURE_STYLE = "Figure"  # the paragraph holding a picture: centred, no fixed line height
HEADING_LEVELS = {"heading1": 0, "heading2": 1, "heading3": 2, "heading4": 3}

# The order WordprocessingML requires inside w:rPr, from w:rFonts on.
_RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
                      "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
                      "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_east_asian_font(rpr: Any, east_asian: str, latin: str) -> None:
    """Name the Chinese face in w:eastAsia and the Latin one beside it; drop theme fonts."""
    from docx.oxml.ns import qn

    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_letter_spacing(rpr: Any, twips: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    if twips:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twips))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)


def _style_of(doc: Any, name: str, base: str | None) -> Any:
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base is not None and style.name != base:
        style.base_style = styles[base]
    return style


def apply_element_style(style: Any, st: ElementStyle, house: House, outline: int | None) -> None:
    on_grid = st.size == house.style("body").size and not st.letter_spacing_em
    """Write one house element style onto a Word paragraph style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    # Start clean: built-in styles carry theme colours, theme fonts and spacing.
    element = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in element.findall(qn(tag)):
            element.remove(old)

    font = style.font
    font.size = Pt(st.size)
    font.bold = st.bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(house.color(st.color))
    rpr = element.get_or_add_rPr()
    set_east_asian_font(rpr, house.fonts[st.font].word, house.latin_word(st.font))
    _set_letter_spacing(rpr, round(st.letter_spacing_em * st.size * 20))

    pf = style.paragraph_format
    pf.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[st.align]
    pitch = st.line_pitch or house.page.line_pitch_pt
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pitch)
    pf.space_before = Pt(st.space_before_lines * pitch)
    pf.space_after = Pt(st.space_after_lines * pitch)
    pf.keep_with_next = st.keep_with_next
    pf.widow_control = True
    pf.left_indent = Pt(0)
    pf.first_line_indent = Pt(st.indent_chars * st.size)
    if st.indent_chars:
        # Word measures the indent in characters too, so it follows a size change.
        ind = element.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(round(st.indent_chars * 100)))
    from docx.oxml import OxmlElement

    if not on_grid:
        # Only text of the body size sits on the character grid; larger or smaller
        # text would be spread to whole grid cells.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        element.get_or_add_pPr().insert_element_before(
            snap, "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
            "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
            "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
            "w:pPrChange",
        )
    if outline is not None:

        ppr = element.get_or_add_pPr()
        lvl = OxmlElement("w:outlineLvl")
        lvl.set(qn("w:val"), str(outline))
        ppr.insert_element_before(lvl, "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _document_defaults(doc: Any, house: House) -> None:
    """Chinese as the East Asian language and the body face as the default everywhere."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    body = house.style("body")
    set_east_asian_font(rpr, house.fonts[body.font].word, house.latin_word(body.font))
    # The character grid's pitch is measured from the default size: make it the body's.
    for tag in ("w:sz", "w:szCs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(round(body.size * 2)))
        rpr.insert_element_before(size, *_RPR_AFTER_SPACING[_RPR_AFTER_SPACING.index(tag) + 1 :])
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")


def make_reference_doc(house: House) -> Any:
    """A python-docx Document holding the house's Word styles and nothing else."""
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    _document_defaults(doc, house)
    # Normal carries the body face, without the indent, so every other style inherits it.
    normal = doc.styles["Normal"]
    body = house.style("body")
    apply_element_style(normal, body.model_copy(update={"indent_chars": 0}), house, None)
    for element, name in WORD_STYLES.items():
        st = house.style(element)
        style = _style_of(doc, name, "Normal")
        apply_element_style(style, st, house, HEADING_LEVELS.get(element))
        if element in HEADING_LEVELS or element == "body":
            style.next_paragraph_style = doc.styles["Body Text"] if element != "body" else style
    figure = _style_of(doc, FIGURE_STYLE, "Normal")
    apply_element_style(figure, house.style("caption"), house, None)
    # A picture needs a line as tall as itself: no exact line height here.
    figure.paragraph_format.line_spacing = 1.0
    figure.paragraph_format.space_before = Pt(6)
    figure.paragraph_format.keep_with_next = True
    # An empty reference document: no body paragraphs.
    for paragraph in list(doc.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)
    doc.core_properties.title = f"{house.institute}{house.series}"
    doc.core_properties.author = house.institute
    return doc


def fontconfig_aliases(house: House) -> str:
    """A fontconfig file that shows the institute's faces (仿宋, 黑体, …) with the house's
    free substitutes, so LibreOffice on Linux previews a .docx as the PDF looks."""
    from xml.sax.saxutils import escape

    parts = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for role in house.fonts.values():
        families = [c.split(":")[0] for c in role.candidates if not c.lower().endswith((".ttf", ".otf", ".ttc"))]
        prefer = "".join(f"<family>{escape(f)}</family>" for f in families)
        parts.append(
            f'  <alias binding="same"><family>{escape(role.word)}</family><prefer>{prefer}</prefer></alias>'
        )
    parts.append("</fontconfig>")
    return "\n".join(parts) + "\n"


def write_reference_doc(house_file: Path, out: Path) -> Path:
    from briefgen.fsio import atomic_output

    house = load_house(house_file)
    doc = make_reference_doc(house)
    with atomic_output(out) as tmp:
        doc.save(str(tmp))
    return out


def write_fontconfig(house_file: Path, out: Path) -> Path:
    from briefgen.fsio import atomic_output

    text = fontconfig_aliases(load_house(house_file))
    with atomic_output(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return out
