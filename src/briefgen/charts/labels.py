"""Value labels that never overlap: measured as drawn, moved along their bar, or dropped.

A kind's drawing gives its labels in order of importance, each with the way it may
move (up from a bar's top, right from a horizontal bar's end, away from a point,
outwards from a slice). After the layout, each label's box is measured with the
renderer; a label whose box meets one already placed (or an obstacle: the legend,
the unit) moves one box height (or width) that way, twice at most, and is dropped
if it still meets one or leaves the figure.
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


@dataclass
class Labels:
    """The labels of one chart, most important first, and what they must keep clear of."""

    items: list[Label] = field(default_factory=list)
    obstacles: list[Any] = field(default_factory=list)

    def add(self, texts: Iterable[Any], dx: float = 0.0, dy: float = 1.0) -> None:
        self.items += [Label(t, dx, dy) for t in texts if t.get_text()]

    def avoid(self, *artists: Any) -> None:
        self.obstacles += [a for a in artists if a is not None]


def _box(artist: Any, renderer: Any) -> Any:
    return artist.get_window_extent(renderer)


def _meets(a: Any, b: Any) -> bool:
    return bool(a.x0 < b.x1 + PAD_PX and b.x0 < a.x1 + PAD_PX
                and a.y0 < b.y1 + PAD_PX and b.y0 < a.y1 + PAD_PX)


def _inside(box: Any, frame: Any) -> bool:
    return bool(box.x0 >= frame.x0 and box.x1 <= frame.x1
                and box.y0 >= frame.y0 and box.y1 <= frame.y1)


def _move(label: Label, box: Any, dpi: float) -> None:
    """Shift a label by its own box size (plus the pad) in its direction, in points."""
    step_x = (box.width + PAD_PX) * label.dx * 72 / dpi
    step_y = (box.height + PAD_PX) * label.dy * 72 / dpi
    x, y = label.text.xyann
    label.text.xyann = (x + step_x, y + step_y)


def declutter(fig: Any, labels: Labels) -> list[Any]:
    """Move or hide labels so that no two drawn boxes meet; return the hidden ones."""
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    placed = [_box(a, renderer) for a in labels.obstacles if a.get_visible()]
    hidden = []
    for label in labels.items:
        box = _box(label.text, renderer)
        tries = 0
        while any(_meets(box, other) for other in placed) or not _inside(box, frame):
            if tries == TRIES or not _inside(box, frame):
                label.text.set_visible(False)
                hidden.append(label.text)
                break
            _move(label, box, fig.dpi)
            box = _box(label.text, renderer)
            tries += 1
        else:
            placed.append(box)
    return hidden


def drawn_boxes(fig: Any, labels: Labels) -> list[Any]:
    """The boxes of the labels still shown (for tests and checks)."""
    renderer = fig.canvas.get_renderer()
    return [_box(item.text, renderer) for item in labels.items if item.text.get_visible()]


def overlapping(boxes: list[Any]) -> list[tuple[int, int]]:
    """Pairs of boxes that meet (without the pad)."""
    pairs = []
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            b = boxes[j]
            if a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1:
                pairs.append((i, j))
    return pairs
