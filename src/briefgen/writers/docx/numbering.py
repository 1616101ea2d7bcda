"""The headings' numbers as a Word multi-level list bound to Heading 1-4.

一、 （一） 1. （1）: Word (and LibreOffice) count the headings themselves, so a
heading staff insert gets its number and the ones after it renumber. The list
is found again by its name in a reference doc that already has it (staff may
have restyled it), else added; the Heading styles point at it through numPr.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.oxml.ns import qn

from briefgen.config.house import House
from briefgen.writers.docx.oxml import make, put

LIST_NAME = "briefgen headings"
NSID = "4252474E"  # fixed, so the same house makes the same file
# Per level: the number format and the text around it (%N is the level's counter).
LEVELS: tuple[tuple[str, str], ...] = (
    ("chineseCounting", "%1、"),
    ("chineseCounting", "（%2）"),
    ("decimal", "%3."),
    ("decimal", "（%4）"),
)
HEADINGS = ("heading1", "heading2", "heading3", "heading4")


def _level(ilvl: int, style_id: str, indent_twips: int, indent_chars: float) -> Any:
    fmt, text = LEVELS[ilvl]
    lvl = make("w:lvl", ilvl=ilvl)
    for child in (make("w:start", val=1), make("w:numFmt", val=fmt),
                  make("w:pStyle", val=style_id), make("w:suff", val="nothing"),
                  make("w:lvlText", val=text), make("w:lvlJc", val="left")):
        put(lvl, child)
    ppr = put(lvl, make("w:pPr"))
    # The number stands where the heading's text began: the style's first-line indent.
    put(ppr, make("w:ind", left=0, firstLine=indent_twips,
                  firstLineChars=round(indent_chars * 100)))
    return lvl


def _find(numbering: Any) -> tuple[Any, Any] | None:
    """The abstractNum named LIST_NAME and a num that uses it, if the doc has them."""
    for abstract in numbering.findall(qn("w:abstractNum")):
        name = abstract.find(qn("w:name"))
        if name is None or name.get(qn("w:val")) != LIST_NAME:
            continue
        num = _num_using(numbering, abstract.get(qn("w:abstractNumId")))
        if num is not None:
            return abstract, num
    return None


def _num_using(numbering: Any, abstract_id: str) -> Any | None:
    """The first num that uses the abstractNum of `abstract_id`."""
    for num in numbering.findall(qn("w:num")):
        if num.find(qn("w:abstractNumId")).get(qn("w:val")) == abstract_id:
            return num
    return None


def _next_id(elements: list[Any], attr: str) -> int:
    return max((int(e.get(qn(attr))) for e in elements), default=0) + 1


def _add(numbering: Any, house: House, style_id: Callable[[str], str]) -> Any:
    abstracts = numbering.findall(qn("w:abstractNum"))
    ident = _next_id(abstracts, "w:abstractNumId")
    abstract = make("w:abstractNum", abstractNumId=ident)
    for child in (make("w:nsid", val=NSID), make("w:multiLevelType", val="multilevel"),
                  make("w:name", val=LIST_NAME)):
        put(abstract, child)
    for ilvl, element in enumerate(HEADINGS):
        st = house.style(element)
        abstract.append(_level(ilvl, style_id(element), round(st.indent_chars * st.size * 20),
                               st.indent_chars))
    nums = numbering.findall(qn("w:num"))
    num = make("w:num", numId=_next_id(nums, "w:numId"))
    num.append(make("w:abstractNumId", val=ident))
    first_num = nums[0] if nums else None
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(num)
    return num


def bind_heading_numbers(doc: Any, house: House, style_id: Callable[[str], str],
                         style: Callable[[str], Any]) -> None:
    """Make sure the list exists and Heading 1-4 are numbered by it."""
    numbering = doc.part.numbering_part.element
    found = _find(numbering)
    num = found[1] if found else _add(numbering, house, style_id)
    num_id = num.get(qn("w:numId"))
    for ilvl, element in enumerate(HEADINGS):
        ppr = style(element).element.get_or_add_pPr()
        num_pr = make("w:numPr")
        if ilvl:
            num_pr.append(make("w:ilvl", val=ilvl))
        num_pr.append(make("w:numId", val=num_id))
        put(ppr, num_pr)
