"""The document each brief starts from: the house's reference doc, or one made from house.yaml.

A reference doc staff restyled in Word or LibreOffice is opened as it is: its
styles are found by any name they go by (stylemap), its body text dropped. The
page belongs to house.yaml (the PDF is set on the same page); when the
reference doc's page differs, the build says so in one warning line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from briefgen.config.house import House
from briefgen.config.wordnames import FIGURE_STYLE, WORD_STYLES
from briefgen.errors import InputError, display_path
from briefgen.fsio import check_archive
from briefgen.writers.docx.page import geometry_differences
from briefgen.writers.docx.refdoc import make_reference_doc
from briefgen.writers.docx.stylemap import StyleMap

HINT = "run `briefgen reference-doc` to make it again"


def open_reference(house: House) -> tuple[Any, StyleMap]:
    """The reference document emptied of body text (or a fresh one), and its styles."""
    path = house.folder / house.reference_docx
    if not path.exists():
        doc = make_reference_doc(house)
        return doc, StyleMap(doc)
    doc = _open(path)
    styles = StyleMap(doc)
    _check_styles(styles, path)
    _warn_of_geometry(doc, house, path)
    _empty_body(doc)
    return doc, styles


def _open(path: Path) -> Any:
    check_archive(path, "Word reference document")  # size and inflation, before unzipping
    try:
        return docx.Document(str(path))
    except Exception as exc:  # a damaged or non-Word file: python-docx raises many kinds
        raise InputError(f"cannot open the Word reference document ({type(exc).__name__})",
                         display_path(path), hint=HINT) from None


def _check_styles(styles: StyleMap, path: Path) -> None:
    """Every style the writer names is in the reference document."""
    missing = [n for n in [*WORD_STYLES.values(), FIGURE_STYLE] if styles.find(n) is None]
    if missing:
        raise InputError(f"the Word reference document lacks style '{missing[0]}'",
                         display_path(path), hint=HINT)


def _warn_of_geometry(doc: Any, house: House, path: Path) -> None:
    """A warning when the reference document's page is not the house's (the house wins)."""
    differences = geometry_differences(doc, house)
    if differences:
        print(f"briefgen: warning: {display_path(path)}: the page is house.yaml's (page:), "
              f"not the reference document's: {'; '.join(differences)}",
              file=sys.stderr, flush=True)


def _empty_body(doc: Any) -> None:
    """The body without its text: only the closing section properties stay."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
