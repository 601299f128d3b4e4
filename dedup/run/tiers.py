"""The kept corpus as one index when part of it has spilled to disk.

``earlier_candidates`` asks three lookups (a key -> paragraph mapping, band
keys, anchor shingles).  Once a run has spilled (``spill.SpillStore``), each
lookup here answers from the paragraphs still in memory and from what the
store found for the document, exactly as one index holding both would: the
same paragraphs, and for anchors the same ranking and the same ties (spilled
postings are older, so they come first in every posting list).  Spilled
paragraphs are read back as items only when they are returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import chain, repeat

import numpy as np

from dedup.matching.index import BandIndex, ShingleIndex, most_shared
from dedup.matching.item import Item
from dedup.run.spill import Found, SpillStore, signed


class Copies(Mapping[str, Item]):
    """Kept paragraphs by key: those in memory, then those spilled that the
    current document's keys found."""

    def __init__(self, memory: dict[str, Item], found: Found, store: SpillStore) -> None:
        self._memory = memory
        self._found = found.copies
        self._store = store

    def get(self, key: str, default: Item | None = None) -> Item | None:  # type: ignore[override]
        it = self._memory.get(key)
        if it is not None:
            return it
        pid = self._found.get(key)
        return default if pid is None else self._store.item(pid)

    def __getitem__(self, key: str) -> Item:
        it = self.get(key)
        if it is None:
            raise KeyError(key)
        return it

    def __iter__(self) -> Iterator[str]:
        """The keys looked up for this document that are kept (only those are known)."""
        return chain(self._memory, (k for k in self._found if k not in self._memory))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Bands:
    """Kept paragraphs sharing an LSH band: in memory and spilled."""

    def __init__(self, memory: BandIndex[Item], found: Found, store: SpillStore) -> None:
        self._memory = memory
        self._found = found.bands
        self._store = store

    def query(self, keys: np.ndarray) -> list[Item]:
        spilled = dict.fromkeys(chain.from_iterable(map(self._found.get, signed(keys), repeat(()))))
        return [*map(self._store.item, spilled), *self._memory.query(keys)]


class Anchors:
    """Kept paragraphs sharing anchor shingles, ranked as one ``ShingleIndex``
    holding the spilled and the in-memory paragraphs would rank them."""

    def __init__(self, memory: ShingleIndex[Item], found: Found, store: SpillStore) -> None:
        self._memory = memory
        self._found = found.anchors
        self._store = store

    def query(self, hashes: Iterable[int], min_shared: int = 1, limit: int | None = None) -> list[Item]:
        memory, spilled = self._memory, self._found
        lists: list[list[Item | int] | None] = []
        for h in set(hashes):
            older: list[int] | None = spilled.get(h)
            newer: list[Item] | None = memory.postings(h)
            if older is None:
                lists.append(newer)  # type: ignore[arg-type]
            elif newer is None:
                lists.append(older)  # type: ignore[arg-type]
            else:
                lists.append([*older, *newer])
        shared = most_shared(lists, memory.max_postings, min_shared, limit)
        return [self._store.item(ref) if isinstance(ref, int) else ref for ref in shared]
