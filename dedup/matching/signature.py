"""MinHash signatures of shingle sets, bit-identical to datasketch's.

The permutation scheme is pinned (``config.HASH_SCHEME``): datasketch 2.0
changed its default, and signatures made under two schemes must never meet.
The permutations are datasketch's own (taken from a ``MinHash`` built with our
seed and scheme); applying them is done here in numpy over a whole batch of
paragraphs at once, which gives the same values as ``MinHash.update_batch``
with an identity hash function (tested) at several times the speed.

Importing datasketch pulls in scipy (half a second, in every process), only to
read 256 numbers: the permutations of the default settings are therefore
shipped in the package (``permutations/*.npy``, keyed by scheme, seed and
size; ``tools/tables.py`` writes them, a test checks them against datasketch),
and datasketch is asked only for other seeds and sizes.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from dedup.config import HASH_SCHEME, Config
from dedup.matching.core import compiled_core
from dedup.matching.shingle import fmix32

_U32 = np.uint32

#: where the shipped permutations live
SHIPPED = Path(__file__).with_name("permutations")


def shipped_path(num_perm: int, seed: int) -> Path:
    """The file that holds the permutations for ``num_perm`` and ``seed``, if shipped."""
    return SHIPPED / f"{HASH_SCHEME}-seed{seed}-perm{num_perm}.npy"


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine permutations ``(a, b)`` for ``num_perm`` and ``seed``:
    shipped with the package, or (other settings) asked of datasketch."""
    path = shipped_path(num_perm, seed)
    if path.is_file():
        a, b = np.load(path)
        return np.ascontiguousarray(a, dtype=_U32), np.ascontiguousarray(b, dtype=_U32)
    return datasketch_permutations(num_perm, seed)


def datasketch_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations as datasketch makes them (imports datasketch and scipy)."""
    from datasketch import MinHash

    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=HASH_SCHEME).permutations
    return np.asarray(a, dtype=_U32), np.asarray(b, dtype=_U32)


def sign(shingle_sets: Sequence[np.ndarray], config: Config) -> np.ndarray:
    """One signature row (uint32, ``num_perm`` wide) per non-empty shingle set."""
    a, b = permutations(config.num_perm, config.seed)
    if not shingle_sets:
        return np.zeros((0, config.num_perm), dtype=_U32)
    bounds = np.zeros(len(shingle_sets) + 1, dtype=np.int64)
    np.cumsum([len(s) for s in shingle_sets], out=bounds[1:])
    if (bounds[1:] == bounds[:-1]).any():
        raise ValueError("cannot sign an empty shingle set")
    flat = np.ascontiguousarray(np.concatenate(shingle_sets), dtype=_U32)
    core = compiled_core()
    return (minhash_rows if core is None else core.minhash_rows)(flat, bounds, a, b)


def minhash_rows(flat: np.ndarray, bounds: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One MinHash row per set, set ``k`` being ``flat[bounds[k]:bounds[k + 1]]``
    (non-empty): the definition, in numpy, of what the compiled core computes in C."""
    sets = len(bounds) - 1
    starts, lengths = bounds[:-1], np.diff(bounds)
    out = np.empty((sets, len(a)), dtype=_U32)
    # bounded blocks keep the (shingles x permutations) matrix small
    block = max(1, 65536 // len(a))
    with np.errstate(over="ignore"):
        # datasketch pre-mixes every input hash with the MurmurHash3 finalizer
        mixed = fmix32(flat)
        for first in range(0, sets, block):
            last = min(sets, first + block)
            lo = starts[first]
            hi = starts[last - 1] + lengths[last - 1]
            values = mixed[lo:hi, None] * a[None, :] + b[None, :]
            out[first:last] = np.minimum.reduceat(values, starts[first:last] - lo, axis=0)
    return out


def to_datasketch(signature: np.ndarray, config: Config):  # type: ignore[no-untyped-def]
    """The same signature as a datasketch ``LeanMinHash`` (for datasketch's LSH and storage)."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=config.seed, hashvalues=signature, scheme=HASH_SCHEME)
