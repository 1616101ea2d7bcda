"""The Word reference document: the house style as Word styles, made from house.yaml.

Like pandoc's --reference-doc, the Word writer starts every brief from this
document and only names styles; staff can restyle briefs by editing the
styles of templates/reference.docx in Word. `briefgen reference-doc` (make
reference) makes it again from house.yaml, so how it is made stays reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from briefgen.config.house import House, load_house
from briefgen.config.wordnames import FIGURE_STYLE, HEADING_LEVELS, WORD_STYLES
from briefgen.fsio import atomic_output
from briefgen.writers.docx.footnotes import add_footnote_styles
from briefgen.writers.docx.numbering import bind_heading_numbers
from briefgen.writers.docx.package import finish_package
from briefgen.writers.docx.page import page_geometry
from briefgen.writers.docx.styles import (
    apply_element_style,
    document_defaults,
    set_alias,
)


def _style_of(doc: Any, name: str, base: str | None) -> Any:
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.quick_style = True
    if base is not None and style.name != base:
        style.base_style = styles[base]
    return style


def _figure_style(doc: Any, house: House) -> None:
    figure = _style_of(doc, FIGURE_STYLE, "Normal")
    apply_element_style(figure, house.style("caption"), house, None)
    # A picture needs a line as tall as itself: no exact line height here.
    figure.paragraph_format.line_spacing = 1.0
    figure.paragraph_format.space_before = Pt(6)
    figure.paragraph_format.keep_with_next = True


def _element_styles(doc: Any, house: House) -> None:
    """A Word style per house element; after a heading or body text comes body text."""
    for element, name in WORD_STYLES.items():
        style = _style_of(doc, name, "Normal")
        apply_element_style(style, house.style(element), house, HEADING_LEVELS.get(element))
        if element == "body":
            style.next_paragraph_style = style
        elif element in HEADING_LEVELS:
            style.next_paragraph_style = doc.styles["Body Text"]


def _remove_paragraphs(doc: Any) -> None:
    for paragraph in list(doc.paragraphs):
        paragraph._element.getparent().remove(paragraph._element)


def make_reference_doc(house: House) -> Any:
    """A python-docx Document holding the house's Word styles and nothing else."""
    doc = docx.Document()
    document_defaults(doc, house)
    # Normal carries the body face, without the indent, so every other style inherits it.
    normal = doc.styles["Normal"]
    body = house.style("body")
    apply_element_style(normal, body.model_copy(update={"indent_chars": 0}), house, None)
    _element_styles(doc, house)
    _figure_style(doc, house)
    add_footnote_styles(doc, house)
    for name in ("Normal", *WORD_STYLES.values(), FIGURE_STYLE):
        set_alias(doc.styles[name], name)
    bind_heading_numbers(doc, house, lambda e: str(doc.styles[WORD_STYLES[e]].style_id),
                         lambda e: doc.styles[WORD_STYLES[e]])
    page_geometry(doc, house)
    finish_package(doc, house)
    _remove_paragraphs(doc)  # an empty reference document: no body paragraphs
    doc.core_properties.title = f"{house.institute}{house.series}"
    doc.core_properties.author = house.institute
    return doc


def fontconfig_aliases(house: House) -> str:
    """A fontconfig file that shows the institute's faces (仿宋, 黑体, …) with the house's
    free substitutes, so LibreOffice on Linux previews a .docx as the PDF looks."""
    parts = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
    ]
    for role in house.fonts.values():
        families = [c.split(":")[0] for c in role.candidates
                    if not c.lower().endswith((".ttf", ".otf", ".ttc"))]
        prefer = "".join(f"<family>{escape(f)}</family>" for f in families)
        parts.append(f'  <alias binding="same"><family>{escape(role.word)}</family>'
                     f"<prefer>{prefer}</prefer></alias>")
    parts.append("</fontconfig>")
    return "\n".join(parts) + "\n"


def write_reference_doc(house_file: Path, out: Path) -> Path:
    house = load_house(house_file)
    doc = make_reference_doc(house)
    with atomic_output(out) as tmp:
        doc.save(str(tmp))
    return out


def write_fontconfig(house_file: Path, out: Path) -> Path:
    text = fontconfig_aliases(load_house(house_file))
    with atomic_output(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return out
