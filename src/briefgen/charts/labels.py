"""Value labels that never overlap: measured as drawn, moved along their bar, or dropped.

A kind's drawing gives its labels in order of importance, each with the way it may
move (up from a bar's top, right from a horizontal bar's end, away from a point,
outwards from a slice). After the layout, each label's box is measured with the
renderer; a label whose box meets one already placed (or an obstacle: the legend,
the unit) moves one box height (or width) that way, then two (labels beside a pie
also the other way), and is dropped if every place meets one or leaves the figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PAD_PX = 2.0  # the least blank between two labels, in pixels of the drawing
TRIES = 2


@dataclass
class Label:
    """A drawn label (a matplotlib Annotation placed in offset points) and its way out."""

    text: Any
    dx: float = 0.0  # the unit step of a move, in the label's own box widths / heights
    dy: float = 1.0
    both_ways: bool = False  # may also move the other way (labels beside a pie)


@dataclass
class Labels:
    """The labels of one chart, most important first, and what they must keep clear of."""

    items: list[Label] = field(default_factory=list)
    obstacles: list[Any] = field(default_factory=list)

    def add(self, texts: Iterable[Any], dx: float = 0.0, dy: float = 1.0,
            both_ways: bool = False) -> None:
        self.items += [Label(t, dx, dy, both_ways) for t in texts if t.get_text()]

    def avoid(self, *artists: Any) -> None:
        self.obstacles += [a for a in artists if a is not None]


def _box(artist: Any, renderer: Any) -> Any:
    """The drawn box of an artist; of a label, its text alone (not its leader line)."""
    from matplotlib.text import Annotation, Text

    if isinstance(artist, Annotation):
        return Text.get_window_extent(artist, renderer)
    return artist.get_window_extent(renderer)


def _meets(a: Any, b: Any, pad: float = PAD_PX) -> bool:
    return bool(a.x0 < b.x1 + pad and b.x0 < a.x1 + pad
                and a.y0 < b.y1 + pad and b.y0 < a.y1 + pad)


def _inside(box: Any, frame: Any) -> bool:
    return bool(box.x0 >= frame.x0 and box.x1 <= frame.x1
                and box.y0 >= frame.y0 and box.y1 <= frame.y1)


def _steps(label: Label) -> list[float]:
    """The moves to try, in steps of the label's own size: its way, then the other way."""
    ahead = [float(k) for k in range(1, TRIES + 1)]
    return ahead + ([-k for k in ahead] if label.both_ways else [])


def _place(label: Label, box: Any, k: float, dpi: float) -> None:
    """Put a label `k` steps (its box size plus the pad) from where it was drawn."""
    step_x = (box.width + PAD_PX) * label.dx * k * 72 / dpi
    step_y = (box.height + PAD_PX) * label.dy * k * 72 / dpi
    x, y = label.text.xyann
    label.text.xyann = (x + step_x, y + step_y)


def _free(box: Any, placed: list[Any], frame: Any) -> bool:
    return _inside(box, frame) and not any(_meets(box, other) for other in placed)


def _settle(label: Label, placed: list[Any], frame: Any, renderer: Any, dpi: float) -> bool:
    """Move a label to the first free place of its steps; False when there is none."""
    box = _box(label.text, renderer)
    if _free(box, placed, frame):
        placed.append(box)
        return True
    home = label.text.xyann
    for k in _steps(label):
        label.text.xyann = home
        _place(label, box, k, dpi)
        moved = _box(label.text, renderer)
        if _free(moved, placed, frame):
            placed.append(moved)
            return True
    label.text.xyann = home
    return False


def declutter(fig: Any, labels: Labels) -> list[Any]:
    """Move or hide labels so that no two drawn boxes meet; return the hidden ones."""
    renderer = fig.canvas.get_renderer()
    placed = [_box(a, renderer) for a in labels.obstacles if a.get_visible()]
    hidden = []
    for label in labels.items:
        if not _settle(label, placed, fig.bbox, renderer, fig.dpi):
            label.text.set_visible(False)
            hidden.append(label.text)
    return hidden


def drawn_boxes(fig: Any, labels: Labels) -> list[Any]:
    """The boxes of the labels still shown (for tests and checks)."""
    renderer = fig.canvas.get_renderer()
    return [_box(item.text, renderer) for item in labels.items if item.text.get_visible()]


def overlapping(boxes: list[Any]) -> list[tuple[int, int]]:
    """Pairs of boxes that meet (without the pad)."""
    return [(i, j) for i, a in enumerate(boxes) for j in range(i + 1, len(boxes))
            if _meets(a, boxes[j], pad=0.0)]
