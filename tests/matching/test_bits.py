"""bits: runs of covered characters, in pure Python and in the compiled core."""

from __future__ import annotations

import random
import re

import pytest
from compiled_parts import built

from dedup.matching.bits import bridged, longest_run
from dedup.matching.core import compiled_core


def _regex_longest_run(mask: int, length: int, bridge: int) -> tuple[int, int]:
    """The definition ``longest_run`` replaced: a regular expression over the bits in order."""
    best = (0, 0)
    for run in re.finditer(f"1(?:0{{0,{bridge}}}1)*", format(mask, f"0{length}b")[::-1]):
        if run.end() - run.start() > best[1] - best[0]:
            best = run.span()
    return best


def _random_masks(rng: random.Random, count: int) -> list[tuple[int, int]]:
    masks = [(0, 0), (0, 5), (1, 1), (0b1001, 4), (0b10001, 5)]
    for _ in range(count):
        length = rng.choice((1, 2, 7, 40, 300, 900))
        density = rng.random()
        masks.append((sum(1 << i for i in range(length) if rng.random() < density), length))
    return masks


@pytest.mark.parametrize("bridge", [0, 1, 3, 8])
def test_longest_run_is_the_regular_expression_one(bridge: int) -> None:
    for mask, length in _random_masks(random.Random(bridge), 2000):
        assert longest_run(mask, bridge) == _regex_longest_run(mask, length, bridge)


def test_bridged_fills_short_gaps_only() -> None:
    assert bridged(0b1000101, 3) == 0b1111111
    assert bridged(0b10000101, 3) == 0b10000111
    assert bridged(0b110, 2) == 0b110  # nothing added at either edge


@pytest.mark.parametrize("bridge", [0, 1, 3, 8])
def test_compiled_longest_run_is_the_pure_one(bridge: int) -> None:
    core = built(compiled_core(), "the compiled core")
    for mask, _ in _random_masks(random.Random(100 + bridge), 2000):
        assert core.longest_run(mask, bridge) == longest_run(mask, bridge)
