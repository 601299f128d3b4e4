"""Candidates: which paragraphs might a paragraph repeat?

Two places to look: its own document (``local_candidates``: the paragraphs
sharing a shingle with it) and the kept paragraphs of earlier documents
(``earlier_candidates``: the kept copy of its key, the paragraphs sharing an
LSH band with it, the paragraphs sharing its anchor shingles).  Every candidate
is verified exactly afterwards (``verify``): a false candidate costs time,
never a wrong removal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from itertools import chain, pairwise, permutations
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

import numpy as np

from dedup.config import Config
from dedup.limits import MAX_CANDIDATES, MAX_LOCAL_CANDIDATES, MAX_POSTINGS
from dedup.matching.core import compiled_local
from dedup.matching.index import document_candidates
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
    the shingle hashes held by several keys with the keys holding them.

    Plain sets, dicts and lists: a document holds a few hundred to a few
    thousand shingles, where numpy's cost per call was most of the work."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = items
        first: dict[str, int] = {}
        self.groups: list[list[int]] = []
        self.group_of: list[int] = []
        for position, it in enumerate(items):
            group = first.setdefault(it.key.text, len(first))
            if group == len(self.groups):
                self.groups.append([])
            self.groups[group].append(position)
            self.group_of.append(group)
        self._distinct = [items[members[0]].distinct for members in self.groups]
        self.sizes = [len(d) for d in self._distinct]
        #: every key's shingle hashes in one sorted array, and the key holding each
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def local(self) -> list[list[int]]:
        """For each paragraph, the positions of its candidates (``local_candidates``):
        computed in C where built (``compiled_local``), else by ``pure_local``, its definition."""
        core = compiled_local()
        if core is not None:
            return core.local_positions(
                self._distinct, self.groups, self.group_of, MAX_POSTINGS, MAX_LOCAL_CANDIDATES
            )
        return self.pure_local()

    def pure_local(self) -> list[list[int]]:
        """``local`` in pure Python: the definition the compiled one is tested against."""
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
        counts = self._shared_counts(distinct)
        held = np.flatnonzero(counts)
        found: list[int] = []
        # the keys sharing most first, of equals the earlier
        for group in held[np.lexsort((held, -counts[held]))].tolist():
            found.extend(q for q in members(group) if q not in exclude)
            if len(found) >= MAX_LOCAL_CANDIDATES:
                break
        return sorted(found[:MAX_LOCAL_CANDIDATES])

    def _shared_counts(self, distinct: np.ndarray) -> np.ndarray:
        """For each key, how many of these shingles it holds among those held by at
        most ``MAX_POSTINGS`` keys (a longer posting list is not followed).

        The document's postings in one sorted array (each hash's run of holding keys,
        in key order), sorted when first asked (only joins ask): each hash asked is
        a run found by two binary searches, in numpy for all of them at once."""
        if not self._distinct:
            return np.zeros(0, dtype=np.intp)
        if self._sorted is None:
            hashes = np.concatenate(self._distinct)
            owners = np.repeat(np.arange(len(self._distinct), dtype=np.intp), self.sizes)
            order = np.argsort(hashes, kind="stable")
            self._sorted = (hashes[order], owners[order])
        hashes, owners = self._sorted
        starts = np.searchsorted(hashes, distinct, side="left")
        ends = np.searchsorted(hashes, distinct, side="right")
        followed = (ends > starts) & (ends - starts <= MAX_POSTINGS)
        # the runs followed are disjoint: mark each one's span, then count its keys
        edges = np.zeros(len(hashes) + 1, dtype=np.intp)
        edges[starts[followed]] += 1
        edges[ends[followed]] -= 1
        inside = np.cumsum(edges[:-1]) > 0
        return np.bincount(owners[inside], minlength=len(self._distinct))

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
                own = [(-self.sizes[group], q) for q in members[:limit]]
            entries = own + [(-count, q) for other, count in others for q in self.groups[other][:limit]]
            entries.sort()
            ranked[group] = [q for _, q in entries[:limit]]
        return ranked

    def _group_pairs(self) -> dict[int, list[tuple[int, int]]]:
        """For each key, the other keys sharing followed shingles (held by two to
        ``MAX_POSTINGS`` keys) with it and how many, the most first (of equals,
        the earlier): at most ``MAX_LOCAL_CANDIDATES``.  Memory stays bounded:
        each shingle pairs at most ``MAX_POSTINGS`` keys."""
        counts: Counter[tuple[int, int]] = Counter()
        # most shared shingles are held by the same few keys: each set of keys once
        for keys, shingles in Counter(shared_holders(self._distinct)).items():
            if len(keys) <= MAX_POSTINGS:
                for pair in permutations(keys, 2):
                    counts[pair] += shingles
        pairs: dict[int, list[tuple[int, int]]] = {}
        for (group, other), count in counts.items():
            pairs.setdefault(group, []).append((other, count))
        for found in pairs.values():
            found.sort(key=lambda pair: (-pair[1], pair[0]))
            del found[MAX_LOCAL_CANDIDATES:]
        return pairs


def shared_holders(distinct: Sequence[np.ndarray]) -> list[tuple[int, ...]]:
    """For each hash in more than one of these arrays (each sorted, distinct),
    the positions of the arrays holding it, in order; hashes in increasing order."""
    if len(distinct) < 2:
        return []
    hashes = np.concatenate(distinct)
    owners = np.repeat(np.arange(len(distinct)), [len(d) for d in distinct])
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    repeated = hashes[1:] == hashes[:-1]
    if not repeated.any():
        return []
    # the elements of runs of equal hashes (two or more), and where each run starts
    member = np.zeros(len(hashes), dtype=bool)
    member[1:] = repeated
    member[:-1] |= repeated
    opens = np.zeros(len(hashes), dtype=bool)
    opens[:-1] = repeated
    opens[1:] &= ~repeated
    held = owners[member].tolist()
    bounds = [*np.flatnonzero(opens[member]).tolist(), len(held)]
    return [tuple(held[start:end]) for start, end in pairwise(bounds)]


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
#: (``Item.ref``, read in C)
in_input_order: Callable[[Item], SupportsRichComparison] = attrgetter("paragraph.doc", "paragraph.index")


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
    methods, answering from what it found for the paragraphs given.  Where the
    indexes are a compiled pair (``index.paired``: a run's corpus) and the order
    is ``in_input_order``, one compiled call answers the whole document
    (``index.document_candidates``); ``pure_earlier_candidates`` is its definition.
    """
    if config.scope != "corpus":
        return {}
    if order is in_input_order:
        found = document_candidates(items, copies, bands, anchored, MAX_CANDIDATES)
        if found is not None:
            return found
    return pure_earlier_candidates(items, copies, bands, anchored, order)


def pure_earlier_candidates(
    items: Sequence[Item],
    copies: Mapping[str, Item],
    bands: BandLookup,
    anchored: AnchorLookup,
    order: Callable[[Item], SupportsRichComparison] = in_input_order,
) -> Candidates:
    """``earlier_candidates`` a paragraph at a time through the three lookups: the definition."""
    external: Candidates = {}
    for it in items:
        twin = copies.get(it.key.text)
        if twin is not None and not it.is_title:
            # nothing beats an exact copy: no need to look further
            external[it.paragraph.index] = [twin]
            continue
        near = () if it.bands is None else bands.query(it.bands)
        anchored_by = anchored.query(it.anchor_points(), limit=MAX_CANDIDATES)
        # each once, where first found (items hash as themselves)
        found = list(dict.fromkeys(chain(() if twin is None else (twin,), near, anchored_by)))
        if len(found) > 1:
            found.sort(key=order)
        if found:
            external[it.paragraph.index] = found
    return external
