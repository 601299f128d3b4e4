"""Spark local[2] against the local engine: the same cleaned text and the same
report line, byte for byte, for every document."""

from __future__ import annotations

from typing import Any

import pytest

import dedup
from dedup.config import Config
from dedup.files.jsonl import json_bytes
from dedup.files.report import result_to_json
from dedup.records import Document
from dedup.spark import clean_dataframe

from .corpus import dev_like, fixture_texts

pytestmark = pytest.mark.spark


def _local(articles: list[tuple[str, str]], config: Config) -> list[tuple[str, str]]:
    results = dedup.clean([Document(i, t) for i, t in articles], config)
    return [(r.cleaned, json_bytes(result_to_json(r)).decode()) for r in results]


def _spark(
    spark: Any, articles: list[tuple[str, str]], config: Config, **options: Any
) -> list[tuple[str, str]]:
    rows = [(n, i, t) for n, (i, t) in enumerate(articles)]
    frame = spark.createDataFrame(rows, "n long, id string, text string")
    cleaned = clean_dataframe(frame, order_col="n", config=config, **options)
    return [(r[0], r[1]) for r in cleaned.orderBy("dedup.pos").select("text", "dedup.report").collect()]


def test_every_fixture_is_cleaned_as_the_local_engine_cleans_it(spark: Any) -> None:
    articles = fixture_texts()
    assert _spark(spark, articles, Config()) == _local(articles, Config())


def test_a_dev_like_corpus_with_near_copies_and_repeated_ids(spark: Any) -> None:
    articles = dev_like()
    local = _local(articles, Config())
    assert sum('"near_copy_of": {' in report for _, report in local) >= 3  # the corpus has near copies
    assert _spark(spark, articles, Config()) == local


def test_components_found_in_spark_sql_give_the_same_result(spark: Any) -> None:
    # local_graph_limit=0: large-star / small-star instead of the driver's union-find
    articles = dev_like(40, seed=3)
    assert _spark(spark, articles, Config(), resolution="groups", local_graph_limit=0) == _local(
        articles, Config()
    )


def test_other_settings_each_document_alone_and_drop(spark: Any) -> None:
    articles = dev_like(30, seed=5)
    for config in (Config(scope="document"), Config(duplicate_articles="drop", keep="first")):
        assert _spark(spark, articles, config) == _local(articles, config)


def test_without_an_order_column_the_input_order_is_used(spark: Any) -> None:
    articles = dev_like(20, seed=7)
    frame = spark.createDataFrame(articles, "id string, text string").coalesce(1)
    cleaned = clean_dataframe(frame).orderBy("dedup.pos").select("text", "dedup.report").collect()
    assert [(r[0], r[1]) for r in cleaned] == _local(articles, Config())


def test_other_columns_are_kept_and_the_report_fields_are_columns(spark: Any) -> None:
    articles = dev_like(10, seed=9)
    rows = [(n, i, t, f"extra{n}") for n, (i, t) in enumerate(articles)]
    frame = spark.createDataFrame(rows, "n long, id string, text string, extra string")
    got = clean_dataframe(frame, order_col="n").orderBy("n").collect()
    local = list(dedup.clean([Document(i, t) for i, t in articles]))
    assert [r["extra"] for r in got] == [f"extra{n}" for n in range(len(articles))]
    assert [r["dedup"]["changed"] for r in got] == [r.changed for r in local]
    assert [len(r["dedup"]["removed"]) for r in got] == [len(r.removed) for r in local]
    assert [r["dedup"]["id"] for r in got] == [r.id for r in local]
