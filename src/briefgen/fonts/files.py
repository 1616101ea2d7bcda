"""Font files as cache keys: a stamp (path, size, time) or a content hash; cache writes.

A stamp costs one ``stat`` and serves keys that only need to change when the file
does (the embedded subsets' cache, the render key). The content hash reads the whole file; it
is kept for keys that must survive a copy of the font to another path or machine
(converted subsets), and memoised by stamp in the ``index`` area of the cache root
it is given.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from briefgen.cache import area
from briefgen.errors import BriefError
from briefgen.fsio import atomic_output

HASH_MEMO = "font-hashes"  # an entry of the index area (.json)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is only slower."""
    try:
        with atomic_output(path, "the font cache") as tmp:
            tmp.write_bytes(data)
    except (BriefError, OSError):
        pass


def write_json(path: Path, data: object) -> None:
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def file_stamp(path: Path) -> str:
    """Path, size and modification time: changes whenever the file is replaced or edited."""
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def hash_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_json(root: Path | None, key: str) -> object:
    """An entry of the cache's index area, as JSON; None when it is missing or damaged."""
    data = area("index", root).get_bytes(key, "json")
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def put_json(root: Path | None, key: str, value: object) -> None:
    """Keep an entry of the index area (a cache that cannot be written is only slower)."""
    area("index", root).put_bytes(key, "json", json.dumps(value, ensure_ascii=False).encode())


# stamp -> digest, and the memo folders already read, for this process
_digests: dict[str, str] = {}
_memos_read: set[Path] = set()


def _read_memo(root: Path | None) -> dict[str, str]:
    data = read_json(root, HASH_MEMO)
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def content_id(path: Path, use_cache: bool = True, cache: Path | None = None) -> str:
    """A hash of a font file's bytes, memoised by stamp (in memory and under `cache`)."""
    stamp = file_stamp(path)
    if not use_cache:
        return hash_file(path)
    folder = area("index", cache).folder
    if folder not in _memos_read:
        _memos_read.add(folder)
        _digests.update(_read_memo(cache))
    digest = _digests.get(stamp)
    if digest is None:
        digest = hash_file(path)
        _digests[stamp] = digest
        memo = _read_memo(cache)
        memo[stamp] = digest
        put_json(cache, HASH_MEMO, memo)
    return digest
