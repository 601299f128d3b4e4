"""review.sample: which articles a review shows in full; the store of texts for surviving copies."""

from __future__ import annotations

from typing import Any

import pytest

from dedup.review.sample import Entry, Selection, TextStore


def _entry(position: int, removed: int) -> Entry:
    line: dict[str, Any] = {"id": f"doc{position}", "removed": [], "joins": [], "flags": []}
    return Entry(position, line, "text", removed)


def _select(limit: int, removed: list[int], seed: int = 1) -> list[int]:
    selection = Selection(limit, seed)
    for position, chars in enumerate(removed):
        selection.add(_entry(position, chars))
    return [entry.position for entry in selection.entries()]


def test_every_article_up_to_the_limit_in_corpus_order() -> None:
    assert _select(10, [5, 0, 9, 1]) == [0, 1, 2, 3]
    selection = Selection(4)
    for position in range(4):
        selection.add(_entry(position, 0))
    assert not selection.sampled


def test_beyond_the_limit_the_most_changed_and_a_sample() -> None:
    removed = [0] * 100
    for position in (7, 30, 55, 90):
        removed[position] = 1000 + position
    selection = Selection(20, seed=3)
    for position, chars in enumerate(removed):
        selection.add(_entry(position, chars))
    shown = [entry.position for entry in selection.entries()]
    assert selection.sampled and selection.seen == 100
    assert len(shown) == 20 == len(set(shown))
    assert shown == sorted(shown)
    assert {7, 30, 55, 90} <= set(shown)  # the most changed are always there
    assert selection.most_changed == 15 and selection.sample_size == 5


def test_the_sample_is_the_same_on_every_run_and_follows_the_seed() -> None:
    removed = [i % 7 for i in range(300)]
    first = _select(40, removed, seed=1)
    assert first == _select(40, removed, seed=1)
    assert first != _select(40, removed, seed=2)


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        Selection(0)


def test_text_store_gives_back_each_text_and_resolves_repeated_ids() -> None:
    store = TextStore()
    try:
        store.add("a", "第一篇")
        store.add("b", "second \udcff text")  # a lone surrogate from an undecodable byte survives
        store.add("a", "第三篇 again")
        assert store.text(1) == "second \udcff text"
        assert store.text(0) == "第一篇"
        assert store.position("a", before=1) == 0
        assert store.position("a", before=2) == 2
        assert store.position("b", before=0) == 1  # only a later one: that one
        assert store.position("missing", before=2) is None
    finally:
        store.close()
