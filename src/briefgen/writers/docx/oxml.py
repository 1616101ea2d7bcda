"""Raw WordprocessingML: element builders and the one table of child order.

The rest of the Word writer speaks in python-docx proxies and calls these
helpers for what python-docx does not cover. ISO/IEC 29500 fixes the order of
the children of most property elements; `CHILD_ORDER` declares it once (taken
from the transitional schema, wml.xsd) and `put` inserts a child at its place,
replacing one of the same tag, so no caller repeats a successor list.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# Children in schema order, per parent (local names in the w: namespace).
CHILD_ORDER: dict[str, list[str]] = {
    "pPr": (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
        "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
        "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split(),
    "rPr": (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
        "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
        "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
        "specVanish oMath rPrChange"
    ).split(),
    "tblPr": (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
        "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
        "tblDescription tblPrChange"
    ).split(),
    "tcPr": (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
    ).split(),
    "trPr": (
        "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
        "tblCellSpacing jc hidden ins del trPrChange"
    ).split(),
    "sectPr": (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
        "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
        "bidi rtlGutter docGrid printerSettings sectPrChange"
    ).split(),
    "style": (
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
        "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid pPr rPr "
        "tblPr trPr tcPr tblStylePr"
    ).split(),
    "settings": (
        "writeProtection view zoom removePersonalInformation removeDateAndTime "
        "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
        "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
        "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
        "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
        "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
        "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
        "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
        "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
        "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
        "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
        "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
        "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
        "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
        "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
        "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
        "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
        "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
        "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
        "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
        "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
        "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
        "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
        "decimalSymbol listSeparator"
    ).split(),
    "lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr"
    .split(),
    "abstractNum": "nsid multiLevelType tmpl name styleLink numStyleLink lvl".split(),
    "numbering": "numPicBullet abstractNum num numIdMacAtCleanup".split(),
    "tblBorders": "top start left bottom end right insideH insideV".split(),
    "tcBorders": "top start left bottom end right insideH insideV tl2br tr2bl".split(),
    "pBdr": "top left bottom right between bar".split(),
}


def local(tag: str) -> str:
    """The local name of a Clark-notation tag ({ns}name -> name)."""
    return tag.rsplit("}", 1)[-1]


def make(tag: str, **attrs: str | int | float) -> Any:
    """A w: element with w: attributes: make("w:jc", val="center")."""
    el = OxmlElement(tag)
    for name, value in attrs.items():
        el.set(qn(f"w:{name}"), str(value))
    return el


def put(parent: Any, child: Any) -> Any:
    """Insert `child` at its schema place in `parent`, replacing any of the same tag."""
    order = CHILD_ORDER[local(parent.tag)]
    name = local(child.tag)
    for old in parent.findall(child.tag):
        parent.remove(old)
    rank = order.index(name)
    for i, existing in enumerate(parent):
        if _ranks_after(order, existing, rank):
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _ranks_after(order: list[str], existing: Any, rank: int) -> bool:
    """Whether `existing` is a child the schema puts after the child of `rank`; one it does
    not name (or a comment) is passed by."""
    other = local(existing.tag) if isinstance(existing.tag, str) else ""
    return other in order and order.index(other) > rank


def reorder(root: Any) -> None:
    """Put the children of every element `CHILD_ORDER` knows into schema order, in place.

    A reference doc saved by another program may hold them out of order (LibreOffice
    writes w:pStyle before w:numFmt in w:lvl); Word then repairs the file.
    """
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for el in root.iter(*(f"{{{w}}}{name}" for name in CHILD_ORDER)):
        order = CHILD_ORDER[local(el.tag)]
        _sort_children(el, order)


def _sort_children(el: Any, order: list[str]) -> None:
    children = list(el)
    ranked = sorted(children, key=lambda c: _rank(order, c))
    if ranked != children:
        for child in children:
            el.remove(child)
        el.extend(ranked)


def _rank(order: list[str], child: Any) -> int:
    name = local(child.tag) if isinstance(child.tag, str) else ""
    return order.index(name) if name in order else len(order)


def get_or_put(parent: Any, tag: str) -> Any:
    """The child `tag` of `parent`, made at its schema place when absent."""
    found = parent.find(qn(tag))
    return found if found is not None else put(parent, make(tag))


def remove_all(parent: Any, tag: str) -> None:
    for old in parent.findall(qn(tag)):
        parent.remove(old)


def border(tag: str, color: str, width_pt: float, kind: str = "single", space: float = 0) -> Any:
    """One border line (w:top, w:bottom, …): width in eighths of a point."""
    return make(tag, val=kind, sz=max(2, round(width_pt * 8)), space=round(space), color=color)


def no_border(tag: str) -> Any:
    return make(tag, val="nil")


def borders(tag: str, lines: dict[str, Any]) -> Any:
    """A border group (w:pBdr, w:tblBorders, w:tcBorders) with its sides in schema order."""
    group = make(tag)
    for line in lines.values():
        put(group, line)
    return group


# Marks whose code points Latin fonts also have: without w:hint="eastAsia" Word sets
# them in the Latin face (Times New Roman), half width, as Western quotes and dashes.
AMBIGUOUS = frozenset("\u2018\u2019\u201c\u201d\u2014\u2015\u2026\u00b7\u2013\u00d7\u2103")


def add_text(p: Any, text: str) -> Any:
    """A run of `text`, hinted East Asian when it holds marks Latin fonts share."""
    run = p.add_run(text)
    if AMBIGUOUS.intersection(text):
        put(run._r.get_or_add_rPr(), make("w:rFonts", hint="eastAsia"))
    return run
