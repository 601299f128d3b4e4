"""The persistent index behind ``dedup check``: what every file of a corpus holds,
kept between runs so that a commit is checked against the whole corpus without
reading it again.

Per paragraph the index keeps its record (:mod:`dedup.precommit.records`) and
the two ways of finding it: LSH band keys of its MinHash signature (copies) and
its anchor shingles (pieces, :func:`dedup.matching.index.anchors`, a fixed
quarter of all hash values).

Files are keyed by the SHA-256 of their bytes, so only new and changed files
are processed; a file's size and modification time tell, without reading it,
that it has not changed.  The settings and library versions that the stored
data depends on are recorded as a fingerprint: an index made under another
fingerprint is never used (the caller rebuilds it).

Two backends behind one interface (:class:`Store`), chosen by :func:`open_store`
from the location, so that nothing else mentions SQLite or Redis:
:class:`~dedup.precommit.sqlite_store.SQLiteStore` (default
``.dedup/index.sqlite``) and :class:`~dedup.precommit.redis_store.RedisStore`
(``redis://host:port/db``, an index shared by a team).
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from dedup.config import Config
from dedup.errors import IndexDamaged
from dedup.limits import ANCHOR_EVERY
from dedup.matching.index import anchors, band_keys, band_layout
from dedup.matching.signature import sign
from dedup.precommit.records import (
    FileRecord,
    FileState,
    Hits,
    IndexStats,
    ParagraphRecord,
    Place,
    Probe,
    StoredParagraph,
)

SCHEMA_VERSION = 1
#: ids per ``IN (...)`` list or per Redis ``HMGET``
BATCH_IDS = 500
#: the location schemes of a Redis index
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


class Store(ABC):
    """An index of a corpus: files by content hash, paragraphs, and their lookups."""

    location: str
    config: Config

    @abstractmethod
    def fingerprint(self) -> dict[str, str] | None:
        """The fingerprint the index was built under; ``None`` when it is new (empty)."""

    @abstractmethod
    def reset(self, force: bool = True) -> None:
        """Empty the index and record the current fingerprint (unless, without
        ``force``, it already has that fingerprint: another run just reset it)."""

    @abstractmethod
    def files(self) -> dict[str, FileState]:
        """Every indexed file by path."""

    @abstractmethod
    def write(
        self,
        records: Sequence[FileRecord] = (),
        removed: Sequence[str] = (),
        touched: Sequence[FileState] = (),
    ) -> None:
        """In one transaction: (re)index ``records``, forget ``removed`` paths,
        and update the size and time of ``touched`` files whose content is unchanged."""

    @abstractmethod
    def lookup(self, probes: Sequence[Probe]) -> list[Hits]:
        """Candidates for each probe."""

    @abstractmethod
    def locate(self, ids: Iterable[int]) -> dict[int, Place]:
        """Where paragraphs are (ids no longer in the index are left out)."""

    @abstractmethod
    def fetch(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        """Paragraphs with their data (ids no longer in the index are left out)."""

    @abstractmethod
    def file_paragraphs(self, path: str) -> list[StoredParagraph]:
        """The indexed paragraphs of one file, in order."""

    @abstractmethod
    def stats(self) -> IndexStats: ...

    @abstractmethod
    def verify(self) -> list[str]:
        """Problems found by a full consistency check (empty when the index is sound)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wanted_fingerprint(self) -> dict[str, str]:
        return index_fingerprint(self.config)

    def new_meta(self) -> dict[str, str]:
        """What a freshly reset index records about itself."""
        return {
            "fingerprint": json.dumps(self.wanted_fingerprint(), sort_keys=True),
            "schema_version": str(SCHEMA_VERSION),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }

    def read_fingerprint(self, raw: str | bytes) -> dict[str, str]:
        """A stored fingerprint (JSON), or ``IndexDamaged`` when it cannot be read."""
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise IndexDamaged(self.location, f"unreadable fingerprint: {err}") from None
        if not isinstance(value, dict):
            raise IndexDamaged(self.location, "unreadable fingerprint")
        return {str(k): str(v) for k, v in value.items()}


def is_redis(location: str) -> bool:
    """Whether an index location names a Redis server rather than a SQLite file."""
    return location.startswith(REDIS_SCHEMES)


def sqlite_path(location: str, root: Path) -> Path:
    """The file of a SQLite index (a relative location is relative to the repository ``root``)."""
    path = Path(location)
    return path if path.is_absolute() else root / path


def open_store(location: str, root: Path, config: Config) -> Store:
    """The index at ``location``: a ``redis://`` URL, or a SQLite file path
    (relative paths are relative to the repository ``root``)."""
    # The backends subclass Store, so they are imported here rather than at the
    # top (a cycle); the Redis one also needs the optional redis package.
    if is_redis(location):
        from dedup.precommit.redis_store import RedisStore

        return RedisStore(location, config)
    from dedup.precommit.sqlite_store import SQLiteStore

    return SQLiteStore(sqlite_path(location, root), config)


# --------------------------------------------------------------------------- fingerprint


def index_fingerprint(config: Config) -> dict[str, str]:
    """What the stored data depends on: library versions, hashing scheme, segmenter
    and the settings that shape keys, shingles, signatures and bands (not the
    thresholds of the decisions, which are applied at check time)."""
    base = {k: v for k, v in config.fingerprint().items() if k != "settings"}
    bands, rows = band_layout(config.lsh_threshold, config.num_perm)
    return {
        "schema": str(SCHEMA_VERSION),
        **base,
        "shingle_size": str(config.shingle_size),
        "num_perm": str(config.num_perm),
        "seed": str(config.seed),
        "min_chars": str(config.min_chars),
        "bands": f"{bands}x{rows}",
        "anchors": f"1/{ANCHOR_EVERY}",
    }


def describe_mismatch(stored: dict[str, str], wanted: dict[str, str]) -> str:
    """``num_perm 64 -> 128, segmenter ...``: what differs between two fingerprints."""
    changes = [
        f"{key} {stored.get(key, '-')} -> {wanted.get(key, '-')}"
        for key in sorted(set(stored) | set(wanted))
        if stored.get(key) != wanted.get(key)
    ]
    return ", ".join(changes)


# --------------------------------------------------------------------------- what both backends index


def signable(record: ParagraphRecord, config: Config) -> bool:
    """Paragraphs long enough to be matched other than exactly get a signature."""
    return record.size >= config.min_chars and len(record.hashes) > 0


def anchor_hashes(hashes: np.ndarray) -> list[int]:
    """The anchor shingles a paragraph is posted under."""
    return [int(h) for h in anchors(np.unique(hashes), ANCHOR_EVERY).tolist()]


def stored_band_keys(signatures: np.ndarray, config: Config) -> np.ndarray:
    """32-bit band keys (signed, as SQLite stores them in 4 bytes), one row per signature."""
    bands, rows = band_layout(config.lsh_threshold, config.num_perm)
    keys = band_keys(signatures, bands, rows)
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.int32)


def signatures(records: Sequence[ParagraphRecord], config: Config) -> np.ndarray:
    """Signatures of records (their own when carried, else recomputed from the stored shingles)."""
    missing = [r for r in records if r.signature is None]
    made = iter(sign([np.unique(r.hashes) for r in missing], config)) if missing else iter(())
    rows = [r.signature if r.signature is not None else next(made) for r in records]
    return np.vstack(rows) if rows else np.zeros((0, config.num_perm), dtype=np.uint32)


def most_shared(
    anchors: Iterable[int], postings: Mapping[int, Sequence[int] | None]
) -> tuple[tuple[int, int], ...]:
    """Paragraphs posted under the ``anchors`` and how many of them each shares,
    most shared first (then by id); ``postings`` holds the followed anchors."""
    counts: Counter[int] = Counter()
    for h in anchors:
        counts.update(postings.get(h) or ())
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def batches(values: Sequence[int], size: int = BATCH_IDS) -> Iterator[Sequence[int]]:
    """``values`` in slices of at most ``size`` (one query each)."""
    for first in range(0, len(values), size):
        yield values[first : first + size]
