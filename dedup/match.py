"""Verification and decisions: which paragraphs are redundant, and what they repeat.

Candidates from the indexes are checked exactly on shingle sets.  A paragraph
is redundant when the paragraphs that are still kept cover it: its normalised
characters all (up to ``cover_threshold``, and never a long run) lie inside
shingles that those paragraphs also have.  Redundant paragraphs are removed one
at a time, most redundant and largest first, and the coverage of the rest is
re-checked against what is still kept, so that of two copies one always
survives and a fragment goes before the paragraph that contains it.

The kind of a removal follows from its evidence: ``exact`` (same key), ``near``
(one other paragraph, which it covers back), ``fragment`` (one larger
paragraph), ``splice`` (two or more paragraphs), ``boilerplate`` (a short line
from an earlier article).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from dedup.config import Config
from dedup.records import Key, Match, Paragraph, RemovalKind, Shingles
from dedup.shingle import covered_mask, jaccard

Ref = tuple[int, int]


@dataclass(slots=True, eq=False)
class Item:
    """A paragraph with everything the matcher needs to know about it."""

    doc_id: str
    paragraph: Paragraph
    key: Key
    shingles: Shingles
    distinct: frozenset[int]
    noise: int
    is_title: bool = False

    @property
    def ref(self) -> Ref:
        return (self.paragraph.doc, self.paragraph.index)

    @property
    def size(self) -> int:
        return len(self.key.text)


@dataclass(frozen=True, slots=True)
class Decision:
    """A paragraph found redundant, with the paragraphs that cover it."""

    item: Item
    kind: RemovalKind
    score: float
    matches: tuple[Match, ...]
    coverage: float
    cover: tuple[Item, ...] = field(default=())


@dataclass(slots=True)
class _Cover:
    coverage: float
    longest_gap: int
    chosen: list[Item]
    masks: list[list[bool]]


def _region(q: Item, p: Item) -> Match:
    """Where in ``q`` the text shared with ``p`` lies, as offsets into q's document."""
    if q.key.text == p.key.text or not q.key.origin:
        start, end = q.paragraph.content_start, q.paragraph.content_end
    else:
        mask = covered_mask(q.shingles, q.size, p.distinct)
        hits = [i for i, hit in enumerate(mask) if hit]
        if hits:
            start, end = q.key.origin[hits[0]], q.key.origin[hits[-1]] + 1
        else:
            start, end = q.paragraph.content_start, q.paragraph.content_end
    return Match(id=q.doc_id, paragraph=q.paragraph.index, start=start, end=end)


def _longest_gap(mask: Sequence[bool]) -> int:
    longest = run = 0
    for hit in mask:
        run = 0 if hit else run + 1
        longest = max(longest, run)
    return longest


def _cover(p: Item, candidates: Sequence[Item], config: Config) -> _Cover:
    """Greedy set cover of ``p`` by candidates: the best contributor first, then
    whichever adds most, while each adds a meaningful share."""
    n = p.size
    covered = [False] * n
    chosen: list[Item] = []
    masks: list[list[bool]] = []
    pool = list(candidates)
    min_gain = max(4, n // 10)
    while pool:
        best_gain, best, best_mask = 0, None, None
        for q in pool:
            mask = covered_mask(p.shingles, n, q.distinct)
            gain = sum(1 for a, b in zip(mask, covered, strict=True) if a and not b)
            if gain > best_gain:
                best_gain, best, best_mask = gain, q, mask
        if best is None or best_mask is None or (chosen and best_gain < min_gain):
            break
        chosen.append(best)
        masks.append(best_mask)
        covered = [a or b for a, b in zip(covered, best_mask, strict=True)]
        pool.remove(best)
    total = sum(covered)
    return _Cover(total / n if n else 0.0, _longest_gap(covered), chosen, masks)


def _exact_twin(p: Item, candidates: Sequence[Item]) -> Item | None:
    for q in candidates:
        if q.key.text == p.key.text:
            return q
    return None


def _classify(p: Item, cover: _Cover, config: Config) -> tuple[RemovalKind, float]:
    if len(cover.chosen) > 1:
        return "splice", cover.coverage
    q = cover.chosen[0]
    back = covered_mask(q.shingles, q.size, p.distinct)
    if q.size and sum(back) / q.size >= config.near_threshold and _longest_gap(back) <= config.max_gap:
        return "near", jaccard(p.distinct, q.distinct)
    return "fragment", cover.coverage


def evaluate(p: Item, candidates: Sequence[Item], config: Config, cross_doc: bool) -> Decision | None:
    """Is ``p`` redundant given the (kept) ``candidates``?  ``None`` when it is not."""
    if not p.key.text:
        return None
    twin = _exact_twin(p, candidates)
    if twin is not None:
        short_line = p.paragraph.shape == "heading" or p.size < config.min_chars
        kind: RemovalKind = "boilerplate" if cross_doc and short_line and twin.doc_id != p.doc_id else "exact"
        return Decision(p, kind, 1.0, (_region(twin, p),), 1.0, (twin,))
    if p.paragraph.shape == "heading" or p.size < config.min_chars:
        return None
    usable = [q for q in candidates if q.size >= config.min_chars]
    if not usable:
        return None
    cover = _cover(p, usable, config)
    if not cover.chosen or cover.coverage < config.cover_threshold:
        return None
    if cover.longest_gap > config.max_gap:
        return None
    kind, score = _classify(p, cover, config)
    matches = tuple(_region(q, p) for q in cover.chosen)
    return Decision(p, kind, round(score, 4), matches, cover.coverage, tuple(cover.chosen))


def _priority(decision: Decision, removed_or_covered: set[int], config: Config) -> tuple[float, ...]:
    """Sort key of a redundant paragraph: the greatest is removed first."""
    p = decision.item
    position = p.paragraph.index
    if config.keep == "first":
        return (round(decision.coverage, 3), position)
    neighbours = sum(1 for i in (position - 1, position + 1) if i in removed_or_covered)
    return (round(decision.coverage, 3), p.size, p.noise, neighbours, position)


def resolve_document(
    items: Sequence[Item], external: dict[int, list[Item]], config: Config
) -> dict[int, Decision]:
    """Decide which paragraphs of one document are redundant.

    ``items`` are the document's paragraphs with content; ``external`` maps a
    paragraph index to kept paragraphs of earlier documents that may cover it.
    Returns the decisions by paragraph index.
    """
    postings: dict[int, list[Item]] = {}
    for it in items:
        for h in it.distinct:
            postings.setdefault(h, []).append(it)
    local: dict[int, list[Item]] = {}
    for it in items:
        seen: dict[int, Item] = {}
        for h in it.distinct:
            for q in postings[h]:
                if q is not it:
                    seen[q.paragraph.index] = q
        local[it.paragraph.index] = [seen[i] for i in sorted(seen)]

    alive = {it.paragraph.index: it for it in items}
    removed: dict[int, Decision] = {}
    cache: dict[int, Decision | None] = {}
    while True:
        for index, it in alive.items():
            if index in cache:
                continue
            kept_local = [q for q in local[index] if q.paragraph.index in alive]
            outside = [] if it.is_title else external.get(index, [])
            decision = evaluate(it, kept_local + outside, config, cross_doc=bool(outside))
            cache[index] = decision
        pending = {i: d for i, d in cache.items() if d is not None and i in alive}
        if not pending:
            return removed
        flagged = set(removed) | set(pending)
        best = max(pending.values(), key=lambda d: _priority(d, flagged, config))
        index = best.item.paragraph.index
        removed[index] = best
        del alive[index]
        del cache[index]
        for other in local[index]:
            cache.pop(other.paragraph.index, None)
