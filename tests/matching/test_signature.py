"""signature: MinHash signatures bit-identical to datasketch's, under the pinned scheme."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash

from dedup.config import HASH_SCHEME, Config
from dedup.matching.signature import permutations, shipped_path, sign, to_datasketch


def hashes(values: list[int]) -> np.ndarray:
    return np.unique(np.array(values, dtype=np.uint32))


def datasketch_signature(values: np.ndarray, config: Config) -> np.ndarray:
    reference = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=lambda v: v, scheme=HASH_SCHEME)
    reference.update_batch([int(v) for v in values])
    return np.asarray(reference.hashvalues)


def test_scheme_is_pinned_to_affine32() -> None:
    assert HASH_SCHEME == "affine32"


@pytest.mark.parametrize("config", [Config(), Config(num_perm=64, seed=7), Config(num_perm=256)])
def test_signatures_are_datasketch_minhash_under_the_pinned_scheme(config: Config) -> None:
    rng = random.Random(config.seed)
    sets = [hashes([rng.getrandbits(32) for _ in range(n)]) for n in (1, 5, 40, 300)]
    signatures = sign(sets, config)
    assert signatures.shape == (len(sets), config.num_perm)
    for row, values in zip(signatures, sets, strict=True):
        assert np.array_equal(row, datasketch_signature(values, config))


def test_to_datasketch_gives_the_same_lean_minhash() -> None:
    config = Config()
    values = hashes([17, 4_000_000_000, 123_456, 99])
    (row,) = sign([values], config)
    lean = to_datasketch(row, config)
    assert isinstance(lean, LeanMinHash)
    assert np.array_equal(lean.hashvalues, datasketch_signature(values, config))
    reference = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=lambda v: v, scheme=HASH_SCHEME)
    reference.update_batch([int(v) for v in values])
    assert lean.jaccard(LeanMinHash(reference)) == 1.0


def test_equal_sets_have_equal_signatures() -> None:
    a, b = sign([hashes([3, 1, 2]), hashes([2, 3, 1, 1])], Config())
    assert np.array_equal(a, b)


def test_deterministic_across_calls() -> None:
    values = hashes(list(range(1000, 1100)))
    assert np.array_equal(sign([values], Config()), sign([values], Config()))


def test_seed_and_size_change_the_signature() -> None:
    values = hashes(list(range(50)))
    assert not np.array_equal(sign([values], Config()), sign([values], Config(seed=2)))
    assert sign([values], Config(num_perm=64)).shape == (1, 64)


def test_one_signature_per_set_in_order() -> None:
    signatures = sign([hashes([1, 2, 3]), hashes([4, 5, 6]), hashes([1, 2, 3])], Config())
    assert len(signatures) == 3
    assert np.array_equal(signatures[0], signatures[2])
    assert not np.array_equal(signatures[0], signatures[1])


def test_no_sets_no_signatures_and_empty_sets_are_refused() -> None:
    assert sign([], Config()).shape == (0, Config().num_perm)
    with pytest.raises(ValueError):
        sign([hashes([1]), np.zeros(0, dtype=np.uint32)], Config())


def test_estimated_jaccard_is_close_to_exact() -> None:
    rng = random.Random(7)
    universe = [rng.getrandbits(32) for _ in range(800)]
    config = Config(num_perm=256)
    for shared in (0, 100, 250, 400):
        a = hashes(universe[:400])
        b = hashes(universe[400 - shared : 800 - shared])
        exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
        sa, sb = sign([a, b], config)
        estimate = float(np.mean(sa == sb))
        assert abs(estimate - exact) < 0.12, (shared, exact, estimate)


def test_shipped_permutations_are_datasketchs() -> None:
    config = Config()
    path = shipped_path(config.num_perm, config.seed)
    assert path.is_file(), "run tools/tables.py"
    a, b = permutations(config.num_perm, config.seed)
    reference = MinHash(num_perm=config.num_perm, seed=config.seed, scheme=HASH_SCHEME).permutations
    assert a.dtype == b.dtype == np.uint32
    assert np.array_equal(a, reference[0]) and np.array_equal(b, reference[1])


def test_unshipped_settings_take_datasketchs_permutations() -> None:
    assert not shipped_path(64, 7).exists()
    a, b = permutations(64, 7)
    reference = MinHash(num_perm=64, seed=7, scheme=HASH_SCHEME).permutations
    assert np.array_equal(a, reference[0]) and np.array_equal(b, reference[1])


def test_a_run_imports_neither_datasketch_nor_scipy(fixtures_dir: Path) -> None:
    # nor OpenCC: the fold table is shipped too
    article = fixtures_dir / "seed" / "article.txt"
    code = (
        "import sys, dedup\n"
        f"dedup.clean_text(open({str(article)!r}, encoding='utf-8').read())\n"
        "assert 'dedup.matching.signature' in sys.modules\n"
        "print(sorted(m for m in ('datasketch', 'scipy', 'opencc') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
