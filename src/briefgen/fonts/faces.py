"""One face of a font file, as read from its name table (family, style, outline kind)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Styles a family name alone means, best first.
REGULAR_STYLES = ("regular", "book", "normal", "roman", "medium", "light", "w3", "w4", "w5")
BOLD_STYLES = ("bold", "heavy", "black", "extrabold", "semibold", "demibold")


def norm(name: str) -> str:
    """A name as compared: case-folded, without blanks, hyphens and underscores."""
    return "".join(ch for ch in name.casefold() if ch not in " -_")


@dataclass(frozen=True)
class Face:
    """One face of a font file (a .ttc holds several)."""

    path: Path
    index: int
    family: str  # the English family name (typographic family where given)
    style: str  # the English style name
    names: tuple[str, ...]  # every family, full and PostScript name, in every language, normalised
    styles: tuple[str, ...]  # style names, normalised
    outline: str  # "TrueType" or "CFF"
    psname: str

    @property
    def label(self) -> str:
        return f"{self.family} {self.style}".strip()

    @property
    def location(self) -> str:
        collection = self.path.suffix.lower() in (".ttc", ".otc")
        return f"{self.path}" + (f"#{self.index}" if collection else "")

    def is_bold(self) -> bool:
        return norm(self.style) in BOLD_STYLES

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index, "family": self.family, "style": self.style,
            "names": list(self.names), "styles": list(self.styles),
            "outline": self.outline, "psname": self.psname,
        }

    @classmethod
    def from_json(cls, path: Path, d: dict[str, Any]) -> Face:
        return cls(path, d["index"], d["family"], d["style"], tuple(d["names"]),
                   tuple(d["styles"]), d["outline"], d["psname"])


def style_rank(face: Face) -> tuple[int, int]:
    """Regular styles first (in REGULAR_STYLES order), then others, bold and italic last."""
    style = norm(face.style)
    if style in REGULAR_STYLES:
        return (0, REGULAR_STYLES.index(style))
    return (2 if face.is_bold() or "italic" in style or "oblique" in style else 1, 0)


def bold_rank(face: Face) -> int:
    return 0 if norm(face.style) == "bold" else 1


def _english_name(name: Any, *ids: int) -> str:
    """The first of the name ids in English (Windows, then Mac), else in any language."""
    for nid in ids:
        rec = name.getName(nid, 3, 1, 0x409) or name.getName(nid, 1, 0, 0)
        if rec is not None:
            return str(rec.toUnicode())
    for nid in ids:
        text = _any_language_name(name, nid)
        if text is not None:
            return text
    return ""


def _any_language_name(name: Any, nid: int) -> str | None:
    """The first record of name id `nid` that decodes, in whatever language."""
    for rec in name.names:
        if rec.nameID == nid:
            try:
                return str(rec.toUnicode())
            except UnicodeDecodeError:
                continue
    return None


def _all_names(name: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every family/full/PostScript name and every style name, normalised."""
    names: set[str] = set()
    styles: set[str] = set()
    for rec in name.names:
        if rec.nameID not in (1, 2, 4, 6, 16, 17):
            continue
        try:
            text = rec.toUnicode()
        except UnicodeDecodeError:
            continue
        (styles if rec.nameID in (2, 17) else names).add(norm(text))
    return tuple(sorted(names)), tuple(sorted(styles))


def read_faces(path: Path) -> list[Face]:
    """The faces in one font file, from its name tables (fontTools, lazily)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() in (".ttc", ".otc"):
        fonts = list(TTCollection(str(path), lazy=True).fonts)
    else:
        fonts = [TTFont(str(path), lazy=True)]
    faces = []
    for i, font in enumerate(fonts):
        name = font["name"]
        names, styles = _all_names(name)
        outline = "CFF" if ("CFF " in font or "CFF2" in font) else "TrueType"
        faces.append(Face(
            path=path, index=i, family=_english_name(name, 16, 1),
            style=_english_name(name, 17, 2), names=names, styles=styles,
            outline=outline, psname=_english_name(name, 6),
        ))
    return faces
