"""Candidate generation: which earlier paragraphs might a paragraph repeat?

Two questions, two indexes:

* copies (exact, edited): MinHash LSH.  ``BandIndex`` maps band keys to
  paragraphs: compact and fast for a run over a corpus, with band keys computed
  in numpy next to the signatures (``band_keys``).  The pre-commit check stores
  band keys in SQLite (``precommit.sqlite_store``), or uses datasketch's
  ``MinHashLSH`` itself on Redis (``precommit.redis_store``).  Bands are weighted
  toward recall; every candidate is verified exactly afterwards, so a false
  candidate costs time, never a wrong removal.
* containment (fragments, splices), which Jaccard-based LSH cannot find (a
  fragment of a fifth of a paragraph has a Jaccard of at most 0.2 with it):
  ``ShingleIndex``, an inverted index from shingle to paragraphs.  Across a
  corpus it holds only *anchor* shingles (a fixed quarter of all hash values,
  the same in every copy of a text), so memory stays small while any shared
  piece of a dozen words still shares anchors.  Shingles in very many
  paragraphs (stock phrases) are not followed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import numpy as np

from dedup.config import compiled_extension
from dedup.limits import ANCHOR_EVERY, MAX_POSTINGS
from dedup.matching.core import Postings, compiled_core, compiled_postings

if TYPE_CHECKING:
    from dedup.matching.item import Item

#: what the indexes hold: hashable, each counted as itself (paragraph records
#: compare by identity)
Ref = TypeVar("Ref", bound=Hashable)
R = TypeVar("R", bound=Hashable)


class Numbering(Protocol):
    """The refs compiled tables (``compiled_index.Postings``) hold, by number: each ref once
    (as a dict counts it), in the order first added (``compiled_earlier.Refs``; two tables may
    share one, ``paired``)."""

    def number(self, ref: object) -> int: ...

    def of(self, numbers: list[int]) -> list[Any]: ...


class _IndexCore(Protocol):
    """A document's candidates and indexing in one call (``compiled_earlier.pyi``)."""

    def Refs(self) -> Numbering: ...

    def earlier(
        self,
        bands: Postings,
        anchors: Postings,
        refs: Numbering,
        items: list[Item],
        copies: dict[str, Item],
        cap: int,
        limit: int,
        every: int,
    ) -> dict[int, list[Item]] | None: ...

    def index(
        self,
        bands: Postings,
        anchors: Postings,
        refs: Numbering,
        items: list[Item],
        keys: list[np.ndarray | None],
        anchored: list[bool],
        cap: int,
        every: int,
    ) -> int: ...


@cache
def _compiled() -> _IndexCore | None:
    """The extension asking and filling both tables in one call (``compiled_earlier``) where the
    tables run (``core.compiled_postings``), or ``None``."""
    if compiled_postings() is None:
        return None
    return cast("_IndexCore | None", compiled_extension("dedup.matching.compiled_earlier"))


def _numbering() -> Numbering | None:
    core = _compiled()
    return None if core is None else core.Refs()


class ShingleIndex(Generic[Ref]):
    """Inverted index: shingle hash -> paragraphs that contain it.

    A posting list longer than ``max_postings`` is never followed, so it stops
    growing one past that length: a stock phrase in a million paragraphs costs
    65 entries, and every query answers as if all were there.  Held in a
    compiled table where the core is built (the dict of lists is the definition).
    """

    def __init__(self, max_postings: int = MAX_POSTINGS, refs: Numbering | None = None) -> None:
        """``refs``: a numbering shared with another index (``paired``)."""
        self._postings: dict[int, list[Ref]] = {}
        self.max_postings = max_postings
        table = compiled_postings()
        self._table = None if table is None else table()
        self._refs = refs if refs is not None else _numbering()

    def add(self, ref: Ref, hashes: Iterable[int]) -> None:
        """(Shingle hashes are non-negative ints below 2**64.)"""
        if self._table is not None and self._refs is not None:
            self._table.add_capped(self._refs.number(ref), set(hashes), self.max_postings)
            return
        postings, full = self._postings, self.max_postings
        for h in set(hashes):
            refs = postings.setdefault(h, [])
            if len(refs) <= full:
                refs.append(ref)

    def postings(self, h: int) -> list[Ref] | None:
        """The paragraphs holding shingle ``h``, in insertion order (at most one past the limit)."""
        if self._table is not None and self._refs is not None:
            numbers = self._table.bucket(h)
            return None if numbers is None else self._refs.of(numbers)
        return self._postings.get(h)

    def entries(self) -> Iterator[tuple[int, list[Ref]]]:
        """Every posting list, by shingle hash."""
        if self._table is not None and self._refs is not None:
            return _entries(self._table, self._refs)
        return iter(self._postings.items())

    def query(self, hashes: Iterable[int], min_shared: int = 1, limit: int | None = None) -> list[Ref]:
        """Paragraphs sharing at least ``min_shared`` distinct shingles, most shared
        first (ties in insertion order)."""
        if self._table is not None and self._refs is not None:
            ranked = self._table.most_shared(list(set(hashes)), self.max_postings, min_shared, limit)
            return self._refs.of(ranked)
        return most_shared(map(self._postings.get, set(hashes)), self.max_postings, min_shared, limit)


def _entries(table: Postings, refs: Numbering) -> Iterator[tuple[int, list[Ref]]]:
    for key in table.keys_in_order():
        yield key, refs.of(table.bucket(key) or [])


def most_shared(
    postings: Iterable[Sequence[R] | None], max_postings: int, min_shared: int = 1, limit: int | None = None
) -> list[R]:
    """The answer of ``ShingleIndex.query`` from the posting lists of the query's
    distinct hashes (``None``: no list), in the order the query visits them:
    lists over ``max_postings`` are not followed; the refs shared by at least
    ``min_shared`` lists, the most shared first, ties in order of first sight.
    One definition, so an index split between memory and disk answers the same."""
    followed = [refs for refs in postings if refs is not None and len(refs) <= max_postings]
    # refs are counted as themselves (by identity for plain objects), in C
    shared = Counter(chain.from_iterable(followed))
    # ``Counter.most_common`` (a stable sort by count, greatest first), sorted in C
    ranked = sorted(shared, key=shared.__getitem__, reverse=True)[:limit]
    return ranked if min_shared <= 1 else [ref for ref in ranked if shared[ref] >= min_shared]


@lru_cache(maxsize=8)
def band_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for a Jaccard threshold, with false negatives weighted nine
    times false positives: datasketch's ``_optimal_param`` criterion, integrated
    on a grid in numpy (datasketch's own takes a second per process; a test
    checks that both agree)."""
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in pairs], dtype=float)[:, None]
    rows = np.array([r for _, r in pairs], dtype=float)[:, None]
    below = np.linspace(0.0, threshold, 401)[None, :]
    above = np.linspace(threshold, 1.0, 401)[None, :]
    false_positive = np.trapezoid(1.0 - (1.0 - below**rows) ** bands, below, axis=1)
    false_negative = np.trapezoid((1.0 - above**rows) ** bands, above, axis=1)
    best = int(np.argmin(0.1 * false_positive + 0.9 * false_negative))
    return pairs[best]


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per band and signature row: the band's values, mixed."""
    if not len(signatures):
        return np.zeros((0, bands), dtype=np.uint64)
    values = signatures[:, : bands * rows].astype(np.uint64).reshape(len(signatures), bands, rows)
    with np.errstate(over="ignore"):
        key = np.full((len(signatures), bands), 0xCBF29CE484222325, dtype=np.uint64)
        for r in range(rows):
            key = (key ^ values[:, :, r]) * np.uint64(0x100000001B3)
        key ^= key >> np.uint64(33)
        key *= np.uint64(0xFF51AFD7ED558CCD)
        key ^= key >> np.uint64(33)
    # the band number goes into the key so one dict per band is not needed
    return key ^ (np.arange(bands, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))


class BandIndex(Generic[Ref]):
    """LSH buckets: band key -> paragraphs with that band.  Held in a compiled
    table where the core is built (the dict of lists is the definition)."""

    def __init__(self, refs: Numbering | None = None) -> None:
        """``refs``: a numbering shared with another index (``paired``)."""
        self._buckets: dict[int, list[Ref]] = {}
        table = compiled_postings()
        self._table = None if table is None else table()
        self._refs = refs if refs is not None else _numbering()

    def add(self, ref: Ref, keys: np.ndarray) -> None:
        """(Band keys are uint64.)"""
        if self._table is not None and self._refs is not None:
            self._table.add_keys(self._refs.number(ref), keys.astype(np.uint64, copy=False))
            return
        for key in keys.tolist():
            self._buckets.setdefault(key, []).append(ref)

    def entries(self) -> Iterator[tuple[int, list[Ref]]]:
        """Every bucket, by band key."""
        if self._table is not None and self._refs is not None:
            return _entries(self._table, self._refs)
        return iter(self._buckets.items())

    def query(self, keys: np.ndarray) -> list[Ref]:
        """Paragraphs sharing at least one band, in insertion order, each once."""
        if self._table is not None and self._refs is not None:
            return self._refs.of(self._table.union(keys.astype(np.uint64, copy=False)))
        buckets = self._buckets
        return list(dict.fromkeys(chain.from_iterable(map(buckets.get, keys.tolist(), repeat(())))))


def anchors(distinct: np.ndarray, every: int = ANCHOR_EVERY) -> np.ndarray:
    """The anchor shingles of a paragraph: those whose hash is a multiple of ``every``."""
    return np.asarray(distinct[distinct % np.uint32(every) == 0])


def anchor_list(distinct: np.ndarray) -> list[int]:
    """``anchors(distinct)`` as a list of ints (what the indexes take), computed by the
    compiled core when it is built."""
    core = compiled_core()
    if core is None or distinct.dtype != np.uint32:
        return anchors(distinct).tolist()  # type: ignore[no-any-return]
    return core.anchor_list(distinct, ANCHOR_EVERY)


def paired() -> tuple[BandIndex[Item], ShingleIndex[Item]]:
    """A band index and an anchor index numbering their refs together: for paragraphs
    (``Item``), one compiled call per document then answers both (``document_candidates``)
    and fills both (``index_document``)."""
    refs = _numbering()
    return BandIndex(refs), ShingleIndex(refs=refs)


def _tables(bands: object, anchored: object) -> tuple[_IndexCore, Postings, Postings, Numbering] | None:
    """The compiled tables of indexes from ``paired``, and their numbering, or ``None``."""
    if not (isinstance(bands, BandIndex) and isinstance(anchored, ShingleIndex)):
        return None
    core, refs = _compiled(), bands._refs
    if core is None or bands._table is None or anchored._table is None or refs is not anchored._refs:
        return None
    assert refs is not None  # numbered together
    return core, bands._table, anchored._table, refs


def document_candidates(
    items: Sequence[Item], copies: Mapping[str, Item], bands: object, anchored: object, limit: int
) -> dict[int, list[Item]] | None:
    """``candidates.earlier_candidates`` (in corpus order) for a document's paragraphs in one
    compiled call, where ``copies`` is a dict and ``bands`` and ``anchored`` are indexes from
    ``paired``; ``None`` where it cannot answer (the paragraph at a time then)."""
    found = _tables(bands, anchored)
    if found is None or type(copies) is not dict:
        return None
    core, band_table, anchor_table, refs = found
    cap = cast("ShingleIndex[Item]", anchored).max_postings
    return core.earlier(band_table, anchor_table, refs, list(items), copies, cap, limit, ANCHOR_EVERY)


def index_document(
    bands: BandIndex[Item],
    anchored: ShingleIndex[Item],
    items: list[Item],
    keys: list[np.ndarray | None],
    anchored_too: list[bool],
) -> int:
    """Index paragraphs: each one's band ``keys`` (``None``: none) in ``bands``, its anchors in
    ``anchored`` where ``anchored_too``, as ``add`` one at a time would (one compiled call for
    indexes from ``paired``).  Returns how many anchors they hold in all, indexed or not."""
    found = _tables(bands, anchored)
    if found is not None:
        core, band_table, anchor_table, refs = found
        try:
            return core.index(
                band_table, anchor_table, refs, items, keys, anchored_too, anchored.max_postings, ANCHOR_EVERY
            )
        except TypeError:  # arrays of other types (checked before anything is indexed)
            pass
    total = 0
    for it, band, anchor in zip(items, keys, anchored_too, strict=True):
        points = anchor_list(it.distinct)
        total += len(points)
        if band is not None:
            bands.add(it, band)
        if anchor:
            anchored.add(it, points)
    return total
