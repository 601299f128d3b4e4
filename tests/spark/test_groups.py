"""Which documents are resolved together: keys and connected components.
The pure-Python parts run without Spark."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sample_articles import A, B, C, article

import dedup
from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.spark.components import components, union_find
from dedup.spark.keys import document_keys
from dedup.spark.resolve import resolve_group


def _keys(text: str) -> set[int]:
    return set(document_keys(Extractor(Config())(0, Document("x", text))).tolist())


def test_documents_sharing_a_paragraph_share_keys_and_unrelated_ones_do_not() -> None:
    assert _keys(article(A, B)) & _keys(article(C, A))
    assert not _keys(article(A)) & _keys(article(C))


def test_an_edited_copy_shares_a_key_with_its_source() -> None:
    edited = A.replace("社区工作者", "社区工作人员")
    assert _keys(article(A)) & _keys(article(edited))


def test_union_find_labels_each_node_with_the_smallest_of_its_component() -> None:
    assert union_find([(5, 3), (3, 9), (7, 8), (9, 1)]) == {5: 1, 3: 1, 9: 1, 1: 1, 7: 7, 8: 7}


def test_a_group_alone_is_resolved_as_in_the_whole_corpus() -> None:
    corpus = [article(A, B), article(C), article(B, A), article(C, "另一段。")]
    whole = list(dedup.clean([Document(str(n), t) for n, t in enumerate(corpus)]))
    group = [(0, Document("0", corpus[0])), (2, Document("2", corpus[2]))]
    alone = dict(resolve_group(group, Config(), {"0": 0, "2": 2}))
    assert alone[2] == whole[2] and alone[0] == whole[0]
    assert whole[2].removed  # the group decides something


@pytest.mark.spark
def test_components_in_spark_sql_equal_union_find(spark: Any) -> None:
    rng = random.Random(4)
    pairs = [(rng.randrange(300), rng.randrange(300)) for _ in range(250)]
    pairs = [(max(a, b), min(a, b)) for a, b in pairs if a != b]
    edges = spark.createDataFrame(pairs, "pos long, root long")
    found = {r["pos"]: r["group"] for r in components(spark, edges, local_limit=0).collect()}
    assert found == union_find(pairs)
