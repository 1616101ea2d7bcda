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
   Noto Sans SC; SIL OFL 1.1), which every role has as its last candidates, so
   a machine with nothing but PyPI still embeds a real Chinese font.

ReportLab embeds TrueType outlines only. A CFF OpenType face (Noto CJK,
Source Han) is subset to the characters it draws and converted to TrueType
with fontTools (cubic to quadratic curves); the result is cached by content
hash under ``BRIEFGEN_CACHE`` or ``~/.cache/briefgen``. TrueType faces are
subset the same way, so a repeat build reads a few small files.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import operator
import os
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from briefgen.cache import cache_root
from briefgen.config.house import House
from briefgen.errors import BriefError, display_path

FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
INDEX_VERSION = 2
SUBSET_VERSION = 3

# Styles a family name alone means, best first.
_REGULAR_STYLES = ("regular", "book", "normal", "roman", "medium", "light", "w3", "w4", "w5")


def _norm(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch not in " -_")


def system_font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library/Fonts",
    ]
    windir = os.environ.get("WINDIR")
    if windir:
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft/Windows/Fonts")
    return dirs


def packaged_font_files() -> list[Path]:
    """The Chinese fonts that come with the Python dependencies (serif, sans)."""
    try:
        import pylopdf_fonts_zh_cn as pkg
    except ImportError:  # pragma: no cover - a declared dependency
        return []
    return [p for p in (pkg.serif_path(), pkg.sans_path()) if p.is_file()]


def search_dirs(house: House | None = None) -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("BRIEFGEN_FONT_PATH", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    if house is not None:
        dirs.append(Path(house.folder).resolve().parent / "fonts")
    dirs.append(Path.cwd() / "fonts")
    if os.environ.get("BRIEFGEN_SYSTEM_FONTS", "1") not in ("0", "no", "false"):
        dirs += system_font_dirs()
    seen: set[Path] = set()
    out = []
    for d in dirs:
        try:
            key = d.resolve()
        except OSError:
            continue
        if key not in seen and d.is_dir():
            seen.add(key)
            out.append(d)
    return out


# ---- faces and the index ------------------------------------------------------------------


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
        return f"{self.path}" + (f"#{self.index}" if self.path.suffix.lower() in (".ttc", ".otc") else "")

    def is_bold(self) -> bool:
        return _norm(self.style) in ("bold", "heavy", "black", "extrabold", "semibold", "demibold")

    def to_json(self) -> dict:
        return {
            "index": self.index, "family": self.family, "style": self.style,
            "names": list(self.names), "styles": list(self.styles),
            "outline": self.outline, "psname": self.psname,
        }

    @classmethod
    def from_json(cls, path: Path, d: dict) -> Face:
        return cls(path, d["index"], d["family"], d["style"], tuple(d["names"]),
                   tuple(d["styles"]), d["outline"], d["psname"])


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

        def get(*ids: int, _name=name) -> str:
            for nid in ids:
                rec = _name.getName(nid, 3, 1, 0x409) or _name.getName(nid, 1, 0, 0)
                if rec is not None:
                    return rec.toUnicode()
            for nid in ids:
                for rec in _name.names:
                    if rec.nameID == nid:
                        try:
                            return rec.toUnicode()
                        except UnicodeDecodeError:
                            continue
            return ""

        names = set()
        styles = set()
        for rec in name.names:
            if rec.nameID not in (1, 2, 4, 6, 16, 17):
                continue
            try:
                text = rec.toUnicode()
            except UnicodeDecodeError:
                continue
            if rec.nameID in (2, 17):
                styles.add(_norm(text))
            else:
                names.add(_norm(text))
        outline = "CFF" if ("CFF " in font or "CFF2" in font) else "TrueType"
        faces.append(Face(
            path=path, index=i, family=get(16, 1), style=get(17, 2),
            names=tuple(sorted(names)), styles=tuple(sorted(styles)),
            outline=outline, psname=get(6),
        ))
    return faces


class FontIndex:
    """Every face in the search folders; names read once and cached by file size and time."""

    def __init__(self, dirs: list[Path], extra_files: Iterable[Path] = (),
                 cache: Path | None = None, use_cache: bool = True) -> None:
        self.dirs = dirs
        self.cache_file = (cache or cache_root()) / "font-index.json"
        self.use_cache = use_cache
        self.files: list[Path] = []
        for d in dirs:
            for root, _subdirs, names in os.walk(d):
                for n in sorted(names):
                    if n.lower().endswith(FONT_SUFFIXES):
                        self.files.append(Path(root) / n)
        self.files += [p for p in extra_files if p.is_file()]
        self._faces: list[Face] | None = None

    @property
    def faces(self) -> list[Face]:
        if self._faces is None:
            self._faces = self._load()
        return self._faces

    def _load(self) -> list[Face]:
        try:
            cached = json.loads(self.cache_file.read_text("utf-8")) if self.use_cache else {}
            if cached.get("version") != INDEX_VERSION:
                cached = {}
        except (OSError, ValueError):
            cached = {}
        entries = cached.get("files", {})
        faces: list[Face] = []
        changed = False
        for path in self.files:
            try:
                st = path.stat()
            except OSError:
                continue
            key = str(path)
            entry = entries.get(key)
            if not entry or entry["size"] != st.st_size or entry["mtime"] != st.st_mtime_ns:
                try:
                    found = read_faces(path)
                except Exception:  # a broken or foreign file in a font folder: not a font
                    found = []
                entry = {"size": st.st_size, "mtime": st.st_mtime_ns,
                         "faces": [f.to_json() for f in found]}
                entries[key] = entry
                changed = True
            faces += [Face.from_json(path, f) for f in entry["faces"]]
        if changed:
            write_json(self.cache_file, {"version": INDEX_VERSION, "files": entries})
        return faces

    def find(self, candidate: str) -> list[Face]:
        """The faces a candidate names, best first (regular before other styles)."""
        name, _, style = candidate.partition(":")
        name, style = name.strip(), style.strip()
        if name.lower().endswith(FONT_SUFFIXES) or os.sep in name or "/" in name:
            p = Path(name).expanduser()
            if p.is_absolute():
                matches = [f for f in self.faces if f.path == p]
                if not matches and p.is_file():
                    matches = read_faces(p)
            else:
                matches = [f for f in self.faces if f.path.name.casefold() == p.name.casefold()]
        else:
            key = _norm(name)
            matches = [f for f in self.faces if key in f.names]
        if style:
            want = _norm(style)
            return [f for f in matches if want in f.styles]
        return sorted(matches, key=_style_rank)


def _style_rank(face: Face) -> tuple[int, int]:
    style = _norm(face.style)
    if style in _REGULAR_STYLES:
        return (0, _REGULAR_STYLES.index(style))
    return (2 if face.is_bold() or "italic" in style or "oblique" in style else 1, 0)


def _bold_rank(face: Face) -> int:
    return 0 if _norm(face.style) == "bold" else 1


def write_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is only slower."""
    from briefgen.fsio import atomic_output

    try:
        with atomic_output(path, "the font cache") as tmp:
            tmp.write_bytes(data)
    except (BriefError, OSError):
        pass


def write_json(path: Path, data: object) -> None:
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


# ---- roles ----------------------------------------------------------------------------------


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


class FontResolver:
    """Resolves the house's font roles against the fonts of this machine."""

    def __init__(self, house: House, cache: Path | None = None, use_cache: bool = True) -> None:
        self.house = house
        self.cache = cache or cache_root()
        self.packaged = packaged_font_files()
        self.index = FontIndex(search_dirs(house), self.packaged, self.cache, use_cache)
        self._roles: dict[tuple[str, bool], RoleFonts] = {}

    def candidates(self, role: str) -> list[str]:
        if role not in self.house.fonts:
            raise BriefError(f"font role '{role}' is not defined under 'fonts'",
                             display_path(Path(self.house.folder) / "house.yaml"))
        own = list(self.house.fonts[role].candidates)
        packaged = [str(p) for p in self.packaged]
        if _is_sans(self.house.fonts[role].word, own):
            packaged.reverse()
        return own + packaged

    def role(self, role: str, bold: bool = False) -> RoleFonts:
        key = (role, bold)
        if key in self._roles:
            return self._roles[key]
        choices: list[Choice] = []
        missing: list[str] = []
        seen: set[tuple[Path, int]] = set()
        for cand in self.candidates(role):
            faces = self.index.find(cand)
            if not faces:
                missing.append(cand)
                continue
            explicit_style = ":" in cand
            face = faces[0]
            fake = False
            if bold and not explicit_style:
                bolds = [f for f in faces if f.is_bold()]
                # the same family's bold face, if there is one
                if not bolds:
                    fam = _norm(face.family)
                    bolds = [f for f in self.index.faces
                             if _norm(f.family) == fam and f.is_bold()]
                if bolds:
                    face = min(bolds, key=_bold_rank)
                else:
                    fake = True
            elif bold:
                fake = not face.is_bold()
            k = (face.path, face.index)
            if k in seen:
                continue
            seen.add(k)
            choices.append(Choice(cand, face, fake))
        if not choices:
            raise BriefError(
                f"no font for role '{role}': none of {', '.join(self.candidates(role))} was found",
                display_path(Path(self.house.folder) / "house.yaml"),
                hint="install one, put it in the project's fonts/ folder, or set BRIEFGEN_FONT_PATH",
            )
        rf = RoleFonts(role, bold, choices, missing)
        self._roles[key] = rf
        return rf


# ---- subsetting and conversion ------------------------------------------------------------


_content_ids: dict[tuple[str, int, int], str] = {}


def content_id(path: Path, use_cache: bool = True) -> str:
    """A hash of a font file's bytes (memoised by path, size and time in the cache)."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key in _content_ids and use_cache:
        return _content_ids[key]
    memo_file = cache_root() / "font-hashes.json"
    try:
        memo = json.loads(memo_file.read_text("utf-8"))
    except (OSError, ValueError):
        memo = {}
    mkey = f"{key[0]}|{key[1]}|{key[2]}"
    digest = memo.get(mkey) if use_cache else None
    if digest is None:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
        memo[mkey] = digest
        write_json(memo_file, memo)
    _content_ids[key] = digest
    return digest


def font_fingerprint(house: House) -> str:
    """Which font files every role would draw with (regular and bold), by content.

    A PDF made with the same document and the same fingerprint is the same PDF.
    """
    resolver = FontResolver(house)
    h = hashlib.sha256()
    for role in sorted(house.fonts):
        for bold in (False, True):
            for choice in resolver.role(role, bold).choices:
                face = choice.face
                h.update(f"{role}|{bold}|{choice.candidate}|{face.path}|{face.index}|"
                         f"{choice.fake_bold}|{content_id(face.path)}\n".encode())
    return h.hexdigest()


def face_cmap(face: Face) -> set[int]:
    """The code points a face has glyphs for."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    return set(font.getBestCmap() or {})


def subset_face(face: Face, chars: Iterable[str], cache: Path | None = None,
                use_cache: bool = True) -> Path | None:
    """A TrueType-outline font file with the glyphs of `chars`, cached by content hash.

    None when the face has none of them. `use_cache=False` makes it again.
    """
    codepoints = sorted({ord(c) for c in chars})
    h = hashlib.sha256()
    h.update(f"{SUBSET_VERSION}|{content_id(face.path, use_cache)}|{face.index}|".encode())
    h.update(",".join(map(str, codepoints)).encode())
    out = (cache or cache_root()) / "fonts" / f"{h.hexdigest()[:32]}.ttf"
    none = out.with_suffix(".none")
    if use_cache and out.is_file():
        return out
    if use_cache and none.is_file():
        return None
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), fontNumber=face.index, recalcBBoxes=False,
                  recalcTimestamp=False)  # the same bytes from the same font, whenever made
    drop = ["BDF ", "FFTM", "VORG", "GSUB", "GPOS", "BASE", "JSTF", "DSIG", "vhea", "vmtx"]
    for tag in drop:
        if tag in font:
            del font[tag]  # before the subsetter reads them (the layout tables: 0.1 s)
    opts = subset.Options()
    opts.layout_features = []
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.hinting = False
    opts.drop_tables += drop
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=codepoints)
    quiet = logging.getLogger("fontTools.subset")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "BDF  NOT subset; dropped" and the like
    try:
        sub.subset(font)
    finally:
        quiet.setLevel(level)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not font.getBestCmap():
        none.touch()
        return None
    if "glyf" not in font:
        otf_to_ttf(font)
    from briefgen.fsio import atomic_output

    with atomic_output(out, "the font cache", "set BRIEFGEN_CACHE to a folder you can write to") as tmp:
        font.save(str(tmp))
    return out


def otf_to_ttf(font) -> None:  # noqa: ANN001 - a fontTools TTFont
    """Replace a font's CFF outlines by TrueType (quadratic) ones, in place."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphset)
        glyphset[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    hmtx = font["hmtx"]
    for name, g in glyf.glyphs.items():
        g.recalcBounds(glyf)
        adv, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (adv, getattr(g, "xMin", 0) if g.numberOfContours else 0)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    maxp.recalc(font)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


PARSED_VERSION = 2


class _Pairs:
    """ReportLab's horizontal metrics, (advance, side bearing) per glyph, kept in one array."""

    __slots__ = ("values",)

    def __init__(self, values: array) -> None:
        self.values = values

    def __len__(self) -> int:
        return len(self.values) // 2

    def __getitem__(self, i: int) -> tuple[float, float]:
        if i < 0:
            i += len(self)
        return self.values[2 * i], self.values[2 * i + 1]


class _GlyphToChar(dict):
    """ReportLab's glyph -> characters map, made when first read (only shaping reads it)."""

    def __init__(self, char_to_glyph: dict[int, int]) -> None:
        super().__init__()
        self._c2g = char_to_glyph

    def __missing__(self, gid: int) -> list[int]:
        if not self._c2g:
            raise KeyError(gid)
        for code, g in self._c2g.items():
            self.setdefault(g, []).append(code)
        self._c2g = {}
        return self[gid]


def _pack_face(face) -> dict:  # noqa: ANN001 - a ReportLab TTFontFace
    """A parsed face as plain data: the large tables as arrays, which load in milliseconds."""
    skip = ("_ttf_data", "_pdfScale", "glyphToChar", "charToGlyph", "charWidths", "hmetrics",
            "glyphPos")
    state = {k: v for k, v in face.__dict__.items() if k not in skip}
    state["charToGlyph"] = (array("I", face.charToGlyph), array("I", face.charToGlyph.values()))
    state["charWidths"] = (array("I", face.charWidths), array("d", face.charWidths.values()))
    state["hmetrics"] = array("d", [v for pair in face.hmetrics for v in pair])
    state["glyphPos"] = array("I", face.glyphPos)
    return state


def _unpack_face(state: dict, face_class: type):  # noqa: ANN202 - a ReportLab TTFontFace
    face = face_class.__new__(face_class)
    face.__dict__.update(state)
    face.charToGlyph = dict(zip(*state["charToGlyph"], strict=True))
    face.charWidths = dict(zip(*state["charWidths"], strict=True))
    face.hmetrics = _Pairs(state["hmetrics"])
    face.glyphToChar = _GlyphToChar(face.charToGlyph)
    face._pdfScale = functools.partial(operator.mul, 1000 / face.unitsPerEm)
    return face


def parsed_face(path: Path, index: int = 0, cache: Path | None = None, use_cache: bool = True,
                face_class: type | None = None):  # noqa: ANN201
    """ReportLab's parse of a TrueType face (a ``TTFontFace``), cached by content hash.

    ReportLab reads a face's character map, widths and glyph offsets on every
    registration (≈ 0.05 s for a CJK face). The parse is pickled once, without the
    file's bytes and with its tables as arrays, keyed by the file's content hash, the
    face index and ReportLab's version; loading it takes a few milliseconds. The
    bytes are mapped from the file, read only when the PDF is written (ReportLab
    subsets the face then). A cache that cannot be read or written costs the parse.
    `face_class`: a subclass of ``TTFontFace`` to make (the PDF writer's).
    """
    import mmap
    import pickle

    from reportlab import Version
    from reportlab.pdfbase.ttfonts import TTFontFace

    face_class = face_class or TTFontFace
    key = hashlib.sha256(
        f"{PARSED_VERSION}|{Version}|{content_id(path, use_cache)}|{index}".encode()).hexdigest()
    pickled = (cache or cache_root()) / "fonts" / f"{key[:32]}.rlface"
    face = None
    if use_cache:
        try:
            with pickled.open("rb") as f:
                face = _unpack_face(pickle.load(f), face_class)
        except FileNotFoundError:
            face = None
        except Exception:  # noqa: BLE001 - a damaged or foreign cache file: parse again
            face = None
    if face is None:
        face = face_class(str(path), subfontIndex=index)
        try:
            state = pickle.dumps(_pack_face(face), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, OverflowError):
            state = None  # a face that cannot be cached is only slower to load next time
        if state is not None:
            write_bytes(pickled, state)
    else:
        with path.open("rb") as f:
            face._ttf_data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    return face


class FontFile(NamedTuple):
    path: Path
    index: int = 0


def resolve_font_file(house: House, role: str) -> FontFile:
    """The file (and face index, for a collection) of a role's first available font.

    For the charts: matplotlib takes this file as it is (TrueType or CFF).
    """
    face = FontResolver(house).role(role).primary.face
    return FontFile(face.path, face.index)


# ---- `briefgen fonts` -----------------------------------------------------------------------


def describe(house: House) -> list[dict]:
    resolver = FontResolver(house)
    rows = []
    for role in house.fonts:
        rf = resolver.role(role)
        used = [s for s, st in house.styles.items() if st.font == role]
        rows.append({
            "role": role,
            "word": house.fonts[role].word,
            "styles": used,
            "fonts": [
                {"candidate": c.candidate, "face": c.face.label, "file": str(c.face.path),
                 "index": c.face.index, "outline": c.face.outline,
                 "embedding": "TrueType" if c.face.outline == "TrueType"
                 else "CFF, converted to TrueType"}
                for c in rf.choices
            ],
            "missing": rf.missing,
            "latin": house.fonts[role].latin,
        })
    return rows


def cmd_fonts(args: argparse.Namespace) -> int:
    from briefgen.config.house import load_house

    house_path = Path(args.house)
    if not house_path.is_file():
        raise BriefError("house style file not found", display_path(house_path),
                         hint="give one with --house")
    house = load_house(house_path)
    rows = describe(house)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    out = sys.stdout
    for row in rows:
        first = row["fonts"][0]
        out.write(f"{row['role']}  (Word: {row['word']}; styles: {', '.join(row['styles']) or '-'})\n")
        out.write(f"  PDF font : {first['face']}  [{first['embedding']}]\n")
        out.write(f"  file     : {first['file']}"
                  + (f"  face #{first['index']}" if first['index'] else "") + "\n")
        if first["candidate"] != row["fonts"][0]["face"]:
            out.write(f"  matched  : candidate '{first['candidate']}'\n")
        if len(row["fonts"]) > 1:
            out.write("  fallback : " + " > ".join(
                f"{f['face']} ({f['outline']})" for f in row["fonts"][1:]) + "\n")
        if row["latin"]:
            out.write(f"  Latin    : letters and digits in role '{row['latin']}'\n")
        if row["missing"]:
            out.write("  not found: " + ", ".join(row["missing"]) + "\n")
    return 0


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("fonts", help="show the font each role resolves to for the PDF")
    p.add_argument("--house", type=Path, default=Path("templates/house.yaml"),
                   help="house style file (default: templates/house.yaml)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_fonts)
