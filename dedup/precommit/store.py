"""The persistent index behind ``dedup check``: what every file of a corpus holds,
kept between runs so that a commit is checked against the whole corpus without
reading it again.

Per paragraph the index keeps what the matcher needs to verify a candidate
without segmenting its file again (its shingle hashes and word lengths, its
place in the file) and the two ways of finding it: LSH band keys of its MinHash
signature (copies) and its anchor shingles (pieces).  The paragraph's text is
not kept: the file is in the repository, and a candidate's key is taken from it
again, checked against the key hash recorded here.

Files are keyed by the SHA-256 of their bytes, so only new and changed files
are processed; a file's size and modification time tell, without reading it,
that it has not changed.  The settings and library versions that the stored
data depends on are recorded as a fingerprint: an index made under another
fingerprint is never used (the caller rebuilds it).

Two backends, one interface (:class:`Store`):

``SQLiteStore`` (default ``.dedup/index.sqlite``), schema version 1::

    meta(key, value)                     fingerprint (JSON), schema version
    files(id, path UNIQUE, sha, size, mtime_ns, paragraphs)
    paragraphs(id, file, idx, line, col, start, end_, content_start, content_end,
               shape, key_hash, size, shingles BLOB, tokens BLOB)
        index (file, idx), index (key_hash)
    bands(key, paragraph)     WITHOUT ROWID, primary key (key, paragraph)
    postings(shingle, paragraph) WITHOUT ROWID, primary key (shingle, paragraph)

``shingles`` are the paragraph's shingle hashes in order (uint32, little
endian); ``tokens`` its word lengths (a width byte, then uint8/16/32 values),
from which the character span of every shingle follows.  ``bands`` holds the
low 32 bits of each LSH band key (a chance collision only adds a candidate,
which is verified anyway); ``postings`` only the anchor shingles
(:func:`dedup.matching.index.anchors`, a fixed quarter of all hash values).  Writes are
transactions (``BEGIN IMMEDIATE``) on a database in WAL mode, so concurrent
runs wait for each other instead of corrupting it; removing a file's paragraphs
removes their band and posting rows too, recomputed from the stored shingles.

``RedisStore`` (``redis://host:port/db``) keeps the same records in Redis, for
an index shared by a team, with datasketch's ``MinHashLSH`` on Redis storage
for the bands.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs, urlsplit

import numpy as np

from dedup.config import Config
from dedup.errors import ConfigError, DedupError
from dedup.matching.shingle import distinct
from dedup.records import Shape, Shingles

if TYPE_CHECKING:
    from datasketch import MinHashLSH

SCHEMA_VERSION = 1
#: anchor shingles are those whose hash is a multiple of this (see ``dedup.matching.index.anchors``)
ANCHOR_EVERY = 4
#: a shingle in more paragraphs than this is a stock phrase: it proposes no candidates
MAX_POSTINGS = 64
_U32 = np.dtype("<u4")
_CHUNK = 500  # ids per ``IN (...)`` list


class StoreError(DedupError):
    """The index cannot be used (base class)."""


class IndexDamaged(StoreError):
    """The index file is not a readable dedup index."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: index is damaged ({reason})")
        self.location = location
        self.reason = reason


class IndexUnavailable(StoreError):
    """The index cannot be opened or reached (permissions, server down, locked too long)."""


# --------------------------------------------------------------------------- records


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


# --------------------------------------------------------------------------- helpers


def index_fingerprint(config: Config) -> dict[str, str]:
    """What the stored data depends on: library versions, hashing scheme, segmenter
    and the settings that shape keys, shingles, signatures and bands (not the
    thresholds of the decisions, which are applied at check time)."""
    from dedup.matching.index import band_layout

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


def signable(record: ParagraphRecord, config: Config) -> bool:
    """Paragraphs long enough to be matched other than exactly get a signature."""
    return record.size >= config.min_chars and len(record.hashes) > 0


def _anchors(hashes: np.ndarray) -> list[int]:
    from dedup.matching.index import anchors

    return [int(h) for h in anchors(np.unique(hashes), ANCHOR_EVERY).tolist()]


def _band_keys(signatures: np.ndarray, config: Config) -> np.ndarray:
    """32-bit band keys (signed, as SQLite stores them in 4 bytes), one row per signature."""
    from dedup.matching.index import band_keys, band_layout

    bands, rows = band_layout(config.lsh_threshold, config.num_perm)
    keys = band_keys(signatures, bands, rows)
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.int32)


def _signatures(records: Sequence[ParagraphRecord], config: Config) -> np.ndarray:
    """Signatures of records (their own when carried, else recomputed from the stored shingles)."""
    from dedup.matching.signature import sign

    missing = [r for r in records if r.signature is None]
    made = iter(sign([np.unique(r.hashes) for r in missing], config)) if missing else iter(())
    rows = [r.signature if r.signature is not None else next(made) for r in records]
    return np.vstack(rows) if rows else np.zeros((0, config.num_perm), dtype=np.uint32)


def pack_tokens(lengths: Sequence[int] | np.ndarray) -> bytes:
    values = np.asarray(lengths, dtype=np.int64)
    top = int(values.max()) if len(values) else 0
    width = 1 if top < 1 << 8 else 2 if top < 1 << 16 else 4
    return bytes([width]) + values.astype(f"<u{width}").tobytes()


def unpack_tokens(blob: bytes) -> np.ndarray:
    if not blob:
        return np.zeros(0, dtype=np.int32)
    return np.frombuffer(blob, dtype=f"<u{blob[0]}", offset=1).astype(np.int32)


def _chunks(values: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    for first in range(0, len(values), size):
        yield values[first : first + size]


_SHAPES: dict[str, int] = {"body": 0, "heading": 1}
_SHAPE_NAMES: dict[int, Shape] = {0: "body", 1: "heading"}


# --------------------------------------------------------------------------- interface


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


def open_store(location: str, root: Path, config: Config) -> Store:
    """The index at ``location``: a ``redis://`` URL, or a SQLite file path
    (relative paths are relative to the repository ``root``)."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(location, config)
    path = Path(location)
    if not path.is_absolute():
        path = root / path
    return SQLiteStore(path, config)


# --------------------------------------------------------------------------- SQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    sha TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paragraphs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    line INTEGER NOT NULL,
    col INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end_ INTEGER NOT NULL,
    content_start INTEGER NOT NULL,
    content_end INTEGER NOT NULL,
    shape INTEGER NOT NULL,
    key_hash INTEGER NOT NULL,
    size INTEGER NOT NULL,
    shingles BLOB NOT NULL,
    tokens BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_file ON paragraphs(file, idx);
CREATE INDEX IF NOT EXISTS paragraphs_key ON paragraphs(key_hash);
CREATE TABLE IF NOT EXISTS bands(
    key INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (key, paragraph)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS postings(
    shingle INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (shingle, paragraph)
) WITHOUT ROWID;
"""
_TABLES = ("meta", "files", "paragraphs", "bands", "postings")
_COLUMNS = (
    "p.id, f.path, p.idx, p.line, p.col, p.start, p.end_, p.content_start, p.content_end, "
    "p.shape, p.key_hash, p.size, p.shingles, p.tokens"
)
_JOINED = "paragraphs p JOIN files f ON f.id = p.file"
_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CORRUPT_INDEX", "SQLITE_CORRUPT_SEQUENCE"}


def _is_damage(err: sqlite3.Error) -> bool:
    name = getattr(err, "sqlite_errorname", "") or ""
    message = str(err).lower()
    return (
        name in _DAMAGE_CODES
        or "malformed" in message
        or "not a database" in message
        or "no such table" in message
        or "no such column" in message
    )


class SQLiteStore(Store):
    """The index in one SQLite file (WAL mode; writers take turns)."""

    def __init__(self, path: Path, config: Config, timeout: float = 60.0) -> None:
        self.path = path
        self.location = str(path)
        self.config = config
        self._timeout = timeout
        self._db = self._connect()

    # -- connection and errors

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_directory(self.path.parent)
            db = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        except (OSError, sqlite3.Error) as err:
            raise IndexUnavailable(f"{self.location}: cannot open index: {err}") from None
        # Two runs creating the same index at once can meet a lock that SQLite
        # reports at once instead of waiting for (switching to WAL, creating the
        # schema): the setup is retried until the timeout.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
                mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
                if mode is None or str(mode[0]).lower() != "wal":
                    raise IndexUnavailable(f"{self.location}: cannot switch the index to WAL mode")
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("PRAGMA cache_size = -65536")
                db.executescript(_SCHEMA)
                self._check_tables(db)
                return db
            except sqlite3.OperationalError as err:
                if "locked" in str(err) or "busy" in str(err):
                    if time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                db.close()
                raise self._error(err) from None
            except sqlite3.Error as err:
                db.close()
                raise self._error(err) from None

    def _check_tables(self, db: sqlite3.Connection) -> None:
        for table in _TABLES:
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()

    def _error(self, err: sqlite3.Error) -> DedupError:
        if _is_damage(err):
            return IndexDamaged(self.location, str(err))
        return IndexUnavailable(f"{self.location}: {err}")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as err:
            raise self._error(err) from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    # -- meta

    def fingerprint(self) -> dict[str, str] | None:
        with self._guard():
            row = self._db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError as err:
            raise IndexDamaged(self.location, f"unreadable fingerprint: {err}") from None
        if not isinstance(value, dict):
            raise IndexDamaged(self.location, "unreadable fingerprint")
        return {str(k): str(v) for k, v in value.items()}

    def reset(self, force: bool = True) -> None:
        with self._transaction() as db:
            if not force and self.fingerprint() == self.wanted_fingerprint():
                return
            for table in _TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            if _has_sequence(db):
                db.execute("DELETE FROM sqlite_sequence")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [
                    ("fingerprint", json.dumps(self.wanted_fingerprint(), sort_keys=True)),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("created", time.strftime("%Y-%m-%dT%H:%M:%S%z")),
                ],
            )

    # -- files

    def files(self) -> dict[str, FileState]:
        with self._guard():
            rows = self._db.execute("SELECT path, sha, size, mtime_ns FROM files").fetchall()
        return {path: FileState(path, sha, size, mtime) for path, sha, size, mtime in rows}

    def write(
        self,
        records: Sequence[FileRecord] = (),
        removed: Sequence[str] = (),
        touched: Sequence[FileState] = (),
    ) -> None:
        if not records and not removed and not touched:
            return
        with self._transaction() as db:
            for path in removed:
                row = db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
                if row is not None:
                    self._drop_paragraphs(db, row[0])
                    db.execute("DELETE FROM files WHERE id = ?", (row[0],))
            for state in touched:
                db.execute(
                    "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ? AND sha = ?",
                    (state.size, state.mtime_ns, state.path, state.sha),
                )
            for record in records:
                self._write_file(db, record)

    def _write_file(self, db: sqlite3.Connection, record: FileRecord) -> None:
        state = record.state
        row = db.execute("SELECT id, sha FROM files WHERE path = ?", (state.path,)).fetchone()
        if row is not None and row[1] == state.sha:
            # another run got here first with the same content
            db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (state.size, state.mtime_ns, row[0])
            )
            return
        if row is not None:
            file_id = row[0]
            self._drop_paragraphs(db, file_id)
            db.execute(
                "UPDATE files SET sha = ?, size = ?, mtime_ns = ?, paragraphs = ? WHERE id = ?",
                (state.sha, state.size, state.mtime_ns, len(record.paragraphs), file_id),
            )
        else:
            cursor = db.execute(
                "INSERT INTO files(path, sha, size, mtime_ns, paragraphs) VALUES (?, ?, ?, ?, ?)",
                (state.path, state.sha, state.size, state.mtime_ns, len(record.paragraphs)),
            )
            file_id = cursor.lastrowid
        ids: list[int] = []
        for p in record.paragraphs:
            cursor = db.execute(
                "INSERT INTO paragraphs(file, idx, line, col, start, end_, content_start, content_end, "
                "shape, key_hash, size, shingles, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    file_id,
                    p.index,
                    p.line,
                    p.col,
                    p.start,
                    p.end,
                    p.content_start,
                    p.content_end,
                    _SHAPES[p.shape],
                    p.key_hash,
                    p.size,
                    np.asarray(p.hashes, dtype=_U32).tobytes(),
                    pack_tokens(p.tokens),
                ),
            )
            ids.append(int(cursor.lastrowid or 0))
        db.executemany(
            "INSERT OR IGNORE INTO bands(key, paragraph) VALUES (?, ?)",
            self._band_rows(record.paragraphs, ids),
        )
        db.executemany(
            "INSERT OR IGNORE INTO postings(shingle, paragraph) VALUES (?, ?)",
            [
                (h, pid)
                for p, pid in zip(record.paragraphs, ids, strict=True)
                if signable(p, self.config)
                for h in _anchors(p.hashes)
            ],
        )

    def _band_rows(self, paragraphs: Sequence[ParagraphRecord], ids: Sequence[int]) -> list[tuple[int, int]]:
        chosen = [(p, pid) for p, pid in zip(paragraphs, ids, strict=True) if signable(p, self.config)]
        if not chosen:
            return []
        keys = _band_keys(_signatures([p for p, _ in chosen], self.config), self.config)
        return [(int(k), pid) for (_, pid), row in zip(chosen, keys.tolist(), strict=True) for k in row]

    def _drop_paragraphs(self, db: sqlite3.Connection, file_id: int) -> None:
        rows = db.execute(
            "SELECT id, size, shingles, tokens FROM paragraphs WHERE file = ?", (file_id,)
        ).fetchall()
        if not rows:
            return
        records = [_bare_record(size, blob, tokens) for _, size, blob, tokens in rows]
        ids = [r[0] for r in rows]
        db.executemany("DELETE FROM bands WHERE key = ? AND paragraph = ?", self._band_rows(records, ids))
        db.executemany(
            "DELETE FROM postings WHERE shingle = ? AND paragraph = ?",
            [
                (h, pid)
                for p, pid in zip(records, ids, strict=True)
                if signable(p, self.config)
                for h in _anchors(p.hashes)
            ],
        )
        db.execute("DELETE FROM paragraphs WHERE file = ?", (file_id,))

    # -- lookups

    def lookup(self, probes: Sequence[Probe]) -> list[Hits]:
        signed = [p for p in probes if p.signature is not None]
        keys = (
            _band_keys(np.vstack([p.signature for p in signed if p.signature is not None]), self.config)
            if signed
            else np.zeros((0, 0), dtype=np.int32)
        )
        band_rows = iter(keys.tolist())
        postings: dict[int, list[int] | None] = {}
        out: list[Hits] = []
        with self._guard():
            for probe in probes:
                exact = [
                    r[0]
                    for r in self._db.execute(
                        "SELECT id FROM paragraphs WHERE key_hash = ?", (probe.key_hash,)
                    )
                ]
                near: list[int] = []
                if probe.signature is not None:
                    row = next(band_rows)
                    marks = ",".join("?" * len(row))
                    near = sorted(
                        {
                            r[0]
                            for r in self._db.execute(
                                f"SELECT paragraph FROM bands WHERE key IN ({marks})", row
                            )
                        }
                    )
                wanted = [h for h in _anchors(probe.distinct) if h not in postings]
                for chunk in _chunks(wanted):
                    found: dict[int, list[int]] = {h: [] for h in chunk}
                    marks = ",".join("?" * len(chunk))
                    for h, pid in self._db.execute(
                        f"SELECT shingle, paragraph FROM postings WHERE shingle IN ({marks})", list(chunk)
                    ):
                        found[h].append(pid)
                    for h, ids in found.items():
                        postings[h] = ids if len(ids) <= MAX_POSTINGS else None
                counts: Counter[int] = Counter()
                for h in _anchors(probe.distinct):
                    counts.update(postings.get(h) or ())
                shared = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                out.append(Hits(tuple(exact), tuple(near), shared))
        return out

    def locate(self, ids: Iterable[int]) -> dict[int, Place]:
        wanted = sorted(set(ids))
        out: dict[int, Place] = {}
        with self._guard():
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                for pid, path, idx, key_hash in self._db.execute(
                    "SELECT p.id, f.path, p.idx, p.key_hash FROM paragraphs p JOIN files f ON f.id = p.file "
                    f"WHERE p.id IN ({marks})",
                    list(chunk),
                ):
                    out[pid] = Place(pid, path, idx, key_hash)
        return out

    def fetch(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        wanted = sorted(set(ids))
        out: dict[int, StoredParagraph] = {}
        with self._guard():
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT {_COLUMNS} FROM {_JOINED} WHERE p.id IN ({marks})",
                    list(chunk),
                ):
                    stored = _stored(row)
                    out[stored.id] = stored
        return out

    def file_paragraphs(self, path: str) -> list[StoredParagraph]:
        with self._guard():
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM {_JOINED} WHERE f.path = ? ORDER BY p.idx",
                (path,),
            ).fetchall()
        return [_stored(row) for row in rows]

    # -- inspection

    def stats(self) -> IndexStats:
        with self._guard():
            counts = [self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in _TABLES[1:]]
        size = sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if os.path.exists(p))
        return IndexStats(
            self.location,
            "sqlite",
            counts[0],
            counts[1],
            counts[2],
            counts[3],
            size,
            self.fingerprint() or {},
        )

    def verify(self) -> list[str]:
        problems: list[str] = []
        with self._guard():
            for (message,) in self._db.execute("PRAGMA integrity_check"):
                if message != "ok":
                    problems.append(f"integrity: {message}")
            if problems:
                return problems
            orphans = self._db.execute(
                "SELECT count(*) FROM paragraphs WHERE file NOT IN (SELECT id FROM files)"
            ).fetchone()[0]
            if orphans:
                problems.append(f"{orphans} paragraphs belong to no file")
            for table, column in (("bands", "paragraph"), ("postings", "paragraph")):
                dangling = self._db.execute(
                    f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM paragraphs)"
                ).fetchone()[0]
                if dangling:
                    problems.append(f"{dangling} {table} rows point to no paragraph")
            wrong = self._db.execute(
                "SELECT f.path FROM files f LEFT JOIN paragraphs p ON p.file = f.id "
                "GROUP BY f.id HAVING count(p.id) != f.paragraphs"
            ).fetchall()
            problems.extend(f"{path}: paragraph count does not match" for (path,) in wrong)
        return problems


def _has_sequence(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone()
    return row is not None


def _bare_record(size: int, shingles: bytes, tokens: bytes) -> ParagraphRecord:
    return ParagraphRecord(
        0, 0, 0, 0, 0, 0, 0, "body", 0, size, np.frombuffer(shingles, dtype=_U32), unpack_tokens(tokens)
    )


def _decoded(pid: int, path: str, fields: Sequence[Any], shingles: bytes, tokens: bytes) -> StoredParagraph:
    """A stored paragraph from its scalar fields as SQLite and Redis keep them
    (index, line, col, start, end, content start and end, shape code, key hash,
    size) and its shingle and token blobs."""
    index, line, col, start, end, content_start, content_end, shape, key_hash, size = fields
    record = ParagraphRecord(
        index,
        line,
        col,
        start,
        end,
        content_start,
        content_end,
        _SHAPE_NAMES.get(shape, "body"),
        key_hash,
        size,
        np.frombuffer(shingles, dtype=_U32),
        unpack_tokens(tokens),
    )
    return StoredParagraph(pid, path, record)


def _stored(row: Sequence[Any]) -> StoredParagraph:
    pid, path, *fields, shingles, tokens = row
    return _decoded(pid, path, fields, shingles, tokens)


def _ignore_directory(directory: Path) -> None:
    """Keep git away from an index directory that dedup made (``.dedup/``)."""
    marker = directory / ".gitignore"
    if directory.name == ".dedup" and not marker.exists():
        try:
            marker.write_text("# made by dedup: the index is local state, not content\n*\n", encoding="utf-8")
        except OSError:
            pass


# --------------------------------------------------------------------------- Redis


def redis_settings(url: str) -> tuple[dict[str, Any], str]:
    """``redis.Redis`` keyword arguments and the key prefix for a ``redis://`` URL
    (``redis://[:password@]host:port/db?prefix=NAME``)."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    prefix = query.get("prefix", ["dedup"])[0]
    if parts.scheme == "unix":
        params: dict[str, Any] = {"unix_socket_path": parts.path, "db": int(query.get("db", ["0"])[0])}
    else:
        try:
            db = int(parts.path.strip("/") or 0)
            port = parts.port or 6379
        except ValueError:
            raise ConfigError(f"index {url!r}: expected redis://host:port/db") from None
        params = {"host": parts.hostname or "localhost", "port": port, "db": db}
        if parts.scheme == "rediss":
            params["ssl"] = True
    if parts.password:
        params["password"] = parts.password
    if parts.username:
        params["username"] = parts.username
    return params, prefix


_RECORD_HEAD = struct.Struct("<iiiiiiiBqiII")


def _pack_record(path: str, p: ParagraphRecord) -> bytes:
    shingles = np.asarray(p.hashes, dtype=_U32).tobytes()
    tokens = pack_tokens(p.tokens)
    name = path.encode("utf-8")
    head = _RECORD_HEAD.pack(
        p.index, p.line, p.col, p.start, p.end, p.content_start, p.content_end, _SHAPES[p.shape],
        p.key_hash, p.size, len(shingles), len(tokens),
    )  # fmt: skip
    return head + struct.pack("<I", len(name)) + name + shingles + tokens


def _unpack_record(pid: int, blob: bytes) -> StoredParagraph:
    (index, line, col, start, end, cstart, cend, shape, key_hash, size, n_sh, n_tok) = (
        _RECORD_HEAD.unpack_from(blob)
    )
    at = _RECORD_HEAD.size
    (n_name,) = struct.unpack_from("<I", blob, at)
    at += 4
    path = blob[at : at + n_name].decode("utf-8")
    at += n_name
    shingles = blob[at : at + n_sh]
    at += n_sh
    tokens = blob[at : at + n_tok]
    if at + n_tok != len(blob):
        raise ValueError("record length does not add up")
    fields = (index, line, col, start, end, cstart, cend, shape, key_hash, size)
    return _decoded(pid, path, fields, shingles, tokens)


class RedisStore(Store):
    """The index in Redis, shared by everyone who points at the same server.

    Keys (under ``<prefix>:``): ``meta`` (hash), ``files`` (hash: path -> JSON
    with the content hash and paragraph ids), ``para`` (hash: id -> packed
    record), ``key:<hash>`` and ``anchor:<hash>`` (sets of ids), ``next``
    (id counter), and datasketch ``MinHashLSH`` storage under ``<prefix>:lsh``.
    Each file is written in one MULTI/EXEC transaction, the LSH entries next to it.
    """

    def __init__(self, url: str, config: Config) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigError("a redis:// index needs the redis extra: pip install 'dedup[redis]'") from None
        self.location = url
        self.config = config
        self._params, prefix = redis_settings(url)
        self._prefix = prefix + ":"
        self._params["socket_timeout"] = 30
        self._redis = redis.Redis(**self._params)
        self._redis_errors: tuple[type[BaseException], ...] = (redis.RedisError,)
        self._lsh_cache: MinHashLSH | None = None
        with self._guard():
            self._redis.ping()

    def _k(self, *parts: str | int) -> str:
        return self._prefix + ":".join(str(p) for p in parts)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._redis_errors as err:
            raise IndexUnavailable(f"{self.location}: {err}") from None

    @property
    def _lsh(self) -> MinHashLSH:
        if self._lsh_cache is None:
            from datasketch import MinHashLSH

            self._lsh_cache = MinHashLSH(
                threshold=self.config.lsh_threshold,
                num_perm=self.config.num_perm,
                weights=(0.1, 0.9),
                storage_config={
                    "type": "redis",
                    "basename": self._k("lsh").encode("utf-8"),
                    "redis": dict(self._params),
                },
                prepickle=False,
            )
        return self._lsh_cache

    def close(self) -> None:
        self._redis.close()

    def fingerprint(self) -> dict[str, str] | None:
        with self._guard():
            raw = self._redis.hget(self._k("meta"), "fingerprint")
        if raw is None:
            if self._any_keys():
                raise IndexDamaged(self.location, "keys without a fingerprint")
            return None
        try:
            value = json.loads(raw)
        except ValueError as err:
            raise IndexDamaged(self.location, f"unreadable fingerprint: {err}") from None
        if not isinstance(value, dict):
            raise IndexDamaged(self.location, "unreadable fingerprint")
        return {str(k): str(v) for k, v in value.items()}

    def _any_keys(self) -> bool:
        with self._guard():
            cursor, keys = self._redis.scan(0, match=self._prefix + "*", count=100)
            while not keys and cursor:
                cursor, keys = self._redis.scan(cursor, match=self._prefix + "*", count=1000)
        return bool(keys)

    def reset(self, force: bool = True) -> None:
        if not force and self.fingerprint() == self.wanted_fingerprint():
            return
        with self._guard():
            batch: list[bytes] = []
            for key in self._redis.scan_iter(match=self._prefix + "*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    self._redis.delete(*batch)
                    batch = []
            if batch:
                self._redis.delete(*batch)
            self._redis.hset(
                self._k("meta"),
                mapping={
                    "fingerprint": json.dumps(self.wanted_fingerprint(), sort_keys=True),
                    "schema_version": str(SCHEMA_VERSION),
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                },
            )
        self._lsh_cache = None

    def _file_entries(self) -> dict[str, dict[str, Any]]:
        with self._guard():
            raw = self._redis.hgetall(self._k("files"))
        out: dict[str, dict[str, Any]] = {}
        for path, value in raw.items():
            try:
                entry = json.loads(value)
                out[path.decode("utf-8") if isinstance(path, bytes) else path] = {
                    "sha": str(entry["sha"]),
                    "size": int(entry["size"]),
                    "mtime_ns": int(entry["mtime_ns"]),
                    "ids": [int(i) for i in entry["ids"]],
                }
            except (ValueError, KeyError, TypeError) as err:
                raise IndexDamaged(self.location, f"unreadable file entry: {err}") from None
        return out

    def files(self) -> dict[str, FileState]:
        return {
            path: FileState(path, e["sha"], e["size"], e["mtime_ns"])
            for path, e in self._file_entries().items()
        }

    def write(
        self,
        records: Sequence[FileRecord] = (),
        removed: Sequence[str] = (),
        touched: Sequence[FileState] = (),
    ) -> None:
        if not records and not removed and not touched:
            return
        from dedup.matching.signature import to_datasketch

        entries = self._file_entries()
        dropped: list[int] = []
        inserted: list[tuple[int, ParagraphRecord]] = []
        with self._guard():
            for path in removed:
                if path in entries:
                    dropped.extend(self._drop(path, entries[path]["ids"]))
            for state in touched:
                entry = entries.get(state.path)
                if entry is not None and entry["sha"] == state.sha:
                    self._redis.hset(self._k("files"), state.path, _file_json(state, entry["ids"]))
            for record in records:
                state = record.state
                entry = entries.get(state.path)
                if entry is not None and entry["sha"] == state.sha:
                    self._redis.hset(self._k("files"), state.path, _file_json(state, entry["ids"]))
                    continue
                if entry is not None:
                    dropped.extend(self._drop(state.path, entry["ids"]))
                count = len(record.paragraphs)
                last = int(self._redis.incrby(self._k("next"), count)) if count else 0
                ids = list(range(last - count + 1, last + 1))
                # the file's own records in one transaction: readers see all of it or none
                pipe = self._redis.pipeline(transaction=True)
                for p, pid in zip(record.paragraphs, ids, strict=True):
                    pipe.hset(self._k("para"), str(pid), _pack_record(state.path, p))
                    pipe.sadd(self._k("key", p.key_hash), pid)
                    if signable(p, self.config):
                        for h in _anchors(p.hashes):
                            pipe.sadd(self._k("anchor", h), pid)
                        inserted.append((pid, p))
                pipe.hset(self._k("files"), state.path, _file_json(state, ids))
                pipe.execute()
            # datasketch's LSH storage, in buffered sessions (one round trip per few thousand commands)
            lsh_keys = [str(pid).encode() for pid in dropped]
            present = [key for key in lsh_keys if key in self._lsh]
            if present:
                with self._lsh.deletion_session() as deleting:
                    for key in present:
                        deleting.remove(key)
            if inserted:
                signatures = _signatures([p for _, p in inserted], self.config)
                with self._lsh.insertion_session() as session:
                    for (pid, _), signature in zip(inserted, signatures, strict=True):
                        session.insert(
                            str(pid).encode(), to_datasketch(signature, self.config), check_duplication=False
                        )

    def _drop(self, path: str, ids: Sequence[int]) -> list[int]:
        """Remove a file's records; returns the ids that have LSH entries."""
        stored = self._fetch_many(ids)
        pipe = self._redis.pipeline(transaction=True)
        signed: list[int] = []
        for pid in ids:
            s = stored.get(pid)
            if s is not None:
                pipe.srem(self._k("key", s.record.key_hash), pid)
                if signable(s.record, self.config):
                    signed.append(pid)
                    for h in _anchors(s.record.hashes):
                        pipe.srem(self._k("anchor", h), pid)
            pipe.hdel(self._k("para"), str(pid))
        pipe.hdel(self._k("files"), path)
        pipe.execute()
        return signed

    def _fetch_many(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        wanted = sorted(set(ids))
        out: dict[int, StoredParagraph] = {}
        for chunk in _chunks(wanted):
            with self._guard():
                values = self._redis.hmget(self._k("para"), [str(i) for i in chunk])
            for pid, blob in zip(chunk, values, strict=True):
                if blob is None:
                    continue
                try:
                    out[pid] = _unpack_record(
                        pid, blob if isinstance(blob, bytes) else blob.encode("latin-1")
                    )
                except (ValueError, struct.error, UnicodeDecodeError) as err:
                    raise IndexDamaged(self.location, f"unreadable paragraph {pid}: {err}") from None
        return out

    def lookup(self, probes: Sequence[Probe]) -> list[Hits]:
        from dedup.matching.signature import to_datasketch

        anchor_ids: dict[int, list[int] | None] = {}
        wanted = sorted({h for probe in probes for h in _anchors(probe.distinct)})
        with self._guard():
            pipe = self._redis.pipeline(transaction=False)
            for h in wanted:
                pipe.scard(self._k("anchor", h))
            sizes = pipe.execute()
            pipe = self._redis.pipeline(transaction=False)
            small = [h for h, n in zip(wanted, sizes, strict=True) if 0 < n <= MAX_POSTINGS]
            for h in small:
                pipe.smembers(self._k("anchor", h))
            for h, members in zip(small, pipe.execute(), strict=True):
                anchor_ids[h] = sorted(int(m) for m in members)
            pipe = self._redis.pipeline(transaction=False)
            for probe in probes:
                pipe.smembers(self._k("key", probe.key_hash))
            exact_sets = pipe.execute()
            out: list[Hits] = []
            for probe, exact in zip(probes, exact_sets, strict=True):
                near: list[int] = []
                if probe.signature is not None:
                    near = sorted(
                        int(k) for k in self._lsh.query(to_datasketch(probe.signature, self.config))
                    )
                counts: Counter[int] = Counter()
                for h in _anchors(probe.distinct):
                    counts.update(anchor_ids.get(h) or ())
                shared = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                out.append(Hits(tuple(sorted(int(i) for i in exact)), tuple(near), shared))
        return out

    def locate(self, ids: Iterable[int]) -> dict[int, Place]:
        return {
            pid: Place(pid, s.path, s.record.index, s.record.key_hash)
            for pid, s in self._fetch_many(ids).items()
        }

    def fetch(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        return self._fetch_many(ids)

    def file_paragraphs(self, path: str) -> list[StoredParagraph]:
        with self._guard():
            raw = self._redis.hget(self._k("files"), path)
        if raw is None:
            return []
        try:
            ids = [int(i) for i in json.loads(raw)["ids"]]
        except (ValueError, KeyError, TypeError) as err:
            raise IndexDamaged(self.location, f"unreadable file entry: {err}") from None
        stored = self._fetch_many(ids)
        return sorted((stored[i] for i in ids if i in stored), key=lambda s: s.record.index)

    def stats(self) -> IndexStats:
        entries = self._file_entries()
        with self._guard():
            paragraphs = int(self._redis.hlen(self._k("para")))
            anchors = sum(1 for _ in self._redis.scan_iter(match=self._k("anchor", "*"), count=1000))
            used = int(self._redis.info("memory").get("used_memory", 0))
            lsh_keys = int(self._redis.hlen(self._k("lsh") + "_keys"))
        return IndexStats(
            self.location,
            "redis",
            len(entries),
            paragraphs,
            lsh_keys,
            anchors,
            used,
            self.fingerprint() or {},
        )

    def verify(self) -> list[str]:
        problems: list[str] = []
        try:
            entries = self._file_entries()
            all_ids = [i for e in entries.values() for i in e["ids"]]
            stored = self._fetch_many(all_ids)
        except IndexDamaged as err:
            return [err.reason]
        missing = len(all_ids) - len(stored)
        if missing:
            problems.append(f"{missing} paragraphs of indexed files are missing")
        with self._guard():
            extra = int(self._redis.hlen(self._k("para"))) - len(stored)
        if extra > 0:
            problems.append(f"{extra} paragraphs belong to no file")
        signed = sum(1 for s in stored.values() if signable(s.record, self.config))
        with self._guard():
            lsh_keys = int(self._redis.hlen(self._k("lsh") + "_keys"))
        if lsh_keys != signed:
            problems.append(f"LSH holds {lsh_keys} signatures for {signed} signable paragraphs")
        for path, entry in entries.items():
            for pid in entry["ids"]:
                s = stored.get(pid)
                if s is not None and s.path != path:
                    problems.append(f"{path}: paragraph {pid} belongs to {s.path}")
        return problems


def _file_json(state: FileState, ids: Sequence[int]) -> str:
    return json.dumps({"sha": state.sha, "size": state.size, "mtime_ns": state.mtime_ns, "ids": list(ids)})
