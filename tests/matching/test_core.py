"""core: the compiled core gives exactly what the pure-Python path gives.

The pure functions (``shingle.shingle_arrays``, ``signature.minhash_rows``)
are the definition; the compiled ones are compared with them on the fixtures
and on random input, and a whole run over the fixtures with ``DEDUP_PURE=1``
must write the same bytes as one with the compiled core.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xxhash
from compiled_parts import built

from dedup.config import Config
from dedup.matching.core import compiled_core, implementation
from dedup.matching.shingle import char_table, covered_bits, distinct, shingle_arrays, word_hash
from dedup.matching.signature import minhash_rows, permutations
from dedup.records import Shingles
from dedup.text.normalize import fold
from dedup.text.words import tokenize

ROOT = Path(__file__).resolve().parents[2]


def _core():  # type: ignore[no-untyped-def]
    return built(compiled_core(), "the compiled core")


def _random_words(rng: random.Random, count: int) -> list[str]:
    alphabet = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年1aé😀"
    return [
        "".join(rng.choice(alphabet) for _ in range(rng.choice((1, 1, 2, 3, 4, 7, 20)))) for _ in range(count)
    ]


def test_dedup_pure_selects_the_pure_path() -> None:
    code = "from dedup.matching.core import implementation; print(implementation())"
    env = {**os.environ, "DEDUP_PURE": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "pure"
    assert implementation() in ("compiled", "pure")


def test_word_hashes_are_xxh32() -> None:
    core = _core()
    words = [*_random_words(random.Random(3), 500), "", "a" * 15, "b" * 16, "长" * 33]
    hashes, bounds = core.word_hashes(words)
    assert hashes.tolist() == [xxhash.xxh32_intdigest(w.encode("utf-8")) for w in words]
    assert hashes.tolist() == [word_hash(w) for w in words]
    assert bounds.tolist() == np.cumsum([0, *map(len, words)]).tolist()


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_shingles_are_the_pure_ones_on_random_words(size: int) -> None:
    core = _core()
    rng = random.Random(size)
    for count in (1, 2, 3, 4, 10, 200):
        words = _random_words(rng, count)
        hashes, spans = core.shingle_arrays(words, size)
        expected_hashes, expected_spans = shingle_arrays(words, size)
        assert hashes.dtype == expected_hashes.dtype and spans.dtype == expected_spans.dtype
        assert np.array_equal(hashes, expected_hashes)
        assert np.array_equal(spans, expected_spans)


def test_shingles_are_the_pure_ones_on_the_seed_article(seed_paragraphs: list[str]) -> None:
    core = _core()
    for paragraph in seed_paragraphs:
        words = tokenize(fold(paragraph))
        if words:
            for got, expected in zip(core.shingle_arrays(words, 3), shingle_arrays(words, 3), strict=True):
                assert np.array_equal(got, expected)


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_shingle_sets_are_the_pure_shingles_and_distinct_hashes(size: int) -> None:
    # words of every UTF-8 length (1 to 4 bytes), long ones past the scratch buffer, repeated
    # words (repeated shingles, so fewer distinct hashes)
    core = _core()
    rng = random.Random(size + 10)
    long_words = ["长" * 100, "a" * 300, "é" * 129, "😀" * 65]
    for count in (1, 2, 3, 4, 10, 200):
        words = _random_words(rng, count) + rng.sample(long_words, rng.randint(0, 2))
        words += rng.choices(words, k=rng.randint(0, count))
        hashes, spans, unique = core.shingle_set(words, size)
        expected_hashes, expected_spans = shingle_arrays(words, size)
        expected_unique = distinct(expected_hashes)
        for got, expected in ((hashes, expected_hashes), (spans, expected_spans), (unique, expected_unique)):
            assert got.dtype == expected.dtype
            assert np.array_equal(got, expected)


def test_a_lone_surrogate_cannot_be_shingled_either_way() -> None:
    core = _core()
    with pytest.raises(UnicodeEncodeError):
        shingle_arrays(["好", "a\ud800"], 3)
    with pytest.raises(UnicodeEncodeError):
        core.shingle_set(["好", "a\ud800"], 3)


@pytest.mark.parametrize("config", [Config(), Config(num_perm=64, seed=7)])
def test_minhash_rows_are_the_pure_ones(config: Config) -> None:
    core = _core()
    rng = np.random.default_rng(config.seed)
    sizes = [1, 2, 5, 50, 300, 1, 7]
    sets = [np.unique(rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)) for n in sizes]
    sets.append(np.array([0, 0xFFFFFFFF], dtype=np.uint32))
    flat = np.concatenate(sets)
    bounds = np.concatenate([[0], np.cumsum([len(s) for s in sets])]).astype(np.int64)
    a, b = permutations(config.num_perm, config.seed)
    assert np.array_equal(core.minhash_rows(flat, bounds, a, b), minhash_rows(flat, bounds, a, b))


def _clean_all(tmp: Path, pure: bool) -> tuple[bytes, bytes]:
    inputs = sorted(str(p) for p in (ROOT / "fixtures" / "cases").glob("*/input.*"))
    out, report = tmp / "out.jsonl", tmp / "report.jsonl"
    env = {**os.environ, "DEDUP_PURE": "1" if pure else "0"}
    cli = "import sys; from dedup.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", cli, "clean", *inputs, "-o", str(out), "--report", str(report)]
    subprocess.run([*command, "-q", "--workers", "1"], env=env, cwd=ROOT, check=False, capture_output=True)
    return out.read_bytes(), report.read_bytes()


def test_a_run_writes_the_same_bytes_compiled_or_pure(tmp_path: Path) -> None:
    _core()
    (tmp_path / "pure").mkdir()
    (tmp_path / "compiled").mkdir()
    pure = _clean_all(tmp_path / "pure", pure=True)
    compiled = _clean_all(tmp_path / "compiled", pure=False)
    assert pure[0] and pure[1]
    assert compiled == pure


def _random_shingles(rng: random.Random, pool: list[int]) -> Shingles:
    words = _random_words(rng, rng.choice((1, 2, 5, 30, 90)))
    hashes, spans = shingle_arrays(words, 3)
    # draw some hashes from a shared pool so that paragraphs overlap
    hashes = np.array(
        [rng.choice(pool) if rng.random() < 0.5 else h for h in hashes.tolist()], dtype=np.uint32
    )
    return Shingles(hashes, spans, len(words), distinct(hashes))


def test_coverage_masks_and_shared_counts_are_the_pure_ones() -> None:
    core = _core()
    rng = random.Random(11)
    pool = [rng.getrandbits(32) for _ in range(40)]
    paragraphs = [_random_shingles(rng, pool) for _ in range(60)]
    for p in paragraphs:
        length = int(p.spans[-1, 1])
        for q in paragraphs[:20]:
            expected = covered_bits(char_table(p), q.distinct.tolist())
            assert core.covered_mask(p.hashes, p.spans, q.distinct, length) == expected
        counts = core.shared_counts(p.distinct, [q.distinct for q in paragraphs])
        assert counts == [len(set(p.distinct.tolist()) & set(q.distinct.tolist())) for q in paragraphs]


def test_noise_in_c_counts_what_the_pattern_matches(seed_paragraphs: list[str]) -> None:
    from dedup.matching.features import pure_noise

    core = _core()
    rng = random.Random(21)
    alphabet = " \u3000\t\n\u00a0,;:?!()（）中文ａ１Ｚｚab1😀é\x7f"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in [*texts, *seed_paragraphs, "", " ", "中 文", "中,文", "ａ"]:
        assert core.noise(text) == pure_noise(text), repr(text)


def test_coverage_and_shared_counts_take_empty_arrays_and_refuse_other_types() -> None:
    core = _core()
    empty = np.zeros(0, dtype=np.uint32)
    hashes = np.array([5, 9], dtype=np.uint32)
    spans = np.array([[0, 2], [1, 4]], dtype=np.int32)
    assert core.covered_masks(hashes, spans, [empty, np.array([9], dtype=np.uint32)], 4) == [0, 0b1110]
    assert core.covered_masks(empty, np.zeros((0, 2), dtype=np.int32), [hashes], 0) == [0]
    assert core.shared_counts(empty, [hashes, empty]) == [0, 0]
    assert core.shared_counts(hashes, []) == []
    with pytest.raises(ValueError):
        core.shared_counts(hashes.astype(np.uint64), [hashes])
    with pytest.raises(ValueError):
        core.covered_mask(hashes, spans[:1], hashes, 4)
