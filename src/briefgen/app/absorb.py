"""`briefgen absorb edited.docx --into BRIEF`: staff's Word edits folded back into the brief's Markdown.

The brief is composed again (same data, same ledger ids as the build the .docx
came from), the .docx read back, and each body block compared with the block
the writer tagged it as. Changed prose is aligned with its section file's
source (template tags as wildcards) and only the literal text that changed is
rewritten; new headings and paragraphs go in beside their neighbours; deleted
ones are removed. A bound figure changed in Word is reported, never typed in.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.app.absorb_notes import note_edits
from briefgen.app.alignedit import MARKUP, align_edit
from briefgen.cache import area
from briefgen.errors import display_path
from briefgen.fsio import atomic_output
from briefgen.model import (
    Block,
    Bound,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Note,
    Paragraph,
    Strong,
    Text,
    footnotes,
    plain_text,
)

if TYPE_CHECKING:
    from briefgen.compose import LedgerEntry

__all__ = ["Outcome", "absorb", "align_edit", "markdown", "register_cli"]


@dataclass
class Outcome:
    files: list[Path] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


@dataclass
class Source:
    path: Path
    lines: list[str]
    start: int  # 0-based first line of the block's paragraph
    end: int  # exclusive


class Absorber:
    def __init__(self, folder: Path, ledger: list[LedgerEntry]) -> None:
        self.folder = folder.resolve()
        self.ledger = ledger
        self.texts: dict[Path, list[str]] = {}
        self.edits: dict[Path, list[tuple[int, int, list[str]]]] = defaultdict(list)
        self.findings: list[str] = []

    # -- where a block came from -------------------------------------------------
    def source(self, block: Block) -> Source | None:
        """The paragraph of the brief's section file the block was printed from, if any."""
        found = self._section_line(block)
        if found is None:
            return None
        path, line = found
        lines = self._lines(path)
        start, end = _paragraph_around(lines, min(line - 1, len(lines) - 1))
        return Source(path, lines, start, end)

    def _section_line(self, block: Block) -> tuple[Path, int] | None:
        """The section file (a .md in the brief's folder) and line the block stood at."""
        file, _, line = block.where.rpartition(":")
        if not file or not line.isdigit():
            return None
        path = Path(file).resolve()
        if self.folder not in path.parents or path.suffix != ".md":
            return None
        return path, int(line)

    def _lines(self, path: Path) -> list[str]:
        """A section file's lines, read once (edits are made to this copy)."""
        if path not in self.texts:
            self.texts[path] = path.read_text(encoding="utf-8-sig").split("\n")
        return self.texts[path]

    def place(self, block: Block) -> str:
        return display_path(Path(block.where.rpartition(":")[0])) + ":" + \
            block.where.rpartition(":")[2] if block.where else "the brief"

    # -- bound figures -------------------------------------------------------------
    def settle_bound(self, block: Block) -> Block:
        """The block with each bound figure's text as composed; a changed one is reported."""
        block = deepcopy(block)
        for node in _texts(block):
            entry = self._entry(node)
            if entry is not None and node.text != entry.text:
                self.findings.append(_changed_figure(entry, node.text))
                node.text = entry.text
        return block

    def _entry(self, node: Text) -> LedgerEntry | None:
        """The ledger entry of a bound figure; None for other text."""
        if isinstance(node, Bound) and 0 <= node.figure < len(self.ledger):
            return self.ledger[node.figure]
        return None

    def revise(self, old: Block, new: Block) -> None:
        """`new` is what Word made of `old`: changed prose is absorbed, bound figures kept."""
        settled = self.settle_bound(new)
        if isinstance(old, Figure) or type(settled) is not type(old):
            return
        if _plain(settled) != _plain(old):
            self.change(old, replace(settled, where=old.where))
        self.notes(old, settled)

    # -- changes -------------------------------------------------------------------
    def change(self, old: Block, new: Block) -> None:
        src = self.source(old)
        if src is None:
            self.findings.append(f"{self.place(old)}: changed in Word, but printed by a "
                                 "template, not a section file; not absorbed")
            return
        chunk = "\n".join(src.lines[src.start:src.end])
        edited = align_edit(chunk, _plain(old), _plain(new))
        if edited is None:
            self.findings.append(f"{self.place(old)}: the edit could not be placed in the "
                                 f"source (it changes text a template prints); new text: "
                                 f"{_plain(new)}")
            return
        self.edits[src.path].append((src.start, src.end, _clean(edited.split("\n"))))

    def notes(self, old: Block, new: Block) -> None:
        """Footnotes edited in Word, into their definitions in the section file."""
        if not isinstance(old, Paragraph | Heading | Note) or not isinstance(new, type(old)):
            return
        src = self.source(old)
        if src is None:
            return
        chunk = "\n".join(src.lines[src.start:src.end])
        edits, problems = note_edits(src.lines, chunk, old.inlines, new.inlines, align_edit)
        self.findings += [f"{self.place(old)}: {p}" for p in problems]
        for n, line in edits:
            self.edits[src.path].append((n, n + 1, [line]))

    def delete(self, old: Block) -> None:
        src = self.source(old)
        if src is None:
            self.findings.append(f"{self.place(old)}: deleted in Word, but printed by a "
                                 "template; not absorbed")
            return
        if isinstance(old, Figure):
            self.edits[src.path].append((src.start, src.end, _without_chart(src, old.chart_id)))
            return
        edited = align_edit("\n".join(src.lines[src.start:src.end]), _plain(old), "")
        if edited is None:
            self.findings.append(f"{self.place(old)}: deleted in Word; could not be removed "
                                 "from the source")
            return
        self.edits[src.path].append((src.start, src.end, _clean(edited.split("\n"))))

    def insert(self, new: Block, before: Block | None, after: Block | None) -> None:
        if any(True for _ in footnotes(getattr(new, "inlines", []))):
            self.findings.append("a footnote in a paragraph added in Word is not absorbed "
                                 "(add its [^label] and definition by hand)")
        text = markdown(new)
        if text is None:
            self.findings.append(f"a {type(new).__name__.lower()} added in Word is not "
                                 "absorbed (add it to the sources by hand)")
            return
        anchor = self._anchor(after)
        if anchor is not None:
            self._insert(anchor.path, anchor.end, ["", text])
            return
        anchor = self._anchor(before)
        if anchor is not None:
            self._insert(anchor.path, anchor.start, [text, ""])
            return
        self.findings.append(f"a paragraph added in Word between template texts is not "
                             f"absorbed: {plain_text(getattr(new, 'inlines', []))}")

    def _anchor(self, neighbour: Block | None) -> Source | None:
        return self.source(neighbour) if neighbour is not None else None

    def _insert(self, path: Path, at: int, lines: list[str]) -> None:
        """New lines at `at`, after any inserted there before (blocks keep their order)."""
        for k, (start, end, new) in enumerate(self.edits[path]):
            if start == end == at:
                self.edits[path][k] = (at, at, [*new, *lines])
                return
        self.edits[path].append((at, at, lines))

    def write(self) -> list[Path]:
        written = []
        for path, edits in self.edits.items():
            lines = list(self.texts[path])
            # Bottom up, so earlier line numbers stay right; inserts at one place keep order.
            for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
                lines[start:end] = new
            text = "\n".join(_squeeze(lines))
            with atomic_output(path, "the brief's folder", "check the brief folder's rights") as tmp:
                tmp.write_text(text, encoding="utf-8")
            written.append(path)
        return written


def _clean(lines: list[str]) -> list[str]:
    """Lines an edit left blank or holding only Markdown markup (an emptied heading) are
    dropped."""
    return [x for x in lines if MARKUP.sub("", x).strip()]


def _paragraph_around(lines: list[str], at: int) -> tuple[int, int]:
    """The lines (start, end exclusive) of the paragraph holding line `at`: up to blank lines."""
    return _paragraph_start(lines, at), _paragraph_end(lines, at)


def _paragraph_start(lines: list[str], at: int) -> int:
    start = at
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return start


def _paragraph_end(lines: list[str], at: int) -> int:
    end = at + 1
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _without_chart(src: Source, chart_id: str) -> list[str]:
    """The paragraph's lines less the one calling chart(`chart_id`)."""
    call = re.compile(r"\{\{-?\s*chart\(\s*['\"]" + re.escape(chart_id) + r"['\"]")
    return [x for x in src.lines[src.start:src.end] if not call.search(x)]


def _changed_figure(entry: LedgerEntry, text: str) -> str:
    """The finding for a bound figure changed in Word (to `text`): where it is computed."""
    cells = "; ".join(f"{c.file}:{c.row} {c.column}={c.text}" for c in entry.sources)
    return (f"{display_path(Path(entry.file))}:{entry.line}: a bound figure was "
            f"changed in Word: {entry.text} -> {text} "
            f"({{{{ {entry.expression} }}}}; {cells or entry.label}); kept the "
            "expression: change the data or unbind the figure")


def _squeeze(lines: list[str]) -> list[str]:
    out: list[str] = []
    for x in lines:
        if not x.strip() and out and not out[-1].strip():
            continue
        out.append(x)
    return out


def _texts(block: Block) -> list[Text]:
    from briefgen.model import walk_inlines

    return list(walk_inlines(block.inlines)) if isinstance(block, Heading | Paragraph | Note) \
        else []


def _plain(block: Block) -> str:
    if isinstance(block, Heading | Paragraph):
        return plain_text(block.inlines)
    if isinstance(block, Note):
        return block.label + plain_text(block.inlines)
    return ""


def _md(inlines: list[Inline]) -> str:
    return "".join(_md_inline(node) for node in inlines)


def _md_inline(node: Inline) -> str:
    """One inline as Markdown: **strong**, *emphasis*, plain text; a footnote added in
    Word is left out (insert reports it)."""
    if isinstance(node, Strong | Emphasis):
        mark = "**" if isinstance(node, Strong) else "*"
        return f"{mark}{_md(node.children)}{mark}"
    return node.text if isinstance(node, Text) else ""


def markdown(block: Block) -> str | None:
    if isinstance(block, Heading):
        return "#" * block.level + " " + _md(block.inlines)
    if isinstance(block, Paragraph):
        return _md(block.inlines)
    if isinstance(block, Note):
        return "> " + block.label + _md(block.inlines)
    return None


def absorb(docx_path: Path, folder: Path, reject: bool = False) -> Outcome:
    """Fold the edits of `docx_path` into the brief `folder`'s section files."""
    # Imported here: the command line registers this module at every start.
    from briefgen.app.fromdocx import read_edited
    from briefgen.app.pipeline import prepare

    prepared = prepare(folder, area("charts").folder)
    reading = read_edited(docx_path, prepared.spec.house, reject)
    absorber = Absorber(prepared.spec.folder, prepared.composition.ledger)
    _fold(absorber, prepared.document.body, reading.document.body, reading.origins)
    return Outcome(files=absorber.write(), findings=absorber.findings)


def _fold(absorber: Absorber, original: list[Block], body: list[Block],
          origins: list[int | None]) -> None:
    """Compare the body read back (each block with the original block it was written
    as, `origins`) with the original: deletions first, then insertions and changes."""
    known = [_original_index(o, len(original)) for o in origins]
    present = set(known)
    for i, block in enumerate(original):
        if i not in present:
            absorber.delete(block)
    for k, (new, o) in enumerate(zip(body, known, strict=True)):
        if o is None:
            absorber.insert(new, *_neighbours(original, origins, k))
        else:
            absorber.revise(original[o], new)


def _original_index(origin: int | None, count: int) -> int | None:
    """The original block a block read back was written as; None for one added in Word."""
    return origin if origin is not None and origin < count else None


def _neighbours(original: list[Block], origins: list[int | None],
                k: int) -> tuple[Block | None, Block | None]:
    """The original blocks (before, after) nearest the new block k, on either side."""
    before = _first_original(original, origins[k + 1:])
    return before, _first_original(original, reversed(origins[:k]))


def _first_original(original: list[Block], origins: Iterable[int | None]) -> Block | None:
    return next((original[x] for x in origins if x is not None), None)


def cmd_absorb(args: argparse.Namespace) -> int:
    outcome = absorb(args.docx, args.into, reject=args.reject)
    for path in outcome.files:
        print(f"updated {display_path(path)}")
    for finding in outcome.findings:
        print(finding, file=sys.stderr)
    return 1 if outcome.findings else 0


def register_cli(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("absorb", help="fold the edits of a Word file into the brief's sections")
    p.add_argument("docx", type=Path, help="the .docx briefgen built and staff edited")
    p.add_argument("--into", type=Path, required=True, metavar="BRIEF", help="the brief folder")
    p.add_argument("--reject", action="store_true", help="refuse the file's tracked changes")
    p.set_defaults(func=cmd_absorb)
