"""Text setting: spans of a style made into measured characters, broken into lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefgen.config.house import ElementStyle, House
from briefgen.typeset.cjk import (
    OPENING_MARKS,
    Line,
    break_lines,
    han_latin_glue,
    is_latin,
    mark_pairs,
)
from briefgen.writers.pdf import rl_compat
from briefgen.writers.pdf.fontplan import FontPlan, Slot

# A footnote number: this share of the text's size, raised by this share of it.
SUP_SCALE = 0.6
SUP_RISE = 0.4
NOTE_STAND_IN = "‰"  # never starts a line, is not squeezed, joins a number it follows
# Two consecutive marks are squeezed (标点挤压) no closer than this, in ems, outline to outline.
PAIR_CLEARANCE = 0.12


@dataclass
class Span:
    text: str
    bold: bool = False
    em: bool = False  # emphasis: 着重号, a dot under each character (as in the Word file)
    role: str | None = None  # another font role than the style's
    color: str | None = None
    sup: bool = False  # superscript: a footnote's number
    note: int = 0  # the footnote whose reference this span is (its number), or 0


@dataclass(frozen=True)
class Setting:
    """An element style made concrete: points, colours, the line pitch."""

    role: str
    size: float
    bold: bool
    color: str
    align: str
    indent: float
    leading: float
    before: float
    after: float
    letter: float
    keep: bool

    @classmethod
    def of(cls, house: House, name: str) -> Setting:
        st: ElementStyle = house.style(name)
        pitch = house.page.line_pitch_pt
        return cls(
            role=st.font, size=st.size, bold=st.bold, color=house.color(st.color),
            align=st.align, indent=st.indent_chars * st.size,
            leading=st.line_pitch or pitch,
            before=st.space_before_lines * pitch, after=st.space_after_lines * pitch,
            letter=st.letter_spacing_em * st.size, keep=st.keep_with_next,
        )


@dataclass
class Chars:
    """A paragraph's characters, each with its face, size, colour and advance."""

    text: str
    slots: list[Slot]
    sizes: list[float]
    ems: list[bool]
    colors: list[str]
    widths: list[float]  # advance including letter spacing
    letter: float
    glue: list[float]  # blank before a character where Han and Latin text meet
    kern: list[float]  # <= 0: squeeze before a mark that follows another (标点挤压)
    rises: list[float] = field(default_factory=list)  # baseline shift (superscript), or empty
    notes: dict[int, int] = field(default_factory=dict)  # char index -> footnote referenced

    def lines(self, first_width: float = 1e9, width: float = 1e9) -> list[Line]:
        return break_lines(self._breaking_text(), self.widths, first_width, width, self.glue,
                           self.kern)

    def _breaking_text(self) -> str:
        """The text the line breaker sees: a footnote number stands in as a mark that never
        starts a line (nor is squeezed), so it stays with the word it follows."""
        if not self.rises:
            return self.text
        return "".join(NOTE_STAND_IN if rise else ch
                       for ch, rise in zip(self.text, self.rises, strict=True))

    @property
    def natural(self) -> float:
        """The width of the text on one line."""
        return sum(self.widths) + sum(self.glue[1:]) + sum(self.kern[1:])


@dataclass
class _Run:
    """Characters collected span by span, before they are measured."""

    text: list[str]
    slots: list[Slot]
    ems: list[bool]
    colors: list[str]
    gaps: list[float]
    sups: list[bool] = field(default_factory=list)
    notes: dict[int, int] = field(default_factory=dict)

    def at_note(self, i: int) -> bool:
        """Whether character `i` or the one before it is a footnote number."""
        return self.sups[i] or self.sups[i - 1]

    def add(self, ch: str, slot: Slot, span: Span, color: str, gap: float) -> None:
        self.text.append(ch)
        self.slots.append(slot)
        self.ems.append(span.em)
        self.colors.append(color)
        self.gaps.append(gap)
        self.sups.append(span.sup)


def _settable(ch: str, table: dict[str, Slot]) -> tuple[str, Slot]:
    """The character as set and the slot of the face that sets it: a line break or tab is
    a blank, and so is a blank that no face has."""
    if ch in "\n\r\t":
        ch = " "
    slot = table.get(ch)
    if slot is None:
        return " ", table.get(" ") or next(iter(table.values()))
    return ch, slot


def _rises(run: _Run, s: Setting) -> list[float]:
    """Each character's baseline shift; only text with a footnote number carries rises
    (the rest is drawn as before)."""
    if not any(run.sups):
        return []
    return [s.size * SUP_RISE if sup else 0.0 for sup in run.sups]


def _glue(text: str, run: _Run) -> list[float]:
    """The blank before each character where Han and Latin text meet; the Latin side's
    role says how much. A footnote number takes none."""
    glue = [0.0] * len(text)
    for i, meet in enumerate(han_latin_glue(text)):
        if meet and not run.at_note(i):
            glue[i] = run.gaps[i] if is_latin(text[i]) else run.gaps[i - 1]
    return glue


class Composer:
    """Turns spans into measured characters (`Chars`)."""

    def __init__(self, plan: FontPlan, house: House) -> None:
        self.plan = plan
        self.house = house
        self._widths: dict[tuple[str, str], float] = {}
        self._ink: dict[tuple[str, str], tuple[float, float, float] | None] = {}
        self._pairs: dict[tuple[str, str, str, str], float] = {}

    def chars(self, spans: list[Span], s: Setting) -> Chars:
        run = self._collect(spans, s)
        text = "".join(run.text)
        sizes = [s.size * SUP_SCALE if sup else s.size for sup in run.sups]
        widths = [self.width(slot.font, ch) * size + s.letter
                  for ch, slot, size in zip(text, run.slots, sizes, strict=True)]
        return Chars(text, run.slots, sizes, run.ems, run.colors, widths, s.letter,
                     _glue(text, run), self._kerns(text, run.slots, sizes), _rises(run, s),
                     run.notes)

    def _kerns(self, text: str, slots: list[Slot], sizes: list[float]) -> list[float]:
        """The squeeze before each mark that follows another (0 elsewhere), in points."""
        kern = [0.0] * len(text)
        for i, pair in enumerate(mark_pairs(text)):
            if pair:
                kern[i] = -self.pair_squeeze(slots[i - 1].font, text[i - 1], slots[i].font,
                                             text[i]) * min(sizes[i - 1], sizes[i])
        return kern

    def _collect(self, spans: list[Span], s: Setting) -> _Run:
        run = _Run([], [], [], [], [])
        for span in spans:
            table, color, gap = self._span_setting(span, s)
            if span.note:
                run.notes[len(run.text)] = span.note
            for ch in span.text:
                run.add(*_settable(ch, table), span, color, gap)
        return run

    def _span_setting(self, span: Span, s: Setting) -> tuple[dict[str, Slot], str, float]:
        """The span's face table, colour and Han-Latin gap (before or after its Latin
        text): its own where it has them, else the style's."""
        role = span.role or s.role
        table = self.plan.table(role, span.bold or s.bold)
        return table, span.color or s.color, self.plan.han_gap(role) * s.size

    def pair_squeeze(self, font_a: str, a: str, font_b: str, b: str) -> float:
        """By how much (in ems) the blanks between two consecutive marks a, b are squeezed.

        Half an em (clreq), but never so far that the two glyphs come closer than
        PAIR_CLEARANCE: a face may set a mark elsewhere than the mainland convention
        (AR PL UMing centres 。 and 、). Nothing when either mark is not full-width (a
        face with proportional quotes). An outline that cannot be read is taken to stand
        where the convention puts it.
        """
        key = (font_a, a, font_b, b)
        got = self._pairs.get(key)
        if got is None:
            got = self._squeeze(font_a, a, font_b, b)
            self._pairs[key] = got
        return got

    def _squeeze(self, font_a: str, a: str, font_b: str, b: str) -> float:
        adv_a, adv_b = self.width(font_a, a), self.width(font_b, b)
        if not (adv_a > 0.9 and adv_b > 0.9):
            return 0.0
        blank = (adv_a - self._right_edge(font_a, a)) + self._left_edge(font_b, b)
        return max(0.0, min(0.5, blank - PAIR_CLEARANCE))

    def _right_edge(self, font: str, ch: str) -> float:
        """Where `ch`'s outline ends, in ems: as read, else where the convention puts it."""
        return (self.ink(font, ch) or (0, 0, 0.5 if ch not in OPENING_MARKS else 1))[2]

    def _left_edge(self, font: str, ch: str) -> float:
        """Where `ch`'s outline starts, in ems: as read, else where the convention puts it."""
        return (self.ink(font, ch) or (0, 0.5 if ch in OPENING_MARKS else 0, 0))[1]

    def ink(self, font: str, ch: str) -> tuple[float, float, float] | None:
        """The advance and the left and right edges of `ch`'s outline in `font`, in ems."""
        key = (font, ch)
        if key not in self._ink:
            self._ink[key] = rl_compat.glyph_extent(font, ch, self.width(font, ch))
        return self._ink[key]

    def width(self, font: str, ch: str) -> float:
        key = (font, ch)
        w = self._widths.get(key)
        if w is None:
            w = rl_compat.string_width(ch, font)
            self._widths[key] = w
        return w
