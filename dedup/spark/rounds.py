"""Cross-article resolution in rounds: every document its own task, no giant group.

Real corpora form one giant connected component of "shares a key" (stock
phrases' anchors, boilerplate lines, chains of near copies), so resolving a
component in one task (``spark.components``) leaves one core doing all the work.
But a document needs far less than its component: only the *indexed* paragraphs
of earlier documents under its own keys (``spark.earlier``).  If those were
known, every document could be resolved alone.  They depend on the earlier
documents' decisions, so they are found by rounds (a Jacobi iteration):

* round 0 guesses that every paragraph is kept and none joined;
* each round, in Spark SQL: the indexed paragraphs under the current guess (the
  first, in indexing order, of each key text among what each document offers:
  ``run.corpus.offered``, its kept and its joined paragraphs); their keys
  (exact, band, and for anchors the first ``POSTING_CUT`` holders, found with a
  salted two-step top-N so that a stock phrase does not land in one task); the
  indexed earlier paragraphs each document reaches; then, in ``mapInArrow``,
  every document whose reached set changed since the last round is resolved
  against exactly those paragraphs (``earlier.resolve_against``), unless its
  candidates are the ones it was last resolved with; it offers anew;
* it stops when no document's offers change.

Why the result is the local engine's: a document's resolution depends on its
own features and on the indexed paragraphs it reaches, nothing else (the id
order is passed in).  At the stop every document was resolved against the
paragraphs indexed under the final offers, and those offers are what the
resolutions give: a fixed point.  The system is triangular (a document reaches
earlier documents only), so it has one fixed point: by induction over corpus
order, the first document reaches nothing and offers what the local engine's
does; if every document before *d* agrees, the same paragraphs are indexed before *d*,
*d* reaches the same ones and is resolved as the local engine resolves it.  And
the rounds always reach it: after round *k* every document whose chain of
earlier dependencies is shorter than *k* is final (on the dev set, the wild
month and the big set two or three rounds suffice).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Sequence
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
from dedup.spark.earlier import (
    POSTING_CUT,
    Offer,
    candidate_refs,
    candidates_against,
    first_offers,
    ident,
    offers_of,
)
from dedup.spark.keys import ANCHOR_TAG, exact_key

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

#: salts of the anchor top-N: a stock phrase's holders are cut in this many tasks first
SALTS = 16
#: rounds before giving up (never reached: the dependency chains are short)
MAX_ROUNDS = 200

#: a paragraph a document offers the indexes (``earlier.Offer``): ``seq`` orders a
#: document's offers (kept paragraphs by index, then joined ones after ``JOINED``),
#: ``ident`` tells offers apart across rounds; ``anchors`` is empty when not anchored
OFFER_DDL = (
    "pos long, seq int, ident string, keytext string, xkey long, bands array<long>, "
    "anchors array<long>, item binary"
)
DOCUMENT_DDL = f"pos long, features binary, offers array<struct<{OFFER_DDL}>>"
#: where the seq of a document's joined paragraphs starts
JOINED = 1 << 30


def _lean(it: Item) -> Item:
    """The item as shipped: without its signature and comparison table."""
    return replace(it, signature=None, table=None)


def offer_rows(position: int, offers: Sequence[Offer]) -> list[dict[str, Any]]:
    """A document's offers as rows of ``OFFER_DDL``."""
    rows: list[dict[str, Any]] = []
    joined = 0
    for offer in offers:
        it = offer.item
        if it.key.breaks:
            seq, joined = JOINED + joined, joined + 1
        else:
            seq = it.paragraph.index
        bands = [] if it.bands is None else it.bands.astype(np.uint64).view(np.int64).tolist()
        tagged = (anchors(it.distinct).astype(np.uint64) | ANCHOR_TAG).view(np.int64).tolist()
        rows.append(
            {
                "pos": position,
                "seq": seq,
                "ident": json.dumps([*ident(it)[1:], offer.anchored], separators=(",", ":")),
                "keytext": it.key.text,
                "xkey": exact_key(it.key.text),
                "bands": bands,
                "anchors": sorted(set(tagged)) if offer.anchored else [],
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
                features = pickle.dumps(lean, protocol=5)
                out.append({"pos": pos, "features": features, "offers": offer_rows(pos, first_offers(got))})
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return extract


def resolver_of(config: Config, schema: Any) -> Any:
    """The Arrow UDF of a round: (pos, first, features, reached offers, given) ->
    (pos, offers, given, result).  ``given`` is the candidates (``candidate_refs``,
    as JSON) the document was last resolved with: when they are the same again, the
    document is not resolved again (``clean_document`` would be given the same)
    and ``offers`` and ``result`` are null."""
    from dedup.spark.resolve import result_row

    def resolve(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        arrow = to_arrow_schema(schema)
        extractor = Extractor(config)
        for batch in batches:
            out: list[dict[str, Any]] = []
            for row in batch.to_pylist():
                extracted: Extracted = pickle.loads(row["features"])
                first = {extracted.document.id: row["first"]}
                earlier: list[Offer] = []
                for shipped in sorted(row["reached"] or (), key=lambda r: (r["e"], r["s"])):
                    it = pickle.loads(shipped["item"])
                    first.setdefault(it.doc_id, shipped["first"])
                    earlier.append(Offer(it, bool(shipped["anchored"])))
                external = candidates_against(extracted, earlier, config)
                given = json.dumps(candidate_refs(external), separators=(",", ":")).encode()
                pos = row["pos"]
                if given == row["given"]:
                    out.append({"pos": pos, "offers": None, "given": given, "result": None})
                    continue
                got = clean_document(extracted, external, config, partial(_place, first))
                offers = offer_rows(pos, offers_of(extracted, got, config, extractor))
                out.append(
                    {"pos": pos, "offers": offers, "given": given, "result": result_row(pos, got.result)}
                )
            yield pa.RecordBatch.from_pylist(out, schema=arrow)

    return resolve


def _place(first: dict[str, int], doc_id: str) -> int:
    return first.get(doc_id, 0)


def indexed_keys(offers: DataFrame) -> DataFrame:
    """(key, pos, seq) of the offers (``OFFER_DDL``) the local engine indexes,
    the first of each key text in indexing order: the exact key, every band
    key, and each anchor's first ``POSTING_CUT`` holders."""
    from pyspark.sql import functions as F

    first = offers.groupBy("keytext").agg(F.min(F.struct("pos", "seq")).alias("f"))
    indexed = offers.join(first.select("f.pos", "f.seq"), ["pos", "seq"])
    exact = indexed.select(F.col("xkey").alias("key"), "pos", "seq")
    bands = indexed.select(F.explode("bands").alias("key"), "pos", "seq")
    held = indexed.select(F.explode("anchors").alias("key"), "pos", "seq")
    return exact.unionByName(bands).unionByName(first_holders(held, POSTING_CUT))


def first_holders(held: DataFrame, n: int, salts: int = SALTS) -> DataFrame:
    """(key, pos, seq): the first ``n`` rows of each key by (pos, seq), in two
    steps: the first ``n`` of each (key, salt), then of each key among those, so
    a key held by millions is cut by ``salts`` tasks, not one."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    salted = held.withColumn("salt", F.pmod(F.xxhash64("pos", "seq"), F.lit(salts)))
    by_salt = Window.partitionBy("key", "salt").orderBy("pos", "seq")
    by_key = Window.partitionBy("key").orderBy("pos", "seq")
    cut = salted.withColumn("r", F.row_number().over(by_salt)).where(F.col("r") <= n)
    cut = cut.drop("r", "salt").withColumn("r", F.row_number().over(by_key)).where(F.col("r") <= n)
    return cut.drop("r")


def resolved_ddl(result_ddl: str) -> str:
    """The rows a round's resolution gives: a document's offers, candidates and result."""
    return f"pos long, offers array<struct<{OFFER_DDL}>>, given binary, result struct<{result_ddl}>"


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
    queries = extracted.select("pos", F.explode("offers").alias("o"))
    queries = queries.select(
        "pos", F.explode(F.concat(F.array("o.xkey"), "o.bands", "o.anchors")).alias("key")
    )
    queries = queries.distinct().localCheckpoint()
    ddl = cast(StructType, StructType.fromDDL(resolved_ddl(result_ddl)))
    resolve = resolver_of(config, ddl)
    # round 0 guesses that every paragraph is kept and none is joined
    state = extracted.select("pos", "offers", F.lit(None).cast("binary").alias("given")).localCheckpoint()
    previous: DataFrame | None = None
    results: DataFrame | None = None
    counts: list[int] = []
    for _ in range(MAX_ROUNDS):
        offers = state.select(F.explode("offers").alias("o")).select("o.*").localCheckpoint()
        reach = _reach(queries, indexed_keys(offers))
        sets = _reached_sets(features, reach, offers)
        todo = sets.select("pos") if previous is None else _changed(sets, previous)
        work = features.join(todo, "pos").join(
            _shipped(reach.join(todo, "pos"), offers, features), "pos", "left"
        )
        work = work.join(state.select("pos", "given"), "pos")
        resolved = work.repartition(partitions, "pos").mapInArrow(resolve, ddl).localCheckpoint()
        counts.append(resolved.where(F.col("result").isNotNull()).count())
        changes, state, results = _merge(state, results, resolved)
        previous = sets
        if changes == 0:
            break
    assert results is not None
    return results.select("pos", "result"), counts


def _reach(queries: DataFrame, keys: DataFrame) -> DataFrame:
    """(pos, e, s): the indexed offers (e, s) of earlier documents under a key of document pos."""
    from pyspark.sql import functions as F

    q, i = queries.alias("q"), keys.alias("i")
    reach = q.join(i, "key").where(F.col("i.pos") < F.col("q.pos"))
    reach = reach.select(F.col("q.pos").alias("pos"), F.col("i.pos").alias("e"), F.col("i.seq").alias("s"))
    return reach.distinct().localCheckpoint()


def _reached_sets(features: DataFrame, reach: DataFrame, offers: DataFrame) -> DataFrame:
    """(pos, reach): what each document reaches, by identity (seq numbers change
    when a document's offers do), sorted; null when nothing."""
    from pyspark.sql import functions as F

    idents = offers.select(F.col("pos").alias("e"), F.col("seq").alias("s"), "ident")
    named = reach.join(idents, ["e", "s"])
    sets = named.groupBy("pos").agg(F.array_sort(F.collect_list(F.struct("e", "ident"))).alias("reach"))
    return features.select("pos").join(sets, "pos", "left").localCheckpoint()


def _changed(sets: DataFrame, previous: DataFrame) -> DataFrame:
    """The documents whose reached set is not the one of the previous round."""
    from pyspark.sql import functions as F

    now, before = sets.alias("now"), previous.alias("before")
    differ = ~F.col("now.reach").eqNullSafe(F.col("before.reach"))
    return now.join(before, "pos").where(differ).select("pos")


def _shipped(reach: DataFrame, offers: DataFrame, features: DataFrame) -> DataFrame:
    """(pos, reached): the offers a document reaches, with the first position of their document's id."""
    from pyspark.sql import functions as F

    items = offers.select(
        F.col("pos").alias("e"), F.col("seq").alias("s"), "item", (F.size("anchors") > 0).alias("anchored")
    )
    firsts = features.select(F.col("pos").alias("e"), "first")
    shipped = reach.join(items, ["e", "s"]).join(firsts, "e")
    reached = F.collect_list(F.struct("e", "s", "item", "anchored", "first")).alias("reached")
    return shipped.groupBy("pos").agg(reached)


def _merge(
    state: DataFrame, results: DataFrame | None, resolved: DataFrame
) -> tuple[int, DataFrame, DataFrame]:
    """How many documents' offers changed, the new state (pos, offers, given)
    and the results (pos, result) with this round's."""
    from pyspark.sql import functions as F

    fresh = resolved.where(F.col("result").isNotNull())
    new, old = fresh.alias("new"), state.alias("old")
    differ = F.transform("new.offers", lambda o: o["ident"]) != F.transform(
        "old.offers", lambda o: o["ident"]
    )
    changes = new.join(old, "pos").where(differ).count()
    state = state.join(fresh.select("pos"), "pos", "left_anti").unionByName(
        fresh.select("pos", "offers", "given")
    )
    fresh = fresh.select("pos", "result")
    if results is not None:
        fresh = results.join(fresh.select("pos"), "pos", "left_anti").unionByName(fresh)
    return changes, state.localCheckpoint(), fresh.localCheckpoint()
