"""A role of the house (song, hei, display…) resolved to its faces, in fallback order."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from briefgen.cache import cache_root
from briefgen.config.house import House
from briefgen.errors import FontError, InputError, display_path
from briefgen.fonts.faces import Face, bold_rank, norm
from briefgen.fonts.index import font_index
from briefgen.fonts.locate import packaged_font_files, search_dirs


@dataclass
class Choice:
    """One candidate of a role as found: the face, and whether bold must be drawn."""

    candidate: str
    face: Face
    fake_bold: bool = False


@dataclass
class RoleFonts:
    """A role's faces in fallback order, for regular or for bold text."""

    role: str
    bold: bool
    choices: list[Choice]
    missing: list[str] = field(default_factory=list)  # candidates not installed

    @property
    def primary(self) -> Choice:
        return self.choices[0]


def _is_sans(word: str, candidates: list[str]) -> bool:
    """Does a role want a sans face (黑体) rather than a serif one, judged by its first names?"""
    text = " ".join([word, *candidates[:1]]).casefold()
    return any(w in text for w in ("sans", "hei", "黑", "gothic"))


def house_file(house: House) -> str:
    return display_path(Path(house.folder) / "house.yaml")


class FontResolver:
    """Resolves the house's font roles against the fonts of this machine.

    The font folders are walked once per process (`index.font_index`), however
    many resolvers are made.
    """

    def __init__(self, house: House, cache: Path | None = None, use_cache: bool = True) -> None:
        self.house = house
        self.cache = cache or cache_root()
        self.packaged = packaged_font_files()
        self.index = font_index(search_dirs(house), self.packaged, self.cache, use_cache)
        self._roles: dict[tuple[str, bool], RoleFonts] = {}

    def candidates(self, role: str) -> list[str]:
        if role not in self.house.fonts:
            raise InputError(f"font role '{role}' is not defined under 'fonts'",
                             house_file(self.house))
        own = list(self.house.fonts[role].candidates)
        packaged = [str(p) for p in self.packaged]
        if _is_sans(self.house.fonts[role].word, own):
            packaged.reverse()
        return own + packaged

    def role(self, role: str, bold: bool = False) -> RoleFonts:
        key = (role, bold)
        if key not in self._roles:
            self._roles[key] = self._resolve(role, bold)
        return self._roles[key]

    def _resolve(self, role: str, bold: bool) -> RoleFonts:
        choices: list[Choice] = []
        missing: list[str] = []
        seen: set[tuple[Path, int]] = set()
        for cand in self.candidates(role):
            faces = self.index.find(cand)
            if not faces:
                missing.append(cand)
                continue
            choice = self._choose(cand, faces, bold)
            k = (choice.face.path, choice.face.index)
            if k not in seen:
                seen.add(k)
                choices.append(choice)
        if not choices:
            raise FontError(
                f"no font for role '{role}': none of {', '.join(self.candidates(role))} was found",
                house_file(self.house),
                hint="install one, put it in the project's fonts/ folder, or set BRIEFGEN_FONT_PATH",
            )
        return RoleFonts(role, bold, choices, missing)

    def _choose(self, cand: str, faces: list[Face], bold: bool) -> Choice:
        """The face of a candidate for regular or bold text (bold drawn when it has none)."""
        face = faces[0]
        if not bold:
            return Choice(cand, face)
        if ":" in cand:  # an explicit style is taken as it is
            return Choice(cand, face, not face.is_bold())
        return self._bold_choice(cand, faces)

    def _bold_choice(self, cand: str, faces: list[Face]) -> Choice:
        """The candidate's bold face, else its family's, else its first face drawn bold."""
        face = faces[0]
        bolds = [f for f in faces if f.is_bold()] or self._family_bolds(face)
        if bolds:
            return Choice(cand, min(bolds, key=bold_rank))
        return Choice(cand, face, True)

    def _family_bolds(self, face: Face) -> list[Face]:
        """The bold faces of `face`'s family in the folders."""
        fam = norm(face.family)
        return [f for f in self.index.faces if norm(f.family) == fam and f.is_bold()]


class FontFile(NamedTuple):
    """A font file and the face in it (a .ttc holds several)."""

    path: Path
    face_index: int = 0


def resolve_font_file(house: House, role: str) -> FontFile:
    """The file (and face index, for a collection) of a role's first available font.

    For the charts: matplotlib takes this file as it is (TrueType or CFF).
    """
    face = FontResolver(house).role(role).primary.face
    return FontFile(face.path, face.index)
