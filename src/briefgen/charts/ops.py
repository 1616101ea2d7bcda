"""A drawing as PDF operators, kept as JSON beside its PNG (read without matplotlib)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

OPS_VERSION = 1
# The entry of a drawing that has no operators (it needs page resources): its PNG is placed.
NO_OPS = json.dumps({"version": OPS_VERSION, "ops": None}).encode("utf-8")


@dataclass(frozen=True)
class PdfOps:
    """A drawing as PDF operators, `width` × `height` points."""

    width: float
    height: float
    ops: str

    def to_bytes(self) -> bytes:
        return json.dumps({"version": OPS_VERSION, "width": self.width,
                           "height": self.height, "ops": self.ops}).encode("utf-8")

    @classmethod
    def load(cls, path: Path) -> PdfOps | None:
        try:
            d = json.loads(path.read_text("utf-8"))
            if d.get("version") != OPS_VERSION or d.get("ops") is None:
                return None
            return cls(float(d["width"]), float(d["height"]), str(d["ops"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
