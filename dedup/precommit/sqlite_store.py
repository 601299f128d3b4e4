"""The index in one SQLite file (default ``.dedup/index.sqlite``; its tables:
``precommit.sqlite_schema``).  Writes are transactions (``BEGIN IMMEDIATE``) on a
database in WAL mode, so concurrent runs wait for each other instead of
corrupting it; removing a file's paragraphs removes their band and posting rows
too, recomputed from the stored shingles.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from dedup.config import Config
from dedup.errors import DedupError, IndexDamaged, IndexUnavailable
from dedup.limits import MAX_POSTINGS
from dedup.precommit.records import (
    FileRecord,
    FileState,
    Hits,
    IndexStats,
    ParagraphRecord,
    Place,
    Probe,
    StoredParagraph,
    bare_record,
    pack_hashes,
    pack_tokens,
    stored_fields,
    stored_paragraph,
)
from dedup.precommit.sqlite_schema import COLUMNS, INSERT_PARAGRAPH, JOINED, SCHEMA, TABLES, is_damage
from dedup.precommit.store import (
    Store,
    anchor_hashes,
    batches,
    most_shared,
    signable,
    signatures,
    stored_band_keys,
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
                self._set_up(db)
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

    def _set_up(self, db: sqlite3.Connection) -> None:
        """WAL mode, the schema, and a read of every table (a damaged file fails here)."""
        db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise IndexUnavailable(f"{self.location}: cannot switch the index to WAL mode")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -65536")
        db.executescript(SCHEMA)
        for table in TABLES:
            db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()

    def _error(self, err: sqlite3.Error) -> DedupError:
        if is_damage(err):
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
        return None if row is None else self.read_fingerprint(row[0])

    def reset(self, force: bool = True) -> None:
        with self._transaction() as db:
            if not force and self.fingerprint() == self.wanted_fingerprint():
                return
            for table in TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            if _has_sequence(db):
                db.execute("DELETE FROM sqlite_sequence")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", list(self.new_meta().items()))

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
                self._forget_file(db, path)
            for state in touched:
                db.execute(
                    "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ? AND sha = ?",
                    (state.size, state.mtime_ns, state.path, state.sha),
                )
            for record in records:
                file_id = self._file_row(db, record)
                if file_id is not None:
                    ids = self._insert_paragraphs(db, file_id, record.paragraphs)
                    self._insert_lookups(db, record.paragraphs, ids)

    def _forget_file(self, db: sqlite3.Connection, path: str) -> None:
        row = db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is not None:
            self._drop_paragraphs(db, row[0])
            db.execute("DELETE FROM files WHERE id = ?", (row[0],))

    def _file_row(self, db: sqlite3.Connection, record: FileRecord) -> int | None:
        """The id of the file's row, made or emptied for the record's paragraphs;
        ``None`` when the row already holds this content (only its time is updated)."""
        state = record.state
        row = db.execute("SELECT id, sha FROM files WHERE path = ?", (state.path,)).fetchone()
        if row is not None and row[1] == state.sha:
            # another run got here first with the same content
            db.execute(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (state.size, state.mtime_ns, row[0])
            )
            return None
        if row is not None:
            file_id: int = row[0]
            self._drop_paragraphs(db, file_id)
            db.execute(
                "UPDATE files SET sha = ?, size = ?, mtime_ns = ?, paragraphs = ? WHERE id = ?",
                (state.sha, state.size, state.mtime_ns, len(record.paragraphs), file_id),
            )
            return file_id
        cursor = db.execute(
            "INSERT INTO files(path, sha, size, mtime_ns, paragraphs) VALUES (?, ?, ?, ?, ?)",
            (state.path, state.sha, state.size, state.mtime_ns, len(record.paragraphs)),
        )
        return int(cursor.lastrowid or 0)

    def _insert_paragraphs(
        self, db: sqlite3.Connection, file_id: int, paragraphs: Sequence[ParagraphRecord]
    ) -> list[int]:
        """The paragraphs' rows; returns their ids, in order."""
        ids: list[int] = []
        for p in paragraphs:
            cursor = db.execute(
                INSERT_PARAGRAPH,
                (file_id, *stored_fields(p), pack_hashes(p.hashes), pack_tokens(p.tokens)),
            )
            ids.append(int(cursor.lastrowid or 0))
        return ids

    def _insert_lookups(
        self, db: sqlite3.Connection, paragraphs: Sequence[ParagraphRecord], ids: Sequence[int]
    ) -> None:
        """The band and posting rows by which the paragraphs are found."""
        db.executemany(
            "INSERT OR IGNORE INTO bands(key, paragraph) VALUES (?, ?)", self._band_rows(paragraphs, ids)
        )
        db.executemany(
            "INSERT OR IGNORE INTO postings(shingle, paragraph) VALUES (?, ?)",
            self._posting_rows(paragraphs, ids),
        )

    def _band_rows(self, paragraphs: Sequence[ParagraphRecord], ids: Sequence[int]) -> list[tuple[int, int]]:
        chosen = [(p, pid) for p, pid in zip(paragraphs, ids, strict=True) if signable(p, self.config)]
        if not chosen:
            return []
        keys = stored_band_keys(signatures([p for p, _ in chosen], self.config), self.config)
        return [(int(k), pid) for (_, pid), row in zip(chosen, keys.tolist(), strict=True) for k in row]

    def _posting_rows(
        self, paragraphs: Sequence[ParagraphRecord], ids: Sequence[int]
    ) -> list[tuple[int, int]]:
        return [
            (h, pid)
            for p, pid in zip(paragraphs, ids, strict=True)
            if signable(p, self.config)
            for h in anchor_hashes(p.hashes)
        ]

    def _drop_paragraphs(self, db: sqlite3.Connection, file_id: int) -> None:
        rows = db.execute(
            "SELECT id, size, shingles, tokens FROM paragraphs WHERE file = ?", (file_id,)
        ).fetchall()
        if not rows:
            return
        records = [bare_record(size, blob, tokens) for _, size, blob, tokens in rows]
        ids = [r[0] for r in rows]
        db.executemany("DELETE FROM bands WHERE key = ? AND paragraph = ?", self._band_rows(records, ids))
        db.executemany(
            "DELETE FROM postings WHERE shingle = ? AND paragraph = ?", self._posting_rows(records, ids)
        )
        db.execute("DELETE FROM paragraphs WHERE file = ?", (file_id,))

    # -- lookups

    def lookup(self, probes: Sequence[Probe]) -> list[Hits]:
        signed = [p.signature for p in probes if p.signature is not None]
        keys = (
            stored_band_keys(np.vstack(signed), self.config) if signed else np.zeros((0, 0), dtype=np.int32)
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
                near = self._sharing_a_band(next(band_rows)) if probe.signature is not None else []
                self._load_postings([h for h in anchor_hashes(probe.distinct) if h not in postings], postings)
                shared = most_shared(anchor_hashes(probe.distinct), postings)
                out.append(Hits(tuple(exact), tuple(near), shared))
        return out

    def _sharing_a_band(self, keys: Sequence[int]) -> list[int]:
        """Paragraphs with one of the band ``keys``, each once, by id."""
        marks = ",".join("?" * len(keys))
        rows = self._db.execute(f"SELECT paragraph FROM bands WHERE key IN ({marks})", keys)
        return sorted({r[0] for r in rows})

    def _load_postings(self, wanted: Sequence[int], postings: dict[int, list[int] | None]) -> None:
        """Add the paragraphs posted under each anchor of ``wanted`` to ``postings``
        (``None`` for a stock phrase posted under too many to follow)."""
        for chunk in batches(wanted):
            found: dict[int, list[int]] = {h: [] for h in chunk}
            marks = ",".join("?" * len(chunk))
            for h, pid in self._db.execute(
                f"SELECT shingle, paragraph FROM postings WHERE shingle IN ({marks})", list(chunk)
            ):
                found[h].append(pid)
            for h, ids in found.items():
                postings[h] = ids if len(ids) <= MAX_POSTINGS else None

    def locate(self, ids: Iterable[int]) -> dict[int, Place]:
        rows = self._by_id("p.id, f.path, p.idx, p.key_hash", ids)
        return {pid: Place(pid, path, idx, key) for pid, path, idx, key in rows}

    def fetch(self, ids: Iterable[int]) -> dict[int, StoredParagraph]:
        return {row[0]: _stored(row) for row in self._by_id(COLUMNS, ids)}

    def _by_id(self, columns: str, ids: Iterable[int]) -> list[Any]:
        """``columns`` of the paragraphs with these ids (and their files), in id order."""
        rows: list[Any] = []
        with self._guard():
            for chunk in batches(sorted(set(ids))):
                marks = ",".join("?" * len(chunk))
                query = f"SELECT {columns} FROM {JOINED} WHERE p.id IN ({marks})"
                rows.extend(self._db.execute(query, list(chunk)))
        return rows

    def file_paragraphs(self, path: str) -> list[StoredParagraph]:
        with self._guard():
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM {JOINED} WHERE f.path = ? ORDER BY p.idx",
                (path,),
            ).fetchall()
        return [_stored(row) for row in rows]

    # -- inspection

    def stats(self) -> IndexStats:
        with self._guard():
            counts = [self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES[1:]]
        size = sum(os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if os.path.exists(p))
        files, paragraphs, bands, postings = counts
        return IndexStats(
            self.location, "sqlite", files, paragraphs, bands, postings, size, self.fingerprint() or {}
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


def _stored(row: Sequence[Any]) -> StoredParagraph:
    pid, path, *fields, shingles, tokens = row
    return stored_paragraph(pid, path, fields, shingles, tokens)


def _ignore_directory(directory: Path) -> None:
    """Keep git away from an index directory that dedup made (``.dedup/``)."""
    marker = directory / ".gitignore"
    if directory.name == ".dedup" and not marker.exists():
        try:
            marker.write_text("# made by dedup: the index is local state, not content\n*\n", encoding="utf-8")
        except OSError:
            pass
