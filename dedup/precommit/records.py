"""What the index of ``dedup check`` stores, and how its fields are encoded.

Per paragraph the index keeps what the matcher needs to verify a candidate
without segmenting its file again (its shingle hashes and word lengths, its
place in the file), not its text: the file is in the repository, and a
candidate's key is taken from it again, checked against the key hash kept here.

The encodings are the on-disk format of both backends (``sqlite_store``,
``redis_store``) and must not change without a new schema version: shingle
hashes as uint32 little endian, word lengths as a width byte then uint8/16/32
values, shapes as their position in :data:`dedup.limits.SHAPE_CODES`
(body 0, heading 1), key hashes as signed 64-bit integers.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import xxhash

from dedup.limits import SHAPE_CODES
from dedup.matching.item import Item
from dedup.matching.shingle import distinct
from dedup.records import Shape, Shingles

#: how shingle hashes are stored: uint32, little endian
HASH_DTYPE = np.dtype("<u4")


@dataclass(frozen=True, slots=True)
class FileState:
    """What identifies the content of a corpus file (``path`` is repo-relative, POSIX)."""

    path: str
    sha: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True, eq=False)
class ParagraphRecord:
    """One paragraph as the index keeps it.

    Offsets are ``str`` indices into the file's text; ``line``/``col`` (1-based)
    are where the paragraph starts.  ``signature`` is only carried while writing
    (the bands are made from it); it is not stored.
    """

    index: int
    line: int
    col: int
    start: int
    end: int
    content_start: int
    content_end: int
    shape: Shape
    key_hash: int
    size: int
    hashes: np.ndarray
    tokens: np.ndarray
    signature: np.ndarray | None = None

    def shingles(self, size: int) -> Shingles:
        """The paragraph's shingles, as ``dedup.matching.shingle.shingles`` made them."""
        bounds = np.zeros(len(self.tokens) + 1, dtype=np.int32)
        np.cumsum(self.tokens, out=bounds[1:])
        count = len(self.hashes)
        width = min(size, len(self.tokens))
        spans = np.stack([bounds[:count], bounds[width : width + count]], axis=1).astype(np.int32)
        return Shingles(self.hashes, spans.reshape(count, 2), len(self.tokens), distinct(self.hashes))


@dataclass(frozen=True, slots=True)
class FileRecord:
    """A file and its paragraphs, ready to be written."""

    state: FileState
    paragraphs: tuple[ParagraphRecord, ...]


@dataclass(frozen=True, slots=True)
class StoredParagraph:
    """A paragraph read back from the index."""

    id: int
    path: str
    record: ParagraphRecord


@dataclass(frozen=True, slots=True)
class Place:
    """Where an indexed paragraph is, without its data (for ordering candidates)."""

    id: int
    path: str
    index: int
    key_hash: int


@dataclass(frozen=True, slots=True, eq=False)
class Probe:
    """What a paragraph is looked up by."""

    key_hash: int
    distinct: np.ndarray
    signature: np.ndarray | None


@dataclass(frozen=True, slots=True)
class Hits:
    """Indexed paragraphs that may repeat a probe: same key, a shared LSH band,
    shared anchor shingles (id and count, most shared first)."""

    exact: tuple[int, ...]
    near: tuple[int, ...]
    shared: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class IndexStats:
    location: str
    backend: Literal["sqlite", "redis"]
    files: int
    paragraphs: int
    bands: int
    postings: int
    bytes: int
    fingerprint: dict[str, str]


# --------------------------------------------------------------------------- codecs


def key_hash(text: str) -> int:
    """64-bit hash of a paragraph key, signed (as SQLite stores integers)."""
    value = xxhash.xxh3_64_intdigest(text.encode("utf-8"))
    return value - (1 << 64) if value >= 1 << 63 else value


def pack_tokens(lengths: Sequence[int] | np.ndarray) -> bytes:
    """Word lengths as a width byte (1, 2 or 4) followed by the values at that width."""
    values = np.asarray(lengths, dtype=np.int64)
    top = int(values.max()) if len(values) else 0
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    return bytes([width]) + values.astype(f"<u{width}").tobytes()


def unpack_tokens(blob: bytes) -> np.ndarray:
    if not blob:
        return np.zeros(0, dtype=np.int32)
    return np.frombuffer(blob, dtype=f"<u{blob[0]}", offset=1).astype(np.int32)


def pack_hashes(hashes: np.ndarray) -> bytes:
    """Shingle hashes in order, as stored (uint32, little endian)."""
    return np.asarray(hashes, dtype=HASH_DTYPE).tobytes()


def unpack_hashes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=HASH_DTYPE)


def shape_code(shape: Shape) -> int:
    """The stored code of a paragraph shape (its position in ``SHAPE_CODES``)."""
    return SHAPE_CODES.index(shape)


def shape_name(code: int) -> Shape:
    """The shape a stored code stands for (an unknown code reads as body)."""
    return SHAPE_CODES[code] if 0 <= code < len(SHAPE_CODES) else "body"


def stored_fields(p: ParagraphRecord) -> tuple[int, ...]:
    """A record's scalar fields in the order both backends store them (index, line,
    col, start, end, content start and end, shape code, key hash, size)."""
    return (
        p.index, p.line, p.col, p.start, p.end, p.content_start, p.content_end, shape_code(p.shape),
        p.key_hash, p.size,
    )  # fmt: skip


def stored_paragraph(
    pid: int, path: str, fields: Sequence[Any], shingles: bytes, tokens: bytes
) -> StoredParagraph:
    """A stored paragraph from its scalar fields as SQLite and Redis keep them
    (:func:`stored_fields`) and its shingle and token blobs."""
    index, line, col, start, end, content_start, content_end, shape, key, size = fields
    record = ParagraphRecord(
        index,
        line,
        col,
        start,
        end,
        content_start,
        content_end,
        shape_name(shape),
        key,
        size,
        unpack_hashes(shingles),
        unpack_tokens(tokens),
    )
    return StoredParagraph(pid, path, record)


def bare_record(size: int, shingles: bytes, tokens: bytes) -> ParagraphRecord:
    """A record with only what its lookups are made from (size, shingles, words):
    enough to find the band and posting rows of a paragraph being removed."""
    return ParagraphRecord(
        0, 0, 0, 0, 0, 0, 0, "body", 0, size, unpack_hashes(shingles), unpack_tokens(tokens)
    )


# --------------------------------------------------------------------------- from the cleaner's items


def line_starts(text: str) -> list[int]:
    """The offset where each line of ``text`` starts."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``, given the ``line_starts`` of its text."""
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def token_lengths(sh: Shingles) -> np.ndarray:
    """Word lengths of a key, recovered from its shingle spans."""
    if not sh.tokens:
        return np.zeros(0, dtype=np.int32)
    count = len(sh.hashes)
    width = sh.tokens - count + 1
    bounds = np.zeros(sh.tokens + 1, dtype=np.int64)
    bounds[:count] = sh.spans[:, 0]
    bounds[width : width + count] = sh.spans[:, 1]
    return np.diff(bounds).astype(np.int32)


def paragraph_records(text: str, items: Sequence[Item]) -> tuple[ParagraphRecord, ...]:
    """The records of a file's paragraphs, from the items the cleaner made of its text."""
    starts = line_starts(text)
    out: list[ParagraphRecord] = []
    for it in items:
        p = it.paragraph
        line, col = line_col(starts, p.start)
        out.append(
            ParagraphRecord(
                index=p.index,
                line=line,
                col=col,
                start=p.start,
                end=p.end,
                content_start=p.content_start,
                content_end=p.content_end,
                shape=p.shape,
                key_hash=key_hash(it.key.text),
                size=it.size,
                hashes=np.asarray(it.shingles.hashes, dtype=np.uint32),
                tokens=token_lengths(it.shingles),
                signature=it.signature,
            )
        )
    return tuple(out)
