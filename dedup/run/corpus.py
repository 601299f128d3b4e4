"""The kept corpus of a run: documents resolved in input order, each against the
paragraphs kept from the documents before it.

Only once a document is resolved do its kept paragraphs enter the indexes, so
cross-document redundancy is always relative to earlier documents and the
first copy in corpus order survives.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

from dedup.config import Config
from dedup.matching.candidates import earlier_candidates
from dedup.matching.features import Extracted
from dedup.matching.index import BandIndex, ShingleIndex, anchors
from dedup.matching.item import Item, RecentTables
from dedup.matching.verify import Decision
from dedup.records import Result
from dedup.run.document import clean_document

#: kept paragraphs whose comparison tables are kept (see ``RecentTables``)
RECENT_TABLES = 20_000


class Corpus:
    """What the run has kept so far, indexed for the documents still to come."""

    def __init__(self, config: Config, offsets: bool = True) -> None:
        self.config = config
        #: exact match offsets in removals (``clean_document``): only a report needs them
        self.offsets = offsets
        # exact copies, however short, are found by their key alone
        self.exact: dict[str, Item] = {}
        self.near: BandIndex[Item] = BandIndex()
        self.contain: ShingleIndex[Item] = ShingleIndex()
        #: document id -> input position of its first document (ids may repeat)
        self._order: dict[str, int] = {}
        self._tables = RecentTables(RECENT_TABLES)

    def _position(self, doc_id: str) -> int:
        return self._order.get(doc_id, 0)

    def clean(self, extracted: Extracted) -> Result:
        """Resolve the next document in input order, then keep what it keeps."""
        self._order.setdefault(extracted.document.id, extracted.index)
        items = extracted.items
        external = earlier_candidates(items, self.exact, self.near, self.contain, self.config)
        resolution = clean_document(extracted, external, self.config, self._position, self.offsets)
        indexed = self._remember(items, resolution.decisions)
        self._tables.used(chain(indexed, *external.values()))
        return resolution.result

    def _remember(self, items: Sequence[Item], removed: dict[int, Decision]) -> list[Item]:
        """Index the document's kept paragraphs; the ones indexed are returned."""
        indexed: list[Item] = []
        if self.config.scope != "corpus":
            return indexed
        for it in items:
            if it.paragraph.index in removed:
                continue
            # the signature was only needed to find candidates
            bands, it.signature, it.bands = it.bands, None, None
            if self.exact.setdefault(it.key.text, it) is not it:
                # A copy of a kept paragraph (a title, a byline: never removed
                # across articles) would only be found next to the first copy,
                # taking a candidate's place: the first stands for both.
                continue
            if bands is not None:
                self.near.add(it, bands)
            self.contain.add(it, anchors(it.distinct).tolist())
            indexed.append(it)
        return indexed
