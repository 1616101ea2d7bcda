"""The Word reader: a .docx briefgen wrote and staff edited, back into the document model.

The masthead and the end matter are read from their styled paragraphs (the
board and contact from the house); the body by src/briefgen/readers/docx/blocks.py.
Tracked changes are accepted, or refused with `reject`; comments are returned
for the caller to list. Footnotes come back as model Footnotes, numbered in
order of reference, their notes read from word/footnotes.xml.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from briefgen.config.house import House
from briefgen.config.wordnames import CHINESE_NAMES, SYNONYMS, WORD_STYLES, style_key
from briefgen.errors import InputError, display_path
from briefgen.fsio import check_archive
from briefgen.model import Author, BoardRole, Document, EndMatter, Masthead, Meta
from briefgen.readers.docx.blocks import Context, W, read_blocks, tagged

MASTHEAD = ("institute", "series", "slogan", "issue", "title", "author")
END = ("bio", "board_title", "disclaimer")
ZH_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


@dataclass
class Reading:
    document: Document
    comments: list[str] = field(default_factory=list)  # "author: text" per comment
    warnings: list[str] = field(default_factory=list)
    origins: list[int | None] = field(default_factory=list)  # per body block: the source
    # model's block index the writer tagged it with, None for a block staff added


def style_elements(doc: Any) -> dict[str, str]:
    """w:styleId -> house element, by the style's name, id or aliases as any editor writes them."""
    wanted = _wanted_styles()
    out: dict[str, str] = {}
    for style in doc.styles.element.findall(qn("w:style")):
        found = next((wanted[key] for key in map(style_key, _style_names(style))
                      if wanted.get(key)), None)
        if found:
            out[style.get(qn("w:styleId"), "")] = found
    return out


def _wanted_styles() -> dict[str, str]:
    """Every name a house element's style goes by (keyed by style_key) -> the element."""
    wanted: dict[str, str] = {}
    for element, name in WORD_STYLES.items():
        for candidate in (name, *SYNONYMS.get(name, ()), CHINESE_NAMES.get(name, "")):
            if candidate:
                wanted.setdefault(style_key(candidate), element)
    return wanted


def _style_names(style: Any) -> list[str]:
    """A w:style's id, its name and its aliases, in that order."""
    name_el = style.find(qn("w:name"))
    names = [style.get(qn("w:styleId"), ""),
             name_el.get(qn("w:val"), "") if name_el is not None else ""]
    aliases = style.find(qn("w:aliases"))
    if aliases is not None:
        names.extend(aliases.get(qn("w:val"), "").split(","))
    return names


def _open(path: Path) -> Any:
    import docx

    shown = display_path(path)
    if not path.is_file():
        raise InputError("Word file not found", shown)
    try:
        check_archive(path, "Word document", shown)
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"not a Word .docx file ({type(exc).__name__})", shown,
                         hint="save it from Word as .docx") from None


def read_docx(path: Path, house: House, chart_dirs: Sequence[Path], media_dir: Path,
              reject: bool = False) -> Reading:
    """The document model of a .docx briefgen wrote (and staff edited)."""
    doc = _open(path)
    ctx = Context(house=house, part=doc.part, styles=style_elements(doc),
                  chart_dirs=chart_dirs, media_dir=media_dir, reject=reject,
                  notes=_footnotes(doc), by_libreoffice=_by_libreoffice(doc))
    elements = [el for el in doc.element.body if el.tag in (W + "p", W + "tbl")]
    start = _front_end(elements, ctx)
    front = _front(elements[:start], ctx)
    end = _end_start(elements, start, ctx)
    body = read_blocks(elements[start:end], ctx)
    document = Document(
        meta=_meta(doc, house),
        masthead=_masthead(front, ctx, house),
        title="".join(_title_lines(front, ctx)),
        title_lines=_title_lines(front, ctx),
        author_line=ctx.text(front["author"]) if "author" in front else "",
        body=body,
        end=_end_matter(elements[end:], ctx, house, front),
    )
    document.meta.date = _date(document.masthead.date_text) or document.meta.date
    warnings = [f"{display_path(path)}: a reference to {target} points at a caption that is "
                "gone; its text is kept as shown" for target in sorted(ctx.dangling)]
    return Reading(document, comments=_comments(doc), warnings=warnings, origins=ctx.origins)


def _front_end(elements: list[Any], ctx: Context) -> int:
    """Where the masthead ends: the first element not in a masthead style, or the first
    the writer tagged as a body block."""
    for i, el in enumerate(elements):
        if ctx.element(el) not in MASTHEAD or tagged(el):
            return i
    return len(elements)


def _front(masthead: list[Any], ctx: Context) -> dict[str, Any]:
    """The masthead's paragraphs by house element (the first of each)."""
    front: dict[str, Any] = {}
    for el in masthead:
        front.setdefault(ctx.element(el), el)
    return front


def _end_start(elements: list[Any], start: int, ctx: Context) -> int:
    """Where the end matter begins: the first bio, board or disclaimer paragraph, and
    the closing note (注：…, not a body block) just before it."""
    end = len(elements)
    for i in range(start, len(elements)):
        if ctx.element(elements[i]) in END:
            end = i
            break
    if end > start and ctx.element(elements[end - 1]) == "note" and not tagged(elements[end - 1]):
        end -= 1
    return end


def _title_lines(front: dict[str, Any], ctx: Context) -> list[str]:
    if "title" not in front:
        return []
    return [line for line in ctx.text(front["title"]).split("\n") if line]


def _masthead(front: dict[str, Any], ctx: Context, house: House) -> Masthead:
    def text(element: str, default: str) -> str:
        return ctx.text(front[element]) if element in front else default

    issue, _, date_text = text("issue", "").partition("\t")
    return Masthead(institute=text("institute", house.institute),
                    series=text("series", house.series), slogan=text("slogan", house.slogan),
                    issue_label=issue.strip(), date_text=date_text.strip())


@dataclass
class _EndTexts:
    """What staff can edit in the end matter: the closing note, bios, disclaimer lines."""

    note: str = ""
    bios: list[str] = field(default_factory=list)
    disclaimers: list[str] = field(default_factory=list)


def _end_texts(elements: list[Any], ctx: Context, house: House) -> _EndTexts:
    found = _EndTexts()
    for el in elements:
        if el.tag != W + "p":
            continue
        element = ctx.element(el)
        text = ctx.text(el)
        if element == "note" and not found.note:
            found.note = _unlabelled(text, house.note_label)
        elif element == "bio":
            found.bios.append(_unlabelled(text, house.bio_label))
        elif element == "disclaimer":
            found.disclaimers.append(text)
    return found


def _unlabelled(text: str, label: str) -> str:
    return text[len(label):] if text.startswith(label) else text


def _closing_lines(disclaimers: list[str], house: House) -> tuple[str, str]:
    """The disclaimer and the feedback line as the file has them, the house's when absent;
    one line alone is the disclaimer (feedback kept only if it is the house's own)."""
    if not disclaimers:
        return house.disclaimer, house.feedback
    if len(disclaimers) == 1:
        disclaimer = disclaimers[0]
        return disclaimer, house.feedback if house.disclaimer == disclaimer else ""
    return disclaimers[0], disclaimers[1]


def _end_matter(elements: list[Any], ctx: Context, house: House,
                front: dict[str, Any]) -> EndMatter:
    texts = _end_texts(elements, ctx, house)
    names = ctx.text(front["author"]).split("　") if "author" in front else []
    bios = texts.bios + [""] * len(names)
    authors = [Author(name, bios[i]) for i, name in enumerate(names)]
    disclaimer, feedback = _closing_lines(texts.disclaimers, house)
    return EndMatter(note=texts.note, authors=authors, board_title=house.board_title,
                     board=[BoardRole(r.role, list(r.names)) for r in house.board],
                     contact=house.contact, disclaimer=disclaimer, feedback=feedback)


def _meta(doc: Any, house: House) -> Meta:
    cp = doc.core_properties
    created = cp.created
    day = created.date() if isinstance(created, dt.datetime) else dt.date.today()
    return Meta(title=cp.title or "", authors=_parts(cp.author, "、"), date=day,
                subject=cp.subject or f"{house.institute}{house.series}",
                keywords=_parts(cp.keywords, "；"), language=cp.language or "zh-CN")


def _parts(text: str | None, separator: str) -> list[str]:
    """A core property's list (authors, keywords), the empty parts left out."""
    return [part for part in (text or "").split(separator) if part]


def _date(text: str) -> dt.date | None:
    m = ZH_DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _by_libreoffice(doc: Any) -> bool:
    """Whether docProps/app.xml names LibreOffice as the program that saved the file."""
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties") and not rel.is_external:
            return b"<Application>LibreOffice" in rel.target_part.blob
    return False


def _related_xml(doc: Any, reltype_end: str) -> Any | None:
    """The parsed XML of the document's part of that relationship type, if it has one."""
    from lxml import etree

    for rel in doc.part.rels.values():
        if rel.reltype.endswith(reltype_end) and not rel.is_external:
            return etree.fromstring(rel.target_part.blob)
    return None


def _footnotes(doc: Any) -> dict[str, Any]:
    """The notes of word/footnotes.xml by w:id (the separators left out)."""
    root = _related_xml(doc, "/footnotes")
    if root is None:
        return {}
    return {n.get(qn("w:id"), ""): n for n in root.iter(W + "footnote")
            if n.get(qn("w:type"), "normal") == "normal"}


def _comments(doc: Any) -> list[str]:
    """Each comment of word/comments.xml as "author: text"."""
    root = _related_xml(doc, "/comments")
    if root is None:
        return []
    return [f"{c.get(qn('w:author'), '?')}: {''.join(t.text or '' for t in c.iter(W + 't'))}"
            for c in root.iter(W + "comment")]
