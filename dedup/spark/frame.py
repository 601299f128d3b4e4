"""``clean_dataframe``: the cleaning of ``dedup clean`` on a Spark DataFrame.

Python only inside Arrow UDFs.  By default (``resolution="rounds"``,
``spark.rounds``): each document extracted once; in Spark SQL the indexed
earlier paragraphs each document reaches; each document resolved alone against
them, in rounds until no decision changes.  With ``resolution="groups"``, four
stages:

1. keys (``mapInArrow``): each document extracted alone by the project's
   ``Extractor``; its exact, band and anchor keys out (``spark.keys``);
2. groups (Spark SQL): documents sharing a key linked as stars, connected
   components (``spark.components``);
3. the first position of every document id (Spark SQL);
4. resolution (``mapInArrow`` over partitions sorted by group, then position):
   each group in corpus order by a fresh ``run.corpus.Corpus``, which calls
   ``run.document.clean_document`` (``spark.resolve``).  Groups are spread
   over partitions by hash; a partition streams, holding one group's kept
   paragraphs at a time.  Real corpora form one giant group: one task.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from dedup.config import Config
from dedup.matching.features import Extractor
from dedup.records import Document
from dedup.spark.components import LOCAL_LIMIT, components, star_edges
from dedup.spark.keys import document_keys
from dedup.spark.resolve import RESULT_DDL, GroupResolver, result_row
from dedup.spark.rounds import resolve_in_rounds

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

POS, GROUP, FIRST, ID, PATH = "__dedup_pos", "__dedup_group", "__dedup_first", "__dedup_id", "__dedup_path"
TEXT = "__dedup_text"
#: how the cross-article decision is spread over tasks (``clean_dataframe``)
Resolution = Literal["rounds", "groups"]
#: the column of the results (a struct of ``spark.resolve.RESULT_DDL``)
RESULT = "dedup"


def clean_dataframe(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    order_col: str | None = None,
    config: Config | None = None,
    *,
    path_col: str | None = None,
    max_key_docs: int | None = None,
    partitions: int | None = None,
    local_graph_limit: int = LOCAL_LIMIT,
    resolution: Resolution = "rounds",
) -> DataFrame:
    """The rows of ``df`` cleaned as ``dedup clean`` cleans a corpus: ``text_col``
    holds the cleaned text, every other column is kept, and the struct column
    ``dedup`` holds the report's fields (``pos``, ``changed``, ``dropped``,
    ``removed``, ``joins``, ``flags``, ``near_copy_of`` …, and ``report``, the
    report line exactly as the local engine writes it).

    Corpus order is ``order_col`` (unique, sortable as a long), else the order
    of ``monotonically_increasing_id`` (the input's partitions, then rows; the
    input is checkpointed once so that the order cannot change between
    stages).  The rows come back in no particular order: sort by ``dedup.pos``.
    ``resolution`` is how the cross-article decision is spread: ``"rounds"``
    (default: every document its own task, ``spark.rounds``) or ``"groups"``
    (connected components of "shares a key", each group one task,
    ``spark.components``); both give the local engine's results.  With
    ``"groups"``, ``max_key_docs`` leaves keys held by more documents out of the
    grouping (giant groups split; results may then differ from the local
    engine's, see the README).  ``partitions`` is the number of resolution
    partitions (default: the cores with groups, four times as many with rounds).
    """
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructField, StructType

    config = config or Config()
    spark = df.sparkSession
    columns = df.columns
    position = F.col(order_col).cast("long") if order_col else F.monotonically_increasing_id()
    framed = df.withColumn(POS, position).withColumn(
        ID, F.coalesce(F.col(id_col).cast("string"), F.col(POS).cast("string"))
    )
    framed = framed.withColumn(
        PATH, F.col(path_col).cast("string") if path_col else F.lit(None).cast("string")
    )
    if order_col is None:
        framed = framed.localCheckpoint()
    cores = spark.sparkContext.defaultParallelism
    if config.scope == "corpus" and resolution == "rounds":
        # documents cost unequal time: more partitions than cores even the load
        return _in_rounds(df, framed, text_col, config, partitions or 4 * cores)
    partitions = partitions or cores
    if config.scope == "corpus":
        keys = framed.select(POS, text_col).mapInArrow(_keys_of(config, text_col), "pos long, key long")
        labels = components(spark, star_edges(keys, max_key_docs), local_graph_limit)
        framed = framed.join(
            labels.withColumnRenamed("pos", POS).withColumnRenamed("group", GROUP), POS, "left"
        )
    else:
        framed = framed.withColumn(GROUP, F.lit(None).cast("long"))
    firsts = framed.groupBy(ID).agg(F.min(POS).alias(FIRST))
    framed = framed.withColumn(GROUP, F.coalesce(F.col(GROUP), F.col(POS))).join(firsts, ID)
    framed = framed.select(*columns, POS, ID, PATH, GROUP, FIRST)
    framed = framed.repartition(partitions, GROUP)
    framed = framed.sortWithinPartitions(GROUP, POS)
    schema = StructType([*df.schema.fields, StructField(RESULT, StructType.fromDDL(RESULT_DDL))])
    return framed.mapInArrow(_resolver(config, columns, text_col, schema), schema)


def _in_rounds(df: DataFrame, framed: DataFrame, text_col: str, config: Config, partitions: int) -> DataFrame:
    """The rows of ``df`` with their results, resolved by ``spark.rounds``."""
    from pyspark.sql import functions as F

    firsts = framed.groupBy(ID).agg(F.min(POS).alias(FIRST))
    documents = framed.join(firsts, ID).select(
        F.col(POS).alias("pos"),
        F.col(ID).alias("id"),
        F.col(PATH).alias("path"),
        F.col(FIRST).alias("first"),
        F.col(text_col).alias(TEXT),
    )
    results, _ = resolve_in_rounds(documents, TEXT, config, RESULT_DDL, partitions)
    joined = framed.join(results.withColumnRenamed("pos", POS), POS)
    columns = [F.col("result.cleaned").alias(c) if c == text_col else F.col(c) for c in df.columns]
    return joined.select(*columns, F.col("result").alias(RESULT))


def _keys_of(config: Config, text_col: str) -> Any:
    """The Arrow UDF of stage 1: (pos, text) batches -> (pos, key) batches."""

    def keys(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa

        extractor = Extractor(config)
        for batch in batches:
            positions: list[np.ndarray] = []
            found: list[np.ndarray] = []
            for pos, text in zip(
                batch.column(POS).to_pylist(), batch.column(text_col).to_pylist(), strict=True
            ):
                got = document_keys(extractor(pos, Document(str(pos), text or "")))
                positions.append(np.full(len(got), pos, dtype=np.int64))
                found.append(got)
            if found:
                yield pa.RecordBatch.from_arrays(
                    [pa.array(np.concatenate(positions)), pa.array(np.concatenate(found))],
                    names=["pos", "key"],
                )

    return keys


def _resolver(config: Config, columns: list[str], text_col: str, schema: Any) -> Any:
    """The Arrow UDF of stage 4: rows sorted by group, then position -> the cleaned rows."""

    def resolve(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow = to_arrow_schema(schema)
        resolver = GroupResolver(config)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                document = Document(row[ID], row[text_col] or "", row[PATH])
                result = resolver.clean(row[GROUP], row[POS], document, row[FIRST])
                kept = {name: row[name] for name in columns}
                kept[text_col] = result.cleaned
                kept[RESULT] = result_row(row[POS], result)
                out.append(kept)
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return resolve
