"""Lookups over a corpus split between memory and a spill store answer as one
index holding every paragraph: the same paragraphs, and for anchors the same
ranking with the same ties, whatever the limit."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpora import generated_corpus

from dedup import Config
from dedup.matching.features import Extractor
from dedup.matching.index import BandIndex, ShingleIndex, anchors
from dedup.matching.item import Item
from dedup.run.spill import SpillStore, signed
from dedup.run.tiers import Anchors, Bands, Copies


def _items() -> list[Item]:
    extract = Extractor(Config())
    unique: dict[str, Item] = {}
    for number, document in enumerate(generated_corpus(60)):
        for it in extract(number, document).items:
            unique.setdefault(it.key.text, it)
    return list(unique.values())


def _index(items: list[Item]) -> tuple[dict[str, Item], BandIndex[Item], ShingleIndex[Item]]:
    exact, near, contain = {}, BandIndex[Item](), ShingleIndex[Item]()
    for it in items:
        exact[it.key.text] = it
        if it.bands is not None:
            near.add(it, it.bands)
        contain.add(it, anchors(it.distinct).tolist())
    return exact, near, contain


@pytest.mark.parametrize("split", [0.0, 0.3, 0.7, 1.0])
def test_split_lookups_answer_as_one_index(split: float, tmp_path: Path) -> None:
    items = _items()
    whole_exact, whole_near, whole_contain = _index(items)
    cut = int(len(items) * split)
    store = SpillStore(tmp_path)
    spilled_exact, spilled_near, spilled_contain = _index(items[:cut])
    store.spill(spilled_exact.values(), spilled_near, spilled_contain)
    exact, near, contain = _index(items[cut:])
    for it in items[::3]:
        points = anchors(it.distinct).tolist()
        found = store.find(
            [it.key.text, "不在其中的键"], signed(it.bands) if it.bands is not None else [], points
        )
        copies = Copies(exact, found, store)
        assert copies.get(it.key.text).ref == whole_exact[it.key.text].ref
        assert copies.get("不在其中的键") is None
        if it.bands is not None:
            together = sorted(q.ref for q in Bands(near, found, store).query(it.bands))
            assert together == sorted(q.ref for q in whole_near.query(it.bands))
        for limit in (1, 2, 3, 16, None):
            split_answer = [q.ref for q in Anchors(contain, found, store).query(points, limit=limit)]
            assert split_answer == [q.ref for q in whole_contain.query(points, limit=limit)]
    store.close()
