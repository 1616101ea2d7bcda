"""A cold build's fonts are parsed by a helper process while the charts are drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.config.house import load_house
from briefgen.fonts import FontResolver
from briefgen.fonts.warm import first_faces, is_cold, start_warming, warm_faces

from .conftest import ROOT, SAMPLE

# A build in a fresh process that counts the faces ReportLab parses in this process
# (the helper's parses happen in its own); HELPER=off builds without the helper.
_COUNTED_BUILD = (
    "import sys, json, os\n"
    "from pathlib import Path\n"
    "import reportlab.pdfbase.ttfonts as t\n"
    "if os.environ['HELPER'] == 'off':\n"
    "    import briefgen.fonts.warm as w\n"
    "    w.start_warming = lambda *a, **k: w.Helper(None)\n"
    "parsed = []\n"
    "orig = t.TTFontFile.extractInfo\n"
    "t.TTFontFile.extractInfo = lambda self, *a: (parsed.append(1), orig(self, *a))[1]\n"
    "from briefgen.app.pipeline import build\n"
    "build(Path(sys.argv[1]), Path(sys.argv[2]), ['pdf'])\n"
    "print(json.dumps({'parsed': len(parsed)}))\n"
)


def _build(out: Path, cache: Path, helper: str) -> int:
    env = {**os.environ, "BRIEFGEN_CACHE": str(cache), "HELPER": helper}
    proc = subprocess.run([sys.executable, "-c", _COUNTED_BUILD, SAMPLE, str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # the helper says nothing
    return int(json.loads(proc.stdout.strip().splitlines()[-1])["parsed"])


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_a_cold_build_leaves_the_parse_of_the_house_faces_to_the_helper(tmp_path: Path) -> None:
    alone = _build(tmp_path / "alone", tmp_path / "cache-alone", "off")
    helped = _build(tmp_path / "helped", tmp_path / "cache-helped", "on")
    house = load_house(ROOT / "templates" / "house.yaml")
    faces = list(first_faces(house, FontResolver(house, tmp_path / "cache-helped")))
    assert len(faces) >= 4  # song, hei, kai, latin (and bold latin)
    assert helped == alone - len(faces)  # the writer parsed only what the helper did not
    name = Path(SAMPLE).name
    assert _text(tmp_path / "helped" / f"{name}.pdf") == _text(tmp_path / "alone" / f"{name}.pdf")


def test_a_warm_cache_starts_no_helper(tmp_path: Path) -> None:
    house = load_house(ROOT / "templates" / "house.yaml")
    assert is_cold(tmp_path)
    assert warm_faces(house, tmp_path) == len(list(first_faces(house, FontResolver(house,
                                                                                   tmp_path))))
    assert not is_cold(tmp_path)
    assert warm_faces(house, tmp_path) == 0  # each face is parsed once
    assert start_warming(house, tmp_path).process is None


def test_the_helper_is_stopped_when_the_build_fails(tmp_path: Path) -> None:
    house = load_house(ROOT / "templates" / "house.yaml")
    warming = start_warming(house, tmp_path)
    assert warming.process is not None
    process = warming.process
    with pytest.raises(ValueError), warming:
        raise ValueError("a build that fails")
    assert warming.process is None and not process.is_alive()
