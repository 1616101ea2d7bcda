"""Where font files are: the search folders (environment, project, system) and PyPI's fonts."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.config.house import House

FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def system_font_dirs() -> list[Path]:
    """The usual font folders of Linux, macOS and Windows (whether they exist or not)."""
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
    return [Path(p) for p in (pkg.serif_path(), pkg.sans_path()) if Path(p).is_file()]


def _wanted_dirs(house: House | None) -> list[Path]:
    env = os.environ.get("BRIEFGEN_FONT_PATH", "")
    dirs = [Path(p) for p in env.split(os.pathsep) if p]
    if house is not None:
        dirs.append(Path(house.folder).resolve().parent / "fonts")
    dirs.append(Path.cwd() / "fonts")
    if os.environ.get("BRIEFGEN_SYSTEM_FONTS", "1") not in ("0", "no", "false"):
        dirs += system_font_dirs()
    return dirs


def search_dirs(house: House | None = None) -> list[Path]:
    """The existing font folders, in search order, each once."""
    seen: set[Path] = set()
    out = []
    for d in _wanted_dirs(house):
        try:
            key = d.resolve()
        except OSError:
            continue
        if key not in seen and d.is_dir():
            seen.add(key)
            out.append(d)
    return out


def font_files(dirs: list[Path]) -> list[Path]:
    """Every font file under the folders, in folder order, names sorted."""
    files: list[Path] = []
    for d in dirs:
        for root, _subdirs, names in os.walk(d):
            files += [Path(root) / n for n in sorted(names) if n.lower().endswith(FONT_SUFFIXES)]
    return files
