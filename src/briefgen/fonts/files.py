"""Font files as cache keys: a stamp (path, size, time) or a content hash; cache writes.

A stamp costs one ``stat`` and serves keys that only need to change when the file
does (the parse cache, the render key). The content hash reads the whole file; it
is kept for keys that must survive a copy of the font to another path or machine
(converted subsets), and memoised by stamp in the cache folder it is given.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from briefgen.cache import cache_root
from briefgen.errors import BriefError
from briefgen.fsio import atomic_output

HASH_MEMO = "font-hashes.json"


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


# stamp -> digest, and the memo files already read, for this process
_digests: dict[str, str] = {}
_memos_read: set[Path] = set()


def _read_memo(memo_file: Path) -> dict[str, str]:
    try:
        data = json.loads(memo_file.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def content_id(path: Path, use_cache: bool = True, cache: Path | None = None) -> str:
    """A hash of a font file's bytes, memoised by stamp (in memory and in `cache`)."""
    stamp = file_stamp(path)
    if not use_cache:
        return hash_file(path)
    memo_file = (cache or cache_root()) / HASH_MEMO
    if memo_file not in _memos_read:
        _memos_read.add(memo_file)
        _digests.update(_read_memo(memo_file))
    digest = _digests.get(stamp)
    if digest is None:
        digest = hash_file(path)
        _digests[stamp] = digest
        memo = _read_memo(memo_file)
        memo[stamp] = digest
        write_json(memo_file, memo)
    return digest
