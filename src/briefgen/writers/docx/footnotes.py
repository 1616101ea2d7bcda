"""Word footnotes: the footnotes part, its two separators, and the footnote styles.

A reference is a run in the "footnote reference" character style (superscript)
holding w:footnoteReference; the note is a w:footnote in word/footnotes.xml
whose paragraph is in the "footnote text" style, starting with w:footnoteRef
(Word prints the number there) and a blank. Word and LibreOffice number the
notes themselves, 1, 2, 3 in order of reference, as the model does. The part
starts with the separator (id -1) and continuation separator (id 0), as Word
writes them.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from briefgen.config.house import ElementStyle, House
from briefgen.writers.docx.oxml import make, put
from briefgen.writers.docx.styles import apply_element_style

TEXT_STYLE = "FootnoteText"  # style ids, as Word names its built-ins
REFERENCE_STYLE = "FootnoteReference"
TEXT_NAME = "footnote text"
REFERENCE_NAME = "footnote reference"
CHINESE = {TEXT_NAME: "脚注文本", REFERENCE_NAME: "脚注引用"}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
EMPTY_PART = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def footnote_style(house: House) -> ElementStyle:
    """The house's footnote style; a house file without one sets notes like sources."""
    if "footnote" in house.styles:
        return house.style("footnote")
    return house.style("source").model_copy(update={"align": "justify"})


def _find(doc: Any, style_id: str, name: str) -> Any | None:
    """The style of that id, or of that name (LibreOffice saves "footnote text" as "Footnote")."""
    for style in doc.styles:
        if style.style_id == style_id or (style.name or "").casefold() == name:
            return style
    return None


def add_footnote_styles(doc: Any, house: House) -> tuple[str, str]:
    """"footnote text" from the house's footnote style, "footnote reference" superscript,
    unless the document has them; their style ids."""
    text = _find(doc, TEXT_STYLE, TEXT_NAME)
    if text is None:
        text = doc.styles.add_style(TEXT_NAME, WD_STYLE_TYPE.PARAGRAPH)
        text.style_id = TEXT_STYLE
        text.element.attrib.pop(qn("w:customStyle"), None)  # a built-in style of Word
        text.base_style = doc.styles["Normal"]
        apply_element_style(text, footnote_style(house), house, None)
        put(text.element, make("w:aliases", val=CHINESE[TEXT_NAME]))
    ref = _find(doc, REFERENCE_STYLE, REFERENCE_NAME)
    if ref is None:
        ref = doc.styles.add_style(REFERENCE_NAME, WD_STYLE_TYPE.CHARACTER)
        ref.style_id = REFERENCE_STYLE
        ref.element.attrib.pop(qn("w:customStyle"), None)
        put(ref.element, make("w:aliases", val=CHINESE[REFERENCE_NAME]))
        put(ref.element.get_or_add_rPr(), make("w:vertAlign", val="superscript"))
    return str(text.style_id), str(ref.style_id)


def _reference_run(mark: Any, style_id: str) -> Any:
    """A run in the footnote reference style holding `mark` (the reference or the number)."""
    r = make("w:r")
    rpr = make("w:rPr")
    rpr.append(make("w:rStyle", val=style_id))
    r.append(rpr)
    r.append(mark)
    return r


class Footnotes:
    """The footnotes part of one document, made when the first note is written."""

    def __init__(self, doc: Any, house: House) -> None:
        self.doc = doc
        self.house = house
        self.root: Any | None = None
        self.next_id = 1
        self.text_style, self.reference_style = TEXT_STYLE, REFERENCE_STYLE

    def _part(self) -> Any:
        if self.root is None:
            self.text_style, self.reference_style = add_footnote_styles(self.doc, self.house)
            owner = self.doc.part
            for rid, rel in list(owner.rels.items()):  # a reference doc's own notes
                if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
                    del owner.rels[rid]
            self.root = parse_xml(EMPTY_PART)
            part = XmlPart(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES,
                           self.root, owner.package)
            owner.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)
        return self.root

    def add(self, p: Any) -> Any:
        """A reference at the end of paragraph `p`; returns the note's paragraph (a
        python-docx Paragraph, its number and blank written) for the caller's runs."""
        root = self._part()
        ident = self.next_id
        self.next_id += 1
        p._p.append(_reference_run(make("w:footnoteReference", id=ident), self.reference_style))
        note = make("w:footnote", id=ident)
        root.append(note)
        body = make("w:p")
        note.append(body)
        ppr = make("w:pPr")
        ppr.append(make("w:pStyle", val=self.text_style))
        body.append(ppr)
        body.append(_reference_run(make("w:footnoteRef"), self.reference_style))
        paragraph = Paragraph(body, p._parent)
        paragraph.add_run(" ")  # Word's blank between the number and the note
        return paragraph
