"""One document resolved against the earlier kept paragraphs it can reach, given as items.

The local engine resolves document *d* against three indexes of the paragraphs
kept before it (``run.corpus``): the exact key, the LSH band keys and the anchor
shingles.  Only the *indexed* paragraphs count: what a resolved document offers
(``run.corpus.offered``: its kept paragraphs, then the paragraphs its joins make,
the pieces of a join without their anchors), less those whose key text an
earlier offer already holds (the first stands for both).  *d*'s queries read
only the entries under its own keys, so what it needs
of the corpus is:

* for each of its exact keys, the indexed paragraph with that key text;
* for each of its band keys, every indexed paragraph with that band key;
* for each of its anchors, the first ``MAX_POSTINGS`` + 1 indexed paragraphs
  holding it (a longer posting list stops growing there and is not followed);
* but of a paragraph with an earlier exact copy (not a title), only that copy:
  ``earlier_candidates`` gives it that copy alone, so no lookup reads its band
  keys and anchors (the other paragraphs' lookups read theirs, whole).

``reached`` computes that set from the indexed paragraphs of the corpus;
``resolve_against`` rebuilds the three indexes from it, inserting in indexing
order (documents in corpus order, each document's offers in order), so that
every list *d* reads holds the same items in the same order as in
the local engine (an anchor list is a prefix in indexing order; the first
``MAX_POSTINGS`` + 1 earlier holders are all reached, and any other reached
holder comes after them), and calls the same ``earlier_candidates`` and
``clean_document``.  Items reached through another key only add entries under
keys no lookup of *d* reads.  So given the same indexed paragraphs before it, *d*
gets the same ``Resolution``: documents become independent tasks once the
indexed paragraphs are known (``spark.rounds`` finds them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dedup.config import Config
from dedup.limits import MAX_POSTINGS
from dedup.matching.candidates import Candidates, earlier_candidates
from dedup.matching.features import Extracted, Extractor
from dedup.matching.index import anchors, index_document, paired
from dedup.matching.item import Item
from dedup.matching.resolve import DocumentOrder
from dedup.run.corpus import offered
from dedup.run.document import Resolution, clean_document

#: an anchor posting list is cut at this length; a list this long is never followed
POSTING_CUT = MAX_POSTINGS + 1
#: where the seq of a document's joined paragraphs starts (``seqs``)
JOINED = 1 << 30

#: a paragraph offered for indexing: (document, its place among the document's offers)
Slot = tuple[int, int]
#: what tells two candidates apart: their ref, and for a joined paragraph (which
#: shares its head's ref) where its pieces break and its length
Ident = tuple[int, int, tuple[tuple[int, int], ...], int]


@dataclass(frozen=True, slots=True)
class Offer:
    """A paragraph a resolved document offers the indexes (``run.corpus.offered``)."""

    item: Item
    #: whether its anchors are indexed (not for the pieces of a joined paragraph)
    anchored: bool


def ident(it: Item) -> Ident:
    return (it.paragraph.doc, it.paragraph.index, it.key.breaks, it.size)


def seqs(offers: Sequence[Offer]) -> list[int]:
    """Where each of a document's offers comes among them (its slot's second half): a
    kept paragraph by its index, a joined one after ``JOINED``, in order; an offer made
    in two rounds keeps its place (a kept paragraph) or is a new one (a join)."""
    out: list[int] = []
    joined = 0
    for offer in offers:
        if offer.item.key.breaks:
            out.append(JOINED + joined)
            joined += 1
        else:
            out.append(offer.item.paragraph.index)
    return out


def mark(offer: Offer) -> str:
    """An offer told apart from its document's other offers, in this round and the next
    (its ``ident`` without the document, and whether it is anchored), as text."""
    return json.dumps([*ident(offer.item)[1:], offer.anchored], separators=(",", ":"))


class Redone:
    """The documents of a part resolved anew in this round whose offers changed, in
    corpus order: what each offers now, by mark, and every offer of theirs indexed
    (``Reach``) in the order they were resolved."""

    def __init__(self) -> None:
        self.offered: dict[int, frozenset[str]] = {}
        self.reach = Reach({})

    def add(self, doc: int, offers: Sequence[Offer]) -> None:
        """Document ``doc`` (after every one added so far) now offers ``offers``."""
        self.offered[doc] = frozenset(mark(o) for o in offers)
        for seq, offer in zip(seqs(offers), offers, strict=True):
            self.reach.add((doc, seq), offer)


def refreshed(
    extracted: Extracted, earlier: Sequence[tuple[Slot, Offer]], redone: Redone
) -> list[tuple[Slot, Offer]]:
    """What ``extracted`` is resolved against in a round (Gauss–Seidel within its
    part): ``earlier`` (in indexing order, reached under the last round's offers)
    with what the part's earlier documents ``redone`` in this round offer now, as
    far as the part can tell: an offer one of them no longer makes is dropped, and
    one it makes now is added where the document's keys reach it and no offer in view
    before it has its key text (one an earlier holder no longer shadows, one a join
    made).  Only a guess, the rounds check it: when no document of the part changed
    its offers, this is ``earlier`` itself, so at the fixed point every document was
    resolved against exactly what it reaches."""
    if not redone.offered:
        return list(earlier)
    offered = redone.offered
    kept = [(s, o) for s, o in earlier if s[0] not in offered or mark(o) in offered[s[0]]]
    seen = {(s, mark(o)) for s, o in kept}
    held: dict[str, Slot] = {}
    for s, o in kept:
        held.setdefault(o.item.key.text, s)
    for slot in redone.reach.reached(extracted):
        offer = redone.reach.index[slot]
        text = offer.item.key.text
        if (slot, mark(offer)) not in seen and held.get(text, slot) >= slot:
            held[text] = slot
            kept.append((slot, offer))
    return sorted(kept, key=lambda found: found[0])


def resolve_against(
    extracted: Extracted,
    earlier: Iterable[Offer],
    config: Config,
    order: DocumentOrder,
    offsets: bool = True,
) -> Resolution:
    """``extracted`` resolved against ``earlier``: indexed paragraphs of earlier
    documents (with their band keys), in indexing order, at least those
    ``reached`` by its keys."""
    external = candidates_against(extracted, earlier, config)
    return clean_document(extracted, external, config, order, offsets)


def candidates_against(extracted: Extracted, earlier: Iterable[Offer], config: Config) -> Candidates:
    """The candidates from earlier documents the local engine gives ``extracted``
    (``earlier_candidates``), from the indexes rebuilt of ``earlier`` (in indexing order) as the
    local engine builds them (``paired``: one compiled call fills both and one answers)."""
    offers = list(earlier)
    items = [offer.item for offer in offers]
    exact: dict[str, Item] = {}
    for it in items:
        exact.setdefault(it.key.text, it)
    near, contain = paired()
    index_document(near, contain, items, [it.bands for it in items], [offer.anchored for offer in offers])
    return earlier_candidates(extracted.items, exact, near, contain, config)


def candidate_refs(external: Candidates) -> list[tuple[int, list[Ident]]]:
    """The candidates by paragraph, identified: what ``clean_document`` is given
    from other documents (two resolutions given equal lists are equal)."""
    return [(index, [ident(q) for q in found]) for index, found in sorted(external.items())]


def first_offers(extracted: Extracted) -> list[Offer]:
    """What a document offers before it is resolved (round 0's guess): every paragraph, anchored."""
    return [Offer(it, True) for it in extracted.items]


def offers_of(
    extracted: Extracted, resolution: Resolution, config: Config, extractor: Extractor
) -> list[Offer]:
    """What a resolved document offers the indexes (``run.corpus.offered``)."""
    return [Offer(it, anchored) for it, anchored in offered(extracted, resolution, config, lambda: extractor)]


def indexed(offers: Sequence[Sequence[Offer]]) -> dict[Slot, Offer]:
    """The offers the local engine indexes, in indexing order: the first of each key text."""
    seen: set[str] = set()
    out: dict[Slot, Offer] = {}
    for doc, offered_here in enumerate(offers):
        for seq, offer in zip(seqs(offered_here), offered_here, strict=True):
            if offer.item.key.text not in seen:
                seen.add(offer.item.key.text)
                out[(doc, seq)] = offer
    return out


class Reach:
    """Which indexed paragraphs a document's keys reach (the Python twin of the
    SQL of ``spark.rounds``, for tests and measurements)."""

    def __init__(self, index: Mapping[Slot, Offer]) -> None:
        self.exact: dict[str, Slot] = {}
        self.bands: dict[int, list[Slot]] = {}
        self.anchors: dict[int, list[Slot]] = {}
        self.index: dict[Slot, Offer] = {}
        for slot, offer in index.items():
            self.add(slot, offer)

    def add(self, slot: Slot, offer: Offer) -> None:
        """Index one more offer (after every one indexed so far)."""
        self.index[slot] = offer
        it = offer.item
        self.exact.setdefault(it.key.text, slot)
        if it.bands is not None:
            for key in it.bands.tolist():
                self.bands.setdefault(key, []).append(slot)
        if offer.anchored:
            for h in anchors(it.distinct).tolist():
                held = self.anchors.setdefault(h, [])
                if len(held) < POSTING_CUT:
                    held.append(slot)

    def reached(self, extracted: Extracted) -> list[Slot]:
        """The indexed paragraphs of earlier documents under the document's keys, in indexing order."""
        doc = extracted.index
        found: set[Slot] = set()
        for it in extracted.items:
            lists: list[Sequence[Slot]] = []
            twin = self.exact.get(it.key.text)
            if twin is not None:
                lists.append((twin,))
                if twin[0] < doc and not it.is_title:
                    # given that copy alone: no lookup reads its other keys (``rounds.needed_keys``)
                    found.add(twin)
                    continue
            if it.bands is not None:
                lists.extend(self.bands.get(k, ()) for k in it.bands.tolist())
            lists.extend(self.anchors.get(h, ()) for h in anchors(it.distinct).tolist())
            found.update(slot for held in lists for slot in held if slot[0] < doc)
        return sorted(found)


def fixed_point(
    documents: Sequence[Extracted],
    config: Config,
    order: Mapping[str, int],
    max_rounds: int = 1000,
    parts: Sequence[int] | None = None,
) -> tuple[list[Resolution], list[int]]:
    """Every document resolved by rounds: each round resolves the documents whose
    reached set changed, against the paragraphs indexed under the previous round's
    offers (Jacobi), as ``refreshed`` by what the earlier documents of its part
    (``parts``: default, each document a part of its own) resolved in this round
    offer now (Gauss–Seidel within a part, in corpus order); it stops when no
    document's offers change.  A document whose reached set changed but whose
    candidates (``candidate_refs``) did not is not resolved again:
    ``clean_document`` would be given the same.  Returns the resolutions and how
    many documents each round resolved."""
    extractor = Extractor(config)
    offers = [first_offers(x) for x in documents]
    part_of = list(range(len(documents))) if parts is None else list(parts)
    # what a document was resolved against, by identity: slots are renumbered when offers change
    seen: list[list[tuple[Ident, bool]] | None] = [None] * len(documents)
    given: list[list[tuple[int, list[Ident]]] | None] = [None] * len(documents)
    results: list[Resolution | None] = [None] * len(documents)
    counts: list[int] = []

    def place(doc_id: str) -> int:
        return order.get(doc_id, 0)

    for _ in range(max_rounds):
        reach = Reach(indexed(offers))
        now = list(offers)
        redone: dict[int, Redone] = {}
        for n, extracted in enumerate(documents):
            found = [(s, reach.index[s]) for s in reach.reached(extracted)]
            if _signature([o for _, o in found]) == seen[n]:
                continue
            part = redone.setdefault(part_of[n], Redone())
            used = [o for _, o in refreshed(extracted, found, part)]
            seen[n] = _signature(used)
            external = candidates_against(extracted, used, config)
            if candidate_refs(external) == given[n]:
                continue
            given[n] = candidate_refs(external)
            resolution = results[n] = clean_document(extracted, external, config, place)
            now[n] = offers_of(extracted, resolution, config, extractor)
            if [mark(o) for o in now[n]] != [mark(o) for o in offers[n]]:
                part.add(n, now[n])
        counts.append(sum(a is not b for a, b in zip(now, offers, strict=True)))
        changed = [_signature(a) != _signature(b) for a, b in zip(now, offers, strict=True)]
        offers = now
        if not any(changed):
            break
    return [r for r in results if r is not None], counts


def _signature(offers: Sequence[Offer]) -> list[tuple[Ident, bool]]:
    return [(ident(o.item), o.anchored) for o in offers]
