"""item: a paragraph's coverage by others' shingles, one at a time or several in one call."""

from __future__ import annotations

import random

import numpy as np

from dedup.matching.core import compiled_core
from dedup.matching.index import anchors
from dedup.matching.item import Item
from dedup.matching.shingle import char_table, covered_bits, distinct, shingle_arrays
from dedup.records import Key, Paragraph, Shingles

ALPHABET = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你说年"


def _item(rng: random.Random, pool: list[int]) -> Item:
    words = [
        "".join(rng.choice(ALPHABET) for _ in range(rng.choice((1, 2, 3))))
        for _ in range(rng.choice((1, 4, 40)))
    ]
    hashes, spans = shingle_arrays(words, 3)
    hashes = np.array(
        [rng.choice(pool) if rng.random() < 0.5 else h for h in hashes.tolist()], dtype=np.uint32
    )
    shingled = Shingles(hashes, spans, len(words), distinct(hashes))
    text = "".join(words)
    paragraph = Paragraph(0, 0, len(text), len(text), 0, len(text), "body")
    return Item("d", paragraph, Key(text, text, 0), shingled, shingled.distinct, 0)


def test_covered_by_each_is_covered_by_of_each() -> None:
    rng = random.Random(4)
    pool = [rng.getrandbits(32) for _ in range(30)]
    items = [_item(rng, pool) for _ in range(40)]
    core = compiled_core()
    for p in items:
        founds = [q.distinct for q in items]
        expected = [covered_bits(char_table(p.shingles), found.tolist()) for found in founds]
        assert p.covered_by_each(founds) == expected
        assert [p.covered_by(found) for found in founds] == expected
        if core is not None:
            sh = p.shingles
            assert core.covered_masks(sh.hashes, sh.spans, founds, p.size) == expected


def test_anchor_points_are_the_anchors_of_distinct() -> None:
    """Remembered on the item (the candidate lookup, then the corpus index, ask for them): the
    same values as ``index.anchors``, the definition, asked once or twice."""
    rng = random.Random(5)
    pool = [rng.getrandbits(32) for _ in range(30)]
    for it in (_item(rng, pool) for _ in range(40)):
        expected = anchors(it.distinct).tolist()
        assert it.anchors is None
        assert it.anchor_points() == expected
        assert it.anchors == expected
        assert it.anchor_points() == expected
