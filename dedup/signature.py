"""MinHash signatures of shingle sets, with datasketch.

The permutation scheme is pinned (``config.HASH_SCHEME``): datasketch 2.0
changed its default, and signatures made under two schemes must never meet.
Shingles are already 32-bit xxh32 values, so the hash function is the identity
and ``MinHash.bulk`` signs a whole batch without per-shingle Python hashing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from dedup.config import HASH_SCHEME, Config

if TYPE_CHECKING:
    from datasketch import LeanMinHash


def _identity(value: int) -> int:
    return value


def sign(shingle_sets: Iterable[Sequence[int]], config: Config) -> list[LeanMinHash]:
    """One signature per shingle set, in order."""
    from datasketch import LeanMinHash, MinHash

    batch = [sorted(set(s)) for s in shingle_sets]
    signatures = MinHash.bulk(
        batch,
        num_perm=config.num_perm,
        seed=config.seed,
        hashfunc=_identity,
        scheme=HASH_SCHEME,
    )
    return [LeanMinHash(m) for m in signatures]
