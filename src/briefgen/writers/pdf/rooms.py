"""Where a document's footnotes settled, remembered in the cache for its next layout.

Keyed by the notes' texts and styles, so an edit of the body (a new figure, a changed
sentence) finds the rooms of the last build; a changed note starts from none.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from briefgen.cache import area
from briefgen.writers.pdf.footnotes import Rooms
from briefgen.writers.pdf.items import TextItem

SUFFIX = "rooms.json"
VERSION = 1


class RoomsMemory:
    """The rooms (page → height given up to notes) the notes of a document last settled on."""

    def __init__(self, cache: Path, notes: dict[int, TextItem], use_cache: bool) -> None:
        self.area = area("index", cache)
        self.use_cache = use_cache
        described = repr([(n, it.style, it.spans) for n, it in sorted(notes.items())])
        self.key = "footnotes-" + hashlib.sha256(
            f"{VERSION}|{described}".encode()).hexdigest()[:32]

    def recall(self) -> Rooms | None:
        if not self.use_cache:
            return None
        data = self.area.get_bytes(self.key, SUFFIX)
        if data is None:
            return None
        try:
            return {int(page): float(room) for page, room in json.loads(data).items()}
        except (ValueError, AttributeError, TypeError):
            return None  # not ours to trust: laid out from no rooms, as on a first build

    def keep(self, rooms: Rooms) -> None:
        self.area.put_bytes(self.key, SUFFIX, json.dumps(rooms).encode())
