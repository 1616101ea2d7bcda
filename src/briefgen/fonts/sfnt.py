"""A font's tables read in place: a character's glyph, a glyph's metrics and its outline's place.

A CJK face maps 40k+ characters to 30k+ glyphs; a brief draws a few thousand.
Decoding a whole character map or metrics table costs 0.05–0.1 s per face in
Python (ReportLab's parse, fontTools' decompile); looking up the few characters
drawn, by binary search in the raw bytes, costs microseconds each. The data is
the file's bytes or a memory map of it; offsets are absolute in it.
"""

from __future__ import annotations

import mmap
import struct

Buffer = bytes | mmap.mmap  # a table's bytes, or a memory map of the font file

CMAP_FORMATS = (4, 12, 13)  # the subtable formats CharMap reads in place


def u16(data: Buffer, pos: int) -> int:
    value: int = struct.unpack_from(">H", data, pos)[0]
    return value


def u32(data: Buffer, pos: int) -> int:
    value: int = struct.unpack_from(">I", data, pos)[0]
    return value


def _first_at_least(data: Buffer, start: int, stride: int, count: int, size: int,
                    value: int) -> int:
    """The index of the first of `count` sorted numbers (`size` bytes, `stride` apart)
    that is >= value; `count` when none is."""
    read = u16 if size == 2 else u32
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if read(data, start + stride * mid) < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


class CharMap:
    """One character-map subtable (format 4, 12 or 13), looked up in place.

    `glyph` answers what a full decode of the subtable (ReportLab's) maps a code to:
    every code of a format-4 segment is mapped (to glyph 0 where the segment's
    glyph array says so), every code of a format-12/13 group too.
    """

    def __init__(self, data: Buffer, offset: int) -> None:
        self.data = data
        self.offset = offset
        self.format = u16(data, offset)
        if self.format == 4:
            self.limit = offset + u16(data, offset + 2)
            self.segments = u16(data, offset + 6) // 2
            self.ends = offset + 14
            self.starts = self.ends + 2 * self.segments + 2  # after a reserved pad
            self.deltas = self.starts + 2 * self.segments
            self.ranges = self.deltas + 2 * self.segments
        elif self.format in (12, 13):
            self.groups = u32(data, offset + 12)
        else:
            raise ValueError(f"cmap format {self.format} is not read in place")

    def glyph(self, code: int) -> int | None:
        """The glyph `code` is mapped to, None when it is not in the map."""
        if self.format == 4:
            return self._format4(code)
        return self._grouped(code)

    def _format4(self, code: int) -> int | None:
        if code > 0xFFFF:
            return None
        d = self.data
        i = _first_at_least(d, self.ends, 2, self.segments, 2, code)
        if i == self.segments:
            return None
        start = u16(d, self.starts + 2 * i)
        if start > code:
            return None
        delta = u16(d, self.deltas + 2 * i)
        rng = u16(d, self.ranges + 2 * i)
        if rng == 0:
            return (code + delta) & 0xFFFF
        pos = self.ranges + 2 * i + rng + 2 * (code - start)
        if pos >= self.limit:  # a broken font's range points past its subtable
            return 0
        gid = u16(d, pos)
        return (gid + delta) & 0xFFFF if gid else 0

    def _grouped(self, code: int) -> int | None:
        d, base = self.data, self.offset + 16  # groups of (start code, end code, glyph)
        i = _first_at_least(d, base + 4, 12, self.groups, 4, code)
        if i == self.groups:
            return None
        first, gid = u32(d, base + 12 * i), u32(d, base + 12 * i + 8)
        if first > code:
            return None
        return gid if self.format == 13 else gid + code - first


class HorizontalMetrics:
    """The hmtx table in place: a glyph's (advance, left side bearing), in font units.

    The side bearing is read unsigned, as ReportLab keeps it (it writes it back
    unsigned into the subsets it embeds).
    """

    def __init__(self, data: Buffer, offset: int, full: int, glyphs: int) -> None:
        self.data, self.offset, self.full, self.glyphs = data, offset, full, glyphs

    def __len__(self) -> int:
        return self.glyphs

    def advance(self, gid: int) -> int:
        """The advance of a glyph; those after the last full pair have its advance."""
        return u16(self.data, self.offset + 4 * min(gid, self.full - 1))

    def __getitem__(self, gid: int) -> tuple[float, int]:
        if not 0 <= gid < self.glyphs:
            raise IndexError(gid)
        if gid < self.full:
            pos = self.offset + 4 * gid
            return u16(self.data, pos), u16(self.data, pos + 2)
        return self.advance(gid), u16(self.data, self.offset + 4 * self.full + 2 * (gid - self.full))


class GlyphOffsets:
    """The loca table in place: where each glyph's outline starts in glyf (glyphs + 1)."""

    def __init__(self, data: Buffer, offset: int, long_format: bool, glyphs: int) -> None:
        self.data, self.offset, self.long, self.count = data, offset, long_format, glyphs + 1

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> int:
        if not 0 <= i < self.count:
            raise IndexError(i)
        if self.long:
            return u32(self.data, self.offset + 4 * i)
        return u16(self.data, self.offset + 2 * i) << 1
