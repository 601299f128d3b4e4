"""Word n-gram shingles, and the exact measures every candidate is verified with.

A shingle is ``size`` consecutive words.  Each word is hashed once with xxh32
(stable across processes and machines, unlike Python's ``hash``) and the words
of a shingle are combined with a fixed multiply-and-mix in numpy, so a whole
paragraph is shingled in a few vector operations.  A paragraph with fewer words
than ``size`` gets one shingle of all its words, so short lines still have a
signature; the matcher treats them with care (``min_chars``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache, reduce
from operator import or_

import numpy as np
import xxhash

from dedup.matching.core import compiled_core
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


def shingles(tokens: list[str], size: int) -> Shingles:
    """Shingles of a token sequence; spans are in characters of the joined tokens."""
    if not tokens:
        return Shingles(np.zeros(0, dtype=_U32), np.zeros((0, 2), dtype=np.int32), 0, np.zeros(0, dtype=_U32))
    core = compiled_core()
    if core is None:
        hashes, spans = shingle_arrays(tokens, size)
        return Shingles(hashes, spans, len(tokens), distinct(hashes))
    hashes, spans, unique = core.shingle_set(tokens, size)
    return Shingles(hashes, spans, len(tokens), unique)


def shingle_arrays(tokens: Sequence[str], size: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashes (uint32) and character spans (int32, start and end) of the
    shingles of a non-empty token sequence: the definition, in numpy, of what
    the compiled core computes in C."""
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
    return hashes, spans


def distinct(hashes: np.ndarray) -> np.ndarray:
    """The hashes sorted, each once (``np.unique`` without its overhead)."""
    ordered = np.sort(hashes)
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sets of distinct shingle hashes."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def char_table(item: Shingles) -> dict[int, int]:
    """Shingle hash -> the characters its occurrences cover, as a bit set (bit i
    is character i).  Masks of paragraphs of a few hundred characters are cheap
    Python integers: ``&``, ``|`` and ``bit_count`` replace a dozen numpy calls
    per pair of paragraphs."""
    bits = [(1 << end) - (1 << start) for start, end in item.spans.tolist()]
    table = dict(zip(item.hashes.tolist(), bits, strict=True))
    if len(table) < len(bits):
        # a shingle repeated inside the paragraph covers all its places
        table = {}
        for h, b in zip(item.hashes.tolist(), bits, strict=True):
            table[h] = table.get(h, 0) | b
    return table


def covered_bits(table: dict[int, int], found: Iterable[int]) -> int:
    """Characters covered by the shingles of ``table`` whose hash is in ``found``."""
    return reduce(or_, map(table.__getitem__, table.keys() & found), 0)


def bit_span(mask: int) -> tuple[int, int]:
    """(first, last + 1) set bit of a non-zero mask."""
    return (mask & -mask).bit_length() - 1, mask.bit_length()


def longest_gap(mask: int, length: int) -> int:
    """Longest run of unset bits among the first ``length`` (and any set past them): the compiled
    core's ``longest_run`` of the bits unset, where it is built (``gap_by_format`` is the
    definition; tests compare them)."""
    if not length:
        return 0
    core = compiled_core()
    if core is None:
        return gap_by_format(mask, length)
    start, end = core.longest_run(~mask & ((1 << max(length, mask.bit_length())) - 1), 0)
    return end - start


def gap_by_format(mask: int, length: int) -> int:
    """``longest_gap`` in pure Python: the bits written out (at least ``length`` of them), split at
    the set ones."""
    if not length:
        return 0
    return max(map(len, format(mask, f"0{length}b").split("1")))


def coverage(item: Shingles, length: int, found: Iterable[int]) -> float:
    """Share of a key's characters covered by shingles that occur in ``found``.

    Counting characters rather than shingles keeps a fragment cut mid-word at
    nearly full coverage: only the few characters of its broken edge words
    fall outside every matching shingle.
    """
    if length == 0:
        return 0.0
    return covered_bits(char_table(item), found).bit_count() / length
