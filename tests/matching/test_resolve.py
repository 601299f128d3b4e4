"""resolve: whether an article is a near-copy of an earlier one, and of which."""

from __future__ import annotations

from sample_articles import A, B, C, article

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.matching.item import Item
from dedup.matching.resolve import near_copy
from dedup.matching.verify import Decision
from dedup.records import Document, NearCopy


def _items(number: int, doc_id: str, text: str) -> list[Item]:
    return Extractor(Config())(number, Document(doc_id, text)).items


def test_of_two_sources_repeated_equally_the_first_in_order_is_named() -> None:
    x, y = _items(0, "x", article("甲", A)), _items(1, "y", article("乙", A))
    mine = _items(2, "z", article("丙", A))
    decisions = {1: Decision(mine[1], "exact", 1.0, 1.0, (x[1], y[1]))}
    first = {"x": 0, "y": 1}
    assert near_copy(mine, decisions, Config(), first.__getitem__) == NearCopy("x", 1.0, "strip")
    assert near_copy(mine, decisions, Config(), lambda doc_id: -first[doc_id]) == NearCopy("y", 1.0, "strip")
    drop = Config(duplicate_articles="drop")
    assert near_copy(mine, decisions, drop, first.__getitem__) == NearCopy("x", 1.0, "drop")


def test_an_article_repeating_too_little_is_no_near_copy() -> None:
    x = _items(0, "x", article("甲", A))
    mine = _items(1, "z", article("丙", A, B, C))
    decisions = {1: Decision(mine[1], "exact", 1.0, 1.0, (x[1],))}
    assert near_copy(mine, decisions, Config(), {"x": 0}.__getitem__) is None
    assert near_copy(mine, {}, Config(), {"x": 0}.__getitem__) is None
