"""Verification and decisions: which paragraphs are redundant, and what they repeat.

Every candidate from the indexes is verified exactly, in this order
(``evaluate``):

1. ``exact``: the same key (short lines from an earlier article: ``boilerplate``);
2. ``near``: an edited copy, aligned character by character (rapidfuzz):
   similar enough, edits scattered, nothing missing at an edge;
3. ``fragment`` / ``splice``: the paragraph is covered by kept paragraphs — its
   characters lie inside word shingles they also have (``cover_threshold``,
   never a long uncovered run) — each piece aligns with its source with no
   phrase left out, and pieces of several paragraphs must be the end of one
   glued to the start of the next, as a page layout makes them.

Titles and bylines are only ever removed as copies of other heading-shaped
lines.  Redundant paragraphs are removed one at a time (``resolve_document``),
the most degraded first (``_priority``), and the rest are re-checked against
what is still kept, so of two copies one always survives and a fragment or
splice goes only when everything in it is kept elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from dedup.config import Config
from dedup.normalize import origin
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
    distinct: np.ndarray
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
    #: ends with a comma or a word that cannot end a sentence: the rest is missing
    dangling: bool = False
    #: a list numeral standing alone (一, 二, 第三), waiting for its item
    is_bare_numeral: bool = False
    #: MinHash signature (uint32 row) and its LSH band keys, for paragraphs long enough to sign
    signature: np.ndarray | None = None
    bands: np.ndarray | None = None

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
    coverage: float
    cover: tuple[Item, ...] = field(default=())
    #: characters of the paragraph found in none of ``cover`` (its text of its own)
    unique: int = 0

    @property
    def matches(self) -> tuple[Match, ...]:
        """Where the covering paragraphs hold this one's text (computed on demand:
        only final decisions are ever reported)."""
        return tuple(_region(q, self.item) for q in self.cover)


@dataclass(slots=True)
class _Cover:
    coverage: float
    longest_gap: int
    chosen: list[Item]
    #: characters covered by none of the chosen paragraphs
    uncovered: int
    #: what each chosen paragraph added to the cover
    gains: list[np.ndarray]
    #: the largest share of a later contributor's cover that earlier ones already had
    overlap: float = 0.0


def _region(q: Item, p: Item) -> Match:
    """Where in ``q`` the text shared with ``p`` lies, as offsets into q's document."""
    start, end = q.paragraph.content_start, q.paragraph.content_end
    if q.key.text != p.key.text:
        hits = np.flatnonzero(covered_mask(q.shingles, q.size, p.distinct))
        positions = origin(q.key)
        if len(hits) and len(positions) == q.size:
            start, end = positions[hits[0]], positions[hits[-1]] + 1
    return Match(id=q.doc_id, paragraph=q.paragraph.index, start=start, end=end)


def _longest_gap(mask: np.ndarray) -> int:
    """Longest run of ``False`` in a boolean array."""
    if not len(mask):
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate(([True], mask, [True])).astype(np.int8)))
    # edges pair up as (start of a miss run, end of it)
    return int((edges[1::2] - edges[::2]).max()) if len(edges) else 0


Masks = dict[tuple[int, int], np.ndarray]


def _mask(p: Item, q: Item, memo: Masks | None) -> np.ndarray:
    """Characters of ``p`` covered by shingles of ``q`` (memoised per pair: the
    greedy loop asks again after every removal)."""
    if memo is None:
        return covered_mask(p.shingles, p.size, q.distinct)
    pair = (id(p), id(q))
    mask = memo.get(pair)
    if mask is None:
        mask = memo[pair] = covered_mask(p.shingles, p.size, q.distinct)
    return mask


def _cover(p: Item, candidates: Sequence[Item], config: Config, memo: Masks | None = None) -> _Cover:
    """Greedy set cover of ``p`` by candidates: the best contributor first, then
    whichever adds most, while each adds a meaningful share."""
    n = p.size
    covered = np.zeros(n, dtype=bool)
    chosen: list[Item] = []
    gains: list[np.ndarray] = []
    pool = [(q, _mask(p, q, memo)) for q in candidates]
    min_gain = 4
    overlap = 0.0
    while pool:
        best_gain, best = 0, -1
        for i, (_, mask) in enumerate(pool):
            gain = int(np.count_nonzero(mask & ~covered))
            if gain > best_gain:
                best_gain, best = gain, i
        if best < 0 or (chosen and best_gain < min_gain):
            break
        q, mask = pool.pop(best)
        if chosen:
            overlap = max(
                overlap, float(np.count_nonzero(mask & covered)) / max(1, int(np.count_nonzero(mask)))
            )
        chosen.append(q)
        gains.append(mask & ~covered)
        covered |= mask
    total = int(np.count_nonzero(covered))
    # A piece cut out of a longer text breaks the words at its edges, so a few
    # uncovered characters there are the cut, not text of its own: forgiven at
    # the start (a cut start cannot be told from a clean one) and at an open end.
    lead = int(np.argmax(covered)) if total else n
    trail = int(np.argmax(covered[::-1])) if total else n
    forgiven = min(lead, 3) + (min(trail, 3) if p.ragged and trail < n else 0)
    effective = total / (n - forgiven) if n > forgiven else 0.0
    return _Cover(effective, _longest_gap(covered), chosen, n - total, gains, overlap)


def _longest_run(mask: np.ndarray, bridge: int) -> tuple[int, int]:
    """Span of the longest run of hits, bridging gaps of up to ``bridge`` misses."""
    hits = np.flatnonzero(mask)
    if not len(hits):
        return (0, 0)
    breaks = np.flatnonzero(np.diff(hits) > bridge + 1)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(hits) - 1]))
    widths = hits[ends] - hits[starts]
    i = int(np.argmax(widths))
    return int(hits[starts[i]]), int(hits[ends[i]]) + 1


def _contiguous(q: Item, p: Item, part: np.ndarray, max_gap: int) -> bool:
    """Whether the part of ``p`` that ``q`` covers is one piece of ``q``.

    A real fragment is a contiguous stretch of its source, up to small edits; a
    paraphrase shares words here and there with text in between, and a copy
    that lost a phrase may still share every word of it somewhere else.  The
    covered part of ``p`` is aligned with the stretch of ``q`` it matches best
    (rapidfuzz): nearly all of it must align, with no run longer than
    ``max_gap`` left out.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    start, end = _longest_run(part, bridge=3)
    if end <= start:
        return False
    piece = p.key.text[start:end]
    best = fuzz.partial_ratio_alignment(piece, q.key.text, score_cutoff=80)
    if best is None:
        return False
    # widen the window: q may hold a phrase the piece lost
    slack = len(piece) // 6 + 2
    window = q.key.text[max(0, best.dest_start - slack) : best.dest_end + slack]
    blocks = [b for b in LCSseq.opcodes(piece, window).as_matching_blocks() if b.size]
    matched = sum(b.size for b in blocks)
    if not blocks or matched < 0.8 * len(piece):
        return False
    stretch = blocks[-1].b + blocks[-1].size - blocks[0].b
    left_out = 0
    position = blocks[0].a
    for block in blocks:
        left_out = max(left_out, block.a - position)
        position = block.a + block.size
    # nothing of the piece but its cut edges is missing from q, and what q
    # has in between is no more than a phrase
    return left_out <= max_gap and stretch <= 1.15 * matched + 2


def _cut_and_glued(p: Item, cover: _Cover, slack: int = 4) -> bool:
    """Whether a paragraph pieced from several reads as the page layout makes
    one: the end of one paragraph glued to the start of the next (with whole
    paragraphs between).  A paragraph that merely opens with a dateline also
    found at the head of another article is not such a splice.
    """
    placed = sorted(
        ((int(np.argmax(gain)), q) for q, gain in zip(cover.chosen, cover.gains, strict=True) if gain.any()),
        key=lambda pair: pair[0],
    )
    for position, (_, q) in enumerate(placed):
        hits = np.flatnonzero(covered_mask(q.shingles, q.size, p.distinct))
        if not len(hits):
            return False
        reaches_end = hits[-1] >= q.size - 1 - slack
        reaches_start = hits[0] <= slack
        if position < len(placed) - 1 and not reaches_end:
            return False
        if position > 0 and not reaches_start:
            return False
    return True


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
    if (
        q.size
        and np.count_nonzero(back) / q.size >= config.near_threshold
        and _longest_gap(back) <= config.max_gap
    ):
        return "near", jaccard(p.distinct, q.distinct)
    return "fragment", cover.coverage


@dataclass(frozen=True, slots=True)
class _Alignment:
    ratio: float
    share: float
    longest_gap: int
    edge_gap: int


def _align(a: str, b: str, threshold: float) -> _Alignment | None:
    """Character alignment of two keys (longest common subsequence, rapidfuzz),
    when they are similar enough to matter: the share of ``a`` aligned with
    ``b`` and the longest unaligned run in either."""
    from rapidfuzz.distance import Indel, LCSseq

    if Indel.normalized_similarity(a, b, score_cutoff=threshold) < threshold:
        return None
    blocks = [block for block in LCSseq.opcodes(a, b).as_matching_blocks() if block.size]
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
        if not short and _shared(p, q) < 0.4 * len(p.distinct):
            # edits cost each copy only the few shingles around them
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


def _shared(p: Item, q: Item) -> int:
    """How many distinct shingles two paragraphs share (both arrays are sorted)."""
    a, b = p.distinct, q.distinct
    if not len(a) or not len(b):
        return 0
    at = np.searchsorted(b, a)
    return int(np.count_nonzero(b[np.minimum(at, len(b) - 1)] == a))


def _shared_memo(p: Item, q: Item, memo: Masks | None) -> int:
    if memo is None:
        return _shared(p, q)
    pair = (id(p), ~id(q))
    count = memo.get(pair)
    if count is None:
        count = memo[pair] = np.array(_shared(p, q))
    return int(count)


def _digits(item: Item) -> str:
    return "".join(ch for ch in item.key.text if ch.isdigit())


def _may_be_fragment(p: Item, config: Config) -> bool:
    """Body paragraphs may be removed as pieces of others; so may heading-shaped
    lines that read like a cut sentence (several clauses, or a dangling comma)
    below the title zone.  Titles, subheadings and bylines never are."""
    if p.paragraph.shape == "body":
        return p.size >= config.min_chars
    # a line that stops on a comma or a word like 为 or 的 is a cut sentence,
    # however short, even right under the title
    if p.dangling and p.size >= 6 and not p.is_title:
        return True
    return not p.in_title_zone and p.size >= 16 and p.clauses >= 2


def evaluate(
    p: Item, candidates: Sequence[Item], config: Config, cross_doc: bool, memo: Masks | None = None
) -> Decision | None:
    """Is ``p`` redundant given the (kept) ``candidates``?  ``None`` when it is not."""
    if not p.key.text:
        return None
    twin = _exact_twin(p, candidates)
    if twin is not None:
        short_line = p.paragraph.shape == "heading" or p.size < config.min_chars
        if cross_doc and short_line and twin.doc_id != p.doc_id:
            if p.is_bare_numeral or (p.in_title_zone and p.plain):
                return None
            return Decision(p, "boilerplate", 1.0, 1.0, (twin,))
        return Decision(p, "exact", 1.0, 1.0, (twin,))
    short = p.paragraph.shape == "heading" or p.size < config.min_chars
    if not short:
        # Every way to be redundant needs a good share of p's shingles found in
        # the candidates (an edited copy keeps all but those around its edits):
        # most candidates of a big corpus fail this cheap count.
        shared = {id(q): _shared_memo(p, q, memo) for q in candidates}
        if sum(shared.values()) < 0.4 * len(p.distinct):
            return None
        candidates = [q for q in candidates if shared[id(q)]]
    near_twin = _near_twin(p, candidates, config)
    near = None
    if near_twin is not None:
        q, alignment = near_twin
        unique = round(p.size * (1.0 - alignment.share))
        near = Decision(p, "near", round(alignment.ratio, 4), alignment.share, (q,), unique)
        if alignment.share >= 1.0:
            return near
    # an edited copy may leave text of p's own that other paragraphs hold: the
    # explanation covering more of p wins
    covered = _covered_by(p, candidates, config, memo)
    if covered is not None and (near is None or covered.coverage > near.coverage):
        return covered
    return near


def _covered_by(p: Item, candidates: Sequence[Item], config: Config, memo: Masks | None) -> Decision | None:
    """p as a fragment of one kept paragraph or a splice of several."""
    if not _may_be_fragment(p, config):
        return None
    # a title or byline never stands in for part of a body paragraph
    usable = [q for q in candidates if _may_be_fragment(q, config)]
    if not usable:
        return None
    cover = _cover(p, usable, config, memo)
    if not cover.chosen or cover.coverage < config.cover_threshold:
        return None
    if cover.longest_gap > config.max_gap:
        return None
    if len(cover.chosen) > 1 and cover.coverage < config.splice_threshold:
        return None
    if cover.overlap > 0.5:
        # its pieces repeat each other: they are fragments of it, not it of them
        return None
    if len(cover.chosen) > 1 and not _cut_and_glued(p, cover):
        return None
    if not all(
        _contiguous(q, p, gain, config.max_gap) for q, gain in zip(cover.chosen, cover.gains, strict=True)
    ):
        return None
    kind, score = _classify(p, cover, config)
    return Decision(p, kind, round(score, 4), cover.coverage, tuple(cover.chosen), cover.uncovered)


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
    # (one character is the broken edge word of a fragment cut mid-word).
    # Of two edited copies, the noisier one (stray spaces, mixed-width
    # punctuation and digits) is the degraded copy: its OCR slips and inserted
    # phrases are not text worth keeping over the clean copy.
    unique = max(0, decision.unique - 1)
    return (p.ragged, _noisier(decision), -unique, p.size, p.noise, neighbours, position)


def _noisier(decision: Decision) -> int:
    """1 when an edited copy is clearly noisier than the copy it repeats (half
    again as many signs of degradation per character, and at least one per
    hundred more), else 0: a text that uses half-width commas throughout is not
    degraded for it."""
    if decision.kind != "near" or len(decision.cover) != 1:
        return 0
    p, q = decision.item, decision.cover[0]
    if not p.size or not q.size:
        return 0
    mine, theirs = p.noise / p.size, q.noise / q.size
    return int(mine > 1.5 * theirs + 0.01)


def local_candidates(items: Sequence[Item]) -> dict[int, list[Item]]:
    """For each paragraph, the other paragraphs of the same document sharing a shingle."""
    local: dict[int, list[Item]] = {it.paragraph.index: [] for it in items}
    if len(items) < 2:
        return local
    hashes = np.concatenate([it.distinct for it in items])
    owners = np.concatenate([np.full(len(it.distinct), i, dtype=np.int32) for i, it in enumerate(items)])
    order = np.argsort(hashes, kind="stable")
    hashes, owners = hashes[order], owners[order]
    repeated = np.flatnonzero(hashes[1:] == hashes[:-1])
    if not len(repeated):
        return local
    pairs: set[tuple[int, int]] = set()
    # walk each group of equal hashes; groups are small within one document
    group_starts = repeated[np.concatenate(([True], np.diff(repeated) > 1))]
    for first in group_starts:
        last = first + 1
        while last + 1 < len(hashes) and hashes[last + 1] == hashes[first]:
            last += 1
        members = sorted(set(owners[first : last + 1].tolist()))
        for a in members:
            for b in members:
                if a != b:
                    pairs.add((a, b))
    for a, b in sorted(pairs):
        local[items[a].paragraph.index].append(items[b])
    return local


def _final_evidence(
    removed: dict[int, Decision],
    alive: dict[int, Item],
    local: dict[int, list[Item]],
    external: dict[int, list[Item]],
    config: Config,
) -> dict[int, Decision]:
    """Point every removal at paragraphs that are kept.

    A paragraph removed early may have matched one removed later (two copies of
    a fragment); its evidence is redone against what survived, so a report never
    sends the reader to text that is gone.
    """
    final: dict[int, Decision] = {}
    for index, decision in removed.items():
        if all(q.doc_id != decision.item.doc_id or q.paragraph.index in alive for q in decision.cover):
            final[index] = decision
            continue
        it = decision.item
        kept = [q for q in local[index] if q.paragraph.index in alive]
        outside = [] if it.is_title else external.get(index, [])
        redone = evaluate(it, kept + outside, config, cross_doc=bool(outside))
        final[index] = redone if redone is not None else decision
    return final


def resolve_document(
    items: Sequence[Item],
    external: dict[int, list[Item]],
    config: Config,
    local: dict[int, list[Item]] | None = None,
) -> dict[int, Decision]:
    """Decide which paragraphs of one document are redundant.

    ``items`` are the document's paragraphs with content; ``external`` maps a
    paragraph index to kept paragraphs of earlier documents that may cover it;
    ``local`` (computed when not given) to the document's own paragraphs that
    share a shingle with it.  Returns the decisions by paragraph index.
    """
    if local is None:
        local = local_candidates(items)
    alive = {it.paragraph.index: it for it in items}
    removed: dict[int, Decision] = {}
    cache: dict[int, Decision | None] = {}
    memo: Masks = {}
    rechecked: set[int] = set()
    while True:
        for index, it in alive.items():
            if index in cache:
                continue
            if not local[index] and index not in external:
                cache[index] = None
                continue
            kept_local = [q for q in local[index] if q.paragraph.index in alive]
            outside = [] if it.is_title else external.get(index, [])
            decision = evaluate(it, kept_local + outside, config, cross_doc=bool(outside), memo=memo)
            cache[index] = decision
        pending = {i: d for i, d in cache.items() if d is not None and i in alive}
        if not pending:
            # Removals can also make a paragraph redundant (a cover that leaned
            # on two overlapping copies becomes valid once one is gone): those
            # next to a removal are asked again before the document is done.
            stale = [
                i for i in alive if i not in rechecked and any(q.paragraph.index in removed for q in local[i])
            ]
            if stale:
                for i in stale:
                    del cache[i]
                    rechecked.add(i)
                continue
            return _final_evidence(removed, alive, local, external, config)
        flagged = set(removed) | set(pending)
        best = max(pending.values(), key=lambda d: _priority(d, flagged, config))
        index = best.item.paragraph.index
        removed[index] = best
        del alive[index]
        del cache[index]
        # Fewer kept paragraphs never make a paragraph redundant, and a decision
        # whose cover is still kept still holds: only those that leaned on the
        # removed paragraph are decided again.
        for other in local[index]:
            decided = cache.get(other.paragraph.index)
            if decided is not None and any(q is best.item for q in decided.cover):
                del cache[other.paragraph.index]


def repeated_share(items: Sequence[Item], decisions: dict[int, Decision]) -> dict[str, float]:
    """For each other document, the share of this document's text (its title
    aside) that its removed paragraphs take from it: how much of an article is
    a copy of which earlier one."""
    body = [it for it in items if not it.is_title]
    total = sum(it.size for it in body)
    shared: dict[str, int] = {}
    if not total:
        return {}
    for it in body:
        decision = decisions.get(it.paragraph.index)
        if decision is None:
            continue
        for source in {q.doc_id for q in decision.cover if q.doc_id != it.doc_id}:
            shared[source] = shared.get(source, 0) + round(it.size * decision.coverage)
    return {source: min(1.0, chars / total) for source, chars in shared.items()}
