"""Verification: is a paragraph redundant given candidate paragraphs, and why?

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
lines.  Which of the redundant paragraphs of a document actually go, and in
which order, is decided in ``resolve``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from dedup.config import Config
from dedup.matching.align import Alignment, align, piece_of
from dedup.matching.bits import longest_run
from dedup.matching.core import compiled_core
from dedup.matching.facts import key_states_nothing_new
from dedup.matching.item import Item, Overlap, compiled_verify
from dedup.matching.roles import is_cut_from, may_be_copy_of, may_be_fragment, may_stand_for
from dedup.matching.sentences import sentences_survive
from dedup.matching.shingle import bit_span, longest_gap
from dedup.records import Match, RemovalKind
from dedup.text.normalize import origin
from dedup.text.page import sentence_keys


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

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(
        self,
        item: Item,
        kind: RemovalKind,
        score: float,
        coverage: float,
        cover: tuple[Item, ...] = (),
        unique: int = 0,
    ) -> None:
        object.__setattr__(self, "item", item)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "score", score)
        object.__setattr__(self, "coverage", coverage)
        object.__setattr__(self, "cover", cover)
        object.__setattr__(self, "unique", unique)

    @property
    def matches(self) -> tuple[Match, ...]:
        """Where the covering paragraphs hold this one's text (computed on demand:
        only final decisions are ever reported)."""
        return tuple(_region(q, self.item) for q in self.cover)

    @property
    def sources(self) -> tuple[Match, ...]:
        """The covering paragraphs, each as a whole: the cheap form of ``matches``
        for a run that writes no report (the region within each is not computed)."""
        # (positional and without a generator: made for every removal of a run)
        return tuple(
            [
                Match(q.doc_id, q.paragraph.index, q.paragraph.content_start, q.paragraph.content_end)
                for q in self.cover
            ]
        )

    def found_in(self, offsets: bool) -> tuple[Match, ...]:
        """``matches`` when ``offsets`` are wanted, else ``sources``."""
        return self.matches if offsets else self.sources


@dataclass(slots=True)
class _Cover:
    coverage: float
    #: characters covered by the chosen paragraphs
    covered: int
    chosen: list[Item]
    #: characters covered by none of the chosen paragraphs
    uncovered: int
    #: what each chosen paragraph added to the cover (character bit sets)
    gains: list[int]
    #: ``p``'s shingles as its candidates are compared with them
    probe: Overlap
    #: the largest share of a later contributor's cover that earlier ones already had
    overlap: float = 0.0

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(
        self,
        coverage: float,
        covered: int,
        chosen: list[Item],
        uncovered: int,
        gains: list[int],
        probe: Overlap,
        overlap: float = 0.0,
    ) -> None:
        self.coverage = coverage
        self.covered = covered
        self.chosen = chosen
        self.uncovered = uncovered
        self.gains = gains
        self.probe = probe
        self.overlap = overlap


def _region(q: Item, p: Item) -> Match:
    """Where in ``q`` the text shared with ``p`` lies, as offsets into q's document."""
    start, end = q.paragraph.content_start, q.paragraph.content_end
    if q.key.text != p.key.text:
        back = _back(q, p)
        positions = origin(q.key)
        if back and len(positions) == q.size:
            first, last = bit_span(back)
            start, end = positions[first], positions[last - 1] + 1
    return Match(id=q.doc_id, paragraph=q.paragraph.index, start=start, end=end)


Masks = dict[tuple[int, int], int]


def _masks(p: Item, candidates: list[Item], memo: Masks | None, overlap: Overlap) -> list[int]:
    """Characters of ``p`` covered by shingles of each candidate (memoised per pair:
    the greedy loop asks again after every removal)."""
    if memo is None:
        return overlap.masks(candidates)
    mine = id(p)
    masks = [memo.get((mine, id(q))) for q in candidates]
    todo = [i for i, mask in enumerate(masks) if mask is None]
    if todo:
        for i, mask in zip(todo, overlap.masks([candidates[i] for i in todo]), strict=True):
            masks[i] = memo[(mine, id(candidates[i]))] = mask
    return masks  # type: ignore[return-value]


def _back(q: Item, p: Item) -> int:
    """Characters of ``q`` covered by shingles of ``p``."""
    return q.covered_by(p.distinct)


def _cover(
    p: Item, candidates: list[Item], config: Config, memo: Masks | None = None, probe: Overlap | None = None
) -> _Cover:
    """Greedy set cover of ``p`` by candidates: the best contributor first, then
    whichever adds most, while each adds a meaningful share."""
    n = p.size
    covered = 0
    chosen: list[Item] = []
    gains: list[int] = []
    if probe is None:
        probe = p.overlap()
    # (a candidate covering none of p never adds anything)
    pool = [(q, mask) for q, mask in zip(candidates, _masks(p, candidates, memo, probe), strict=True) if mask]
    min_gain = 4
    overlap = 0.0
    while pool:
        best_gain, best = 0, -1
        free = ~covered
        for i, (q, mask) in enumerate(pool):
            gain = (mask & free).bit_count()
            # of two that add as much, the first in order; but a paragraph rather than the
            # longer one a join made of it and its neighbour (``Key.breaks``)
            if gain > best_gain or (gain == best_gain > 0 and pool[best][0].key.breaks and not q.key.breaks):
                best_gain, best = gain, i
        if best < 0 or (chosen and best_gain < min_gain):
            break
        q, mask = pool.pop(best)
        if chosen:
            overlap = max(overlap, (mask & covered).bit_count() / max(1, mask.bit_count()))
        chosen.append(q)
        gains.append(mask & ~covered)
        covered |= mask
    total = covered.bit_count()
    # A piece cut out of a longer text breaks the words at its edges, so a few
    # uncovered characters there are the cut, not text of its own: forgiven at
    # the start (a cut start cannot be told from a clean one) and at an open end.
    lead, end = bit_span(covered) if total else (n, 0)
    trail = n - end if total else n
    forgiven = min(lead, 3) + (min(trail, 3) if p.ragged and trail < n else 0)
    effective = total / (n - forgiven) if n > forgiven else 0.0
    return _Cover(effective, covered, chosen, n - total, gains, probe, overlap)


def _contiguous(q: Item, p: Item, part: int, max_gap: int) -> bool:
    """Whether the part of ``p`` that ``q`` covers is one piece of ``q``.

    A real fragment is a contiguous stretch of its source, up to small edits; a
    paraphrase shares words here and there with text in between, and a copy
    that lost a phrase may still share every word of it somewhere else.  The
    covered part of ``p`` is aligned with the stretch of ``q`` it matches best
    (rapidfuzz): nearly all of it must align, with no run longer than
    ``max_gap`` left out.
    """
    core = compiled_core()
    start, end = (longest_run if core is None else core.longest_run)(part, 3)
    if end <= start:
        return False
    return piece_of(p.key.text[start:end], q.key.text, max_gap)


def _each_sentence_of(q: Item, p: Item, max_gap: int) -> bool:
    """Whether every sentence of ``p`` is one piece of ``q`` (a deck stitched from sentences of one
    body paragraph: furniture)."""
    sentences = sentence_keys(p.key.source)
    return bool(sentences) and all(piece_of(s, q.key.text, max_gap) for s in sentences)


def _cut_and_glued(p: Item, cover: _Cover, overlap: Overlap, slack: int = 4) -> bool:
    """Whether a paragraph pieced from several reads as the page layout makes
    one: the end of one paragraph glued to the start of the next (with whole
    paragraphs between).  A paragraph that merely opens with a dateline also
    found at the head of another article is not such a splice.
    """
    placed = sorted(
        ((bit_span(gain)[0], q) for q, gain in zip(cover.chosen, cover.gains, strict=True) if gain),
        key=lambda pair: pair[0],
    )
    for position, (_, q) in enumerate(placed):
        back = overlap.back(q)
        if not back:
            return False
        first, end = bit_span(back)
        reaches_end = end >= q.size - slack
        reaches_start = first <= slack
        if position < len(placed) - 1 and not reaches_end:
            return False
        if position > 0 and not reaches_start:
            return False
    return True


def _exact_twin(p: Item, candidates: Sequence[Item]) -> Item | None:
    """The first candidate with ``p``'s key that may count as its copy (``may_be_copy_of``: asked
    of the equal ones alone, before the others are sifted)."""
    text, doc_id = p.key.text, p.doc_id
    core = compiled_verify()
    find = same_key if core is None else core.same_key
    items = candidates if isinstance(candidates, list) else list(candidates)
    at = find(text, items, 0)
    while at >= 0:
        q = items[at]
        if q.doc_id != doc_id or may_be_copy_of(p, q):
            return q
        at = find(text, items, at + 1)
    return None


def same_key(text: str, items: list[Item], start: int) -> int:
    """The first of ``items`` from ``start`` on whose key is ``text``, or -1: the definition of the
    compiled ``compiled_verify.same_key``."""
    for at in range(start, len(items)):
        if items[at].key.text == text:
            return at
    return -1


def _classify(
    p: Item, cover: _Cover, config: Config, back: int | None, overlap: Overlap
) -> tuple[RemovalKind, float]:
    """(``back``: ``_back`` of the one chosen paragraph, ``None`` for several.)"""
    if len(cover.chosen) > 1 or back is None:
        return "splice", cover.coverage
    q = cover.chosen[0]
    if (
        q.size
        and back.bit_count() / q.size >= config.near_threshold
        and longest_gap(back, q.size) <= config.max_gap
    ):
        return "near", _jaccard(p, q, overlap)
    return "fragment", cover.coverage


def _jaccard(p: Item, q: Item, overlap: Overlap) -> float:
    """``shingle.jaccard`` of the two paragraphs' shingles, counted by ``p``'s ``overlap``."""
    if not len(p.distinct) and not len(q.distinct):
        return 1.0
    shared = overlap.shared([q])[0]
    return shared / (len(p.distinct) + len(q.distinct) - shared)


def _near_twin(
    p: Item, candidates: Sequence[Item], counts: Sequence[int] | None, config: Config
) -> tuple[Item, Alignment] | None:
    """The candidate that is an edited copy of ``p``: the two keys align
    character by character (``near_ratio``), with edits scattered rather than
    a piece missing (no unaligned run longer than ``max_gap``); the digits of
    short lines must be identical."""
    short = p.paragraph.shape == "heading" or p.size < config.min_chars
    if short and p.size < 6:
        return None
    size, enough = p.size, 0.4 * len(p.distinct)
    digits: str | None = None
    best: tuple[Item, Alignment] | None = None
    for i, q in enumerate(candidates):
        if not q.size or not 0.7 <= size / q.size <= 1.43:
            continue
        if short:
            if q.paragraph.shape != "heading":
                continue
            if digits is None:
                digits = _digits(p)
            if digits != _digits(q):
                continue
        if counts is not None and counts[i] < enough:
            # edits cost each copy only the few shingles around them
            continue
        alignment = align(p.key.text, q.key.text, config.near_ratio)
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


def evaluate(
    p: Item, candidates: Sequence[Item], config: Config, cross_doc: bool, memo: Masks | None = None
) -> Decision | None:
    """Is ``p`` redundant given the (kept) ``candidates``?  ``None`` when it is not."""
    if not p.key.text:
        return None
    # (a paragraph of another document may always count: ``may_be_copy_of`` asks the page first)
    twin = _exact_twin(p, candidates)
    if twin is not None:
        short_line = p.paragraph.shape == "heading" or p.size < config.min_chars
        if cross_doc and short_line and twin.doc_id != p.doc_id:
            if p.is_bare_numeral or (p.in_title_zone and p.plain):
                return None
            return Decision(p, "boilerplate", 1.0, 1.0, (twin,))
        return Decision(p, "exact", 1.0, 1.0, (twin,))
    sifted = _sifted(p, candidates, config)
    if sifted is None:
        return None
    candidates, counts, overlap = sifted
    near_twin = _near_twin(p, candidates, counts, config)
    if near_twin is None:
        return _accepted(p, _cover_of(p, candidates, config, memo, overlap), config)
    q, alignment = near_twin
    unique = round(p.size * (1.0 - alignment.share))
    near = Decision(p, "near", round(alignment.ratio, 4), alignment.share, (q,), unique)
    if alignment.share >= 1.0:
        # a whole edited copy: no cover can hold more of p
        if _holds_up(p, q):
            return near
        return _accepted(p, _cover_of(p, candidates, config, memo, overlap), config)
    # An edited copy may leave text of p's own that other paragraphs hold: the explanation
    # covering more of p wins, the edited copy where its guard holds and it covers as much.  Each
    # guard is asked only where its answer decides: a cover that holds less than the copy needs
    # its own checks only when the copy fails its guard, and the other way round.
    cover = _cover_of(p, candidates, config, memo, overlap)
    if cover is None or cover.coverage <= near.coverage:
        return near if _holds_up(p, q) else _accepted(p, cover, config)
    covered = _accepted(p, cover, config)
    if covered is not None:
        return covered
    return near if _holds_up(p, q) else None


Sifted = tuple[list[Item], list[int] | None, Overlap | None]


def _sifted(p: Item, candidates: Sequence[Item], config: Config) -> Sifted | None:
    """The candidates that may count as copies of ``p``, with the shingles each shares with it and
    ``p``'s ``Overlap`` (a line too short for shingles to tell: neither); ``None`` when too few of
    ``p``'s shingles are found in them for ``p`` to be redundant at all."""
    doc_id = p.doc_id
    if p.paragraph.shape == "heading" or p.size < config.min_chars:
        return [q for q in candidates if q.doc_id != doc_id or may_be_copy_of(p, q)], None, None
    # Every way to be redundant needs a good share of p's shingles found in
    # the candidates (an edited copy keeps all but those around its edits):
    # most candidates of a big corpus fail this cheap count, and only those
    # sharing any are asked whether they may count at all.
    overlap = p.overlap()
    everyone = candidates if isinstance(candidates, list) else list(candidates)
    sharing, counts = overlap.sharing(everyone, doc_id, partial(may_be_copy_of, p))
    if sum(counts) < 0.4 * len(p.distinct):
        return None
    return sharing, counts, overlap


def _holds_up(p: Item, q: Item) -> bool:
    """An edited copy ``q`` states everything ``p`` does, every sentence of ``p`` surviving in it."""
    return key_states_nothing_new(p.key, [q.key]) and sentences_survive(p.key.source, [q.key.source])


def _cover_of(
    p: Item, candidates: Sequence[Item], config: Config, memo: Masks | None, overlap: Overlap | None
) -> _Cover | None:
    """The greedy cover of ``p`` by the candidates that may stand for part of it, where ``p`` may
    be a fragment or a splice at all (``_accepted`` says whether it is one)."""
    if not may_be_fragment(p, config):
        return None
    # a title or byline never stands in for part of a body paragraph
    usable = [q for q in candidates if may_stand_for(q, p, config)]
    if not usable:
        return None
    return _cover(p, usable, config, memo, overlap)


def _accepted(p: Item, cover: _Cover | None, config: Config) -> Decision | None:
    """p as a fragment of one kept paragraph or a splice of several, by its cover."""
    if cover is None:
        return None
    if not cover.chosen or cover.coverage < config.cover_threshold:
        return None
    if longest_gap(cover.covered, p.size) > config.max_gap:
        return None
    if len(cover.chosen) > 1 and cover.coverage < config.splice_threshold:
        return None
    if cover.overlap > 0.5:
        # its pieces repeat each other: they are fragments of it, not it of them
        return None
    # furniture repeats the body from anywhere; other text pieced from several paragraphs is a
    # splice only when the page layout glued the end of one to the start of the next
    furniture = p.front_matter or p.highlight
    if len(cover.chosen) > 1 and not furniture and not _cut_and_glued(p, cover, cover.probe):
        return None
    if not all(
        _contiguous(q, p, gain, config.max_gap) or (furniture and _each_sentence_of(q, p, config.max_gap))
        for q, gain in zip(cover.chosen, cover.gains, strict=True)
    ):
        return None
    # one chosen paragraph: what it holds of p is read once, for the cut and for the kind
    back = cover.probe.back(cover.chosen[0]) if len(cover.chosen) == 1 else None
    if back is not None and not is_cut_from(p, cover.chosen[0], back):
        return None
    held = 0
    for gain in cover.gains:
        held |= gain
    if not key_states_nothing_new(p.key, [q.key for q in cover.chosen], held):
        return None
    in_order = sorted(zip(cover.chosen, cover.gains, strict=True), key=lambda pair: bit_span(pair[1])[0])
    # a heading-shaped line made of phrases of two paragraphs is a subheading, not a splice
    spliced = p.paragraph.shape == "body"
    if not sentences_survive(p.key.source, [q.key.source for q, _ in in_order], spliced):
        return None
    kind, score = _classify(p, cover, config, back, cover.probe)
    return Decision(p, kind, round(score, 4), cover.coverage, tuple(cover.chosen), cover.uncovered)
