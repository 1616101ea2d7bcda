"""The `briefgen fonts` command: which face each role of the house finds, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from briefgen.config.house import House, load_house
from briefgen.errors import InputError, display_path
from briefgen.fonts.resolve import Choice, FontResolver


def _font_row(c: Choice) -> dict[str, Any]:
    return {"candidate": c.candidate, "face": c.face.label, "file": str(c.face.path),
            "index": c.face.index, "outline": c.face.outline,
            "embedding": "TrueType" if c.face.outline == "TrueType"
            else "CFF, converted to TrueType"}


def describe(house: House) -> list[dict[str, Any]]:
    """Per role: its Word name, the styles that use it, the faces found and those missing."""
    resolver = FontResolver(house)
    rows = []
    for role in house.fonts:
        rf = resolver.role(role)
        rows.append({
            "role": role,
            "word": house.fonts[role].word,
            "styles": [s for s, st in house.styles.items() if st.font == role],
            "fonts": [_font_row(c) for c in rf.choices],
            "missing": rf.missing,
            "latin": house.fonts[role].latin,
        })
    return rows


def write_row(out: TextIO, row: dict[str, Any]) -> None:
    first = row["fonts"][0]
    out.write(f"{row['role']}  (Word: {row['word']}; styles: {', '.join(row['styles']) or '-'})\n")
    out.write(f"  PDF font : {first['face']}  [{first['embedding']}]\n")
    face_number = f"  face #{first['index']}" if first["index"] else ""
    out.write(f"  file     : {first['file']}{face_number}\n")
    if first["candidate"] != first["face"]:
        out.write(f"  matched  : candidate '{first['candidate']}'\n")
    if len(row["fonts"]) > 1:
        out.write("  fallback : " + _fallbacks(row["fonts"][1:]) + "\n")
    if row["latin"]:
        out.write(f"  Latin    : letters and digits in role '{row['latin']}'\n")
    if row["missing"]:
        out.write("  not found: " + ", ".join(row["missing"]) + "\n")


def _fallbacks(fonts: list[dict[str, Any]]) -> str:
    return " > ".join(f"{f['face']} ({f['outline']})" for f in fonts)


def cmd_fonts(args: argparse.Namespace) -> int:
    house_path = Path(args.house)
    if not house_path.is_file():
        raise InputError("house style file not found", display_path(house_path),
                         hint="give one with --house")
    rows = describe(load_house(house_path))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        write_row(sys.stdout, row)
    return 0


def register_cli(subparsers: Any) -> None:
    p = subparsers.add_parser("fonts", help="show the font each role resolves to for the PDF")
    p.add_argument("--house", type=Path, default=Path("templates/house.yaml"),
                   help="house style file (default: templates/house.yaml)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=cmd_fonts)
