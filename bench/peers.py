"""The peers a build is measured against: LibreOffice and pandoc -> typst.

* LibreOffice converting our finished .docx to PDF (``soffice --headless
  --convert-to pdf``), its profile made once beforehand so its first-start set-up
  is not counted;
* pandoc (from ``pypandoc-binary``, the bench extra) writing the composed brief's
  Markdown as typst, then typst (the ``typst`` package, the bench extra) making the
  PDF, with the charts as the PNGs briefgen drew, in Noto Serif CJK.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from common import Run, measure

TYPST_HEAD = '#set text(font: ("Noto Serif CJK SC", "Noto Serif SC"), lang: "zh", size: 16pt)\n' \
             '#set page(paper: "a4")\n\n'

_TYPST = (
    "import sys, pypandoc, typst\n"
    "md, typ, pdf = sys.argv[1:4]\n"
    "body = pypandoc.convert_file(md, 'typst', format='markdown')\n"
    "open(typ, 'w', encoding='utf-8').write(open(typ + '.head', encoding='utf-8').read() + body)\n"
    "typst.compile(typ, output=pdf, root='/', font_paths=sys.argv[4:])\n"
)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


class LibreOffice:
    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.exe = soffice()
        self.profile = work / "lo-profile"
        self.out = work / "lo-out"
        self.env = env
        self.primed = False

    def convert(self, docx: Path) -> Run:
        assert self.exe is not None
        cmd = [self.exe, f"-env:UserInstallation=file://{self.profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(self.out), str(docx)]
        if not self.primed:
            measure(cmd, self.env, self.out.parent)  # make the profile
            self.primed = True
        return measure(cmd, self.env, self.out.parent)


def typst_available() -> bool:
    try:
        import pypandoc  # noqa: F401
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def composed_markdown(brief: Path, times: int, cache: Path) -> str:
    """The brief's Markdown as briefgen composes it, its prose `times` over, charts as the
    PNGs in the charts area of the cache root `cache`."""
    from briefgen.cache import area
    from briefgen.compose import compose
    from briefgen.config.brief import load_spec
    from briefgen.data import load_data

    spec = load_spec(brief)
    md = compose(spec, load_data(spec.data_folder())).markdown
    pngs = {p.name.rsplit("-", 1)[0]: p for p in area("charts", cache).folder.glob("*.png")}
    assert pngs, f"no chart drawn in {cache}"
    lines = []
    for line in md.splitlines():
        if line.startswith("![") and "(chart:" in line:
            chart = line.split("(chart:", 1)[1].rstrip(")")
            line = f"![]({pngs[chart]})" if chart in pngs else ""
        lines.append(line)
    first = "\n".join(lines)
    rest = "\n".join(x for x in lines if not x.startswith("!["))
    return "\n\n".join([first, *([rest] * (times - 1))])


class Typst:
    def __init__(self, work: Path, env: dict[str, str]) -> None:
        self.work = work
        self.env = env

    def prepare(self, name: str, markdown: str) -> Path:
        md = self.work / f"{name}.md"
        md.write_text(markdown, "utf-8")
        (self.work / f"{name}.typ.head").write_text(TYPST_HEAD, "utf-8")
        return md

    def build(self, md: Path) -> Run:
        typ = md.with_suffix(".typ")
        cmd = [sys.executable, "-c", _TYPST, str(md), str(typ), str(md.with_suffix(".pdf")),
               "/usr/share/fonts/opentype/noto"]
        return measure(cmd, self.env, self.work)
