"""The pipeline: load → data → compose → charts → parse → document → writers."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.app.writing import write_formats
from briefgen.cache import area
from briefgen.charts.ahead import NOTHING, ChartsAhead, start_drawing
from briefgen.compose import Composition, compose
from briefgen.config.brief import Spec, load_spec
from briefgen.config.house import House
from briefgen.data import DataContext, load_data
from briefgen.errors import BriefError, InputError, OutputError, display_path
from briefgen.forking import Helper
from briefgen.fsio import check_archive, clean_stale_parts, staged
from briefgen.model import (
    Author,
    Block,
    BoardRole,
    Document,
    EndMatter,
    Figure,
    Masthead,
    Meta,
)
from briefgen.numbers import chinese_date
from briefgen.readers.markdown import parse_sections
from briefgen.typeset.cjk import balanced_lines

FORMATS = ("docx", "pdf")


@dataclass
class Prepared:
    """A brief taken as far as the document model, ready for any writer."""

    spec: Spec
    data: DataContext
    composition: Composition
    document: Document
    # The PNGs only Word needs, not written yet (`prepare_spec(png_later=True)`).
    pending_pngs: list[Callable[[], None]] = field(default_factory=list)
    # The charts a helper is drawing (`prepare_spec(charts_later=True)`).
    drawing: ChartsAhead = NOTHING

    def placed(self) -> set[str]:
        return {f.chart_id for f in self.document.figures()}

    def drawings_ready(self) -> None:
        """Wait for what the PDF reads of the charts a helper draws (their operators)."""
        self.drawing.ops_ready(self.placed())

    def charts_ready(self) -> None:
        """Wait for the charts a helper draws, whole (the Word writer reads their PNGs)."""
        self.drawing.ready(self.placed())

    def write_pngs(self) -> None:
        """Write the PNGs left for later (the Word writer reads them)."""
        self.charts_ready()
        while self.pending_pngs:
            self.pending_pngs.pop(0)()


def issue_label(issue: int, issue_total: int | None) -> str:
    label = f"第{issue}期"
    if issue_total:
        label += f"（总第{issue_total}期）"
    return label


def prepare(
    folder: Path, cache_dir: Path | None = None, use_cache: bool = True,
    allow: Sequence[Path] = (),
) -> Prepared:
    return prepare_spec(load_spec(folder, allow=allow), cache_dir, use_cache)


def prepare_spec(spec: Spec, cache_dir: Path | None = None, use_cache: bool = True,
                 png_later: bool = False, charts_later: bool = False,
                 drawer: Helper | None = None) -> Prepared:
    """A loaded brief taken as far as the document model (see prepare).

    `png_later`: a redrawn chart's PNG, which only Word needs when the chart has PDF
    operators, is written by `Prepared.write_pngs` (`render` of the .docx runs it).
    `charts_later`: the charts the cache lacks are drawn by a helper while the text is
    composed (`charts.ahead`; by `drawer` when it waits for them); `render` waits for them
    (`Prepared.charts_ready`).
    """
    data = load_data(spec.data_folder())
    drawing = start_drawing(spec, data, cache_dir, use_cache, drawer) if charts_later else NOTHING
    try:
        prepared = _prepare(spec, data, cache_dir, use_cache, png_later, drawing)
    except BaseException:
        drawing.stop()
        raise
    if not charts_later:
        prepared.charts_ready()
    return prepared


def _prepare(spec: Spec, data: DataContext, cache_dir: Path | None, use_cache: bool,
             png_later: bool, drawing: ChartsAhead) -> Prepared:
    composition = compose(spec, data)
    figures: dict[str, Figure] = {}
    later: list[Callable[[], None]] = []
    if spec.brief.charts:
        from briefgen.charts import draw_charts

        figures = draw_charts(spec, data, composition.chart_order, cache_dir, use_cache,
                              composition.texts, composition.warnings,
                              later if png_later else None, drawing.charts)
    for warning in composition.warnings:
        print(warning, file=sys.stderr)
    body = parse_sections(composition.sections, figures, spec.house.labels)
    document = assemble(spec, body, composition.texts)
    return Prepared(spec=spec, data=data, composition=composition, document=document,
                    pending_pngs=later, drawing=drawing)


def assemble(spec: Spec, body: list[Block], texts: dict[str, str] | None = None) -> Document:
    """The document model: front matter and end matter from the spec and the house.

    `texts` are brief.yaml's texts as composed (Composition.texts); as typed without it.
    """
    brief, house = spec.brief, spec.house
    texts = texts or {}
    title = texts.get("title", brief.title)
    authors = [Author(a.name, texts.get(f"author:{i}:bio", a.bio))
               for i, a in enumerate(brief.authors)]
    return Document(
        meta=Meta(
            title=title,
            authors=[a.name for a in authors],
            date=brief.date,
            subject=brief.subject or f"{house.institute}{house.series}",
            keywords=list(brief.keywords),
        ),
        masthead=Masthead(
            institute=house.institute,
            series=house.series,
            slogan=house.slogan,
            issue_label=issue_label(brief.issue, brief.issue_total),
            date_text=chinese_date(brief.date),
        ),
        title=title,
        title_lines=brief.title_lines
        or balanced_lines(title, _chars_per_line(house, "title")),
        author_line="　".join(a.name for a in authors),
        body=body,
        end=EndMatter(
            note=texts.get("note", brief.note),
            authors=authors,
            board_title=house.board_title,
            board=[BoardRole(r.role, list(r.names)) for r in house.board],
            contact=house.contact,
            disclaimer=house.disclaimer,
            feedback=house.feedback,
        ),
    )


def _chars_per_line(house: House, style: str) -> float:
    """How many full-width characters of a style fit on one line of the text block."""
    text_width_pt = house.page.text_width_mm / 25.4 * 72
    st = house.style(style)
    return text_width_pt / (st.size * (1 + st.letter_spacing_em))


def refuse_on_check_errors(prepared: Prepared) -> None:
    """Run the error-level checks (see check.py); a brief that contradicts its data is not built."""
    from briefgen.analysis.check import error_findings

    errors = error_findings(prepared.spec, prepared.data, prepared.composition, prepared.document)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise BriefError(
            f"check found an error{more}: {first.message}",
            first.file,
            first.line,
            hint=f"run 'briefgen check {display_path(prepared.spec.folder)}' for all findings",
        )


def build(
    folder: Path,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    use_cache: bool = True,
    reference_doc: Path | None = None,
    allow: Sequence[Path] = (),
    reject: bool = False,
    drawer: Helper | None = None,
) -> list[Path]:
    """Build one brief (or a .docx briefgen wrote and staff edited: app/fromdocx.py); return the files written. Nothing is written on an error.

    Every format is written under a temporary name and all are renamed at the
    end, so an interrupt or a kill at any moment leaves no file under a final
    name. `reference_doc` replaces the house's Word reference document (as
    pandoc's --reference-doc): staff restyle a copy in Word and build with it.
    `allow` names folders outside the project the brief may read from. `drawer`: a
    helper forked at the start, waiting to draw the charts (`charts.ahead`).
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(f"unknown format '{fmt}'", hint="use docx or pdf")
    if reference_doc is not None:
        _check_reference_doc(reference_doc)
    check_output_folder(out_dir)
    if folder.suffix.lower() == ".docx":
        from briefgen.app.fromdocx import build_docx

        return build_docx(folder, out_dir, formats, use_cache, reference_doc, reject)
    spec = load_spec(folder, allow=allow)
    prepared = prepare_spec(spec, area("charts").folder, use_cache, charts_later=True,
                            drawer=drawer)
    try:
        written = _write(prepared, out_dir, formats, use_cache, reference_doc)
    except BaseException:
        prepared.drawing.stop()
        raise
    prepared.charts_ready()  # a PDF alone: the PNGs too, so the cache holds whole drawings
    return written


def _write(prepared: Prepared, out_dir: Path, formats: Sequence[str], use_cache: bool,
           reference_doc: Path | None) -> list[Path]:
    """Check the prepared brief and write its formats (all or none)."""
    if reference_doc is not None:
        house = prepared.spec.house.model_copy(
            update={"reference_docx": str(reference_doc.resolve())}
        )
        prepared.spec.house = house
    refuse_on_check_errors(prepared)
    name = prepared.spec.name
    finals = [out_dir / f"{name}.{fmt}" for fmt in formats]
    check_output_place(prepared.spec, out_dir, finals)
    clean_stale_parts(out_dir, name)
    with staged(finals) as temps:
        write_formats(prepared, dict(zip(formats, temps, strict=True)), use_cache)
    return finals


def _check_reference_doc(path: Path) -> None:
    if not path.is_file():
        raise InputError("reference document not found", display_path(path),
                         hint="name a .docx file with --reference-doc")
    check_archive(path, "reference document")


def check_output_folder(out_dir: Path) -> None:
    """The output must be a folder (or not yet exist); a file there is one clear line."""
    for p in (out_dir, *out_dir.parents):
        if p.exists():
            if not p.is_dir():
                raise OutputError("the output folder is a file", display_path(p),
                                  hint="choose a folder with -o")
            return


def check_output_place(spec: Spec, out_dir: Path, finals: Sequence[Path]) -> None:
    """Never write into a brief or data folder, nor over a folder."""
    out = out_dir.resolve()
    inputs = [("brief", spec.folder), ("data", spec.data_folder())]
    previous = spec.previous_folder() if spec.brief.data.previous else None
    if previous is not None:
        inputs.append(("data", previous))
    for what, folder in inputs:
        if out.is_relative_to(folder.resolve()):
            raise OutputError(f"the output folder is inside the {what} folder {display_path(folder)}",
                              display_path(out_dir), hint="choose another folder with -o")
    for path in finals:
        if path.is_dir():
            raise OutputError("a folder stands where the file should go", display_path(path),
                              hint="move that folder away or choose another output folder")
