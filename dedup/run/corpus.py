"""The kept corpus of a run: documents resolved in input order, each against the
paragraphs kept from the documents before it.

Only once a document is resolved do its kept paragraphs enter the indexes, so
cross-document redundancy is always relative to earlier documents and the
first copy in corpus order survives.

The kept paragraphs are held in memory (``exact``, ``near``, ``contain``) until
their estimated size passes the run's ``memory_budget``; then all of them move
to a temporary SQLite file (``spill.SpillStore``) and memory starts afresh, so
a long run's memory stays flat.  Lookups then combine both parts
(``tiers``) and answer exactly as one index would: the budget changes where
the state lives, never a result.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Sequence
from itertools import chain
from types import TracebackType
from typing import TYPE_CHECKING

import numpy as np

from dedup.config import Config, budget_bytes
from dedup.matching.candidates import AnchorLookup, BandLookup, earlier_candidates
from dedup.matching.features import Extracted, Extractor
from dedup.matching.index import BandIndex, ShingleIndex, index_document, paired
from dedup.matching.item import Item, RecentTables
from dedup.matching.resolve import DocumentOrder
from dedup.records import Result, Shingles
from dedup.run.document import Resolution, clean_document, joined_paragraphs
from dedup.run.spill import Found, SpillStore, signed
from dedup.run.tiers import Anchors, Bands, Copies

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

#: kept paragraphs whose comparison tables are kept (see ``RecentTables``)
RECENT_TABLES = 20_000

# What an indexed paragraph costs in memory, measured on the big set
# (``make bench-memory``): the item and its records, its key (twice: the key and
# its source), its arrays, and a bucket entry per band key and per anchor.
ITEM_BYTES = 900
CHAR_BYTES = 4
BAND_BYTES = 170
ANCHOR_BYTES = 150


class Corpus:
    """What the run has kept so far, indexed for the documents still to come."""

    def __init__(
        self,
        config: Config,
        offsets: bool = True,
        order: DocumentOrder | None = None,
        spill_dir: str | None = None,
        single: bool = False,
    ) -> None:
        """``offsets``: exact match offsets in removals (``clean_document``), which only a report
        needs; ``order`` places a document id in the corpus (default: the input position of its
        first document here): an engine resolving a part of a corpus passes the order of the whole;
        ``spill_dir``: where the kept paragraphs past the memory budget go (a temporary file);
        ``single``: one document and nothing after it (``dedup.clean_text``), so nothing it keeps
        is indexed (for an article of 200,000 paragraphs, about 1 GB never needed)."""
        self.config = config
        self.offsets = offsets
        self._given_order = order
        self._single = single
        # exact copies, however short, are found by their key alone
        self.exact: dict[str, Item] = {}
        self.near: BandIndex[Item]
        self.contain: ShingleIndex[Item]
        # numbered together: one compiled call per document answers and fills both
        self.near, self.contain = paired()
        #: document id -> input position of its first document (ids may repeat)
        self._order: dict[str, int] = {}
        self._tables = RecentTables(RECENT_TABLES)
        #: estimated bytes of the kept paragraphs in memory, and how many may be
        self.held = 0
        self._budget = budget_bytes(config.memory_budget)
        self._spill_dir = spill_dir
        self._store: SpillStore | None = None
        #: signs the paragraphs that joins make (a worker extracted the rest)
        self._extractor: Extractor | None = None
        #: kept paragraphs whose arrays are views into the same flat arrays (``_settle``), and those
        self._viewing: list[Item] = []
        self._viewed: _Flat | None = None

    @property
    def spilled(self) -> int:
        """Kept paragraphs moved to disk so far."""
        return 0 if self._store is None else self._store.spilled

    def close(self) -> None:
        """Delete the spilled part, if any; the corpus cannot be used after."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _position(self, doc_id: str) -> SupportsRichComparison:
        if self._given_order is not None:
            return self._given_order(doc_id)
        return self._order.get(doc_id, 0)

    def clean(self, extracted: Extracted) -> Result:
        """Resolve the next document in input order, then keep what it keeps."""
        self._order.setdefault(extracted.document.id, extracted.index)
        items = extracted.items
        copies, bands, anchored, spilled_keys = self._lookups(items)
        external = earlier_candidates(items, copies, bands, anchored, self.config)
        resolution = clean_document(extracted, external, self.config, self._position, self.offsets)
        indexed = self._remember(self._offered(extracted, resolution), spilled_keys)
        self._tables.used(chain(indexed, *external.values()))
        if self._budget is not None and self.held > self._budget:
            self._spill()
        return resolution.result

    def _lookups(
        self, items: Sequence[Item]
    ) -> tuple[dict[str, Item] | Copies, BandLookup, AnchorLookup, Container[str]]:
        """Where the document's candidates are looked up: the indexes in memory
        alone, or, once the run has spilled, both parts."""
        store = self._store
        if store is None or self.config.scope != "corpus":
            return self.exact, self.near, self.contain, ()
        found: Found = store.find(
            (it.key.text for it in items),
            chain.from_iterable(signed(it.bands) for it in items if it.bands is not None),
            chain.from_iterable(it.anchor_points() for it in items),
        )
        return (
            Copies(self.exact, found, store),
            Bands(self.near, found, store),
            Anchors(self.contain, found, store),
            found.copies,
        )

    def _offered(self, extracted: Extracted, resolution: Resolution) -> list[tuple[Item, bool]]:
        if self.config.scope != "corpus" or self._single:
            return []
        return offered(extracted, resolution, self.config, self._joins_extractor)

    def load_ahead(self) -> None:
        """Make now what resolving the first documents would make on first use (the extractor that
        signs the paragraphs joins make: 12 ms), for a process that waits for them anyway."""
        if self.config.scope == "corpus" and not self._single:
            self._joins_extractor()

    def _joins_extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor(self.config)
        return self._extractor

    def _remember(self, kept: Sequence[tuple[Item, bool]], spilled: Container[str]) -> list[Item]:
        """Index the paragraphs a document offers (``offered``), not those whose
        key is kept already, in memory or ``spilled``; the ones indexed are returned."""
        indexed: list[Item] = []
        keys: list[np.ndarray | None] = []
        anchored: list[bool] = []
        held = 0
        for it, anchors_too in kept:
            # the signature was only needed to find candidates
            bands, it.signature, it.bands, it.anchors = it.bands, None, None, None
            if it.key.text in spilled or self.exact.setdefault(it.key.text, it) is not it:
                # A copy of a kept paragraph (a title, a byline: never removed
                # across articles) would only be found next to the first copy,
                # taking a candidate's place: the first stands for both.
                continue
            self._viewed_by(it)
            if bands is not None:
                held += BAND_BYTES * len(bands)
            held += _item_bytes(it)
            indexed.append(it)
            keys.append(bands)
            anchored.append(anchors_too)
        points = index_document(self.near, self.contain, indexed, keys, anchored)
        self.held += held + ANCHOR_BYTES * points
        return indexed

    def _viewed_by(self, it: Item) -> None:
        """Note a kept paragraph whose arrays are views into flat arrays (``_settle``), settling
        the paragraphs noted before when these are other arrays (the next chunk's)."""
        flat = _flat_arrays(it)
        if flat is None:
            _own_arrays(it)  # (views of some other kind, or none: then nothing to do)
            return
        if self._viewed is None or any(a is not b for a, b in zip(flat, self._viewed, strict=True)):
            self._settle()
            self._viewed = flat
        self._viewing.append(it)

    def _settle(self) -> None:
        """Items extracted together hold views into their chunk's flat arrays (``parallel``); one
        kept paragraph would keep them all alive (about a megabyte) for the run.  The kept
        paragraphs of a chunk keep their views when they use at least half of those arrays (the
        rest counts as held), and are given arrays of their own otherwise.  Most paragraphs
        new to a corpus are kept: copying each took 2 % of the resolving process on a corpus
        of new paragraphs (and the arrays stayed held anyway while ``parallel.Received``
        remembered their keys)."""
        items, flat = self._viewing, self._viewed
        self._viewing, self._viewed = [], None
        if flat is None or not items:
            return
        whole = sum(array.nbytes for array in flat)
        used = 0
        for it in items:
            used += it.shingles.hashes.nbytes + it.shingles.spans.nbytes + it.shingles.distinct.nbytes
        if 2 * used >= whole:
            self.held += whole - used
            return
        for it in items:
            _own_arrays(it)

    def _spill(self) -> None:
        """Move every kept paragraph held in memory to the spill store."""
        self._viewing, self._viewed = [], None  # (spilled: no longer held here)
        if self._store is None:
            self._store = SpillStore(self._spill_dir)
        self._store.spill(self.exact.values(), self.near, self.contain)
        self.exact = {}
        self.near, self.contain = paired()
        self.held = 0


def offered(
    extracted: Extracted, resolution: Resolution, config: Config, extractor: Callable[[], Extractor]
) -> list[tuple[Item, bool]]:
    """What a resolved document offers the corpus indexes, in the order they are
    indexed: its kept paragraphs, then the paragraphs its joins make of them
    (what its cleaned copy holds: a later copy of a paragraph the page broke
    repeats neither half alone; with the halves only, a second pass would find
    what the first missed), signed by ``extractor()`` as extraction signs a
    paragraph; each with whether its anchors are indexed.  The pieces of a
    joined paragraph are found by their key and their bands (a copy or an edited
    copy of one), not by their anchors: their joined paragraph holds those, and a
    piece of either half is cut from it at an edge of its pieces
    (``roles.is_cut_from``).  Listed twice, they would take two of a later
    paragraph's few anchor candidates (``MAX_CANDIDATES``).  One definition, for
    ``Corpus`` and for engines that index elsewhere (``spark.earlier``)."""
    kept = [it for it in extracted.items if it.paragraph.index not in resolution.decisions]
    joins = resolution.result.joins
    if not joins:
        return [(it, True) for it in kept]
    made = resolution.joined
    if made is None:
        made = joined_paragraphs(extracted, joins, config)
    for it in made:
        # signed from the shingles the join already made (not segmented again)
        it.bands = extractor().band_keys_of(it.key.text, it.shingles)
    pieces = {i for j in joins for i in (j.head, j.tail)}
    return [(it, not (it.paragraph.index in pieces and not it.key.breaks)) for it in [*kept, *made]]


#: the flat arrays a paragraph's hashes, spans and distinct hashes are views into
_Flat = tuple[np.ndarray, np.ndarray, np.ndarray]


def _flat_arrays(it: Item) -> _Flat | None:
    """The arrays ``it``'s shingle arrays are views into (``None``: one at least is its own)."""
    shingles = it.shingles
    hashes, spans, distinct = shingles.hashes.base, shingles.spans.base, shingles.distinct.base
    if hashes is None or spans is None or distinct is None or it.distinct is not shingles.distinct:
        return None
    return hashes, spans, distinct


def _own_arrays(it: Item) -> None:
    """Give a kept paragraph arrays of its own (``Corpus._settle``)."""
    shingles = it.shingles
    if shingles.hashes.base is None and shingles.spans.base is None and shingles.distinct.base is None:
        return
    own = Shingles(shingles.hashes.copy(), shingles.spans.copy(), shingles.tokens, shingles.distinct.copy())
    it.shingles, it.distinct = own, own.distinct


def _item_bytes(it: Item) -> int:
    shingles = it.shingles
    arrays = shingles.hashes.nbytes + shingles.spans.nbytes + shingles.distinct.nbytes
    return ITEM_BYTES + CHAR_BYTES * (len(it.key.text) + len(it.key.source)) + arrays
