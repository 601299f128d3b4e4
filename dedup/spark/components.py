"""Connected components of the document graph, in Spark SQL.

Edges come from shared keys (``spark.keys``) as stars: every document holding a
key is linked to the first document holding it, so a key held by a million
documents makes a million edges, never a million squared pairs.  The
components are found by the large-star / small-star iteration of Kiveris et
al. (2014) in the DataFrame API (joins and group-bys, no Python), each round
checkpointed; it converges in O(log² n) rounds.  Small graphs (up to
``local_limit`` edges) are collected and joined by a union-find in the driver,
which is faster than a round of shuffles and gives the same components.

The label of a component is its smallest document position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dedup.spark.checkpoint import checkpointed

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: edges up to this many are joined in the driver (a few hundred MB at most)
LOCAL_LIMIT = 2_000_000
#: rounds of large-star / small-star before giving up (never reached: O(log² n))
MAX_ROUNDS = 64


def star_edges(keys: DataFrame, max_key_docs: int | None = None) -> DataFrame:
    """(pos, root): each document linked to the first document of every key it
    holds (``keys``: pos, key).  With ``max_key_docs``, keys held by more documents
    are left out (see ``clean_dataframe``)."""
    from pyspark.sql import functions as F

    per_key = keys.groupBy("key").agg(F.min("pos").alias("root"), F.count("*").alias("docs"))
    per_key = per_key.where(F.col("docs") > 1)
    if max_key_docs is not None:
        per_key = per_key.where(F.col("docs") <= max_key_docs)
    edges = keys.join(per_key.select("key", "root"), "key").where(F.col("pos") != F.col("root"))
    return edges.select("pos", "root").distinct()


def union_find(pairs: list[tuple[int, int]]) -> dict[int, int]:
    """node -> smallest node of its component, for every node of ``pairs``."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}


def _large_star(edges: DataFrame) -> DataFrame:
    """Link every larger neighbour of a node to the smallest of its neighbourhood."""
    from pyspark.sql import functions as F

    both = edges.select("a", "b").union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    smallest = both.groupBy("a").agg(F.least(F.min("b"), F.col("a")).alias("m"))
    return (
        both.join(smallest, "a")
        .where(F.col("b") > F.col("a"))
        .select(F.col("b").alias("a"), F.col("m").alias("b"))
        .distinct()
    )


def _small_star(edges: DataFrame) -> DataFrame:
    """Link a node and its smaller neighbours to the smallest of them."""
    from pyspark.sql import functions as F

    oriented = edges.select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b")).where(
        F.col("a") != F.col("b")
    )
    smallest = oriented.groupBy("a").agg(F.min("b").alias("m"))
    linked = oriented.join(smallest, "a")
    return (
        linked.select(F.col("b").alias("a"), F.col("m").alias("b"))
        .union(linked.select(F.col("a"), F.col("m").alias("b")))
        .where(F.col("a") != F.col("b"))
        .distinct()
    )


def components_in_sql(edges: DataFrame) -> DataFrame:
    """(pos, group) for every node of ``edges`` (pos, root), by large-star / small-star."""
    from pyspark.sql import functions as F

    current = checkpointed(edges.select(F.col("pos").alias("a"), F.col("root").alias("b")))
    signature = None
    for _ in range(MAX_ROUNDS):
        current = checkpointed(_small_star(_large_star(current)))
        now = current.agg(F.count("*"), F.bit_xor(F.xxhash64("a", "b"))).first()
        if now == signature:
            break
        signature = now
    # converged: every edge is (node, smallest node of its component)
    labels = current.groupBy("a").agg(F.min("b").alias("group"))
    roots = current.select(F.col("b").alias("a")).distinct().withColumn("group", F.col("a"))
    return labels.union(roots).groupBy(F.col("a").alias("pos")).agg(F.min("group").alias("group"))


def components(spark: SparkSession, edges: DataFrame, local_limit: int = LOCAL_LIMIT) -> DataFrame:
    """(pos, group) for every document with an edge: in the driver when the
    graph is small, else in Spark SQL."""
    edges = edges.localCheckpoint()
    if edges.limit(local_limit + 1).count() > local_limit:
        return components_in_sql(edges)
    labels = union_find([(int(r[0]), int(r[1])) for r in edges.collect()])
    return spark.createDataFrame(sorted(labels.items()), "pos long, group long")
