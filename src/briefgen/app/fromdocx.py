"""`briefgen build edited.docx`: staff's Word file, read back, as the house PDF and a normalised .docx.

The house is the project's (templates/house.yaml beside the file's briefs/ folder
or the working folder's), else briefgen's own. Chart drawings are found in the
chart cache, so a chart staff did not touch keeps its vector drawing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from briefgen.cache import area
from briefgen.config.brief import project_root
from briefgen.config.house import House, load_house
from briefgen.errors import InputError, display_path
from briefgen.fsio import clean_stale_parts, staged
from briefgen.readers.docx import Reading, read_docx
from briefgen.resources import package_templates


def house_for(path: Path) -> House:
    for folder in (project_root(path.parent), Path.cwd()):
        candidate = folder / "templates" / "house.yaml"
        if candidate.is_file():
            return load_house(candidate)
    return load_house(package_templates() / "house.yaml")


def read_edited(path: Path, house: House, reject: bool = False) -> Reading:
    """The document model of an edited .docx; comments and warnings go to stderr."""
    charts = area("charts").folder
    reading = read_docx(path, house, [charts], area("media").folder, reject=reject)
    for comment in reading.comments:
        print(f"{display_path(path)}: comment: {comment}", file=sys.stderr)
    for warning in reading.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return reading


def build_docx(path: Path, out_dir: Path, formats: Sequence[str], use_cache: bool = True,
               reference_doc: Path | None = None, reject: bool = False) -> list[Path]:
    """Build the PDF (and a normalised .docx) from an edited .docx; return the files written."""
    from briefgen.app.writing import render_document

    house = house_for(path)
    if reference_doc is not None:
        house = house.model_copy(update={"reference_docx": str(reference_doc.resolve())})
    document = read_edited(path, house, reject).document
    name = path.stem
    finals = [out_dir / f"{name}.{fmt}" for fmt in formats]
    _refuse_overwriting(path, finals)
    clean_stale_parts(out_dir, name)
    with staged(finals) as temps:
        for fmt, tmp in zip(formats, temps, strict=True):
            render_document(document, house, fmt, tmp, use_cache)
    return finals


def _refuse_overwriting(path: Path, finals: list[Path]) -> None:
    """An output that is the Word file being read is an error (say `-o` to the file's folder)."""
    if any(final.resolve() == path.resolve() for final in finals):
        raise InputError("the build would write over the Word file it reads",
                         display_path(path), hint="choose another output folder with -o")
