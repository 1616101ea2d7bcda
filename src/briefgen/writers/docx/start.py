"""The document each brief starts from: the house's reference doc, or one made from house.yaml."""

from __future__ import annotations

from typing import Any

import docx
from docx.oxml.ns import qn

from briefgen.config.house import House
from briefgen.errors import InputError, display_path
from briefgen.writers.docx.refdoc import make_reference_doc
from briefgen.writers.docx.styles import FIGURE_STYLE, WORD_STYLES


def open_reference(house: House) -> Any:
    """The reference document emptied of body text, or a fresh one from the house."""
    path = house.folder / house.reference_docx
    if not path.exists():
        return make_reference_doc(house)
    try:
        doc = docx.Document(str(path))
    except Exception as exc:  # a damaged or non-Word file
        raise InputError(
            f"cannot open the Word reference document ({type(exc).__name__})",
            display_path(path),
            hint="run `briefgen reference-doc` to make it again",
        ) from None
    present = {s.name for s in doc.styles}
    missing = [name for name in [*WORD_STYLES.values(), FIGURE_STYLE] if name not in present]
    if missing:
        raise InputError(
            f"the Word reference document lacks style '{missing[0]}'",
            display_path(path),
            hint="run `briefgen reference-doc` to make it again",
        )
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc
