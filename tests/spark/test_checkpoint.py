"""``spark.checkpoint.checkpointed``: an iteration's checkpoints keep their rows, not the size estimates of
the plans they came from (which a join multiplies: their digits doubled every round)."""

from __future__ import annotations

from typing import Any

import pytest

from dedup.spark.checkpoint import checkpointed

pytestmark = pytest.mark.spark


def _estimate(frame: Any) -> int:
    return int(frame._jdf.queryExecution().optimizedPlan().stats().sizeInBytes())


def _iterate(spark: Any, cut: Any, rounds: int) -> tuple[list[int], list[tuple[int, int]]]:
    """Each round joins the last round's rows with themselves, as the rounds of the Spark engine do."""
    from pyspark.sql import functions as F

    table = cut(spark.range(1000).withColumn("v", F.col("id") * 2))
    estimates = []
    for _ in range(rounds):
        again = table.select("id", F.col("v").alias("w"))
        table = cut(table.join(again, "id", "left").select("id", (F.col("v") + F.col("w")).alias("v")))
        estimates.append(_estimate(table))
    return estimates, sorted((r[0], r[1]) for r in table.collect())


def test_checkpoints_keep_the_rows_but_not_the_compounded_estimates(spark: Any) -> None:
    plain, plain_rows = _iterate(spark, lambda frame: frame.localCheckpoint(), 6)
    cut, cut_rows = _iterate(spark, checkpointed, 6)
    assert cut_rows == plain_rows
    assert plain_rows[1] == (1, 2 * 2**6)
    # a plain local checkpoint carries the join's estimate (the product of its sides) into the next round
    assert len(str(plain[-1])) > 4 * len(str(plain[2]))
    # checkpointed: every round starts from Spark's default estimate
    assert len(set(cut)) == 1 and cut[0] < 2**64
