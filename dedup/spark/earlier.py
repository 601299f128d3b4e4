"""One document resolved against the earlier kept paragraphs it can reach, given as items.

The local engine resolves document *d* against three indexes of the paragraphs
kept before it (``run.corpus``): the exact key, the LSH band keys and the anchor
shingles.  Only the *indexed* paragraphs count: a kept paragraph whose key text
an earlier kept paragraph already holds is not indexed (the first stands for
both).  *d*'s queries read only the entries under its own keys, so what it needs
of the corpus is:

* for each of its exact keys, the indexed paragraph with that key text;
* for each of its band keys, every indexed paragraph with that band key;
* for each of its anchors, the first ``MAX_POSTINGS`` + 1 indexed paragraphs
  holding it (a longer posting list stops growing there and is not followed).

``reached`` computes that set from the indexed paragraphs of the corpus;
``resolve_against`` rebuilds the three indexes from it, inserting in corpus
order, so that every list *d* reads holds the same items in the same order as in
the local engine (an anchor list is a prefix in corpus order; the first
``MAX_POSTINGS`` + 1 earlier holders are all reached, and any other reached
holder comes after them), and calls the same ``earlier_candidates`` and
``clean_document``.  Items reached through another key only add entries under
keys *d* does not query.  So given the same indexed paragraphs before it, *d*
gets the same ``Resolution``: documents become independent tasks once the
indexed paragraphs are known (``spark.rounds`` finds them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from dedup.config import Config
from dedup.limits import MAX_POSTINGS
from dedup.matching.candidates import Candidates, earlier_candidates, in_input_order
from dedup.matching.features import Extracted
from dedup.matching.index import BandIndex, ShingleIndex, anchors
from dedup.matching.item import Item, Ref
from dedup.matching.resolve import DocumentOrder
from dedup.run.document import Resolution, clean_document

#: an anchor posting list is cut at this length; a list this long is never followed
POSTING_CUT = MAX_POSTINGS + 1


def resolve_against(
    extracted: Extracted,
    earlier: Iterable[Item],
    config: Config,
    order: DocumentOrder,
    offsets: bool = True,
) -> Resolution:
    """``extracted`` resolved against ``earlier``: indexed paragraphs of earlier
    documents (with their band keys), at least those ``reached`` by its keys."""
    external = candidates_against(extracted, earlier, config)
    return clean_document(extracted, external, config, order, offsets)


def candidates_against(extracted: Extracted, earlier: Iterable[Item], config: Config) -> Candidates:
    """The candidates from earlier documents the local engine gives ``extracted``
    (``earlier_candidates``), from the indexes rebuilt of ``earlier``."""
    exact: dict[str, Item] = {}
    near: BandIndex[Item] = BandIndex()
    contain: ShingleIndex[Item] = ShingleIndex()
    for it in sorted(earlier, key=in_input_order):
        exact.setdefault(it.key.text, it)
        if it.bands is not None:
            near.add(it, it.bands)
        contain.add(it, anchors(it.distinct).tolist())
    return earlier_candidates(extracted.items, exact, near, contain, config)


def candidate_refs(external: Candidates) -> list[tuple[int, list[Ref]]]:
    """The candidates by paragraph, as refs: what ``clean_document`` is given
    from other documents (two resolutions given equal refs are equal)."""
    return [(index, [q.ref for q in found]) for index, found in sorted(external.items())]


def indexed_items(documents: Sequence[Extracted], redundant: Sequence[set[int]]) -> list[Item]:
    """The paragraphs the local engine indexes, in corpus order: those not
    redundant (``redundant[n]``: paragraph indexes of document ``n``) whose key
    text no earlier indexed paragraph holds."""
    seen: set[str] = set()
    out: list[Item] = []
    for extracted, gone in zip(documents, redundant, strict=True):
        for it in extracted.items:
            if it.paragraph.index not in gone and it.key.text not in seen:
                seen.add(it.key.text)
                out.append(it)
    return out


class Reach:
    """Which indexed paragraphs a document's keys reach (the Python twin of the
    SQL of ``spark.rounds``, for tests and measurements)."""

    def __init__(self, indexed: Iterable[Item]) -> None:
        self.exact: dict[str, Item] = {}
        self.bands: dict[int, list[Item]] = {}
        self.anchors: dict[int, list[Item]] = {}
        for it in indexed:
            self.exact.setdefault(it.key.text, it)
            if it.bands is not None:
                for key in it.bands.tolist():
                    self.bands.setdefault(key, []).append(it)
            for h in anchors(it.distinct).tolist():
                held = self.anchors.setdefault(h, [])
                if len(held) < POSTING_CUT:
                    held.append(it)

    def reached(self, extracted: Extracted) -> dict[Ref, Item]:
        """The indexed paragraphs of earlier documents under the document's keys."""
        doc = extracted.index
        found: dict[Ref, Item] = {}
        for it in extracted.items:
            lists: list[Sequence[Item]] = []
            twin = self.exact.get(it.key.text)
            if twin is not None:
                lists.append((twin,))
            if it.bands is not None:
                lists.extend(self.bands.get(k, ()) for k in it.bands.tolist())
            lists.extend(self.anchors.get(h, ()) for h in _anchor_list(it.distinct))
            for held in lists:
                for q in held:
                    if q.paragraph.doc < doc:
                        found[q.ref] = q
        return found


def _anchor_list(distinct: np.ndarray) -> list[int]:
    return list(anchors(distinct).tolist())


def fixed_point(
    documents: Sequence[Extracted],
    config: Config,
    order: Mapping[str, int],
    guess: Sequence[set[int]] | None = None,
    max_rounds: int = 1000,
) -> tuple[list[Resolution], list[int], list[int]]:
    """Every document resolved by rounds (Jacobi): each round resolves, in any
    order, the documents whose reached set changed, against the indexed
    paragraphs of the previous round; it stops when no redundant set changes.
    A document whose reached set changed but whose candidates (``candidate_refs``)
    did not is not resolved again: ``clean_document`` would be given the same.
    Returns the resolutions, how many documents each round resolved, and how
    many it did not resolve again for that reason."""
    redundant = [set(g) for g in guess] if guess is not None else [set() for _ in documents]
    seen: list[frozenset[Ref] | None] = [None] * len(documents)
    given: list[list[tuple[int, list[Ref]]] | None] = [None] * len(documents)
    same: list[int] = []
    results: list[Resolution | None] = [None] * len(documents)
    counts: list[int] = []

    def place(doc_id: str) -> int:
        return order.get(doc_id, 0)

    for _ in range(max_rounds):
        reach = Reach(indexed_items(documents, redundant))
        resolved = unchanged = 0
        for n, extracted in enumerate(documents):
            found = reach.reached(extracted)
            refs = frozenset(found)
            if refs == seen[n]:
                continue
            seen[n] = refs
            external = candidates_against(extracted, found.values(), config)
            refs_now = candidate_refs(external)
            if refs_now == given[n]:
                unchanged += 1
                continue
            given[n] = refs_now
            results[n] = clean_document(extracted, external, config, place)
            resolved += 1
        counts.append(resolved)
        same.append(unchanged)
        now = [set(r.decisions) for r in results if r is not None]
        if now == redundant:
            break
        redundant = now
    return [r for r in results if r is not None], counts, same
