"""Where a long run's older kept paragraphs go when its memory budget is spent.

``SpillStore`` is a temporary SQLite file (deleted when the run ends) holding,
for every spilled paragraph, a number (``pid``, in the order paragraphs were
indexed) and four tables: the paragraph itself (``items``: its ``Item`` packed),
its key (``exact``: a 64-bit hash of the key, checked against the key itself
when read back), its LSH band keys (``bands``) and its anchor shingles
(``anchors``, at most one past ``MAX_POSTINGS`` per shingle: a longer list is
never followed).  Every table is a clustered B-tree on (key, pid), so a
document's lookups are a few batched range scans and anchor postings come back
in insertion order.

SQLite (the standard library's) was chosen over memory-mapped arrays and LMDB:
its pages are read through the OS page cache, which does not count in the
process's resident memory, and it needs no new dependency; the pre-commit
index (``precommit/sqlite_store.py``) stores band keys the same way.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import tempfile
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from dedup.matching.index import BandIndex, ShingleIndex
from dedup.matching.item import Item

if TYPE_CHECKING:
    import sqlite3

#: the fields a spilled paragraph keeps: all but the caches and what only finding
#: its own candidates needed (signature, band keys)
_KEPT = tuple(f.name for f in fields(Item) if f.init and f.name not in {"signature", "bands", "table"})
#: values per SQL statement (SQLite's limit on variables is at least 999)
_BATCH = 900
#: rows per insert batch when spilling
_ROWS = 100_000
#: spilled paragraphs read back recently, kept as objects
LOADED = 20_000

_SCHEMA = (
    "CREATE TABLE items (pid INTEGER PRIMARY KEY, item BLOB NOT NULL)",
    "CREATE TABLE exact (hash INTEGER, pid INTEGER, PRIMARY KEY (hash, pid)) WITHOUT ROWID",
    "CREATE TABLE bands (key INTEGER, pid INTEGER, PRIMARY KEY (key, pid)) WITHOUT ROWID",
    "CREATE TABLE anchors (hash INTEGER, pid INTEGER, PRIMARY KEY (hash, pid)) WITHOUT ROWID",
)


def key_hash(text: str) -> int:
    """A key's 64-bit hash, signed as SQLite stores integers."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def signed(keys: np.ndarray) -> list[int]:
    """Unsigned 64-bit band keys as SQLite's signed integers."""
    return np.ascontiguousarray(keys, dtype=np.uint64).view(np.int64).tolist()  # type: ignore[no-any-return]


def pack(item: Item) -> bytes:
    return pickle.dumps(tuple(getattr(item, name) for name in _KEPT), protocol=pickle.HIGHEST_PROTOCOL)


def unpack(blob: bytes) -> Item:
    return Item(**dict(zip(_KEPT, pickle.loads(blob), strict=True)))


@dataclass(slots=True)
class Found:
    """What the spilled part of the corpus holds for one document's paragraphs."""

    #: key -> the spilled paragraph with that key
    copies: dict[str, int]
    #: signed band key -> spilled paragraphs with that band
    bands: dict[int, list[int]]
    #: anchor shingle -> spilled paragraphs holding it, in insertion order
    anchors: dict[int, list[int]]


class SpillStore:
    """The spilled part of a run's kept corpus, in a temporary SQLite file."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="dedup-spill-", dir=directory))
        import sqlite3  # only once the memory budget is passed

        self._db = sqlite3.connect(self._dir / "corpus.sqlite", isolation_level=None)
        # a scratch file: no journal, no syncs; a 64 MiB page cache
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -65536"):
            self._db.execute(f"PRAGMA {pragma}")
        for statement in _SCHEMA:
            self._db.execute(statement)
        # deleted when closed, when the corpus holding it is dropped, or at exit
        self._cleanup = weakref.finalize(self, _remove, self._db, self._dir)
        self.spilled = 0
        self._loaded: OrderedDict[int, Item] = OrderedDict()
        self._pinned: dict[int, Item] = {}

    def close(self) -> None:
        self._cleanup()

    # ------------------------------------------------------------------ writing
    def spill(self, kept: Iterable[Item], near: BandIndex[Item], contain: ShingleIndex[Item]) -> None:
        """Move the paragraphs held in memory here: ``kept`` in the order they were
        indexed (every one of them, each with its own key), and their index entries."""
        pids: dict[int, int] = {}
        db = self._db
        db.execute("BEGIN")
        for chunk in _chunks(iter(kept), _ROWS):
            numbered = [(pids.setdefault(id(it), self.spilled + len(pids)), it) for it in chunk]
            db.executemany("INSERT INTO items VALUES (?, ?)", [(pid, pack(it)) for pid, it in numbered])
            keys = [(key_hash(it.key.text), pid) for pid, it in numbered]
            db.executemany("INSERT INTO exact VALUES (?, ?)", keys)
        self._spill_bands(near, pids)
        self._spill_anchors(contain, pids)
        db.execute("COMMIT")
        self.spilled += len(pids)

    def _spill_bands(self, near: BandIndex[Item], pids: dict[int, int]) -> None:
        keys: list[int] = []
        owners: list[int] = []
        for key, refs in near.entries():
            keys.extend([key] * len(refs))
            owners.extend(pids[id(it)] for it in refs)
        # sorted, so the B-tree is written in order rather than at random
        key_array = np.array(keys, dtype=np.uint64).view(np.int64)
        owner_array = np.array(owners, dtype=np.int64)
        del keys, owners
        order = np.lexsort((owner_array, key_array))
        for start in range(0, len(order), _ROWS):
            part = order[start : start + _ROWS]
            self._db.executemany(
                "INSERT INTO bands VALUES (?, ?)",
                zip(key_array[part].tolist(), owner_array[part].tolist(), strict=True),
            )

    def _spill_anchors(self, contain: ShingleIndex[Item], pids: dict[int, int]) -> None:
        room = contain.max_postings + 1
        posted = sorted(contain.entries())
        for chunk in _chunks(iter(posted), _BATCH):
            held = dict(
                self._db.execute(
                    f"SELECT hash, COUNT(*) FROM anchors WHERE hash IN ({_marks(len(chunk))}) GROUP BY hash",
                    [h for h, _ in chunk],
                ).fetchall()
            )
            rows = [(h, pids[id(it)]) for h, refs in chunk for it in refs[: max(0, room - held.get(h, 0))]]
            self._db.executemany("INSERT INTO anchors VALUES (?, ?)", rows)

    # ------------------------------------------------------------------ reading
    def find(self, keys: Iterable[str], bands: Iterable[int], anchors: Iterable[int]) -> Found:
        """Everything spilled that a document's paragraphs may be compared with:
        the paragraphs with their keys, sharing their (signed) band keys, holding
        their anchor shingles."""
        self._release()
        by_hash: dict[int, list[str]] = defaultdict(list)
        for text in set(keys):
            by_hash[key_hash(text)].append(text)
        copies: dict[str, int] = {}
        for h, pid in self._select("exact", "hash", list(by_hash)):
            text = self.item(pid).key.text
            if text in by_hash[h]:
                copies[text] = pid
        found_bands: dict[int, list[int]] = defaultdict(list)
        for key, pid in self._select("bands", "key", list(set(bands))):
            found_bands[key].append(pid)
        found_anchors: dict[int, list[int]] = defaultdict(list)
        for h, pid in self._select("anchors", "hash", list(set(anchors))):
            found_anchors[h].append(pid)
        return Found(copies, dict(found_bands), dict(found_anchors))

    def _select(self, table: str, column: str, values: Sequence[int]) -> Iterator[tuple[int, int]]:
        for start in range(0, len(values), _BATCH):
            part = values[start : start + _BATCH]
            sql = f"SELECT {column}, pid FROM {table} WHERE {column} IN ({_marks(len(part))})"
            yield from self._db.execute(f"{sql} ORDER BY {column}, pid", part)

    def item(self, pid: int) -> Item:
        """The spilled paragraph ``pid``: the same object for as long as the
        current document is resolved (candidates are told apart by identity)."""
        found = self._pinned.get(pid)
        if found is None:
            found = self._loaded.pop(pid, None)
            if found is None:
                row = self._db.execute("SELECT item FROM items WHERE pid = ?", (pid,)).fetchone()
                found = unpack(row[0])
            self._pinned[pid] = found
        return found

    def _release(self) -> None:
        """The previous document is done: its paragraphs join the recently loaded."""
        loaded = self._loaded
        loaded.update(self._pinned)
        self._pinned = {}
        while len(loaded) > LOADED:
            loaded.popitem(last=False)


def _remove(db: sqlite3.Connection, directory: Path) -> None:
    db.close()
    shutil.rmtree(directory, ignore_errors=True)


def _marks(n: int) -> str:
    return ", ".join("?" * n)


T = TypeVar("T")


def _chunks(rows: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(rows, size)):
        yield chunk
