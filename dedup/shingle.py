"""Word n-gram shingles, and the two exact measures every candidate is verified with.

A shingle is ``size`` consecutive words, hashed to 32 bits with xxh32 (stable
across processes and machines, unlike Python's ``hash``).  A paragraph with
fewer words than ``size`` gets one shingle of all its words, so short lines
still have a signature; the matcher treats them with care (``min_chars``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import xxhash

from dedup.records import Shingles

_SEPARATOR = "\x1f"


def shingles(tokens: Sequence[str], size: int) -> Shingles:
    """Shingles of a token sequence; spans are in characters of the joined tokens."""
    if not tokens:
        return Shingles((), (), 0)
    bounds = [0]
    for token in tokens:
        bounds.append(bounds[-1] + len(token))
    width = min(size, len(tokens))
    hashes: list[int] = []
    spans: list[tuple[int, int]] = []
    for i in range(len(tokens) - width + 1):
        gram = _SEPARATOR.join(tokens[i : i + width])
        hashes.append(xxhash.xxh32_intdigest(gram.encode("utf-8")))
        spans.append((bounds[i], bounds[i + width]))
    return Shingles(tuple(hashes), tuple(spans), len(tokens))


def jaccard(a: Collection[int], b: Collection[int]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def covered_mask(item: Shingles, length: int, found: Collection[int]) -> list[bool]:
    """Which characters of a key lie inside at least one shingle found in ``found``."""
    mask = [False] * length
    for h, (start, end) in zip(item.hashes, item.spans, strict=True):
        if h in found:
            for i in range(start, end):
                mask[i] = True
    return mask


def coverage(item: Shingles, length: int, found: Collection[int]) -> float:
    """Share of a key's characters covered by shingles that occur in ``found``.

    Counting characters rather than shingles keeps a fragment cut mid-word at
    nearly full coverage: only the few characters of its broken edge words
    fall outside every matching shingle.
    """
    if length == 0:
        return 0.0
    return sum(covered_mask(item, length, found)) / length
