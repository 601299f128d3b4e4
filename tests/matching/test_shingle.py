"""shingle: word n-gram shingles and the exact measures candidates are verified with."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np

from dedup.matching.shingle import (
    bit_span,
    char_table,
    coverage,
    covered_bits,
    distinct,
    gap_by_format,
    jaccard,
    longest_gap,
    shingles,
)
from dedup.text.normalize import fold
from dedup.text.words import tokenize

PARAGRAPH = (
    "社区是疫情防控的最前线。新冠肺炎疫情发生以来，全国400多万名社区工作者坚守一线，"
    "在65万个城乡社区从事着疫情监测、出入管理、宣传教育、环境整治、困难帮扶等工作。"
)
OTHER = (
    "嘉鱼县全力建设蔬菜大县。该县开辟“绿色通道”，组建工作专班24小时现场办公，负责蔬菜采收、调运、保供工作。"
)
WORDS = ["没有", "主管", "单位", "为了", "做好"]


def words(text: str) -> list[str]:
    return tokenize(fold(text))


def spans(sh: object) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in sh.spans]  # type: ignore[attr-defined]


def test_no_tokens_no_shingles() -> None:
    empty = shingles([], 3)
    assert len(empty.hashes) == 0
    assert len(empty.spans) == 0
    assert empty.tokens == 0
    assert len(empty.distinct) == 0


def test_fewer_tokens_than_size_give_one_shingle_of_all() -> None:
    sh = shingles(["社区", "工作者"], 3)
    assert len(sh.hashes) == 1
    assert spans(sh) == [(0, 5)]
    assert sh.tokens == 2


def test_count_and_spans_of_word_trigrams() -> None:
    sh = shingles(WORDS, 3)
    assert len(sh.hashes) == 3
    assert spans(sh) == [(0, 6), (2, 8), (4, 10)]
    assert sh.tokens == 5


def test_spans_are_in_characters_of_the_key() -> None:
    key = fold(PARAGRAPH)
    tokens = tokenize(key)
    sh = shingles(tokens, 3)
    for i, (start, end) in enumerate(spans(sh)):
        assert key[start:end] == "".join(tokens[i : i + 3])
    assert spans(sh)[-1][1] == len(key)


def test_hashes_are_32_bit_and_distinct_is_sorted_and_unique() -> None:
    sh = shingles(words(PARAGRAPH) * 2, 3)
    assert sh.hashes.dtype == np.uint32
    assert list(sh.distinct) == sorted(set(sh.hashes.tolist()))


def test_equal_word_sequences_give_equal_shingles() -> None:
    assert np.array_equal(shingles(WORDS, 3).hashes, shingles(list(WORDS), 3).hashes)


def test_word_order_and_boundaries_matter() -> None:
    assert not np.array_equal(shingles(["甲", "乙", "丙"], 3).hashes, shingles(["丙", "乙", "甲"], 3).hashes)
    # the same characters cut into other words are other shingles
    assert not np.array_equal(
        shingles(["没有主", "管单位"], 3).hashes, shingles(["没有", "主管", "单位"], 3).hashes
    )


def test_hashes_are_stable_across_processes() -> None:
    # saved indexes compare hashes made by other processes: nothing may depend on PYTHONHASHSEED
    code = f"from dedup.matching.shingle import shingles; print(shingles({WORDS!r}, 3).hashes.tolist())"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {f"{shingles(WORDS, 3).hashes.tolist()}\n"}


def test_jaccard() -> None:
    a = shingles(words(PARAGRAPH), 3).distinct
    b = shingles(words(OTHER), 3).distinct
    empty = np.zeros(0, dtype=np.uint32)
    assert jaccard(a, a) == 1.0
    assert jaccard(a, b) == 0.0
    assert jaccard(empty, empty) == 1.0
    assert jaccard(np.array([1, 2], dtype=np.uint32), np.array([2, 3], dtype=np.uint32)) == 1 / 3


def test_coverage_of_a_suffix_fragment_is_nearly_complete() -> None:
    whole = shingles(words(PARAGRAPH), 3)
    suffix_key = fold(PARAGRAPH[40:])
    suffix = shingles(tokenize(suffix_key), 3)
    # only the broken first word can fall outside every matching shingle
    assert coverage(suffix, len(suffix_key), whole.distinct) >= 0.9
    # the fragment covers only part of the whole paragraph
    assert coverage(whole, len(fold(PARAGRAPH)), suffix.distinct) < 0.8


def test_coverage_of_unrelated_text_is_low() -> None:
    key = fold(OTHER)
    sh = shingles(tokenize(key), 3)
    assert coverage(sh, len(key), shingles(words(PARAGRAPH), 3).distinct) < 0.2


def test_coverage_of_an_empty_key_is_zero() -> None:
    assert coverage(shingles([], 3), 0, np.array([1, 2], dtype=np.uint32)) == 0.0


def test_covered_bits_marks_characters_of_found_shingles() -> None:
    sh = shingles(WORDS, 3)
    table = char_table(sh)
    first = [int(sh.hashes[0])]
    assert covered_bits(table, first) == 0b111111
    assert covered_bits(table, []) == 0
    assert covered_bits(table, sh.distinct.tolist()) == (1 << 10) - 1
    last = [int(sh.hashes[2])]
    assert covered_bits(table, last) == 0b1111110000


def test_a_shingle_repeated_in_a_paragraph_covers_all_its_places() -> None:
    sh = shingles(["甲", "乙", "丙", "甲", "乙", "丙"], 3)
    table = char_table(sh)
    assert covered_bits(table, [int(sh.hashes[0])]) == 0b111111  # 甲乙丙 at 0-2 and at 3-5


def test_distinct_is_sorted_and_unique() -> None:
    hashes = np.array([5, 1, 5, 3, 1], dtype=np.uint32)
    assert distinct(hashes).tolist() == [1, 3, 5]
    assert distinct(np.zeros(0, dtype=np.uint32)).tolist() == []


def test_bit_helpers() -> None:
    assert bit_span(0b0110100) == (2, 6)
    assert longest_gap(0b1000011, 7) == 4
    assert longest_gap(0, 5) == 5
    assert longest_gap(0b11111, 5) == 0
    assert longest_gap(0, 0) == 0


def test_longest_gap_is_its_definition() -> None:
    """The compiled core's run of unset bits (where built) against the bits written out, with
    masks of every density, and set bits past ``length`` (the written-out bits include them)."""
    rng = random.Random(7)
    cases = [(0, 1), (1, 1), (0b1000011, 7), (0b100, 2), (1 << 40, 3), (0b1011, 0)]
    for _ in range(3000):
        length = rng.choice((1, 2, 7, 40, 300, 900))
        width = length + rng.choice((0, 0, 0, 1, 20))
        density = rng.random()
        cases.append((sum(1 << i for i in range(width) if rng.random() < density), length))
    for mask, length in cases:
        assert longest_gap(mask, length) == gap_by_format(mask, length), (mask, length)
