"""Where briefgen's own templates are: package data when installed, the checkout's templates/ otherwise."""

from __future__ import annotations

import functools
from importlib.resources import files
from pathlib import Path


@functools.cache
def package_templates() -> Path:
    """The genre templates, house.yaml and reference.docx that ship with briefgen.

    A wheel carries them as ``briefgen/templates`` (pyproject maps the project's
    top-level templates/ there); an editable checkout reads templates/ itself.
    """
    shipped = Path(str(files("briefgen"))) / "templates"
    if (shipped / "house.yaml").is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "templates"
