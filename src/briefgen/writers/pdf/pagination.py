"""Pagination: headings kept with their text, figures floated past the text after them."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.flowables import FigureBlock, TextBlock

# A table split at a page break keeps this many body rows on each side at least.
MIN_ROWS = 2


class FloatingFigure(Flowable):  # type: ignore[misc]  # ReportLab has no types
    """A figure and the body paragraphs after it, up to the next heading: the figure floats.

    Where the figure fits, it is set where it stands, the paragraphs after it. Where it
    does not (and the page has begun), the paragraphs after it flow up to fill the page,
    the last one split between lines as any paragraph is split at a page break, and the
    figure starts the next page, the rest of the text after it, as a typesetter floats a
    figure. A paragraph's part left at the bottom of the page has two lines at least (no
    single line is stranded there), and one split before the figure leaves two lines to
    follow it. When no two lines can move up, the figure goes to the next page as it would
    alone. Headings never pass a figure, nor one figure another.
    """

    def __init__(self, figure: Flowable, followers: list[Flowable]) -> None:
        super().__init__()
        self.figure = figure
        self.followers = followers

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        # never drawn itself: taller than any room, so the frame asks it to split
        self.width, self.height = aw, ah + 1
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        fig = self.figure
        frame = rl_compat.frame_of(self)
        rl_compat.lend_frame(fig, frame, getattr(self, "canv", None))
        fig.wrap(aw, ah)
        h = rl_compat.keep_together_height(fig)
        if h <= ah + 1e-6 or rl_compat.at_frame_top(frame):  # it fits (or nothing could be gained)
            return [*fig.split(aw, ah), *self.followers]
        taken, rest = self._fill(aw, ah)
        if not taken:
            return [*fig.split(aw, ah), *self.followers]  # nothing moves up: as today
        return [*taken, fig, *rest]

    def _fill(self, aw: float, ah: float) -> tuple[list[Flowable], list[Flowable]]:
        """The followers that fill the room `ah` (the last one split), and the rest."""
        taken: list[Flowable] = []
        rest = list(self.followers)
        room = ah
        while rest:
            f = rest[0]
            before = f.getSpaceBefore()
            _, fh = f.wrap(aw, room - before)
            if before + fh <= room + 1e-6:
                taken.append(rest.pop(0))
                room -= before + fh + f.getSpaceAfter()
                continue
            head = self._head(f, aw, room - before)
            if head is not None:  # the paragraph is split at the page's end, around the figure
                rest[0:1] = head[1:]
                taken.append(head[0])
            break
        return taken, rest

    @staticmethod
    def _head(f: Flowable, aw: float, room: float) -> list[Flowable] | None:
        """The paragraph split for the page's end: two lines at least on each side, or None."""
        if not isinstance(f, TextBlock) or not f.allow_split:
            return None
        lines = f.lines(aw)
        fit = min(int((room + 1e-6) // f.s.leading), len(lines) - 2)  # no widow after the figure
        if fit < 2:  # no orphan at the page's end
            return None
        parts = f.split(aw, fit * f.s.leading)
        return parts if len(parts) == 2 else None


class KeepRoom(CondPageBreak):  # type: ignore[misc]  # ReportLab has no types
    """Before a heading: break the page unless the heading(s) and two lines after them fit.

    ReportLab's keepWithNext glues a heading to the whole next paragraph and moves
    both to the next page, leaving half a page empty; this asks only for room for
    the heading and the first two lines of its paragraph.
    """

    def __init__(self, following: list[Flowable]) -> None:
        super().__init__(0)
        self.following = following

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        need = 0.0
        for f in self.following:
            h = _start_height(f, aw, ah)
            if isinstance(f, TextBlock) and not f.s.keep:  # the paragraph: its first two lines
                need += f.getSpaceBefore() + min(2, len(f.lines(aw))) * f.s.leading
                break
            need += h + f.getSpaceBefore() + f.getSpaceAfter()
            if not _is_heading(f):
                break
        self.height = need
        return super().wrap(aw, ah)  # type: ignore[no-any-return]


def _start_height(f: Flowable, aw: float, ah: float) -> float:
    """The height `f` needs to start on a page (it is wrapped to `aw` by `ah` on the way)."""
    _, h = f.wrap(aw, ah)
    if isinstance(f, KeepTogether):
        return rl_compat.keep_together_height(f)  # its wrap answers "split me"
    if rl_compat.is_table(f):  # a table splits: its header and first rows
        return rl_compat.table_start_height(f, 1 + MIN_ROWS)
    return h  # type: ignore[no-any-return]


def _is_heading(f: Flowable) -> bool:
    return isinstance(f, TextBlock) and f.s.keep


def _is_body_text(f: Flowable) -> bool:
    return isinstance(f, TextBlock) and f.body


def keep_headings(flow: list[Flowable]) -> list[Flowable]:
    """Keep each heading (or run of headings) with the start of what follows."""
    kept: list[Flowable] = []
    for k, f in enumerate(flow):
        if _is_heading(f) and not (k and _is_heading(flow[k - 1])):
            kept.append(KeepRoom(flow[k:k + 6]))
        kept.append(f)
    return kept


def float_figures(flow: list[Flowable]) -> list[Flowable]:
    """A figure floats: the body paragraphs after it (up to the next heading, figure,
    table or note) may fill the page it does not fit on."""
    floated: list[Flowable] = []
    k = 0
    while k < len(flow):
        f = flow[k]
        k += 1
        if not isinstance(f, FigureBlock):
            floated.append(f)
            continue
        end = _body_text_end(flow, k)
        followers, k = flow[k:end], end
        floated.append(FloatingFigure(f, followers) if followers else f)
    return floated


def _body_text_end(flow: list[Flowable], start: int) -> int:
    """Where the run of body paragraphs from `start` ends."""
    end = start
    while end < len(flow) and _is_body_text(flow[end]):
        end += 1
    return end
