"""index: candidates by MinHash LSH bands (copies) and by shared shingles (containment)."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from dedup.config import Config
from dedup.limits import ANCHOR_EVERY, MAX_CANDIDATES, MAX_POSTINGS
from dedup.matching.core import compiled_core, compiled_postings
from dedup.matching.index import (
    BandIndex,
    ShingleIndex,
    anchor_list,
    anchors,
    band_keys,
    band_layout,
    most_shared,
)
from dedup.matching.shingle import shingles
from dedup.matching.signature import sign, to_datasketch
from dedup.text.normalize import fold
from dedup.text.words import tokenize

ORIGINAL = (
    "习近平指出，在这场前所未有的疫情防控斗争中，城乡广大社区工作者同参与社区防控的各方面人员一道，"
    "不惧风险、团结奋战，特别是社区广大党员、干部以身作则、冲锋在前，形成了联防联控、群防群控的强大力量，"
    "充分彰显了打赢疫情防控人民战争的伟力。"
)
EDITED = (
    "习近平指出, 在这场前所未有的疫情防控斗争中, 城乡广大社区工作者同参与社区防控的各方面人员一道，"
    "不惧风险、团结奋战，特别是社区广大党员、干部以身作则、冲锋在前，据悉形成了联防联控、群防群控的强大力量，"
    "充分彰显了打嬴疫情防控人民战争的伟力。"
)
UNRELATED = [
    "嘉鱼县全力建设蔬菜大县。该县开辟“绿色通道”，组建工作专班24小时现场办公，负责蔬菜采收、调运、保供工作。",
    "在十六潭社区，一场“流动红旗”争夺赛正式拉开了帷幕。每期支部主题党日当天，开展志愿服务活动。",
    "企业授信。全市17家金融机构与1182家企业和项目签订信贷意向，授信总额401.64亿元。",
]
TEXTS = {"original": ORIGINAL, **{f"other{i}": t for i, t in enumerate(UNRELATED)}}


def distinct(text: str) -> np.ndarray:
    return shingles(tokenize(fold(text)), 3).distinct


def test_datasketch_lsh_over_our_signatures_finds_an_edited_copy() -> None:
    # the shared index (store.py) keeps datasketch's MinHashLSH: our signatures must work there
    from datasketch import MinHashLSH

    config = Config()
    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm, weights=(0.1, 0.9))
    signatures = sign([distinct(t) for t in TEXTS.values()], config)
    for name, row in zip(TEXTS, signatures, strict=True):
        lsh.insert(name, to_datasketch(row, config))
    (query,) = sign([distinct(EDITED)], config)
    assert lsh.query(to_datasketch(query, config)) == ["original"]


def test_band_index_finds_an_edited_copy() -> None:
    config = Config()
    bands, rows = band_layout(config.lsh_threshold, config.num_perm)
    index: BandIndex[str] = BandIndex()
    keys = band_keys(sign([distinct(t) for t in TEXTS.values()], config), bands, rows)
    for name, row in zip(TEXTS, keys, strict=True):
        index.add(name, row)
    (query,) = band_keys(sign([distinct(EDITED)], config), bands, rows)
    assert index.query(query) == ["original"]


def test_band_index_returns_each_paragraph_once_in_insertion_order() -> None:
    config = Config()
    bands, rows = band_layout(config.lsh_threshold, config.num_perm)
    (keys,) = band_keys(sign([distinct(ORIGINAL)], config), bands, rows)
    index: BandIndex[str] = BandIndex()
    index.add("first", keys)
    index.add("second", keys)
    assert index.query(keys) == ["first", "second"]


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 128), (0.8, 64)])
def test_band_layout_agrees_with_datasketch(threshold: float, num_perm: int) -> None:
    from datasketch.lsh import _optimal_param

    assert band_layout(threshold, num_perm) == tuple(_optimal_param(threshold, num_perm, 0.1, 0.9))


def test_band_keys_shape_and_band_position() -> None:
    signatures = sign([distinct(ORIGINAL), distinct(ORIGINAL)], Config())
    keys = band_keys(signatures, 32, 4)
    assert keys.shape == (2, 32)
    assert np.array_equal(keys[0], keys[1])
    # equal values in two different bands are different keys
    same = np.zeros((1, 8), dtype=np.uint32)
    assert len(set(band_keys(same, 2, 4)[0].tolist())) == 2
    assert band_keys(np.zeros((0, 128), dtype=np.uint32), 32, 4).shape == (0, 32)


def test_shingle_index_finds_the_container_of_a_fragment() -> None:
    index: ShingleIndex[str] = ShingleIndex()
    for name, text in TEXTS.items():
        index.add(name, distinct(text).tolist())
    fragment = ORIGINAL[60:110]
    found = index.query(distinct(fragment).tolist())
    assert found[0] == "original"
    assert not any(name.startswith("other") for name in found)


def test_shingle_index_orders_by_shared_shingles_and_filters() -> None:
    index: ShingleIndex[str] = ShingleIndex()
    index.add("three", [1, 2, 3])
    index.add("two", [1, 2, 9])
    index.add("one", [1, 8, 9])
    assert index.query([1, 2, 3]) == ["three", "two", "one"]
    assert index.query([1, 2, 3], min_shared=2) == ["three", "two"]
    assert index.query([1, 2, 3], limit=1) == ["three"]
    assert index.query([42]) == []


def test_shingle_index_ignores_duplicate_hashes() -> None:
    index: ShingleIndex[str] = ShingleIndex()
    index.add("a", [1, 1, 1, 2])
    assert index.query([1, 1, 2], min_shared=2) == ["a"]
    assert index.query([1, 1, 1], min_shared=2) == []


def test_shingle_index_does_not_follow_stock_phrases() -> None:
    index: ShingleIndex[int] = ShingleIndex(max_postings=3)
    for ref in range(5):
        index.add(ref, [7, 100 + ref])
    # hash 7 is in five paragraphs, more than max_postings: not followed
    assert index.query([7]) == []
    assert index.query([7, 102]) == [2]


def test_anchors_are_a_fixed_subset_of_the_shingles() -> None:
    hashes = distinct(ORIGINAL)
    chosen = anchors(hashes)
    assert set(chosen.tolist()) <= set(hashes.tolist())
    assert all(h % 4 == 0 for h in chosen.tolist())
    # the same shingles in another paragraph are anchors there too
    edited = distinct(EDITED)
    shared = np.intersect1d(hashes, edited)
    assert set(anchors(shared).tolist()) == set(chosen.tolist()) & set(anchors(edited).tolist())


def _random_postings(rng: random.Random, refs: list[str]) -> list[list[str] | None]:
    """Posting lists as ``ShingleIndex.query`` visits them: some missing, some past the limit."""
    sizes = (1, 2, 3, 5, MAX_POSTINGS, MAX_POSTINGS + 1)
    return [
        None if rng.random() < 0.1 else [rng.choice(refs) for _ in range(rng.choice(sizes))]
        for _ in range(rng.choice((0, 1, 4, 20)))
    ]


def test_most_shared_ranks_as_counter_most_common() -> None:
    # the definition it replaced: Counter.most_common, ties in order of first sight
    rng = random.Random(5)
    refs = [f"p{i}" for i in range(40)]
    for _ in range(500):
        postings = _random_postings(rng, refs)
        followed = [r for r in postings if r is not None and len(r) <= MAX_POSTINGS]
        counts = Counter(ref for r in followed for ref in r)
        for limit in (None, 0, 1, 3, MAX_CANDIDATES, 1000):
            for min_shared in (1, 2, 3):
                expected = [ref for ref, n in counts.most_common(limit) if n >= min_shared]
                assert most_shared(postings, MAX_POSTINGS, min_shared, limit) == expected


def test_indexes_hold_and_answer_what_dicts_of_lists_would() -> None:
    # the definition: a dict of lists, one entry at a time (what the pure path holds; the
    # compiled core's tables must hold and answer the same)
    rng = random.Random(9)
    cap = 3
    bands, shingled = BandIndex[str](), ShingleIndex[str](max_postings=cap)
    expected_bands: dict[int, list[str]] = {}
    expected_postings: dict[int, list[str]] = {}
    for i in range(3000):
        ref = f"p{rng.randrange(2500)}"  # now and then a ref added again
        keys = [rng.randrange(900) * 2**40 for _ in range(rng.choice((1, 2, 4, 32)))]
        bands.add(ref, np.array(keys, dtype=np.uint64))
        shingled.add(ref, keys)
        for key in keys:
            expected_bands.setdefault(key, []).append(ref)
        for key in set(keys):
            if len(expected_postings.setdefault(key, [])) <= cap:
                expected_postings[key].append(ref)
        if i % 7:
            continue
        asked = [rng.randrange(1000) * 2**40 for _ in range(rng.choice((1, 5, 40)))]
        union = dict.fromkeys(ref for key in asked for ref in expected_bands.get(key, ()))
        assert bands.query(np.array(asked, dtype=np.uint64)) == list(union)
        for limit in (None, 1, MAX_CANDIDATES):
            for min_shared in (1, 2):
                expected = most_shared(map(expected_postings.get, set(asked)), cap, min_shared, limit)
                assert shingled.query(asked, min_shared, limit) == expected
        assert [shingled.postings(key) for key in asked] == [expected_postings.get(key) for key in asked]
    assert list(bands.entries()) == list(expected_bands.items())
    assert list(shingled.entries()) == list(expected_postings.items())


def test_a_long_bucket_answers_in_insertion_order() -> None:
    # the compiled table reads a chain back into a buffer that grows with the longest bucket
    bands, shingled = BandIndex[int](), ShingleIndex[int](max_postings=5000)
    common, other = np.array([7 * 2**40], dtype=np.uint64), np.array([9 * 2**40], dtype=np.uint64)
    for ref in range(3000):
        bands.add(ref, common if ref % 3 else np.concatenate([other, common]))
        shingled.add(ref, [7 * 2**40] if ref % 3 else [9 * 2**40, 7 * 2**40])
    thirds = list(range(0, 3000, 3))
    assert bands.query(other) == thirds
    assert bands.query(np.concatenate([other, common])) == [*thirds, *(r for r in range(3000) if r % 3)]
    assert shingled.postings(7 * 2**40) == list(range(3000))
    assert shingled.query([9 * 2**40, 7 * 2**40], limit=4) == [0, 3, 6, 9]
    assert list(bands.entries()) == [(9 * 2**40, thirds), (7 * 2**40, list(range(3000)))]


def test_a_table_past_a_megabyte_holds_every_key() -> None:
    """Past 65,536 keys the compiled table's slots take megabytes, which it asks the kernel for in
    one go (``dedup_populate``): every key and bucket is still there, in order."""
    rng = np.random.default_rng(5)
    keys = np.unique(rng.integers(1, 2**63, size=150_000, dtype=np.uint64))
    rng.shuffle(keys)
    bands = BandIndex[int]()
    for ref in range(0, len(keys), 50):
        bands.add(ref, keys[ref : ref + 50])
    assert [key for key, _ in bands.entries()] == keys.tolist()
    for ref in range(0, len(keys), 5000):
        assert bands.query(keys[ref : ref + 3]) == [ref]


def test_anchor_list_is_the_anchors_as_a_list() -> None:
    rng = np.random.default_rng(3)
    core = compiled_core()
    for size in (0, 1, 7, 300):
        found = np.unique(rng.integers(0, 2**32, size=size, dtype=np.uint64).astype(np.uint32))
        expected = anchors(found).tolist()
        assert anchor_list(found) == expected
        assert anchor_list(found[::2]) == anchors(found[::2]).tolist()  # a strided view
        if core is not None:
            assert core.anchor_list(found, ANCHOR_EVERY) == expected


def test_the_indexes_table_is_built_wherever_the_core_is() -> None:
    # a separate extension (compiled_index.pyx): the test above must have run it, not the dicts
    if compiled_core() is not None:
        assert compiled_postings() is not None
