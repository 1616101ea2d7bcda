"""Footnotes at the page foot: each note on the page of its reference, the body frame shortened.

Which page a reference lands on is only known once the pages are laid out, and
the room its note takes moves the text. So the writer lays the document out,
hears from each paragraph on which page it drew each reference
(`TextBlock.on_note`), and lays it out again with those pages' frames shortened
by the height of their notes, until every note fits the room its page gave up.
A reference that the shortening pushes to the next page can pull back once that
room is gone; when the rooms start to repeat, they only grow from then on
(a page may keep a little blank at its foot), so the passes always end.

The notes are drawn at the end of each page, from the bottom of the text block
up: a rule a quarter of the text width, then the notes in the footnote style,
above the page number.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Frame

from briefgen.errors import OutputError
from briefgen.writers.pdf.flowables import TextBlock

RULE_SHARE = 0.25  # of the text width
RULE_WIDTH = 0.5  # points
MAX_PASSES = 8
Rooms = dict[int, float]  # page -> height given up to its notes


class NotesFrame(Frame):  # type: ignore[misc]  # ReportLab has no types
    """The body frame, its bottom raised on a page by the room that page's notes need."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.room = 0.0
        super().__init__(*args, **kwargs)
        self.full: tuple[float, float] = (self.y1, self.height)  # Frame's geometry attributes

    def _reset(self) -> None:
        if "full" in self.__dict__:  # Frame.__init__ resets before the geometry is kept
            y1, height = self.full
            self.y1, self.height = y1 + self.room, height - self.room  # Frame recomputes
        super()._reset()


class PageNotes:
    """The notes of one document: where their references land, and the page foot."""

    def __init__(self, notes: dict[int, TextBlock], width: float, left: float, bottom: float,
                 max_room: float, body_leading: float) -> None:
        self.notes = notes
        self.width = width
        self.left = left
        self.bottom = bottom
        self.max_room = max_room
        self.gap = body_leading / 2  # between the body's last line and the rule
        self.heights = {n: tb.wrap(width, 1e9)[1] for n, tb in notes.items()}
        self.rooms: Rooms = {}
        self.placed: dict[int, int] = {}  # footnote number -> page, in the pass under way
        self.frame: NotesFrame | None = None
        self.seen: list[Rooms] = []  # the rooms of the passes made
        self.growing = False  # rooms repeated: from now on they only grow

    # -- hooks of one layout pass ------------------------------------------------------------
    def start_pass(self, frame: NotesFrame) -> None:
        self.frame = frame
        self.placed = {}

    def heard(self, number: int, page: int) -> None:
        """A paragraph drew footnote `number`'s reference on `page` (the first time counts)."""
        self.placed.setdefault(number, page)

    def on_page(self, canv: Any, doc: Any) -> None:
        if self.frame is not None:
            self.frame.room = self.rooms.get(doc.page, 0.0)

    def on_page_end(self, canv: Any, doc: Any) -> None:
        numbers = self._numbers_on(doc.page)
        if not numbers:
            return
        y = self.bottom + sum(self.heights[n] for n in numbers)
        self._draw_rule(canv, y + self.gap / 2)
        for n in numbers:
            y -= self.heights[n]
            self.notes[n].drawOn(canv, self.left, y)

    def _numbers_on(self, page: int) -> list[int]:
        """The notes whose references this pass drew on `page`, in order."""
        return sorted(n for n, on in self.placed.items() if on == page)

    def _draw_rule(self, canv: Any, y: float) -> None:
        """The short rule above the notes."""
        canv.saveState()
        canv.setStrokeColor(HexColor("#000000"))
        canv.setLineWidth(RULE_WIDTH)
        canv.line(self.left, y, self.left + self.width * RULE_SHARE, y)
        canv.restoreState()

    # -- between passes ----------------------------------------------------------------------
    def needed(self) -> Rooms:
        """The room each page's notes take, as laid out in the pass just made."""
        rooms: Rooms = {}
        for n, page in self.placed.items():
            rooms[page] = rooms.get(page, self.gap) + self.heights[n]
        return rooms

    def exact(self) -> bool:
        """Every note drawn, and each page gave up exactly the room its notes take.

        A layout from remembered rooms is kept only then: it is the fixed point a layout
        from no rooms reaches too, so the PDF does not depend on what was built before."""
        if len(self.placed) < len(self.notes):
            return False
        need = self.needed()
        return need.keys() == self.rooms.keys() and all(
            abs(h - self.rooms[page]) <= 0.01 for page, h in need.items())

    def settled(self) -> bool:
        """Every note was drawn, and fits the room its page gave up."""
        if len(self.placed) < len(self.notes):
            return False
        return all(h <= self.rooms.get(page, 0.0) + 0.01 for page, h in self.needed().items())

    def next_rooms(self) -> None:
        """The rooms for the next pass: as needed, or grown only once rooms repeat."""
        need = self.needed()
        self._check_room(need)
        self.growing = self.growing or need in self.seen
        if self.growing:
            need = self._grown(need)
        self.seen.append(self.rooms)
        self.rooms = need

    def _check_room(self, need: Rooms) -> None:
        for page, h in need.items():
            if h > self.max_room:
                raise OutputError(f"the footnotes of page {page} take more than half the page; "
                                  "shorten them or move some references")

    def _grown(self, need: Rooms) -> Rooms:
        """Each page's room the larger of what it had and what it needs now."""
        return {p: max(self.rooms.get(p, 0.0), need.get(p, 0.0)) for p in {*self.rooms, *need}}
