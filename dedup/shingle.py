"""Word n-gram shingles, and the exact measures every candidate is verified with.

A shingle is ``size`` consecutive words.  Each word is hashed once with xxh32
(stable across processes and machines, unlike Python's ``hash``) and the words
of a shingle are combined with a fixed multiply-and-mix in numpy, so a whole
paragraph is shingled in a few vector operations.  A paragraph with fewer words
than ``size`` gets one shingle of all its words, so short lines still have a
signature; the matcher treats them with care (``min_chars``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import xxhash

from dedup.records import Shingles

_U32 = np.uint32
#: odd multipliers for combining word hashes (from the golden ratio and xxh32's primes)
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1], dtype=_U32)


@lru_cache(maxsize=1 << 18)
def word_hash(word: str) -> int:
    """xxh32 of a word; cached because a corpus repeats its vocabulary endlessly."""
    return xxhash.xxh32_intdigest(word.encode("utf-8"))


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, element-wise (wrapping multiplication intended)."""
    h = h ^ (h >> _U32(16))
    h = h * _U32(0x85EBCA6B)
    h = h ^ (h >> _U32(13))
    h = h * _U32(0xC2B2AE35)
    return np.asarray(h ^ (h >> _U32(16)), dtype=_U32)


def shingles(tokens: Sequence[str], size: int) -> Shingles:
    """Shingles of a token sequence; spans are in characters of the joined tokens."""
    if not tokens:
        return Shingles(np.zeros(0, dtype=_U32), np.zeros((0, 2), dtype=np.int32), 0)
    words = np.fromiter((word_hash(t) for t in tokens), dtype=_U32, count=len(tokens))
    bounds = np.zeros(len(tokens) + 1, dtype=np.int32)
    np.cumsum([len(t) for t in tokens], out=bounds[1:])
    width = min(size, len(tokens))
    count = len(tokens) - width + 1
    with np.errstate(over="ignore"):
        combined = np.full(count, width, dtype=_U32)
        for offset in range(width):
            combined = (combined * _MIX[offset % len(_MIX)]) ^ words[offset : offset + count]
        hashes = fmix32(combined)
    spans = np.stack([bounds[:count], bounds[width : width + count]], axis=1)
    return Shingles(hashes, spans, len(tokens))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sets of distinct shingle hashes."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def covered_mask(item: Shingles, length: int, found: np.ndarray) -> np.ndarray:
    """Which characters of a key lie inside at least one shingle found in ``found``
    (a sorted array of distinct hashes, as ``Shingles.distinct`` gives)."""
    if not len(item.hashes) or not len(found):
        return np.zeros(length, dtype=bool)
    # ``found`` is sorted (np.unique made it): a binary search per shingle
    at = np.searchsorted(found, item.hashes)
    hit = found[np.minimum(at, len(found) - 1)] == item.hashes
    if not hit.any():
        return np.zeros(length, dtype=bool)
    spans = item.spans[hit]
    depth = np.bincount(spans[:, 0], minlength=length + 1) - np.bincount(spans[:, 1], minlength=length + 1)
    return np.cumsum(depth[:length]) > 0


def coverage(item: Shingles, length: int, found: np.ndarray) -> float:
    """Share of a key's characters covered by shingles that occur in ``found``.

    Counting characters rather than shingles keeps a fragment cut mid-word at
    nearly full coverage: only the few characters of its broken edge words
    fall outside every matching shingle.
    """
    if length == 0:
        return 0.0
    return float(covered_mask(item, length, found).sum()) / length
