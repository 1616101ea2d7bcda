"""The page: size, margins, the line grid and the page numbers in the footers."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from briefgen.config.house import House
from briefgen.writers.docx.fields import add_field
from briefgen.writers.docx.oxml import make, put

GEOMETRY = {  # python-docx Section attribute -> house.page field, in mm
    "page_width": "width_mm", "page_height": "height_mm", "top_margin": "margin_top_mm",
    "bottom_margin": "margin_bottom_mm", "left_margin": "margin_left_mm",
    "right_margin": "margin_right_mm",
}


def geometry_differences(doc: Any, house: House) -> list[str]:
    """Where the document's first section differs from house.yaml's page, in words."""
    section = doc.sections[0]
    out = []
    for attr, field in GEOMETRY.items():
        value = getattr(section, attr)
        want = getattr(house.page, field)
        if value is not None and abs(value.mm - want) > 0.5:
            out.append(f"{attr.replace('_', ' ')} {value.mm:.1f} mm (house {want:g} mm)")
    return out


def setup_page(doc: Any, house: House, style_id: Any) -> None:
    """Page geometry from the house on the first section, then the page numbers."""
    page_geometry(doc, house)
    page_numbers(doc, doc.sections[0], house, style_id)


def page_geometry(doc: Any, house: House) -> None:
    """Size, margins, footer distance and the line grid: house.yaml owns them."""
    page = house.page
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.footer_distance = Mm(page.footer_distance_mm)
    section.header_distance = Mm(15)
    doc_grid(section, page.line_pitch_pt)


def doc_grid(section: Any, line_pitch_pt: float) -> None:
    """A line grid of the house pitch. No character grid: Word and LibreOffice would
    spread every character of another size (and Latin text) to whole grid cells."""
    put(section._sectPr, make("w:docGrid", type="lines", linePitch=round(line_pitch_pt * 20)))


def page_numbers(doc: Any, section: Any, house: House, style_id: Any) -> None:
    """— N — in the footer: outside (odd right, even left) or centred."""
    numbers = house.page.numbers
    size = house.style(numbers.style).size
    before, _, after = numbers.template.partition("{n}")
    sid = style_id(numbers.style)
    if numbers.position == "center":
        _page_number(section.footer, sid, (before, after), WD_ALIGN_PARAGRAPH.CENTER, None, 0)
        return
    # Odd pages right, even pages left, one character in from the edge.
    doc.settings.odd_and_even_pages_header_footer = True
    indent = Pt(numbers.indent_chars * size)
    _page_number(section.footer, sid, (before, after), WD_ALIGN_PARAGRAPH.RIGHT, "right", indent)
    _page_number(section.even_page_footer, sid, (before, after), WD_ALIGN_PARAGRAPH.LEFT,
                 "left", indent)


def _page_number(footer: Any, style_id: str, around: tuple[str, str], align: Any,
                 side: str | None, indent: Any) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p._p.style = style_id
    p.alignment = align
    if side == "right":
        p.paragraph_format.right_indent = indent
    elif side == "left":
        p.paragraph_format.left_indent = indent
    p.add_run(around[0])
    add_field(p, "PAGE", "1")
    p.add_run(around[1])
