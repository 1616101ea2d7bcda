"""Font slots: which embedded face draws each character of each role."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import fonts as fontmod
from briefgen.cache import area, cache_root
from briefgen.config.house import House
from briefgen.errors import FontError, display_path
from briefgen.typeset.cjk import is_latin
from briefgen.writers.pdf import rl_compat


@dataclass(frozen=True)
class Slot:
    """How one character is drawn: the ReportLab font name, and whether to embolden it."""

    font: str
    fake_bold: bool


PlanKey = tuple[str, bool, bool]  # role, bold, Latin text in the role's Latin face


@dataclass(frozen=True)
class Missing:
    """A character no face of its role has, and the first place it stands."""

    char: str
    role: str
    where: str  # what the text is: "the paragraph “…” (block 3 under “一、…”)"
    source: str = ""  # the file and line it came from: "sections/basics.md:12", when known


class FontPlan:
    """Collects the characters of each (role, bold), assigns each to a face, embeds the faces.

    A role with a `latin` role draws Latin letters, digits and ASCII punctuation with
    that role's faces first (Times New Roman or its substitutes, as Word does), the
    rest with its own. TrueType faces are embedded as installed, read in place
    (`rl_compat.SubsetCachingFace`); CFF faces are subset to the characters they draw and
    converted to TrueType, cached by content hash. A character that no face of its
    role has is an error naming it and where it stands.
    """

    def __init__(self, house: House, cache: Path | None = None, use_cache: bool = True) -> None:
        self.house = house
        self.cache = cache or cache_root()
        self.use_cache = use_cache
        self.resolver = fontmod.FontResolver(house, self.cache, use_cache=use_cache)
        self.chars: dict[PlanKey, dict[str, tuple[str, str]]] = {}  # char -> first place
        self.slots: dict[PlanKey, dict[str, Slot]] = {}
        self._registered: dict[str, Any] = {}
        self.faces_used: dict[tuple[Path, int], fontmod.Face] = {}

    def need(self, role: str, bold: bool, text: str, where: str, latin: bool = True,
             source: str = "") -> None:
        """Characters of `text` in `role` (bold or not), standing at `where` (and at the
        file and line `source`); `latin=False`: all in the role's own faces (text of a
        drawing, which its maker set in one face)."""
        seen = self.chars.setdefault((role, bold, latin), {})
        for ch in text:
            if ch not in seen and ch not in "\n\r\t":
                seen[ch] = (where, source)

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
        missing: list[Missing] = []
        for key, wanted in self.chars.items():
            missing += self._plan_key(key, wanted)
        if missing:
            raise self._missing_error(missing)

    def _plan_key(self, key: PlanKey, wanted: dict[str, tuple[str, str]]) -> list[Missing]:
        role, bold, latin = key
        own = self.resolver.role(role, bold).choices
        latin_role = self.latin_role(role) if latin else None
        slots: dict[str, Slot] = {}
        todo = set(wanted)
        if latin_role:
            todo = self._assign_latin(latin_role, bold, todo, slots)
        todo = self._assign(own, todo, slots)
        self.slots[key] = slots
        # a blank no face has is drawn as a space of another
        return [Missing(ch, role, *wanted[ch]) for ch in sorted(todo)
                if not (ch.isspace() and slots)]

    def _assign_latin(self, latin_role: str, bold: bool, todo: set[str],
                      slots: dict[str, Slot]) -> set[str]:
        """The Latin characters of `todo` given the Latin role's faces first; return the
        characters still without a face (the others, and Latin ones those faces lack)."""
        latin_chars = {ch for ch in todo if is_latin(ch)}
        left = self._assign(self.resolver.role(latin_role, bold).choices, latin_chars, slots)
        return (todo - latin_chars) | left

    def _missing_error(self, missing: list[Missing]) -> FontError:
        """One line: the characters, each where it stands; the file is the first one's
        source (the section file and line) when known, else the house file (its text)."""
        first = next((m for m in missing if m.source), None)
        parts = [_described(m, with_source=m is not first) for m in missing[:8]]
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        file, line = (self.house.shown, None) if first is None else _file_line(first.source)
        return FontError(
            "no font has a glyph for " + "; ".join(parts) + more, file, line,
            hint="add a font that has them to the role's candidates in the house file, "
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
            got = {ch for ch in todo if rl_compat.has_glyph(font, ch)}
            slot = Slot(font.fontName, choice.fake_bold)
            for ch in got:
                slots[ch] = slot
            todo -= got
        return todo

    def _font(self, face: fontmod.Face, todo: set[str]) -> Any | None:
        """The registered ReportLab font of `face` (a CFF face: of its subset for `todo`)."""
        if face.outline == "TrueType":
            file, index = face.path, face.index
            tag = hashlib.sha256(f"{face.path}#{face.index}".encode()).hexdigest()[:10]
            identity = fontmod.file_stamp(file)  # changes with the file; costs one stat
        else:
            sub = fontmod.subset_face(face, todo, self.cache, use_cache=self.use_cache)
            if sub is None:
                return None
            file, index = sub, 0
            tag = file.stem[:10]
            identity = file.stem  # the subset's name is its content key
        name = "BG" + tag
        if name not in self._registered:
            earlier = rl_compat.registered_font(name)  # an earlier PDF of this process
            if earlier is not None:
                self._registered[name] = earlier
        if name not in self._registered:
            self._registered[name] = self._register(name, face, file, index, tag)
        font = self._registered[name]
        if rl_compat.caches_subsets(font):
            rl_compat.set_subset_cache(font, (area("fonts", self.cache), identity, index,
                                              self.use_cache))
        return font

    def _register(self, name: str, face: fontmod.Face, file: Path, index: int, tag: str) -> Any:
        try:
            made = rl_compat.SubsetCachingFace(file, index)
        except Exception as exc:  # noqa: BLE001 - ReportLab's TTFError and friends
            raise FontError(f"cannot embed the font {face.label}: {exc}",
                            display_path(face.path),
                            hint="remove it from the role's candidates") from None
        font = rl_compat.register_face(name, made, tag)
        self.faces_used[(face.path, face.index)] = face
        return font


def _described(m: Missing, with_source: bool) -> str:
    """The character, its code point and role, where it stands (and its file and line)."""
    at = f" at {m.source}" if m.source and with_source else ""
    return f"{m.char} (U+{ord(m.char):04X}, role {m.role}) in {m.where}{at}"


def _file_line(source: str) -> tuple[str, int | None]:
    """A source such as "sections/basics.md:12" as its file and line (None if it has none)."""
    file, _, number = source.rpartition(":")
    return (file, int(number)) if number.isdigit() else (source, None)
