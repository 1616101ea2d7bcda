"""The document model as items, every character noted for the font plan on the way.

A footnote's reference is a superscript span in its paragraph; its note is an
item of its own (`Collector.notes`, by number), set at the page foot by
writers.pdf.footnotes.
"""

from __future__ import annotations

from briefgen.config.house import House
from briefgen.model import (
    Block,
    Document,
    Emphasis,
    Figure,
    Footnote,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Strong,
    Table,
    Text,
    footnotes,
)
from briefgen.readers.markdown import parse_inline
from briefgen.typeset.board import BoardRow, board_layout, caption_text
from briefgen.writers.pdf.fontplan import FontPlan
from briefgen.writers.pdf.items import (
    BoardItem,
    BoardRowItem,
    FigureItem,
    IssueItem,
    Item,
    RuleItem,
    TableItem,
    TextItem,
)
from briefgen.writers.pdf.text import Setting, Span


def spans(inlines: list[Inline], bold: bool = False, em: bool = False) -> list[Span]:
    """The spans of a run of inlines: strong text bold, emphasis dotted."""
    out: list[Span] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Span(node.text, bold, em))
        elif isinstance(node, Strong):
            out += spans(node.children, True, em)
        elif isinstance(node, Emphasis):
            out += spans(node.children, bold, True)
        elif isinstance(node, Footnote):
            out.append(Span(str(node.number), sup=True, note=node.number))
    return out


def _inline_runs(block: Block) -> list[list[Inline]]:
    if isinstance(block, Heading | Paragraph | Note):
        return [block.inlines]
    return list(block.items) if isinstance(block, ListBlock) else []


def snippet(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return f"“{text[:n]}…”" if len(text) > n else f"“{text}”"


class Collector:
    """Walks the document once: items in reading order, characters into the font plan."""

    def __init__(self, document: Document, house: House, plan: FontPlan,
                 settings: dict[str, Setting]) -> None:
        self.doc = document
        self.house = house
        self.plan = plan
        self.settings = settings
        self.source = ""  # the file and line of the block being collected, when known
        self.notes: dict[int, TextItem] = {}  # footnote number -> its note, for the page foot

    def item(self, spans: list[Span], style: str, where: str,
             outline: tuple[str, int] | None = None, body: bool = False,
             source: str = "") -> TextItem:
        s = self.settings[style]
        for span in spans:
            self.plan.need(span.role or s.role, span.bold or s.bold, span.text, where,
                           source=source or self.source)
        return TextItem(spans, style, where, outline, body)

    def collect(self) -> list[Item]:
        """The document as items, in order."""
        out: list[Item] = [*self.front(), *self.body(), *self.end()]
        # page numbers: every digit, and the template's own characters
        numbers = self.house.page.numbers
        s = self.settings[numbers.style]
        self.plan.need(s.role, s.bold, numbers.template.replace("{n}", "0123456789"),
                       "the page numbers")
        return out

    # -- front matter -----------------------------------------------------------------------
    def front(self) -> list[Item]:
        d, m = self.doc, self.doc.masthead
        out: list[Item] = [
            self.item([Span(m.institute)], "institute", "the masthead (institute)"),
            self.item([Span(m.series)], "series", "the masthead (series title)"),
        ]
        if m.slogan:
            out.append(self.item([Span(m.slogan)], "slogan", "the masthead (slogan)"))
        out.append(IssueItem(
            self.item([Span(m.issue_label)], "issue", "the masthead (issue number)"),
            self.item([Span(m.date_text)], "issue", "the masthead (date)")))
        out.append(RuleItem(self.house.rule))
        title_lines = d.title_lines or [d.title]
        for i, line in enumerate(title_lines):
            it = self.item([Span(line)], "title", "the title")
            it.first, it.last = i == 0, i == len(title_lines) - 1
            out.append(it)
        if d.author_line:
            out.append(self.item([Span(d.author_line)], "author", "the author line"))
        return out

    # -- body -------------------------------------------------------------------------------
    def body(self) -> list[Item]:
        out: list[Item] = []
        section = ""
        level = -1
        for n, block in enumerate(self.doc.body, 1):
            self.source = block.where  # the source map: the section file and line
            self.footnotes(block)
            if isinstance(block, Heading):
                section = block.number + block.text
                level = min(block.level - 1, level + 1)
                out.append(self.item([Span(block.number), *spans(block.inlines)],
                                     f"heading{block.level}", f"heading {snippet(section)}",
                                     outline=(section, level)))
                continue
            place = f"block {n}" + (f" under {snippet(section, 12)}" if section else "")
            out += self.block(block, place)
        self.source = ""
        return out

    def footnotes(self, block: Block) -> None:
        """The notes of the block's footnotes: the number raised, a blank, the note."""
        for inlines in _inline_runs(block):
            for note in footnotes(inlines):
                self.notes[note.number] = self.item(
                    [Span(str(note.number), sup=True), Span(" "), *spans(note.children)],
                    "footnote", f"footnote {note.number}")

    def block(self, block: Block, place: str) -> list[Item]:
        """The items of a body block other than a heading (described by `place`)."""
        if isinstance(block, Paragraph):
            return [self.item(spans(block.inlines), "body",
                              f"the paragraph {snippet(block.text)} ({place})", body=True)]
        if isinstance(block, ListBlock):
            return self.list_items(block, place)
        if isinstance(block, Note):
            return [self.item([Span(block.label), *spans(block.inlines)], "note",
                              f"the note ({place})")]
        return self.float_item(block)

    def list_items(self, block: ListBlock, place: str) -> list[Item]:
        marks = self.house.labels
        return [self.item([Span(marks.list_mark(block.ordered, k)), *spans(inl)], "body",
                          f"list item {k} ({place})", body=True)
                for k, inl in enumerate(block.items, 1)]

    def float_item(self, block: Block) -> list[Item]:
        """A figure or a table; nothing for a block the PDF does not set."""
        if isinstance(block, Figure):
            return [self.figure(block)]
        if isinstance(block, Table):
            return [self.table(block)]
        return []

    def figure(self, block: Figure) -> FigureItem:
        caption = self.item([Span(caption_text(self.house, "figure", block.number,
                                               block.caption))],
                            "caption", f"the caption of figure {block.number}")
        source = self.item([Span(block.source)], "source",
                           f"the source of figure {block.number}") if block.source else None
        note = self.item([Span(block.note)], "source",
                         f"the note of figure {block.number}") if block.note else None
        # its drawing is read when it is drawn (`PdfWriter.items`): it needs no font
        return FigureItem(block, caption, source, note)

    def table(self, table: Table) -> TableItem:
        cap = None
        if table.caption:
            cap = self.item([Span(caption_text(self.house, "table", table.number,
                                               table.caption))],
                            "table_caption", f"the caption of table {table.number}")
        st = self.settings["table"]
        self.plan.need(st.role, st.bold, "0", f"table {table.number}")
        cells = [[self.item([Span(text, bold=(r == 0))], "table",
                            f"table {table.number}, row {r + 1}") for text in row]
                 for r, row in enumerate([table.header, *table.rows])]
        src = self.item([Span(table.source)], "source",
                        f"the source of table {table.number}") if table.source else None
        return TableItem(table, cap, cells, src)

    # -- end matter -------------------------------------------------------------------------
    def end(self) -> list[Item]:
        e, h = self.doc.end, self.house
        out: list[Item] = []
        if e.note:
            out.append(self.item([Span(h.note_label), *spans(parse_inline(e.note))], "note",
                                 "the closing note (注)"))
        out += self.bios()
        if e.board:
            out.append(self.board())
        for text, what in ((e.disclaimer, "disclaimer"), (e.feedback, "feedback line")):
            if text:
                out.append(self.item([Span(text)], "disclaimer", f"the {what}"))
        return out

    def bios(self) -> list[Item]:
        """The authors' bios, Markdown (**bold**, *emphasis*) as in the body."""
        label = self.house.bio_label
        return [self.item([Span(label, bold=True), *spans(parse_inline(a.bio))], "bio",
                          f"the bio of {a.name}") for a in self.doc.end.authors if a.bio]

    def board(self) -> BoardItem:
        e = self.doc.end
        title = self.item([Span(e.board_title)], "board_title", "the board's title") \
            if e.board_title else None
        layout = board_layout(e, self.house)
        rows = [self.board_row(row) for row in layout.rows]
        return BoardItem(title, rows, layout.columns, layout.label_width_pt)

    def board_row(self, row: BoardRow) -> BoardRowItem:
        label = self.item([Span(row.label)], "board", "the board") if row.label else None
        where = "the board's contact" if row.spans_all else "the board"
        return BoardRowItem(label, [self.item([Span(text)], "board", where) for text in row.cells],
                            row.spans_all)
