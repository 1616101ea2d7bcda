"""Which font files a house's PDF would be drawn with: a key for the render cache."""

from __future__ import annotations

import hashlib

from briefgen.config.house import House
from briefgen.fonts.files import file_stamp
from briefgen.fonts.resolve import FontResolver


def font_fingerprint(house: House) -> str:
    """Every role's faces (regular and bold) and their files' stamps (path, size, time).

    A PDF made with the same document and the same fingerprint is the same PDF. A
    stamp, not the content: it changes whenever a font file is replaced, without
    reading 20 MB fonts on a cold start.
    """
    resolver = FontResolver(house)
    h = hashlib.sha256()
    for role in sorted(house.fonts):
        for bold in (False, True):
            for choice in resolver.role(role, bold).choices:
                face = choice.face
                h.update(f"{role}|{bold}|{choice.candidate}|{face.index}|"
                         f"{choice.fake_bold}|{file_stamp(face.path)}\n".encode())
    return h.hexdigest()
