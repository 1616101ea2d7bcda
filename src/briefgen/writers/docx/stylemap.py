"""Find a reference doc's styles the way Word, LibreOffice and WPS write them.

Word writes built-in names in lower case ("heading 1"), LibreOffice capitalised
("Heading 1") and with its own ids ("TextBody" for Body Text), a Chinese Word
or WPS may name them 标题 1 or carry aliases ("Heading 1,标题 1"), and a file
may hold two styles of one name. A style is found by its name, id, aliases or
Chinese name, compared without case and spaces; paragraph styles only.
"""

from __future__ import annotations

from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.styles import BabelFish

from briefgen.config.wordnames import CHINESE_NAMES, SYNONYMS, style_key

key = style_key


def _names(style: Any) -> list[str]:
    el = style.element
    names = [style.name or "", style.style_id or "", _val(el, "w:name"),
             *_val(el, "w:aliases").split(",")]
    return [n for n in names if n]


def _val(el: Any, tag: str) -> str:
    """The w:val of the child `tag` of `el`, "" when there is none."""
    child = el.find(qn(tag))
    return "" if child is None else str(child.get(qn("w:val"), ""))


class StyleMap:
    """The paragraph styles of one document, by every name they go by."""

    def __init__(self, doc: Any) -> None:
        self._by_key: dict[str, Any] = {}
        for style in doc.styles:
            if style.type != WD_STYLE_TYPE.PARAGRAPH:
                continue
            for name in _names(style):
                # The first of two styles with one name wins, as in Word.
                self._by_key.setdefault(key(name), style)

    def find(self, name: str) -> Any | None:
        """The style called `name` (a Word name), or None."""
        for candidate in (name, *SYNONYMS.get(name, ()), CHINESE_NAMES.get(name, "")):
            if candidate and key(candidate) in self._by_key:
                return self._by_key[key(candidate)]
        return None


def use_word_name(style: Any, name: str) -> None:
    """Write the name as Word writes it ("heading 1", "caption"), whatever the source wrote,
    so Word, python-docx and a later reader agree on what the style is."""
    el = style.element.find(qn("w:name"))
    if el is not None:
        el.set(qn("w:val"), BabelFish.ui2internal(name))
