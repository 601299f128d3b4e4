"""Candidates: which paragraphs might a paragraph repeat?

Two places to look: its own document (``local_candidates``: the paragraphs
sharing a shingle with it) and the kept paragraphs of earlier documents
(``earlier_candidates``: the kept copy of its key, the paragraphs sharing an
LSH band with it, the paragraphs sharing its anchor shingles).  Every candidate
is verified exactly afterwards (``verify``): a false candidate costs time,
never a wrong removal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Protocol

import numpy as np

from dedup.config import Config
from dedup.limits import MAX_CANDIDATES
from dedup.matching.index import anchors
from dedup.matching.item import Item

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

#: paragraph index -> paragraphs that may cover it
Candidates = dict[int, list[Item]]


def local_candidates(items: Sequence[Item]) -> dict[int, list[Item]]:
    """For each paragraph, the other paragraphs of the same document sharing a shingle."""
    local: dict[int, list[Item]] = {it.paragraph.index: [] for it in items}
    if len(items) < 2:
        return local
    hashes = np.concatenate([it.distinct for it in items])
    owners = np.repeat(np.arange(len(items)), [len(it.distinct) for it in items])
    # each paragraph's hashes are distinct: a hash seen twice is in two paragraphs
    _, column, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    shared = counts[column] > 1
    if not shared.any():
        return local
    _, column = np.unique(column[shared], return_inverse=True)
    owners = owners[shared]
    # paragraphs x shared hashes, a block of hashes at a time (a long document
    # full of repeats must not need a huge matrix)
    together = np.zeros((len(items), len(items)), dtype=np.float32)
    columns = int(column.max()) + 1
    width = min(columns, max(1, (1 << 22) // len(items)))
    for first in range(0, columns, width):
        inside = (column >= first) & (column < first + width)
        incidence = np.zeros((len(items), width), dtype=np.float32)
        incidence[owners[inside], column[inside] - first] = 1.0
        together += incidence @ incidence.T
    np.fill_diagonal(together, 0.0)
    for a, b in np.argwhere(together > 0).tolist():
        local[items[a].paragraph.index].append(items[b])
    return local


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
        for q in anchored.query(anchors(it.distinct).tolist(), limit=MAX_CANDIDATES):
            found.setdefault(id(q), q)
        if found:
            external[it.paragraph.index] = sorted(found.values(), key=order)
    return external
