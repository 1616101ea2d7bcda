"""The PDF writer: the document model set in the house style with ReportLab platypus.

Text is set by our own flowable (`TextBlock`), not by ReportLab's Paragraph:
lines are broken by the clreq rules in `cjk.break_lines`, every line but a
paragraph's last is justified by spreading (or squeezing) the space between
atoms (PDF ``Tc`` per run), and each character is drawn by the first face of
its role that has a glyph for it (see `fonts.FontPlan`). Everything visual
comes from the `House`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from briefgen import fonts as fontmod
from briefgen.config.house import ElementStyle, House
from briefgen.errors import BriefError, display_path
from briefgen.fsio import atomic_output
from briefgen.model import (
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Strong,
    Table,
    Text,
)
from briefgen.typeset.cjk import (
    GLUE_SHRINK,
    OPENING_MARKS,
    SQUEEZABLE,
    Line,
    break_lines,
    han_latin_glue,
    is_latin,
    mark_pairs,
)

MM = 72 / 25.4


def _utf16_hex(cp: int) -> str:
    return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but with characters above U+FFFF as UTF-16 pairs.

    ReportLab 5.1 writes U+2000B as <2000B>, which readers drop: 𠀋 would not come back
    when the text is copied or searched.
    """
    text = _rl_to_unicode(fontname, subset)
    if all(v <= 0xFFFF for v in subset):
        return text
    for i, v in enumerate(subset):
        if v > 0xFFFF:
            text = text.replace(f"<{i:02X}> <{v:04X}>", f"<{i:02X}> <{_utf16_hex(v)}>")
    return text


_rl_to_unicode = ttfonts.makeToUnicodeCMap
if getattr(_rl_to_unicode, "__name__", "") != "_to_unicode_cmap":
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
FULL_SPACE = "\u3000"
# Two consecutive marks are squeezed (标点挤压) no closer than this, in ems, outline to outline.
PAIR_CLEARANCE = 0.12
OBLIQUE = math.tan(math.radians(12))


# ---- fonts: which face draws which character ------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """How one character is drawn: the ReportLab font name, and whether to embolden it."""

    font: str
    fake_bold: bool


PlanKey = tuple[str, bool, bool]  # role, bold, Latin text in the role's Latin face


class FontPlan:
    """Collects the characters of each (role, bold), assigns each to a face, embeds the faces.

    A role with a `latin` role draws Latin letters, digits and ASCII punctuation with
    that role's faces first (Times New Roman or its substitutes, as Word does), the
    rest with its own. TrueType faces are embedded as installed, their parse cached
    (`fonts.parsed_face`); CFF faces are subset to the characters they draw and
    converted to TrueType, cached by content hash. A character that no face of its
    role has is an error naming it and where it stands.
    """

    def __init__(self, house: House, cache: Path | None = None, use_cache: bool = True) -> None:
        self.house = house
        self.cache = cache or fontmod.cache_root()
        self.use_cache = use_cache
        self.resolver = fontmod.FontResolver(house, self.cache, use_cache=use_cache)
        self.chars: dict[PlanKey, dict[str, str]] = {}  # char -> first place
        self.slots: dict[PlanKey, dict[str, Slot]] = {}
        self._registered: dict[str, TTFont] = {}
        self.faces_used: dict[tuple[Path, int], fontmod.Face] = {}

    def need(self, role: str, bold: bool, text: str, where: str, latin: bool = True) -> None:
        """Characters of `text` in `role` (bold or not); `latin=False`: all in the role's
        own faces (text of a drawing, which its maker set in one face)."""
        seen = self.chars.setdefault((role, bold, latin), {})
        for ch in text:
            if ch not in seen and ch not in "\n\r\t":
                seen[ch] = where

    def table(self, role: str, bold: bool, latin: bool = True) -> dict[str, Slot]:
        return self.slots[(role, bold, latin)]

    def slot(self, role: str, bold: bool, ch: str, latin: bool = True) -> Slot:
        return self.slots[(role, bold, latin)][ch]

    def latin_role(self, role: str) -> str | None:
        font = self.house.fonts.get(role)
        return font.latin if font is not None else None

    def han_gap(self, role: str) -> float:
        """The blank between Han characters and Latin text of `role`, in ems."""
        latin = self.latin_role(role)
        return self.house.fonts[latin].han_gap_em if latin else 0.0

    # -- planning -----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Give every character a face; register the faces with ReportLab.

        A TrueType face is registered as it is (ReportLab subsets it when it writes the
        PDF); its character map comes with it. A CFF face is first subset to the
        characters still without a glyph and converted to TrueType (cached by content
        hash); the subset's map tells which it has.
        """
        missing: list[tuple[str, str, str]] = []  # char, role, where
        for (role, bold, latin), wanted in self.chars.items():
            own = self.resolver.role(role, bold).choices
            latin_role = self.latin_role(role) if latin else None
            slots: dict[str, Slot] = {}
            todo = set(wanted)
            if latin_role:
                latin_chars = {ch for ch in todo if is_latin(ch)}
                todo -= latin_chars
                todo |= self._assign(self.resolver.role(latin_role, bold).choices, latin_chars,
                                     slots)
            todo = self._assign(own, todo, slots)
            for ch in sorted(todo):
                if ch.isspace() and slots:
                    continue  # a blank no face has is drawn as a space of another
                missing.append((ch, role, wanted[ch]))
            self.slots[(role, bold, latin)] = slots
        if missing:
            parts = [f"{ch} (U+{ord(ch):04X}, role {role}) in {where}"
                     for ch, role, where in missing[:8]]
            more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
            raise BriefError(
                "no font has a glyph for " + "; ".join(parts) + more,
                display_path(Path(self.house.folder) / "house.yaml"),
                hint="add a font that has them to the role's candidates, "
                     "or put one in the project's fonts/ folder",
            )

    def _assign(self, choices: list[fontmod.Choice], todo: set[str],
                slots: dict[str, Slot]) -> set[str]:
        """Give the characters of `todo` the first of `choices` that has each; return the rest."""
        todo = set(todo)
        for choice in choices:
            if not todo:
                break
            font = self._font(choice.face, todo)
            if font is None:
                continue
            got = {ch for ch in todo if ord(ch) in font.face.charToGlyph}
            slot = Slot(font.fontName, choice.fake_bold)
            for ch in got:
                slots[ch] = slot
            todo -= got
        return todo

    def _font(self, face: fontmod.Face, todo: set[str]) -> TTFont | None:
        if face.outline == "TrueType":
            file, index = face.path, face.index
            tag = hashlib.sha256(f"{face.path}#{face.index}".encode()).hexdigest()[:10]
        else:
            sub = fontmod.subset_face(face, todo, self.cache, use_cache=self.use_cache)
            if sub is None:
                return None
            file, index = sub, 0
            tag = file.stem[:10]
        name = "BG" + tag
        if name not in self._registered and name in pdfmetrics.getRegisteredFontNames():
            self._registered[name] = pdfmetrics.getFont(name)  # an earlier PDF of this process
        if name not in self._registered:
            try:
                parsed = fontmod.parsed_face(file, index, self.cache, use_cache=self.use_cache,
                                             face_class=_SubsetCachingFace)
            except Exception as exc:  # noqa: BLE001 - ReportLab's TTFError and friends
                raise BriefError(f"cannot embed the font {face.label}: {exc}",
                                 display_path(face.path),
                                 hint="remove it from the role's candidates") from None
            font = _ParsedTTFont(name, parsed)
            # ReportLab takes a second font of the same face name for the first one
            # (two subsets of one face would share glyphs): give each its own name
            font.face.name = font.face.name + b"-" + tag[:6].encode()
            pdfmetrics.registerFont(font)
            self._registered[name] = font
            self.faces_used[(face.path, face.index)] = face
        font = self._registered[name]
        if isinstance(font.face, _SubsetCachingFace):
            font.face.subset_cache = (self.cache / "fonts", fontmod.content_id(file), index,
                                      self.use_cache)
        return font


SUBSET_STREAM_VERSION = 1


class _SubsetCachingFace(ttfonts.TTFontFace):
    """A TrueType face whose subsets, as embedded (made and compressed), are cached.

    ReportLab cuts the glyphs a PDF uses out of the face in subsets of 256 and
    compresses each when it writes the PDF (≈ 5 ms per subset of a CJK face). The
    compressed program of a subset is kept in the cache, keyed by the face's
    content hash and the subset's characters (in their order), so a repeat build
    copies it.
    """

    subset_cache: tuple[Path, str, int, bool] | None = None  # folder, content id, index, read

    def addSubsetObjects(self, doc, fontname, subset):  # noqa: ANN001, ANN201, N802
        if not doc.compression or self.subset_cache is None:
            return super().addSubsetObjects(doc, fontname, subset)
        import zlib

        from reportlab import Version
        from reportlab.pdfbase import pdfdoc

        folder, content, index, read = self.subset_cache
        key = hashlib.sha256(f"{SUBSET_STREAM_VERSION}|{Version}|{content}|{index}|"
                             f"{','.join(map(str, subset))}".encode()).hexdigest()[:32]
        stored = folder / f"{key}.ttz"
        data = None
        if read:
            try:
                data = stored.read_bytes()
            except OSError:
                data = None
        if data is None or len(data) < 8:
            program = self.makeSubset(subset)
            data = len(program).to_bytes(8, "big") + zlib.compress(program)
            fontmod.write_bytes(stored, data)
        font_file = pdfdoc.PDFStream()
        font_file.content = data[8:]
        font_file.dictionary["Length1"] = int.from_bytes(data[:8], "big")
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        ref = doc.Reference(font_file, f"fontFile:{self.filename}({fontname})")
        # the descriptor, as ReportLab 5.1's TTFontFace.addSubsetObjects makes it
        flags = (self.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary({
            "Type": "/FontDescriptor",
            "Ascent": self.ascent,
            "CapHeight": self.capHeight,
            "Descent": self.descent,
            "Flags": flags,
            "FontBBox": pdfdoc.PDFArray(self.bbox),
            "FontName": pdfdoc.PDFName(fontname),
            "ItalicAngle": self.italicAngle,
            "StemV": self.stemV,
            "FontFile2": ref,
            "MissingWidth": self.defaultWidth,
        })
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)


class _ParsedTTFont(TTFont):
    """ReportLab's TTFont around a face parsed before (`fonts.parsed_face`), not read again.

    Sets what `TTFont.__init__` of ReportLab 5.1 sets; the parse cache is keyed by
    ReportLab's version, and a test compares the two.
    """

    def __init__(self, name: str, face) -> None:  # noqa: ANN001 - a ReportLab TTFontFace
        from weakref import WeakKeyDictionary

        from reportlab import rl_config

        self.fontName = name
        self.face = face
        self.encoding = ttfonts.TTEncoding()
        self.state = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False  # no HarfBuzz shaping: we place every character ourselves


# ---- text: spans, lines, drawing ------------------------------------------------------------


@dataclass
class Span:
    text: str
    bold: bool = False
    em: bool = False  # emphasis: 着重号, a dot under each character (as in the Word file)
    role: str | None = None  # another font role than the style's
    color: str | None = None


@dataclass
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


class Composer:
    """Turns spans into measured characters and draws lines of them."""

    def __init__(self, plan: FontPlan, house: House) -> None:
        self.plan = plan
        self.house = house
        self._widths: dict[tuple[str, str], float] = {}
        self._ink: dict[tuple[str, str], tuple[float, float, float] | None] = {}
        self._pairs: dict[tuple[str, str, str, str], float] = {}

    def chars(self, spans: list[Span], s: Setting) -> Chars:
        text_parts, slots, sizes, ems, colors, gaps = [], [], [], [], [], []
        for span in spans:
            role = span.role or s.role
            bold = span.bold or s.bold
            table = self.plan.table(role, bold)
            color = span.color or s.color
            gap = self.plan.han_gap(role) * s.size  # before or after this span's Latin text
            for ch in span.text:
                if ch in "\n\r\t":
                    ch = " "
                slot = table.get(ch)
                if slot is None:  # a blank no face has
                    slot = table.get(" ") or next(iter(table.values()))
                    ch = " "
                text_parts.append(ch)
                slots.append(slot)
                sizes.append(s.size)
                ems.append(span.em)
                colors.append(color)
                gaps.append(gap)
        text = "".join(text_parts)
        widths = [self.width(slot.font, ch) * s.size + s.letter for ch, slot in zip(text, slots,
                                                                                    strict=True)]
        glue = [0.0] * len(text)
        for i, meet in enumerate(han_latin_glue(text)):
            if meet:  # the Latin side's role says how much
                glue[i] = gaps[i] if is_latin(text[i]) else gaps[i - 1]
        kern = [0.0] * len(text)
        for i, pair in enumerate(mark_pairs(text)):
            if pair:
                kern[i] = -self.pair_squeeze(slots[i - 1].font, text[i - 1], slots[i].font,
                                             text[i]) * min(sizes[i - 1], sizes[i])
        return Chars(text, slots, sizes, ems, colors, widths, s.letter, glue, kern)

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
            adv_a, adv_b = self.width(font_a, a), self.width(font_b, b)
            got = 0.0
            if adv_a > 0.9 and adv_b > 0.9:
                # the outlines as read, else where the convention puts them
                right_a = (self.ink(font_a, a) or (0, 0, 0.5 if a not in OPENING_MARKS else 1))[2]
                left_b = (self.ink(font_b, b) or (0, 0.5 if b in OPENING_MARKS else 0, 0))[1]
                blank = (adv_a - right_a) + left_b  # between the two outlines
                got = max(0.0, min(0.5, blank - PAIR_CLEARANCE))
            self._pairs[key] = got
        return got

    def ink(self, font: str, ch: str) -> tuple[float, float, float] | None:
        """The advance and the left and right edges of `ch`'s outline in `font`, in ems."""
        key = (font, ch)
        if key in self._ink:
            return self._ink[key]
        got = None
        try:
            face = pdfmetrics.getFont(font).face
            gid = face.charToGlyph[ord(ch)]
            start = face.table["glyf"]["offset"] + face.glyphPos[gid]
            upm = face.unitsPerEm
            adv = self.width(font, ch)
            if face.glyphPos[gid + 1] > face.glyphPos[gid]:
                x_min, x_max = struct.unpack(">hxxh", bytes(face._ttf_data[start + 2:start + 8]))
                got = (adv, x_min / upm, x_max / upm)
            else:
                got = (adv, adv / 2, adv / 2)  # an empty glyph
        except (AttributeError, KeyError, IndexError, TypeError, struct.error):
            got = None
        self._ink[key] = got
        return got

    def width(self, font: str, ch: str) -> float:
        key = (font, ch)
        w = self._widths.get(key)
        if w is None:
            w = pdfmetrics.stringWidth(ch, font, 1.0)
            self._widths[key] = w
        return w


@dataclass
class Chars:
    text: str
    slots: list[Slot]
    sizes: list[float]
    ems: list[bool]
    colors: list[str]
    widths: list[float]  # advance including letter spacing
    letter: float
    glue: list[float]  # blank before a character where Han and Latin text meet
    kern: list[float]  # <= 0: squeeze before a mark that follows another (标点挤压)

    def lines(self, first_width: float = 1e9, width: float = 1e9) -> list[Line]:
        return break_lines(self.text, self.widths, first_width, width, self.glue, self.kern)

    @property
    def natural(self) -> float:
        """The width of the text on one line."""
        return sum(self.widths) + sum(self.glue[1:]) + sum(self.kern[1:])


def draw_line(canv, c: Chars, line: Line, x: float, y: float, gap: float,  # noqa: ANN001
              shrink: float = 1.0) -> None:
    """Draw one line: atoms placed from x, `gap` added at each atom boundary, the
    Han-Latin blanks at `shrink` times their width, consecutive marks squeezed.

    Each run of characters in one font, size and colour is placed where it starts;
    inside it, the character spacing (PDF ``Tc``) carries each glyph to the next
    one's place. The line is marked with its text (``/ActualText``): a text
    extractor (pdftotext, copy and paste) reads the characters as written, and
    does not take the blanks of justification or between Han and Latin text for
    spaces.
    """
    pos: list[tuple[int, float]] = []
    cx = x
    for ai, (s, e) in enumerate(line.atoms):
        if ai:
            cx += gap
        for i in range(s, e):
            if pos:
                cx += c.glue[i] * shrink + c.kern[i]
            pos.append((i, cx))
            cx += c.widths[i]
    # the spacing after each glyph: to the next glyph's place (a squeezed mark pair aside)
    after = [pos[k + 1][1] - pos[k][1] - (c.widths[pos[k][0]] - c.letter) - c.kern[pos[k + 1][0]]
             for k in range(len(pos) - 1)]
    after.append(after[-1] if after else c.letter)
    # runs: same font, size, colour and spacing after each glyph; the second mark of a
    # squeezed pair starts a run, placed where it stands (not by a Tc that a reader such
    # as pdfminer drops after the last glyph of a string)
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(pos):
        i0 = pos[k][0]
        j = k + 1
        while j < len(pos):
            i = pos[j][0]
            if (c.slots[i] != c.slots[i0] or c.sizes[i] != c.sizes[i0] or c.kern[i]
                    or c.colors[i] != c.colors[i0] or abs(after[j] - after[k]) > 0.005):
                break
            j += 1
        runs.append((k, j))
        k = j
    text = canv.beginText()
    bold_sizes = [c.sizes[pos[r[0]][0]] for r in runs if c.slots[pos[r[0]][0]].fake_bold]
    if bold_sizes:
        canv.saveState()
        canv.setLineWidth(max(bold_sizes) * 0.035)
    # inside q/Q: at EMC a reader still has the line's text state (pdftotext places the
    # marked text with it)
    actual = "".join(c.text[i] for i, _ in pos).encode("utf-16-be").hex().upper()
    canv.addLiteral(f"/Span <</ActualText <FEFF{actual}>>> BDC")
    state: list = [None] * 4  # font and size, Tc, colour, render mode set so far on the line
    for k, j in runs:
        i0 = pos[k][0]
        slot = c.slots[i0]
        if state[0] != (slot.font, c.sizes[i0]):
            state[0] = (slot.font, c.sizes[i0])
            text.setFont(slot.font, c.sizes[i0])
        if state[1] is None or abs(state[1] - after[k]) > 0.0005:
            state[1] = after[k]
            text.setCharSpace(after[k])
        mode = 2 if slot.fake_bold else 0
        if state[2] != (c.colors[i0], mode):
            color = HexColor("#" + c.colors[i0])
            if state[2] is None or state[2][0] != c.colors[i0]:
                text.setFillColor(color)
            if slot.fake_bold:
                text.setStrokeColor(color)
            state[2] = (c.colors[i0], mode)
        if state[3] != mode:
            state[3] = mode
            text.setTextRenderMode(mode)
        text.setTextOrigin(pos[k][1], y)
        text.textOut("".join(c.text[pos[m][0]] for m in range(k, j)))
    canv.drawText(text)
    canv.addLiteral("EMC")
    if bold_sizes:
        canv.restoreState()
    # 着重号: a dot under each emphasised character
    for i, px in pos:
        if c.ems[i] and not c.text[i].isspace():
            size = c.sizes[i]
            canv.saveState()
            canv.setFillColor(HexColor("#" + c.colors[i]))
            w = c.widths[i] - c.letter
            canv.circle(px + w / 2, y - size * 0.22, size * 0.06, stroke=0, fill=1)
            canv.restoreState()


def _baseline(leading: float, size: float) -> float:
    """From the top of a line box to the baseline: the ideographic em box centred in the box."""
    return leading / 2 + size * 0.38


class TextBlock(Flowable):
    """A paragraph set by the clreq rules, justified per line, splittable between lines."""

    def __init__(self, composer: Composer, spans: list[Span], setting: Setting,
                 outline: tuple[str, int] | None = None, allow_split: bool = True) -> None:
        super().__init__()
        self.composer = composer
        self.spans = spans
        self.s = setting
        self.chars = composer.chars(spans, setting)
        self.outline = outline  # (title, level) for a heading
        self.keepWithNext = False  # headings are kept with what follows by KeepRoom
        self.allow_split = allow_split and not setting.keep
        self._lines: list[Line] | None = None
        self._width: float | None = None
        self.first_part = True  # holds the paragraph's first line
        self.fixed = False  # lines already broken (a part after a split)

    # platypus protocol ---------------------------------------------------------------------
    def getSpaceBefore(self) -> float:  # noqa: N802
        return self.s.before if self.first_part else 0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.s.after if self._is_end() else 0

    def _is_end(self) -> bool:
        return not self._lines or self._lines[-1].last

    def lines(self, width: float) -> list[Line]:
        if self.fixed:
            return self._lines or []
        if self._lines is None or self._width != width:
            indent = self.s.indent if self.s.align == "justify" or self.s.indent else 0
            self._lines = self.chars.lines(width - indent, width)
            self._width = width
        return self._lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.lines(aw)) * self.s.leading
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lines = self.lines(aw)
        fit = int((ah + 1e-6) // self.s.leading)
        if not self.allow_split or fit <= 0 or fit >= len(lines):
            return []
        return [self._part(lines[:fit], self.first_part, aw),
                self._part(lines[fit:], False, aw)]

    def _part(self, lines: list[Line], first: bool, aw: float) -> TextBlock:
        part = TextBlock.__new__(TextBlock)
        Flowable.__init__(part)
        part.composer, part.spans, part.s, part.chars = self.composer, self.spans, self.s, self.chars
        part.outline = self.outline if first else None
        part.keepWithNext = False
        part.allow_split = True
        part._lines = lines
        part._width = aw
        part.first_part = first
        part.fixed = True
        return part

    def draw(self) -> None:
        canv = self.canv
        s = self.s
        if self.outline and self.first_part:
            title, level = self.outline
            key = f"h{id(self)}"
            canv.bookmarkHorizontal(key, 0, self.height + s.leading * 0.2)
            canv.addOutlineEntry(title, key, level=level, closed=False)
        top = self.height
        for n, line in enumerate(self._lines or []):
            y = top - n * s.leading - _baseline(s.leading, s.size)
            first = self.first_part and n == 0
            self._draw_line(canv, line, y, first)

    def _draw_line(self, canv, line: Line, y: float, first: bool) -> None:  # noqa: ANN001
        s = self.s
        width = line.width - self.chars.letter  # no spacing after the last character
        indent = s.indent if first and (s.align == "justify" or s.indent) else 0
        measure = self.width - indent
        gap = 0.0
        x = indent
        boundaries = len(line.atoms) - 1
        shrink = 1.0
        over = width - measure
        if over > 0.01 and line.glue:
            # a mark pulled up: the line is squeezed, as far as its marks' half-width
            # blanks allow; then its Han-Latin blanks shrink (at most by GLUE_SHRINK)
            text, widths = self.chars.text, self.chars.widths
            room = max(0.0, line.kern + sum(widths[i] / 2 for i in range(line.start, line.end)
                                            if text[i] in SQUEEZABLE))
            give = min(max(over - room, 0.0), GLUE_SHRINK * line.glue)
            shrink = 1 - give / line.glue
            width -= give
        if width > measure + 0.01:  # squeeze
            gap = (measure - width) / boundaries if boundaries else 0.0
        elif s.align == "justify" and not line.last and boundaries:
            gap = (measure - width) / boundaries
        elif s.align == "center":
            x = indent + (measure - width) / 2
        elif s.align == "right":
            x = indent + measure - width
        draw_line(canv, self.chars, line, x, y, gap, shrink)


class FigureBlock(KeepTogether):
    """A figure's chart, caption and source, kept together."""


class FloatingFigure(Flowable):
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
        frame = getattr(self, "_frame", None)
        fig._frame, fig.canv = frame, getattr(self, "canv", None)
        fig.wrap(aw, ah)
        h = fig._H  # KeepTogether.wrap answers 0xffffff (to be split); _H is its height
        at_top = bool(getattr(frame, "_atTop", False))
        if h <= ah + 1e-6 or at_top:  # it fits (or nothing could be gained)
            return [*fig.split(aw, ah), *self.followers]
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
        if not taken:
            return [*fig.split(aw, ah), *self.followers]  # nothing moves up: as today
        return [*taken, fig, *rest]

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


class KeepRoom(CondPageBreak):
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
            _, h = f.wrap(aw, ah)
            if isinstance(f, TextBlock) and not f.s.keep:
                need += f.getSpaceBefore() + min(2, len(f.lines(aw))) * f.s.leading
                break
            need += h + f.getSpaceBefore() + f.getSpaceAfter()
            if not (isinstance(f, TextBlock) and f.s.keep):
                break
        self.height = need
        return super().wrap(aw, ah)


class Rule(Flowable):
    """A rule across the text block: single, or thick-thin double."""

    def __init__(self, color: str, width: float, double: bool = False,
                 before: float = 0, after: float = 0) -> None:
        super().__init__()
        self.color, self.lw, self.double = color, width, double
        self.spaceBefore, self.spaceAfter = before, after

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.lw * (2.3 if self.double else 1)
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(HexColor("#" + self.color))
        c.setLineWidth(self.lw)
        y = self.height - self.lw / 2
        c.line(0, y, self.width, y)
        if self.double:
            thin = self.lw / 3
            c.setLineWidth(thin)
            y2 = self.height - self.lw * 2.3 + thin / 2
            c.line(0, y2, self.width, y2)


class IssueLine(Flowable):
    """The issue number at the left and the date at the right, on one line."""

    def __init__(self, left: TextBlock, right: TextBlock) -> None:
        super().__init__()
        self.left, self.right = left, right

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = self.left.s.leading
        return aw, self.height

    def draw(self) -> None:
        s = self.left.s
        y = self.height - _baseline(s.leading, s.size)
        for block, side in ((self.left, "left"), (self.right, "right")):
            line = block.chars.lines()[0]
            w = line.width - block.chars.letter
            x = 0 if side == "left" else self.width - w
            draw_line(self.canv, block.chars, line, x, y, 0)


class Grid(Flowable):
    """The editorial board: one-line cells in columns, rules above, below and between."""

    def __init__(self, rows: list[list[TextBlock | None]], widths: list[float], leading: float,
                 thick: float, thin: float, color: str, thin_before_last: bool) -> None:
        super().__init__()
        self.rows, self.colw, self.leading = rows, widths, leading
        self.thick, self.thin, self.color = thick, thin, color
        self.thin_before_last = thin_before_last
        self.pad = leading * 0.15

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.rows) * self.leading + 2 * self.pad + 2 * self.thick
        return aw, self.height

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(HexColor("#" + self.color))
        c.setLineWidth(self.thick)
        c.line(0, self.height - self.thick / 2, self.width, self.height - self.thick / 2)
        c.line(0, self.thick / 2, self.width, self.thick / 2)
        top = self.height - self.thick - self.pad
        for r, row in enumerate(self.rows):
            if self.thin_before_last and r == len(self.rows) - 1 and r:
                c.setLineWidth(self.thin)
                yl = top - r * self.leading
                c.line(0, yl, self.width, yl)
            x = 0.0
            col = 0
            for cell in row:
                if cell is not None:
                    s = cell.s
                    y = top - r * self.leading - _baseline(self.leading, s.size)
                    line = cell.chars.lines()
                    if line:
                        draw_line(c, cell.chars, line[0], x, y, 0)
                x += self.colw[col] if col < len(self.colw) else 0
                col += 1


class Picture(Flowable):
    """A figure: the SVG drawn as vector graphics, or the PNG, centred at a share of the width."""

    def __init__(self, fig: Figure, drawing, plan: FontPlan, role: str) -> None:  # noqa: ANN001
        super().__init__()
        self.fig = fig
        self.drawing = drawing
        self.image = None
        if drawing is not None and not isinstance(drawing, CompiledDrawing):
            # text left in the SVG is drawn with the chart role's embedded fonts, never
            # with svglib's default (a non-embedded Helvetica)
            for string in _svg_strings(drawing):
                if string.text:
                    string.fontName = plan.slot(role, False, string.text[0], latin=False).font
            # renderPDF starts every drawing by selecting its default font (Helvetica)
            drawing.__dict__["initialFontName"] = plan.slot(role, False, "0", latin=False).font
        if self.drawing is None:
            if not Path(fig.png).is_file():
                raise BriefError(f"the drawing of chart '{fig.chart_id}' is missing",
                                 display_path(fig.png))
            from reportlab.lib.utils import ImageReader

            self.image = ImageReader(str(fig.png))

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.w = aw * self.fig.width_ratio
        if self.drawing is not None:
            self.scale = self.w / self.drawing.width
            self.h = self.drawing.height * self.scale
        else:
            iw, ih = self.image.getSize()
            self.h = self.w * ih / iw if iw else self.w * self.fig.aspect
        self.height = self.h
        return aw, self.height

    def draw(self) -> None:
        x = (self.width - self.w) / 2
        if isinstance(self.drawing, CompiledDrawing):
            self.canv.saveState()
            self.canv.translate(x, 0)
            self.canv.scale(self.scale, self.scale)
            self.canv.addLiteral(self.drawing.ops)
            self.canv.restoreState()
        elif self.drawing is not None:
            from reportlab.graphics import renderPDF

            self.canv.saveState()
            self.canv.translate(x, 0)
            self.canv.scale(self.scale, self.scale)
            renderPDF.draw(self.drawing, self.canv, 0, 0)
            self.canv.restoreState()
        else:
            self.canv.drawImage(self.image, x, 0, self.w, self.h, mask="auto")


# ---- the document ----------------------------------------------------------------------------


DRAWING_VERSION = 1
# Operators of text, or that name a page resource (a font, an image, a graphics state,
# a shading, a colour space): a drawing with any cannot be copied into a page as text.
_RESOURCE_OPS = re.compile(r"(?<![\w/])(?:BT|Tf|Tj|TJ|Do|gs|sh|BI|cs|CS|scn|SCN)(?![\w])")
# renderPDF starts every drawing by selecting its initial font in an empty text object
_INITIAL_FONT = re.compile(r"^BT /\S+ [\d.]+ Tf [\d.]+ TL ET$")


@dataclass
class CompiledDrawing:
    """An SVG drawing as the PDF operators ReportLab draws it with, ready to be copied.

    Made once per SVG (keyed by its content hash and the converters' versions) and
    kept in the cache: a repeat build neither imports svglib nor converts the SVG.
    Only a drawing that uses no page resource (fonts, images, transparency) is kept
    so; a chart's text is outlined (``svg.fonttype='path'``).
    """

    width: float
    height: float
    ops: str


def _converter_tag() -> str:
    """What the operators depend on besides the SVG: our code, ReportLab, svglib."""
    import importlib.util

    from reportlab import Version

    tag = f"{DRAWING_VERSION}|{Version}"
    spec = importlib.util.find_spec("svglib")
    if spec is not None and spec.origin:
        st = Path(spec.origin).stat()
        tag += f"|{spec.origin}|{st.st_size}|{st.st_mtime_ns}"
    return tag


def compile_drawing(drawing) -> CompiledDrawing | None:  # noqa: ANN001 - a reportlab Drawing
    """The operators of a drawing with no text and no resources; None for any other."""
    from io import BytesIO

    from reportlab.graphics import renderPDF

    scratch = Canvas(BytesIO())
    start = len(scratch._code)
    renderPDF.draw(drawing, scratch, 0, 0)
    lines = [ln for op in scratch._code[start:] for ln in op.split("\n")]
    lines = [ln for ln in lines if not _INITIAL_FONT.match(ln)]
    ops = "\n".join(lines)
    if _RESOURCE_OPS.search(ops):
        return None
    return CompiledDrawing(float(drawing.width), float(drawing.height), ops)


def load_svg(fig: Figure, cache: Path | None = None, use_cache: bool = True):  # noqa: ANN201
    """The figure's SVG as a CompiledDrawing (from the cache when it was made before),
    as a reportlab Drawing when it has text or resources, or None when there is none."""
    vector = fig.vector
    if vector is None or Path(vector).suffix.lower() != ".svg" or not Path(vector).is_file():
        return None
    data = Path(vector).read_bytes()
    key = hashlib.sha256(_converter_tag().encode() + b"|" + data).hexdigest()[:32]
    stored = (cache or fontmod.cache_root()) / "drawings" / f"{key}.json"
    if use_cache:
        try:
            d = json.loads(stored.read_text("utf-8"))
            return CompiledDrawing(d["width"], d["height"], d["ops"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(str(vector))
    if drawing is None:
        raise BriefError(f"the drawing of chart '{fig.chart_id}' cannot be read",
                         display_path(vector))
    compiled = compile_drawing(drawing)
    if compiled is None:
        return drawing
    fontmod.write_json(stored, {"width": compiled.width, "height": compiled.height,
                                "ops": compiled.ops})
    return compiled


def _svg_strings(node):  # noqa: ANN001, ANN202
    from reportlab.graphics.shapes import Group, String

    if isinstance(node, String):
        yield node
    for child in getattr(node, "contents", []) if isinstance(node, Group) or hasattr(
            node, "contents") else []:
        yield from _svg_strings(child)


def _spans(inlines: list[Inline], bold: bool = False, em: bool = False) -> list[Span]:
    out: list[Span] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(Span(node.text, bold, em))
        elif isinstance(node, Strong):
            out += _spans(node.children, True, em)
        elif isinstance(node, Emphasis):
            out += _spans(node.children, bold, True)
    return out


def _snippet(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return f"“{text[:n]}…”" if len(text) > n else f"“{text}”"


@dataclass
class Item:
    """A piece of text waiting for the fonts: its spans, style and where it stands."""

    spans: list[Span]
    style: str
    where: str
    outline: tuple[str, int] | None = None
    extra: dict = field(default_factory=dict)


class PdfWriter:
    def __init__(self, document: Document, house: House, use_cache: bool = True) -> None:
        self.doc = document
        self.house = house
        self.use_cache = use_cache
        self.plan = FontPlan(house, use_cache=use_cache)
        self.composer = Composer(self.plan, house)
        self.settings = {name: Setting.of(house, name) for name in house.styles}

    # -- collecting text -----------------------------------------------------------------------
    def item(self, spans: list[Span], style: str, where: str, **kw) -> Item:  # noqa: ANN003
        s = self.settings[style]
        for span in spans:
            self.plan.need(span.role or s.role, span.bold or s.bold, span.text, where)
        return Item(spans, style, where, **kw)

    def collect(self) -> list:
        """The document as a list of Items and ready-made flowables, in order."""
        d, h = self.doc, self.house
        out: list = []
        m = d.masthead
        out.append(self.item([Span(m.institute)], "institute", "the masthead (institute)"))
        out.append(self.item([Span(m.series)], "series", "the masthead (series title)"))
        if m.slogan:
            out.append(self.item([Span(m.slogan)], "slogan", "the masthead (slogan)"))
        left = self.item([Span(m.issue_label)], "issue", "the masthead (issue number)")
        right = self.item([Span(m.date_text)], "issue", "the masthead (date)")
        out.append(("issue", left, right))
        r = h.rule
        out.append(Rule(h.color(r.color), r.width_pt, r.double, r.space_before_pt,
                        r.space_after_pt))
        title_lines = d.title_lines or [d.title]
        for i, line in enumerate(title_lines):
            it = self.item([Span(line)], "title", "the title")
            it.extra = {"first": i == 0, "last": i == len(title_lines) - 1}
            out.append(it)
        if d.author_line:
            out.append(self.item([Span(d.author_line)], "author", "the author line"))
        # body
        section = ""
        level = -1
        for n, block in enumerate(d.body, 1):
            if isinstance(block, Heading):
                section = block.number + block.text
                level = min(block.level - 1, level + 1)
                out.append(self.item([Span(block.number), *_spans(block.inlines)],
                                     f"heading{block.level}", f"heading {_snippet(section)}",
                                     outline=(section, level)))
                continue
            place = f"block {n}" + (f" under {_snippet(section, 12)}" if section else "")
            if isinstance(block, Paragraph):
                out.append(self.item(_spans(block.inlines), "body",
                                     f"the paragraph {_snippet(block.text)} ({place})"))
            elif isinstance(block, ListBlock):
                for k, inl in enumerate(block.items, 1):
                    mark = f"（{k}）" if block.ordered else "· "
                    out.append(self.item([Span(mark), *_spans(inl)], "body",
                                         f"list item {k} ({place})"))
            elif isinstance(block, Note):
                out.append(self.item([Span(block.label), *_spans(block.inlines)], "note",
                                     f"the note ({place})"))
            elif isinstance(block, Figure):
                drawing = load_svg(block, self.plan.cache, self.use_cache)
                if drawing is not None and not isinstance(drawing, CompiledDrawing):
                    self.plan.need(h.chart.font, False, "0", f"the drawing of figure {block.number}",
                                   latin=False)
                    for string in _svg_strings(drawing):
                        self.plan.need(h.chart.font, False, string.text or "",
                                       f"the drawing of figure {block.number}", latin=False)
                out.append(("figure", block, drawing,
                            self.item([Span(f"图{block.number}{FULL_SPACE}{block.caption}")],
                                      "caption", f"the caption of figure {block.number}"),
                            self.item([Span(block.source)], "source",
                                      f"the source of figure {block.number}")
                            if block.source else None))
            elif isinstance(block, Table):
                out.append(("table", block, self._table_items(block)))
        # end matter
        e = d.end
        if e.note:
            out.append(self.item([Span(h.note_label + e.note)], "note", "the closing note (注)"))
        for a in e.authors:
            if a.bio:
                out.append(self.item([Span(h.bio_label, bold=True), Span(a.bio)], "bio",
                                     f"the bio of {a.name}"))
        if e.board:
            out.append(("board", self._board_items()))
        for text, what in ((e.disclaimer, "disclaimer"), (e.feedback, "feedback line")):
            if text:
                out.append(self.item([Span(text)], "disclaimer", f"the {what}"))
        # page numbers: every digit, and the template's own characters
        numbers = h.page.numbers
        self.plan.need(self.settings[numbers.style].role, self.settings[numbers.style].bold,
                       numbers.template.replace("{n}", "0123456789"), "the page numbers")
        return out

    def _table_items(self, table: Table) -> dict:
        cap = None
        if table.caption:
            cap = self.item([Span(f"表{table.number}{FULL_SPACE}{table.caption}")],
                            "table_caption", f"the caption of table {table.number}")
        st = self.settings["table"]
        self.plan.need(st.role, st.bold, "0", f"table {table.number}")
        cells = []
        for r, row in enumerate([table.header, *table.rows]):
            cells.append([self.item([Span(text, bold=(r == 0))], "table",
                                    f"table {table.number}, row {r + 1}") for text in row])
        src = self.item([Span(table.source)], "source",
                        f"the source of table {table.number}") if table.source else None
        return {"caption": cap, "cells": cells, "source": src}

    def _board_items(self) -> dict:
        e = self.doc.end
        title = self.item([Span(e.board_title)], "board_title", "the board's title") \
            if e.board_title else None
        per_row = 5
        rows: list[list[Item | None]] = []
        for role in e.board:
            names = role.names or [""]
            for i in range(0, len(names), per_row):
                label = f"{role.role}：" if i == 0 else ""
                row: list[Item | None] = [
                    self.item([Span(label)], "board", "the board") if label else None]
                row += [self.item([Span(n)], "board", "the board") for n in names[i:i + per_row]]
                rows.append(row)
        if e.contact:
            rows.append([self.item([Span("联系方式：")], "board", "the board"),
                         self.item([Span(e.contact)], "board", "the board's contact")])
        return {"title": title, "rows": rows, "per_row": per_row}

    # -- making flowables ----------------------------------------------------------------------
    def block(self, it: Item, **kw) -> TextBlock:  # noqa: ANN003
        return TextBlock(self.composer, it.spans, self.settings[it.style], it.outline, **kw)

    def flowables(self, items: list) -> list[Flowable]:
        from reportlab.platypus import Spacer

        out: list[Flowable] = []
        for it in items:
            if isinstance(it, Flowable):
                out.append(it)
            elif isinstance(it, Item):
                tb = self.block(it, allow_split=it.style not in ("title", "author"))
                if it.style == "title":
                    s = tb.s
                    tb.s = Setting(**{**s.__dict__,
                                      "before": s.before if it.extra.get("first") else 0,
                                      "after": s.after if it.extra.get("last") else 0})
                out.append(tb)
            elif it[0] == "issue":
                out.append(IssueLine(self.block(it[1]), self.block(it[2])))
            elif it[0] == "figure":
                _, fig, drawing, cap, src = it
                pic = Picture(fig, drawing, self.plan, self.house.chart.font)
                parts: list[Flowable] = [Spacer(1, self.settings["caption"].leading * 0.25),
                                         pic, self.block(cap)]
                if src:
                    parts.append(self.block(src))
                out.append(FigureBlock(parts))
            elif it[0] == "table":
                out += self.table(it[1], it[2])
            elif it[0] == "board":
                out.append(self.board(it[1]))
        # keep each heading (or run of headings) with the start of what follows
        kept: list[Flowable] = []
        for k, f in enumerate(out):
            starts_run = isinstance(f, TextBlock) and f.s.keep and not (
                k and isinstance(out[k - 1], TextBlock) and out[k - 1].s.keep)
            if starts_run:
                kept.append(KeepRoom(out[k:k + 6]))
            kept.append(f)
        # a figure floats: the body paragraphs after it (up to the next heading, figure,
        # table or note) may fill the page it does not fit on
        floated: list[Flowable] = []
        k = 0
        while k < len(kept):
            f = kept[k]
            k += 1
            if not isinstance(f, FigureBlock):
                floated.append(f)
                continue
            followers: list[Flowable] = []
            while (k < len(kept) and isinstance(kept[k], TextBlock)
                   and kept[k].s is self.settings["body"]):  # body text, not the end matter
                followers.append(kept[k])
                k += 1
            floated.append(FloatingFigure(f, followers) if followers else f)
        return floated

    def table(self, table: Table, items: dict) -> list[Flowable]:
        from reportlab.platypus import Table as RLTable
        from reportlab.platypus import TableStyle

        h = self.house
        width = h.page.text_width_mm * MM
        pad = self.settings["table"].size * 0.3
        rows = [[self.block(c) for c in row] for row in items["cells"]]
        ncol = max(len(r) for r in rows)
        for r in rows:
            while len(r) < ncol:
                r.append(self.block(Item([Span("")], "table", "")))
        for c in range(ncol):
            align = table.align[c] if c < len(table.align) else "center"
            for r in rows:
                r[c].s = Setting(**{**r[c].s.__dict__, "align": align, "indent": 0})
        natural = [max(r[c].chars.natural for r in rows) + 2 * pad + 1 for c in range(ncol)]
        total = sum(natural)
        if total <= width:
            extra = (width - total) / ncol
            colw = [n + extra for n in natural]
        else:
            floor = width / ncol * 0.5
            colw = [max(floor, width * n / total) for n in natural]
            scale = width / sum(colw)
            colw = [w * scale for w in colw]
        rules = h.board_rules
        color = HexColor("#" + h.color(rules.color))
        t = RLTable(rows, colWidths=colw, repeatRows=1, hAlign="CENTER")
        ts = self.settings["table"]
        cell_font = self.plan.slot(ts.role, ts.bold, "0").font  # platypus selects a font per cell
        t.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), cell_font, ts.size),
            ("GRID", (0, 0), (-1, -1), rules.thin_mm * MM, color),
            ("BOX", (0, 0), (-1, -1), rules.thick_mm * MM, color),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        out: list[Flowable] = []
        if items["caption"]:
            out.append(self.block(items["caption"]))
        out.append(t)
        if items["source"]:
            out.append(self.block(items["source"]))
        return out

    def board(self, items: dict) -> Flowable:
        from reportlab.platypus import KeepTogether

        h = self.house
        width = h.page.text_width_mm * MM
        s = self.settings["board"]
        label_w = s.size * 5
        per_row = items["per_row"]
        colw = [label_w] + [(width - label_w) / per_row] * per_row
        rows = [[self.block(c) if c is not None else None for c in row] for row in items["rows"]]
        rules = h.board_rules
        grid = Grid(rows, colw, s.leading, rules.thick_mm * MM, rules.thin_mm * MM,
                    h.color(rules.color), thin_before_last=bool(self.doc.end.contact))
        parts: list[Flowable] = []
        if items["title"]:
            parts.append(self.block(items["title"]))
        parts.append(grid)
        return KeepTogether(parts)

    # -- the page ------------------------------------------------------------------------------
    def page_number(self, canv, doc) -> None:  # noqa: ANN001
        h = self.house
        numbers = h.page.numbers
        s = self.settings[numbers.style]
        n = canv.getPageNumber()
        chars = self.composer.chars([Span(numbers.template.format(n=n))], s)
        line = chars.lines()[0]
        w = line.width - chars.letter
        left = h.page.margin_left_mm * MM
        text_w = h.page.text_width_mm * MM
        inset = numbers.indent_chars * s.size
        if numbers.position == "center":
            x = left + (text_w - w) / 2
        elif n % 2:
            x = left + text_w - inset - w
        else:
            x = left + inset
        y = h.page.footer_distance_mm * MM
        canv.saveState()
        draw_line(canv, chars, line, x, y, 0)
        canv.restoreState()

    def write(self, path: Path) -> Path:
        from reportlab import rl_config

        rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85
        items = self.collect()
        self.plan.prepare()
        flow = self.flowables(items)
        p = self.house.page
        meta = self.doc.meta
        with atomic_output(path) as tmp:
            doc = BaseDocTemplate(
                str(tmp),
                pagesize=(p.width_mm * MM, p.height_mm * MM),
                leftMargin=p.margin_left_mm * MM, rightMargin=p.margin_right_mm * MM,
                topMargin=p.margin_top_mm * MM, bottomMargin=p.margin_bottom_mm * MM,
                title=meta.title, author="、".join(meta.authors), subject=meta.subject,
                keywords=list(meta.keywords), creator="briefgen", producer="briefgen (ReportLab)",
                lang=meta.language,
                initialFontName=next(iter(self.plan.table(self.settings["body"].role,
                                                          self.settings["body"].bold).values())
                                     ).font if self.plan.slots else None,
            )
            frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height + 0.01,
                          leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
            doc.addPageTemplates([PageTemplate("page", [frame], onPage=self.page_number)])
            try:
                doc.build(flow, canvasmaker=_OutlineCanvas)
            except LayoutError as exc:
                raise BriefError(f"a block does not fit on a page: {exc}") from None
        return path


class _OutlineCanvas(Canvas):
    """A canvas that opens the outline panel when the PDF is opened."""

    def save(self) -> None:
        self.showOutline()
        super().save()


def write_pdf(document: Document, house: House, path: Path, use_cache: bool = True) -> Path:
    """Write `document` as a PDF in the house style, atomically; return `path`.

    `use_cache=False` (``briefgen build --no-cache``) reads nothing from the cache:
    the font index is rebuilt, fonts parsed and subset again, drawings converted
    again; the results replace what the cache held.
    """
    return PdfWriter(document, house, use_cache).write(path)
