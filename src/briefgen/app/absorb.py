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
import difflib
import re
import sys
from collections import defaultdict
from copy import deepcopy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.app.absorb_notes import note_edits
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

TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# a footnote's reference [^label] prints its number: like markup, not the text's
MARKUP = re.compile(r"^(#{1,4}[ \t]+|>[ \t]?|:[ \t]+)|\*\*|\*|\[\^[^\]\s]+\](?!:)", re.M)
BLOCK_OPEN = re.compile(r"\{%-?\s*(for|if|macro|call|filter|set\s+\w+\s*-?%\})")
BLOCK_CLOSE = re.compile(r"\{%-?\s*end(for|if|macro|call|filter|set)\b")


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
        file, _, line = block.where.rpartition(":")
        if not file or not line.isdigit():
            return None
        path = Path(file).resolve()
        if self.folder not in path.parents or path.suffix != ".md":
            return None
        lines = self.texts.get(path)
        if lines is None:
            lines = self.texts[path] = path.read_text(encoding="utf-8-sig").split("\n")
        at = min(int(line) - 1, len(lines) - 1)
        start = at
        while start > 0 and lines[start - 1].strip():
            start -= 1
        end = at + 1
        while end < len(lines) and lines[end].strip():
            end += 1
        return Source(path, lines, start, end)

    def place(self, block: Block) -> str:
        return display_path(Path(block.where.rpartition(":")[0])) + ":" + \
            block.where.rpartition(":")[2] if block.where else "the brief"

    # -- bound figures -------------------------------------------------------------
    def settle_bound(self, block: Block) -> Block:
        """The block with each bound figure's text as composed; a changed one is reported."""
        block = deepcopy(block)
        for node in _texts(block):
            if isinstance(node, Bound) and 0 <= node.figure < len(self.ledger):
                entry = self.ledger[node.figure]
                if node.text != entry.text:
                    cells = "; ".join(f"{c.file}:{c.row} {c.column}={c.text}" for c in entry.sources)
                    self.findings.append(
                        f"{display_path(Path(entry.file))}:{entry.line}: a bound figure was "
                        f"changed in Word: {entry.text} -> {node.text} "
                        f"({{{{ {entry.expression} }}}}; {cells or entry.label}); kept the "
                        "expression: change the data or unbind the figure")
                    node.text = entry.text
        return block

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
            call = re.compile(r"\{\{-?\s*chart\(\s*['\"]" + re.escape(old.chart_id) + r"['\"]")
            kept = [x for x in src.lines[src.start:src.end] if not call.search(x)]
            self.edits[src.path].append((src.start, src.end, kept))
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
        anchor = self.source(after) if after is not None else None
        if anchor is not None:
            self._insert(anchor.path, anchor.end, ["", text])
            return
        anchor = self.source(before) if before is not None else None
        if anchor is not None:
            self._insert(anchor.path, anchor.start, [text, ""])
            return
        self.findings.append(f"a paragraph added in Word between template texts is not "
                             f"absorbed: {plain_text(getattr(new, 'inlines', []))}")

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


def align_edit(source: str, old: str, new: str) -> str | None:
    """`source` with the change from `old` (its composed text) to `new` made in its literal
    text; None when the change touches text a template tag prints only in part."""
    pattern: list[str] = []
    spans: list[tuple[int, int, bool]] = []  # per group: source span, is a tag
    pos = 0
    tokens = sorted([(m.start(), m.end(), True) for m in TAG.finditer(source)]
                    + [(m.start(), m.end(), False) for m in MARKUP.finditer(source)
                       if not any(t.start() <= m.start() < t.end() for t in TAG.finditer(source))])
    for start, end, is_tag in tokens:
        if start < pos:
            continue
        _literal(source, pos, start, pattern, spans)
        if is_tag:
            if pattern and pattern[-1] == "(.*?)" and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], end, True)  # adjacent tags: one wildcard
            else:
                pattern.append("(.*?)")
                spans.append((start, end, True))
        pos = end
    _literal(source, pos, len(source), pattern, spans)
    m = re.fullmatch("".join(pattern), old, re.S)
    if m is None:
        return None
    # Each composed character: its source offset (literal) or the tag group it came from.
    char_src: list[tuple[int, int | None]] = [(0, None)] * len(old)
    for g, (s0, _s1, is_tag) in enumerate(spans, 1):
        a, b = m.span(g)
        for k in range(a, b):
            char_src[k] = (s0 + (k - a), None) if not is_tag else (s0, g)
    out = source
    ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag == "equal":
            continue
        if i1 < i2:
            groups = {grp for k in range(i1, i2) if (grp := char_src[k][1]) is not None}
            for g in groups:
                a, b = m.span(g)
                if a < i1 or b > i2:
                    return None  # part of a tag's output
            s_start = _src_start(char_src[i1], spans)
            s_end = _src_end(char_src[i2 - 1], spans)
            removed = out[s_start:s_end]
            if len(BLOCK_OPEN.findall(removed)) != len(BLOCK_CLOSE.findall(removed)):
                return None
        else:
            if i1 > 0:
                s_start = s_end = _src_end(char_src[i1 - 1], spans)
            elif old:
                s_start = s_end = _src_start(char_src[0], spans)
            else:
                s_start = s_end = len(out)
        out = out[:s_start] + new[j1:j2] + out[s_end:]
    return out


def _literal(source: str, a: int, b: int, pattern: list[str], spans: list[tuple[int, int, bool]]
             ) -> None:
    """Literal source text as pattern groups, one per line (a newline prints nothing or a space)."""
    for k, part in enumerate(source[a:b].split("\n")):
        if k:
            pattern.append("(\\s?)")
            spans.append((a, a, True))  # a line break: like a tag that prints nothing
        if part:
            pattern.append("(" + re.escape(part) + ")")
            spans.append((a, a + len(part), False))
        a += len(part) + 1


def _src_start(place: tuple[int, int | None], spans: list[tuple[int, int, bool]]) -> int:
    return place[0] if place[1] is None else spans[place[1] - 1][0]


def _src_end(place: tuple[int, int | None], spans: list[tuple[int, int, bool]]) -> int:
    return place[0] + 1 if place[1] is None else spans[place[1] - 1][1]


def _clean(lines: list[str]) -> list[str]:
    """Lines an edit left holding only Markdown markup (an emptied heading) are dropped."""
    return [x for x in lines if not (x.strip() and not MARKUP.sub("", x).strip())
            and (x.strip() or not lines)]


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
    out = []
    for node in inlines:
        if isinstance(node, Strong):
            out.append(f"**{_md(node.children)}**")
        elif isinstance(node, Emphasis):
            out.append(f"*{_md(node.children)}*")
        elif isinstance(node, Text):
            out.append(node.text)
        # a footnote added in Word is left out (insert reports it)
    return "".join(out)


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
    original = prepared.document.body
    absorber = Absorber(prepared.spec.folder, prepared.composition.ledger)
    body, origins = reading.document.body, reading.origins
    present = {o for o in origins if o is not None and o < len(original)}
    for i, block in enumerate(original):
        if i not in present:
            absorber.delete(block)
    for k, (new, o) in enumerate(zip(body, origins, strict=True)):
        if o is None or o >= len(original):
            after = next((original[x] for x in reversed(origins[:k]) if x is not None), None)
            before = next((original[x] for x in origins[k + 1:] if x is not None), None)
            absorber.insert(new, before, after)
            continue
        old = original[o]
        settled = absorber.settle_bound(new)
        if isinstance(old, Figure) or type(settled) is not type(old):
            continue
        if _plain(settled) != _plain(old):
            absorber.change(old, replace(settled, where=old.where))
        absorber.notes(old, settled)
    return Outcome(files=absorber.write(), findings=absorber.findings)


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
