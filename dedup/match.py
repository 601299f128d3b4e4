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
    #: no body paragraph comes before it: where titles, subtitles and bylines stand
    in_title_zone: bool = False
    #: starts or ends where no sentence does (a piece cut out of a longer text)
    ragged: int = 0
    #: clauses separated by commas or colons
    clauses: int = 1
    #: a line of text without any punctuation, digits or Latin letters (a name, a byline)
    plain: bool = False
    #: ends with a comma: the rest of its sentence is missing
    dangling: bool = False
    #: a list numeral standing alone (一, 二, 第三), waiting for its item
    is_bare_numeral: bool = False

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
    min_gain = 4
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


def _longest_run(mask: Sequence[bool], bridge: int) -> tuple[int, int]:
    """Span of the longest run of hits, bridging gaps of up to ``bridge`` misses."""
    best = (0, 0)
    start = last = -1
    for i, hit in enumerate(mask):
        if not hit:
            continue
        if start < 0 or i - last - 1 > bridge:
            start = i
        last = i
        if last + 1 - start > best[1] - best[0]:
            best = (start, last + 1)
    return best


def _contiguous(q: Item, p: Item, part: Sequence[bool]) -> bool:
    """Whether the part of ``p`` that ``q`` covers is one piece of ``q``.

    A real fragment is a contiguous stretch of its source, up to small edits; a
    paraphrase shares words here and there with text in between.  The covered
    part of ``p`` is aligned with ``q`` character by character: the stretch of
    ``q`` it aligns with may be only slightly longer than what aligns.
    """
    from difflib import SequenceMatcher

    start, end = _longest_run(part, bridge=3)
    if end <= start:
        return False
    piece = p.key.text[start:end]
    blocks = [b for b in SequenceMatcher(None, piece, q.key.text, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return False
    matched = sum(b.size for b in blocks)
    stretch = blocks[-1].b + blocks[-1].size - blocks[0].b
    return matched >= 0.8 * len(piece) and stretch <= 1.15 * matched + 2


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


@dataclass(frozen=True, slots=True)
class _Alignment:
    ratio: float
    share: float
    longest_gap: int
    edge_gap: int


def _align(a: str, b: str, threshold: float) -> _Alignment | None:
    """Character alignment of two keys, when they are similar enough to matter:
    the share of ``a`` aligned with ``b`` and the longest unaligned run in either."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return None
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return None
    gap = 0
    pa = pb = 0
    for block in blocks:
        gap = max(gap, block.a - pa, block.b - pb)
        pa, pb = block.a + block.size, block.b + block.size
    gap = max(gap, len(a) - pa, len(b) - pb)
    # text missing at either edge is a cut, not an edit: allow only a short
    # inserted phrase there (此外，/ 与此同时，)
    edge = max(blocks[0].a, blocks[0].b, len(a) - pa, len(b) - pb)
    matched = sum(block.size for block in blocks)
    return _Alignment(2 * matched / (len(a) + len(b)), matched / len(a), gap, edge)


def _near_twin(p: Item, candidates: Sequence[Item], config: Config) -> tuple[Item, _Alignment] | None:
    """The candidate that is an edited copy of ``p``: the two keys align
    character by character (``near_ratio``), with edits scattered rather than
    a piece missing (no unaligned run longer than ``max_gap``); the digits of
    short lines must be identical."""
    short = p.paragraph.shape == "heading" or p.size < config.min_chars
    best: tuple[Item, _Alignment] | None = None
    for q in candidates:
        if not q.size or not 0.7 <= p.size / q.size <= 1.43:
            continue
        if short and (q.paragraph.shape != "heading" or _digits(p) != _digits(q) or p.size < 6):
            continue
        alignment = _align(p.key.text, q.key.text, config.near_ratio)
        if (
            alignment is None
            or alignment.ratio < config.near_ratio
            or alignment.longest_gap > config.max_gap
            or alignment.edge_gap > config.max_gap // 2
        ):
            continue
        if best is None or alignment.ratio > best[1].ratio:
            best = (q, alignment)
    return best


def _digits(item: Item) -> str:
    return "".join(ch for ch in item.key.text if ch.isdigit())


def _may_be_fragment(p: Item, config: Config) -> bool:
    """Body paragraphs may be removed as pieces of others; so may heading-shaped
    lines that read like a cut sentence (several clauses, or a dangling comma)
    below the title zone.  Titles, subheadings and bylines never are."""
    if p.size < config.min_chars:
        return False
    if p.paragraph.shape == "body":
        return True
    return not p.in_title_zone and p.size >= 16 and (p.clauses >= 2 or p.dangling)


def evaluate(p: Item, candidates: Sequence[Item], config: Config, cross_doc: bool) -> Decision | None:
    """Is ``p`` redundant given the (kept) ``candidates``?  ``None`` when it is not."""
    if not p.key.text:
        return None
    twin = _exact_twin(p, candidates)
    if twin is not None:
        short_line = p.paragraph.shape == "heading" or p.size < config.min_chars
        if cross_doc and short_line and twin.doc_id != p.doc_id:
            if p.is_bare_numeral or (p.in_title_zone and p.plain):
                return None
            return Decision(p, "boilerplate", 1.0, (_region(twin, p),), 1.0, (twin,))
        return Decision(p, "exact", 1.0, (_region(twin, p),), 1.0, (twin,))
    near = _near_twin(p, candidates, config)
    if near is not None:
        q, alignment = near
        return Decision(p, "near", round(alignment.ratio, 4), (_region(q, p),), alignment.share, (q,))
    if not _may_be_fragment(p, config):
        return None
    usable = [q for q in candidates if q.size >= config.min_chars]
    if not usable:
        return None
    cover = _cover(p, usable, config)
    if not cover.chosen or cover.coverage < config.cover_threshold:
        return None
    if cover.longest_gap > config.max_gap:
        return None
    if len(cover.chosen) > 1 and cover.coverage < config.splice_threshold:
        return None
    if not all(_contiguous(q, p, mask) for q, mask in zip(cover.chosen, cover.masks, strict=True)):
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
    # Of two paragraphs that cover each other, the one cut out of a longer text
    # goes first, then the one with less text of its own (the less complete
    # copy), then the larger (removing it leaves less text repeated).
    unique = round(p.size * (1.0 - decision.coverage))
    return (p.ragged, -(unique // 4), p.size, p.noise, neighbours, position)


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
