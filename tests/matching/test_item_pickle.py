"""Items and their records pickle as calls of their classes (``records.PickledByInit``),
every field with them."""

from __future__ import annotations

import pickle
from dataclasses import fields
from typing import Any

import numpy as np
from sample_articles import A, B, article

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.matching.item import Item
from dedup.records import Document, Key, Paragraph, Shingles

RECORDS = (Item, Paragraph, Key, Shingles)


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and np.array_equal(a, b)
    if type(a) in RECORDS:
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _items() -> list[Item]:
    extracted = Extractor(Config())(3, Document("d", article("标题", A, B, A)))
    items = extracted.items
    items[1].characters()  # a cache set after construction travels too
    items[1].anchor_points()
    return items


def test_every_field_survives_a_pickle() -> None:
    items = _items()
    assert items[1].table is not None and items[1].anchors is not None
    for it in items:
        again = pickle.loads(pickle.dumps(it, protocol=5))
        assert _same(again, it)
        assert again.size == len(it.key.text)
