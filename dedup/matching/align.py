"""Character alignment of two keys (rapidfuzz), with no other knowledge of the paragraphs:
whether a text is one piece of another up to small edits (``piece_of``: a fragment, a sentence of
a deck), and how an edited copy aligns with its source (``align``).  Both memoised: copies of an
article ask again of the same texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dedup.matching.facts import matching_blocks


@lru_cache(maxsize=1 << 14)
def piece_of(piece: str, text: str, max_gap: int) -> bool:
    """Whether ``piece`` is one stretch of ``text`` up to small edits (see ``verify._contiguous``;
    memoised: copies of an article ask again of the same texts).

    A piece found whole in ``text`` (most are: cut from a copy) is one without aligning:
    ``piece_aligns`` would find that stretch (a window scoring 100 is the piece itself) and
    align all of it, leaving nothing out (tests check that it says so)."""
    return (bool(piece) and piece in text) or piece_aligns(piece, text, max_gap)


def piece_aligns(piece: str, text: str, max_gap: int) -> bool:
    """The definition of ``piece_of``: the stretch of ``text`` that ``piece`` matches best
    (rapidfuzz), or a wider window around it, aligns with nearly all of ``piece``."""
    from rapidfuzz import fuzz

    best = fuzz.partial_ratio_alignment(piece, text, score_cutoff=80)
    if best is None:
        return False
    # the stretch the alignment found first; then a wider window, as q may hold a phrase the
    # piece lost (an LCS is not unique: in the wider window its first letters may pair with an
    # earlier occurrence and make a tight copy look stretched)
    slack = len(piece) // 6 + 2
    windows = (
        text[best.dest_start : best.dest_end],
        text[max(0, best.dest_start - slack) : best.dest_end + slack],
    )
    return any(_aligns(piece, window, max_gap) for window in windows)


def _aligns(piece: str, window: str, max_gap: int) -> bool:
    """Nearly all of ``piece`` aligns with ``window``, leaving out no run longer than ``max_gap``,
    and what the window has in between is no more than a phrase."""
    from rapidfuzz.distance import LCSseq

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


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two keys align: ``ratio`` of aligned characters to both, ``share`` of the first
    aligned, the longest unaligned run in either, and the longest at an edge."""

    ratio: float
    share: float
    longest_gap: int
    edge_gap: int

    # written out, not left to ``dataclass``: compiled, it is C (``records`` says why)
    def __init__(self, ratio: float, share: float, longest_gap: int, edge_gap: int) -> None:
        object.__setattr__(self, "ratio", ratio)
        object.__setattr__(self, "share", share)
        object.__setattr__(self, "longest_gap", longest_gap)
        object.__setattr__(self, "edge_gap", edge_gap)


@lru_cache(maxsize=1 << 14)
def align(a: str, b: str, threshold: float) -> Alignment | None:
    """Character alignment of two keys (longest common subsequence, rapidfuzz),
    when they are similar enough to matter: the share of ``a`` aligned with
    ``b`` and the longest unaligned run in either."""
    from rapidfuzz.distance import Indel

    if Indel.normalized_similarity(a, b, score_cutoff=threshold) < threshold:
        return None
    blocks = matching_blocks(a, b)
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
    return Alignment(2 * matched / (len(a) + len(b)), matched / len(a), gap, edge)
