"""The house's element styles written as Word paragraph styles.

Which Word style each house element uses (built-in names where Word has one,
so the navigation pane, the table of contents and captions work as staff
expect), and how one house `ElementStyle` becomes a Word style's pPr and rPr.
"""

from __future__ import annotations

import math
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from briefgen.config.house import ElementStyle, House
from briefgen.config.wordnames import CHINESE_NAMES
from briefgen.writers.docx.oxml import get_or_put, make, put, remove_all

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_east_asian_font(rpr: Any, east_asian: str, latin: str) -> None:
    """Name the Chinese face in w:eastAsia and the Latin one beside it; drop theme fonts."""
    fonts = get_or_put(rpr, "w:rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_letter_spacing(rpr: Any, twips: int) -> None:
    remove_all(rpr, "w:spacing")
    if twips:
        put(rpr, make("w:spacing", val=twips))


def _clear(style: Any) -> None:
    """Start clean: built-in styles carry theme colours, theme fonts and spacing."""
    for tag in ("w:pPr", "w:rPr"):
        remove_all(style.element, tag)


def on_grid(st: ElementStyle, house: House) -> bool:
    """Text of the body size without letter spacing: set on the house's 28-character line."""
    return st.size == house.style("body").size and not st.letter_spacing_em


def grid_spacing_twips(st: ElementStyle, house: House) -> int:
    """The letter spacing (w:spacing, twentieths of a point, never positive) that puts
    `chars_per_line` characters of this size on a line, as the PDF sets them: 156 mm
    hold 27.6 characters of 16 pt, so each gives up 0.25 pt (rounded down to whole
    twips so the 28th fits in Word and LibreOffice alike)."""
    page = house.page
    pitch = page.text_width_mm / 25.4 * 72 / page.chars_per_line
    return min(0, math.floor((pitch - st.size) * 20))


def _font(style: Any, st: ElementStyle, house: House) -> None:
    font = style.font
    font.size = Pt(st.size)
    font.bold = st.bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(house.color(st.color))
    rpr = style.element.get_or_add_rPr()
    set_east_asian_font(rpr, house.fonts[st.font].word, house.latin_word(st.font))
    if on_grid(st, house):
        _set_letter_spacing(rpr, grid_spacing_twips(st, house))
    else:
        _set_letter_spacing(rpr, round(st.letter_spacing_em * st.size * 20))


def _paragraph(style: Any, st: ElementStyle, house: House) -> None:
    pf = style.paragraph_format
    pf.alignment = _ALIGN[st.align]
    pitch = st.line_pitch or house.page.line_pitch_pt
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(pitch)
    # Space is counted in body lines (the page grid's pitch), as Word's 行 and the PDF
    # count it, not in the style's own line pitch: the title's 1.6 lines are 46 pt, not 58.
    body_line = house.page.line_pitch_pt
    pf.space_before = Pt(st.space_before_lines * body_line)
    pf.space_after = Pt(st.space_after_lines * body_line)
    pf.keep_with_next = st.keep_with_next
    pf.widow_control = True
    pf.left_indent = Pt(0)
    pf.first_line_indent = Pt(st.indent_chars * st.size)
    ppr = style.element.get_or_add_pPr()
    if st.indent_chars:
        # Word measures the indent in characters too, so it follows a size change.
        get_or_put(ppr, "w:ind").set(qn("w:firstLineChars"), str(round(st.indent_chars * 100)))
    if not on_grid(st, house):
        # Only text of the body size sits on the character grid; larger or smaller
        # text would be spread to whole grid cells.
        put(ppr, make("w:snapToGrid", val=0))


def set_alias(style: Any, name: str) -> None:
    """The style's Chinese name as w:aliases (Word keeps its own name for built-ins)."""
    chinese = CHINESE_NAMES.get(name)
    if chinese:
        put(style.element, make("w:aliases", val=chinese))


def apply_element_style(style: Any, st: ElementStyle, house: House, outline: int | None) -> None:
    """Write one house element style onto a Word paragraph style."""
    _clear(style)
    _font(style, st, house)
    _paragraph(style, st, house)
    if outline is not None:
        put(style.element.get_or_add_pPr(), make("w:outlineLvl", val=outline))


def document_defaults(doc: Any, house: House) -> None:
    """Chinese as the East Asian language and the body face as the default everywhere."""
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    body = house.style("body")
    set_east_asian_font(rpr, house.fonts[body.font].word, house.latin_word(body.font))
    # The character grid's pitch is measured from the default size: make it the body's.
    for tag in ("w:sz", "w:szCs"):
        put(rpr, make(tag, val=round(body.size * 2)))
    put(rpr, make("w:lang", val="en-US", eastAsia="zh-CN"))
