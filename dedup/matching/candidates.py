"""Candidates: which paragraphs might a paragraph repeat?

Two places to look: its own document (``local_candidates``: the paragraphs
sharing a shingle with it) and the kept paragraphs of earlier documents
(``earlier_candidates``: the kept copy of its key, the paragraphs sharing an
LSH band with it, the paragraphs sharing its anchor shingles).  Every candidate
is verified exactly afterwards (``verify``): a false candidate costs time,
never a wrong removal.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

import numpy as np

from dedup.config import Config
from dedup.limits import MAX_CANDIDATES, MAX_LOCAL_CANDIDATES, MAX_POSTINGS
from dedup.matching.index import anchor_list
from dedup.matching.item import Item

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

#: paragraph index -> paragraphs that may cover it
Candidates = dict[int, list[Item]]


def local_candidates(items: Sequence[Item]) -> dict[int, list[Item]]:
    """For each paragraph, the other paragraphs of the same document sharing a
    shingle, in document order: at most ``MAX_LOCAL_CANDIDATES``, the most
    shingles shared first (of equals, the earlier).

    Found as across documents, through postings: exact copies are grouped by
    key first (a copy shares every shingle of its key), and a shingle held by
    more than ``MAX_POSTINGS`` distinct keys of the document is not followed.
    So the work and memory grow with the document's shingles, not with the
    square of its paragraphs, and a paragraph printed a thousand times still
    finds its copies.  On an ordinary article no limit binds and every
    paragraph sharing a shingle is a candidate.
    """
    positions = DocumentPostings(items).local()
    return {it.paragraph.index: [items[j] for j in found] for it, found in zip(items, positions, strict=True)}


class DocumentPostings:
    """The paragraphs of one document by the shingles of their keys: each
    distinct key once (``groups``: its paragraphs' positions, in order), and
    every shingle hash with the keys holding it (sorted arrays, so that the
    whole index is a few numpy arrays however long the document)."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items
        first: dict[str, int] = {}
        self.groups: list[list[int]] = []
        for position, it in enumerate(items):
            group = first.setdefault(it.key.text, len(first))
            if group == len(self.groups):
                self.groups.append([])
            self.groups[group].append(position)
        self.group_of = [0] * len(items)
        for group, members in enumerate(self.groups):
            for position in members:
                self.group_of[position] = group
        distinct = [items[members[0]].distinct for members in self.groups]
        self.sizes = np.array([len(d) for d in distinct], dtype=np.int64)
        hashes = np.concatenate(distinct) if distinct else np.zeros(0, dtype=np.uint32)
        owners = np.repeat(np.arange(len(distinct), dtype=np.int64), self.sizes)
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.owners = hashes[order], owners[order]
        # runs of equal hashes: the keys holding one shingle
        starts = np.flatnonzero(np.r_[True, self.hashes[1:] != self.hashes[:-1]]) if len(order) else order
        self.run_hashes = self.hashes[starts]
        self.run_starts = starts
        self.run_sizes = np.diff(np.r_[starts, len(order)]).astype(np.int64)

    def local(self) -> list[list[int]]:
        """For each paragraph, the positions of its candidates (``local_candidates``)."""
        ranked = self._ranked_groups()
        found: list[list[int]] = []
        shared_lists: dict[int, list[int]] = {}
        for position in range(len(self.items)):
            group = self.group_of[position]
            best = ranked.get(group)
            if best is None:
                found.append([])
            elif position in best[: MAX_LOCAL_CANDIDATES + 1]:
                found.append(sorted([q for q in best if q != position][:MAX_LOCAL_CANDIDATES]))
            else:
                if group not in shared_lists:
                    shared_lists[group] = sorted(best[:MAX_LOCAL_CANDIDATES])
                found.append(list(shared_lists[group]))
        return found

    def sharing(
        self, distinct: np.ndarray, members: Callable[[int], Sequence[int]], exclude: Container[int] = ()
    ) -> list[int]:
        """Positions of the paragraphs sharing a followed shingle with a text of
        these (sorted, distinct) shingles, in document order: at most
        ``MAX_LOCAL_CANDIDATES``, the keys sharing most first (of equals, the
        earlier).  ``members`` gives the positions of a key's paragraphs that
        may be candidates; those in ``exclude`` are not."""
        if not len(distinct) or not len(self.run_hashes):
            return []
        runs = np.searchsorted(self.run_hashes, distinct)
        inside = runs < len(self.run_hashes)
        runs = runs[inside]
        runs = runs[(self.run_hashes[runs] == distinct[inside]) & (self.run_sizes[runs] <= MAX_POSTINGS)]
        sizes = self.run_sizes[runs]
        offsets = np.cumsum(sizes) - sizes
        elements = np.repeat(self.run_starts[runs], sizes) + (
            np.arange(int(sizes.sum())) - np.repeat(offsets, sizes)
        )
        groups, counts = np.unique(self.owners[elements], return_counts=True)
        found: list[int] = []
        for group in groups[np.lexsort((groups, -counts))].tolist():
            found.extend(q for q in members(group) if q not in exclude)
            if len(found) >= MAX_LOCAL_CANDIDATES:
                break
        return sorted(found[:MAX_LOCAL_CANDIDATES])

    def _ranked_groups(self) -> dict[int, list[int]]:
        """For each key with candidates, up to ``MAX_LOCAL_CANDIDATES`` + 1
        paragraph positions, the most shared first (its own copies share all),
        then in document order."""
        limit = MAX_LOCAL_CANDIDATES + 1
        ranked: dict[int, list[int]] = {}
        pairs = self._group_pairs()
        for group, members in enumerate(self.groups):
            others = pairs.get(group, [])
            if len(members) < 2 or not self.sizes[group]:
                if not others:
                    continue
                own: list[tuple[int, int]] = []
            else:
                own = [(-int(self.sizes[group]), q) for q in members[:limit]]
            entries = own + [(-count, q) for other, count in others for q in self.groups[other][:limit]]
            entries.sort()
            ranked[group] = [q for _, q in entries[:limit]]
        return ranked

    def _followed(self) -> tuple[np.ndarray, np.ndarray]:
        """Per element of the sorted arrays that lies in a followed run (two to
        ``MAX_POSTINGS`` keys): where its run starts and how long it is."""
        keep = (self.run_sizes >= 2) & (self.run_sizes <= MAX_POSTINGS)
        starts, sizes = self.run_starts[keep], self.run_sizes[keep]
        offsets = np.cumsum(sizes) - sizes
        total = int(sizes.sum())
        elements = np.repeat(starts, sizes) + (np.arange(total) - np.repeat(offsets, sizes))
        return elements, np.repeat(starts, sizes)

    def _group_pairs(self) -> dict[int, list[tuple[int, int]]]:
        """For each key, the other keys sharing followed shingles with it and how
        many, the most first (of equals, the earlier): at most
        ``MAX_LOCAL_CANDIDATES``.  Computed a block of keys at a time, so memory
        stays bounded (each element pairs with at most ``MAX_POSTINGS`` others)."""
        elements, run_start = self._followed()
        if not len(elements):
            return {}
        run_size = self.run_sizes[np.searchsorted(self.run_starts, run_start)]
        owner = self.owners[elements]
        by_owner = np.argsort(owner, kind="stable")
        elements, run_start, run_size, owner = (
            elements[by_owner],
            run_start[by_owner],
            run_size[by_owner],
            owner[by_owner],
        )
        groups = len(self.groups)
        pairs: dict[int, list[tuple[int, int]]] = {}
        first, block = 0, max(1, (1 << 22) // MAX_POSTINGS)
        while first < len(elements):
            # blocks end where an owner does: each owner's pairs are counted whole
            end = int(np.searchsorted(owner, owner[min(first + block, len(owner)) - 1], side="right"))
            at = slice(first, end)
            self._pairs_of_block(owner[at], run_start[at], run_size[at], groups, pairs)
            first = end
        return pairs

    def _pairs_of_block(
        self,
        owner: np.ndarray,
        run_start: np.ndarray,
        run_size: np.ndarray,
        groups: int,
        pairs: dict[int, list[tuple[int, int]]],
    ) -> None:
        """Adds the best pairs of a block of owners' elements to ``pairs``."""
        total = int(run_size.sum())
        offsets = np.cumsum(run_size) - run_size
        partner = np.repeat(run_start, run_size) + (np.arange(total) - np.repeat(offsets, run_size))
        mine = np.repeat(owner, run_size)
        theirs = self.owners[partner]
        other = mine != theirs
        codes, counts = np.unique(mine[other] * groups + theirs[other], return_counts=True)
        a, b = codes // groups, codes % groups
        order = np.lexsort((b, -counts, a))
        a, b, counts = a[order], b[order], counts[order]
        starts = np.flatnonzero(np.r_[True, a[1:] != a[:-1]]) if len(a) else np.zeros(0, dtype=np.int64)
        rank = np.arange(len(a)) - np.repeat(starts, np.diff(np.r_[starts, len(a)]))
        best = rank < MAX_LOCAL_CANDIDATES
        for group, other_group, count in zip(
            a[best].tolist(), b[best].tolist(), counts[best].tolist(), strict=True
        ):
            pairs.setdefault(group, []).append((other_group, count))


class BandLookup(Protocol):
    """Kept paragraphs by LSH band keys (``index.BandIndex``)."""

    def query(self, keys: np.ndarray) -> Iterable[Item]:
        """Paragraphs sharing at least one band, each once."""
        ...


class AnchorLookup(Protocol):
    """Kept paragraphs by anchor shingles (``index.ShingleIndex``)."""

    def query(self, hashes: Iterable[int], min_shared: int = 1, limit: int | None = None) -> Iterable[Item]:
        """Paragraphs sharing anchors, the most shared first, at most ``limit``."""
        ...


#: the corpus order of kept paragraphs: input order of their documents, then position
in_input_order: Callable[[Item], SupportsRichComparison] = attrgetter("ref")


def earlier_candidates(
    items: Sequence[Item],
    copies: Mapping[str, Item],
    bands: BandLookup,
    anchored: AnchorLookup,
    config: Config,
    order: Callable[[Item], SupportsRichComparison] = in_input_order,
) -> Candidates:
    """For each paragraph, the kept paragraphs of earlier documents that may
    cover it, in corpus ``order``: the kept copy of its key (``copies``), those
    sharing a band of its signature, and at most ``MAX_CANDIDATES`` of those
    sharing its anchor shingles (the most shared first).  A paragraph with a
    kept exact copy gets that copy alone, unless it is a title (titles are
    never removed as copies of another article's: see ``verify``).  Nothing
    when the run compares documents only with themselves.

    The lookups are those of the corpus of a run (a dict, ``BandIndex``,
    ``ShingleIndex``), passed as they are: no call is added per paragraph.  A
    source without them (the pre-commit index) passes objects with the same
    methods, answering from what it found for the paragraphs given.
    """
    if config.scope != "corpus":
        return {}
    external: Candidates = {}
    for it in items:
        twin = copies.get(it.key.text)
        if twin is not None and not it.is_title:
            # nothing beats an exact copy: no need to look further
            external[it.paragraph.index] = [twin]
            continue
        found: dict[int, Item] = {}
        if twin is not None:
            found[id(twin)] = twin
        if it.bands is not None:
            for q in bands.query(it.bands):
                found[id(q)] = q
        for q in anchored.query(anchor_list(it.distinct), limit=MAX_CANDIDATES):
            found.setdefault(id(q), q)
        if found:
            external[it.paragraph.index] = sorted(found.values(), key=order)
    return external
