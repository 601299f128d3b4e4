"""Candidates from the index: for each paragraph of a checked file, the indexed
paragraphs of other files that come before it in the one order
(:class:`~dedup.precommit.order.Order`), gathered by the cleaner's own
:func:`~dedup.matching.candidates.earlier_candidates`.

The index answers one lookup for all the paragraphs of a file
(:meth:`~dedup.precommit.store.Store.lookup`: same key, a shared LSH band,
shared anchors).  Each paragraph's hits are then handed to
``earlier_candidates`` as the three lookups it asks (the copy of its key, the
paragraphs sharing a band, those sharing anchors), so the choice among them —
an exact copy alone unless the paragraph is a title, at most
``MAX_CANDIDATES`` sharing anchors, the most shared first, all in corpus
order — is the cleaner's, made in one place.  A hit's items are read from its
file (:class:`~dedup.precommit.file_cache.FileCache`) only when asked for.

What differs from a run of ``dedup clean``: the index holds every paragraph of
the corpus, where a run holds the paragraphs it kept.  In a corpus kept clean
by the check (no paragraph repeats an earlier one), the two are the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from dedup.config import Config
from dedup.matching.candidates import Candidates, earlier_candidates
from dedup.matching.item import Item
from dedup.precommit.file_cache import FileCache
from dedup.precommit.order import Order
from dedup.precommit.records import Hits, Place, Probe, key_hash
from dedup.precommit.store import Store

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


class _Listed:
    """A paragraph's LSH hits, as the band lookup of ``earlier_candidates``."""

    def __init__(self, load: Callable[[], list[Item]]) -> None:
        self._load = load

    def query(self, keys: np.ndarray) -> Iterable[Item]:
        return self._load()


class _Ranked:
    """A paragraph's anchor hits (most shared first), as the anchor lookup of
    ``earlier_candidates``: only the ``limit`` first are read."""

    def __init__(self, ranked: Sequence[tuple[Place, int]], load: Callable[[Place], Item | None]) -> None:
        self._ranked = ranked
        self._load = load

    def query(self, hashes: Iterable[int], min_shared: int = 1, limit: int | None = None) -> Iterable[Item]:
        places = [place for place, shared in self._ranked if shared >= min_shared][:limit]
        return [q for q in map(self._load, places) if q is not None]


class IndexCandidates:
    """Candidates of the paragraphs of checked files, from the index."""

    def __init__(self, store: Store, files: FileCache, order: Order, config: Config) -> None:
        self.store = store
        self.files = files
        self.order = order
        self.config = config

    def external(self, path: str, items: Sequence[Item]) -> Candidates:
        """For each paragraph of ``path``, the paragraphs of other files that come
        before it in the order and may cover it, in that order."""
        if self.config.scope != "corpus" or not items:
            return {}
        probes = [
            Probe(key_hash(it.key.text), np.asarray(it.distinct, dtype=np.uint32), it.signature)
            for it in items
        ]
        hits = self.store.lookup(probes)
        places = self.store.locate({i for h in hits for i in (*h.exact, *h.near, *(s[0] for s in h.shared))})
        external: Candidates = {}
        for it, hit in zip(items, hits, strict=True):
            copies, near, anchored = self._lookups(path, it, hit, places)
            external.update(earlier_candidates([it], copies, near, anchored, self.config, self._corpus_order))
        return external

    def _corpus_order(self, q: Item) -> SupportsRichComparison:
        return self.order.key(q.doc_id, q.paragraph.index, key_hash(q.key.text))

    def _lookups(
        self, path: str, it: Item, hit: Hits, places: dict[int, Place]
    ) -> tuple[dict[str, Item], _Listed, _Ranked]:
        """One paragraph's hits that come before it, as the three lookups of
        ``earlier_candidates``: the first copy of its key, its LSH hits, its
        anchor hits."""
        mine = self.order.key(path, it.paragraph.index, key_hash(it.key.text))

        def earlier(ids: Iterable[int]) -> list[Place]:
            found = [places[pid] for pid in ids if pid in places]
            return [
                place
                for place in found
                if place.path != path and self.order.key(place.path, place.index, place.key_hash) < mine
            ]

        copies: dict[str, Item] = {}
        for place in sorted(earlier(hit.exact), key=self._place_order):
            twin = self._item(place)
            if twin is not None and twin.key.text == it.key.text:
                copies[it.key.text] = twin
                break
        near = self._first_copies(earlier(hit.near))
        shared = dict(hit.shared)
        ranked = [
            (place, shared[place.id]) for place in self._first_copies(earlier(pid for pid, _ in hit.shared))
        ]
        listed = _Listed(lambda: [q for q in map(self._item, near) if q is not None])
        return copies, listed, _Ranked(ranked, self._item)

    def _place_order(self, place: Place) -> tuple[bool, str, int]:
        return self.order.key(place.path, place.index, place.key_hash)

    def _first_copies(self, places: Sequence[Place]) -> list[Place]:
        """``places`` with the copies of one key replaced by the first of them in
        the order, where the first of them stood: a run indexes the first copy of
        a key alone (it stands for the others), and so must the lookups here."""
        first: dict[int, Place] = {}
        for place in places:
            seen = first.get(place.key_hash)
            if seen is None or self._place_order(place) < self._place_order(seen):
                first[place.key_hash] = place
        return list({place.key_hash: first[place.key_hash] for place in places}.values())

    def _item(self, place: Place) -> Item | None:
        """The indexed paragraph at ``place`` read from its file (``None`` when the
        file no longer holds it)."""
        q = self.files.item(place.path, place.index)
        return q if q is not None and key_hash(q.key.text) == place.key_hash else None
