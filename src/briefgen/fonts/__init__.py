"""Fonts by role: find each role's face, embed it, fall back per character.

The house style gives every role (display, song, fangsong, hei, kai) an ordered
list of candidates: family names ("AR PL UMing CN"), a family with a style
("Noto Serif CJK SC:Bold"), or font file names ("simfang.ttf"). They are looked
up in, in order:

1. the folders of the environment variable ``BRIEFGEN_FONT_PATH``
   (``os.pathsep``-separated),
2. the project's ``fonts/`` folder (beside the house file's ``templates/``
   folder, and in the working folder),
3. the system's font folders (skipped when ``BRIEFGEN_SYSTEM_FONTS=0``),
4. the Chinese fonts shipped on PyPI by ``pylopdf-fonts-zh-cn`` (Noto Serif SC,
   Noto Sans SC; SIL OFL 1.1), which every role has as its last candidates.

The package, one job per module: ``locate`` (the folders and files), ``faces``
(one face's names), ``index`` (every face, one index per process), ``resolve``
(a role to its faces), ``files`` (stamps, content hashes, cache writes),
``convert`` (subsets, CFF to TrueType), ``sfnt`` (a face's tables read in place),
``fingerprint`` (the render key's part) and ``command`` (`briefgen fonts`, imported
only when it runs).
"""

from __future__ import annotations

from briefgen.cache import cache_root
from briefgen.fonts.convert import SUBSET_VERSION, otf_to_ttf, subset_face
from briefgen.fonts.faces import Face, read_faces
from briefgen.fonts.files import content_id, file_stamp, write_bytes, write_json
from briefgen.fonts.fingerprint import font_fingerprint
from briefgen.fonts.index import INDEX_VERSION, FontIndex, font_index, forget_indexes
from briefgen.fonts.locate import (
    FONT_SUFFIXES,
    packaged_font_files,
    search_dirs,
    system_font_dirs,
)
from briefgen.fonts.resolve import Choice, FontFile, FontResolver, RoleFonts, resolve_font_file

__all__ = [
    "FONT_SUFFIXES", "INDEX_VERSION", "SUBSET_VERSION",
    "Choice", "Face", "FontFile", "FontIndex", "FontResolver", "RoleFonts",
    "cache_root", "content_id", "file_stamp", "font_fingerprint",
    "font_index", "forget_indexes", "otf_to_ttf", "packaged_font_files",
    "read_faces", "resolve_font_file", "search_dirs", "subset_face",
    "system_font_dirs", "write_bytes", "write_json",
]
