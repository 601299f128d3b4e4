"""Cross-article resolution in rounds: every document its own task, no giant group.

Real corpora form one giant connected component of "shares a key" (stock
phrases' anchors, boilerplate lines, chains of near copies), so resolving a
component in one task (``spark.components``) leaves one core doing all the work.
But a document needs far less than its component: only the *indexed* paragraphs
of earlier documents under its own keys (``spark.earlier``).  If those were
known, every document could be resolved alone.  They depend on the earlier
documents' decisions, so they are found by rounds (a Jacobi iteration):

* round 0 guesses that nothing is redundant;
* each round, in Spark SQL: the indexed paragraphs under the current guess (the
  first paragraph, in corpus order, of each key text not redundant); their keys
  (exact, band, and for anchors the first ``POSTING_CUT`` holders, found with a
  salted two-step top-N so that a stock phrase does not land in one task); the
  indexed earlier paragraphs each document reaches; then, in ``mapInArrow``,
  every document whose reached set changed since the last round is resolved
  against exactly those paragraphs (``earlier.resolve_against``);
* it stops when no redundant set changes.

Why the result is the local engine's: a document's resolution depends on its
own features and on the indexed paragraphs it reaches, nothing else (the id
order is passed in).  At the stop every document was resolved against the
paragraphs indexed under the final redundant sets, and those sets are what the
resolutions say: a fixed point.  The system is triangular (a document reaches
earlier documents only), so it has one fixed point: by induction over corpus
order, the first document reaches nothing and its sets equal the local engine's;
if every document before *d* agrees, the same paragraphs are indexed before *d*,
*d* reaches the same ones and is resolved as the local engine resolves it.  And
the rounds always reach it: after round *k* every document whose chain of
earlier dependencies is shorter than *k* is final (on the dev set, the wild
month and the big set two to four rounds suffice).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from dedup.config import Config
from dedup.matching.features import Extracted, Extractor
from dedup.matching.index import anchors
from dedup.matching.item import Item
from dedup.records import Document
from dedup.run.document import clean_document
from dedup.spark.earlier import POSTING_CUT, candidate_refs, candidates_against
from dedup.spark.keys import ANCHOR_TAG, exact_key

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

#: salts of the anchor top-N: a stock phrase's holders are cut in this many tasks first
SALTS = 16
#: rounds before giving up (never reached: the dependency chains are short)
MAX_ROUNDS = 200

PARAGRAPH_DDL = (
    "pos long, para int, keytext string, xkey long, bands array<long>, anchors array<long>, item binary"
)
DOCUMENT_DDL = f"pos long, features binary, paragraphs array<struct<{PARAGRAPH_DDL}>>"


def _lean(it: Item) -> Item:
    """The item as shipped: without its signature and comparison table."""
    return replace(it, signature=None, table=None)


def paragraph_rows(extracted: Extracted) -> list[dict[str, Any]]:
    """A document's items as rows of ``PARAGRAPH_DDL`` (without ``pos``)."""
    rows: list[dict[str, Any]] = []
    for it in extracted.items:
        bands = [] if it.bands is None else it.bands.astype(np.uint64).view(np.int64).tolist()
        tagged = (anchors(it.distinct).astype(np.uint64) | ANCHOR_TAG).view(np.int64)
        rows.append(
            {
                "para": it.paragraph.index,
                "keytext": it.key.text,
                "xkey": exact_key(it.key.text),
                "bands": bands,
                "anchors": sorted(set(tagged.tolist())),
                "item": pickle.dumps(_lean(it), protocol=5),
            }
        )
    return rows


def features_of(config: Config, text_col: str, schema: Any) -> Any:
    """The Arrow UDF of extraction: (pos, id, text) -> ``DOCUMENT_DDL`` rows."""

    def extract(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow = to_arrow_schema(schema)
        extractor = Extractor(config)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                pos = row["pos"]
                got = extractor(pos, Document(row["id"], row[text_col] or "", row["path"]))
                lean = replace(got, items=[replace(it, signature=None) for it in got.items])
                out.append(
                    {
                        "pos": pos,
                        "features": pickle.dumps(lean, protocol=5),
                        "paragraphs": [{"pos": pos, **r} for r in paragraph_rows(got)],
                    }
                )
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return extract


def resolver_of(config: Config, schema: Any) -> Any:
    """The Arrow UDF of a round: (pos, first, features, reached items, given) ->
    (pos, redundant, given, result).  ``given`` is the candidates (``candidate_refs``,
    as JSON) the document was last resolved with: when they are the same again, the
    document is not resolved again (``clean_document`` would be given the same)
    and ``result`` is null."""
    from dedup.spark.resolve import result_row

    def resolve(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow = to_arrow_schema(schema)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                extracted: Extracted = pickle.loads(row["features"])
                first = {extracted.document.id: row["first"]}
                earlier: list[Item] = []
                for shipped in row["reached"] or ():
                    it = pickle.loads(shipped["item"])
                    first.setdefault(it.doc_id, shipped["first"])
                    earlier.append(it)
                external = candidates_against(extracted, earlier, config)
                given = json.dumps(candidate_refs(external), separators=(",", ":")).encode()
                if given == row["given"]:
                    out.append({"pos": row["pos"], "redundant": None, "given": given, "result": None})
                    continue
                got = clean_document(extracted, external, config, partial(_place, first))
                redundant = sorted(got.decisions)
                result = result_row(row["pos"], got.result)
                out.append({"pos": row["pos"], "redundant": redundant, "given": given, "result": result})
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return resolve


def _place(first: dict[str, int], doc_id: str) -> int:
    return first.get(doc_id, 0)


def indexed_keys(paragraphs: DataFrame, redundant: DataFrame) -> DataFrame:
    """(key, pos, para) of the paragraphs indexed when ``redundant`` (pos, para)
    are removed: the exact key, every band key, and each anchor's first
    ``POSTING_CUT`` holders in corpus order."""
    from pyspark.sql import functions as F

    kept = paragraphs.join(redundant, ["pos", "para"], "left_anti")
    first = kept.groupBy("text_id").agg(F.min(F.struct("pos", "para")).alias("f"))
    indexed = paragraphs.join(first.select("f.pos", "f.para"), ["pos", "para"])
    exact = indexed.select(F.col("xkey").alias("key"), "pos", "para")
    bands = indexed.select(F.explode("bands").alias("key"), "pos", "para")
    held = indexed.select(F.explode("anchors").alias("key"), "pos", "para")
    return exact.unionByName(bands).unionByName(first_holders(held, POSTING_CUT))


def first_holders(held: DataFrame, n: int, salts: int = SALTS) -> DataFrame:
    """(key, pos, para): the first ``n`` rows of each key by (pos, para), in two
    steps: the first ``n`` of each (key, salt), then of each key among those, so
    a key held by millions is cut by ``salts`` tasks, not one."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    salted = held.withColumn("salt", F.pmod(F.xxhash64("pos", "para"), F.lit(salts)))
    by_salt = Window.partitionBy("key", "salt").orderBy("pos", "para")
    by_key = Window.partitionBy("key").orderBy("pos", "para")
    cut = salted.withColumn("r", F.row_number().over(by_salt)).where(F.col("r") <= n)
    cut = cut.drop("r", "salt").withColumn("r", F.row_number().over(by_key)).where(F.col("r") <= n)
    return cut.drop("r")


def resolved_ddl(result_ddl: str) -> str:
    """The rows a round's resolution gives: a document's redundant paragraphs and its result."""
    return f"pos long, redundant array<int>, given binary, result struct<{result_ddl}>"


def resolve_in_rounds(
    documents: DataFrame, text_col: str, config: Config, result_ddl: str, partitions: int
) -> tuple[DataFrame, list[int]]:
    """(pos, result) for every document of ``documents`` (pos, id, path, first,
    ``text_col``: ``first`` is the first position of the document's id), and how
    many documents each round resolved."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StructType

    schema = cast(StructType, StructType.fromDDL(DOCUMENT_DDL))
    extracted = documents.select("pos", "id", "path", text_col).mapInArrow(
        features_of(config, text_col, schema), schema
    )
    extracted = extracted.join(documents.select("pos", "first"), "pos").localCheckpoint()
    features = extracted.select("pos", "first", "features")
    paragraphs = extracted.select("first", F.explode("paragraphs").alias("p")).select("first", "p.*")
    # the key text once: each round groups by the (pos, para) of its first paragraph
    texts = paragraphs.groupBy("keytext").agg(F.min(F.struct("pos", "para")).alias("text_id"))
    paragraphs = paragraphs.join(texts, "keytext").drop("keytext").localCheckpoint()
    queries = paragraphs.select("pos", F.explode(F.concat(F.array("xkey"), "bands", "anchors")).alias("key"))
    queries = queries.distinct().localCheckpoint()
    ddl = cast(StructType, StructType.fromDDL(resolved_ddl(result_ddl)))
    resolve = resolver_of(config, ddl)
    state = _nothing(features)
    previous: DataFrame | None = None
    results: DataFrame | None = None
    counts: list[int] = []
    for _ in range(MAX_ROUNDS):
        redundant = state.select("pos", F.explode("redundant").alias("para"))
        reach = _reach(queries, indexed_keys(paragraphs, redundant))
        sets = features.select("pos").join(
            reach.groupBy("pos").agg(F.array_sort(F.collect_list(F.struct("e", "p"))).alias("reach")),
            "pos",
            "left",
        )
        sets = sets.localCheckpoint()
        todo = sets.select("pos") if previous is None else _changed(sets, previous)
        work = features.join(todo, "pos").join(_shipped(reach.join(todo, "pos"), paragraphs), "pos", "left")
        work = work.join(state.select("pos", "given"), "pos")
        resolved = work.repartition(partitions, "pos").mapInArrow(resolve, ddl).localCheckpoint()
        counts.append(resolved.where(F.col("result").isNotNull()).count())
        changes, state, results = _merge(state, results, resolved)
        previous = sets
        if changes == 0:
            break
    assert results is not None
    return results.select("pos", "result"), counts


def _nothing(features: DataFrame) -> DataFrame:
    """(pos, redundant) of round 0: nothing redundant.  (Guessing that copies of
    an earlier document's key text go changes nothing: a copy is never indexed
    anyway.  What round 1 gets wrong are first copies removed as near copies or
    fragments.)"""
    from pyspark.sql import functions as F

    empty, unknown = F.array().cast("array<int>"), F.lit(None).cast("binary")
    return features.select("pos", empty.alias("redundant"), unknown.alias("given")).localCheckpoint()


def _reach(queries: DataFrame, keys: DataFrame) -> DataFrame:
    """(pos, e, p): the indexed paragraphs (e, p) of earlier documents under a key of document pos."""
    from pyspark.sql import functions as F

    q, i = queries.alias("q"), keys.alias("i")
    reach = q.join(i, "key").where(F.col("i.pos") < F.col("q.pos"))
    reach = reach.select(F.col("q.pos").alias("pos"), F.col("i.pos").alias("e"), F.col("i.para").alias("p"))
    return reach.distinct().localCheckpoint()


def _changed(sets: DataFrame, previous: DataFrame) -> DataFrame:
    """The documents whose reached set is not the one of the previous round."""
    from pyspark.sql import functions as F

    now, before = sets.alias("now"), previous.alias("before")
    differ = ~F.col("now.reach").eqNullSafe(F.col("before.reach"))
    return now.join(before, "pos").where(differ).select("pos")


def _shipped(reach: DataFrame, paragraphs: DataFrame) -> DataFrame:
    """(pos, reached): the items (and the first position of their document's id) a document reaches."""
    from pyspark.sql import functions as F

    items = paragraphs.select(F.col("pos").alias("e"), F.col("para").alias("p"), "item", "first")
    shipped = reach.join(items, ["e", "p"])
    return shipped.groupBy("pos").agg(F.collect_list(F.struct("item", "first")).alias("reached"))


def _merge(
    state: DataFrame, results: DataFrame | None, resolved: DataFrame
) -> tuple[int, DataFrame, DataFrame]:
    """How many documents' redundant sets changed, the new state (pos,
    redundant, given) and the results (pos, result) with this round's."""
    from pyspark.sql import functions as F

    fresh = resolved.where(F.col("result").isNotNull())
    new, old = fresh.alias("new"), state.alias("old")
    changes = new.join(old, "pos").where(F.col("new.redundant") != F.col("old.redundant")).count()
    state = state.join(fresh.select("pos"), "pos", "left_anti").unionByName(
        fresh.select("pos", "redundant", "given")
    )
    fresh = fresh.select("pos", "result")
    if results is not None:
        fresh = results.join(fresh.select("pos"), "pos", "left_anti").unionByName(fresh)
    return changes, state.localCheckpoint(), fresh.localCheckpoint()
