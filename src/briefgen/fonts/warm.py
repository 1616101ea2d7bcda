"""The house's fonts parsed ahead of the PDF writer, into the cache: a cold build's other half.

A cold build parses every TrueType face it embeds (ReportLab reads each face's
character map and metrics: ≈ 0.1 s for a CJK face) after drawing its charts.
Neither needs the other, so `start_warming` runs the parse in a forked process
while the build draws its charts: the PDF writer then finds each parse in the
cache (`parsed.parsed_face`), or, if the helper is not done, waits for it
(`join`) rather than doing the same work twice. Only the faces the house's
styles name first (each style's role and its Latin role, regular or bold) are
parsed; a fallback face, used for a rare character, is parsed by the writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from briefgen.cache import area
from briefgen.config.house import House
from briefgen.errors import BriefError
from briefgen.fonts.faces import Face
from briefgen.fonts.parsed import PARSED_SUFFIX, parse_into_cache
from briefgen.fonts.resolve import FontResolver
from briefgen.forking import Helper, start_helper


def first_faces(house: House, resolver: FontResolver) -> Iterator[Face]:
    """The first TrueType face of every (role, bold) the house's styles use, once each."""
    seen: set[tuple[Path, int]] = set()
    for name in house.styles:
        style = house.style(name)
        for role in _roles_of(house, style.font):
            face = resolver.role(role, style.bold).primary.face
            if face.outline == "TrueType" and (face.path, face.index) not in seen:
                seen.add((face.path, face.index))
                yield face


def _roles_of(house: House, role: str) -> list[str]:
    """The style's font role and the Latin role it sets Latin text in, if any."""
    latin = house.fonts[role].latin if role in house.fonts else None
    return [role] if latin is None else [role, latin]


def warm_faces(house: House, cache: Path | None = None,
               faces: list[Face] | None = None) -> int:
    """Parse the house's first faces (or `faces`) into the cache; return how many were
    parsed here."""
    if faces is None:
        faces = list(first_faces(house, FontResolver(house, cache)))
    return sum(parse_into_cache(face.path, face.index, cache) for face in faces)


def _warm(house: House, cache: Path | None, faces: list[Face]) -> None:
    try:
        warm_faces(house, cache, faces)
    except BriefError:
        pass  # the build itself reports it, where it belongs


def is_cold(cache: Path | None = None) -> bool:
    """Whether the cache holds no parsed face at all (a first build, an emptied cache)."""
    folder = area("fonts", cache).folder
    return not any(folder.glob(f"*.{PARSED_SUFFIX}")) if folder.is_dir() else True


def start_warming(house: House, cache: Path | None = None) -> Helper:
    """When the cache is cold: parse the fonts in a helper process (`briefgen.forking`);
    `join` it before the fonts are needed."""
    if not is_cold(cache):
        return Helper(None)
    # the font folders walked and the faces found here, once: the build's own look-ups
    # (the charts' font, the PDF's plan) find this process's index; the helper only parses
    try:
        faces = list(first_faces(house, FontResolver(house, cache)))
    except BriefError:
        return Helper(None)  # the build reports it where it belongs
    return start_helper(lambda: _warm(house, cache, faces))
